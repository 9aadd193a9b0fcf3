from decimal import Decimal

from inbox.models import Product
from inbox.store.connection import Cursor
from inbox.store.rows import fetch_model, fetch_models

_COLUMNS = "id, name, sku, price, active"


def insert(cur: Cursor, name: str, sku: str | None, price: Decimal) -> Product:
    return fetch_model(
        cur,
        Product,
        f"INSERT INTO products (name, sku, price) VALUES (?, ?, ?) RETURNING {_COLUMNS}",
        [name, sku, price],
    )


def get(cur: Cursor, product_id: int) -> Product | None:
    return fetch_model(cur, Product, f"SELECT {_COLUMNS} FROM products WHERE id = ?", [product_id])


def catalogue(cur: Cursor) -> list[Product]:
    return fetch_models(
        cur, Product, f"SELECT {_COLUMNS} FROM products WHERE active ORDER BY name, id"
    )


def everything(cur: Cursor) -> list[Product]:
    """The whole catalogue, archived products last."""
    return fetch_models(
        cur, Product, f"SELECT {_COLUMNS} FROM products ORDER BY active DESC, name, id"
    )


def find_sku(cur: Cursor, sku: str) -> Product | None:
    return fetch_model(cur, Product, f"SELECT {_COLUMNS} FROM products WHERE sku = ?", [sku])


def update(cur: Cursor, product_id: int, name: str, sku: str | None, price: Decimal) -> None:
    cur.execute(
        "UPDATE products SET name = ?, sku = ?, price = ? WHERE id = ?",
        [name, sku, price, product_id],
    )


def set_active(cur: Cursor, product_id: int, active: bool) -> None:
    cur.execute("UPDATE products SET active = ? WHERE id = ?", [active, product_id])
