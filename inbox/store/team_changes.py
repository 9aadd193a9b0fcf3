"""The record of changes to the team: who did what to whom, and when."""

from datetime import datetime

from inbox.models import TeamChange
from inbox.store.connection import Cursor
from inbox.store.rows import fetch_models


def record(
    cur: Cursor,
    actor_id: int,
    user_id: int,
    action: str,
    summary: str,
    now: datetime,
    channel_id: int | None = None,
) -> None:
    cur.execute(
        "INSERT INTO team_changes (actor_id, user_id, channel_id, action, summary, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [actor_id, user_id, channel_id, action, summary, now],
    )


def recent(cur: Cursor, limit: int) -> list[TeamChange]:
    return fetch_models(
        cur,
        TeamChange,
        "SELECT t.id, t.action, u.name AS actor_name, t.summary, t.created_at"
        " FROM team_changes t JOIN users u ON u.id = t.actor_id ORDER BY t.id DESC LIMIT ?",
        [limit],
    )
