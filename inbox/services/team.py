"""Settings → Users and access (SPEC A1, A2, P4), for administrators: the team, and changes to
it that are recorded with who made them and when. Adding a user and granting a channel live in
`accounts`; this module holds what only Settings does.

There is always an active administrator: the last one can be neither demoted nor deactivated,
and the check runs inside the write, so two admins demoting each other at once leave one.
"""

from datetime import datetime

from inbox.errors import InvalidInput, NotFound
from inbox.models import Role, Team, User
from inbox.passwords import hash_password
from inbox.services.accounts import check_password
from inbox.services.common import (
    UNCHECKED,
    now_or_utc,
    require_admin,
    require_admin_now,
    require_unchanged,
)
from inbox.store import Store, access, channels, login_sessions, team_changes, users
from inbox.store.connection import Cursor

RECENT_CHANGES = 20
LAST_ADMIN = "The team needs an active administrator: make someone else one first."


def overview(store: Store, actor: User) -> Team:
    require_admin(actor)
    with store.read() as cur:
        return team_of(cur, actor)


def team_of(cur: Cursor, actor: User) -> Team:
    return Team(
        users=users.list_all(cur),
        channels=channels.visible_to(cur, actor.id),
        grants=access.all_grants(cur),
        changes=team_changes.recent(cur, RECENT_CHANGES),
    )


def _user(cur: Cursor, user_id: int) -> User:
    user = users.get(cur, user_id)
    if user is None:
        raise NotFound("No such user.")
    return user


def _keep_an_admin(cur: Cursor, user: User) -> None:
    """Refuse a change that takes away the last active administrator."""
    if user.is_admin and user.active and users.count_active_admins(cur) <= 1:
        raise InvalidInput(LAST_ADMIN)


def reset_password(
    store: Store, actor: User, user_id: int, password: str, now: datetime | None = None
) -> None:
    """A new password; the user's open sessions end, so only the new one logs in."""
    require_admin(actor)
    check_password(password)
    password_hash = hash_password(password)
    with store.write() as cur:
        require_admin_now(cur, actor)
        user = _user(cur, user_id)
        users.set_password_hash(cur, user_id, password_hash)
        login_sessions.delete_for_user(cur, user_id)
        summary = f"reset the password of {user.name}"
        team_changes.record(cur, actor.id, user_id, "password", summary, now_or_utc(now))


def set_role(
    store: Store,
    actor: User,
    user_id: int,
    role: Role,
    now: datetime | None = None,
    *,
    drawn: Role = UNCHECKED,
) -> None:
    """`drawn` is the role the page showed; another admin's change since stays."""
    require_admin(actor)
    role = Role(role)
    with store.write() as cur:
        require_admin_now(cur, actor)
        user = _user(cur, user_id)
        if user.role == role:
            return
        require_unchanged(drawn, user.role, f"{user.name}'s role", user.role.value)
        if role != Role.ADMIN:
            _keep_an_admin(cur, user)
        users.set_role(cur, user_id, role)
        summary = f"made {user.name} {'an admin' if role == Role.ADMIN else 'a manager'}"
        team_changes.record(cur, actor.id, user_id, "role", summary, now_or_utc(now))


def set_active(
    store: Store,
    actor: User,
    user_id: int,
    active: bool,
    now: datetime | None = None,
    *,
    drawn: bool = UNCHECKED,
) -> None:
    """Deactivating ends the user's sessions at once: their open pages show the login at the
    next refresh, and they cannot log in again. Their chats and history stay."""
    require_admin(actor)
    with store.write() as cur:
        require_admin_now(cur, actor)
        user = _user(cur, user_id)
        if user.active == active:
            return
        require_unchanged(
            drawn,
            user.active,
            f"Whether {user.name} is active",
            "active" if user.active else "deactivated",
        )
        if not active:
            _keep_an_admin(cur, user)
            login_sessions.delete_for_user(cur, user_id)
        users.set_active(cur, user_id, active)
        summary = f"{'reactivated' if active else 'deactivated'} {user.name}"
        team_changes.record(cur, actor.id, user_id, "active", summary, now_or_utc(now))
