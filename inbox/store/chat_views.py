"""Up to which message each user has seen each chat (SPEC C10: a dot for news since)."""

from inbox.store.access import VISIBLE_CHANNEL_IDS
from inbox.store.connection import Cursor


def mark(cur: Cursor, user_id: int, chat_id: int, message_id: int) -> bool:
    """Seen up to this message; never back to an earlier one (a page drawn before). False when
    the user may not see the chat: nothing is marked. One statement, access and all: the
    Chats page marks a chat at most runs that open one."""
    return bool(
        cur.execute(
            "INSERT INTO chat_views (user_id, chat_id, seen_message_id)"
            " SELECT ?, c.id, ? FROM chats c"
            f" WHERE c.id = ? AND c.channel_id IN ({VISIBLE_CHANNEL_IDS})"
            " ON CONFLICT (user_id, chat_id) DO UPDATE"
            " SET seen_message_id = greatest(chat_views.seen_message_id,"
            " excluded.seen_message_id) RETURNING chat_id",
            [user_id, message_id, chat_id, user_id],
        ).fetchall()
    )


def seen_up_to(cur: Cursor, user_id: int, chat_ids: list[int]) -> dict[int, int]:
    if not chat_ids:
        return {}
    return dict(
        cur.execute(
            "SELECT chat_id, seen_message_id FROM chat_views"
            " WHERE user_id = ? AND chat_id = ANY(?)",
            [user_id, chat_ids],
        ).fetchall()
    )
