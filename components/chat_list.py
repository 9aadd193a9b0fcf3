"""The left column: tabs, filters, search and the chat rows."""

from datetime import datetime
from zoneinfo import ZoneInfo

import streamlit as st

from components import notifications, state
from components.callbacks import callback
from components.formatting import initials, list_time, markdown_plain, money
from inbox.models import (
    SEARCH_MAX_LENGTH,
    Channel,
    ChatFilter,
    ChatPage,
    ChatRow,
    User,
    is_our_file,
)

TABS = {"Open": "open", "Snoozed": "snoozed", "Closed": "closed", "All": "all"}
FIXED_ASSIGNEES = {"All": "all", "Mine": "mine", "Unassigned": "unassigned"}
ANSWERS = {"Waiting": "waiting", "Answered": "answered"}  # neither chosen: any
ALL_CHANNELS = 0
PAGE_SIZE = state.CHATS_PER_PAGE


def count_text(count: int, up_to: int | None) -> str:
    """A tab's count; above what a search counts to, "1000+"."""
    return f"{up_to}+" if up_to is not None and count > up_to else str(count)


def render_filters(people: list[User], channels: list[Channel], page: ChatPage) -> None:
    counts = page.counts
    st.segmented_control(
        "State",
        list(TABS),
        key=state.CHAT_TAB,
        label_visibility="collapsed",
        format_func=lambda tab: (
            f"{tab} {count_text(counts[TABS[tab]], page.counted_up_to)}" if counts else tab
        ),
        help=f"While searching, a tab counts up to {page.counted_up_to} chats."
        if page.counted_up_to is not None
        else None,
    )
    options = list(FIXED_ASSIGNEES) + [p.name for p in people]
    if st.session_state[state.CHAT_ASSIGNEE] not in options:
        st.session_state[state.CHAT_ASSIGNEE] = "All"
    names = {channel.id: f"{channel.icon} {channel.name}" for channel in channels}
    if st.session_state[state.CHAT_CHANNEL] not in names:
        st.session_state[state.CHAT_CHANNEL] = ALL_CHANNELS
    who, where = st.columns(2, gap="small")
    who.selectbox("Handled by", options, key=state.CHAT_ASSIGNEE)
    where.selectbox(
        "Channel",
        [ALL_CHANNELS, *names],
        key=state.CHAT_CHANNEL,
        format_func=lambda channel_id: names.get(channel_id, "All"),
    )
    answer, order = st.columns([3, 1], gap="small", vertical_alignment="center")
    answer.segmented_control(
        "Answer",
        list(ANSWERS),
        key=state.CHAT_ANSWER,
        label_visibility="collapsed",
        help="Waiting: the customer wrote after our last reply. Answered: we replied last. "
        "Neither chosen: both.",
    )
    sorted_by_value = st.session_state[state.CHAT_BY_VALUE] is True
    with order.popover("💰" if sorted_by_value else "↕", help="Order of the list", width="stretch"):
        st.checkbox(
            "Money waiting first",
            key=state.CHAT_BY_VALUE,
            help="The customer's order total times their messages waiting for a reply, largest "
            "first. Otherwise the latest customer message first.",
        )
    search, notify = st.columns([4, 1], gap="small", vertical_alignment="center")
    with notify:
        notifications.render_toggle()
    search.text_input(
        "Search",
        key=state.CHAT_SEARCH,
        max_chars=SEARCH_MAX_LENGTH,
        placeholder="Search names, phones, messages",
        label_visibility="collapsed",
        help="Names, handles, emails and phone numbers, and the words of messages "
        "(the beginnings of words will do).",
    )


_FILTER_KEYS = (
    state.CHAT_TAB,
    state.CHAT_ASSIGNEE,
    state.CHAT_SEARCH,
    state.CHAT_BY_VALUE,
    state.CHAT_CHANNEL,
    state.CHAT_ANSWER,
    state.LIST_LIMIT,
)


def filter_inputs() -> tuple:
    """Everything `current_filter` reads besides the people."""
    return tuple(st.session_state[key] for key in _FILTER_KEYS)


def current_filter(people: list[User]) -> ChatFilter:
    """The filter the widgets show; a value no widget could have sent counts as no filter."""
    values = st.session_state
    tab, label, search, by_value, channel_id, answer = (values[key] for key in _FILTER_KEYS[:-1])
    by_name = {p.name: p.id for p in people}
    return ChatFilter(
        state=TABS.get(tab, "open") if isinstance(tab, str) else "open",
        assignee=FIXED_ASSIGNEES.get(label, by_name.get(label, "all"))
        if isinstance(label, str)
        else "all",
        search=search[:SEARCH_MAX_LENGTH] if isinstance(search, str) else "",
        channel_id=channel_id if type(channel_id) is int and channel_id else None,
        answer=ANSWERS.get(answer, "any") if isinstance(answer, str) else "any",
        limit=values[state.LIST_LIMIT],
        order="value" if by_value is True else "recent",
    )


def row_label(row: ChatRow, zone: ZoneInfo, now: datetime) -> str:
    """Two lines of Markdown; the name is customer text and is escaped."""
    photo = row.avatar_url if is_our_file(row.avatar_url) else None
    face = f"![]({photo})" if photo else f":gray-background[{initials(row.name)}]"
    first = f"{face} **{markdown_plain(row.name)}**"
    if row.unseen:
        first += " :blue[●]"
    second = [markdown_plain(row.channel_icon), list_time(row.last_message_at, zone, now)]
    if row.assignee_name:
        avatar = row.assignee_avatar
        second.append(
            markdown_plain(avatar) if avatar else f":blue-background[{initials(row.assignee_name)}]"
        )
    if row.badge:
        second.append(f":red-badge[{row.badge}]")
    label = f"{first}\n\n{' · '.join(second)}"
    if row.found_excerpt:
        found = "".join(
            f"**{markdown_plain(piece)}**" if marked else _spaced(piece)
            for piece, marked in row.found_excerpt
        )
        label += f"\n\n🔎 {found}"
    elif row.last_line:
        by = f"{markdown_plain(row.last_by)}: " if row.last_by else ""
        label += f"\n\n:gray[{by}{markdown_plain(row.last_line)}]"
    return label


def _spaced(piece: str) -> str:
    """A piece of a line, escaped, keeping the spaces at its ends that part it from the next."""
    before = " " if piece[:1].isspace() else ""
    after = " " if piece[-1:].isspace() and piece.strip() else ""
    return f"{before}{markdown_plain(piece)}{after}"


def _row_help(row: ChatRow) -> str:
    parts = [row.channel_name]
    if row.unseen:
        parts.append("new since you last opened it")
    if row.badge:
        parts.append(f"{row.badge} unanswered")
    if row.customer_total:
        parts.append(f"orders {money(row.customer_total)}")
    return " · ".join(parts)


@callback
def _show_more() -> None:
    st.session_state[state.LIST_LIMIT] += PAGE_SIZE


def render_rows(page: ChatPage, zone: ZoneInfo, now: datetime) -> None:
    if not page.rows:
        st.caption("No chats match these filters.")
    open_id = st.session_state[state.OPEN_CHAT_ID]
    # A list kept from before this session marked a chat seen still has its dot: the open
    # chat, and those this session has seen since, have none.
    seen = st.session_state[state.SEEN_UP_TO]
    for row in page.rows:
        if row.unseen and (row.id == open_id or seen.get(row.id, 0) >= (row.last_message_id or 0)):
            row = row.model_copy(update={"unseen": False})
        st.button(
            row_label(row, zone, now),
            key=f"chat-row-{row.id}",
            on_click=state.open_chat,
            args=(row.id, row.found_message_id),
            width="stretch",
            type="primary" if row.id == open_id else "secondary",
            help=_row_help(row),
        )
    if page.has_more:
        st.button("Show more", key="chat-list-more", on_click=_show_more, width="stretch")
