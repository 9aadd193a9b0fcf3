from datetime import datetime

from inbox.models import Role, User
from inbox.store.access import VISIBLE_CHANNEL_IDS
from inbox.store.connection import Cursor
from inbox.store.rows import fetch_model, fetch_models, fetch_value

_COLUMNS = "id, login, name, role, avatar, active"


def insert(
    cur: Cursor,
    login: str,
    name: str,
    role: Role,
    password_hash: str,
    avatar: str | None,
    now: datetime,
) -> User:
    return fetch_model(
        cur,
        User,
        "INSERT INTO users (login, name, role, password_hash, avatar, created_at)"
        f" VALUES (?, ?, ?, ?, ?, ?) RETURNING {_COLUMNS}",
        [login, name, role.value, password_hash, avatar, now],
    )


def get(cur: Cursor, user_id: int) -> User | None:
    return fetch_model(cur, User, f"SELECT {_COLUMNS} FROM users WHERE id = ?", [user_id])


def get_by_login(cur: Cursor, login: str) -> User | None:
    return fetch_model(
        cur, User, f"SELECT {_COLUMNS} FROM users WHERE lower(login) = lower(?)", [login]
    )


def password_hash(cur: Cursor, user_id: int) -> str | None:
    return fetch_value(cur, "SELECT password_hash FROM users WHERE id = ?", [user_id])


def list_with_channel_access(cur: Cursor, channel_id: int) -> list[User]:
    """Active users who may be made responsible for a chat of this channel."""
    return fetch_models(
        cur,
        User,
        f"SELECT {_COLUMNS} FROM users u WHERE u.active AND (u.role = 'admin' OR EXISTS ("
        " SELECT 1 FROM channel_access a WHERE a.user_id = u.id AND a.channel_id = ?))"
        " ORDER BY name, id",
        [channel_id],
    )


def list_sharing_channels_with(cur: Cursor, user_id: int) -> list[User]:
    """Active users who see at least one channel this user sees."""
    return fetch_models(
        cur,
        User,
        f"SELECT {_COLUMNS} FROM users u WHERE u.active AND ("
        f" (u.role = 'admin' AND EXISTS ({VISIBLE_CHANNEL_IDS}))"
        " OR u.id IN (SELECT a.user_id FROM channel_access a"
        f"  WHERE a.channel_id IN ({VISIBLE_CHANNEL_IDS}))) ORDER BY name, id",
        [user_id, user_id],
    )


def list_all(cur: Cursor) -> list[User]:
    return fetch_models(cur, User, f"SELECT {_COLUMNS} FROM users ORDER BY active DESC, name, id")


def count_active_admins(cur: Cursor) -> int:
    return fetch_value(cur, "SELECT count(*) FROM users WHERE active AND role = 'admin'")


def set_role(cur: Cursor, user_id: int, role: Role) -> None:
    cur.execute("UPDATE users SET role = ? WHERE id = ?", [role.value, user_id])


def set_active(cur: Cursor, user_id: int, active: bool) -> None:
    cur.execute("UPDATE users SET active = ? WHERE id = ?", [active, user_id])


def set_password_hash(cur: Cursor, user_id: int, password_hash: str) -> None:
    cur.execute("UPDATE users SET password_hash = ? WHERE id = ?", [password_hash, user_id])
