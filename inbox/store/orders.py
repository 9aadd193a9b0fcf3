from datetime import datetime
from decimal import Decimal
from typing import Any

from inbox.models import (
    ORDER_FIELDS,
    Order,
    OrderLine,
    OrderList,
    OrderQuery,
    OrderRow,
    OrderStatus,
)
from inbox.store.access import VISIBLE_CHANNEL_IDS
from inbox.store.connection import Cursor
from inbox.store.rows import fetch_models

_SELECT = """
    SELECT o.id, o.customer_id, c.name AS customer_name, o.chat_id, o.manager_id,
           u.name AS manager_name, o.status, o.delivery_method, o.delivery_address,
           o.delivery_cost, o.payment_method, o.paid, o.comment, o.total, o.created_at,
           o.updated_at
    FROM orders o
    JOIN customers c ON c.id = o.customer_id
    LEFT JOIN users u ON u.id = o.manager_id
"""

# Cancelled orders count in no total and no number of orders: every sum starts from these.
COUNTED = "o.status <> 'cancelled'"
CUSTOMER_TOTALS = f"""
    SELECT o.customer_id, count(*) AS order_count, sum(o.total) AS order_total,
           max(o.created_at) AS last_order_at
    FROM orders o WHERE {COUNTED} GROUP BY o.customer_id
"""


def _select(cur: Cursor, where_and_order: str, params: list[Any]) -> list[Order]:
    cur.execute(f"{_SELECT} {where_and_order}", params)
    columns = [d[0] for d in cur.description]
    heads = [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]
    if not heads:
        return []
    lines: dict[int, list[OrderLine]] = {head["id"]: [] for head in heads}
    cur.execute(
        "SELECT order_id, product_id, name, quantity, price FROM order_lines"
        " WHERE order_id = ANY(?) ORDER BY order_id, position",
        [list(lines)],
    )
    for order_id, product_id, name, quantity, price in cur.fetchall():
        lines[order_id].append(
            OrderLine(product_id=product_id, name=name, quantity=quantity, price=price)
        )
    return [Order(**head, lines=lines[head["id"]]) for head in heads]


def insert(
    cur: Cursor,
    customer_id: int,
    chat_id: int | None,
    manager_id: int,
    values: dict[str, Any],
    now: datetime,
) -> int:
    return cur.execute(
        f"INSERT INTO orders (customer_id, chat_id, manager_id, {', '.join(ORDER_FIELDS)},"
        f" created_at, updated_at) VALUES (?, ?, ?, {', '.join('?' for _ in ORDER_FIELDS)}, ?, ?)"
        " RETURNING id",
        [customer_id, chat_id, manager_id, *(values[f] for f in ORDER_FIELDS), now, now],
    ).fetchone()[0]


def update(cur: Cursor, order_id: int, values: dict[str, Any], now: datetime) -> None:
    assignments = ", ".join(f"{f} = ?" for f in ORDER_FIELDS)
    cur.execute(
        f"UPDATE orders SET {assignments}, updated_at = ? WHERE id = ?",
        [*(values[f] for f in ORDER_FIELDS), now, order_id],
    )


def replace_lines(cur: Cursor, order_id: int, lines: list[OrderLine]) -> None:
    cur.execute("DELETE FROM order_lines WHERE order_id = ?", [order_id])
    cur.executemany(
        "INSERT INTO order_lines (order_id, position, product_id, name, quantity, price)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            [order_id, position, line.product_id, line.name, line.quantity, line.price]
            for position, line in enumerate(lines, start=1)
        ],
    )


def get(cur: Cursor, order_id: int) -> Order | None:
    found = _select(cur, "WHERE o.id = ?", [order_id])
    return found[0] if found else None


def active_for_customer(cur: Cursor, customer_id: int) -> list[Order]:
    """Orders still in progress, newest first."""
    return _select(
        cur,
        "WHERE o.customer_id = ? AND o.status NOT IN (?, ?) ORDER BY o.created_at DESC, o.id DESC",
        [customer_id, OrderStatus.COMPLETED.value, OrderStatus.CANCELLED.value],
    )


def of_customer_in_reach(cur: Cursor, customer_id: int, chat_ids: list[int]) -> list[Order]:
    """The customer's orders taken in one of these chats or outside any chat, newest first."""
    return _select(
        cur,
        "WHERE o.customer_id = ? AND (o.chat_id IS NULL OR o.chat_id = ANY(?))"
        " ORDER BY o.created_at DESC, o.id DESC",
        [customer_id, chat_ids],
    )


# Orders a user may see: taken in a chat of a channel they see, or outside any chat for a
# customer who wrote in one of their channels. One parameter per fragment: the user's id.
IN_REACH = f"""
    (ch.id IN ({VISIBLE_CHANNEL_IDS})
     OR (o.chat_id IS NULL AND o.customer_id IN (
         SELECT ct.customer_id FROM contacts ct WHERE ct.channel_id IN ({VISIBLE_CHANNEL_IDS}))))
"""
ORDER_ROWS = """
    FROM orders o
    JOIN customers cu ON cu.id = o.customer_id
    LEFT JOIN chats c ON c.id = o.chat_id
    LEFT JOIN channels ch ON ch.id = c.channel_id
    LEFT JOIN users u ON u.id = o.manager_id
"""


def _where(user_id: int, query: OrderQuery) -> tuple[str, list[Any]]:
    conditions, params = [IN_REACH], [user_id, user_id]
    conditions.append("o.status = ANY(?)")
    params.append([s.value for s in query.statuses])
    for condition, value in (
        ("o.manager_id = ?", query.manager_id),
        ("ch.id = ?", query.channel_id),
        ("o.created_at >= ?", query.since),
        ("o.created_at < ?", query.until),
    ):
        if value is not None:
            conditions.append(condition)
            params.append(value)
    return " AND ".join(conditions), params


def list_for(cur: Cursor, user_id: int, query: OrderQuery) -> OrderList:
    """A page of orders, newest first, and the count and sum of all the filters match."""
    where, params = _where(user_id, query)
    rows = fetch_models(
        cur,
        OrderRow,
        "SELECT o.id, o.created_at, o.customer_id, cu.name AS customer_name, o.chat_id,"
        " ch.name AS channel_name, u.name AS manager_name, o.status, o.paid, o.total"
        f" {ORDER_ROWS} WHERE {where} ORDER BY o.created_at DESC, o.id DESC LIMIT ?",
        [*params, query.limit + 1],
    )
    count, total = cur.execute(
        f"SELECT count(*), COALESCE(sum(o.total) FILTER (WHERE {COUNTED}), 0)"
        f" {ORDER_ROWS} WHERE {where}",
        params,
    ).fetchone()
    return OrderList(
        rows=rows[: query.limit],
        has_more=len(rows) > query.limit,
        count=count,
        total=Decimal(total).quantize(Decimal("0.01")),
    )


def in_reach(cur: Cursor, user_id: int, order_id: int) -> bool:
    found = cur.execute(
        f"SELECT count(*) {ORDER_ROWS} WHERE o.id = ? AND {IN_REACH}", [order_id, user_id, user_id]
    ).fetchone()
    return bool(found[0])
