import json
from datetime import datetime
from typing import Any

from inbox.models import Channel
from inbox.store.access import VISIBLE_CHANNEL_IDS
from inbox.store.connection import Cursor
from inbox.store.rows import fetch_model, fetch_models

_COLUMNS = "id, kind, name, icon, enabled"


def insert(
    cur: Cursor,
    kind: str,
    name: str,
    icon: str,
    settings: dict[str, Any],
    now: datetime,
) -> Channel:
    return fetch_model(
        cur,
        Channel,
        "INSERT INTO channels (kind, name, icon, settings, created_at)"
        f" VALUES (?, ?, ?, ?, ?) RETURNING {_COLUMNS}",
        [kind, name, icon, json.dumps(settings), now],
    )


def get(cur: Cursor, channel_id: int) -> Channel | None:
    return fetch_model(cur, Channel, f"SELECT {_COLUMNS} FROM channels WHERE id = ?", [channel_id])


def visible_to(cur: Cursor, user_id: int) -> list[Channel]:
    return fetch_models(
        cur,
        Channel,
        f"SELECT {_COLUMNS} FROM channels WHERE id IN ({VISIBLE_CHANNEL_IDS}) ORDER BY name, id",
        [user_id],
    )


def settings(cur: Cursor, channel_id: int) -> dict[str, Any] | None:
    """The connector's configuration, secrets included: for connectors only, never for pages."""
    row = cur.execute("SELECT settings FROM channels WHERE id = ?", [channel_id]).fetchone()
    return json.loads(row[0]) if row else None


def update_settings(cur: Cursor, channel_id: int, settings: dict[str, Any]) -> None:
    cur.execute("UPDATE channels SET settings = ? WHERE id = ?", [json.dumps(settings), channel_id])


def enabled_of_kind(
    cur: Cursor, kind: str, switched_off_too: bool = False
) -> list[tuple[int, dict[str, Any]]]:
    """Enabled channels of one kind (and switched-off ones, if asked) with their settings,
    secrets included: for workers only."""
    enabled = "" if switched_off_too else "AND enabled"
    rows = cur.execute(
        f"SELECT id, settings FROM channels WHERE kind = ? {enabled} ORDER BY id", [kind]
    ).fetchall()
    return [(channel_id, json.loads(settings)) for channel_id, settings in rows]


def enabled_simulated(cur: Cursor, flag: str) -> list[int]:
    """Enabled channels whose settings carry `flag` (the demo's simulated platforms)."""
    rows = cur.execute("SELECT id, settings FROM channels WHERE enabled ORDER BY id").fetchall()
    return [channel_id for channel_id, settings in rows if json.loads(settings).get(flag)]


def overview(cur: Cursor) -> list[dict[str, Any]]:
    """Every channel with its settings and what its status shows, in one query: for the
    administrators' Settings, through a service that masks the secrets."""
    cur.execute(
        """
        SELECT ch.id, ch.kind, ch.name, ch.icon, ch.enabled, ch.settings,
               (SELECT max(c.last_customer_at) FROM chats c WHERE c.channel_id = ch.id)
                   AS last_received_at,
               (SELECT count(*) FROM deliveries d JOIN chats c ON c.id = d.chat_id
                WHERE c.channel_id = ch.id AND d.state IN ('pending', 'sending')) AS waiting,
               (SELECT d.error FROM deliveries d JOIN chats c ON c.id = d.chat_id
                WHERE c.channel_id = ch.id AND d.state = 'failed'
                ORDER BY d.updated_at DESC LIMIT 1) AS last_failure,
               (SELECT p.problem FROM channel_problems p WHERE p.channel_id = ch.id) AS poll_error
        FROM channels ch ORDER BY ch.id
        """
    )
    columns = [d[0] for d in cur.description]
    return [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]


def set_enabled(cur: Cursor, channel_id: int, enabled: bool) -> None:
    cur.execute("UPDATE channels SET enabled = ? WHERE id = ?", [enabled, channel_id])


def record_problem(cur: Cursor, channel_id: int, problem: str | None, now: datetime) -> None:
    """What went wrong receiving from the channel, or None when it works again."""
    if problem is None:
        cur.execute("DELETE FROM channel_problems WHERE channel_id = ?", [channel_id])
        return
    cur.execute(
        "INSERT INTO channel_problems (channel_id, problem, noticed_at) VALUES (?, ?, ?)"
        " ON CONFLICT (channel_id) DO UPDATE SET problem = excluded.problem,"
        " noticed_at = excluded.noticed_at",
        [channel_id, problem, now],
    )
