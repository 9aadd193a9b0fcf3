"""Users, channels and who may see which channel."""

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from inbox.channels import registry
from inbox.errors import InvalidInput, NotFound
from inbox.models import Channel, Role, User
from inbox.passwords import MIN_LENGTH, hash_password, verify_password
from inbox.services.common import (
    UNCHECKED,
    now_or_utc,
    require_admin,
    require_admin_now,
    require_text,
    require_unchanged,
)
from inbox.store import Store, access, channels, team_changes, users

LOGIN = re.compile(r"[a-z0-9][a-z0-9._-]*")
MAX_PASSWORD_LENGTH = 200


def create_user(
    store: Store,
    login: str,
    name: str,
    password: str,
    role: Role = Role.MANAGER,
    avatar: str | None = None,
    now: datetime | None = None,
    actor: User | None = None,
) -> User:
    """A new user. From Settings an administrator is the actor, and the change is recorded;
    without one it is the set-up (the first admin, the demo data)."""
    if actor is not None:
        require_admin(actor)
    login = require_text(login, "Login", 100).lower()
    if not LOGIN.fullmatch(login):
        raise InvalidInput("A login is letters, digits, dots, dashes or underscores.")
    name = require_text(name, "Name", 200)
    avatar = (avatar or "").strip()[:8] or None
    check_password(password)
    password_hash = hash_password(password)
    now = now_or_utc(now)
    with store.write() as cur:
        if actor is not None:
            require_admin_now(cur, actor)
        if users.get_by_login(cur, login) is not None:
            raise InvalidInput(f"The login {login!r} is taken.")
        user = users.insert(cur, login, name, role, password_hash, avatar, now)
        if actor is not None:
            team_changes.record(
                cur, actor.id, user.id, "added", f"added {name} ({login}) as {role.value}", now
            )
        return user


def check_password(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"A password needs at least {MIN_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(f"A password has at most {MAX_PASSWORD_LENGTH} characters.")


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
    kind: str,
    name: str,
    icon: str,
    settings: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> Channel:
    """`settings` default to what the kind starts with (an HTTP channel's secret, …)."""
    require_admin(actor)
    name = require_text(name, "Channel name", 100)
    start = registry.kind(kind).start_settings() if settings is None else settings
    with store.write() as cur:
        require_admin_now(cur, actor)
        return channels.insert(cur, kind, name, icon, start, now_or_utc(now))


def configure_channel(
    store: Store,
    actor: User,
    channel_id: int,
    *,
    check: Callable[[dict[str, Any]], None] = lambda current: None,
    **changes: Any,
) -> None:
    """Change some of a channel's settings (token, secret, callback URL, …), keeping the rest.
    `check` sees the settings inside the write first, and raises to change nothing."""
    require_admin(actor)
    with store.write() as cur:
        require_admin_now(cur, actor)
        current = channels.settings(cur, channel_id)
        if current is None:
            raise NotFound("No such channel.")
        check(current)
        channels.update_settings(cur, channel_id, {**current, **changes})


def grant_access(
    store: Store,
    actor: User,
    user_id: int,
    channel_id: int,
    now: datetime | None = None,
    *,
    drawn: bool = UNCHECKED,
) -> None:
    _set_access(store, actor, user_id, channel_id, True, now, drawn)


def revoke_access(
    store: Store,
    actor: User,
    user_id: int,
    channel_id: int,
    now: datetime | None = None,
    *,
    drawn: bool = UNCHECKED,
) -> None:
    _set_access(store, actor, user_id, channel_id, False, now, drawn)


def _set_access(
    store: Store,
    actor: User,
    user_id: int,
    channel_id: int,
    allowed: bool,
    now: datetime | None,
    drawn: bool,
) -> None:
    """The manager's menu and chat list follow at their next refresh: every read checks access.
    `drawn` is whether the page showed the grant: a grid drawn before another admin's change
    does not undo it."""
    require_admin(actor)
    with store.write() as cur:
        require_admin_now(cur, actor)
        user, channel = users.get(cur, user_id), channels.get(cur, channel_id)
        if user is None:
            raise NotFound("No such user.")
        if channel is None:
            raise NotFound("No such channel.")
        granted = access.has_grant(cur, user_id, channel_id)
        if granted == allowed:
            return
        require_unchanged(
            drawn,
            granted,
            f"{user.name}'s access to {channel.name}",
            "given" if granted else "taken away",
        )
        (access.grant if allowed else access.revoke)(cur, user_id, channel_id)
        summary = (
            f"gave {user.name} access to {channel.name}"
            if allowed
            else f"took {channel.name} from {user.name}"
        )
        action = "granted" if allowed else "revoked"
        team_changes.record(cur, actor.id, user_id, action, summary, now_or_utc(now), channel_id)


def get_active_user(store: Store, user_id: int) -> User | None:
    with store.read() as cur:
        user = users.get(cur, user_id)
    return user if user is not None and user.active else None
