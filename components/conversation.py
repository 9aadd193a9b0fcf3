"""The middle column: top bar, the conversation, and the reply box."""

from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import streamlit as st

from components import actions, quick_replies_view, reply_attachments, session, state
from components.callbacks import callback
from components.formatting import full_time, html_plain, list_time, markdown_plain, shorten
from inbox.channels import registry
from inbox.clock import in_zone, utc_now, utc_of
from inbox.models import (
    Attachment,
    ChatRow,
    DeliveryState,
    FileKind,
    Message,
    MessageKind,
    QuickReply,
    ReplyRules,
    User,
)
from inbox.services import conversation, snooze

UNASSIGNED = "— nobody —"
DELIVERY_LABELS = {
    DeliveryState.PENDING: "sending…",
    DeliveryState.SENDING: "sending…",
    DeliveryState.SENT: "✓ sent",
    DeliveryState.DELIVERED: "✓✓ delivered",
    DeliveryState.READ: "✓✓ read",
    DeliveryState.FAILED: "⚠ not delivered",
    DeliveryState.UNKNOWN: "? may not have arrived",
}


def delivery_html(message: Message) -> str:
    """Under a reply: where it is, and why when it did not go (the channel's own words)."""
    delivery = message.delivery_state
    label = html_plain(DELIVERY_LABELS.get(delivery, ""))
    if delivery is None or not delivery.can_retry:
        return label
    reason = (
        f": {html_plain(shorten(message.delivery_error, 160))}" if message.delivery_error else ""
    )
    return f'<span class="failed">{label}{reason}</span>'


# --- top bar ---------------------------------------------------------------------------------


@callback
def _toggle_list() -> None:
    st.session_state[state.LIST_COLLAPSED] = not st.session_state[state.LIST_COLLAPSED]


@callback
def _assign(chat_id: int, key: str, people: dict[str, int | None], drawn: int | None) -> None:
    label = st.session_state[key]
    done = "Unassigned" if people[label] is None else f"{label} is responsible now"
    actions.change(
        f"assignee-{chat_id}",
        lambda: conversation.assign(
            session.store(), actions.actor(), chat_id, people[label], drawn=drawn
        ),
        done,
    )


@callback
def _close(chat_id: int) -> None:
    actions.run(
        lambda: conversation.close_chat(session.store(), actions.actor(), chat_id), "Chat closed"
    )


@callback
def _reopen(chat_id: int) -> None:
    actions.run(
        lambda: conversation.reopen_chat(session.store(), actions.actor(), chat_id),
        "Chat reopened",
    )


def chat_link(chat_id: int) -> str:
    """An address that opens exactly this chat for a logged-in user (SPEC T3)."""
    here = urlsplit(st.context.url or "")
    base = f"{here.scheme}://{here.netloc}" if here.netloc else ""
    return f"{base}/?chat={chat_id}"


def render_list_toggle() -> None:
    collapsed = st.session_state[state.LIST_COLLAPSED]
    st.button(
        "» List" if collapsed else "« List",
        key="toggle-list",
        on_click=_toggle_list,
        help="Show the chat list" if collapsed else "Hide the chat list",
    )


@callback
def _snooze(chat_id: int, until: datetime | None, drawn: datetime | None, zone: str) -> None:
    """Snooze until then, or until the date and time the popover's boxes say on the shop's
    clock (`zone`, as the popover said)."""
    if until is None:
        day, at = (
            st.session_state[f"snooze-day-{chat_id}"],
            st.session_state[f"snooze-at-{chat_id}"],
        )
        if day is None or at is None:
            st.toast("Choose a date and a time.", icon="⚠️")
            return
        until = utc_of(day, at, ZoneInfo(zone))
    actions.run(
        lambda: snooze.snooze(session.store(), actions.actor(), chat_id, until, drawn=drawn),
        "Snoozed: the chat is under Snoozed until then",
    )


@callback
def _end_snooze(chat_id: int, drawn: datetime) -> None:
    actions.run(
        lambda: snooze.end_snooze(session.store(), actions.actor(), chat_id, drawn=drawn),
        "Back in Open",
    )


def _render_snooze(chat: ChatRow, zone: ZoneInfo) -> None:
    """The snooze menu (SPEC T5): quick choices on the shop's clock, or a date and time."""
    if chat.snoozed_until is not None:
        with st.popover("⏰ Snoozed", key=f"snooze-{chat.id}", help="Snoozed: back in Open then"):
            st.caption(f"Snoozed until {snooze.until_text(chat.snoozed_until, zone)}")
            st.button("End snooze now", key=f"end-snooze-{chat.id}", on_click=_end_snooze,
                      args=(chat.id, chat.snoozed_until))  # fmt: skip
        return
    with st.popover("⏰ Snooze", key=f"snooze-{chat.id}", help="Out of Open until a time",
                    disabled=chat.state != "open"):  # fmt: skip
        st.caption("Back in Open then, or as soon as the customer writes")
        now = utc_now()
        for n, choice in enumerate(snooze.choices(now, zone)):
            st.button(choice.label, key=f"snooze-{chat.id}-{n}", on_click=_snooze,
                      args=(chat.id, choice.until, None, zone.key), width="stretch")  # fmt: skip
        local = in_zone(now, zone)
        day, at = st.columns(2, gap="small")
        day.date_input("Date", value=local.date(), min_value=local.date(),
                       key=f"snooze-day-{chat.id}", format="DD.MM.YYYY")  # fmt: skip
        at.time_input("Time", value=snooze.MORNING, key=f"snooze-at-{chat.id}", step=900)
        st.button("Snooze until then", key=f"snooze-{chat.id}-chosen", on_click=_snooze,
                  args=(chat.id, None, None, zone.key), width="stretch")  # fmt: skip
        st.caption(f"Times are the shop's: {zone.key}")


def render_top_bar(chat: ChatRow, assignable: list[User], shop_zone: ZoneInfo) -> None:
    toggle, title, close = st.columns([1.5, 3.9, 1.3], vertical_alignment="center", gap="small")
    with toggle:
        render_list_toggle()
    with title:
        st.markdown(f"**{markdown_plain(chat.name)}**")
        where = f"{chat.channel_icon} {markdown_plain(chat.channel_name)}"
        if chat.snoozed_until is not None:
            shown_state = f"⏰ {snooze.until_text(chat.snoozed_until, shop_zone, place=False)}"
        else:
            shown_state = chat.state.value
        st.caption(f"{where} · {markdown_plain(shown_state)}")
    people = {UNASSIGNED: None} | {p.name: p.id for p in assignable}
    shown = chat.assignee_name if chat.assignee_name in people else UNASSIGNED
    key = state.stored_key(f"assignee-{chat.id}", (chat.assignee_id, list(people)))
    who, later, link = st.columns([4, 1.7, 1.5], vertical_alignment="bottom", gap="small")
    with later:
        _render_snooze(chat, shop_zone)
    who.selectbox("Responsible", list(people), index=list(people).index(shown), key=key,
                  on_change=_assign, args=(chat.id, key, people, chat.assignee_id))  # fmt: skip
    with link.popover("🔗 Link", key=f"link-{chat.id}", help="Copy a link to this chat"):
        st.caption("Link to this chat")
        st.code(chat_link(chat.id), language=None)
    if chat.state == "open":
        close.button("Close", key=f"close-{chat.id}", on_click=_close, args=(chat.id,))
    else:
        close.button("Reopen", key=f"reopen-{chat.id}", on_click=_reopen, args=(chat.id,))


# --- messages --------------------------------------------------------------------------------


def _quote_html(message: Message) -> str:
    quoted = message.reply_to
    if quoted is None:
        return ""
    who = "Customer" if quoted.kind == MessageKind.CUSTOMER else (quoted.author_name or "")
    return f'<div class="quote">↪ {html_plain(who)}: {html_plain(shorten(quoted.text, 160))}</div>'


FILE_LABELS = {
    FileKind.PHOTO: "Photo",
    FileKind.DOCUMENT: "Document",
    FileKind.VOICE: "Voice message",
    FileKind.AUDIO: "Audio",
    FileKind.VIDEO: "Video",
    FileKind.STICKER: "Sticker",
}


def _size(size_bytes: int | None) -> str:
    if not size_bytes:
        return ""
    if size_bytes < 1024 * 1024:
        return f" · {max(1, round(size_bytes / 1024))} KB"
    return f" · {size_bytes / 1024 / 1024:.1f} MB"


def attachment_html(found: Attachment) -> str:
    """A file shown the way it is used: a picture, a player, or a download link. All are
    fetched through our server (the URL holds only our file id)."""
    url = found.url
    label = html_plain(FILE_LABELS.get(found.kind, "File"))
    mime = found.mime_type or ""
    if found.kind == FileKind.PHOTO or (found.kind == FileKind.STICKER and mime == "image/webp"):
        return f'<img class="attachment {found.kind.value}" src="{url}" alt="{label}">'
    if found.kind in (FileKind.VOICE, FileKind.AUDIO):
        return f'<audio class="attachment" controls preload="none" src="{url}"></audio>'
    name = html_plain(found.file_name or "") or label
    return (
        f'<a class="attachment file" href="{url}" download>📎 {name}'
        f"{html_plain(_size(found.size_bytes))}</a>"
    )


def bubble_html(message: Message, zone: ZoneInfo, now: datetime) -> str:
    """One message as our own HTML; every piece of text in it is escaped."""
    when = list_time(message.created_at, zone, now)
    if message.kind == MessageKind.SYSTEM:
        return f'<div class="system-line"><span>{html_plain(message.text)} · {when}</span></div>'
    kind = message.kind.value
    meta = when
    if message.kind == MessageKind.MANAGER and message.sent_from:
        meta = f"{when} · sent from {html_plain(registry.app_name(message.sent_from))}"
    elif message.automatic:
        meta = (f'<span class="automatic" title="Sent by the channel\'s automatic answers">'
                f"automatic</span> · {when} · {delivery_html(message)}")  # fmt: skip
    elif message.kind == MessageKind.MANAGER:
        meta = f"{html_plain(message.author_name or '')} · {when} · {delivery_html(message)}"
    title = html_plain(full_time(message.created_at, zone))
    if message.edited_at is not None:
        meta += f' · <span title="{html_plain(full_time(message.edited_at, zone))}">edited</span>'
    files = "".join(attachment_html(found) for found in message.attachments)
    text = f'<div class="text">{html_plain(message.text)}</div>' if message.text else ""
    return (
        f'<div class="bubble-row {kind}"><div class="bubble {kind}" title="{title}">'
        f"{_quote_html(message)}{files}{text}"
        f'<div class="meta">{meta}</div></div></div>'
    )


@callback
def _reply_to(chat_id: int, message_id: int | None) -> None:
    replies = dict(st.session_state[state.REPLY_TO])
    replies[chat_id] = message_id
    st.session_state[state.REPLY_TO] = replies


@callback
def _retry(message_id: int) -> None:
    actions.run(
        lambda: conversation.retry_delivery(session.store(), actions.actor(), message_id),
        "Sending again",
    )


def _message_menu(message: Message) -> None:
    with st.popover("···", key=f"menu-{message.id}", help="Message actions", type="tertiary"):
        st.button(
            "Reply",
            key=f"reply-{message.id}",
            on_click=_reply_to,
            args=(message.chat_id, message.id),
        )
        if message.delivery_state is not None and message.delivery_state.can_retry:
            st.button(
                "Retry sending", key=f"retry-{message.id}", on_click=_retry, args=(message.id,)
            )


def render_messages(
    messages: list[Message],
    zone: ZoneInfo,
    now: datetime,
    has_earlier: bool,
    found_id: int | None = None,
) -> None:
    """The conversation, scrolled to its end; opened from a search, it starts at the message
    found, which is marked."""
    found_shown = any(message.id == found_id for message in messages)
    key = "conversation-found" if found_shown else "conversation"
    with st.container(height=460, autoscroll=not found_shown, key=key):
        if not messages:
            st.caption("No messages yet.")
        elif has_earlier:
            st.button(
                "Show earlier messages",
                key=f"earlier-{messages[0].chat_id}",
                on_click=state.show_earlier,
                args=(messages[0].chat_id, len(messages)),
                type="tertiary",
            )
        for message in messages:
            bubble = bubble_html(message, zone, now)
            if message.id == found_id:
                bubble = f'<div class="found-message" title="Found by your search">{bubble}</div>'
            if message.kind == MessageKind.SYSTEM:
                st.html(bubble)
            elif message.kind == MessageKind.CUSTOMER:
                text, menu = st.columns([7, 1], vertical_alignment="center", gap="small")
                text.html(bubble)
                with menu:
                    _message_menu(message)
            else:
                menu, text = st.columns([1, 7], vertical_alignment="center", gap="small")
                text.html(bubble)
                with menu:
                    _message_menu(message)


def note_seen(chat_id: int, messages: list[Message]) -> None:
    """The viewer has seen the conversation shown: the chat's dot goes from their list. Marked
    once per newer message, not on every run."""
    newest = max((m.id for m in messages if m.kind != MessageKind.SYSTEM), default=None)
    seen = st.session_state[state.SEEN_UP_TO]
    if newest is None or seen.get(chat_id, 0) >= newest:
        return
    conversation.mark_seen(session.store(), actions.actor(), chat_id, newest)
    st.session_state[state.SEEN_UP_TO] = {**seen, chat_id: newest}


# --- reply box -------------------------------------------------------------------------------


@callback
def _send(chat_id: int, key: str) -> None:
    """Send the box drawn as `key`. Its reply is stored once: a second press carried by a page
    drawn before the first was stored names a box that is already emptied."""
    if key != state.draft_key(chat_id):
        return
    reply_to = st.session_state[state.REPLY_TO].get(chat_id)
    files = reply_attachments.attached(chat_id)
    sent = actions.run(
        lambda: conversation.send_reply(
            session.store(),
            actions.actor(),
            chat_id,
            st.session_state.get(key, ""),
            reply_to,
            files=files,
        )  # fmt: skip
    )
    if sent:  # the box is emptied only now that its reply is stored
        state.renew(state.draft_name(chat_id), forget=True)
        reply_attachments.forget(chat_id)
        _reply_to(chat_id, None)


@callback
def _send_template(chat_id: int, key: str, keys: dict[str, str]):
    template = keys[st.session_state[key]]
    actions.run(
        lambda: conversation.send_template(session.store(), actions.actor(), chat_id, template),
        "Template sent",
    )


def _render_closed_window(chat: ChatRow, rules: ReplyRules, messages: list[Message], zone):
    """The platform takes no free text now: say since when, and offer its templates."""
    closed = full_time(rules.closes_at, zone)
    takes = "only approved templates" if rules.uses_templates else "no reply"
    st.warning(
        f"More than {rules.window} since the customer wrote: the window closed on {closed}, "
        f"and {rules.app} takes {takes} until they write again.",
        icon="⏱️",
    )
    if not rules.templates:
        if rules.uses_templates:
            st.caption("An administrator lists the templates in Settings → Channels.")
        return
    keys = {f"{t.label}: {shorten(t.text, 60)}": t.key for t in rules.templates}
    key = f"template-{chat.id}"
    pick, send = st.columns([4, 1.5], vertical_alignment="bottom", gap="small")
    pick.selectbox("Approved template", list(keys), key=key, label_visibility="collapsed")
    # Named by the chat's last message: a second press carried by a page drawn before the
    # first was stored names a button that is gone, and sends nothing.
    last_id = messages[-1].id if messages else 0
    send.button("Send template", key=f"send-template-{chat.id}-{last_id}", type="primary",
                on_click=_send_template, args=(chat.id, key, keys), width="stretch")  # fmt: skip


def render_reply_box(
    chat: ChatRow,
    messages: list[Message],
    rules: ReplyRules | None = None,
    zone: ZoneInfo | None = None,
    now: datetime | None = None,
    replies: list[QuickReply] = (),
    values: dict[str, str | None] | None = None,
) -> None:
    """The box holds at most what the chat's channel takes. Once the platform's reply window
    has closed, templates take its place; the draft is kept (persist_state) for when the
    customer writes again."""
    chat_id = chat.id
    if rules is not None and rules.unsubscribed_at is not None:
        since = full_time(rules.unsubscribed_at, zone)
        st.warning(
            f"The customer unsubscribed from the bot on {since}: {rules.app} delivers no reply "
            "until they write again.",
            icon="🔕",
        )
        return
    if rules is not None and now is not None and rules.closed(now):
        _render_closed_window(chat, rules, messages, zone)
        return
    quoted_id = st.session_state[state.REPLY_TO].get(chat_id)
    quoted = next((m for m in messages if m.id == quoted_id), None)
    if quoted is not None:
        who = "Customer" if quoted.kind == MessageKind.CUSTOMER else quoted.author_name
        text, cancel = st.columns([14, 1], vertical_alignment="center")
        text.html(
            f'<div class="bubble customer"><div class="quote">Replying to {html_plain(who or "")}:'
            f" {html_plain(shorten(quoted.text, 200))}</div></div>"
        )
        cancel.button("✕", key=f"cancel-reply-{chat_id}", on_click=_reply_to, args=(chat_id, None))
    key = state.draft_key(chat_id)
    max_chars = conversation.reply_length(chat.channel_kind)
    texts = quick_replies_view.filled(replies, values or {})
    st.container(key=quick_replies_view.BOX).text_area(
        "Reply",
        key=key,
        placeholder="Type a reply… (/ for quick replies)",
        height=90,
        max_chars=max_chars,
        label_visibility="collapsed",
        persist_state="session",
    )
    reply_attachments.render_list(chat_id)
    takes_files = reply_attachments.takes_files(chat.channel_kind)
    widths = [1, 0.8, 5] if takes_files else [1, 5]
    send, *attach, picker = st.columns(widths, gap="small", vertical_alignment="center")
    send.button("Send", key=f"send-{chat_id}", type="primary", on_click=_send, args=(chat_id, key))
    if takes_files:
        with attach[0]:
            reply_attachments.render_button(chat_id, chat.channel_kind)
    with picker:
        quick_replies_view.render_picker(chat_id, replies, texts, max_chars)
    quick_replies_view.render_slash(replies, texts)
