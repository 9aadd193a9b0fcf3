"""The Customers page in Chromium: find a customer, open them, and go to one of their chats."""

import csv

from playwright.sync_api import expect

from inbox.models import CustomerInput
from inbox.services import leads
from tests.browser.conftest import log_in
from tests.core.test_customers import make_shop


def shop(world):
    make_shop(world)
    return world.tg_chat


def test_a_manager_finds_a_customer_and_opens_their_chat(start_server, page):
    server = start_server(shop)
    log_in(page, server, "anna", path="/customers")
    page.get_by_placeholder("Name, phone or email").fill("345 678")
    page.get_by_placeholder("Name, phone or email").press("Enter")
    expect(page.get_by_role("button", name="Ivo Horvat")).to_have_count(0)
    # Until the run ends, the row that held Maria before the search is still on the page.
    expect(page.get_by_role("button", name="Maria Keller")).to_have_count(1)
    page.get_by_role("button", name="Maria Keller").click()
    expect(page.get_by_text("2 orders, 42.50 in all")).to_be_visible()
    expect(page).to_have_url(f"{server.url}/customers?customer=1")
    page.get_by_role("button", name="Shop bot · Maria K").click()
    expect(page).to_have_url(f"{server.url}/?chat={server.prepared}")
    expect(page.locator(".bubble.customer").filter(has_text="socks?")).to_be_visible()


def test_the_csv_holds_every_customer_the_search_finds_and_no_formula(start_server, page):
    def shop_with_a_trap(world):
        make_shop(world)
        chat = world.customer_writes("hi", who="tg-eve", name="Eve").chat_id
        trap = CustomerInput(name='=HYPERLINK("http://evil.example","x")')
        leads.save_as_customer(world.store, world.anna, chat, trap)

    server = start_server(shop_with_a_trap)
    log_in(page, server, "boris", path="/customers")
    expect(page.get_by_role("button", name="Maria Keller")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    assert download.value.suggested_filename == "customers.csv"
    rows = list(csv.DictReader(open(download.value.path(), encoding="utf-8")))
    assert [(r["Name"], r["Phone"], r["Orders"], r["Total"]) for r in rows] == [
        ('\'=HYPERLINK("http://evil.example","x")', "", "0", "0.00"),
        ("Maria Keller", "+351 912 345 678", "2", "42.50"),
    ], "Boris's channel only (Ivo wrote on the website), and the formula made inert"
