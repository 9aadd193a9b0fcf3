"""The Chats page: the chat list, the open conversation and the customer card."""

import streamlit as st

from components import (
    chats_screen,
    conversation,
    customer_card,
    live,
    live_list,
    notifications,
    order_form,
    page_registry,
    quick_replies_view,
    session,
    state,
    styles,
)
from components.formatting import viewer_zone
from inbox.clock import utc_now
from inbox.services import quick_replies

user = page_registry.open_page(page_registry.CHATS)
store = session.store()
state.follow_link()
live.follow_notification()
channel_ids = session.visible_channel_ids(user)
live.mark_seen(store, channel_ids)
styles.inject()
zone, now = viewer_zone(st.context.timezone), utc_now()

drawn = chats_screen.outside_list(store, user, channel_ids)
screen = chats_screen.read(store, user, channel_ids)  # the page's one read
collapsed = st.session_state[state.LIST_COLLAPSED]
found = state.found_message(st.session_state[state.OPEN_CHAT_ID])
if not screen.any_chat:
    note, bell = st.columns([12, 1], vertical_alignment="center")
    note.info(
        "There are no chats in your channels yet. If you expected some, "
        "ask an administrator for access to more channels."
    )
    with bell:
        notifications.render_toggle()  # so that the first customer is not missed
    live.poll()
    st.stop()

columns = st.columns([2.4, 1.3] if collapsed else [1.2, 2.4, 1.3], gap="medium")
if screen.page is not None:
    with columns[0]:
        live_list.render(store, screen, user, drawn, zone, now)  # with the live check

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

if screen.page is None:
    live.poll()
if chat is not None:  # last: the write waits for no element of the page
    conversation.note_seen(chat.id, screen.messages)
