"""The product catalogue orders are taken from."""

from decimal import Decimal

from inbox.errors import InvalidInput
from inbox.models import Product, User
from inbox.services.common import require_text
from inbox.store import Store, products


def add_product(
    store: Store, actor: User, name: str, price: Decimal, sku: str | None = None
) -> Product:
    name = require_text(name, "A product name", 300)
    if price < 0:
        raise InvalidInput("A price cannot be negative.")
    with store.write() as cur:
        return products.insert(cur, name, sku or None, Decimal(price).quantize(Decimal("0.01")))
