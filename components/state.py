"""Every st.session_state key the app uses, with its initial value (deep-copied into each
session), and the small helpers that read and write them. Who is logged in is `session`."""

import copy

import streamlit as st

USER_ID = "user_id"  # whose session state this is; never proof of a login
OPEN_CHAT_ID = "open_chat_id"
CHAT_TAB = "chat_tab"
CHAT_ASSIGNEE = "chat_assignee"
CHAT_SEARCH = "chat_search"
CHAT_BY_VALUE = "chat_by_value"  # the list ordered by money waiting, not by latest activity
LIST_LIMIT = "list_limit"
LIST_COLLAPSED = "list_collapsed"
REPLY_TO = "reply_to"  # chat id -> the message id a reply will quote
SEEN_VERSION = "seen_version"  # the store's change counter when this page last read it
# {"chat_id", "order_id" (None for a new order), "page"} while the order form is open
ORDER_FORM = "order_form"
ORDER_LINES = "order_lines"  # the open order form's lines, as its table shows them
ORDER_LINES_VERSION = "order_lines_version"  # names the table that shows the lines now
MESSAGE_LIMITS = "message_limits"  # chat id -> how many of its latest messages are shown
CUSTOMER_SEARCH = "customer_search"
CUSTOMER_SORT = "customer_sort"
CUSTOMER_LIMIT = "customer_limit"
OPEN_CUSTOMER_ID = "open_customer_id"
ORDER_STATUSES = "order_statuses"
ORDER_MANAGER = "order_manager"
ORDER_CHANNEL = "order_channel"
ORDER_PERIOD = "order_period"
ORDER_LIMIT = "order_limit"
REPORT_PERIOD = "report_period"
REPORT_GRAIN = "report_grain"
REPORT_WALL = "report_wall"  # the wall display: the whole report refreshes every minute
LAST_READS = "last_reads"  # what -> (store version, inputs, result): see `unchanged`
LAST_CHECK = "last_live_check"  # the live check's value at the last run: see live.asked_by_check

# The list's first page: the rows a manager scrolls through before "Show more" (about ten fit on
# the screen). Each row is a button, so every row costs every rerun of the page.
CHATS_PER_PAGE = 25

_DEFAULTS = {
    USER_ID: None,
    OPEN_CHAT_ID: None,
    CHAT_TAB: "Open",
    CHAT_ASSIGNEE: "All",
    CHAT_SEARCH: "",
    CHAT_BY_VALUE: False,
    LIST_LIMIT: CHATS_PER_PAGE,
    LIST_COLLAPSED: False,
    REPLY_TO: {},
    SEEN_VERSION: None,
    ORDER_FORM: None,
    ORDER_LINES: [],
    ORDER_LINES_VERSION: 0,
    MESSAGE_LIMITS: {},
    CUSTOMER_SEARCH: "",
    CUSTOMER_SORT: "Name",
    CUSTOMER_LIMIT: 50,
    OPEN_CUSTOMER_ID: None,
    ORDER_STATUSES: [],  # none chosen: every status
    ORDER_MANAGER: "All",
    ORDER_CHANNEL: "All",
    ORDER_PERIOD: "Last 30 days",
    ORDER_LIMIT: 100,
    REPORT_PERIOD: "Last 30 days",
    REPORT_GRAIN: "Day",
    REPORT_WALL: False,
    LAST_READS: {},
}

MESSAGES_PER_PAGE = 30  # the latest page of a conversation; "Show earlier" adds a page


def message_limit(chat_id: int) -> int:
    return st.session_state[MESSAGE_LIMITS].get(chat_id, MESSAGES_PER_PAGE)


def show_earlier(chat_id: int) -> None:
    limits = dict(st.session_state[MESSAGE_LIMITS])
    limits[chat_id] = message_limit(chat_id) + MESSAGES_PER_PAGE
    st.session_state[MESSAGE_LIMITS] = limits


def draft_key(chat_id: int) -> str:
    """The reply box of one chat; its text stays with the chat when another one is opened."""
    return f"draft-{chat_id}"


def open_chat(chat_id: int) -> None:
    """Open a chat, and put it in the address so that the URL is a link to it (SPEC T3)."""
    st.session_state[OPEN_CHAT_ID] = chat_id
    st.query_params["chat"] = str(chat_id)


def follow_link() -> None:
    """A ?chat= in the address (a copied link, a reload) opens that chat."""
    wanted = st.query_params.get("chat")
    if wanted is not None and wanted.isdigit() and int(wanted) != st.session_state[OPEN_CHAT_ID]:
        st.session_state[OPEN_CHAT_ID] = int(wanted)


def init() -> None:
    for key, value in _DEFAULTS.items():
        if key not in st.session_state:
            st.session_state[key] = copy.deepcopy(value)  # never one dict shared by sessions


def kept(what: str, version: int, inputs):
    """What `keep` or `unchanged` kept for the same inputs while the store's change counter was
    `version`, or None."""
    last = st.session_state.setdefault(LAST_READS, {}).get(what)
    if last is not None and last[0] == version and last[1] == repr(inputs):
        return last[2]
    return None


def keep(what: str, version: int, inputs, result) -> None:
    # Inputs are compared by repr: widget values as they are, whatever their type.
    st.session_state.setdefault(LAST_READS, {})[what] = (version, repr(inputs), result)


def unchanged(what: str, version: int, inputs, read):
    """What `read()` returned for the same inputs at an earlier run of this session, if the
    store's change counter is still `version`; else read again. A rerun caused by a click or a
    keystroke then makes no query, while any write anywhere (a message, a logout, a revoked
    access) makes the next run read afresh. Take `version` before the read, so that a write
    during it is seen at the next run."""
    found = kept(what, version, inputs)
    if found is not None:
        return found
    result = read()
    keep(what, version, inputs, result)
    return result


def undo_widget(key: str) -> None:
    """Put a widget back to the stored value sync_widget last showed: a change was refused."""
    st.session_state[key] = st.session_state[f"{key}::stored"]


def sync_widget(key: str, stored_value) -> None:
    """Show the stored value in a widget, but only when the store changed it: setting it on every
    run would throw away what the manager is typing whenever the page refreshes itself.

    A widget that still holds the value from before that change is set again: the run that set
    it may have been cut short by the next one (a refresh asked for meanwhile) before the widget
    was drawn, and the browser then sends the old value back."""
    known, before = f"{key}::stored", f"{key}::before"
    if st.session_state.get(known) != stored_value or key not in st.session_state:
        st.session_state[before] = st.session_state.get(known)
        st.session_state[key] = stored_value
        st.session_state[known] = stored_value
    elif st.session_state[key] != stored_value and st.session_state[key] == st.session_state.get(
        before
    ):
        st.session_state[key] = stored_value
