"""The demo channel brings live traffic to an untouched page (SPEC CH4)."""

import re

from playwright.sync_api import expect

from inbox.channels.demo import ANSWERS, FOLLOW_UPS
from inbox.services import accounts
from tests.browser.conftest import log_in


def test_demo_customers_make_chats_appear_and_write_back_after_a_reply(start_server, page):
    """That they answer a reply exactly is proven on a controlled clock in tests/core; here a
    follow-up may come first, so the page only has to show the customer writing back."""

    def demo_on(world):
        channel = accounts.create_channel(
            world.store, world.olga, "demo", "Demo customers", "🤖", {"rate": 20}
        )
        accounts.grant_access(world.store, world.olga, world.anna.id, channel.id)

    server = start_server(demo_on)
    log_in(page, server, "anna")
    rows = page.locator('[class*="st-key-chat-row-"] button:visible')
    expect(rows.first).to_be_visible(timeout=30_000)

    rows.first.click()
    page.get_by_placeholder("Type a reply…").fill("Thanks for writing! How can I help?")
    page.get_by_role("button", name="Send").click()
    mine = page.locator(".bubble.manager").filter(has_text="How can I help?")
    expect(mine).to_contain_text("✓ sent", timeout=5_000)
    expect(page.locator(".bubble-row").last).to_have_class(re.compile("customer"), timeout=20_000)
    last = page.locator(".bubble.customer").last.inner_text()
    assert any(text in last for text in ANSWERS + FOLLOW_UPS), last
