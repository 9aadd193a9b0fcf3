"""The tab's title count (SPEC R3): open chats whose customer waits for our answer, in the
channels a browser's pages show, read once per change to those channels."""

from datetime import timedelta

from inbox.services import conversation, snooze
from inbox.web import changes


def test_the_count_is_of_open_chats_waiting_in_those_channels_only(world):
    web = world.customer_writes("hi", who="alice", name="Alice", channel=world.website).chat_id
    world.customer_writes("hi", who="bob", name="Bob")
    answered = world.customer_writes("hi", who="carl", name="Carl").chat_id
    conversation.send_reply(world.store, world.anna, answered, "Hello Carl")
    snoozed = world.customer_writes("hi", who="dora", name="Dora").chat_id
    snooze.snooze(world.store, world.anna, snoozed, world.clock.current + timedelta(days=1),
                  now=world.clock.tick())  # fmt: skip
    closed = world.customer_writes("hi", who="emil", name="Emil").chat_id
    conversation.close_chat(world.store, world.anna, closed)
    telegram, website = (world.telegram.id,), (world.website.id,)
    assert changes.pulse_in(world.store, telegram)["waiting"] == 1, "Bob: not Carl, Dora or Emil"
    assert changes.pulse_in(world.store, website)["waiting"] == 1
    assert changes.pulse_in(world.store, telegram + website)["waiting"] == 2
    assert changes.pulse_in(world.store, ())["waiting"] == 0
    conversation.send_reply(world.store, world.anna, web, "Hello Alice")
    assert changes.pulse_in(world.store, website)["waiting"] == 0


def test_it_is_read_once_per_change_to_those_channels(world):
    world.customer_writes("hi", who="bob", name="Bob")
    telegram = (world.telegram.id,)
    assert changes.pulse_in(world.store, telegram)["waiting"] == 1
    reads = world.store.reads_opened
    assert changes.pulse_in(world.store, telegram)["waiting"] == 1
    world.customer_writes("hi", who="alice", name="Alice", channel=world.website)
    assert changes.pulse_in(world.store, telegram)["waiting"] == 1
    assert world.store.reads_opened == reads, "idle ticks and other channels' news read nothing"
    world.customer_writes("hi", who="carl", name="Carl")
    assert changes.pulse_in(world.store, telegram)["waiting"] == 2
    assert world.store.reads_opened == reads + 1


def test_the_latest_waiting_chats_come_with_it_for_notifications(world):
    bob = world.customer_writes("first", who="bob", name="Bob").chat_id
    conversation.send_reply(world.store, world.anna, bob, "Hello Bob")  # Anna is responsible
    world.customer_writes("Where is <b>my</b> parcel?", who="bob", name="Bob")
    cleo = world.customer_writes("x" * 500, who="cleo", name="Cleo").chat_id
    news = changes.pulse_in(world.store, (world.telegram.id,))["news"]
    assert [(n["id"], n["name"], n["assignee_id"], n["text"]) for n in news] == [
        (cleo, "Cleo", None, "x" * changes.NEWS_TEXT),
        (bob, "Bob", world.anna.id, "Where is <b>my</b> parcel?"),
    ]
    assert news[0]["at"] > news[1]["at"] > news[1]["created_at"]
    assert changes.pulse_in(world.store, (world.website.id,))["news"] == []
