"""The Customers page in Chromium: find a customer, open them, and go to one of their chats."""

from playwright.sync_api import expect

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
    page.get_by_role("button", name="Maria Keller").click()
    expect(page.get_by_text("2 orders, 42.50 in all")).to_be_visible()
    expect(page).to_have_url(f"{server.url}/customers?customer=1")
    page.get_by_role("button", name="Shop bot · Maria K").click()
    expect(page).to_have_url(f"{server.url}/?chat={server.prepared}")
    expect(page.locator(".bubble.customer").filter(has_text="socks?")).to_be_visible()
