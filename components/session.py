"""Who is logged in: every script run is authorised by its own connection's login cookie."""

from urllib.parse import urlencode

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from components import state
from components.formatting import html_plain
from inbox.clock import utc_now
from inbox.models import Channel, User
from inbox.services import login_sessions, reads
from inbox.store import Store, app_store
from inbox.web import session_owners

SESSION_ENDED = "Your session has ended. Please log in again."


def store() -> Store:
    return app_store()


def current_user() -> User | None:
    """The logged-in user, from the login cookie of the connection running this script.

    Nothing else counts, session state least of all: Streamlit lets any client reconnect to a
    session by its id. The session behind the cookie is checked on every run, so a logout
    elsewhere, a deactivation or an expiry ends this session too. (The check is read again
    after every write that names no channel, as a logout and a deactivation do; the expiry
    time is kept with it.) Session state belongs to the user it was built for: another user (or
    nobody) gets it wiped, drafts included.
    """
    cookie = st.context.cookies.get(login_sessions.COOKIE_NAME)
    run = get_script_run_ctx()
    if run is not None:
        session_owners.record(run.session_id, cookie if isinstance(cookie, str) else None)
    user = None
    if isinstance(cookie, str):
        found = state.unchanged(
            "login", store().version_for_everyone, cookie, lambda: _check(cookie)
        )
        if found is not None and utc_now() < found[1]:
            user = found[0]
    user_id = user.id if user else None
    if st.session_state.get(state.USER_ID) != user_id:
        st.session_state.clear()
        state.init()
        st.session_state[state.USER_ID] = user_id
    return user


def _check(cookie: str):
    key = login_sessions.app_key()
    return login_sessions.session_for_cookie(store(), key, cookie)


def login_url() -> str:
    """The login page, coming back to this very page (and chat) afterwards."""
    query = urlencode(st.query_params.to_dict())
    target = "/" + (f"?{query}" if query else "")
    return f"/login?{urlencode({'next': target})}"


def require_user() -> User:
    """The logged-in user, or stop the page: a page must never render for nobody."""
    user = current_user()
    if user is None:
        st.warning(SESSION_ENDED)
        # In this tab: st.link_button would open the login in a new one.
        st.html(
            f'<a href="{html_plain(login_url())}" target="_self" style="display:inline-block;'
            "padding:0.35rem 0.9rem;border:1px solid #d1d5db;border-radius:0.5rem;"
            'color:inherit;text-decoration:none">Log in</a>'
        )
        st.stop()
    return user


def visible_channels(user: User) -> list[Channel]:
    """Grants, revokes and deactivations name no channel: the list holds while chats change."""
    return state.unchanged(
        "channels",
        store().version_for_everyone,
        user.id,
        lambda: reads.visible_channels(store(), user),
    )


def visible_channel_ids(user: User) -> tuple[int, ...]:
    return tuple(channel.id for channel in visible_channels(user))


def has_chats_page(user: User) -> bool:
    return bool(visible_channel_ids(user))
