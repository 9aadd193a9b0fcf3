"""A customer message arriving from a channel."""

from datetime import datetime

from inbox.errors import InvalidInput, NotFound
from inbox.models import ChatState, InboundMessage, InboundResult, MessageKind, SystemEvent
from inbox.services.common import now_or_utc, record_event
from inbox.store import Store, channels, chats, contacts, messages


def _lead_name(inbound: InboundMessage) -> str:
    name = inbound.display_name.strip()
    if name:
        return name
    if inbound.handle:
        return f"@{inbound.handle.lstrip('@')}"
    return f"Guest {inbound.external_user_id}"


def receive_customer_message(
    store: Store, inbound: InboundMessage, now: datetime | None = None
) -> InboundResult:
    """Store a customer message once, creating the lead and the chat on first contact.

    The same channel message delivered again returns the stored one with created=False. A
    message to a closed chat reopens it, and a system message says why.
    """
    if not inbound.text.strip():
        raise InvalidInput("A customer message needs some text.")
    now = now_or_utc(now)
    with store.write() as cur:
        if channels.get(cur, inbound.channel_id) is None:
            raise NotFound("No such channel.")
        contact = contacts.find_external(cur, inbound.channel_id, inbound.external_user_id)
        if contact is None:
            contact = contacts.insert(
                cur,
                inbound.channel_id,
                inbound.external_user_id,
                _lead_name(inbound),
                inbound.handle,
                inbound.avatar_url,
                now,
            )
        existing_chat = chats.find_by_contact(cur, contact.id)
        if existing_chat is None:
            chat_id = chats.insert(cur, inbound.channel_id, contact.id, now)
        else:
            chat_id, state = existing_chat
            duplicate = messages.find_external(cur, chat_id, inbound.external_message_id)
            if duplicate is not None:
                return InboundResult(chat_id=chat_id, message_id=duplicate, created=False)
            if state == ChatState.CLOSED:
                chats.set_state(cur, chat_id, ChatState.OPEN)
                record_event(
                    cur, chat_id, SystemEvent.REOPENED, "Reopened: the customer wrote again.", now
                )
        message_id = messages.insert(
            cur,
            chat_id,
            MessageKind.CUSTOMER,
            inbound.text,
            now,
            external_id=inbound.external_message_id,
        )
        chats.record_customer_message(cur, chat_id, now)
        return InboundResult(chat_id=chat_id, message_id=message_id, created=True)
