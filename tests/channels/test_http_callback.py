"""The HTTP channel's replies over real HTTP, to a stand-in receiver that checks signatures."""

import base64

import pytest

from inbox.errors import InvalidInput
from inbox.models import DeliveryState, Upload
from inbox.services import accounts, conversation, reads
from tests.channels.receiver import CallbackReceiver
from tests.channels.standin_http import wait_until
from tests.scenario import deliver, shown


@pytest.fixture
def receiver():
    receiver = CallbackReceiver(secret="s3")
    yield receiver
    receiver.close()


def website_reply(world, text="Hello from the shop"):
    chat = world.customer_writes(
        "Hi", who="visitor-17", channel=world.website, message_id="w-m-1"
    ).chat_id
    [quoted] = reads.list_messages(world.store, world.anna, chat)
    return conversation.send_reply(
        world.store, world.anna, chat, text, reply_to_id=quoted.id, now=world.clock.tick()
    )


def test_a_reply_reaches_the_callback_signed_with_the_channel_secret(world, receiver):
    accounts.configure_channel(world.store, world.olga, world.website.id, callback_url=receiver.url)
    message = website_reply(world)
    deliver(world)
    assert receiver.bad_signatures == 0
    assert receiver.received == [
        {
            "message_id": str(message.id),
            "user_id": "visitor-17",
            "text": "Hello from the shop",
            "reply_to": "w-m-1",
            "reply_to_text": "Hi",
            "files": [],
        }
    ]
    assert (shown(world, message).delivery_state, shown(world, message).external_id) == (
        DeliveryState.SENT,
        "w-1",
    )


def test_a_reply_with_files_arrives_whole_in_one_signed_post(world, receiver):
    accounts.configure_channel(world.store, world.olga, world.website.id, callback_url=receiver.url)
    chat = world.customer_writes("Hi", who="visitor-17", channel=world.website).chat_id
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    message = conversation.send_reply(
        world.store, world.anna, chat, "", now=world.clock.tick(),
        files=[Upload(name="red.png", body=png), Upload(name="прайс.csv", body=b"a;b\n1;2")],
    )  # fmt: skip
    deliver(world)
    assert receiver.bad_signatures == 0
    [received] = receiver.received
    assert received["text"] == ""
    assert [
        (f["name"], f["type"], f["kind"], f["size"], base64.b64decode(f["content_base64"]))
        for f in received["files"]
    ] == [
        ("red.png", "image/png", "photo", len(png), png),
        ("прайс.csv", "text/csv", "document", 7, b"a;b\n1;2"),
    ]
    assert shown(world, message).delivery_state == DeliveryState.SENT


def test_a_file_over_the_callbacks_limit_is_refused_before_anything_is_sent(world, receiver):
    accounts.configure_channel(world.store, world.olga, world.website.id, callback_url=receiver.url)
    chat = world.customer_writes("Hi", who="visitor-17", channel=world.website).chat_id
    big = Upload(name="big.pdf", body=b"%PDF" + b"\x00" * (5 * 1024 * 1024))
    with pytest.raises(InvalidInput, match="takes files of at most 5 MB"):
        conversation.send_reply(world.store, world.anna, chat, "The catalogue", files=[big])
    deliver(world)
    assert receiver.received == []


def test_a_wrong_secret_is_caught_by_the_receiver_and_the_reply_fails_with_its_answer(
    world, receiver
):
    accounts.configure_channel(
        world.store, world.olga, world.website.id, callback_url=receiver.url, secret="other"
    )
    message = website_reply(world)
    deliver(world)
    assert receiver.bad_signatures == 1 and receiver.received == []
    found = shown(world, message)
    assert found.delivery_state == DeliveryState.FAILED
    assert found.delivery_error == 'The callback answered 401: {"error": "bad signature"}'


def test_a_callback_that_is_down_fails_the_reply_with_a_reason_and_retry_delivers_it_once(
    world, receiver
):
    accounts.configure_channel(world.store, world.olga, world.website.id, callback_url=receiver.url)
    receiver.down()
    message = website_reply(world)
    for seconds in (0, 1, 3, 7):
        deliver(world, seconds)
    found = shown(world, message)
    assert found.delivery_state == DeliveryState.FAILED
    assert found.delivery_error.startswith("The callback could not be reached")

    receiver.up()
    conversation.retry_delivery(world.store, world.anna, message.id, now=world.clock.current)
    deliver(world, 8)
    deliver(world, 20)
    assert [r["message_id"] for r in receiver.received] == [str(message.id)]
    assert shown(world, message).delivery_state == DeliveryState.SENT


def test_a_5xx_is_retried_and_a_4xx_is_not(world, receiver):
    accounts.configure_channel(world.store, world.olga, world.website.id, callback_url=receiver.url)
    receiver.answer = 503
    message = website_reply(world)
    deliver(world)
    assert shown(world, message).delivery_state == DeliveryState.PENDING
    receiver.answer = 200
    deliver(world, 1)
    assert shown(world, message).delivery_state == DeliveryState.SENT

    receiver.answer = 422
    refused = conversation.send_reply(
        world.store, world.anna, message.chat_id, "again", now=world.clock.tick()
    )
    deliver(world, 10)
    assert shown(world, refused).delivery_state == DeliveryState.FAILED
    assert len(receiver.received) == 1


def test_a_callback_that_times_out_is_not_resent_on_its_own_and_retry_sends_it(world, receiver):
    accounts.configure_channel(
        world.store, world.olga, world.website.id, callback_url=receiver.url, timeout_seconds=0.3
    )
    receiver.delay = 1.0
    message = website_reply(world)
    deliver(world)
    found = shown(world, message)
    assert found.delivery_state == DeliveryState.UNKNOWN and found.delivery_state.can_retry
    assert found.delivery_error == "The callback did not answer: timed out"
    assert wait_until(lambda: len(receiver.received) == 1, 3), "it did arrive"
    for seconds in (1, 3, 7):
        deliver(world, seconds)
    assert len(receiver.received) == 1, "and only once"
    receiver.delay = 0
    conversation.retry_delivery(world.store, world.anna, message.id, now=world.clock.current)
    deliver(world, 8)
    assert len(receiver.received) == 2, "sent again because a manager asked"
    assert shown(world, message).delivery_state == DeliveryState.SENT


def test_a_channel_without_a_callback_url_says_so(world):
    message = website_reply(world)
    deliver(world)
    found = shown(world, message)
    assert (found.delivery_state, found.delivery_error) == (
        DeliveryState.FAILED,
        "This channel has no callback URL to send replies to.",
    )
