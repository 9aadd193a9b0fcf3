"""Automatic answers (SPEC CH11), on both engines: a channel's greeting for a new chat and its
answer out of working hours, once per chat in the channel's while, never to a program, shown as
automatic, making nobody responsible and leaving the badge."""

from datetime import datetime, timedelta

import pytest

from inbox.errors import InvalidInput
from inbox.models import InboundMessage, MessageKind
from inbox.services import accounts, conversation, inbound, reads, shop

GREETING = "Hello! A manager will answer shortly."
AWAY = "We are closed now and answer from 9:00."
# 20 Nov 2026 is a Friday; the shop is in Kyiv (UTC+2): 9:00 UTC is 11:00 there.
WEEKDAYS_9_TO_18 = ["9:00-18:00"] * 5 + ["", ""]


def set_answers(world, **settings):
    accounts.configure_channel(world.store, world.olga, world.telegram.id, **settings)


def set_hours(world, by_day=WEEKDAYS_9_TO_18):
    shop.save(world.store, world.olga, "Woolly Fox", "Europe/Kyiv",
              working_hours=shop.parse_hours(by_day))  # fmt: skip


def conversation_of(world, chat_id):
    return reads.list_messages(world.store, world.anna, chat_id)


def automatic(world, chat_id):
    return [m.text for m in conversation_of(world, chat_id) if m.automatic]


def test_a_new_chat_is_greeted_once_by_nobody_and_keeps_its_badge(world):
    set_answers(world, auto_greeting=GREETING)
    chat_id = world.customer_writes("Hi, do you have merino socks?").chat_id
    world.customer_writes("Size 43")
    [greeting] = [m for m in conversation_of(world, chat_id) if m.automatic]
    assert (greeting.kind, greeting.text, greeting.author_id) == (
        MessageKind.MANAGER,
        GREETING,
        None,
    )
    chat = reads.get_chat(world.store, world.anna, chat_id)
    assert chat.badge == 2, "only a manager's reply clears the badge"
    assert chat.assignee_id is None, "nobody became responsible"
    [row] = reads.list_chats(world.store, world.anna, reads.ChatFilter(answer="waiting")).rows
    assert row.id == chat_id, "still waiting for an answer"
    conversation.send_reply(world.store, world.anna, chat_id, "Yes, we do!", now=world.clock.tick())
    assert reads.get_chat(world.store, world.anna, chat_id).assignee_id == world.anna.id


def test_out_of_hours_the_away_answer_goes_once_a_while(world):
    set_answers(world, auto_greeting=GREETING, auto_away=AWAY, auto_every_hours=12.0)
    set_hours(world)
    world.clock.current = datetime(2026, 11, 20, 17, 0)  # Friday 19:00 in Kyiv: closed
    chat_id = world.customer_writes("Are you open?").chat_id
    world.customer_writes("Hello?")
    assert automatic(world, chat_id) == [AWAY], "the away answer, not the greeting, and once"
    world.clock.current += timedelta(hours=11)  # Saturday 06:00: closed, within the while
    world.customer_writes("Anyone?")
    assert automatic(world, chat_id) == [AWAY]
    world.clock.current += timedelta(hours=2)  # Saturday 08:00: the while has passed
    world.customer_writes("Still there?")
    assert automatic(world, chat_id) == [AWAY, AWAY]


def test_within_working_hours_an_old_chat_gets_nothing(world):
    set_answers(world, auto_greeting=GREETING, auto_away=AWAY)
    set_hours(world)
    world.clock.current = datetime(2026, 11, 20, 8, 0)  # Friday 10:00 in Kyiv: open
    chat_id = world.customer_writes("Hi").chat_id
    world.customer_writes("One more thing")
    assert automatic(world, chat_id) == [GREETING]


def test_no_hours_set_means_never_away(world):
    set_answers(world, auto_away=AWAY)
    world.clock.current = datetime(2026, 11, 22, 2, 0)  # a Sunday night
    chat_id = world.customer_writes("Hi").chat_id
    assert automatic(world, chat_id) == []


def test_a_message_a_program_sent_is_never_answered(world):
    set_answers(world, auto_greeting=GREETING, auto_away=AWAY)
    result = inbound.receive_customer_message(
        world.store,
        InboundMessage(channel_id=world.telegram.id, external_user_id="bot-7", display_name="Bot",
                       external_message_id="b1", text="Auto-reply: I am away", automatic=True),
        now=world.clock.tick(),
    )  # fmt: skip
    assert automatic(world, result.chat_id) == []


def test_an_answer_is_cut_to_what_the_platform_takes(world):
    from inbox.channels import meta
    from inbox.services.auto_replies import fitted

    cut = fitted("Привіт! " * 200, meta.INSTAGRAM.limits)
    assert len(cut.encode()) <= 1000 and cut.startswith("Привіт!")


def test_working_hours_are_read_as_typed_and_wrong_ones_refused(world):
    assert shop.parse_hours(["9-18", " 10:30 – 14:00 ", "", "", "", "", ""]) == {
        0: ("09:00", "18:00"),
        1: ("10:30", "14:00"),
    }
    assert shop.parse_hours([""] * 7) is None
    with pytest.raises(InvalidInput, match="Wednesday: write the hours as 9:00–18:00"):
        shop.parse_hours(["", "", "nine to six", "", "", "", ""])
    with pytest.raises(InvalidInput, match="Monday: the shop closes after it opens"):
        shop.parse_hours(["18:00-9:00", "", "", "", "", "", ""])
    set_hours(world)
    saved = shop.get(world.store)
    assert saved.working_hours[4] == ("09:00", "18:00") and 5 not in saved.working_hours
    assert saved.is_open(datetime(2026, 11, 20, 7, 0)) and not saved.is_open(
        datetime(2026, 11, 20, 16, 0)
    ), "Friday 9:00 is open, 18:00 closed (Kyiv)"
