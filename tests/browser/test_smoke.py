"""The real server in a real browser: health, the login gate, the chat list."""

import json
import urllib.request

from playwright.sync_api import expect

from tests.browser.conftest import badge, chat_row, log_in


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


def test_a_manager_logs_in_sees_badges_and_opens_a_chat(start_server, page):
    server = start_server(with_chats)
    log_in(page, server, "anna")
    expect(badge(page, "Alice Tg")).to_have_text("2")
    expect(badge(page, "Wendy Web")).to_have_text("1")
    chat_row(page, "Alice Tg").click()
    expect(page.get_by_text("Do you ship to Porto?")).to_be_visible()
    expect(badge(page, "Alice Tg")).to_have_text("2"), "reading does not clear the badge"


def test_a_wrong_password_is_refused(start_server, page):
    server = start_server()
    log_in(page, server, "anna", "wrong-password")
    expect(page.get_by_text("Wrong login or password.")).to_be_visible()


def test_a_manager_sees_no_chat_of_a_channel_without_access(start_server, page):
    server = start_server(with_chats)
    log_in(page, server, "boris")
    expect(chat_row(page, "Alice Tg")).to_be_visible()
    expect(page.get_by_text("Wendy Web")).to_have_count(0)
