"""A customer message arriving from a channel."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from inbox.errors import InvalidInput, NotFound
from inbox.models import (
    ChatState,
    Contact,
    FileKind,
    InboundEcho,
    InboundFile,
    InboundMessage,
    InboundReaction,
    InboundRead,
    InboundResult,
    InboundStatus,
    InboundSubscription,
    MessageKind,
    SystemEvent,
    file_url,
)
from inbox.services import auto_replies, snooze
from inbox.services.common import now_or_utc, record_event
from inbox.store import (
    Store,
    channels,
    chats,
    contacts,
    deliveries,
    files,
    messages,
    search_index,
    visitors,
)


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
    [result] = receive_batch(store, [inbound], now)
    return result


Delivered = (
    InboundMessage | InboundEcho | InboundRead | InboundStatus | InboundReaction
    | InboundSubscription
)  # fmt: skip


def receive_batch(
    store: Store, delivered: list[Delivered], now: datetime | None = None
) -> list[InboundResult]:
    """Everything one post of a platform carries, in one transaction: customers' messages
    (each stored once, so the platform's retry of the post stores nothing new), messages the
    shop sent from the platform's app, read marks, what became of our replies, and
    reactions. Returns what became of each message and echo, in their order."""
    for each in delivered:
        if isinstance(each, InboundMessage):
            _require_content(each)
    now = now_or_utc(now)
    results = []
    with store.write() as cur:
        known = Known.of(cur, delivered)
        for each in delivered:
            if isinstance(each, InboundMessage):
                results.append(_receive(store, cur, each, now, known))
            elif isinstance(each, InboundEcho):
                results.append(_record_echo(store, cur, each, now, known))
            elif isinstance(each, InboundStatus):
                _record_status(store, cur, each, now)
            elif isinstance(each, InboundSubscription):
                _record_subscription(store, cur, each, now)
            elif isinstance(each, InboundReaction):
                _record_reaction(store, cur, each, now)
            else:
                _record_read(store, cur, each, now)
        known.finish(store, cur, now)
    return results


@dataclass
class PostStored:
    """A platform's post stored: its new messages' files, to keep while their addresses work,
    and its new leads (contact id, their id on the platform), whose profiles are still to
    fill in."""

    results: list[InboundResult]
    file_ids: list[int]
    new_leads: list[tuple[int, str]]


def receive_post(store: Store, taken: list, now: datetime | None = None) -> PostStored:
    """What a webhook post carries, stored in one transaction (`receive_batch`)."""
    results = receive_batch(store, taken, now)
    made = [r for r in results if r.created]
    with store.read() as cur:
        file_ids = files.of_message_ids(cur, [r.message_id for r in made])
    people = [each for each in taken if isinstance(each, InboundMessage | InboundEcho)]
    new_leads = [
        (result.contact_id, each.external_user_id)
        for each, result in zip(people, results, strict=True)
        if result.new_lead
    ]
    return PostStored(results, file_ids, new_leads)


def _require_content(inbound: InboundMessage) -> None:
    if not inbound.text.strip() and not inbound.attachments:
        raise InvalidInput("A customer message needs some text or a file.")


class Known:
    """What a batch's transaction has looked up already: the channels found, and the
    contacts of its people (None: no such contact yet), read in one query per channel
    instead of one per message."""

    def __init__(self) -> None:
        self.channels: dict[int, str] = {}  # id -> kind
        self.looked = auto_replies.Looked()
        self.contacts: dict[tuple[int, str], Contact | None] = {}
        # chat id -> (customer messages stored, not yet counted; the last one's id)
        self.wrote: dict[int, tuple[int, int]] = {}
        self.unindexed: list[tuple[int, int, str]] = []  # messages stored, their words not yet

    def customer_wrote(self, chat_id: int, message_id: int) -> None:
        count, last = self.wrote.get(chat_id, (0, 0))
        self.wrote[chat_id] = (count + 1, max(last, message_id))

    def finish(self, store: Store, cur, now: datetime) -> None:
        """Each chat's new messages counted in one update, and the words of all of them
        indexed at once, at the end of the batch."""
        for chat_id, (count, last) in self.wrote.items():
            chats.record_customer_message(cur, chat_id, now, last, count)
        self.wrote.clear()
        written = search_index.add(cur, self.unindexed, store.known_words)
        store.after_commit(lambda: store.known_words.remember(written))
        self.unindexed.clear()

    @classmethod
    def of(cls, cur, delivered: list) -> "Known":
        known = cls()
        people: dict[int, set[str]] = {}
        for each in delivered:
            if isinstance(each, InboundMessage | InboundEcho):
                people.setdefault(each.channel_id, set()).add(each.external_user_id)
        for channel_id, ids in people.items():
            found = {c.external_id: c for c in contacts.find_many(cur, channel_id, sorted(ids))}
            for external_id in ids:
                known.contacts[(channel_id, external_id)] = found.get(external_id)
        return known


def _lead_and_chat(
    store: Store, cur, channel_id: int, external_user_id: str, name: str, handle, avatar, now,
    known: Known,
) -> tuple[int, int, ChatState, datetime | None, bool, bool]:  # fmt: skip
    """The person's contact and chat in this channel, made on first contact: (contact id, chat
    id, its state, until when it is snoozed, whether the lead is new, whether the chat is)."""
    if channel_id not in known.channels:
        channel = channels.get(cur, channel_id)
        if channel is None:
            raise NotFound("No such channel.")
        known.channels[channel_id] = channel.kind
    store.touch(channel_id)  # a new lead shows in the list
    contact = known.contacts[(channel_id, external_user_id)]
    new_lead = contact is None
    if contact is None:
        contact = contacts.insert(cur, channel_id, external_user_id, name, handle, avatar, now)
        known.contacts[(channel_id, external_user_id)] = contact
    found = None if new_lead else chats.find_by_contact(cur, contact.id)
    new_chat = found is None
    if found is None:
        found = (chats.insert(cur, channel_id, contact.id, now), ChatState.OPEN, None)
    store.touch(channel_id, found[0])
    return contact.id, *found, new_lead, new_chat


def _receive(
    store: Store, cur, inbound: InboundMessage, now: datetime, known: Known
) -> InboundResult:
    contact_id, chat_id, state, snoozed_until, new_lead, new_chat = _lead_and_chat(
        store,
        cur,
        inbound.channel_id,
        inbound.external_user_id,
        _lead_name(inbound),
        inbound.handle,
        inbound.avatar_url,
        now,
        known,
    )
    # A new lead's chat is new: nothing in it to be a duplicate of.
    duplicate = (
        None if new_lead else messages.find_external(cur, chat_id, inbound.external_message_id)
    )
    if duplicate is not None:
        return InboundResult(
            chat_id=chat_id, message_id=duplicate, created=False, contact_id=contact_id
        )
    if state == ChatState.CLOSED:
        chats.set_state(cur, chat_id, ChatState.OPEN)
        record_event(cur, chat_id, SystemEvent.REOPENED, "Reopened: the customer wrote again.", now)
    if snoozed_until is not None:
        snooze.end_early(cur, chat_id, snoozed_until, now)
    message_id = messages.insert(
        cur, chat_id, MessageKind.CUSTOMER, inbound.text, now,
        external_id=inbound.external_message_id, unindexed=known.unindexed,
    )  # fmt: skip
    for found in inbound.attachments:
        files.insert(cur, inbound.channel_id, found, now, message_id=message_id)
    if inbound.page_url:
        visitors.record_page(cur, contact_id, inbound.page_url, inbound.page_title, now)
    known.customer_wrote(chat_id, message_id)
    auto_replies.answer(
        cur, inbound.channel_id, known.channels[inbound.channel_id], chat_id, new_chat,
        inbound.automatic, now, known.looked,
    )  # fmt: skip
    return InboundResult(
        chat_id=chat_id,
        message_id=message_id,
        created=True,
        contact_id=contact_id,
        new_lead=new_lead,
    )


# How long after a reply of ours an echo with its text is taken for that reply's echo.
ECHO_OF_OURS_WITHIN = timedelta(hours=1)


def _record_echo(
    store: Store, cur, echo: InboundEcho, now: datetime, known: Known
) -> InboundResult:
    """A message the shop sent from the platform's app shows as staff; it neither clears nor
    grows the badge. The echo of a reply the inbox sent is not stored again."""
    name = f"Guest {echo.external_user_id}"
    contact_id, chat_id, _, _, new_lead, _ = _lead_and_chat(
        store, cur, echo.channel_id, echo.external_user_id, name, None, None, now, known
    )
    stored = messages.find_external(cur, chat_id, echo.external_message_id)
    if stored is None:  # ours, echoed before its send finished?
        stored = messages.reply_on_its_way(cur, chat_id, echo.text, now - ECHO_OF_OURS_WITHIN)
    if stored is not None:
        return InboundResult(
            chat_id=chat_id, message_id=stored, created=False, contact_id=contact_id
        )
    message_id = messages.insert(
        cur, chat_id, MessageKind.MANAGER, echo.text, now,
        external_id=echo.external_message_id, sent_from=echo.sent_from,
        unindexed=known.unindexed,
    )  # fmt: skip
    for found in echo.attachments:
        files.insert(cur, echo.channel_id, found, now, message_id=message_id)
    chats.record_message_elsewhere(cur, chat_id, now, message_id)
    return InboundResult(
        chat_id=chat_id, message_id=message_id, created=True, contact_id=contact_id,
        new_lead=new_lead,
    )  # fmt: skip


def _record_read(store: Store, cur, read: InboundRead, now: datetime) -> None:
    contact = contacts.find_external(cur, read.channel_id, read.external_user_id)
    found = chats.find_by_contact(cur, contact.id) if contact else None
    if found is None:
        return
    chat_id = found[0]
    if read.up_to_external_id is not None:
        up_to = messages.find_external(cur, chat_id, read.up_to_external_id)
    else:
        up_to = messages.last_reply_before(cur, chat_id, read.up_to or now)
    if up_to and visitors.mark_read(cur, chat_id, up_to, now):
        store.touch(read.channel_id, chat_id)


def _chat_of(cur, channel_id: int, external_user_id: str) -> int | None:
    contact = contacts.find_external(cur, channel_id, external_user_id)
    found = chats.find_by_contact(cur, contact.id) if contact else None
    return found[0] if found else None


def _record_status(store: Store, cur, status: InboundStatus, now: datetime) -> None:
    """Delivered gives ✓✓ delivered, read moves the chat's read mark to that reply (and the
    ones before it), failed makes the reply not delivered with the platform's reason."""
    chat_id = _chat_of(cur, status.channel_id, status.external_user_id)
    message_id = (
        messages.find_external(cur, chat_id, status.external_message_id) if chat_id else None
    )
    if message_id is None:
        return  # a message sent from the platform's app, or one we never stored
    if status.status == "delivered":
        changed = deliveries.mark_delivered(cur, message_id, now)
    elif status.status == "read":
        changed = visitors.mark_read(cur, chat_id, message_id, now)
    elif status.status == "failed":
        reason = status.reason or "The platform could not deliver it."
        changed = deliveries.fail_after_sending(cur, message_id, reason, now)
    else:
        changed = False
    if changed:
        store.touch(status.channel_id, chat_id)


def _record_subscription(store: Store, cur, change: InboundSubscription, now: datetime) -> None:
    """A short system line when the customer leaves the bot or comes back; told once."""
    chat_id = _chat_of(cur, change.channel_id, change.external_user_id)
    if chat_id is None:
        return  # someone who never wrote: no chat to tell
    away = chats.unsubscribed_at(cur, chat_id) is not None
    if change.subscribed != away:
        return  # already so: Viber posts an event again until it is answered
    chats.set_unsubscribed(cur, chat_id, None if change.subscribed else now)
    if change.subscribed:
        event, text = SystemEvent.SUBSCRIBED, "The customer subscribed to the bot again."
    else:
        event = SystemEvent.UNSUBSCRIBED
        text = "The customer unsubscribed from the bot: no reply reaches them until they write."
    messages.insert(cur, chat_id, MessageKind.SYSTEM, text, now, event=event)
    store.touch(change.channel_id, chat_id)


def _record_reaction(store: Store, cur, reaction: InboundReaction, now: datetime) -> None:
    chat_id = _chat_of(cur, reaction.channel_id, reaction.external_user_id)
    if chat_id is None or messages.find_external(cur, chat_id, reaction.external_message_id):
        return
    to = messages.find_external(cur, chat_id, reaction.reacted_to) if reaction.reacted_to else None
    quoted = messages.get(cur, to) if to else None
    about = f" to “{quoted.text[:80]}”" if quoted and quoted.text else ""
    if reaction.emoji:
        text = f"The customer reacted {reaction.emoji}{about}."
    else:
        text = f"The customer took back their reaction{about}."
    messages.insert(
        cur, chat_id, MessageKind.SYSTEM, text, now, event=SystemEvent.REACTED,
        external_id=reaction.external_message_id,
    )  # fmt: skip
    store.touch(reaction.channel_id, chat_id)


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
        messages.edit(cur, found[0], message_id, text, now)
        return True


def set_profile_photo(
    store: Store, channel_id: int, contact_id: int, photo_id: str, now: datetime | None = None
) -> int:
    """The lead's photo in the messenger becomes their photo in the list and the card."""
    return set_lead_profile(store, channel_id, contact_id, photo_id=photo_id, now=now)


def set_lead_profile(
    store: Store,
    channel_id: int,
    contact_id: int,
    name: str = "",
    photo_id: str | None = None,
    now: datetime | None = None,
) -> int | None:
    """What the platform's profile says of a new lead: the name replaces the one the lead got
    on arrival ("Guest …"), unless a manager has renamed them meanwhile, and the photo becomes
    theirs in the list and the card. Returns the photo's file id."""
    with store.write() as cur:
        contact = contacts.get(cur, contact_id)
        if contact is None:
            raise NotFound("No such contact.")
        found = chats.find_by_contact(cur, contact_id)
        store.touch(channel_id, found[0] if found else None)
        if name.strip() and contact.display_name == f"Guest {contact.external_id}":
            contacts.rename(cur, contact_id, name.strip()[:500])
        if photo_id is None:
            return None
        photo = InboundFile(
            kind=FileKind.PROFILE_PHOTO, external_file_id=photo_id, mime_type="image/jpeg"
        )
        file_id = files.insert(cur, channel_id, photo, now_or_utc(now), contact_id=contact_id)
        contacts.set_avatar(cur, contact_id, file_url(file_id))
        return file_id
