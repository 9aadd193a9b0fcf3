"""The Orders page in Chromium: a manager changes an order and the chat's card follows."""

from playwright.sync_api import expect

from inbox.models import OrderQuery
from inbox.services import orders
from tests.browser.conftest import chat_row, log_in
from tests.core.test_customers import make_shop


def shop(world) -> int:
    make_shop(world)
    return orders.list_orders(world.store, world.anna, OrderQuery()).rows[0].id  # Ivo's


def test_a_manager_edits_an_order_and_the_chats_card_shows_the_new_total(start_server, page):
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
    dialog.get_by_label("Qty").first.fill("2")
    dialog.get_by_label("Qty").first.press("Tab")
    expect(dialog.get_by_text("Total: 90.00")).to_be_visible()
    dialog.get_by_role("button", name="Save order").click()
    expect(page.get_by_text("4 orders · 132.50")).to_be_visible()

    page.get_by_role("link", name="Chats").click()
    chat_row(page, "Ivo Horvat").click()
    expect(page.get_by_test_id("stMetricValue").nth(1)).to_have_text("90.00")
    change = page.locator(".system-line").filter(has_text=f"changed order #{ivos_order}")
    expect(change).to_be_visible()
