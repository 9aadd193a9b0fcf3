from datetime import datetime
from decimal import Decimal

from inbox.models import Customer, CustomerChat, CustomerQuery, CustomerRow, LinkCandidate
from inbox.store import contacts
from inbox.store.access import VISIBLE_CHANNEL_IDS
from inbox.store.connection import Cursor
from inbox.store.orders import COUNTED, CUSTOMER_TOTALS
from inbox.store.rows import fetch_model, fetch_models, fetch_value

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
    "name": "strpos(lower(c.name), ?) > 0",
    "email": "lower(c.email) = ?",
    # A whole number, with or without its country code.
    "phone": f"({_DIGITS} = ? OR (length(?) >= 9 AND right({_DIGITS}, length(?)) = ?))",
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
        "SELECT count(*), COALESCE(sum(o.total), 0) FROM orders o"
        f" WHERE o.customer_id = ? AND {COUNTED}",
        [customer_id],
    ).fetchone()
    return row[0], Decimal(row[1]).quantize(Decimal("0.01"))


_VISIBLE_CUSTOMERS = f"""
    SELECT DISTINCT ct.customer_id FROM contacts ct
    WHERE ct.customer_id IS NOT NULL AND ct.channel_id IN ({VISIBLE_CHANNEL_IDS})
"""
_SORTS = {
    "name": "lower(c.name), c.id",
    "total": "order_total DESC, lower(c.name), c.id",
    "orders": "order_count DESC, lower(c.name), c.id",
    "last_order": "last_order_at DESC NULLS LAST, lower(c.name), c.id",
}


def list_for(cur: Cursor, user_id: int, query: CustomerQuery) -> list[CustomerRow]:
    """Customers who wrote in a channel the user sees, with their order count and sum, one
    query with a limit; found by part of the name or email, or by phone digits."""
    digits = "".join(ch for ch in query.search if ch.isdigit())
    text = query.search.lower()
    return fetch_models(
        cur,
        CustomerRow,
        f"""
        WITH stats AS ({CUSTOMER_TOTALS})
        SELECT c.id, c.name, c.phone, c.email,
            (SELECT string_agg(DISTINCT ch.name, ', ' ORDER BY ch.name)
             FROM contacts ct JOIN channels ch ON ch.id = ct.channel_id
             WHERE ct.customer_id = c.id AND ch.id IN ({VISIBLE_CHANNEL_IDS})) AS channels,
            COALESCE(s.order_count, 0) AS order_count,
            COALESCE(s.order_total, 0) AS order_total, s.last_order_at
        FROM customers c
        LEFT JOIN stats s ON s.customer_id = c.id
        WHERE c.id IN ({_VISIBLE_CUSTOMERS})
          AND (? = '' OR strpos(lower(c.name), ?) > 0
               OR strpos(lower(COALESCE(c.email, '')), ?) > 0
               OR (length(?) >= 3 AND strpos({_DIGITS}, ?) > 0))
        ORDER BY {_SORTS[query.sort]} LIMIT ?
        """,
        [user_id, user_id, text, text, text, digits, digits, query.limit],
    )


def visible(cur: Cursor, user_id: int, customer_id: int) -> Customer | None:
    found = fetch_value(
        cur,
        f"SELECT count(*) FROM ({_VISIBLE_CUSTOMERS}) v WHERE v.customer_id = ?",
        [user_id, customer_id],
    )
    return get(cur, customer_id) if found else None


def chats_of(cur: Cursor, user_id: int, customer_id: int) -> list[CustomerChat]:
    return fetch_models(
        cur,
        CustomerChat,
        f"""
        SELECT c.id AS chat_id, ct.id AS contact_id, ch.name AS channel_name,
               ch.icon AS channel_icon, ct.display_name, ct.handle, c.state,
               c.last_message_at, c.badge
        FROM contacts ct JOIN chats c ON c.contact_id = ct.id
        JOIN channels ch ON ch.id = ct.channel_id
        WHERE ct.customer_id = ? AND ch.id IN ({VISIBLE_CHANNEL_IDS})
        ORDER BY c.last_message_at DESC
        """,
        [customer_id, user_id],
    )


def update(cur: Cursor, customer_id: int, name: str, phone: str | None, email: str | None):
    cur.execute(
        "UPDATE customers SET name = ?, phone = ?, email = ? WHERE id = ?",
        [name, phone, email, customer_id],
    )
    contacts.refresh_search_keys(cur, "ct.customer_id = ?", customer_id)
