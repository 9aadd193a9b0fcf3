"""Replies (M2, M3), the responsible manager (T2), close and reopen (T4)."""

import pytest

from inbox.errors import InvalidInput
from inbox.models import DeliveryState, MessageKind, SystemEvent
from inbox.services import conversation, reads


def events(world, chat_id):
    return [
        m.event for m in reads.list_messages(world.store, world.olga, chat_id) if m.kind == "system"
    ]


def test_a_reply_is_stored_on_the_managers_side_waiting_for_delivery(world):
    chat = world.customer_writes("hi").chat_id
    reply = conversation.send_reply(world.store, world.anna, chat, "  Hello Maria!  ")
    assert (reply.kind, reply.author_name, reply.text) == (
        MessageKind.MANAGER,
        "Anna Manager",
        "Hello Maria!",
    )
    assert reply.delivery_state == DeliveryState.PENDING


def test_the_first_replier_becomes_responsible_once(world):
    chat = world.customer_writes("hi").chat_id
    conversation.send_reply(world.store, world.boris, chat, "Hi", now=world.clock.tick())
    conversation.send_reply(world.store, world.anna, chat, "Hi too", now=world.clock.tick())
    assert reads.get_chat(world.store, world.anna, chat).assignee_id == world.boris.id
    assert events(world, chat) == [SystemEvent.ASSIGNED]
    [assigned] = [m for m in reads.list_messages(world.store, world.anna, chat) if m.event]
    assert assigned.text == "Boris Manager became responsible (first reply)."


def test_a_reply_quotes_the_message_it_answers(world):
    question = world.customer_writes("Is the blue one in stock?")
    reply = conversation.send_reply(
        world.store, world.anna, question.chat_id, "Yes!", reply_to_id=question.message_id
    )
    assert reply.reply_to is not None
    assert (reply.reply_to.id, reply.reply_to.text) == (
        question.message_id,
        "Is the blue one in stock?",
    )


def test_a_reply_cannot_quote_a_message_of_another_chat(world):
    first = world.customer_writes("hi", who="a")
    other = world.customer_writes("hi", who="b")
    with pytest.raises(InvalidInput):
        conversation.send_reply(
            world.store, world.anna, other.chat_id, "x", reply_to_id=first.message_id
        )


@pytest.mark.parametrize("text", ["", "   \n\t"])
def test_an_empty_reply_is_refused(world, text):
    chat = world.customer_writes("hi").chat_id
    with pytest.raises(InvalidInput, match="cannot be empty"):
        conversation.send_reply(world.store, world.anna, chat, text)
    assert reads.get_chat(world.store, world.anna, chat).badge == 1


def test_an_overlong_reply_is_refused_with_the_limit(world):
    chat = world.customer_writes("hi").chat_id
    with pytest.raises(InvalidInput, match="4096"):
        conversation.send_reply(world.store, world.anna, chat, "x" * 4097)


def test_assign_reassign_unassign_each_leave_a_system_message(world):
    chat = world.customer_writes("hi").chat_id
    conversation.assign(world.store, world.anna, chat, world.boris.id, now=world.clock.tick())
    conversation.assign(world.store, world.boris, chat, world.anna.id, now=world.clock.tick())
    conversation.assign(world.store, world.boris, chat, world.anna.id, now=world.clock.tick())
    conversation.assign(world.store, world.anna, chat, None, now=world.clock.tick())
    assert reads.get_chat(world.store, world.anna, chat).assignee_id is None
    assert events(world, chat) == [
        SystemEvent.ASSIGNED,
        SystemEvent.REASSIGNED,
        SystemEvent.UNASSIGNED,
    ], "assigning the same person again changes nothing and says nothing"
    texts = [m.text for m in reads.list_messages(world.store, world.anna, chat) if m.event]
    assert texts[1] == "Boris Manager reassigned the chat from Boris Manager to Anna Manager."


def test_a_chat_can_only_be_given_to_someone_who_sees_its_channel(world):
    chat = world.customer_writes("hi", channel=world.website).chat_id
    with pytest.raises(InvalidInput, match="no access"):
        conversation.assign(world.store, world.anna, chat, world.boris.id)
    with pytest.raises(InvalidInput):
        conversation.assign(world.store, world.anna, chat, 12345)
    conversation.assign(world.store, world.anna, chat, world.olga.id)
    assert reads.get_chat(world.store, world.anna, chat).assignee_name == "Olga Admin"


def test_close_and_reopen(world):
    chat = world.customer_writes("hi").chat_id
    conversation.close_chat(world.store, world.anna, chat, now=world.clock.tick())
    conversation.close_chat(world.store, world.anna, chat, now=world.clock.tick())
    assert reads.get_chat(world.store, world.anna, chat).state == "closed"
    conversation.reopen_chat(world.store, world.boris, chat, now=world.clock.tick())
    assert reads.get_chat(world.store, world.anna, chat).state == "open"
    assert events(world, chat) == [SystemEvent.CLOSED, SystemEvent.REOPENED]


def test_messages_read_in_the_order_they_happened(world):
    chat = world.customer_writes("one").chat_id
    conversation.send_reply(world.store, world.anna, chat, "two", now=world.clock.tick())
    world.customer_writes("three")
    texts = [m.text for m in reads.list_messages(world.store, world.anna, chat)]
    assert texts == ["one", "two", "Anna Manager became responsible (first reply).", "three"]
    last_two = reads.list_messages(world.store, world.anna, chat, limit=2)
    assert [m.text for m in last_two] == ["Anna Manager became responsible (first reply).", "three"]
