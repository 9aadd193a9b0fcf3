"""The Orders page through AppTest (SPEC P2)."""

from decimal import Decimal

from streamlit.testing.v1 import AppTest

from components import page_registry
from inbox.models import OrderQuery, SystemEvent
from inbox.services import catalogue, orders, reads
from tests.ui.conftest import edit_order_lines, open_page, order_lines_shown, texts, widget


def open_orders(user) -> AppTest:
    return open_page("orders", user)


def shown(at) -> str:
    return "\n".join(texts(at)).replace("\\", "")


def order_buttons(at) -> list[str]:
    return [b.label for b in at.button if b.key and b.key.startswith("order-") and "#" in b.label]


def test_the_list_and_its_totals_follow_the_filters(shop):
    at = open_orders(shop.anna)
    assert "4 orders · 87.50" in shown(at)
    assert len(order_buttons(at)) == 4
    at.multiselect(key="order_statuses").select("cancelled").run()
    assert "1 order · 0.00" in shown(at) and len(order_buttons(at)) == 1
    at.multiselect(key="order_statuses").unselect("cancelled").run()
    at.selectbox(key="order_channel").set_value("Shop bot").run()
    assert "1 order · 30.00" in shown(at)
    at.selectbox(key="order_period").set_value("Today").run()
    assert "0 orders" in shown(at), "the scenario's orders are from 2026-11-20"


def test_a_manager_sees_the_orders_of_their_channels_and_clara_none(shop):
    assert "1 order · 30.00" in shown(open_orders(shop.boris))
    clara = open_orders(shop.clara)
    assert [e.value for e in clara.error] == [page_registry.NOT_ALLOWED]


def test_opening_an_order_edits_it_and_its_chat_records_the_change(shop):
    web_order = next(
        r
        for r in orders.list_orders(shop.store, shop.anna, OrderQuery()).rows
        if r.total == Decimal("12.50")
    )
    at = open_orders(shop.anna)
    at.button(key=f"order-{web_order.id}").click().run()
    assert [line["Name"] for line in order_lines_shown(at)] == ["Scarf"]
    edit_order_lines(at, {0: {"Qty": 3}})
    assert any("Total: 37.50" in m.value for m in at.markdown)
    at.button(key="order-save").click().run()
    assert "4 orders · 112.50" in shown(at)
    last = reads.list_messages(shop.store, shop.anna, web_order.chat_id)[-1]
    assert last.event == SystemEvent.ORDER_CHANGED and "total 12.50 → 37.50" in last.text
    card = reads.customer_card(shop.store, shop.anna, web_order.chat_id)
    assert card.order_total == Decimal("67.50")


def test_the_catalogue_tab_adds_changes_and_archives_products(shop):
    at = open_orders(shop.anna)
    widget(at.text_input, "new-product", "name").input("Merino socks")
    widget(at.text_input, "new-product", "sku").input("SOCK-M")
    widget(at.number_input, "new-product", "price").set_value(12.5)
    at.button(key="add-product").click().run()
    [socks] = catalogue.everything(shop.store)
    assert (socks.name, socks.sku, socks.price) == ("Merino socks", "SOCK-M", Decimal("12.50"))
    assert widget(at.text_input, "new-product", "name").value == ""

    widget(at.number_input, f"product-price-{socks.id}").set_value(14.0)
    at.button(key=f"save-product-{socks.id}").click().run()
    assert catalogue.everything(shop.store)[0].price == Decimal("14.00")
    at.button(key=f"archive-product-{socks.id}").click().run()
    assert reads.catalogue(shop.store) == []
    assert any("archived" in e.label for e in at.expander)

    widget(at.text_input, "new-product", "name").input("Other socks")
    widget(at.text_input, "new-product", "sku").input("SOCK-M")
    at.button(key="add-product").click().run()
    assert any("belongs to" in t.value for t in at.toast)
    assert widget(at.text_input, "new-product", "name").value == "Other socks", "kept to correct"


def test_lines_are_added_and_removed_in_the_table_and_the_total_follows(shop):
    catalogue.add_product(shop.store, shop.anna, "Wool socks", Decimal("12.50"))
    ivos = next(
        r for r in orders.list_orders(shop.store, shop.anna, OrderQuery()).rows if r.total == 45
    )
    at = open_orders(shop.anna)
    at.button(key=f"order-{ivos.id}").click().run()
    edit_order_lines(at, added=[{"Product": "Wool socks · 12.50", "Qty": 2}, {"Name": "Wrap"}])
    assert [(r["Name"], r["Amount"]) for r in order_lines_shown(at)] == [
        ("Scarf", Decimal("45.00")),
        ("Wool socks", Decimal("25.00")),
        ("Wrap", Decimal("0.00")),
    ]
    assert any("Total: 70.00" in m.value for m in at.markdown)
    edit_order_lines(at, {2: {"Price": 1.5}}, deleted=[0])
    assert any("Total: 26.50" in m.value for m in at.markdown)
    at.button(key="order-save").click().run()
    saved = reads.get_order(shop.store, shop.anna, ivos.id)
    assert [(line.name, line.quantity, line.price) for line in saved.lines] == [
        ("Wool socks", 2, Decimal("12.50")),
        ("Wrap", 1, Decimal("1.50")),
    ]
    assert saved.total == Decimal("26.50")
