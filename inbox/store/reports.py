"""Order totals for Reports, aggregated in SQL: by customer, channel, manager, period, the
chat's responsible manager, and first-response times. Cancelled orders never count. Every
query takes the user's id (what they may see) and a [since, until) range of naive UTC times."""

from datetime import datetime
from typing import Any

from inbox.models import ReportRow, ResponseTime
from inbox.store.access import VISIBLE_CHANNEL_IDS
from inbox.store.connection import Cursor
from inbox.store.orders import COUNTED, IN_REACH, ORDER_ROWS
from inbox.store.rows import fetch_models

GRAINS = {"day": "day", "week": "week", "month": "month"}
TOP = 20


def _in_range(column: str, since: datetime | None, until: datetime | None):
    """A [since, until) condition on a time column, either end open when None."""
    conditions, params = ["TRUE"], []
    if since is not None:
        conditions.append(f"{column} >= ?")
        params.append(since)
    if until is not None:
        conditions.append(f"{column} < ?")
        params.append(until)
    return " AND ".join(conditions), params


def _range(since: datetime | None, until: datetime | None) -> tuple[str, list[Any]]:
    where, params = _in_range("o.created_at", since, until)
    return f"{COUNTED} AND {where}", params


def _totals(
    cur: Cursor, user_id: int, label: str, since, until, order: str, limit: int | None = None
) -> list[ReportRow]:
    where, params = _range(since, until)
    return fetch_models(
        cur,
        ReportRow,
        f"SELECT {label} AS label, count(*) AS orders, sum(o.total) AS total"
        f" {ORDER_ROWS} WHERE {IN_REACH} AND {where} GROUP BY 1 ORDER BY {order}"
        + (f" LIMIT {int(limit)}" if limit else ""),
        [user_id, user_id, *params],
    )


def by_customer(cur: Cursor, user_id: int, since, until) -> list[ReportRow]:
    return _totals(cur, user_id, "cu.name", since, until, "total DESC, label", TOP)


def by_channel(cur: Cursor, user_id: int, since, until) -> list[ReportRow]:
    """By the channel of the chat the order was taken in."""
    return _totals(cur, user_id, "COALESCE(ch.name, 'No chat')", since, until, "total DESC, label")


def by_manager(cur: Cursor, user_id: int, since, until) -> list[ReportRow]:
    """By the manager who took the order."""
    label = "COALESCE(u.name, 'Nobody')"
    return _totals(cur, user_id, label, since, until, "total DESC, label")


def by_responsible(cur: Cursor, user_id: int, since, until) -> list[ReportRow]:
    """By the manager responsible for the chat the order came from, today."""
    label = (
        "CASE WHEN o.chat_id IS NULL THEN 'No chat'"
        " ELSE COALESCE((SELECT r.name FROM users r WHERE r.id = c.assignee_id), 'Unassigned') END"
    )
    return _totals(cur, user_id, label, since, until, "total DESC, label")


def by_period(cur: Cursor, user_id: int, since, until, grain: str) -> list[ReportRow]:
    """Per day, week (from Monday) or month, oldest first; the label is the period's start."""
    label = f"CAST(CAST(date_trunc('{GRAINS[grain]}', o.created_at) AS DATE) AS VARCHAR)"
    return _totals(cur, user_id, label, since, until, "label")


def first_responses(cur: Cursor, user_id: int, since, until) -> list[ResponseTime]:
    """For chats whose customer first wrote in the range: who answered first and how soon."""
    where, params = _in_range("f.asked_at", since, until)
    return fetch_models(
        cur,
        ResponseTime,
        f"""
        WITH firsts AS (
            SELECT m.chat_id,
                   min(m.created_at) FILTER (WHERE m.kind = 'customer') AS asked_at,
                   (array_agg(m.author_id ORDER BY m.id)
                       FILTER (WHERE m.kind = 'manager'))[1] AS replier_id,
                   min(m.created_at) FILTER (WHERE m.kind = 'manager') AS answered_at
            FROM messages m JOIN chats c ON c.id = m.chat_id
            WHERE c.channel_id IN ({VISIBLE_CHANNEL_IDS})
            GROUP BY m.chat_id)
        SELECT u.name AS manager, count(*) AS chats,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY f.waited) AS median_seconds,
               avg(f.waited) AS average_seconds
        FROM (SELECT *, CAST(extract(epoch FROM answered_at - asked_at) AS DOUBLE PRECISION)
                        AS waited FROM firsts) f
        JOIN users u ON u.id = f.replier_id
        WHERE f.answered_at >= f.asked_at AND {where}
        GROUP BY u.name ORDER BY median_seconds, u.name
        """,
        [user_id, *params],
    )
