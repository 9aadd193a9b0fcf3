"""The middle column: the conversation, customer text always as plain text."""

from datetime import datetime
from zoneinfo import ZoneInfo

import streamlit as st

from components.formatting import list_time
from inbox.models import ChatRow, Message, MessageKind


def render_conversation(chat: ChatRow, messages: list[Message], zone: ZoneInfo, now: datetime):
    st.subheader(chat.name, anchor=False)
    st.caption(f"{chat.channel_icon} {chat.channel_name} · {chat.state.value}")
    for message in messages:
        when = list_time(message.created_at, zone, now)
        if message.kind == MessageKind.SYSTEM:
            st.caption(f"— {when} · {message.text} —")
            continue
        who = "Customer" if message.kind == MessageKind.CUSTOMER else message.author_name
        with st.container(border=True):
            st.caption(f"{who} · {when}")
            st.text(message.text)
