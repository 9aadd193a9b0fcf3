"""Leases (migration 0010): one server at a time does a named piece of work."""

from datetime import datetime

from inbox.store.connection import Cursor


def take(cur: Cursor, name: str, holder: str, now: datetime, until: datetime) -> bool:
    """Take or renew the lease; False while another holder's has not expired."""
    return (
        cur.execute(
            "INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder,"
            " expires_at = excluded.expires_at"
            " WHERE leases.holder = excluded.holder OR leases.expires_at < ? RETURNING holder",
            [name, holder, until, now],
        ).fetchone()
        is not None
    )


def let_go(cur: Cursor, name: str, holder: str) -> None:
    cur.execute("DELETE FROM leases WHERE name = ? AND holder = ?", [name, holder])
