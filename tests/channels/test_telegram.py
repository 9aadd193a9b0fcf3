"""The Telegram connector against a Bot API stand-in on 127.0.0.1 (SPEC CH2, CH5, CH6)."""

from datetime import timedelta

from inbox.channels import delivery, telegram
from inbox.channels.registry import CONNECTORS
from inbox.clock import utc_now
from inbox.models import DeliveryState, MessageKind
from inbox.services import accounts, conversation, reads
from inbox.store import channels
from tests.channels.standin_http import wait_until
from tests.channels.telegram_standin import BLOCKED, SERVER_ERROR, TOO_MANY_REQUESTS, poll
from tests.scenario import deliver, shown


def customer_texts(world):
    rows = reads.list_chats(world.store, world.olga, reads.ChatFilter(state="all"))
    found = []
    for row in rows.rows:
        found += [
            (row.name, m.text)
            for m in reads.list_messages(world.store, world.olga, row.id)
            if m.kind == MessageKind.CUSTOMER
        ]
    return sorted(found)


def test_messages_arrive_with_the_customers_name_and_the_offset_moves_on(world, bot):
    bot.customer_writes(501, "Hello!", first_name="Maria", username="maria_k")
    bot.customer_writes(502, "Do you ship to Porto?", first_name="João")
    assert poll(world) == 2
    assert customer_texts(world) == [("João", "Do you ship to Porto?"), ("Maria", "Hello!")]
    [maria] = [
        r
        for r in reads.list_chats(world.store, world.olga, reads.ChatFilter()).rows
        if r.name == "Maria"
    ]
    card = reads.customer_card(world.store, world.olga, maria.id)
    assert (card.contact.external_id, card.contact.handle) == ("501", "maria_k")
    assert poll(world) == 0, "Telegram forgets what the saved offset has passed"


def test_updates_fetched_again_after_a_lost_offset_are_stored_once(world, bot):
    bot.customer_writes(501, "one")
    bot.customer_writes(501, "two")
    poll(world)
    with world.store.write() as cur:  # as if the server died before saving the offset
        config = channels.settings(cur, world.telegram.id)
        channels.update_settings(cur, world.telegram.id, {**config, telegram.OFFSET: 0})
    assert poll(world) == 2, "the same updates came again"
    assert customer_texts(world) == [("Maria", "one"), ("Maria", "two")]


def test_messages_without_text_or_file_show_what_they_are_and_group_chats_are_left_alone(
    world, bot
):
    bot.customer_sends(501, location={"latitude": 38.7, "longitude": -9.1})
    group = bot.customer_writes(-100, "in a group")
    group["chat"]["type"] = "group"
    poll(world)
    assert customer_texts(world) == [("Maria", "[location]")]


def reply_to_maria(world, bot, text="Yes, we do!"):
    bot.customer_writes(501, "Do you ship to Porto?")
    poll(world)
    [chat] = reads.list_chats(world.store, world.anna, reads.ChatFilter()).rows
    [question] = reads.list_messages(world.store, world.anna, chat.id)
    return conversation.send_reply(
        world.store, world.anna, chat.id, text, reply_to_id=question.id, now=world.clock.tick()
    )


def test_a_reply_goes_out_with_sendmessage_quoting_the_customers_message(world, bot):
    reply = reply_to_maria(world, bot)
    deliver(world)
    [sent] = bot.sent
    assert sent["chat_id"] == "501" and sent["text"] == "Yes, we do!"
    assert sent["reply_parameters"]["message_id"] == 1
    assert shown(world, reply).delivery_state == DeliveryState.SENT
    assert shown(world, reply).external_id == "2"


def test_a_rate_limit_is_waited_out_and_a_server_error_retried(world, bot):
    reply = reply_to_maria(world, bot)
    bot.fail_next_sends(TOO_MANY_REQUESTS, SERVER_ERROR)
    deliver(world)
    assert shown(world, reply).delivery_state == DeliveryState.PENDING
    deliver(world, 2)
    assert bot.sent == [], "retry_after is 3 seconds"
    deliver(world, 3)
    assert shown(world, reply).delivery_error == "Telegram: Internal Server Error"
    deliver(world, 4)
    assert bot.sent == [], "the second try's retry comes 2 seconds after it"
    deliver(world, 5)
    assert [s["text"] for s in bot.sent] == ["Yes, we do!"]
    assert shown(world, reply).delivery_state == DeliveryState.SENT


def test_telegram_down_is_retried_but_a_send_without_an_answer_waits_for_a_manager(world, bot):
    reply = reply_to_maria(world, bot)
    accounts.configure_channel(
        world.store, world.olga, world.telegram.id, api_url="http://127.0.0.1:9"
    )
    deliver(world)
    found = shown(world, reply)
    assert found.delivery_state == DeliveryState.PENDING, "nothing went out: tried again"
    assert found.delivery_error.startswith("Telegram could not be reached")

    accounts.configure_channel(
        world.store, world.olga, world.telegram.id, api_url=bot.base_url, timeout_seconds=0.3
    )
    bot.send_delay = 1.0
    deliver(world, 1)
    found = shown(world, reply)
    assert found.delivery_state == DeliveryState.UNKNOWN
    assert found.delivery_error.startswith("Telegram did not answer: timed out")
    deliver(world, 10)
    assert wait_until(lambda: len(bot.sent) == 1, 3), "Telegram took it"
    deliver(world, 20)
    assert len(bot.sent) == 1, "and only once"


def test_a_blocked_bot_fails_the_reply_with_telegrams_words_and_retry_sends_it(world, bot):
    reply = reply_to_maria(world, bot)
    bot.fail_next_sends(BLOCKED)
    deliver(world)
    found = shown(world, reply)
    assert (found.delivery_state, found.delivery_error) == (
        DeliveryState.FAILED,
        "Telegram: Forbidden: bot was blocked by the user",
    )
    conversation.retry_delivery(world.store, world.anna, reply.id, now=world.clock.current)
    deliver(world, 1)
    assert len(bot.sent) == 1 and shown(world, reply).delivery_state == DeliveryState.SENT


def test_a_bot_without_a_token_says_so(world):
    accounts.configure_channel(world.store, world.olga, world.telegram.id, token="")
    chat = world.customer_writes("hi").chat_id
    reply = conversation.send_reply(world.store, world.anna, chat, "Hello", now=world.clock.tick())
    deliver(world)
    assert shown(world, reply).delivery_error.startswith("This bot has no token")
    assert telegram.polled_channels(world.store) == []


def test_a_new_chat_gets_the_channels_greeting_and_a_bot_gets_nothing(world, bot):
    greeting = "Hello! A manager will answer shortly."
    accounts.configure_channel(world.store, world.olga, world.telegram.id, auto_greeting=greeting)
    bot.customer_writes(501, "Do you ship to Porto?")
    bot.customer_sends(777, "Helper", text="I am a bot")
    bot.updates[-1]["message"]["from"]["is_bot"] = True
    poll(world)  # stored at the real time, which the scenario's clock is behind
    delivery.deliver_due(world.store, CONNECTORS, now=utc_now() + timedelta(seconds=1))
    assert [(s["chat_id"], s["text"]) for s in bot.sent] == [("501", greeting)]
    rows = reads.list_chats(world.store, world.anna, reads.ChatFilter()).rows
    maria = next(r for r in rows if r.name == "Maria")
    assert maria.badge == 1 and maria.assignee_id is None
    [automatic] = [m for m in reads.list_messages(world.store, world.anna, maria.id) if m.automatic]
    assert automatic.delivery_state == DeliveryState.SENT and automatic.text == greeting
