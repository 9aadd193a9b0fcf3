"""Reports (SPEC P3) against hand-computed figures.

The shop (tests/core/test_customers.make_shop), all on 2026-11-20:
  09:01 Maria writes on Telegram, 09:02 on the website (one customer), 09:03 Ivo on the website;
  orders by Anna: 09:04 Telegram 30.00, 09:05 website 12.50, 09:06 website 99.00 cancelled,
  09:07 Ivo 45.00.
Added here: an order for Maria outside any chat on 2026-11-22, 20.00, by Boris; Anna answers
Ivo at 09:13 (10 min) and Maria's website chat at 09:22 (20 min); Boris answers Maria's
Telegram chat at 09:31 (30 min).
"""

from datetime import datetime
from decimal import Decimal

import pytest

from inbox.models import OrderLine
from inbox.services import conversation, reports
from inbox.store import orders
from tests.core.test_customers import make_shop

D = Decimal


@pytest.fixture
def shop(world):
    make_shop(world)
    with world.store.write() as cur:
        values = {"status": "new", "delivery_method": "", "delivery_address": "",
                  "delivery_cost": D("0"), "payment_method": "", "paid": False, "comment": "",
                  "total": D("20.00")}  # fmt: skip
        order_id = orders.insert(
            cur, world.maria.id, None, world.boris.id, values, datetime(2026, 11, 22, 10)
        )
        orders.replace_lines(cur, order_id, [OrderLine(product_id=None, name="Hat", quantity=1,
                                                       price=D("20.00"))])  # fmt: skip
    for who, chat, minute in ((world.anna, world.ivo_chat, 13), (world.anna, world.web_chat, 22),
                              (world.boris, world.tg_chat, 31)):  # fmt: skip
        conversation.send_reply(
            world.store, who, chat, "Hello!", now=datetime(2026, 11, 20, 9, minute)
        )
    return world


def rows(found):
    return [(r.label, r.orders, r.total) for r in found]


def test_totals_by_customer_channel_manager_and_responsible_leave_cancelled_out(shop):
    found = reports.report(shop.store, shop.olga, since=None)
    assert (found.orders, found.total) == (4, D("107.50"))
    assert rows(found.by_customer) == [
        ("Maria Keller", 3, D("62.50")),
        ("Ivo Horvat", 1, D("45.00")),
    ]
    assert rows(found.by_channel) == [
        ("Website chat", 2, D("57.50")),
        ("Shop bot", 1, D("30.00")),
        ("No chat", 1, D("20.00")),
    ]
    assert rows(found.by_manager) == [
        ("Anna Manager", 3, D("87.50")),
        ("Boris Manager", 1, D("20.00")),
    ]
    assert rows(found.by_responsible) == [
        ("Anna Manager", 2, D("57.50")),
        ("Boris Manager", 1, D("30.00")),
        ("No chat", 1, D("20.00")),
    ]


def test_totals_by_day_and_by_month(shop):
    by_day = reports.report(shop.store, shop.olga, since=None, grain="day").by_period
    assert rows(by_day) == [("2026-11-20", 3, D("87.50")), ("2026-11-22", 1, D("20.00"))]
    by_month = reports.report(shop.store, shop.olga, since=None, grain="month").by_period
    assert rows(by_month) == [("2026-11-01", 4, D("107.50"))]


def test_first_response_time_per_manager(shop):
    found = reports.report(shop.store, shop.olga, since=None).first_responses
    assert [(r.manager, r.chats, r.median_seconds, r.average_seconds) for r in found] == [
        ("Anna Manager", 2, 900.0, 900.0),
        ("Boris Manager", 1, 1800.0, 1800.0),
    ]


def test_a_period_and_a_managers_reach_narrow_everything(shop):
    later = reports.report(shop.store, shop.olga, since=datetime(2026, 11, 21))
    assert (later.orders, later.total) == (1, D("20.00")) and later.first_responses == []
    boris = reports.report(shop.store, shop.boris, since=None)
    assert (boris.orders, boris.total) == (2, D("50.00"))
    assert rows(boris.by_channel) == [("Shop bot", 1, D("30.00")), ("No chat", 1, D("20.00"))]
    assert [r.manager for r in boris.first_responses] == ["Boris Manager"]
    clara = reports.report(shop.store, shop.clara, since=None)
    assert (clara.orders, clara.total, clara.by_customer) == (0, D("0.00"), [])
