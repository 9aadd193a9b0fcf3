"""Secrets the app servers share (migration 0009); never shown, never logged."""

from inbox.store.connection import Cursor
from inbox.store.rows import fetch_value


def get_or_add(cur: Cursor, name: str, value: str) -> str:
    """The stored value, or this one if none was stored: the first server to ask makes it."""
    cur.execute(
        "INSERT INTO app_secrets (name, value) VALUES (?, ?) ON CONFLICT DO NOTHING", [name, value]
    )
    return fetch_value(cur, "SELECT value FROM app_secrets WHERE name = ?", [name])


def put(cur: Cursor, name: str, value: str) -> None:
    cur.execute(
        "INSERT INTO app_secrets (name, value) VALUES (?, ?)"
        " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        [name, value],
    )
