"""Live updates (SPEC R1), checked by the browser: a hidden component asks the server's
/api/changes for the change counter of the user's channels every tick, and reruns the page
only when the counter moved since this page's last run (or the login ended).

An idle page therefore makes no script run and no query on the server: one tiny request a
tick, answered from memory. Drafts, filters, dialogs and the open chat are left alone (SPEC R2).
"""

import functools
from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components

from components import notifications, state
from inbox.services import login_sessions
from inbox.settings import load_settings
from inbox.store import Store
from inbox.web import changes


@functools.cache
def _checker():
    """Declared inside a script run, the first time: Streamlit serves a component's files only
    when it was declared with a run's context, and app.py imports this module before any."""
    return components.declare_component("live_poll", path=str(Path(__file__).parent / "live_poll"))


CHECK_KEY = "live-check"
# Runs of the app's script, or of the chat list alone, in this process: a tally for tests and
# benchmarks.
page_runs = 0


def count_run() -> None:
    global page_runs
    page_runs += 1


def asked_by_check() -> bool:
    """This run was asked for by the live check (the store changed), not by the person: the
    check's value is new since the last run."""
    value = st.session_state.get(CHECK_KEY)
    if value is None or value == st.session_state.get(state.LAST_CHECK):
        return False
    st.session_state[state.LAST_CHECK] = value
    return True


def notification_clicked() -> bool:
    """A click on a desktop notification is waiting to open its chat."""
    value = st.session_state.get(CHECK_KEY)
    if not isinstance(value, dict) or not isinstance(value.get("chat"), int):
        return False
    return value.get("reruns") != st.session_state[state.NOTICE_OPENED]


def follow_notification() -> None:
    """A click on a desktop notification opens its chat."""
    if notification_clicked():
        value = st.session_state[CHECK_KEY]
        st.session_state[state.NOTICE_OPENED] = value.get("reruns")
        state.open_chat(value["chat"])


def mark_seen(store: Store, channel_ids: tuple[int, ...]) -> None:
    """Call before the page reads, with the channels the user sees: a write during this run
    then shows at the next tick, and a write in other channels makes no rerun."""
    st.session_state[state.SEEN_VERSION] = store.version_seen_by(channel_ids)
    cookie = st.context.cookies.get(login_sessions.COOKIE_NAME)
    if isinstance(cookie, str):
        changes.watch(cookie, channel_ids)


def poll() -> None:
    """Keep this page live; call once a run, after mark_seen."""
    settings = load_settings()
    interval_ms = round(settings.poll_seconds * 1000)
    with st.container(key="live-poll"):
        if settings.live_check == "autorefresh":  # only to compare the costs (bench.live_page)
            from streamlit_autorefresh import st_autorefresh  # imported in a run: see _checker

            st_autorefresh(interval=interval_ms, key="live-autorefresh")
            return
        _checker()(
            since=st.session_state[state.SEEN_VERSION],
            interval_ms=interval_ms,
            notify=notifications.chosen(),
            me=st.session_state[state.USER_ID],
            key=CHECK_KEY,
            default=None,
        )
