"""Customer messages arriving: first contact, duplicates (CH5), reopening (T4), odd text."""

import pytest

from inbox.errors import InvalidInput, NotFound
from inbox.models import ChatFilter, InboundMessage, MessageKind, SystemEvent
from inbox.services import conversation, inbound, reads


def test_first_contact_creates_the_lead_and_an_open_unassigned_chat(world):
    result = world.customer_writes("Do you ship to Lisbon?", name="Maria Lead")
    assert result.created
    chat = reads.get_chat(world.store, world.anna, result.chat_id)
    assert (chat.name, chat.state, chat.assignee_id, chat.badge) == ("Maria Lead", "open", None, 1)
    [message] = reads.list_messages(world.store, world.anna, result.chat_id)
    assert (message.kind, message.text) == (MessageKind.CUSTOMER, "Do you ship to Lisbon?")


def test_a_second_message_from_the_same_person_goes_to_the_same_chat(world):
    first = world.customer_writes("hi")
    second = world.customer_writes("are you there?")
    assert first.chat_id == second.chat_id
    page = reads.list_chats(world.store, world.anna, ChatFilter())
    assert len(page.rows) == 1


def test_the_same_person_on_two_channels_has_two_chats(world):
    on_telegram = world.customer_writes("hi", who="x1")
    on_website = world.customer_writes("hi", who="x1", channel=world.website)
    assert on_telegram.chat_id != on_website.chat_id


def test_the_same_update_delivered_twice_is_stored_once(world):
    first = world.customer_writes("hi", message_id="tg-7")
    again = world.customer_writes("hi", message_id="tg-7")
    assert again.created is False
    assert again.message_id == first.message_id
    assert len(reads.list_messages(world.store, world.anna, first.chat_id)) == 1
    assert reads.get_chat(world.store, world.anna, first.chat_id).badge == 1


def test_a_customer_message_reopens_a_closed_chat_and_says_so(world):
    chat = world.customer_writes("hi").chat_id
    conversation.close_chat(world.store, world.anna, chat, now=world.clock.tick())
    world.customer_writes("one more question")
    assert reads.get_chat(world.store, world.anna, chat).state == "open"
    *_, reopened, last = reads.list_messages(world.store, world.anna, chat)
    assert (reopened.kind, reopened.event) == (MessageKind.SYSTEM, SystemEvent.REOPENED)
    assert "customer wrote" in reopened.text
    assert last.text == "one more question"


def test_a_lead_without_a_name_is_named_by_handle_or_id(world):
    make = lambda **kw: inbound.receive_customer_message(  # noqa: E731
        world.store,
        InboundMessage(channel_id=world.telegram.id, external_message_id="1", text="x", **kw),
        now=world.clock.tick(),
    )
    by_handle = make(external_user_id="42", handle="maria_k")
    by_id = make(external_user_id="43")
    assert reads.get_chat(world.store, world.anna, by_handle.chat_id).name == "@maria_k"
    assert reads.get_chat(world.store, world.anna, by_id.chat_id).name == "Guest 43"


@pytest.mark.parametrize(
    "text",
    [
        "![x](http://example.invalid/p.png) <b>hi</b> <script>alert(1)</script>",
        "emoji 🧦🧦 and RTL مرحبا and zero\u200bwidth",
        "x" * 200_000,
        "nul\u0000inside and \u202eoverride",
        "line one\nline two\r\n\ttabbed",
    ],
)
def test_any_text_is_stored_exactly_as_it_came(world, text):
    chat = world.customer_writes(text).chat_id
    [message] = reads.list_messages(world.store, world.anna, chat)
    assert message.text == text


@pytest.mark.parametrize("text", ["", "  ", "\n\t"])
def test_a_message_without_text_is_refused_and_nothing_is_stored(world, text):
    with pytest.raises(InvalidInput):
        world.customer_writes(text)
    assert reads.count_visible_chats(world.store, world.olga) == 0


def test_a_message_for_an_unknown_channel_is_refused(world):
    with pytest.raises(NotFound):
        inbound.receive_customer_message(
            world.store,
            InboundMessage(channel_id=999, external_user_id="1", external_message_id="1", text="x"),
        )
