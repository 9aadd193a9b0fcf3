"""Orders in the chat (L3), active orders (L4), the customer's count and sum (L5)."""

from decimal import Decimal

import pytest
from pydantic import ValidationError

from inbox.errors import InvalidInput
from inbox.models import CustomerInput, OrderDraft, OrderLineInput, OrderStatus, SystemEvent
from inbox.services import catalogue, leads, orders, reads


@pytest.fixture
def shop(world):
    world.socks = catalogue.add_product(
        world.store, world.olga, "Wool socks", Decimal("12.50"), "SOCK-1"
    )
    world.scarf = catalogue.add_product(world.store, world.olga, "Scarf", Decimal("30.00"))
    world.chat = world.customer_writes("I'd like socks").chat_id
    leads.save_as_customer(
        world.store, world.anna, world.chat, CustomerInput(name="Maria"), now=world.clock.tick()
    )
    return world


def draft(*lines, **fields):
    return OrderDraft(lines=list(lines), **fields)


def test_an_order_totals_its_lines_and_delivery(shop):
    order = orders.create_order(
        shop.store,
        shop.anna,
        shop.chat,
        draft(
            OrderLineInput(product_id=shop.socks.id, quantity=3),
            OrderLineInput(name="Gift wrap", price=Decimal("2.00")),
            delivery_method="Courier",
            delivery_address="Rua Augusta 1, Lisbon",
            delivery_cost=Decimal("5.90"),
            payment_method="Card",
            comment="Ring twice",
        ),
    )
    assert order.total == Decimal("45.40")
    assert [(line.name, line.quantity, line.price) for line in order.lines] == [
        ("Wool socks", 3, Decimal("12.50")),
        ("Gift wrap", 1, Decimal("2.00")),
    ]
    assert (order.manager_name, order.customer_name, order.status) == (
        "Anna Manager",
        "Maria",
        "new",
    )
    assert order.id >= 1001
    [event] = [
        m
        for m in reads.list_messages(shop.store, shop.anna, shop.chat)
        if m.event == SystemEvent.ORDER_CREATED
    ]
    assert event.text == f"Anna Manager created order #{order.id}, total 45.40."


def test_a_catalogue_price_can_be_overridden_and_the_order_keeps_it(shop):
    order = orders.create_order(
        shop.store,
        shop.anna,
        shop.chat,
        draft(OrderLineInput(product_id=shop.scarf.id, price=Decimal("25.00"))),
    )
    assert order.total == Decimal("25.00")
    assert order.lines[0].name == "Scarf"


def test_an_order_needs_a_customer(world):
    chat = world.customer_writes("hi", who="new").chat_id
    with pytest.raises(InvalidInput, match="Save the lead"):
        orders.create_order(world.store, world.anna, chat, draft(OrderLineInput(name="x", price=1)))


@pytest.mark.parametrize(
    "line, message",
    [
        (OrderLineInput(name="Mystery"), "needs a price"),
        (OrderLineInput(price=Decimal("1")), "needs a name"),
        (OrderLineInput(product_id=9999), "not in the catalogue"),
    ],
)
def test_a_bad_line_is_refused_and_nothing_is_stored(shop, line, message):
    with pytest.raises(InvalidInput, match=message):
        orders.create_order(shop.store, shop.anna, shop.chat, draft(line))
    assert reads.customer_card(shop.store, shop.anna, shop.chat).order_count == 0


def test_the_form_refuses_nonsense_before_the_service_sees_it():
    with pytest.raises(ValidationError):
        OrderDraft(lines=[])
    with pytest.raises(ValidationError):
        OrderLineInput(name="x", price=Decimal("-1"))
    with pytest.raises(ValidationError):
        OrderLineInput(name="x", price=Decimal("1"), quantity=0)


def test_active_orders_count_and_sum(shop):
    def take(price, status):
        return orders.create_order(
            shop.store,
            shop.anna,
            shop.chat,
            draft(OrderLineInput(name="Item", price=Decimal(price)), status=status),
            now=shop.clock.tick(),
        )

    first = take("10.00", OrderStatus.NEW)
    second = take("20.00", OrderStatus.SHIPPED)
    take("40.00", OrderStatus.COMPLETED)
    take("80.00", OrderStatus.CANCELLED)
    card = reads.customer_card(shop.store, shop.anna, shop.chat)
    assert [o.id for o in card.active_orders] == [second.id, first.id]
    assert (card.order_count, card.order_total) == (3, Decimal("70.00")), (
        "cancelled orders are no sale"
    )


def test_changing_an_order_recomputes_it_and_says_what_changed(shop):
    order = orders.create_order(
        shop.store,
        shop.anna,
        shop.chat,
        draft(OrderLineInput(product_id=shop.socks.id)),
        now=shop.clock.tick(),
    )
    changed = orders.update_order(
        shop.store,
        shop.boris,
        order.id,
        draft(
            OrderLineInput(product_id=shop.socks.id, quantity=2),
            status=OrderStatus.CONFIRMED,
        ),
        now=shop.clock.tick(),
    )
    assert changed.total == Decimal("25.00")
    assert changed.status == OrderStatus.CONFIRMED
    assert changed.updated_at == shop.clock.current
    last = reads.list_messages(shop.store, shop.anna, shop.chat)[-1]
    assert last.event == SystemEvent.ORDER_CHANGED
    assert last.text == (
        f"Boris Manager changed order #{order.id}:"
        " status new → confirmed, total 12.50 → 25.00, items."
    )


def test_saving_an_order_unchanged_writes_nothing(shop):
    same = draft(OrderLineInput(product_id=shop.socks.id))
    order = orders.create_order(shop.store, shop.anna, shop.chat, same)
    before = len(reads.list_messages(shop.store, shop.anna, shop.chat))
    orders.update_order(shop.store, shop.anna, order.id, same)
    assert len(reads.list_messages(shop.store, shop.anna, shop.chat)) == before
