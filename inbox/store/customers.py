from datetime import datetime
from decimal import Decimal

from inbox.models import Customer, LinkCandidate
from inbox.store.access import VISIBLE_CHANNEL_IDS
from inbox.store.connection import Cursor
from inbox.store.rows import fetch_model, fetch_models

_COLUMNS = "id, name, phone, email, created_at"


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


_DIGITS = "regexp_replace(COALESCE(c.phone, ''), '[^0-9]', '', 'g')"
# How each kind of query matches; the parameter is the query, normalised by the caller.
LINK_MATCHES = {
    "name": "contains(lower(c.name), ?)",
    "email": "lower(c.email) = ?",
    # A whole number, with or without its country code.
    "phone": f"({_DIGITS} = ? OR (length(?) >= 9 AND suffix({_DIGITS}, ?)))",
}
_LINK_CANDIDATES = f"""
    WITH seen AS (
        SELECT DISTINCT ct.customer_id FROM contacts ct
        WHERE ct.customer_id IS NOT NULL AND ct.channel_id IN ({VISIBLE_CHANNEL_IDS}))
    SELECT c.id, c.name, s.customer_id IS NULL AS masked,
        CASE WHEN s.customer_id IS NOT NULL OR c.phone IS NULL THEN c.phone
             ELSE '••• ' || right({_DIGITS}, 2) END AS phone,
        CASE WHEN s.customer_id IS NOT NULL OR c.email IS NULL THEN c.email
             ELSE left(c.email, 1) || '•••@' || split_part(c.email, '@', 2) END AS email
    FROM customers c LEFT JOIN seen s ON s.customer_id = c.id
"""


def link_candidates(
    cur: Cursor, user_id: int, kind: str, query: str, limit: int
) -> list[LinkCandidate]:
    """Customers matching one kind of query; contacts of customers who never wrote in the
    user's channels come masked, in SQL, so they never leave the database in full."""
    match = LINK_MATCHES[kind]
    params = [user_id, *([query] * match.count("?")), limit]
    return fetch_models(
        cur,
        LinkCandidate,
        f"{_LINK_CANDIDATES} WHERE {match} ORDER BY c.name, c.id LIMIT ?",
        params,
    )


def order_totals(cur: Cursor, customer_id: int) -> tuple[int, Decimal]:
    row = cur.execute(
        "SELECT count(*), COALESCE(sum(total), 0) FROM orders"
        " WHERE customer_id = ? AND status <> 'cancelled'",
        [customer_id],
    ).fetchone()
    return row[0], Decimal(row[1]).quantize(Decimal("0.01"))
