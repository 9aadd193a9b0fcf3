"""What the website widget needs of the store: how far a customer has read a chat, and the
page a visitor wrote from."""

from datetime import datetime
from typing import Any

from inbox.models import VisitorPage
from inbox.store.connection import Cursor
from inbox.store.rows import fetch_model


def read_up_to(cur: Cursor, chat_id: int) -> int:
    """The last message the customer has read in the chat (0: none yet)."""
    found = cur.execute(
        "SELECT message_id FROM customer_reads WHERE chat_id = ?", [chat_id]
    ).fetchone()
    return found[0] if found else 0


def mark_read(cur: Cursor, chat_id: int, message_id: int, now: datetime) -> bool:
    """Move the chat's read mark forward to `message_id`; never back. True when it moved."""
    if message_id <= read_up_to(cur, chat_id):
        return False
    cur.execute(
        "INSERT INTO customer_reads (chat_id, message_id, read_at) VALUES (?, ?, ?)"
        " ON CONFLICT (chat_id) DO UPDATE SET message_id = excluded.message_id,"
        " read_at = excluded.read_at",
        [chat_id, message_id, now],
    )
    return True


def record_page(cur: Cursor, contact_id: int, url: str, title: str, now: datetime) -> None:
    cur.execute(
        "INSERT INTO visitor_pages (contact_id, url, title, seen_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (contact_id) DO UPDATE SET url = excluded.url, title = excluded.title,"
        " seen_at = excluded.seen_at",
        [contact_id, url, title, now],
    )


def page_of(cur: Cursor, contact_id: int) -> VisitorPage | None:
    """The page the visitor last wrote from."""
    return fetch_model(
        cur, VisitorPage, "SELECT url, title, seen_at FROM visitor_pages WHERE contact_id = ?",
        [contact_id],
    )  # fmt: skip


def chat_of(cur: Cursor, channel_id: int, visitor_id: str) -> int | None:
    """The visitor's chat in the channel, if they have written."""
    found = cur.execute(
        "SELECT c.id FROM contacts k JOIN chats c ON c.contact_id = k.id"
        " WHERE k.channel_id = ? AND k.external_id = ?",
        [channel_id, visitor_id],
    ).fetchone()
    return found[0] if found else None


def conversation(cur: Cursor, chat_id: int, after: int, limit: int) -> list[dict[str, Any]]:
    """What the visitor sees of their chat after message `after`: their messages and the
    managers' replies, with each reply's delivery state (never notes or system lines)."""
    cur.execute(
        """
        SELECT m.id, m.kind, u.name AS author_name, m.text, m.created_at, d.state
        FROM messages m LEFT JOIN users u ON u.id = m.author_id
        LEFT JOIN deliveries d ON d.message_id = m.id
        WHERE m.chat_id = ? AND m.id > ? AND m.kind IN ('customer', 'manager')
        ORDER BY m.id LIMIT ?
        """,
        [chat_id, after, limit],
    )
    columns = ("id", "kind", "author_name", "text", "created_at", "state")
    return [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]


def file_of(cur: Cursor, chat_id: int, file_id: int) -> tuple | None:
    """(id, kind, name, type, bytes) of a file of a message in this chat that its visitor sees
    (theirs, or a reply on its way or past it); None for any other."""
    found = cur.execute(
        """
        SELECT f.id, f.kind, f.file_name, f.mime_type, k.body FROM channel_files f
        JOIN messages m ON m.id = f.message_id JOIN kept_files k ON k.file_id = f.id
        LEFT JOIN deliveries d ON d.message_id = m.id
        WHERE f.id = ? AND m.chat_id = ? AND m.kind IN ('customer', 'manager')
          AND (d.state IS NULL OR d.state NOT IN ('pending', 'sending'))
        """,
        [file_id, chat_id],
    ).fetchone()
    return None if found is None else (*found[:4], bytes(found[4]))
