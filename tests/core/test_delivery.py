"""Delivering replies (SPEC M3, CH6): once, in order per chat, retried when it may help, and
never sent twice unless a manager asks."""

import pytest

from inbox.channels import delivery
from inbox.channels.worker import DeliveryWorker
from inbox.errors import InvalidInput, NotFound
from inbox.models import DeliveryState
from inbox.services import conversation, reads
from inbox.store import deliveries
from tests.channel_standin import PermanentFailure, StandInChannel, TemporaryFailure
from tests.scenario import deliver as deliver_with
from tests.scenario import shown


def state_of(world, message):
    found = shown(world, message)
    return found.delivery_state, found.delivery_error


def deliver(world, channel, seconds_later=0):
    return deliver_with(world, seconds_later, channel.connectors())


def reply(world, text="Hello", chat=None):
    chat = chat or world.customer_writes("hi").chat_id
    return conversation.send_reply(world.store, world.anna, chat, text, now=world.clock.tick())


def test_a_reply_is_delivered_once_and_keeps_the_channels_id(world):
    channel = StandInChannel()
    message = reply(world)
    assert state_of(world, message) == (DeliveryState.PENDING, None)
    assert deliver(world, channel) == 1
    assert deliver(world, channel, 10) == 0
    assert [o.text for o in channel.sent] == ["Hello"]
    assert channel.sent[0].recipient == "tg-100"
    assert state_of(world, message) == (DeliveryState.SENT, None)
    [shown] = [
        m
        for m in reads.list_messages(world.store, world.olga, message.chat_id)
        if m.id == message.id
    ]
    assert shown.external_id == f"ext-{message.id}"


def test_a_quoted_message_goes_out_with_the_reply(world):
    chat = world.customer_writes("Do you ship to Porto?", message_id="m-7").chat_id
    [quoted] = reads.list_messages(world.store, world.anna, chat)
    conversation.send_reply(
        world.store, world.anna, chat, "Yes", reply_to_id=quoted.id, now=world.clock.tick()
    )
    channel = StandInChannel()
    deliver(world, channel)
    assert (channel.sent[0].reply_to_external_id, channel.sent[0].reply_to_text) == (
        "m-7",
        "Do you ship to Porto?",
    )


def test_replies_in_one_chat_go_in_order_a_second_apart_and_chats_do_not_wait(world):
    channel = StandInChannel()
    first = reply(world, "one")
    second = reply(world, "two", chat=first.chat_id)
    other = reply(world, "elsewhere", chat=world.customer_writes("hey", who="tg-2").chat_id)
    deliver(world, channel, 10)
    assert [o.text for o in channel.sent] == ["one", "elsewhere"]
    deliver(world, channel, 10.5)
    assert [o.text for o in channel.sent] == ["one", "elsewhere"], "within a second of 'one'"
    deliver(world, channel, 11.1)
    assert [o.text for o in channel.sent] == ["one", "elsewhere", "two"]
    assert state_of(world, second)[0] == state_of(world, other)[0] == DeliveryState.SENT


def test_temporary_failures_are_retried_later_then_the_reply_fails_with_the_reason(world):
    channel = StandInChannel()
    message = reply(world)
    channel.fail_next(*[TemporaryFailure("The callback answered 503.")] * 4)
    deliver(world, channel)
    assert state_of(world, message) == (DeliveryState.PENDING, "The callback answered 503.")
    assert deliver(world, channel, 0.5) == 0, "not before its time"
    for seconds in (1, 3, 7):
        assert deliver(world, channel, seconds) == 1
    assert state_of(world, message) == (DeliveryState.FAILED, "The callback answered 503.")
    assert channel.sent == []


def test_a_rate_limit_waits_as_long_as_the_channel_says_and_is_no_failure(world):
    channel = StandInChannel()
    message = reply(world)
    channel.fail_next(*[TemporaryFailure("Too Many Requests", retry_after=30)] * 6)
    for seconds in (0, 30, 60, 90, 120, 150):
        assert deliver(world, channel, seconds) == 1
        assert deliver(world, channel, seconds + 29) == 0
    deliver(world, channel, 180)
    assert state_of(world, message) == (DeliveryState.SENT, None)


def test_a_refused_reply_fails_at_once_and_retry_delivers_it_once(world):
    channel = StandInChannel()
    message = reply(world)
    channel.fail_next(PermanentFailure("Forbidden: bot was blocked by the user"))
    deliver(world, channel)
    assert state_of(world, message) == (
        DeliveryState.FAILED,
        "Forbidden: bot was blocked by the user",
    )
    with pytest.raises(NotFound):
        conversation.retry_delivery(world.store, world.clara, message.id)
    conversation.retry_delivery(world.store, world.anna, message.id, now=world.clock.current)
    assert state_of(world, message) == (DeliveryState.PENDING, None)
    deliver(world, channel, 1)
    deliver(world, channel, 5)
    assert [o.message_id for o in channel.sent] == [message.id]
    with pytest.raises(InvalidInput, match="was not delivered"):
        conversation.retry_delivery(world.store, world.anna, message.id)


def test_a_reply_caught_mid_send_by_a_stop_is_unknown_and_only_a_manager_resends_it(world):
    channel = StandInChannel()
    message = reply(world)
    with world.store.write() as cur:  # a worker claimed it, then its process died
        deliveries.claim(cur, message.id, world.clock.current, "a-server-that-stopped")
    assert state_of(world, message)[0] == DeliveryState.SENDING
    assert delivery.abandon_in_flight(world.store) == 1  # the next start
    assert state_of(world, message) == (DeliveryState.UNKNOWN, deliveries.UNKNOWN_AFTER_A_STOP)
    deliver(world, channel, 60)
    assert channel.sent == [], "never sent again by itself"
    conversation.retry_delivery(world.store, world.anna, message.id, now=world.clock.current)
    deliver(world, channel, 61)
    assert [o.message_id for o in channel.sent] == [message.id]


def test_a_reply_this_server_is_sending_is_not_abandoned(world):
    message = reply(world)
    with world.store.write() as cur:
        deliveries.claim(cur, message.id, world.clock.current, world.store.server_id)
    assert delivery.abandon_in_flight(world.store) == 0
    assert state_of(world, message)[0] == DeliveryState.SENDING


def test_replies_wait_for_a_channel_without_a_connector_or_a_disabled_one(world):
    message = reply(world)
    assert delivery.deliver_due(world.store, {}, now=world.clock.current) == 0
    with world.store.write() as cur:
        cur.execute("UPDATE channels SET enabled = false WHERE id = ?", [world.telegram.id])
    channel = StandInChannel()
    assert deliver(world, channel, 5) == 0
    assert state_of(world, message)[0] == DeliveryState.PENDING


def test_an_unexpected_error_in_a_connector_leaves_the_reply_unknown(world):
    channel = StandInChannel()
    message = reply(world)
    channel.fail_next(RuntimeError("boom"))
    deliver(world, channel)
    assert state_of(world, message)[0] == DeliveryState.UNKNOWN


def test_the_worker_delivers_soon_and_reads_nothing_while_idle(world):
    channel = StandInChannel()
    worker = DeliveryWorker(world.store, channel.connectors(), tick_seconds=0.05)
    worker.start()
    try:
        message = conversation.send_reply(
            world.store, world.anna, world.customer_writes("hi").chat_id, "Hello"
        )
        for _ in range(100):
            if channel.sent:
                break
            worker._stop.wait(0.05)
        assert [o.message_id for o in channel.sent] == [message.id]
        worker._stop.wait(0.3)
        reads_before = world.store.reads_opened
        worker._stop.wait(1.0)
        assert world.store.reads_opened == reads_before, "an idle worker makes no query"
    finally:
        worker.stop()
    assert state_of(world, message)[0] == DeliveryState.SENT
