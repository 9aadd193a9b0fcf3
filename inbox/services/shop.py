"""The shop's settings: its name, time zone and working hours (Settings → Shop,
administrators)."""

import functools
import re
from datetime import datetime
from zoneinfo import available_timezones

from inbox.errors import InvalidInput
from inbox.models import Shop, User
from inbox.services.common import (
    UNCHECKED,
    merged_form,
    now_or_utc,
    require_admin_now,
    require_text,
)
from inbox.store import Store
from inbox.store import shop as shop_store

NAME_LENGTH = 100
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
KEEP = object()  # the working hours as they are
_HOURS = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?\s*[-–—]\s*(\d{1,2})(?::(\d{2}))?\s*$")


def _time(hour: str, minute: str | None) -> str:
    if int(hour) > 24 or int(minute or 0) > 59 or (int(hour) == 24 and int(minute or 0)):
        raise ValueError
    return f"{int(hour):02d}:{int(minute or 0):02d}"


def parse_hours(by_day: list[str]) -> dict[int, tuple[str, str]] | None:
    """Working hours as typed, a day a line from Monday ("9:00–18:00", "9-18"; blank: closed);
    None when every day is blank (no hours: never out of hours)."""
    hours = {}
    for weekday, typed in enumerate(by_day):
        if not typed.strip():
            continue
        found = _HOURS.match(typed)
        try:
            opens, closes = _time(*found.group(1, 2)), _time(*found.group(3, 4))
        except (AttributeError, ValueError):
            raise InvalidInput(
                f"{WEEKDAYS[weekday]}: write the hours as 9:00–18:00, or leave it empty when "
                "the shop is closed."
            ) from None
        if opens >= closes:
            raise InvalidInput(f"{WEEKDAYS[weekday]}: the shop closes after it opens.")
        hours[weekday] = (opens, closes)
    return hours or None


def hours_text(hours: dict[int, tuple[str, str]] | None, weekday: int) -> str:
    """A day's hours as the form shows them; "" when closed."""
    found = (hours or {}).get(weekday)
    return f"{found[0]}–{found[1]}" if found else ""


@functools.cache
def time_zones() -> tuple[str, ...]:
    """The places a shop can be in, as the time zone database names them."""
    places = (
        z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/"))
    )
    return ("UTC", *sorted(places))


def get(store: Store) -> Shop:
    with store.read() as cur:
        return shop_store.get(cur)


def save(
    store: Store,
    actor: User,
    name: str,
    time_zone: str,
    *,
    working_hours: dict[int, tuple[str, str]] | None = KEEP,
    drawn: Shop = UNCHECKED,
    now: datetime | None = None,
) -> Shop:
    """`drawn` is the shop as the form showed it: a field someone else changed since is not
    overwritten (the person is told what it holds now)."""
    name = require_text(name, "The shop's name", NAME_LENGTH)
    if time_zone not in time_zones():
        raise InvalidInput("Choose the shop's time zone from the list.")
    wanted = {"name": name, "time_zone": time_zone}
    if working_hours is not KEEP:
        wanted["working_hours"] = Shop(name=name, time_zone=time_zone,
                                       working_hours=working_hours).working_hours  # fmt: skip
    with store.write() as cur:
        require_admin_now(cur, actor)
        stored = shop_store.get(cur)
        new = merged_form(drawn, wanted, stored, _describe)
        if new:
            hours = new.get("working_hours", stored.working_hours)
            shop_store.put(cur, new["name"], new["time_zone"], hours, actor.id, now_or_utc(now))
        return shop_store.get(cur)


def _describe(field: str, value) -> str:
    if field == "working_hours":
        days = [f"{WEEKDAYS[d][:3]} {hours_text(value, d)}" for d in sorted(value or {})]
        return f"working hours “{', '.join(days) or 'none'}”"
    return f"{field.replace('_', ' ')} “{value}”"
