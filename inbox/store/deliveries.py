"""The outbox of manager replies (migration 0006): what the delivery worker sends, in order per
chat, and what became of each reply."""

from datetime import datetime, timedelta

from inbox.models import Outgoing
from inbox.store import files
from inbox.store.connection import Cursor
from inbox.store.rows import fetch_model, fetch_value

UNKNOWN_AFTER_A_STOP = (
    "The server stopped while sending this reply: it may or may not have arrived."
)
# About one message a second per chat, as Telegram asks.
GAP_PER_CHAT = timedelta(seconds=1)


def enqueue(cur: Cursor, message_id: int, chat_id: int, now: datetime) -> None:
    cur.execute(
        "INSERT INTO deliveries (message_id, chat_id, state, next_try_at, updated_at)"
        " VALUES (?, ?, 'pending', ?, ?)",
        [message_id, chat_id, now, now],
    )


def due(cur: Cursor, now: datetime, kinds: list[str], limit: int) -> list[int]:
    """Replies to send now: per chat only the oldest one still on its way, and not within a
    second of the chat's last one; only for channel kinds that have a connector."""
    rows = cur.execute(
        """
        SELECT d.message_id FROM deliveries d
        JOIN chats c ON c.id = d.chat_id JOIN channels ch ON ch.id = c.channel_id
        WHERE d.state = 'pending' AND d.next_try_at <= ? AND ch.enabled
          AND ch.kind = ANY(?)
          AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.chat_id = d.chat_id
                          AND e.message_id < d.message_id AND e.state IN ('pending', 'sending'))
          AND NOT EXISTS (SELECT 1 FROM deliveries s WHERE s.chat_id = d.chat_id
                          AND s.state = 'sent' AND s.updated_at > ?)
        ORDER BY d.message_id LIMIT ?
        """,
        [now, kinds, now - GAP_PER_CHAT, limit],
    ).fetchall()
    return [message_id for (message_id,) in rows]


def next_try_at(cur: Cursor, kinds: list[str]) -> datetime | None:
    """When the worker has something to send next, among the channels it can send through."""
    return fetch_value(
        cur,
        "SELECT min(d.next_try_at) FROM deliveries d JOIN chats c ON c.id = d.chat_id"
        " JOIN channels ch ON ch.id = c.channel_id"
        " WHERE d.state = 'pending' AND ch.enabled AND ch.kind = ANY(?)",
        [kinds],
    )


def claim(cur: Cursor, message_id: int, now: datetime, server: str) -> Outgoing | None:
    """Mark a pending reply as on its way and return what to send; None if someone else took
    it first (the conditional update is the claim, on any engine)."""
    claimed = cur.execute(
        "UPDATE deliveries SET state = 'sending', attempts = attempts + 1, updated_at = ?,"
        " claimed_by = ? WHERE message_id = ? AND state = 'pending' RETURNING message_id",
        [now, server, message_id],
    ).fetchone()
    if claimed is None:
        return None
    outgoing = fetch_model(
        cur,
        Outgoing,
        """
        SELECT m.id AS message_id, m.chat_id, m.text, d.attempts,
               q.external_id AS reply_to_external_id, q.text AS reply_to_text,
               ct.external_id AS recipient, ch.id AS channel_id, ch.kind AS channel_kind,
               ch.settings AS channel_settings, c.last_customer_at AS customer_wrote_at,
               m.template, COALESCE(d.parts_sent, 0) AS parts_sent
        FROM deliveries d JOIN messages m ON m.id = d.message_id
        JOIN chats c ON c.id = m.chat_id JOIN contacts ct ON ct.id = c.contact_id
        JOIN channels ch ON ch.id = c.channel_id
        LEFT JOIN messages q ON q.id = m.reply_to_id
        WHERE d.message_id = ?
        """,
        [message_id],
    )
    if outgoing is not None:
        outgoing.files = files.of_reply(cur, message_id)
    return outgoing


def part_sent(cur: Cursor, message_id: int, parts_sent: int) -> None:
    cur.execute(
        "UPDATE deliveries SET parts_sent = ? WHERE message_id = ?", [parts_sent, message_id]
    )


def finish(
    cur: Cursor, message_id: int, state: str, now: datetime, error: str | None = None
) -> None:
    cur.execute(
        "UPDATE deliveries SET state = ?, error = ?, updated_at = ? WHERE message_id = ?",
        [state, error, now, message_id],
    )


def mark_delivered(cur: Cursor, message_id: int, now: datetime) -> bool:
    """The platform says the reply reached the customer's phone. True when that is news."""
    return (
        cur.execute(
            "UPDATE deliveries SET delivered_at = ? WHERE message_id = ? AND state = 'sent'"
            " AND delivered_at IS NULL RETURNING message_id",
            [now, message_id],
        ).fetchone()
        is not None
    )


def fail_after_sending(cur: Cursor, message_id: int, reason: str, now: datetime) -> bool:
    """The platform took the reply, then could not deliver it: it failed, with its reason,
    and Retry sends it again. True when that is news."""
    return (
        cur.execute(
            "UPDATE deliveries SET state = 'failed', error = ?, updated_at = ?"
            " WHERE message_id = ? AND state IN ('sending', 'sent', 'unknown')"
            " RETURNING message_id",
            [reason, now, message_id],
        ).fetchone()
        is not None
    )


def try_again_at(cur: Cursor, message_id: int, when: datetime, reason: str, now: datetime) -> None:
    cur.execute(
        "UPDATE deliveries SET state = 'pending', next_try_at = ?, error = ?, updated_at = ?"
        " WHERE message_id = ?",
        [when, reason, now, message_id],
    )


def retry(cur: Cursor, message_id: int, now: datetime) -> bool:
    """A manager asked to send a failed (or unknown) reply again."""
    return (
        cur.execute(
            "UPDATE deliveries SET state = 'pending', attempts = 0, next_try_at = ?, error = NULL,"
            " updated_at = ? WHERE message_id = ? AND state IN ('failed', 'unknown')"
            " RETURNING message_id",
            [now, now, message_id],
        ).fetchone()
        is not None
    )


def in_flight_of_stopped_servers(cur: Cursor, live_servers: list[str]) -> list[tuple[int, int]]:
    """(message id, chat id) of replies claimed by a server that is not running."""
    return cur.execute(
        "SELECT message_id, chat_id FROM deliveries"
        " WHERE state = 'sending' AND (claimed_by IS NULL OR NOT claimed_by = ANY(?))",
        [live_servers],
    ).fetchall()


def abandon(cur: Cursor, message_id: int, now: datetime) -> bool:
    """A reply its server stopped sending: its fate is unknown. False if it moved on since."""
    return (
        cur.execute(
            "UPDATE deliveries SET state = 'unknown', error = ?, updated_at = ?"
            " WHERE message_id = ? AND state = 'sending' RETURNING message_id",
            [UNKNOWN_AFTER_A_STOP, now, message_id],
        ).fetchone()
        is not None
    )


def unanswered_in(
    cur: Cursor, channel_id: int, sent_after: datetime, sent_before: datetime
) -> list[tuple[str, str]]:
    """Contacts of open chats in a channel whose last message is a manager's reply delivered
    between the given times: (external id, name). The demo's customers answer these, and not
    the automatic answers (a greeting answered "Ok, then I'll take it" made no sense)."""
    return cur.execute(
        """
        SELECT ct.external_id, ct.display_name FROM chats c
        JOIN contacts ct ON ct.id = c.contact_id
        WHERE c.channel_id = ? AND c.state = 'open' AND EXISTS (
            SELECT 1 FROM deliveries d JOIN messages r ON r.id = d.message_id
            WHERE d.chat_id = c.id AND d.state = 'sent' AND r.automatic IS NOT TRUE
              AND d.updated_at > ? AND d.updated_at < ?
              AND d.message_id > (SELECT COALESCE(max(m.id), 0) FROM messages m
                                  WHERE m.chat_id = c.id AND m.kind = 'customer'))
        ORDER BY c.id LIMIT 10
        """,
        [channel_id, sent_after, sent_before],
    ).fetchall()
