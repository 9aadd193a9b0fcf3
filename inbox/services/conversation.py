"""What managers do in the conversation: reply, assign, close and reopen."""

from datetime import datetime, timedelta
from typing import Any

from inbox.channels import registry
from inbox.channels.base import no_templates as _no_templates
from inbox.errors import InvalidInput, NotFound
from inbox.models import (
    ChatRow,
    ChatState,
    Message,
    MessageKind,
    ReplyRules,
    ReplyTemplate,
    SystemEvent,
    Upload,
    User,
)
from inbox.services import quick_replies, reply_files
from inbox.services.common import (
    CHAT_NOT_FOUND,
    UNCHECKED,
    now_or_utc,
    record_event,
    require_chat,
    require_text,
    require_unchanged,
)
from inbox.store import Store, access, channels, chat_views, chats, deliveries, messages, users
from inbox.store import files as files_store


def reply_length(channel_kind: str) -> int:
    """The longest reply a chat's channel takes."""
    return registry.kind(channel_kind).limits.text_length


def window_closed_at(chat: ChatRow, config: dict[str, Any], now: datetime) -> datetime | None:
    """When the chat's platform stopped taking replies (its reply window after the customer's
    last message), or None while it takes them."""
    window = registry.kind(chat.channel_kind).reply_window(config)
    if window is None or chat.last_customer_at + window > now:
        return None
    return chat.last_customer_at + window


def _span(window: timedelta) -> str:
    hours = round(window.total_seconds() / 3600)
    return f"{hours} hours" if hours < 48 else f"{round(hours / 24)} days"


def _require_reply_fits(cur, chat: ChatRow, text: str, now: datetime, with_files=False) -> str:
    kind = registry.kind(chat.channel_kind)
    if with_files and not text.strip():
        text = ""
    else:
        text = require_text(text, "A reply", kind.limits.text_length)
    quick_replies.require_filled(text)
    size = len(text.encode())
    if kind.limits.text_bytes is not None and size > kind.limits.text_bytes:
        raise InvalidInput(
            f"{kind.app} takes a reply of at most {kind.limits.text_bytes} bytes; this one has "
            f"{size} (letters outside the Latin alphabet take two or more each)."
        )
    away = chats.unsubscribed_at(cur, chat.id)
    if away is not None:
        raise InvalidInput(
            f"The customer unsubscribed from the bot on {away:%-d %b %Y at %H:%M} UTC: "
            f"{kind.app} delivers no reply until they write again."
        )
    config = channels.settings(cur, chat.channel_id) or {}
    closed = window_closed_at(chat, config, now)
    if closed is not None:
        raise InvalidInput(
            f"{kind.app} takes replies only within {_span(closed - chat.last_customer_at)} of "
            f"the customer's last message: this chat's window closed on "
            f"{closed:%-d %b %Y at %H:%M} UTC. It opens again when the customer writes"
            + (", or send one of the channel's templates." if kind.templates(config) else ".")
        )
    return text


def send_reply(
    store: Store,
    actor: User,
    chat_id: int,
    text: str,
    reply_to_id: int | None = None,
    now: datetime | None = None,
    files: list[Upload] = (),
) -> Message:
    """Store a manager reply, waiting for delivery, with the files attached to it (a reply may
    be files alone). It clears the badge, leaves the chat's place in the list alone, and makes
    the first replier responsible for the chat. A file the channel does not take refuses the
    whole reply, before anything is stored."""
    now = now_or_utc(now)
    with store.write() as cur:
        chat = require_chat(cur, actor, chat_id)
        text = _require_reply_fits(cur, chat, text, now, with_files=bool(files))
        prepared = reply_files.prepare(chat.channel_kind, list(files))
        if reply_to_id is not None:
            quoted = messages.get(cur, reply_to_id)
            if quoted is None or quoted.chat_id != chat_id:
                raise InvalidInput("The message you reply to is not in this chat.")
        return _store_reply(
            store, cur, actor, chat, text, now, reply_to_id=reply_to_id, files=prepared
        )


def send_template(
    store: Store, actor: User, chat_id: int, template_key: str, now: datetime | None = None
) -> Message:
    """Send one of the channel's approved templates ("name language"): what a platform still
    takes once its reply window has closed. Stored and delivered as a reply is."""
    now = now_or_utc(now)
    with store.write() as cur:
        chat = require_chat(cur, actor, chat_id)
        kind = registry.kind(chat.channel_kind)
        config = channels.settings(cur, chat.channel_id) or {}
        found = next((t for t in kind.templates(config) if t.key == template_key), None)
        if found is None:
            raise InvalidInput(
                "This channel has no such template: an administrator lists them in Settings → "
                "Channels."
            )
        return _store_reply(store, cur, actor, chat, found.shown, now, template=found.key)


def _store_reply(
    store: Store, cur, actor: User, chat: ChatRow, text: str, now: datetime, files=(), **more
) -> Message:
    store.touch(chat.channel_id, chat.id)
    message_id = messages.insert(
        cur, chat.id, MessageKind.MANAGER, text, now, author_id=actor.id, **more
    )
    for each in files:
        files_store.insert_reply_file(
            cur, chat.channel_id, message_id, each.kind, each.file_name, each.mime_type,
            each.body, now,
        )  # fmt: skip
    deliveries.enqueue(cur, message_id, chat.id, now)
    chats.record_manager_message(cur, chat.id, now, message_id)
    if chats.claim_if_unassigned(cur, chat.id, actor.id):
        record_event(
            cur,
            chat.id,
            SystemEvent.ASSIGNED,
            f"{actor.name} became responsible (first reply).",
            now,
            actor,
        )
    return messages.get(cur, message_id)


def reply_rules(cur, chat: ChatRow) -> ReplyRules:
    """What the reply box of a chat needs to know of its platform: when it stops taking
    replies, and the templates it takes after that."""
    kind = registry.kind(chat.channel_kind)
    config = channels.settings(cur, chat.channel_id) or {}
    window = kind.reply_window(config)
    return ReplyRules(
        app=kind.app or kind.label,
        window=_span(window) if window else "",
        closes_at=chat.last_customer_at + window if window else None,
        uses_templates=kind.templates is not _no_templates,
        unsubscribed_at=chats.unsubscribed_at(cur, chat.id),
        templates=[
            ReplyTemplate(key=t.key, label=f"{t.name} ({t.language})", text=t.shown)
            for t in kind.templates(config)
        ],
    )


def assign(
    store: Store,
    actor: User,
    chat_id: int,
    assignee_id: int | None,
    now: datetime | None = None,
    *,
    drawn: int | None = UNCHECKED,
) -> ChatRow:
    """Make someone responsible, hand the chat over, or unassign it (assignee_id None).
    `drawn` is the responsible person the page showed: when that is no longer so, nothing
    changes (a page drawn before a first reply never unassigns its author)."""
    now = now_or_utc(now)
    with store.write() as cur:
        chat = require_chat(cur, actor, chat_id)
        store.touch(chat.channel_id, chat_id)
        if chat.assignee_id == assignee_id:
            return chat
        require_unchanged(
            drawn, chat.assignee_id, "The responsible person", chat.assignee_name or "nobody"
        )
        if assignee_id is None:
            event, text = SystemEvent.UNASSIGNED, f"{actor.name} unassigned {chat.assignee_name}."
        else:
            assignee = users.get(cur, assignee_id)
            if assignee is None or not access.can_access_channel(cur, assignee_id, chat.channel_id):
                raise InvalidInput("That person has no access to this chat's channel.")
            if chat.assignee_id is None:
                event, text = SystemEvent.ASSIGNED, f"{actor.name} assigned {assignee.name}."
            else:
                event = SystemEvent.REASSIGNED
                text = (
                    f"{actor.name} reassigned the chat"
                    f" from {chat.assignee_name} to {assignee.name}."
                )
        chats.set_assignee(cur, chat_id, assignee_id)
        record_event(cur, chat_id, event, text, now, actor)
        return chats.visible(cur, actor.id, chat_id)


def _set_state(
    store: Store, actor: User, chat_id: int, state: ChatState, now: datetime | None
) -> ChatRow:
    now = now_or_utc(now)
    with store.write() as cur:
        chat = require_chat(cur, actor, chat_id)
        store.touch(chat.channel_id, chat_id)
        if chat.state == state:
            return chat
        chats.set_state(cur, chat_id, state)
        if state == ChatState.CLOSED:
            record_event(
                cur, chat_id, SystemEvent.CLOSED, f"{actor.name} closed the chat.", now, actor
            )
        else:
            record_event(
                cur, chat_id, SystemEvent.REOPENED, f"{actor.name} reopened the chat.", now, actor
            )
        return chats.visible(cur, actor.id, chat_id)


def close_chat(store: Store, actor: User, chat_id: int, now: datetime | None = None) -> ChatRow:
    return _set_state(store, actor, chat_id, ChatState.CLOSED, now)


def reopen_chat(store: Store, actor: User, chat_id: int, now: datetime | None = None) -> ChatRow:
    return _set_state(store, actor, chat_id, ChatState.OPEN, now)


def retry_delivery(store: Store, actor: User, message_id: int, now: datetime | None = None) -> None:
    """Send again a reply that failed, or whose fate is unknown (it may arrive twice then)."""
    with store.write() as cur:
        message = messages.get(cur, message_id)
        if message is None:
            raise NotFound("No such message.")
        store.touch(require_chat(cur, actor, message.chat_id).channel_id, message.chat_id)
        if not deliveries.retry(cur, message_id, now_or_utc(now)):
            raise InvalidInput("Only a reply that was not delivered can be sent again.")


def mark_seen(store: Store, viewer: User, chat_id: int, message_id: int) -> None:
    """The viewer has seen the chat up to this message: its dot goes from their list only.
    Nobody's page reads again for it, and the team's badge stays (SPEC C3)."""
    with store.write(shown=False, news=False) as cur:
        if not chat_views.mark(cur, viewer.id, chat_id, message_id):
            raise NotFound(CHAT_NOT_FOUND)
