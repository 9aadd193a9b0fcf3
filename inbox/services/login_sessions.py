"""Browser logins that survive a page reload: a signed session id in a cookie.

The cookie value is `<id>.<signature>`. The signature (HMAC-SHA256 with a key kept beside the
database, never in git) lets a forged cookie be refused without a query; the stored row lets
logout and deactivation end a session at once.
"""

import functools
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from inbox import signing
from inbox.models import User
from inbox.services.common import now_or_utc
from inbox.settings import load_settings
from inbox.store import Store, app_secrets, get_store, login_sessions

COOKIE_NAME = "inbox_session"
LIFETIME = timedelta(days=14)


SESSION_KEY = "session_key"  # its name in app_secrets


def app_key() -> bytes:
    """The signing key of the app's database: in its file beside DuckDB's, or in PostgreSQL,
    where every app server on the database finds the same one."""
    settings = load_settings()
    if settings.database_url:
        return stored_key(get_store(settings.database_url))
    return session_key(settings.session_key_path)


@functools.cache
def session_key(path: Path) -> bytes:
    """The signing key for this process, read once."""
    return load_or_create_key(path)


@functools.cache
def stored_key(store: Store) -> bytes:
    """The key kept in the database, made by the first server that asks; read once."""
    with store.write(shown=False) as cur:
        return bytes.fromhex(
            app_secrets.get_or_add(cur, SESSION_KEY, secrets.token_bytes(32).hex())
        )


def load_or_create_key(path: Path) -> bytes:
    """The signing key, made on first start and readable by this user only."""
    if path.exists():
        return bytes.fromhex(path.read_text().strip())
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    path.touch(mode=0o600)
    path.write_text(key.hex())
    return key


def _verified_id(key: bytes, cookie: str | None) -> str | None:
    if not cookie or cookie.count(".") != 1:
        return None
    session_id, signature = cookie.split(".")
    return session_id if signing.matches(key, session_id, signature) else None


def is_signed(key: bytes, cookie: str | None) -> bool:
    """The cookie is one we issued (it may have ended since); checked without a query."""
    return _verified_id(key, cookie) is not None


def start_session(store: Store, key: bytes, user: User, now: datetime | None = None) -> str:
    """Record a login and return the cookie value for it."""
    now = now_or_utc(now)
    session_id = secrets.token_urlsafe(24)
    with store.write(shown=False) as cur:  # a login changes no page; a logout does
        login_sessions.delete_expired(cur, now)
        login_sessions.insert(cur, session_id, user.id, now, now + LIFETIME)
    return f"{session_id}.{signing.sign(key, session_id)}"


def session_for_cookie(
    store: Store, key: bytes, cookie: str | None, now: datetime | None = None
) -> tuple[User, datetime] | None:
    """The logged-in user and when their session expires, or None."""
    session_id = _verified_id(key, cookie)
    if session_id is None:
        return None
    with store.read() as cur:
        return login_sessions.active_user(cur, session_id, now_or_utc(now))


def user_for_cookie(
    store: Store, key: bytes, cookie: str | None, now: datetime | None = None
) -> User | None:
    found = session_for_cookie(store, key, cookie, now)
    return found[0] if found else None


def end_session(store: Store, key: bytes, cookie: str | None) -> None:
    session_id = _verified_id(key, cookie)
    if session_id is not None:
        with store.write() as cur:
            login_sessions.delete(cur, session_id)
