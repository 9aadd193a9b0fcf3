"""Quick replies (SPEC M6) in Chromium: "/" in the reply box offers them filled from the chat."""

from playwright.sync_api import expect

from inbox.services import quick_replies
from tests.browser.conftest import chat_row, log_in


def alice_with_replies(world):
    add = quick_replies.add
    add(world.store, world.boris, "Greeting", "Hello {customer.first_name}!")
    add(world.store, world.boris, "Order status", "Order {order.number} is on its way.")
    # Whatever a title or text holds is shown as text, never as HTML.
    add(world.store, world.boris, "<img src=x onerror=alert(1)>", "<b>bold</b>")
    world.customer_writes("Where is my parcel?", who="alice", name="Alice Web")


def test_slash_offers_quick_replies_filled_from_the_chat_and_an_unfilled_one_is_not_sent(
    start_server, page
):
    server = start_server(alice_with_replies)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, server, "anna")
    chat_row(page, "Alice Web").click()
    box = page.get_by_placeholder("Type a reply…")
    box.click()
    box.press_sequentially("Hi! /")
    menu = page.locator(".quick-slash-menu")
    expect(menu.locator(".quick-slash-title")).to_have_text(
        ["<img src=x onerror=alert(1)>", "Greeting", "Order status"]
    )
    expect(menu.get_by_text("Hello Alice!")).to_be_visible()
    box.press_sequentially("gre")
    expect(menu.locator(".quick-slash-title")).to_have_text(["Greeting"])
    box.press("Enter")
    expect(menu).to_have_count(0)
    expect(box).to_have_value("Hi! Hello Alice!")

    box.press_sequentially(" /order")
    expect(menu.locator("mark")).to_have_text(["{order.number}"])
    box.press("ArrowDown")  # one match: the arrows stay on it
    box.press("Tab")
    expect(box).to_have_value("Hi! Hello Alice! Order {order.number} is on its way.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Replace {order.number} before sending")).to_be_visible()
    expect(page.locator(".unfilled mark")).to_have_text(["{order.number}"])
    expect(page.locator(".st-key-conversation").get_by_text("Hello Alice!")).to_have_count(0)

    box.fill("Hi! Hello Alice! Order #1001 is on its way.")
    page.get_by_role("button", name="Send").click()
    talk = page.locator(".st-key-conversation")
    expect(talk.get_by_text("Hi! Hello Alice! Order #1001 is on its way.")).to_be_visible()
    expect(box).to_have_value("")
    box.press_sequentially("/")
    box.press("Escape")
    expect(page.locator(".quick-slash-menu")).to_have_count(0)
    assert dialogs == [], "no reply's text ran as HTML"
