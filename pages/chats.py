"""The Chats page: the chat list, the open conversation and the customer card."""

import streamlit as st

from components import (
    chat_list,
    conversation,
    customer_card,
    live,
    order_form,
    page_registry,
    quick_replies_view,
    session,
    shared_reads,
    state,
    styles,
)
from components.formatting import viewer_zone
from inbox.clock import utc_now
from inbox.services import quick_replies, reads

user = page_registry.open_page(page_registry.CHATS)
store = session.store()
state.follow_link()
live.follow_notification()
channel_ids = session.visible_channel_ids(user)
live.mark_seen(store, channel_ids)
styles.inject()
zone, now = viewer_zone(st.context.timezone), utc_now()

chat_id = st.session_state[state.OPEN_CHAT_ID]
collapsed = st.session_state[state.LIST_COLLAPSED]
limit = state.message_limit(chat_id) if chat_id is not None else 0
found = state.found_message(chat_id)
# One read for the whole page, and none when the store has not changed since the last run.
# Opening another chat with nothing written since reads only that chat: the list still holds.
# After a write, a manager's other tabs take the list the first of them read. The counter is
# that of the user's channels; the channels are inputs, as a revoked one may bring it back.
version = st.session_state[state.SEEN_VERSION]
list_inputs = (user.id, channel_ids, collapsed, chat_list.filter_inputs())
listing = state.kept("chats-list", version, list_inputs) or shared_reads.get(
    store.name, version, list_inputs
)
# A write in another chat leaves the open one as it was: its conversation and card are kept.
chat_version = store.version_of_chat(chat_id) if chat_id is not None else None
chat_inputs = (user.id, channel_ids, chat_id, limit, found)
open_chat = state.kept("chats-open", chat_version, chat_inputs)
screen = state.unchanged(
    "chats",
    version,
    (list_inputs, chat_id, limit, found),
    lambda: reads.chats_screen(
        store,
        user,
        None if collapsed else chat_list.current_filter,
        chat_id,
        limit,
        listing,
        open_chat,
        found,
    ),
)
state.keep("chats-list", version, list_inputs, screen)
state.keep("chats-open", chat_version, chat_inputs, screen)
shared_reads.put(store.name, version, list_inputs, screen)
if not screen.any_chat:
    st.info(
        "There are no chats in your channels yet. If you expected some, "
        "ask an administrator for access to more channels."
    )
    live.poll()
    st.stop()

columns = st.columns([2.4, 1.3] if collapsed else [1.2, 2.4, 1.3], gap="medium")
if screen.page is not None:
    with columns[0]:
        chat_list.render_filters(screen.people, session.visible_channels(user), screen.page.counts)
        with st.container(height=560, border=False, key="chat-list"):
            chat_list.render_rows(screen.page, zone, now)

middle, right = columns[-2:]
chat = screen.chat
with middle:
    if chat is None and collapsed:
        conversation.render_list_toggle()
    if screen.chat_error:
        st.error(screen.chat_error)
    elif chat is None:
        st.info("Choose a chat on the left.")
    else:
        conversation.render_top_bar(chat, screen.assignable, screen.shop.zone)
        conversation.render_messages(screen.messages, zone, now, screen.has_earlier, found)
        conversation.render_reply_box(
            chat, screen.messages, screen.reply_rules, zone, now, screen.quick_replies,
            quick_replies.values(screen.card, user, screen.shop),
        )  # fmt: skip

if chat is not None:
    with right:
        customer_card.render_card(screen.card, user, zone)
    order_form.render_if_open(chat.id)
    quick_replies_view.render_manager_if_open()

live.poll()
if chat is not None:  # last: the write waits for no element of the page
    conversation.note_seen(chat.id, screen.messages)
