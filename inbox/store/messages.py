from datetime import datetime

from inbox.models import Message, MessageKind, QuotedMessage, SystemEvent
from inbox.store import files, search_index
from inbox.store.connection import Cursor
from inbox.store.rows import fetch_value

_SELECT = """
    SELECT m.id, m.chat_id, m.kind, m.author_id, u.name AS author_name, m.text, m.event,
           m.reply_to_id, m.external_id,
           CASE WHEN d.state = 'sent' AND r.message_id >= m.id THEN 'read'
                WHEN d.state = 'sent' AND d.delivered_at IS NOT NULL THEN 'delivered'
                ELSE d.state END AS delivery_state,
           d.error AS delivery_error, m.edited_at, m.sent_from, m.template,
           COALESCE(m.automatic, false) AS automatic, m.created_at
    FROM messages m LEFT JOIN users u ON u.id = m.author_id
    LEFT JOIN deliveries d ON d.message_id = m.id
    LEFT JOIN customer_reads r ON r.chat_id = m.chat_id
"""


def _select(cur: Cursor, where_and_order: str, params: list) -> list[Message]:
    """Messages with the message each one quotes and their files, fetched by key in further
    steps: a self-join would hash the whole messages table on every call."""
    cur.execute(f"{_SELECT} {where_and_order}", params)
    columns = [d[0] for d in cur.description]
    rows = [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]
    quoted_ids = list({row["reply_to_id"] for row in rows if row["reply_to_id"] is not None})
    quoted: dict[int, QuotedMessage] = {}
    if quoted_ids:
        cur.execute(
            "SELECT m.id, m.kind, u.name AS author_name, m.text FROM messages m"
            " LEFT JOIN users u ON u.id = m.author_id WHERE m.id = ANY(?)",
            [quoted_ids],
        )
        for message_id, kind, author_name, text in cur.fetchall():
            quoted[message_id] = QuotedMessage(
                id=message_id, kind=kind, author_name=author_name, text=text
            )
    attached = files.of_messages(cur, [row["id"] for row in rows])
    return [
        Message(
            **row,
            reply_to=quoted.get(row.pop("reply_to_id")),
            attachments=attached.get(row["id"], []),
        )
        for row in rows
    ]


def insert(
    cur: Cursor,
    chat_id: int,
    kind: MessageKind,
    text: str,
    now: datetime,
    author_id: int | None = None,
    event: SystemEvent | None = None,
    reply_to_id: int | None = None,
    external_id: str | None = None,
    sent_from: str | None = None,
    template: str | None = None,
    unindexed: list[tuple[int, int, str]] | None = None,
    automatic: bool | None = None,
) -> int:
    """Store a message and index its words, or leave them in `unindexed` for a caller that
    stores many messages to index at once."""
    message_id = cur.execute(
        "INSERT INTO messages (chat_id, kind, author_id, text, event, reply_to_id, external_id,"
        " sent_from, template, automatic, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [
            chat_id,
            kind.value,
            author_id,
            text,
            event.value if event else None,
            reply_to_id,
            external_id,
            sent_from,
            template,
            automatic,
            now,
        ],
    ).fetchone()[0]
    if kind == MessageKind.SYSTEM:
        return message_id
    if unindexed is not None:
        unindexed.append((message_id, chat_id, text))
    else:
        search_index.add(cur, [(message_id, chat_id, text)])
    return message_id


def find_external(cur: Cursor, chat_id: int, external_id: str) -> int | None:
    """The message the platform calls this, or the reply one of whose parts it is."""
    return fetch_value(
        cur,
        "SELECT id FROM messages WHERE chat_id = ? AND external_id = ?"
        " UNION ALL SELECT message_id FROM reply_parts WHERE external_id = ? AND chat_id = ?"
        " LIMIT 1",
        [chat_id, external_id, external_id, chat_id],
    )


def add_part(cur: Cursor, message_id: int, chat_id: int, external_id: str) -> None:
    """The platform's id for a later part of a reply sent in several (its files)."""
    cur.execute(
        "INSERT INTO reply_parts (message_id, chat_id, external_id) VALUES (?, ?, ?)",
        [message_id, chat_id, external_id],
    )


def reply_on_its_way(cur: Cursor, chat_id: int, text: str, since: datetime) -> int | None:
    """A reply of ours with this text that is being sent or whose fate is unknown: the one a
    platform's echo of it, arriving before our send has finished, is about."""
    return fetch_value(
        cur,
        "SELECT m.id FROM messages m JOIN deliveries d ON d.message_id = m.id"
        " WHERE m.chat_id = ? AND m.text = ? AND m.created_at >= ?"
        " AND d.state IN ('pending', 'sending', 'unknown') ORDER BY m.id LIMIT 1",
        [chat_id, text, since],
    )


def last_reply_before(cur: Cursor, chat_id: int, when: datetime) -> int | None:
    """Our latest reply in the chat stored by `when` (a platform's "read up to" time)."""
    return fetch_value(
        cur,
        "SELECT max(id) FROM messages WHERE chat_id = ? AND kind = 'manager' AND created_at <= ?",
        [chat_id, when],
    )


def get(cur: Cursor, message_id: int) -> Message | None:
    found = _select(cur, "WHERE m.id = ?", [message_id])
    return found[0] if found else None


def latest(cur: Cursor, chat_id: int, limit: int) -> list[Message]:
    """The chat's last messages, oldest first, as a conversation reads.

    Ordered by id, which is commit order (writes are serialised), not by created_at: a service
    takes its time before it waits for the writer lock, so two racing messages may carry times
    in the other order, and the badge counts by commit order."""
    newest_first = _select(cur, "WHERE m.chat_id = ? ORDER BY m.id DESC LIMIT ?", [chat_id, limit])
    return newest_first[::-1]


def count_since(cur: Cursor, chat_id: int, message_id: int) -> int:
    """How many of the chat's messages there are from this one on (it included)."""
    return fetch_value(
        cur, "SELECT count(*) FROM messages WHERE chat_id = ? AND id >= ?", [chat_id, message_id]
    )


def set_external_id(cur: Cursor, message_id: int, external_id: str) -> None:
    """The channel's id for a reply it took, so a later message can quote it."""
    cur.execute("UPDATE messages SET external_id = ? WHERE id = ?", [external_id, message_id])


def edit(cur: Cursor, chat_id: int, message_id: int, text: str, now: datetime) -> None:
    """The customer changed the message in the messenger: the text is replaced and marked."""
    old_text = fetch_value(cur, "SELECT text FROM messages WHERE id = ?", [message_id])
    cur.execute("UPDATE messages SET text = ?, edited_at = ? WHERE id = ?", [text, now, message_id])
    search_index.replace(cur, message_id, chat_id, old_text, text)


def last_automatic_at(cur: Cursor, chat_id: int) -> datetime | None:
    """When the inbox last answered in this chat by itself."""
    return fetch_value(
        cur, "SELECT max(created_at) FROM messages WHERE chat_id = ? AND automatic", [chat_id]
    )
