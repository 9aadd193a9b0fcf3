"""Every st.session_state key the app uses, its initial value, and who is logged in."""

import time

import streamlit as st

from inbox.models import User
from inbox.services import accounts, reads
from inbox.settings import load_settings
from inbox.store import Store, get_store

USER_ID = "user_id"
LOGIN_ERROR = "login_error"
OPEN_CHAT_ID = "open_chat_id"
CHAT_TAB = "chat_tab"
CHAT_ASSIGNEE = "chat_assignee"
CHAT_SEARCH = "chat_search"
LOGIN_NAME = "login_name"
LOGIN_PASSWORD = "login_password"

_DEFAULTS = {
    USER_ID: None,
    LOGIN_ERROR: None,
    OPEN_CHAT_ID: None,
    CHAT_TAB: "Open",
    CHAT_ASSIGNEE: "All",
    CHAT_SEARCH: "",
}

# A wrong password costs this long, to slow down guessing.
FAILED_LOGIN_DELAY_SECONDS = 1.0


def init() -> None:
    for key, value in _DEFAULTS.items():
        st.session_state.setdefault(key, value)


def store() -> Store:
    return get_store(load_settings().db_path)


def current_user() -> User | None:
    """The logged-in user, read again on every run so a deactivated user is out at once."""
    user_id = st.session_state.get(USER_ID)
    if user_id is None:
        return None
    user = accounts.get_active_user(store(), user_id)
    if user is None:
        st.session_state[USER_ID] = None
    return user


def require_user() -> User:
    """The logged-in user, or stop the page: a page must never render for nobody."""
    user = current_user()
    if user is None:
        st.warning("Please log in first.")
        st.stop()
    return user


def has_chats_page(user: User) -> bool:
    return bool(reads.visible_channels(store(), user))


def log_in() -> None:
    user = accounts.authenticate(
        store(), st.session_state.get(LOGIN_NAME, ""), st.session_state.get(LOGIN_PASSWORD, "")
    )
    st.session_state[LOGIN_PASSWORD] = ""
    if user is None:
        time.sleep(FAILED_LOGIN_DELAY_SECONDS)
        st.session_state[LOGIN_ERROR] = "Wrong login or password."
        return
    st.session_state[USER_ID] = user.id
    st.session_state[LOGIN_ERROR] = None


def log_out() -> None:
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    init()
