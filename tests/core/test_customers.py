"""The Customers page (SPEC P1): the list with order count and sum, and a customer's page."""

from decimal import Decimal

import pytest

from inbox.errors import NotFound
from inbox.models import (
    ChatFilter,
    CustomerInput,
    CustomerQuery,
    OrderDraft,
    OrderLineInput,
    OrderStatus,
)
from inbox.services import customers, leads, orders, reads


def order(world, chat_id, price, status=OrderStatus.NEW):
    draft = OrderDraft(
        lines=[OrderLineInput(name="Scarf", quantity=1, price=Decimal(price))], status=status
    )
    return orders.create_order(world.store, world.anna, chat_id, draft, now=world.clock.tick())


@pytest.fixture
def shop(world):
    return make_shop(world)


def make_shop(world):
    """Maria writes on Telegram and the website (one customer); Ivo only on the website."""
    tg = world.customer_writes("socks?", who="tg-maria", name="Maria K").chat_id
    web = world.customer_writes(
        "hello", who="web-maria", name="Maria", channel=world.website
    ).chat_id
    ivo = world.customer_writes("hi", who="web-ivo", name="Ivo", channel=world.website).chat_id
    maria = leads.save_as_customer(
        world.store,
        world.anna,
        tg,
        CustomerInput(name="Maria Keller", phone="+351 912 345 678", email="maria@example.com"),
    )
    leads.link_to_customer(world.store, world.anna, web, maria.id)
    leads.save_as_customer(world.store, world.anna, ivo, CustomerInput(name="Ivo Horvat"))
    order(world, tg, "30.00")
    order(world, web, "12.50")
    order(world, web, "99.00", OrderStatus.CANCELLED)
    order(world, ivo, "45.00")
    leads.add_note(world.store, world.anna, web, "Prefers blue")
    world.maria, world.tg_chat, world.web_chat, world.ivo_chat = maria, tg, web, ivo
    return world


def listed(world, user, **query):
    return [
        (r.name, r.channels, r.order_count, r.order_total)
        for r in customers.list_customers(world.store, user, CustomerQuery(**query)).rows
    ]


def test_the_list_counts_and_sums_orders_without_the_cancelled_ones(shop):
    assert listed(shop, shop.anna) == [
        ("Ivo Horvat", "Website chat", 1, Decimal("45.00")),
        ("Maria Keller", "Shop bot, Website chat", 2, Decimal("42.50")),
    ]


def test_a_manager_sees_only_customers_of_their_channels_and_only_those_channels(shop):
    assert listed(shop, shop.boris) == [("Maria Keller", "Shop bot", 2, Decimal("42.50"))]
    assert listed(shop, shop.clara) == []


@pytest.mark.parametrize(
    "search, found",
    [("kell", ["Maria Keller"]), ("MARIA@EX", ["Maria Keller"]), ("345 678", ["Maria Keller"]),
     ("horvat", ["Ivo Horvat"]), ("nobody", []), ("", ["Ivo Horvat", "Maria Keller"])],
)  # fmt: skip
def test_search_by_name_email_or_phone_digits(shop, search, found):
    assert [row[0] for row in listed(shop, shop.anna, search=search)] == found


def test_sorting_by_total_orders_and_last_order(shop):
    assert [row[0] for row in listed(shop, shop.anna, sort="total")] == [
        "Ivo Horvat",
        "Maria Keller",
    ]
    assert [row[0] for row in listed(shop, shop.anna, sort="orders")] == [
        "Maria Keller",
        "Ivo Horvat",
    ]
    assert [row[0] for row in listed(shop, shop.anna, sort="last_order")][0] == "Ivo Horvat"


def test_a_long_list_comes_a_page_at_a_time(shop):
    page = customers.list_customers(shop.store, shop.anna, CustomerQuery(limit=1))
    assert [r.name for r in page.rows] == ["Ivo Horvat"] and page.has_more


def test_a_customers_page_has_their_chats_orders_and_notes(shop):
    page = customers.customer_page(shop.store, shop.anna, shop.maria.id)
    assert page.customer.email == "maria@example.com"
    assert sorted((c.channel_name, c.display_name) for c in page.chats) == [
        ("Shop bot", "Maria K"),
        ("Website chat", "Maria"),
    ]
    assert [o.total for o in page.orders] == [Decimal("99.00"), Decimal("12.50"), Decimal("30.00")]
    assert (page.order_count, page.order_total) == (2, Decimal("42.50"))
    assert [n.text for n in page.notes] == ["Prefers blue"]


def test_a_manager_sees_only_what_came_through_their_channels(shop):
    page = customers.customer_page(shop.store, shop.boris, shop.maria.id)
    assert [c.channel_name for c in page.chats] == ["Shop bot"]
    assert [o.total for o in page.orders] == [Decimal("30.00")]
    assert page.notes == [], "the note is on the website lead"
    with pytest.raises(NotFound):
        customers.customer_page(shop.store, shop.clara, shop.maria.id)


def test_editing_a_customer_changes_the_name_in_the_chat_list(shop):
    customers.update_customer(
        shop.store, shop.boris, shop.maria.id, CustomerInput(name="Maria K.", phone="", email="")
    )
    row = reads.get_chat(shop.store, shop.anna, shop.tg_chat)
    assert row.name == "Maria K."
    page = customers.customer_page(shop.store, shop.anna, shop.maria.id)
    assert (page.customer.phone, page.customer.email) == (None, None)
    ivo = next(r for r in customers.list_customers(shop.store, shop.anna, CustomerQuery()).rows
               if r.name == "Ivo Horvat")  # fmt: skip
    with pytest.raises(NotFound):
        customers.update_customer(shop.store, shop.boris, ivo.id, CustomerInput(name="x"))


def test_the_chat_list_can_put_the_most_money_waiting_first(shop):
    shop.customer_writes("and gloves?", who="tg-maria", name="Maria K")  # her 2nd waiting
    shop.customer_writes("just looking", who="tg-new", name="New Lead")  # newest, no orders

    def names(order):
        page = reads.list_chats(shop.store, shop.anna, ChatFilter(order=order))
        return [(row.name, row.channel_name, row.badge, row.customer_total) for row in page.rows]

    assert names("value") == [
        ("Maria Keller", "Shop bot", 2, Decimal("42.50")),  # 85.00 waiting
        ("Ivo Horvat", "Website chat", 1, Decimal("45.00")),
        ("Maria Keller", "Website chat", 1, Decimal("42.50")),
        ("New Lead", "Shop bot", 1, Decimal("0")),
    ]
    assert [n for n, *_ in names("recent")] == [
        "New Lead",
        "Maria Keller",
        "Ivo Horvat",
        "Maria Keller",
    ]


def test_the_export_holds_every_match_beyond_the_page_and_only_the_managers_channels(shop):
    everyone = customers.export_customers(shop.store, shop.anna, CustomerQuery(limit=1))
    assert [r.name for r in everyone] == ["Ivo Horvat", "Maria Keller"]
    borises = customers.export_customers(shop.store, shop.boris, CustomerQuery(limit=1))
    assert [(r.name, r.channels) for r in borises] == [("Maria Keller", "Shop bot")]
