"""The real server in a real browser: health and the login gate."""

import json
import urllib.request

from playwright.sync_api import expect

from tests.browser.conftest import log_in


def with_chats(world):
    world.customer_writes("Do you ship to Porto?", who="a", name="Alice Tg")
    world.customer_writes("Me again", who="a", name="Alice Tg")
    world.customer_writes("Hello from the site", who="w", name="Wendy Web", channel=world.website)


def test_the_health_route_answers_beside_the_pages(start_server):
    server = start_server()
    with urllib.request.urlopen(f"{server.url}/api/health", timeout=5) as response:
        assert response.status == 200
        assert json.load(response)["status"] == "ok"


def test_a_deep_link_on_a_fresh_server_still_asks_for_a_login(start_server, page):
    server = start_server(with_chats)
    page.goto(f"{server.url}/chats")
    expect(page.get_by_label("Login", exact=True)).to_be_visible()
    expect(page.get_by_text("Alice Tg")).to_have_count(0)
    expect(page.get_by_text("Traceback")).to_have_count(0)


def test_a_wrong_password_is_refused(start_server, page):
    server = start_server()
    log_in(page, server, "anna", "wrong-password")
    expect(page.get_by_text("Wrong login or password.")).to_be_visible()
