"""Demo customers (SPEC CH4) on a clock the test moves."""

import random
from datetime import timedelta

from inbox.channels import delivery
from inbox.channels.demo import ANSWERS, DemoCustomers
from inbox.channels.registry import CONNECTORS
from inbox.models import ChatFilter, DeliveryState, MessageKind
from inbox.services import accounts, conversation, reads


def demo_channel(world, rate):
    channel = accounts.create_channel(world.store, world.olga, "demo", "Demo", "🤖", {"rate": rate})
    accounts.grant_access(world.store, world.olga, world.anna.id, channel.id)
    return channel


def demo_chats(world, channel):
    page = reads.list_chats(world.store, world.olga, ChatFilter(state="all", limit=500))
    return [row for row in page.rows if row.channel_id == channel.id]


def test_customers_start_chats_and_write_again_at_about_the_rate(world):
    channel = demo_channel(world, rate=6)  # six a minute
    customers = DemoCustomers(world.store, random.Random(7))
    now = world.clock.current
    written = sum(customers.step(now + timedelta(seconds=s)) for s in range(0, 600, 2))
    assert 35 <= written <= 85, written  # about 60 in ten minutes
    chats = demo_chats(world, channel)
    assert 10 <= len(chats) < written, "new chats, and follow-ups in known ones"
    assert all(row.name for row in chats)


def test_a_customer_answers_a_managers_reply_a_few_seconds_later(world):
    channel = demo_channel(world, rate=0.0001)
    customers = DemoCustomers(world.store, random.Random(1))
    start = world.clock.current
    customers._write(channel.id, "demo-1", "Lena Schmidt", "Hi! Do you ship to Portugal?", start)
    [chat] = demo_chats(world, channel)
    conversation.send_reply(world.store, world.anna, chat.id, "Yes, in 3 days.", now=start)
    delivery.deliver_due(world.store, CONNECTORS, now=start)

    assert customers.step(start + timedelta(seconds=2)) == 0, "not at once"
    assert customers.step(start + timedelta(seconds=5)) == 1
    assert customers.step(start + timedelta(seconds=9)) == 0, "one answer per reply"
    texts = [m for m in reads.list_messages(world.store, world.anna, chat.id)]
    assert texts[-1].kind == MessageKind.CUSTOMER and texts[-1].text in ANSWERS


def test_a_rate_of_zero_is_off(world):
    channel = demo_channel(world, rate=0)
    customers = DemoCustomers(world.store, random.Random(3))
    now = world.clock.current
    assert sum(customers.step(now + timedelta(minutes=m)) for m in range(30)) == 0
    assert demo_chats(world, channel) == []


def test_a_simulated_platform_delivers_replies_to_demo_customers_who_answer(world):
    """The demo's WhatsApp, Messenger and Instagram have no platform: their replies are
    delivered to the simulated customer, who answers, and nobody starts chats there."""
    customers = DemoCustomers(world.store, random.Random(1))
    start = world.clock.current
    for kind in ("whatsapp", "messenger", "instagram"):
        channel = accounts.create_channel(
            world.store, world.olga, kind, kind, "🟢", {"simulated": True}
        )
        accounts.grant_access(world.store, world.olga, world.anna.id, channel.id)
        customers._write(channel.id, f"{kind}-1", "Lena Schmidt", "Hi!", start)
        [chat] = demo_chats(world, channel)
        reply = conversation.send_reply(world.store, world.anna, chat.id, "Hello!", now=start)
        delivery.deliver_due(world.store, CONNECTORS, now=start + timedelta(seconds=1))
        shown = reads.list_messages(world.store, world.anna, chat.id)
        assert next(m for m in shown if m.id == reply.id).delivery_state == DeliveryState.SENT
    assert customers.step(start + timedelta(seconds=6)) == 3
    assert sum(customers.step(start + timedelta(minutes=m)) for m in range(1, 30)) == 0


def test_a_customer_does_not_answer_an_automatic_message_but_answers_the_manager(world):
    channel = demo_channel(world, rate=0.0001)
    accounts.configure_channel(
        world.store, world.olga, channel.id, auto_greeting="Hello! A manager will answer soon."
    )
    customers = DemoCustomers(world.store, random.Random(1))
    start = world.clock.current
    customers._write(channel.id, "demo-1", "Lena Schmidt", "Hi! Do you ship to Portugal?", start)
    [chat] = demo_chats(world, channel)
    delivery.deliver_due(world.store, CONNECTORS, now=start)
    shown = reads.list_messages(world.store, world.anna, chat.id)
    assert [m.automatic for m in shown] == [False, True], "greeted, and the greeting sent"
    assert shown[-1].delivery_state == DeliveryState.SENT
    assert customers.step(start + timedelta(seconds=5)) == 0, "nobody answers a program"
    conversation.send_reply(world.store, world.anna, chat.id, "Yes, in 3 days.", now=start)
    delivery.deliver_due(world.store, CONNECTORS, now=start + timedelta(seconds=1))
    assert customers.step(start + timedelta(seconds=7)) == 1
