from datetime import datetime

from inbox.models import User
from inbox.store.connection import Cursor

USER_FIELDS = ("id", "login", "name", "role", "avatar", "active")


def insert(cur: Cursor, session_id: str, user_id: int, now: datetime, expires: datetime) -> None:
    cur.execute(
        "INSERT INTO login_sessions (id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
        [session_id, user_id, now, expires],
    )


def active_user(cur: Cursor, session_id: str, now: datetime) -> tuple[User, datetime] | None:
    """The session's user, if the session and the user are active, and when it expires."""
    row = cur.execute(
        "SELECT u.id, u.login, u.name, u.role, u.avatar, u.active, s.expires_at"
        " FROM login_sessions s JOIN users u ON u.id = s.user_id"
        " WHERE s.id = ? AND s.expires_at > ? AND u.active",
        [session_id, now],
    ).fetchone()
    if row is None:
        return None
    *user, expires_at = row
    return User(**dict(zip(USER_FIELDS, user, strict=True))), expires_at


def delete(cur: Cursor, session_id: str) -> None:
    cur.execute("DELETE FROM login_sessions WHERE id = ?", [session_id])


def delete_expired(cur: Cursor, now: datetime) -> None:
    cur.execute("DELETE FROM login_sessions WHERE expires_at <= ?", [now])


def delete_for_user(cur: Cursor, user_id: int) -> None:
    """Every login of this user ends: their open pages show the login at the next refresh."""
    cur.execute("DELETE FROM login_sessions WHERE user_id = ?", [user_id])
