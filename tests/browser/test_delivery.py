"""Replies reach the website's callback and their state shows live (SPEC M3, CH3, CH6)."""

from playwright.sync_api import expect

from inbox.services import accounts
from tests.browser.conftest import chat_row, log_in
from tests.channels.receiver import CallbackReceiver


def test_a_reply_shows_sent_live_and_a_failed_one_is_retried_once(start_server, page):
    receiver = CallbackReceiver(secret="s3")

    def website_chat(world):
        accounts.configure_channel(
            world.store, world.olga, world.website.id, callback_url=receiver.url
        )
        return world.customer_writes("Hi!", who="v1", name="Wendy Web", channel=world.website)

    try:
        server = start_server(website_chat)
        log_in(page, server, "anna", path=f"/?chat={server.prepared.chat_id}")
        box = page.get_by_placeholder("Type a reply…")
        box.fill("Welcome to the shop")
        page.get_by_role("button", name="Send").click()
        first = page.locator(".bubble.manager").filter(has_text="Welcome to the shop")
        expect(first).to_contain_text("✓ sent", timeout=5_000)
        assert [r["text"] for r in receiver.received] == ["Welcome to the shop"]

        receiver.down()
        box.fill("Are you still there?")
        page.get_by_role("button", name="Send").click()
        second = page.locator(".bubble.manager").filter(has_text="Are you still there?")
        expect(second).to_contain_text(
            "⚠ not delivered: The callback could not be reached", timeout=20_000
        )

        receiver.up()
        page.locator('[class*="st-key-menu-"] button:visible').last.click()
        page.get_by_role("button", name="Retry sending").click()
        expect(second).to_contain_text("✓ sent", timeout=5_000)
        assert [r["text"] for r in receiver.received] == [
            "Welcome to the shop",
            "Are you still there?",
        ]
        expect(chat_row(page, "Wendy Web")).to_be_visible()
    finally:
        receiver.close()
