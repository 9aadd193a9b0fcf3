"""The demo shows both sides (SPEC CH7): `make run`'s database has a shop page with the widget;
a stakeholder writes there as a customer and answers as anna in another tab. Only the demo's
database has the page and the login's link to it."""

import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from inbox.demo_data import CONVERSATIONS, DEMO_PASSWORD, LEAD_NAMES, PRODUCTS, seed
from inbox.store import Store
from tests.browser.conftest import ARTIFACTS, Server, chat_row, log_in


@pytest.fixture
def demo_server(tmp_path, request):
    store = Store(tmp_path / "demo.duckdb")
    seed(store)
    store.close()
    server = Server(tmp_path / "demo.duckdb", tmp_path / "server-0.log")
    request.node.servers = [server]
    yield server
    server.stop()


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_the_demo_shop_talks_to_the_inbox(demo_server, browser):
    status, login_page = get(f"{demo_server.url}/login")
    assert status == 200 and 'href="/demo/shop"' in login_page

    customer = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    customer.goto(f"{demo_server.url}/demo/shop")  # no login needed
    for name, _, price in PRODUCTS[:3]:
        expect(customer.get_by_text(name)).to_be_visible()
        expect(customer.get_by_text(f"€{price}")).to_be_visible()
    widget = customer.locator("[data-inbox-widget]")
    widget.get_by_role("button", name="Chat with us").click()
    expect(widget.get_by_text("Chat with Woolly Fox")).to_be_visible()
    expect(widget.get_by_text("Ask us anything about our knitwear")).to_be_visible()
    widget.get_by_placeholder("Your name (optional)").fill("Stakeholder Sam")
    widget.get_by_placeholder("Type a message…").fill("Is the alpaca scarf soft?")
    widget.get_by_role("button", name="Send").click()
    expect(widget.get_by_text("Is the alpaca scarf soft?")).to_be_visible()

    anna = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    log_in(anna, demo_server, "anna", DEMO_PASSWORD)
    chat_row(anna, "Stakeholder Sam").click()
    conversation = anna.locator(".st-key-conversation")
    expect(conversation.get_by_text("Is the alpaca scarf soft?")).to_be_visible()
    card = anna.locator(".st-key-customer-card")
    expect(card.get_by_text("On the page: Woolly Fox · knitwear (demo shop)")).to_be_visible()
    anna.get_by_placeholder("Type a reply…").fill("Very soft, and warm!")
    anna.get_by_role("button", name="Send", exact=True).click()
    expect(widget.get_by_text("Very soft, and warm!")).to_be_visible(timeout=3_000)
    # The visitor read the reply (the channel's automatic greeting before it may be read too).
    reply = conversation.locator(".bubble.manager").filter(has_text="Very soft, and warm!")
    expect(reply).to_contain_text("✓✓ read")
    ARTIFACTS.mkdir(exist_ok=True)
    customer.screenshot(path=ARTIFACTS / "demo-shop-customer.png")
    anna.screenshot(path=ARTIFACTS / "demo-shop-anna.png")

    # The newest seeded chats: a website visitor's and a demo customer's.
    for index, reply in (
        (len(LEAD_NAMES) - 1, "Thanks for your visit!"),
        (len(LEAD_NAMES) - 2, "Hi!"),
    ):
        chat_row(anna, LEAD_NAMES[index]).click()
        last_line = CONVERSATIONS[index % len(CONVERSATIONS)][-1][1]
        expect(conversation.get_by_text(last_line)).to_be_visible()
        anna.get_by_placeholder("Type a reply…").fill(reply)
        anna.get_by_role("button", name="Send", exact=True).click()
        bubble = anna.locator(".bubble.manager").filter(has_text=reply)
        expect(bubble).to_contain_text("✓ sent", timeout=5_000)
        assert conversation.get_by_text("not delivered").count() == 0
    assert "Traceback" not in demo_server.log_path.read_text()


def test_only_the_demo_database_has_a_shop(start_server):
    server = start_server()
    assert get(f"{server.url}/demo/shop")[0] == 404
    status, login_page = get(f"{server.url}/login")
    assert status == 200 and "/demo/shop" not in login_page
