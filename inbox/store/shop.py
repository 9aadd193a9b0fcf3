"""The shop's one row of settings (migration 0023); the defaults until an admin saves them."""

import json
from datetime import datetime

from inbox.models import Shop
from inbox.store.connection import Cursor
from inbox.store.rows import fetch_model

DEFAULT = Shop(name="Our shop", time_zone="Europe/Kyiv")


def get(cur: Cursor) -> Shop:
    stored = fetch_model(
        cur,
        Shop,
        "SELECT s.name, s.time_zone, s.working_hours, u.name AS changed_by_name, s.changed_at"
        " FROM shop s LEFT JOIN users u ON u.id = s.changed_by WHERE s.id = 1",
    )
    return stored or DEFAULT


def put(
    cur: Cursor,
    name: str,
    time_zone: str,
    working_hours: dict[int, tuple[str, str]] | None,
    user_id: int,
    now: datetime,
) -> None:
    hours = None if working_hours is None else json.dumps(working_hours, sort_keys=True)
    cur.execute(
        "INSERT INTO shop (id, name, time_zone, working_hours, changed_by, changed_at)"
        " VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
        " time_zone = excluded.time_zone, working_hours = excluded.working_hours,"
        " changed_by = excluded.changed_by, changed_at = excluded.changed_at",
        [name, time_zone, hours, user_id, now],
    )
