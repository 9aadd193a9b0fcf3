"""The left column: tabs, filters, search and the chat rows."""

from datetime import datetime
from zoneinfo import ZoneInfo

import streamlit as st

from components import session
from components.formatting import initials, list_time
from inbox.models import ChatFilter, ChatPage, User

TABS = {"Open": "open", "Closed": "closed", "All": "all"}
FIXED_ASSIGNEES = {"All": "all", "Mine": "mine", "Unassigned": "unassigned"}


def render_chat_filters(people: list[User]) -> None:
    st.segmented_control("State", list(TABS), key=session.CHAT_TAB, label_visibility="collapsed")
    options = list(FIXED_ASSIGNEES) + [p.name for p in people]
    st.selectbox("Responsible", options, key=session.CHAT_ASSIGNEE)
    st.text_input("Search by name", key=session.CHAT_SEARCH, placeholder="Search by name")


def chat_filter_from_state(people: list[User]) -> ChatFilter:
    tab = st.session_state[session.CHAT_TAB] or "Open"
    assignee_label = st.session_state[session.CHAT_ASSIGNEE]
    by_name = {p.name: p.id for p in people}
    assignee = FIXED_ASSIGNEES.get(assignee_label, by_name.get(assignee_label, "all"))
    return ChatFilter(
        state=TABS[tab], assignee=assignee, search=st.session_state[session.CHAT_SEARCH]
    )


def _open(chat_id: int) -> None:
    st.session_state[session.OPEN_CHAT_ID] = chat_id


def render_chat_list(page: ChatPage, zone: ZoneInfo, now: datetime) -> None:
    if not page.rows:
        st.caption("No chats match.")
    open_id = st.session_state[session.OPEN_CHAT_ID]
    for row in page.rows:
        badge = f" · {row.badge} new" if row.badge else ""
        assignee = (
            f" · {row.assignee_avatar or initials(row.assignee_name)}" if row.assignee_name else ""
        )
        label = (
            f"{initials(row.name)} · {row.name}\n\n"
            f"{row.channel_icon} {list_time(row.last_message_at, zone, now)}{assignee}{badge}"
        )
        st.button(
            label,
            key=f"chat-{row.id}",
            on_click=_open,
            args=(row.id,),
            use_container_width=True,
            type="primary" if row.id == open_id else "secondary",
            help=row.channel_name,
        )
