"""Snooze (SPEC T5): out of Open until a time, back then or when the customer writes."""

import time as wall
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from inbox.channels.worker import DeliveryWorker
from inbox.clock import utc_now
from inbox.errors import ChangedMeanwhile, InvalidInput, NotFound
from inbox.models import ChatFilter, SystemEvent
from inbox.services import conversation, reads, shop, snooze
from tests.core.test_races import run_together

KYIV = ZoneInfo("Europe/Kyiv")


def tab(world, state, user=None):
    page = reads.list_chats(world.store, user or world.anna, ChatFilter(state=state))
    return [row.id for row in page.rows], page.counts


def events(world, chat_id):
    return [
        (m.event, m.text)
        for m in reads.list_messages(world.store, world.olga, chat_id)
        if m.event in (SystemEvent.SNOOZED, SystemEvent.SNOOZE_ENDED)
    ]


@pytest.fixture
def snoozed(world):
    """Maria's chat, snoozed by Anna for two hours of the scenario's clock."""
    chat = world.customer_writes("I'll send the size tomorrow").chat_id
    until = world.clock.current + timedelta(hours=2)
    snooze.snooze(world.store, world.anna, chat, until, now=world.clock.tick(), drawn=None)
    return chat, until


def test_a_snoozed_chat_leaves_open_for_the_snoozed_tab(world, snoozed):
    chat, until = snoozed
    other = world.customer_writes("hello", who="tg-200", name="Petro").chat_id
    assert tab(world, "open") == ([other], {"open": 1, "snoozed": 1, "closed": 0, "all": 2})
    assert tab(world, "snoozed")[0] == [chat]
    assert tab(world, "all")[0] == [other, chat]
    assert reads.get_chat(world.store, world.anna, chat).snoozed_until == until
    # 09:01 UTC on 20 Nov 2026 plus two hours is 13:01 in Kyiv (UTC+2 in winter).
    assert events(world, chat) == [
        (SystemEvent.SNOOZED, "Anna Manager snoozed the chat until Fri 20 Nov 13:01 (Kyiv time).")
    ]


def test_it_comes_back_at_its_time_and_not_before(world, snoozed):
    chat, until = snoozed
    assert snooze.next_wake_at(world.store) == until
    assert snooze.wake_due(world.store, now=until - timedelta(seconds=1)) == 0
    assert tab(world, "snoozed")[0] == [chat]
    assert snooze.wake_due(world.store, now=until) == 1
    assert tab(world, "open")[0] == [chat]
    assert tab(world, "snoozed") == ([], {"open": 1, "snoozed": 0, "closed": 0, "all": 1})
    assert events(world, chat)[-1] == (
        SystemEvent.SNOOZE_ENDED,
        "Back from snooze: it was until Fri 20 Nov 13:01 (Kyiv time).",
    )
    assert snooze.wake_due(world.store, now=until + timedelta(hours=1)) == 0
    assert snooze.next_wake_at(world.store) is None
    # The badge still counts the customer's message: only a reply clears it (SPEC C3).
    assert reads.get_chat(world.store, world.anna, chat).badge == 1


def test_it_comes_back_at_once_when_the_customer_writes(world, snoozed):
    chat, until = snoozed
    world.customer_writes("Here it is: size 38")
    assert tab(world, "open")[0] == [chat]
    shown = [(m.event, m.text) for m in reads.list_messages(world.store, world.anna, chat)]
    assert shown[-2:] == [
        (
            SystemEvent.SNOOZE_ENDED,
            "The customer wrote, so the snooze until Fri 20 Nov 13:01 (Kyiv time) ended.",
        ),
        (None, "Here it is: size 38"),
    ]
    assert snooze.wake_due(world.store, now=until) == 0  # nothing left to wake, nothing said
    assert len(events(world, chat)) == 2


def test_a_manager_ends_a_snooze_by_hand(world, snoozed):
    chat, until = snoozed
    snooze.end_snooze(world.store, world.boris, chat, now=world.clock.tick(), drawn=until)
    assert tab(world, "open")[0] == [chat]
    assert events(world, chat)[-1] == (
        SystemEvent.SNOOZE_ENDED,
        "Boris Manager ended the snooze: the chat is back in Open.",
    )


def test_closing_a_snoozed_chat_ends_the_snooze(world, snoozed):
    chat, until = snoozed
    conversation.close_chat(world.store, world.anna, chat)
    assert tab(world, "closed")[0] == [chat]
    assert tab(world, "snoozed")[0] == []
    assert snooze.wake_due(world.store, now=until) == 0
    # A closed chat cannot be snoozed: it has nothing to come back to.
    with pytest.raises(InvalidInput, match="reopen it first"):
        snooze.snooze(world.store, world.anna, chat, until, now=world.clock.tick())


def test_a_snooze_must_end_later_than_now_and_within_a_year(world):
    chat = world.customer_writes("hi").chat_id
    now = world.clock.tick()
    for until, says in ((now, "later than now"), (now + timedelta(days=367), "a year at most")):
        with pytest.raises(InvalidInput, match=says):
            snooze.snooze(world.store, world.anna, chat, until, now=now)
    assert tab(world, "open")[0] == [chat]


def test_only_someone_who_sees_the_channel_can_snooze(world):
    chat = world.customer_writes("hi", channel=world.website).chat_id
    with pytest.raises(NotFound):
        snooze.snooze(
            world.store, world.boris, chat, world.clock.current + timedelta(hours=1),
            now=world.clock.tick(),
        )  # fmt: skip
    assert tab(world, "snoozed", world.anna)[0] == []


def test_a_page_drawn_before_another_managers_snooze_cannot_undo_it(world, snoozed):
    chat, until = snoozed
    later = until + timedelta(days=1)
    # Boris's page still showed the chat unsnoozed: his snooze and his "end" are refused.
    with pytest.raises(ChangedMeanwhile, match="13:01"):
        snooze.snooze(world.store, world.boris, chat, later, now=world.clock.tick(), drawn=None)
    with pytest.raises(ChangedMeanwhile):
        snooze.end_snooze(world.store, world.boris, chat, now=world.clock.tick(), drawn=later)
    assert reads.get_chat(world.store, world.anna, chat).snoozed_until == until


def test_many_wakers_at_once_wake_each_chat_once(world):
    chat_ids = [world.customer_writes("hi", who=f"w{n}").chat_id for n in range(20)]
    until = world.clock.current + timedelta(minutes=30)
    for chat in chat_ids:
        snooze.snooze(world.store, world.anna, chat, until, now=world.clock.tick())
    woken = run_together(6, lambda i: snooze.wake_due(world.store, now=until))
    assert sum(woken) == 20
    for chat in chat_ids:
        assert [e for e, _ in events(world, chat)] == [
            SystemEvent.SNOOZED,
            SystemEvent.SNOOZE_ENDED,
        ]


def test_the_worker_wakes_a_chat_when_its_time_comes(world):
    chat = world.customer_writes("hi").chat_id
    snooze.snooze(world.store, world.anna, chat, utc_now() + timedelta(seconds=1))
    worker = DeliveryWorker(world.store, connectors={}, tick_seconds=0.05)
    worker.start()
    try:
        deadline = wall.monotonic() + 10
        while tab(world, "open")[0] != [chat] and wall.monotonic() < deadline:
            wall.sleep(0.05)
    finally:
        worker.stop()
    assert tab(world, "open")[0] == [chat]
    assert events(world, chat)[-1][0] == SystemEvent.SNOOZE_ENDED


def test_the_quick_choices_follow_the_shops_clock(world):
    # Monday 7 Dec 2026, 10:20 in Kyiv is 08:20 UTC.
    monday = datetime(2026, 12, 7, 8, 20)
    found = snooze.choices(monday, KYIV)
    assert [(c.label, c.until) for c in found] == [
        ("Later today, 14:00", datetime(2026, 12, 7, 12, 0)),
        ("Tomorrow, 09:00", datetime(2026, 12, 8, 7, 0)),
        ("Monday 14 Dec, 09:00", datetime(2026, 12, 14, 7, 0)),
    ]
    # At 19:00 in Kyiv "later today" would pass 21:00: it is not offered.
    assert [c.label for c in snooze.choices(datetime(2026, 12, 7, 17, 0), KYIV)] == [
        "Tomorrow, 09:00",
        "Monday 14 Dec, 09:00",
    ]
    # On the night clocks go forward (29 Mar 2026), tomorrow 9:00 is 06:00 UTC.
    assert snooze.choices(datetime(2026, 3, 28, 12, 0), KYIV)[1].until == datetime(2026, 3, 29, 6)


def test_the_shops_time_zone_says_what_tomorrow_morning_is(world):
    shop.save(world.store, world.olga, "Shop", "America/New_York")
    chat = world.customer_writes("hi").chat_id
    [_, tomorrow, _] = snooze.choices(datetime(2026, 12, 7, 8, 20), shop.get(world.store).zone)
    snooze.snooze(world.store, world.anna, chat, tomorrow.until, now=datetime(2026, 12, 7, 8, 20))
    assert tomorrow.until == datetime(2026, 12, 8, 14, 0)
    assert events(world, chat)[-1][1].endswith("until Tue 8 Dec 09:00 (New York time).")
