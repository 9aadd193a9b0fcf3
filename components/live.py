"""Live updates (SPEC R1): a small fragment polls; the page reruns only when the store changed.

An idle tick compares two integers and touches neither the database nor the page, so drafts,
filters, dialogs and the open chat are left alone (SPEC R2).
"""

import streamlit as st

from components import state
from inbox.settings import load_settings
from inbox.store import Store


def mark_seen(store: Store) -> None:
    """Call before the page reads: a write during this run then shows at the next tick."""
    st.session_state[state.SEEN_VERSION] = store.version


def has_news(store: Store, seen: int | None) -> bool:
    return seen is None or store.version != seen


@st.fragment(run_every=load_settings().poll_seconds)
def poll(store: Store) -> None:
    """A tick reuses the store it was given on the page's last full run."""
    if has_news(store, st.session_state.get(state.SEEN_VERSION)):
        st.rerun(scope="app")
