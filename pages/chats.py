"""The Chats page: the chat list, the open conversation and the customer card."""

import streamlit as st

from components import (
    chat_list,
    conversation,
    customer_card,
    live,
    order_form,
    page_registry,
    session,
    styles,
)
from components.formatting import viewer_zone
from inbox.clock import utc_now
from inbox.errors import NotFound
from inbox.services import reads

user = page_registry.open_page(page_registry.CHATS)
store = session.store()
session.follow_link()
live.mark_seen(store)
styles.inject()
zone, now = viewer_zone(st.context.timezone), utc_now()

if reads.count_visible_chats(store, user) == 0:
    st.info(
        "There are no chats in your channels yet. If you expected some, "
        "ask an administrator for access to more channels."
    )
    live.poll(store)
    st.stop()

collapsed = st.session_state[session.LIST_COLLAPSED]
columns = st.columns([2.4, 1.3] if collapsed else [1.2, 2.4, 1.3], gap="medium")
if not collapsed:
    with columns[0]:
        people = reads.assignable_in_any_channel(store, user)
        chat_list.render_filters(people)
        page = reads.list_chats(store, user, chat_list.current_filter(people))
        with st.container(height=560, border=False, key="chat-list"):
            chat_list.render_rows(page, zone, now)

middle, right = columns[-2:]
chat_id = st.session_state[session.OPEN_CHAT_ID]
chat = None
with middle:
    if chat_id is None:
        if collapsed:
            conversation.render_list_toggle()
        st.info("Choose a chat on the left.")
    else:
        try:
            chat = reads.get_chat(store, user, chat_id)
        except NotFound as error:
            st.error(str(error))
        if chat is not None:
            limit = session.message_limit(chat.id)
            messages = reads.list_messages(store, user, chat.id, limit=limit + 1)
            has_earlier, messages = len(messages) > limit, messages[-limit:]
            conversation.render_top_bar(chat, reads.assignable_users(store, user, chat.id))
            conversation.render_messages(messages, zone, now, has_earlier)
            conversation.render_reply_box(chat.id, messages)

if chat is not None:
    with right:
        customer_card.render_card(reads.customer_card(store, user, chat.id), user, zone)
    order_form.render_if_open(chat.id)

live.poll(store)
