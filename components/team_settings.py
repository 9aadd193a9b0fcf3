"""Settings → Users and access: add a user, change one, and the channel × manager grid."""

from zoneinfo import ZoneInfo

import streamlit as st

from components import actions, session, state
from components.formatting import full_time, markdown_plain
from inbox.models import Role, Team, User
from inbox.services import accounts, team

ROLES = {"Manager": Role.MANAGER, "Admin": Role.ADMIN}
NEW_USER_FIELDS = ("new-user-login", "new-user-name", "new-user-avatar", "new-user-password")


def _add_user() -> None:
    values = st.session_state
    login, name, avatar, password = (values[key] for key in NEW_USER_FIELDS)
    role = ROLES[values["new-user-role"]]
    if actions.run(
        lambda: accounts.create_user(
            session.store(), login, name, password, role, avatar, actor=actions.actor()
        ),
        f"{name.strip()} can log in now",
    ):
        for key in NEW_USER_FIELDS:
            values[key] = ""
    values["new-user-password"] = ""  # never kept in the page, whatever happened


def render_add_user() -> None:
    with st.expander("Add a user"):
        with st.form("add-user", border=False):
            login, name = st.columns(2)
            login.text_input("Login", key="new-user-login", max_chars=100)
            name.text_input("Name", key="new-user-name", max_chars=200)
            avatar, role = st.columns(2)
            avatar.text_input("Avatar (an emoji)", key="new-user-avatar", max_chars=8)
            role.selectbox("Role", list(ROLES), key="new-user-role")
            st.text_input("Initial password (8 characters or more)", key="new-user-password",
                          type="password", max_chars=200)  # fmt: skip
            st.form_submit_button("Add user", on_click=_add_user, type="primary")


def _set_role(user_id: int) -> None:
    key = f"user-role-{user_id}"
    role = ROLES[st.session_state[key]]
    if not actions.run(
        lambda: team.set_role(session.store(), actions.actor(), user_id, role), "Role changed"
    ):
        state.undo_widget(key)


def _set_active(user_id: int) -> None:
    key = f"user-active-{user_id}"
    active = st.session_state[key]
    if not actions.run(
        lambda: team.set_active(session.store(), actions.actor(), user_id, active),
        "Active again" if active else "Deactivated: their open pages show the login",
    ):
        st.session_state[key] = not active


def _reset_password(user_id: int) -> None:
    key = f"user-password-{user_id}"
    password = st.session_state[key]
    st.session_state[key] = ""  # write-only
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
            role_key, active_key = f"user-role-{user.id}", f"user-active-{user.id}"
            state.sync_widget(role_key, "Admin" if user.is_admin else "Manager")
            state.sync_widget(active_key, user.active)
            role, active = st.columns([2, 1], vertical_alignment="bottom")
            role.selectbox("Role", list(ROLES), key=role_key, on_change=_set_role,
                           args=(user.id,))  # fmt: skip
            active.toggle("Active", key=active_key, on_change=_set_active, args=(user.id,),
                          help="A deactivated user is logged out and cannot log in.")  # fmt: skip
            password, button = st.columns([2, 1], vertical_alignment="bottom")
            password.text_input("New password", key=f"user-password-{user.id}",
                                type="password", max_chars=200)  # fmt: skip
            button.button("Reset password", key=f"reset-password-{user.id}",
                          on_click=_reset_password, args=(user.id,))  # fmt: skip


def _set_access(user_id: int, channel_id: int) -> None:
    key = f"access-{user_id}-{channel_id}"
    allowed = st.session_state[key]
    change = accounts.grant_access if allowed else accounts.revoke_access
    if not actions.run(
        lambda: change(session.store(), actions.actor(), user_id, channel_id),
        "Access given" if allowed else "Access taken away",
    ):
        st.session_state[key] = not allowed


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
            key = f"access-{manager.id}-{channel.id}"
            state.sync_widget(key, overview.granted(manager.id, channel.id))
            cell.checkbox(f"{manager.name} sees {channel.name}", key=key,
                          label_visibility="collapsed", on_change=_set_access,
                          args=(manager.id, channel.id))  # fmt: skip
    st.caption("Administrators see every channel. A change shows at the manager's next refresh.")


def render_changes(overview: Team, zone: ZoneInfo) -> None:
    st.markdown("**Recent changes**")
    if not overview.changes:
        st.caption("No change yet.")
    for change in overview.changes:
        when = full_time(change.created_at, zone)
        st.caption(markdown_plain(f"{when} · {change.actor_name} {change.summary}"))
