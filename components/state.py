"""Every st.session_state key the app uses, with its initial value (deep-copied into each
session), and the small helpers that read and write them. Who is logged in is `session`."""

import copy
import hashlib

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from components.callbacks import callback

USER_ID = "user_id"  # whose session state this is; never proof of a login
OPEN_CHAT_ID = "open_chat_id"
CHAT_TAB = "chat_tab"
CHAT_ASSIGNEE = "chat_assignee"
CHAT_SEARCH = "chat_search"
CHAT_BY_VALUE = "chat_by_value"  # the list ordered by money waiting, not by latest activity
CHAT_CHANNEL = "chat_channel"  # a channel id, or 0 for all the user's channels
CHAT_ANSWER = "chat_answer"  # "Waiting" (the customer wrote last), "Answered", or None: any
LIST_LIMIT = "list_limit"
LIST_COLLAPSED = "list_collapsed"
REPLY_TO = "reply_to"  # chat id -> the message id a reply will quote
ATTACHED = "attached"  # chat id -> the files (Upload) its reply will carry
SEEN_VERSION = "seen_version"  # the store's change counter when this page last read it
# {"chat_id", "order_id" (None for a new order), "page"} while the order form is open
ORDER_FORM = "order_form"
NOTIFY_ON = "notify_on"  # desktop notifications in this browser (components/notifications.py)
NOTIFY_SOUND = "notify_sound"
NOTIFY_READ = "notify_read"  # the browser's choice was taken from its cookie
NOTICE_OPENED = "notice_opened"  # the live check's value of the notification click followed
QUICK_REPLIES_OPEN = "quick_replies_open"  # the dialog that changes the team's quick replies
ORDER_LINES = "order_lines"  # the open order form's lines, as its table shows them
ORDER_LINES_VERSION = "order_lines_version"  # names the table that shows the lines now
MESSAGE_LIMITS = "message_limits"  # chat id -> how many of its latest messages are shown
FOUND_MESSAGE = "found_message"  # (chat id, message id) of the search result opened, or None
SEEN_UP_TO = "seen_up_to"  # chat id -> the newest message this session has marked seen
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
WIDGET_GENERATIONS = "widget_generations"  # widget name -> how often renewed: see stored_key
ADDRESS_READ = "address_read"  # the ids in the address this session followed: see from_address

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
    CHAT_CHANNEL: 0,
    CHAT_ANSWER: None,
    LIST_LIMIT: CHATS_PER_PAGE,
    LIST_COLLAPSED: False,
    REPLY_TO: {},
    ATTACHED: {},
    SEEN_VERSION: None,
    ORDER_FORM: None,
    NOTIFY_ON: False,
    NOTIFY_SOUND: False,
    NOTIFY_READ: False,
    NOTICE_OPENED: None,
    QUICK_REPLIES_OPEN: False,
    ORDER_LINES: [],
    ORDER_LINES_VERSION: 0,
    MESSAGE_LIMITS: {},
    FOUND_MESSAGE: None,
    SEEN_UP_TO: {},
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
    WIDGET_GENERATIONS: {},
    ADDRESS_READ: frozenset(),
}

MESSAGES_PER_PAGE = 30  # the latest page of a conversation; "Show earlier" adds a page


def message_limit(chat_id: int) -> int:
    return st.session_state[MESSAGE_LIMITS].get(chat_id, MESSAGES_PER_PAGE)


@callback
def show_earlier(chat_id: int, shown: int) -> None:
    limits = dict(st.session_state[MESSAGE_LIMITS])
    limits[chat_id] = max(message_limit(chat_id), shown) + MESSAGES_PER_PAGE
    st.session_state[MESSAGE_LIMITS] = limits


def draft_key(chat_id: int) -> str:
    """The reply box of one chat; its text stays with the chat when another one is opened,
    until the reply is stored (`renew`)."""
    return stored_key(draft_name(chat_id))


def draft_name(chat_id: int) -> str:
    return f"draft-{chat_id}"


@callback
def open_chat(chat_id: int, found_message_id: int | None = None) -> None:
    """Open a chat, and put it in the address so that the URL is a link to it (SPEC T3); from
    a search result, at the message it found."""
    st.session_state[OPEN_CHAT_ID] = chat_id
    limits = dict(st.session_state[MESSAGE_LIMITS])
    if found_message_id is None:
        st.session_state[FOUND_MESSAGE] = None
        if limits.get(chat_id, MESSAGES_PER_PAGE) < MESSAGES_PER_PAGE:
            del limits[chat_id]  # back to the latest page, after a search result
    else:
        # The conversation starts at the message found: the read shows from it on.
        st.session_state[FOUND_MESSAGE] = (chat_id, found_message_id)
        limits[chat_id] = 1
    st.session_state[MESSAGE_LIMITS] = limits
    st.query_params["chat"] = str(chat_id)


def found_message(chat_id: int | None) -> int | None:
    """The message a search found in the open chat, while the chat was opened from it."""
    found = st.session_state[FOUND_MESSAGE]
    return found[1] if found is not None and found[0] == chat_id else None


def from_address(name: str) -> int | None:
    """The id the address names (?chat=, ?customer=) when this run is to follow it: the first
    time the session shows the page (a link opened, a reload), or when the browser goes back or
    forward. Any other run's address may be older than the page: a request the browser sent
    before it heard of the chat just opened still names the one before, and following it would
    undo the click (and send a reply typed meanwhile to the wrong box)."""
    run = get_script_run_ctx()
    if name in st.session_state[ADDRESS_READ] and not (run and run.is_history_navigation):
        return None
    st.session_state[ADDRESS_READ] = st.session_state[ADDRESS_READ] | {name}
    wanted = st.query_params.get(name)
    return int(wanted) if wanted is not None and wanted.isdigit() else None


def follow_link() -> None:
    """A ?chat= in the address (a copied link, a reload) opens that chat."""
    wanted = from_address("chat")
    if wanted is not None:
        st.session_state[OPEN_CHAT_ID] = wanted


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


def stored_key(name: str, drawn=None) -> str:
    """The key of a widget that shows `drawn`, a value from the store (or of a box emptied by
    code, with no value). The page never sets such a widget's value: the browser may hold on to
    the old one and send it back as if the person chose it, when the run that set it was cut
    short before drawing it. A widget is drawn afresh, under a new key, when the stored value
    moves or `renew` is called; its callback then knows the value it was drawn with."""
    generation = st.session_state[WIDGET_GENERATIONS].get(name, 0)
    fingerprint = hashlib.blake2b(repr(drawn).encode(), digest_size=6).hexdigest()
    return f"{name}~{generation}~{fingerprint}"


def renew(name: str, forget: bool = False) -> None:
    """Draw the widget (or the group of widgets) named `name` afresh: empty, or showing what is
    stored. `forget` drops what the old ones held, for boxes kept while not drawn
    (persist_state)."""
    generations = dict(st.session_state[WIDGET_GENERATIONS])
    generations[name] = generations.get(name, 0) + 1
    st.session_state[WIDGET_GENERATIONS] = generations
    if forget:
        for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(f"{name}~")]:
            del st.session_state[key]


def group_key(group: str, field: str) -> str:
    """The key of one field of a group of widgets that `renew(group)` empties at once."""
    return f"{group}~{st.session_state[WIDGET_GENERATIONS].get(group, 0)}~{field}"
