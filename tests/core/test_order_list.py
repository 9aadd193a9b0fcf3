"""The Orders page's list (SPEC P2): filters, totals of what matches, and reach."""

from datetime import timedelta
from decimal import Decimal

import pytest

from inbox.errors import NotFound
from inbox.models import OrderDraft, OrderLineInput, OrderQuery, OrderStatus
from inbox.services import orders, reads
from tests.core.test_customers import make_shop


@pytest.fixture
def shop(world):
    return make_shop(world)


def listed(world, user, **query):
    found = orders.list_orders(world.store, user, OrderQuery(**query))
    return [(r.customer_name, r.channel_name, r.total) for r in found.rows], found


def test_all_orders_newest_first_with_the_sum_of_all_but_cancelled(shop):
    rows, found = listed(shop, shop.anna)
    assert rows == [
        ("Ivo Horvat", "Website chat", Decimal("45.00")),
        ("Maria Keller", "Website chat", Decimal("99.00")),
        ("Maria Keller", "Website chat", Decimal("12.50")),
        ("Maria Keller", "Shop bot", Decimal("30.00")),
    ]
    assert (found.count, found.total) == (4, Decimal("87.50"))


def test_filters_by_status_channel_manager_and_period(shop):
    rows, found = listed(shop, shop.anna, statuses=[OrderStatus.CANCELLED])
    assert (len(rows), found.count, found.total) == (1, 1, Decimal("0.00"))
    rows, found = listed(shop, shop.anna, channel_id=shop.telegram.id)
    assert rows == [("Maria Keller", "Shop bot", Decimal("30.00"))]
    assert listed(shop, shop.anna, manager_id=shop.boris.id)[0] == []
    assert len(listed(shop, shop.anna, manager_id=shop.anna.id)[0]) == 4
    all_rows = orders.list_orders(shop.store, shop.anna, OrderQuery()).rows
    second = all_rows[-2].created_at  # the website order of 12.50
    rows, found = listed(shop, shop.anna, since=second, until=second + timedelta(minutes=1))
    assert rows == [("Maria Keller", "Website chat", Decimal("12.50"))]


def test_a_page_at_a_time_and_the_totals_count_every_match(shop):
    rows, found = listed(shop, shop.anna, limit=2)
    assert len(rows) == 2 and found.has_more
    assert (found.count, found.total) == (4, Decimal("87.50"))


def test_a_manager_sees_orders_of_their_channels_only(shop):
    rows, found = listed(shop, shop.boris)
    assert rows == [("Maria Keller", "Shop bot", Decimal("30.00"))]
    assert found.total == Decimal("30.00")
    assert listed(shop, shop.clara)[0] == []
    web_order = orders.list_orders(shop.store, shop.anna, OrderQuery()).rows[0]
    with pytest.raises(NotFound):
        reads.get_order(shop.store, shop.boris, web_order.id)
    draft = OrderDraft(lines=[OrderLineInput(name="x", price=Decimal("1"))])
    with pytest.raises(NotFound):
        orders.update_order(shop.store, shop.boris, web_order.id, draft)
