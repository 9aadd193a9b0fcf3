"""A customer message arriving from a channel."""

from datetime import datetime

from inbox.errors import InvalidInput, NotFound
from inbox.models import (
    ChatState,
    FileKind,
    InboundFile,
    InboundMessage,
    InboundResult,
    MessageKind,
    SystemEvent,
    file_url,
)
from inbox.services.common import now_or_utc, record_event
from inbox.store import Store, channels, chats, contacts, files, messages, visitors


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
    if not inbound.text.strip() and not inbound.attachments:
        raise InvalidInput("A customer message needs some text or a file.")
    now = now_or_utc(now)
    with store.write() as cur:
        if channels.get(cur, inbound.channel_id) is None:
            raise NotFound("No such channel.")
        store.touch(inbound.channel_id)  # a new lead shows in the list
        contact = contacts.find_external(cur, inbound.channel_id, inbound.external_user_id)
        new_lead = contact is None
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
            store.touch(inbound.channel_id, chat_id)
        else:
            chat_id, state = existing_chat
            store.touch(inbound.channel_id, chat_id)
            duplicate = messages.find_external(cur, chat_id, inbound.external_message_id)
            if duplicate is not None:
                return InboundResult(
                    chat_id=chat_id,
                    message_id=duplicate,
                    created=False,
                    contact_id=contact.id,
                )
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
        for found in inbound.attachments:
            files.insert(cur, inbound.channel_id, found, now, message_id=message_id)
        if inbound.page_url:
            visitors.record_page(cur, contact.id, inbound.page_url, inbound.page_title, now)
        chats.record_customer_message(cur, chat_id, now)
        return InboundResult(
            chat_id=chat_id,
            message_id=message_id,
            created=True,
            contact_id=contact.id,
            new_lead=new_lead,
        )


def edit_customer_message(
    store: Store,
    channel_id: int,
    external_user_id: str,
    external_message_id: str,
    text: str,
    now: datetime | None = None,
) -> bool:
    """The customer edited a message in the messenger: the stored text becomes the new one,
    marked as edited. False when we never stored the message (nothing to edit)."""
    now = now_or_utc(now)
    with store.write() as cur:
        store.touch(channel_id)
        contact = contacts.find_external(cur, channel_id, external_user_id)
        found = chats.find_by_contact(cur, contact.id) if contact else None
        message_id = messages.find_external(cur, found[0], external_message_id) if found else None
        if message_id is None:
            return False
        store.touch(channel_id, found[0])
        messages.edit(cur, message_id, text, now)
        return True


def set_profile_photo(
    store: Store, channel_id: int, contact_id: int, photo_id: str, now: datetime | None = None
) -> None:
    """The lead's photo in the messenger becomes their photo in the list and the card."""
    photo = InboundFile(
        kind=FileKind.PROFILE_PHOTO, external_file_id=photo_id, mime_type="image/jpeg"
    )
    with store.write() as cur:
        found = chats.find_by_contact(cur, contact_id)
        store.touch(channel_id, found[0] if found else None)
        file_id = files.insert(cur, channel_id, photo, now_or_utc(now), contact_id=contact_id)
        contacts.set_avatar(cur, contact_id, file_url(file_id))
