"""What a platform's webhook post brings, on both engines: many customers' messages, messages
the shop sent from the platform's app and read marks, in one transaction; files kept once; a
new lead's profile; the reply window."""

from datetime import timedelta

import pytest

from inbox.channels import delivery
from inbox.errors import InvalidInput
from inbox.models import (
    ChatFilter,
    DeliveryState,
    FileKind,
    InboundEcho,
    InboundFile,
    InboundMessage,
    InboundRead,
    MessageKind,
)
from inbox.services import accounts, channel_files, conversation, inbound, leads, reads
from inbox.store import files

NOWHERE = "http://127.0.0.1:9"  # nothing listens: a file the inbox fetched would fail


@pytest.fixture
def page(world):
    settings = {"page_token": "EAAG-token-000000000000", "app_secret": "s" * 20,
                "api_url": NOWHERE}  # fmt: skip
    channel = accounts.create_channel(world.store, world.olga, "instagram", "Insta", "📷", settings)
    accounts.grant_access(world.store, world.olga, world.anna.id, channel.id)
    return channel


def customer(page, who, mid, text="", attachments=()):
    return InboundMessage(channel_id=page.id, external_user_id=who, external_message_id=mid,
                          text=text, attachments=list(attachments))  # fmt: skip


def echo(page, to, mid, text):
    return InboundEcho(channel_id=page.id, external_user_id=to, external_message_id=mid,
                       text=text, sent_from="instagram")  # fmt: skip


def rows(world):
    return reads.list_chats(world.store, world.anna, ChatFilter(state="all")).rows


def texts(world, chat_id):
    return [
        (m.kind.value, m.text, m.sent_from)
        for m in reads.list_messages(world.store, world.anna, chat_id)
        if m.kind != MessageKind.SYSTEM
    ]


def test_a_post_is_stored_whole_once_and_its_retry_adds_nothing(world, page):
    batch = [
        customer(page, "u1", "a", "Hi"),
        customer(page, "u2", "b", "Hello"),
        echo(page, "u1", "c", "Hi! How can we help?"),
        customer(page, "u1", "a", "Hi"),
    ]
    first = inbound.receive_batch(world.store, batch, now=world.clock.tick())
    again = inbound.receive_batch(world.store, batch, now=world.clock.tick())
    assert [r.created for r in first] == [True, True, True, False]
    assert [r.created for r in again] == [False] * 4
    by_name = {row.name: row for row in rows(world)}
    assert {name: row.badge for name, row in by_name.items()} == {"Guest u1": 1, "Guest u2": 1}
    assert texts(world, by_name["Guest u1"].id) == [
        ("customer", "Hi", None), ("manager", "Hi! How can we help?", "instagram")
    ]  # fmt: skip


def test_a_post_with_one_bad_message_stores_nothing(world, page):
    batch = [customer(page, "u1", "a", "Hi"), customer(page, "u2", "b", "   ")]
    with pytest.raises(InvalidInput):
        inbound.receive_batch(world.store, batch, now=world.clock.tick())
    assert rows(world) == []


def test_a_read_mark_moves_our_replies_to_read(world, page):
    [made] = inbound.receive_batch(
        world.store, [customer(page, "u1", "a", "Hi")], now=world.clock.tick()
    )
    reply = conversation.send_reply(
        world.store, world.anna, made.chat_id, "Hello", now=world.clock.tick()
    )
    delivery.mark_sent(world.store, reply.id, now=world.clock.tick())
    read = InboundRead(channel_id=page.id, external_user_id="u1", up_to=world.clock.tick())
    inbound.receive_batch(world.store, [read], now=world.clock.tick())
    shown = reads.list_messages(world.store, world.anna, made.chat_id)
    assert [m.delivery_state for m in shown if m.id == reply.id] == [DeliveryState.READ]


def test_a_kept_file_is_served_without_asking_the_platform(world, page):
    photo = InboundFile(kind=FileKind.PHOTO, external_file_id=f"{NOWHERE}/x.jpg")
    [made] = inbound.receive_batch(
        world.store, [customer(page, "u1", "a", attachments=[photo])], now=world.clock.tick()
    )
    with world.store.read() as cur:
        [file_id] = files.of_message_ids(cur, [made.message_id])
    with world.store.write() as cur:
        assert files.keep(cur, file_id, b"\x00kept\xff", world.clock.tick()) is True
        assert files.keep(cur, file_id, b"other", world.clock.tick()) is False
    assert channel_files.fetch(world.store, world.anna, file_id)[1] == b"\x00kept\xff"
    [message] = reads.list_messages(world.store, world.anna, made.chat_id)
    assert [a.size_bytes for a in message.attachments] == [6]


def test_the_profile_names_a_guest_but_never_undoes_a_managers_name(world, page):
    batch = [customer(page, "u1", "a", "Hi"), customer(page, "u2", "b", "Hi")]
    first, second = inbound.receive_batch(world.store, batch, now=world.clock.tick())
    leads.rename_lead(world.store, world.anna, second.chat_id, "Olena (wholesale)")
    inbound.set_lead_profile(world.store, page.id, first.contact_id, "Maria Koval")
    inbound.set_lead_profile(world.store, page.id, second.contact_id, "Olena K")
    assert sorted(row.name for row in rows(world)) == ["Maria Koval", "Olena (wholesale)"]


def test_a_reply_outside_the_platforms_window_is_refused(world, page):
    wrote = world.clock.tick()
    [made] = inbound.receive_batch(world.store, [customer(page, "u1", "a", "Hi")], now=wrote)
    late = wrote + timedelta(hours=24, minutes=1)
    with pytest.raises(InvalidInput, match="window closed on 21 Nov 2026 at 09:01 UTC"):
        conversation.send_reply(world.store, world.anna, made.chat_id, "Sorry", now=late)
    conversation.send_reply(world.store, world.anna, made.chat_id, "Just in time",
                            now=late - timedelta(minutes=2))  # fmt: skip


def test_each_message_of_a_batch_counts_once_in_its_chats_badge(world, page):
    inbound.receive_batch(world.store, [customer(page, "u1", "a", "Hi")], now=world.clock.tick())
    batch = [
        customer(page, "u1", "b", "Are you open?"),
        customer(page, "u3", "d", "Hello"),
        customer(page, "u1", "c", "Today?"),
        customer(page, "u3", "e", "Price?"),
        customer(page, "u3", "d", "Hello"),
    ]
    made = inbound.receive_batch(world.store, batch, now=world.clock.tick())
    assert [r.created for r in made] == [True, True, True, True, False]
    assert [r.new_lead for r in made] == [False, True, False, False, False]
    by_name = {row.name: row for row in rows(world)}
    assert {name: row.badge for name, row in by_name.items()} == {"Guest u1": 3, "Guest u3": 2}
    assert [t for _, t, _ in texts(world, by_name["Guest u3"].id)] == ["Hello", "Price?"]
