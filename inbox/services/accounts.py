"""Users, channels and who may see which channel."""

from datetime import datetime
from typing import Any

from inbox.errors import InvalidInput, NotFound
from inbox.models import Channel, ChannelKind, Role, User
from inbox.passwords import MIN_LENGTH, hash_password, verify_password
from inbox.services.common import now_or_utc, require_admin, require_text
from inbox.store import Store, access, channels, users


def create_user(
    store: Store,
    login: str,
    name: str,
    password: str,
    role: Role = Role.MANAGER,
    avatar: str | None = None,
    now: datetime | None = None,
) -> User:
    login = require_text(login, "Login", 100).lower()
    name = require_text(name, "Name", 200)
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"A password needs at least {MIN_LENGTH} characters.")
    password_hash = hash_password(password)
    with store.write() as cur:
        if users.get_by_login(cur, login) is not None:
            raise InvalidInput(f"The login {login!r} is taken.")
        return users.insert(cur, login, name, role, password_hash, avatar, now_or_utc(now))


def authenticate(store: Store, login: str, password: str) -> User | None:
    """The active user with this login and password, or None; the caller says no more than that."""
    with store.read() as cur:
        user = users.get_by_login(cur, login.strip())
        stored_hash = users.password_hash(cur, user.id) if user else None
    if not verify_password(stored_hash, password) or user is None or not user.active:
        return None
    return user


def create_channel(
    store: Store,
    actor: User,
    kind: ChannelKind,
    name: str,
    icon: str,
    settings: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> Channel:
    require_admin(actor)
    name = require_text(name, "Channel name", 100)
    with store.write() as cur:
        return channels.insert(cur, kind, name, icon, settings or {}, now_or_utc(now))


def configure_channel(store: Store, actor: User, channel_id: int, **changes: Any) -> None:
    """Change some of a channel's settings (token, secret, callback URL, …), keeping the rest."""
    require_admin(actor)
    with store.write() as cur:
        current = channels.settings(cur, channel_id)
        if current is None:
            raise NotFound("No such channel.")
        channels.update_settings(cur, channel_id, {**current, **changes})


def _require_user_and_channel(cur, user_id: int, channel_id: int) -> None:
    if users.get(cur, user_id) is None:
        raise NotFound("No such user.")
    if channels.get(cur, channel_id) is None:
        raise NotFound("No such channel.")


def grant_access(store: Store, actor: User, user_id: int, channel_id: int) -> None:
    require_admin(actor)
    with store.write() as cur:
        _require_user_and_channel(cur, user_id, channel_id)
        access.grant(cur, user_id, channel_id)


def revoke_access(store: Store, actor: User, user_id: int, channel_id: int) -> None:
    require_admin(actor)
    with store.write() as cur:
        _require_user_and_channel(cur, user_id, channel_id)
        access.revoke(cur, user_id, channel_id)


def get_active_user(store: Store, user_id: int) -> User | None:
    with store.read() as cur:
        user = users.get(cur, user_id)
    return user if user is not None and user.active else None
