"""The product catalogue orders are taken from. Every manager keeps it: add a product, change
its name, SKU or price, archive it. A change never alters an order already taken (its lines
keep their own name and price), and an archived product is no longer offered in the form."""

from decimal import Decimal

from inbox.errors import InvalidInput, NotFound
from inbox.models import Product, User
from inbox.services.common import UNCHECKED, merge_fields, require_text
from inbox.store import Cursor, Store, products


def _checked(name: str, price: Decimal, sku: str | None) -> tuple[str, Decimal, str | None]:
    name = require_text(name, "A product name", 300)
    if price is None or Decimal(price) < 0:
        raise InvalidInput("A price cannot be negative.")
    sku = (sku or "").strip()[:100] or None
    return name, Decimal(price).quantize(Decimal("0.01")), sku


def _sku_free(cur: Cursor, sku: str | None, product_id: int | None = None) -> None:
    taken = products.find_sku(cur, sku) if sku else None
    if taken is not None and taken.id != product_id:
        raise InvalidInput(f"The SKU {sku!r} belongs to “{taken.name}”.")


def add_product(
    store: Store, actor: User, name: str, price: Decimal, sku: str | None = None
) -> Product:
    name, price, sku = _checked(name, price, sku)
    with store.write() as cur:
        _sku_free(cur, sku)
        return products.insert(cur, name, sku, price)


def _fields(name: str, price: Decimal, sku: str | None) -> dict:
    return {"name": name, "price": price, "sku": sku}


def update_product(
    store: Store,
    actor: User,
    product_id: int,
    name: str,
    price: Decimal,
    sku: str | None,
    *,
    drawn: Product = UNCHECKED,
) -> None:
    """`drawn` is the product as the page showed it: only the fields changed here are written,
    and one changed by someone else since is refused."""
    name, price, sku = _checked(name, price, sku)
    with store.write() as cur:
        product = products.get(cur, product_id)
        if product is None:
            raise NotFound("No such product.")
        changed = merge_fields(
            drawn if drawn is UNCHECKED else _fields(drawn.name, drawn.price, drawn.sku),
            _fields(name, price, sku),
            _fields(product.name, product.price, product.sku),
            lambda field, value: f"{field} “{value}”" if value is not None else f"no {field}",
        )
        if not changed:
            return
        new = {**_fields(product.name, product.price, product.sku), **changed}
        _sku_free(cur, new["sku"], product_id)
        products.update(cur, product_id, new["name"], new["sku"], new["price"])


def set_archived(store: Store, actor: User, product_id: int, archived: bool) -> None:
    with store.write() as cur:
        if products.get(cur, product_id) is None:
            raise NotFound("No such product.")
        products.set_active(cur, product_id, not archived)


def everything(store: Store) -> list[Product]:
    with store.read() as cur:
        return products.everything(cur)
