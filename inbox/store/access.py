"""Who may see which channel, as SQL that every chat query embeds.

A manager sees the channels an admin granted them; an admin sees every channel; a deactivated
user sees nothing. The fragment takes one parameter, the user's id.
"""

from inbox.store.connection import Cursor
from inbox.store.rows import fetch_value

# Joins rather than a correlated EXISTS: DuckDB plans this in half the time, and every chat
# query of a page embeds it.
VISIBLE_CHANNEL_IDS = """
    SELECT ch.id FROM channels ch JOIN users u ON u.id = ?
    LEFT JOIN channel_access a ON a.user_id = u.id AND a.channel_id = ch.id
    WHERE u.active AND (u.role = 'admin' OR a.channel_id IS NOT NULL)
"""


def can_access_channel(cur: Cursor, user_id: int, channel_id: int) -> bool:
    return bool(
        fetch_value(
            cur,
            f"SELECT count(*) FROM ({VISIBLE_CHANNEL_IDS}) v WHERE v.id = ?",
            [user_id, channel_id],
        )
    )


def has_grant(cur: Cursor, user_id: int, channel_id: int) -> bool:
    return bool(
        fetch_value(
            cur,
            "SELECT count(*) FROM channel_access WHERE user_id = ? AND channel_id = ?",
            [user_id, channel_id],
        )
    )


def grant(cur: Cursor, user_id: int, channel_id: int) -> None:
    cur.execute(
        "INSERT INTO channel_access (user_id, channel_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
        [user_id, channel_id],
    )


def revoke(cur: Cursor, user_id: int, channel_id: int) -> None:
    cur.execute(
        "DELETE FROM channel_access WHERE user_id = ? AND channel_id = ?", [user_id, channel_id]
    )


def all_grants(cur: Cursor) -> list[tuple[int, int]]:
    """(user id, channel id) for every channel granted to every user."""
    return [
        tuple(row)
        for row in cur.execute(
            "SELECT user_id, channel_id FROM channel_access ORDER BY user_id, channel_id"
        ).fetchall()
    ]
