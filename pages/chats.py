"""The Chats page: the chat list and the open conversation."""

import streamlit as st

from components import session
from components.chat_list import chat_filter_from_state, render_chat_filters, render_chat_list
from components.conversation import render_conversation
from components.formatting import viewer_zone
from inbox.clock import utc_now
from inbox.errors import NotFound
from inbox.services import reads

session.init()
user = session.require_user()
store = session.store()
zone = viewer_zone(st.context.timezone)

if reads.count_visible_chats(store, user) == 0:
    st.info(
        "There are no chats in your channels yet. If you expected some, "
        "ask an administrator for access to more channels."
    )
    st.stop()

left, middle = st.columns([1, 2.2], gap="medium")
with left:
    assignable = reads.assignable_in_any_channel(store, user)
    render_chat_filters(assignable)
    page = reads.list_chats(store, user, chat_filter_from_state(assignable))
    with st.container(height=620, border=False):
        render_chat_list(page, zone, utc_now())

with middle:
    chat_id = st.session_state[session.OPEN_CHAT_ID]
    if chat_id is None:
        st.caption("Choose a chat on the left.")
    else:
        try:
            chat = reads.get_chat(store, user, chat_id)
            messages = reads.list_messages(store, user, chat_id)
            with st.container(height=720, border=False):
                render_conversation(chat, messages, zone, utc_now())
        except NotFound as error:
            st.error(str(error))
