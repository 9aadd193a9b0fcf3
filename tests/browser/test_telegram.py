"""A Telegram bot (through the Bot API stand-in) in the real app, seen in Chromium."""

from playwright.sync_api import expect

from inbox.services import accounts
from tests.browser.conftest import badge, chat_row, log_in
from tests.channels.telegram_standin import TelegramStandIn


def test_a_telegram_message_shows_live_and_the_reply_reaches_the_customer(start_server, page):
    bot = TelegramStandIn(token="secret")

    def bot_on_the_standin(world):
        accounts.configure_channel(world.store, world.olga, world.telegram.id, api_url=bot.base_url)
        world.customer_writes("Already here", who="1", name="Old Chat")

    try:
        server = start_server(bot_on_the_standin)
        log_in(page, server, "boris")
        expect(chat_row(page, "Old Chat")).to_be_visible()

        bot.customer_writes(
            901, "Is the blue scarf in stock?", first_name="Lena", username="lena_b"
        )
        expect(chat_row(page, "Lena")).to_be_visible(timeout=3_000)
        expect(badge(page, "Lena")).to_have_text("1")

        chat_row(page, "Lena").click()
        page.get_by_placeholder("Type a reply…").fill("Yes, two left!")
        page.get_by_role("button", name="Send").click()
        bubble = page.locator(".bubble.manager").filter(has_text="Yes, two left!")
        expect(bubble).to_contain_text("✓ sent", timeout=5_000)
        assert [(s["chat_id"], s["text"]) for s in bot.sent] == [("901", "Yes, two left!")]
    finally:
        bot.close()
