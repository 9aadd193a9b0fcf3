import re
from datetime import datetime
from decimal import Decimal

from inbox.models import Customer, CustomerSummary
from inbox.store.connection import Cursor
from inbox.store.rows import fetch_model, fetch_models

_COLUMNS = "id, name, phone, email, created_at"

# Cancelled orders are not sales: they count neither in a customer's orders nor in the sum.
_SUMMARY = f"""
    SELECT {", ".join("c." + col for col in _COLUMNS.split(", "))},
           count(o.id) AS order_count, COALESCE(sum(o.total), 0) AS order_total
    FROM customers c LEFT JOIN orders o ON o.customer_id = c.id AND o.status <> 'cancelled'
"""


def insert(cur: Cursor, name: str, phone: str | None, email: str | None, now: datetime) -> Customer:
    return fetch_model(
        cur,
        Customer,
        f"INSERT INTO customers (name, phone, email, created_at) VALUES (?, ?, ?, ?)"
        f" RETURNING {_COLUMNS}",
        [name, phone, email, now],
    )


def get(cur: Cursor, customer_id: int) -> Customer | None:
    return fetch_model(
        cur, Customer, f"SELECT {_COLUMNS} FROM customers WHERE id = ?", [customer_id]
    )


def search(cur: Cursor, text: str, limit: int) -> list[CustomerSummary]:
    """Customers whose name, email or phone contains the text; phones match on digits alone."""
    needle = text.strip().lower()
    digits = re.sub(r"\D", "", needle)
    return fetch_models(
        cur,
        CustomerSummary,
        f"{_SUMMARY} WHERE ? = '' OR contains(lower(c.name), ?)"
        " OR contains(lower(COALESCE(c.email, '')), ?)"
        " OR (? <> '' AND contains(regexp_replace(COALESCE(c.phone, ''), '[^0-9]', '', 'g'), ?))"
        " GROUP BY ALL ORDER BY c.name, c.id LIMIT ?",
        [needle, needle, needle, digits, digits, limit],
    )


def order_totals(cur: Cursor, customer_id: int) -> tuple[int, Decimal]:
    row = cur.execute(
        "SELECT count(*), COALESCE(sum(total), 0) FROM orders"
        " WHERE customer_id = ? AND status <> 'cancelled'",
        [customer_id],
    ).fetchone()
    return row[0], Decimal(row[1]).quantize(Decimal("0.01"))
