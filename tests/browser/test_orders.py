"""The Orders page in Chromium: a manager changes an order's lines in the table, and the chat's
card follows."""

from decimal import Decimal

from playwright.sync_api import expect

from inbox.models import OrderQuery
from inbox.services import catalogue, orders
from tests.browser.conftest import (
    AMOUNT,
    NAME,
    PRICE,
    PRODUCT,
    QTY,
    add_row,
    cell,
    chat_row,
    edit_cell,
    log_in,
    tick_row,
)
from tests.core.test_customers import make_shop


def shop(world) -> int:
    make_shop(world)
    catalogue.add_product(world.store, world.anna, "Wool socks", Decimal("12.50"))
    return orders.list_orders(world.store, world.anna, OrderQuery()).rows[0].id  # Ivo's


def test_a_manager_edits_an_orders_lines_and_the_chats_card_shows_the_new_total(start_server, page):
    server = start_server(shop)
    ivos_order = server.prepared
    log_in(page, server, "anna")
    chat_row(page, "Ivo Horvat").click()
    card_total = page.get_by_test_id("stMetricValue").nth(1)
    expect(card_total).to_have_text("45.00")

    page.get_by_role("link", name="Orders").click()
    expect(page.get_by_text("4 orders · 87.50")).to_be_visible()
    page.get_by_role("button", name=f"#{ivos_order}", exact=True).click()
    dialog = page.get_by_role("dialog")
    lines = dialog.get_by_test_id("stDataFrame")
    expect(cell(lines, 0, NAME)).to_have_text("Scarf")

    edit_cell(page, lines, 0, QTY, "2")
    expect(cell(lines, 0, AMOUNT)).to_have_text("90")
    expect(dialog.get_by_text("Total: 90.00")).to_be_visible()

    for row in (1, 2):
        add_row(page, lines)
        expect(cell(lines, row, PRODUCT)).to_have_text("Free line (type a name)")
    edit_cell(page, lines, 1, PRODUCT, "wool")
    expect(cell(lines, 1, PRICE)).to_have_text("12.5")
    edit_cell(page, lines, 2, NAME, "Gift wrap")
    edit_cell(page, lines, 2, PRICE, "2")
    expect(dialog.get_by_text("Total: 104.50")).to_be_visible()

    tick_row(lines, 2)
    lines.hover()
    dialog.get_by_role("button", name="Delete row(s)").click()
    expect(cell(lines, 2, NAME)).to_have_count(0)
    expect(dialog.get_by_text("Total: 102.50")).to_be_visible()
    dialog.get_by_role("button", name="Save order").click()
    expect(page.get_by_text("4 orders · 145.00")).to_be_visible()

    page.get_by_role("link", name="Chats").click()
    chat_row(page, "Ivo Horvat").click()
    expect(page.get_by_test_id("stMetricValue").nth(1)).to_have_text("102.50")
    change = page.locator(".system-line").filter(has_text=f"changed order #{ivos_order}")
    expect(change).to_be_visible()
