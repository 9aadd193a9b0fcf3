"""Snooze (SPEC T5) in Chromium: the chat leaves Open for Snoozed, and comes back at once when
the customer writes, with the line that says so."""

from playwright.sync_api import expect

from tests.browser.conftest import chat_row, log_in, post_message


def alice(world):
    world.customer_writes("Do you ship to Porto?", who="alice", name="Alice Web",
                          channel=world.website)  # fmt: skip
    world.customer_writes("hi", who="bob", name="Bob Tg")
    return world.website.id


def test_a_snoozed_chat_waits_in_snoozed_and_comes_back_when_the_customer_writes(
    start_server, page
):
    server = start_server(alice)
    log_in(page, server, "anna")
    expect(page).to_have_title("(2) Chats · Inbox")
    chat_row(page, "Alice Web").click()
    page.get_by_role("button", name="⏰ Snooze").click()
    page.get_by_role("button", name="Tomorrow, 09:00").click()
    expect(page.get_by_role("button", name="⏰ Snoozed")).to_be_visible()
    expect(chat_row(page, "Alice Web")).to_have_count(0)
    expect(page).to_have_title("(1) Chats · Inbox"), "a snoozed chat waits for no answer today"
    tabs = page.locator(".st-key-chat_tab")
    tabs.get_by_text("Snoozed 1").click()
    expect(chat_row(page, "Alice Web")).to_be_visible()

    status, _ = post_message(server, server.prepared, "s3", user_id="alice", name="Alice Web",
                             message_id="again", text="Any news?")  # fmt: skip
    assert status == 201
    expect(chat_row(page, "Alice Web")).to_have_count(0)  # back in Open, not Snoozed
    expect(page.get_by_text("The customer wrote, so the snooze until")).to_be_visible()
    expect(page.get_by_role("button", name="⏰ Snooze")).to_be_visible()
    tabs.get_by_text("Open 2").click()
    expect(chat_row(page, "Alice Web")).to_be_visible()
    expect(page).to_have_title("(2) Chats · Inbox")
