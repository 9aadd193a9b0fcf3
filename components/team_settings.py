"""Settings → Users and access: add a user, change one, and the channel × manager grid."""

from zoneinfo import ZoneInfo

import streamlit as st

from components import actions, session, state
from components.callbacks import callback
from components.formatting import full_time, markdown_plain
from inbox.models import Role, Team, User
from inbox.services import accounts, team

ROLES = {"Manager": Role.MANAGER, "Admin": Role.ADMIN}
NEW_USER = "new-user"  # the form's fields, emptied together (state.renew)
NEW_PASSWORD = "new-user-password"  # never kept in the page, whatever happened


def _new_user_key(field: str) -> str:
    return state.group_key(NEW_USER, field)


@callback
def _add_user() -> None:
    values = st.session_state
    login, name, avatar = (values[_new_user_key(f)] for f in ("login", "name", "avatar"))
    password = values[state.group_key(NEW_PASSWORD, "password")]
    role = ROLES[values[_new_user_key("role")]]
    if actions.run(
        lambda: accounts.create_user(
            session.store(), login, name, password, role, avatar, actor=actions.actor()
        ),
        f"{name.strip()} can log in now",
    ):
        state.renew(NEW_USER)
    state.renew(NEW_PASSWORD)


def render_add_user() -> None:
    with st.expander("Add a user"):
        with st.form("add-user", border=False):
            login, name = st.columns(2)
            login.text_input("Login", key=_new_user_key("login"), max_chars=100)
            name.text_input("Name", key=_new_user_key("name"), max_chars=200)
            avatar, role = st.columns(2)
            avatar.text_input("Avatar (an emoji)", key=_new_user_key("avatar"), max_chars=8)
            role.selectbox("Role", list(ROLES), key=_new_user_key("role"))
            st.text_input("Initial password (8 characters or more)",
                          key=state.group_key(NEW_PASSWORD, "password"), type="password",
                          max_chars=200)  # fmt: skip
            st.form_submit_button("Add user", on_click=_add_user, type="primary")


@callback
def _set_role(user_id: int, key: str, drawn: Role) -> None:
    role = ROLES[st.session_state[key]]
    actions.change(
        f"user-role-{user_id}",
        lambda: team.set_role(session.store(), actions.actor(), user_id, role, drawn=drawn),
        "Role changed",
    )


@callback
def _set_active(user_id: int, key: str, drawn: bool) -> None:
    active = st.session_state[key]
    actions.change(
        f"user-active-{user_id}",
        lambda: team.set_active(session.store(), actions.actor(), user_id, active, drawn=drawn),
        "Active again" if active else "Deactivated: their open pages show the login",
    )


@callback
def _reset_password(user_id: int, key: str) -> None:
    password = st.session_state.get(key, "")
    state.renew(f"user-password-{user_id}", forget=True)  # write-only
    actions.run(
        lambda: team.reset_password(session.store(), actions.actor(), user_id, password),
        "Password reset: their open sessions ended",
    )


def _user_label(user: User) -> str:
    parts = [markdown_plain(user.avatar or ""), f"**{markdown_plain(user.name)}**",
             f"· {markdown_plain(user.login)} · {user.role.value}"]  # fmt: skip
    if not user.active:
        parts.append("· deactivated")
    return " ".join(part for part in parts if part)


def render_users(people: list[User]) -> None:
    for user in people:
        with st.expander(_user_label(user)):
            role_key = state.stored_key(f"user-role-{user.id}", user.role)
            active_key = state.stored_key(f"user-active-{user.id}", user.active)
            role, active = st.columns([2, 1], vertical_alignment="bottom")
            role.selectbox("Role", list(ROLES), index=list(ROLES.values()).index(user.role),
                           key=role_key, on_change=_set_role,
                           args=(user.id, role_key, user.role))  # fmt: skip
            active.toggle("Active", value=user.active, key=active_key, on_change=_set_active,
                          args=(user.id, active_key, user.active),
                          help="A deactivated user is logged out and cannot log in.")  # fmt: skip
            password, button = st.columns([2, 1], vertical_alignment="bottom")
            password_key = state.stored_key(f"user-password-{user.id}")
            password.text_input("New password", key=password_key, type="password",
                                max_chars=200)  # fmt: skip
            button.button("Reset password", key=f"reset-password-{user.id}",
                          on_click=_reset_password, args=(user.id, password_key))  # fmt: skip


@callback
def _set_access(user_id: int, channel_id: int, key: str, drawn: bool) -> None:
    allowed = st.session_state[key]
    change = accounts.grant_access if allowed else accounts.revoke_access
    actions.change(
        f"access-{user_id}-{channel_id}",
        lambda: change(session.store(), actions.actor(), user_id, channel_id, drawn=drawn),
        "Access given" if allowed else "Access taken away",
    )


def render_access(overview: Team) -> None:
    st.markdown("**Who sees which channel**")
    managers = [u for u in overview.users if u.active and not u.is_admin]
    if not overview.channels or not managers:
        st.caption("Add a channel and a manager to give access.")
        return
    widths = [2] + [1] * len(overview.channels)
    header = st.columns(widths)
    header[0].caption("Manager")
    for cell, channel in zip(header[1:], overview.channels, strict=True):
        cell.caption(f"{markdown_plain(channel.icon)} {markdown_plain(channel.name)}")
    for manager in managers:
        row = st.columns(widths, vertical_alignment="center")
        row[0].markdown(markdown_plain(manager.name))
        for cell, channel in zip(row[1:], overview.channels, strict=True):
            granted = overview.granted(manager.id, channel.id)
            key = state.stored_key(f"access-{manager.id}-{channel.id}", granted)
            cell.checkbox(f"{manager.name} sees {channel.name}", value=granted, key=key,
                          label_visibility="collapsed", on_change=_set_access,
                          args=(manager.id, channel.id, key, granted))  # fmt: skip
    st.caption("Administrators see every channel. A change shows at the manager's next refresh.")


def render_changes(overview: Team, zone: ZoneInfo) -> None:
    st.markdown("**Recent changes**")
    if not overview.changes:
        st.caption("No change yet.")
    for change in overview.changes:
        when = full_time(change.created_at, zone)
        st.caption(markdown_plain(f"{when} · {change.actor_name} {change.summary}"))
