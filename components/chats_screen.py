"""The Chats screen's one read: what the page shows, read once per run, and not at all when
nothing it shows has changed. What it keeps between runs, and why:
- the screen as last read, at the counter of the user's channels: a click or a keystroke that
  writes nothing makes no query;
- the chat list at that counter: opening another chat with nothing written since reads only
  that chat;
- the open chat (its conversation and card) at its own chat's counter: a write in another chat
  leaves them as they were, and only the list is read again.
A manager's other tabs take the list the first of them read (shared_reads). The channels are
inputs, as a revoked one may bring back a counter seen before."""

import streamlit as st

from components import chat_list, shared_reads, state
from inbox.models import ChatsScreen, User
from inbox.services import reads
from inbox.store import Store


def _open_chat_inputs(user: User, channel_ids: tuple[int, ...]) -> tuple:
    """What the open chat's read is of, besides the store's counter of that chat."""
    chat_id = st.session_state[state.OPEN_CHAT_ID]
    limit = state.message_limit(chat_id) if chat_id is not None else 0
    return user.id, channel_ids, chat_id, limit, state.found_message(chat_id)


def outside_list(store: Store, user: User, channel_ids: tuple[int, ...]) -> tuple:
    """What the page besides the chat list was drawn from: while it stands, news shows in the
    list alone (components/live_list.py). Take it before the read."""
    inputs = _open_chat_inputs(user, channel_ids)
    chat_id = inputs[2]
    counter = store.version_of_chat(chat_id) if chat_id is not None else store.version_for_everyone
    return *inputs, st.session_state[state.LIST_COLLAPSED], counter


def read(store: Store, user: User, channel_ids: tuple[int, ...]) -> ChatsScreen:
    chat_inputs = _open_chat_inputs(user, channel_ids)
    _, _, chat_id, limit, found = chat_inputs
    collapsed = st.session_state[state.LIST_COLLAPSED]
    version = st.session_state[state.SEEN_VERSION]
    list_inputs = (user.id, channel_ids, collapsed, chat_list.filter_inputs())
    listing = state.kept("chats-list", version, list_inputs) or shared_reads.get(
        store.name, version, list_inputs
    )
    chat_version = store.version_of_chat(chat_id) if chat_id is not None else None
    open_chat = state.kept("chats-open", chat_version, chat_inputs)
    screen = state.unchanged(
        "chats",
        version,
        (list_inputs, chat_id, limit, found),
        lambda: reads.chats_screen(
            store, user, None if collapsed else chat_list.current_filter, chat_id, limit,
            listing, open_chat, found,
        ),
    )  # fmt: skip
    state.keep("chats-list", version, list_inputs, screen)
    state.keep("chats-open", chat_version, chat_inputs, screen)
    shared_reads.put(store.name, version, list_inputs, screen)
    return screen
