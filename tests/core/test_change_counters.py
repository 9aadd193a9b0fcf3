"""The change counters an open page watches: a write moves the counter of those who may see it,
and only theirs. In the scenario anna sees the Telegram bot and the website chat, boris the bot."""

from datetime import timedelta
from decimal import Decimal

import pytest

from inbox.channels import delivery
from inbox.clock import utc_now
from inbox.services import accounts, catalogue, conversation, login_sessions
from tests.channel_standin import StandInChannel, TemporaryFailure


def counters(world) -> tuple[int, int]:
    """(anna's, boris's)"""
    both, bot = (world.telegram.id, world.website.id), (world.telegram.id,)
    return world.store.version_seen_by(both), world.store.version_seen_by(bot)


def test_a_message_in_one_channel_moves_only_the_counters_of_those_who_see_it(world):
    anna, boris = counters(world)
    world.customer_writes("from the site", who="w", name="Wanda", channel=world.website)
    assert counters(world) == (anna + 1, boris)
    world.customer_writes("from the bot", who="t", name="Tom")
    assert counters(world) == (anna + 2, boris + 1)


def test_what_managers_do_in_a_chat_moves_only_its_channel(world):
    chat = world.customer_writes("hi", who="w", name="Wanda", channel=world.website).chat_id
    anna, boris = counters(world)
    conversation.send_reply(world.store, world.anna, chat, "hello")
    conversation.assign(world.store, world.anna, chat, None)
    conversation.close_chat(world.store, world.anna, chat)
    conversation.reopen_chat(world.store, world.anna, chat)
    assert counters(world) == (anna + 4, boris)


def test_delivering_a_reply_moves_only_its_channel(world):
    chat = world.customer_writes("hi", who="w", name="Wanda", channel=world.website).chat_id
    reply = conversation.send_reply(world.store, world.anna, chat, "hello")
    anna, boris = counters(world)
    website = StandInChannel()
    website.fail_next(TemporaryFailure("the widget is down"))
    delivery.deliver_due(world.store, {"http": website})  # claimed, to try again
    assert counters(world) == (anna + 2, boris)
    later = utc_now() + timedelta(seconds=10)
    delivery.deliver_due(world.store, {"http": website}, now=later)
    assert [o.message_id for o in website.sent] == [reply.id]
    assert counters(world) == (anna + 4, boris)  # claimed, sent


def test_a_write_that_names_no_channel_moves_every_counter(world):
    anna, boris, nobody = *counters(world), world.store.version_seen_by(())
    catalogue.add_product(world.store, world.olga, "Teapot", Decimal("12.50"))
    accounts.grant_access(world.store, world.olga, world.boris.id, world.website.id)
    assert counters(world) == (anna + 2, boris + 2)
    assert world.store.version_seen_by(()) == nobody + 2, "the page of a user without channels"


def test_a_login_moves_no_page_but_the_workers_see_a_write(world, tmp_path):
    anna, boris = counters(world)
    before = world.store.version
    key = login_sessions.load_or_create_key(tmp_path / "key")
    cookie = login_sessions.start_session(world.store, key, world.boris)
    assert counters(world) == (anna, boris)
    assert world.store.version == before + 1
    login_sessions.end_session(world.store, key, cookie)
    assert counters(world) == (anna + 1, boris + 1), "a logout ends the pages of that login"


def test_a_failed_write_moves_no_counter(world):
    anna, boris = counters(world)
    with pytest.raises(RuntimeError):
        with world.store.write():
            world.store.touch(world.website.id)
            raise RuntimeError("boom")
    assert counters(world) == (anna, boris)


def test_naming_a_channel_outside_a_write_is_a_programming_error(world):
    with pytest.raises(RuntimeError, match="inside store.write"):
        world.store.touch(world.website.id)


def test_a_chats_counter_moves_with_what_changes_its_conversation_or_card_only(world):
    alice = world.customer_writes("hi", who="a", name="Alice").chat_id
    bob = world.customer_writes("hello", who="b", name="Bob").chat_id
    before = world.store.version_of_chat(alice)
    world.customer_writes("news for bob", who="b", name="Bob")
    conversation.send_reply(world.store, world.anna, bob, "on it")
    assert world.store.version_of_chat(alice) == before
    world.customer_writes("news for alice", who="a", name="Alice")
    conversation.assign(world.store, world.boris, alice, world.boris.id)
    assert world.store.version_of_chat(alice) == before + 2
    catalogue.add_product(world.store, world.olga, "Teapot", Decimal("12.50"))
    assert world.store.version_of_chat(alice) == before + 3, "a write that names no chat"


def test_who_sees_what_holds_while_only_chats_change(world):
    """The login check and a user's channels are read again only when the counter of writes
    that name no channel moves: grants, deactivations, logouts do; chats do not."""
    team = world.store.version_for_everyone
    chat = world.customer_writes("hi", who="t", name="Tom").chat_id
    conversation.send_reply(world.store, world.anna, chat, "hello")
    assert world.store.version_for_everyone == team
    accounts.revoke_access(world.store, world.olga, world.boris.id, world.telegram.id)
    assert world.store.version_for_everyone == team + 1
