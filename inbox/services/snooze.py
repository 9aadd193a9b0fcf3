"""Snooze (SPEC T5): a chat leaves Open until a chosen time, and comes back then, or at once
when the customer writes; a system message says which. The time is kept in the chat's row, so
it holds across restarts, and whichever server's worker sees it first wakes the chat, once."""

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from inbox.clock import as_utc, in_zone, utc_of
from inbox.errors import InvalidInput
from inbox.models import ChatRow, ChatState, SystemEvent, User
from inbox.services.common import (
    UNCHECKED,
    now_or_utc,
    record_event,
    require_chat,
    require_unchanged,
)
from inbox.store import Cursor, Store, chats
from inbox.store import shop as shop_store

LONGEST = timedelta(days=366)
LATER_TODAY = timedelta(hours=3)
LAST_HOUR_TODAY = 21  # "later today" is offered while it still falls by 21:00, shop time
MORNING = time(9, 0)
WAKES_A_WRITE = 100  # chats woken in one transaction; the worker comes back for more


class SnoozeChoice(BaseModel):
    label: str
    until: datetime  # naive UTC


def until_text(until: datetime, zone: ZoneInfo, place: bool = True) -> str:
    """'Tue 8 Dec 09:00 (Kyiv time)': what a system message and the snooze menu say."""
    local = in_zone(until, zone)
    text = f"{local:%a} {local.day} {local:%b} {local:%H:%M}"
    return f"{text} ({zone.key.rsplit('/', 1)[-1].replace('_', ' ')} time)" if place else text


def choices(now: datetime, zone: ZoneInfo) -> list[SnoozeChoice]:
    """The quick choices: later today (while it is still today by 21:00), tomorrow morning and
    next Monday morning, on the shop's clock."""
    local = in_zone(now, zone)
    found = []
    later = (local + LATER_TODAY + timedelta(minutes=59)).replace(minute=0, second=0, microsecond=0)
    if later.date() == local.date() and later.hour <= LAST_HOUR_TODAY:
        found.append(SnoozeChoice(label=f"Later today, {later:%H:%M}", until=as_utc(later)))
    tomorrow = local.date() + timedelta(days=1)
    found.append(
        SnoozeChoice(label=f"Tomorrow, {MORNING:%H:%M}", until=utc_of(tomorrow, MORNING, zone))
    )
    monday = local.date() + timedelta(days=7 - local.weekday())
    found.append(
        SnoozeChoice(
            label=f"Monday {monday.day} {monday:%b}, {MORNING:%H:%M}",
            until=utc_of(monday, MORNING, zone),
        )
    )
    return found


def snooze(
    store: Store,
    actor: User,
    chat_id: int,
    until: datetime,
    now: datetime | None = None,
    *,
    drawn: datetime | None | Any = UNCHECKED,
) -> ChatRow:
    """Snooze the chat until then (naive UTC). `drawn` is the snooze the page showed (None for
    none): when someone changed it since, nothing changes and the person is told."""
    now = now_or_utc(now)
    if until <= now:
        raise InvalidInput("Choose a time later than now.")
    if until > now + LONGEST:
        raise InvalidInput("A chat can be snoozed for a year at most.")
    with store.write() as cur:
        chat = require_chat(cur, actor, chat_id)
        store.touch(chat.channel_id, chat_id)
        if chat.state == ChatState.CLOSED:
            raise InvalidInput("A closed chat cannot be snoozed: reopen it first.")
        zone = _zone(cur)
        require_unchanged(drawn, chat.snoozed_until, "The snooze", _described(chat, zone))
        if chat.snoozed_until == until:
            return chat
        chats.snooze(cur, chat_id, until)
        text = f"{actor.name} snoozed the chat until {until_text(until, zone)}."
        record_event(cur, chat_id, SystemEvent.SNOOZED, text, now, actor)
        return chats.visible(cur, actor.id, chat_id)


def end_snooze(
    store: Store,
    actor: User,
    chat_id: int,
    now: datetime | None = None,
    *,
    drawn: datetime | None | Any = UNCHECKED,
) -> ChatRow:
    """Bring a snoozed chat back to Open now."""
    now = now_or_utc(now)
    with store.write() as cur:
        chat = require_chat(cur, actor, chat_id)
        store.touch(chat.channel_id, chat_id)
        zone = _zone(cur)
        require_unchanged(drawn, chat.snoozed_until, "The snooze", _described(chat, zone))
        if chat.snoozed_until is None:
            return chat
        chats.snooze(cur, chat_id, None)
        text = f"{actor.name} ended the snooze: the chat is back in Open."
        record_event(cur, chat_id, SystemEvent.SNOOZE_ENDED, text, now, actor)
        return chats.visible(cur, actor.id, chat_id)


def _described(chat: ChatRow, zone: ZoneInfo) -> str:
    if chat.snoozed_until is None:
        return "not snoozed"
    return f"until {until_text(chat.snoozed_until, zone)}"


def end_early(cur: Cursor, chat_id: int, until: datetime, now: datetime) -> None:
    """Inside the write of a customer's message: the chat comes back at once."""
    if chats.end_snooze(cur, chat_id, until):
        text = f"The customer wrote, so the snooze until {until_text(until, _zone(cur))} ended."
        record_event(cur, chat_id, SystemEvent.SNOOZE_ENDED, text, now)


def _zone(cur: Cursor) -> ZoneInfo:
    return shop_store.get(cur).zone


def wake_due(store: Store, now: datetime | None = None) -> int:
    """Bring back the chats whose snooze has ended; how many this call woke. It looks in a
    read first, so that no page reruns when none has."""
    now = now_or_utc(now)
    with store.read() as cur:
        if not chats.snoozes_ended(cur, now, 1):
            return 0
    woken = 0
    with store.write() as cur:
        zone = _zone(cur)
        for chat_id, channel_id, until in chats.snoozes_ended(cur, now, WAKES_A_WRITE):
            store.touch(channel_id, chat_id)  # a page of its channel reruns, woken or not
            if not chats.end_snooze(cur, chat_id, until):
                continue
            text = f"Back from snooze: it was until {until_text(until, zone)}."
            record_event(cur, chat_id, SystemEvent.SNOOZE_ENDED, text, now)
            woken += 1
    return woken


def next_wake_at(store: Store) -> datetime | None:
    with store.read() as cur:
        return chats.next_snooze_end(cur)
