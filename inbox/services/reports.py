"""Reports (SPEC P3): order totals by period, customer, channel, manager and the chat's
responsible manager, and how fast each manager first answers; all in the user's reach, for
one period, in one read."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from inbox.models import Report, User
from inbox.store import Store
from inbox.store import reports as totals

Grain = Literal["day", "week", "month"]


def report(
    store: Store,
    user: User,
    since: datetime | None,
    until: datetime | None = None,
    grain: Grain = "day",
) -> Report:
    with store.read() as cur:
        by_period = totals.by_period(cur, user.id, since, until, grain)
        return Report(
            orders=sum(row.orders for row in by_period),
            total=sum((row.total for row in by_period), Decimal("0.00")),
            by_period=by_period,
            by_customer=totals.by_customer(cur, user.id, since, until),
            by_channel=totals.by_channel(cur, user.id, since, until),
            by_manager=totals.by_manager(cur, user.id, since, until),
            by_responsible=totals.by_responsible(cur, user.id, since, until),
            first_responses=totals.first_responses(cur, user.id, since, until),
        )
