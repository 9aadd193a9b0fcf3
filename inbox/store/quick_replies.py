"""The team's saved answers (migration 0026)."""

from datetime import datetime

from inbox.models import QuickReply
from inbox.store.connection import Cursor
from inbox.store.rows import fetch_model, fetch_models

_SELECT = (
    "SELECT q.id, q.title, q.text, u.name AS changed_by_name, q.changed_at"
    " FROM quick_replies q LEFT JOIN users u ON u.id = q.changed_by"
)


def list_all(cur: Cursor) -> list[QuickReply]:
    return fetch_models(cur, QuickReply, f"{_SELECT} ORDER BY lower(q.title), q.id")


def get(cur: Cursor, reply_id: int) -> QuickReply | None:
    return fetch_model(cur, QuickReply, f"{_SELECT} WHERE q.id = ?", [reply_id])


def insert(cur: Cursor, title: str, text: str, user_id: int, now: datetime) -> int:
    return cur.execute(
        "INSERT INTO quick_replies (title, text, changed_by, changed_at) VALUES (?, ?, ?, ?)"
        " RETURNING id",
        [title, text, user_id, now],
    ).fetchone()[0]


def update(cur: Cursor, reply_id: int, title: str, text: str, user_id: int, now: datetime) -> None:
    cur.execute(
        "UPDATE quick_replies SET title = ?, text = ?, changed_by = ?, changed_at = ? WHERE id = ?",
        [title, text, user_id, now, reply_id],
    )


def delete(cur: Cursor, reply_id: int) -> None:
    cur.execute("DELETE FROM quick_replies WHERE id = ?", [reply_id])
