"""The lead in a chat: rename, notes, and turning them into a customer."""

from datetime import datetime

from inbox.errors import ChangedMeanwhile, NotFound
from inbox.models import Customer, CustomerInput, Note, SystemEvent, User
from inbox.services.common import (
    UNCHECKED,
    now_or_utc,
    record_event,
    require_chat,
    require_text,
    require_unchanged,
)
from inbox.store import Store, contacts, customers
from inbox.text import isolate

MAX_NOTE_LENGTH = 5000


def rename_lead(
    store: Store,
    actor: User,
    chat_id: int,
    name: str,
    now: datetime | None = None,
    *,
    drawn: str = UNCHECKED,
) -> None:
    """`drawn` is the name the page showed; a rename by someone else since stays."""
    name = require_text(name, "The name", 200)
    now = now_or_utc(now)
    with store.write() as cur:
        chat = require_chat(cur, actor, chat_id)
        contact = contacts.get(cur, chat.contact_id)
        if contact.display_name == name:
            return
        require_unchanged(drawn, contact.display_name, "The name", f"“{contact.display_name}”")
        contacts.rename(cur, contact.id, name)
        record_event(
            cur,
            chat_id,
            SystemEvent.RENAMED,
            f"{actor.name} renamed the lead"
            f" from “{isolate(contact.display_name)}” to “{isolate(name)}”.",
            now,
            actor,
        )


def add_note(
    store: Store, actor: User, chat_id: int, text: str, now: datetime | None = None
) -> Note:
    text = require_text(text, "A note", MAX_NOTE_LENGTH)
    now = now_or_utc(now)
    with store.write() as cur:
        chat = require_chat(cur, actor, chat_id)
        note_id = contacts.insert_note(cur, chat.contact_id, actor.id, text, now)
        record_event(
            cur, chat_id, SystemEvent.NOTE_ADDED, f"{actor.name} added a note.", now, actor
        )
        return next(n for n in contacts.notes(cur, chat.contact_id) if n.id == note_id)


def save_as_customer(
    store: Store,
    actor: User,
    chat_id: int,
    details: CustomerInput,
    now: datetime | None = None,
) -> Customer:
    """Create a customer from the chat's lead and link the lead to it."""
    name = require_text(details.name, "The customer's name", 200)
    now = now_or_utc(now)
    with store.write() as cur:
        chat = require_chat(cur, actor, chat_id)
        if chat.customer_id is not None:
            raise ChangedMeanwhile(f"This lead is already a customer: “{chat.name}”.")
        customer = customers.insert(cur, name, details.phone or None, details.email or None, now)
        contacts.link_customer(cur, chat.contact_id, customer.id)
        record_event(
            cur,
            chat_id,
            SystemEvent.SAVED_AS_CUSTOMER,
            f"{actor.name} saved the lead as customer “{isolate(customer.name)}”.",
            now,
            actor,
        )
        return customer


def link_to_customer(
    store: Store, actor: User, chat_id: int, customer_id: int, now: datetime | None = None
) -> Customer:
    """Link the chat's lead to a customer who already exists (say, known from another channel)."""
    now = now_or_utc(now)
    with store.write() as cur:
        chat = require_chat(cur, actor, chat_id)
        customer = customers.get(cur, customer_id)
        if customer is None:
            raise NotFound("No such customer.")
        if chat.customer_id == customer_id:
            return customer
        if chat.customer_id is not None:  # the page offered links to a lead
            linked = customers.get(cur, chat.customer_id)
            raise ChangedMeanwhile(
                f"This lead is already a customer: “{linked.name if linked else chat.name}”."
            )
        contacts.link_customer(cur, chat.contact_id, customer_id)
        record_event(
            cur,
            chat_id,
            SystemEvent.LINKED_TO_CUSTOMER,
            f"{actor.name} linked the lead to customer “{isolate(customer.name)}”.",
            now,
            actor,
        )
        return customer
