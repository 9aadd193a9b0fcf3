"""The shop's settings: its name and time zone (Settings → Shop, administrators)."""

import functools
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
    drawn: Shop = UNCHECKED,
    now: datetime | None = None,
) -> Shop:
    """`drawn` is the shop as the form showed it: a field someone else changed since is not
    overwritten (the person is told what it holds now)."""
    name = require_text(name, "The shop's name", NAME_LENGTH)
    if time_zone not in time_zones():
        raise InvalidInput("Choose the shop's time zone from the list.")
    with store.write() as cur:
        require_admin_now(cur, actor)
        new = merged_form(
            drawn,
            {"name": name, "time_zone": time_zone},
            shop_store.get(cur),
            lambda field, value: f"{field.replace('_', ' ')} “{value}”",
        )
        if new:
            shop_store.put(cur, new["name"], new["time_zone"], actor.id, now_or_utc(now))
        return shop_store.get(cur)
