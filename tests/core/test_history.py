"""SPEC M1: every change to a chat leaves a system message, in order, never sent out."""

from decimal import Decimal

from inbox.models import (
    CustomerInput,
    DeliveryState,
    MessageKind,
    OrderDraft,
    OrderLineInput,
    OrderStatus,
    SystemEvent,
)
from inbox.services import conversation, leads, orders, reads


def test_a_chats_whole_life_is_in_its_history(world):
    s, anna, boris = world.store, world.anna, world.boris
    chat = world.customer_writes("Hi, do you have socks?").chat_id
    other = world.customer_writes("hi", who="tg-200", name="Other").chat_id
    t = world.clock.tick
    conversation.assign(s, anna, chat, boris.id, now=t())
    conversation.assign(s, anna, chat, anna.id, now=t())
    conversation.assign(s, anna, chat, None, now=t())
    leads.rename_lead(s, anna, chat, "Maria", now=t())
    leads.add_note(s, anna, chat, "Wants wool", now=t())
    leads.save_as_customer(s, anna, chat, CustomerInput(name="Maria K"), now=t())
    customer_id = reads.get_chat(s, anna, chat).customer_id
    leads.link_to_customer(s, anna, other, customer_id, now=t())
    order = orders.create_order(
        s, anna, chat, OrderDraft(lines=[OrderLineInput(name="Socks", price=Decimal(9))]), now=t()
    )
    orders.update_order(
        s,
        anna,
        order.id,
        OrderDraft(
            lines=[OrderLineInput(name="Socks", price=Decimal(9))], status=OrderStatus.SHIPPED
        ),
        now=t(),
    )
    conversation.close_chat(s, anna, chat, now=t())
    conversation.reopen_chat(s, anna, chat, now=t())

    history = reads.list_messages(s, anna, chat)
    system = [m for m in history if m.kind == MessageKind.SYSTEM]
    assert [m.event for m in system] == [
        SystemEvent.ASSIGNED,
        SystemEvent.REASSIGNED,
        SystemEvent.UNASSIGNED,
        SystemEvent.RENAMED,
        SystemEvent.NOTE_ADDED,
        SystemEvent.SAVED_AS_CUSTOMER,
        SystemEvent.ORDER_CREATED,
        SystemEvent.ORDER_CHANGED,
        SystemEvent.CLOSED,
        SystemEvent.REOPENED,
    ]
    assert all(m.author_name == "Anna Manager" for m in system)
    assert all(m.delivery_state is None for m in system), "system messages are never delivered"
    assert all(m.text for m in system)
    assert [m.event for m in reads.list_messages(s, anna, other) if m.event] == [
        SystemEvent.LINKED_TO_CUSTOMER
    ]
    assert not any(m.delivery_state == DeliveryState.PENDING for m in system)
