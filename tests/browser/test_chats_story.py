"""The seed's story, in a real browser against the real server."""

import re
from decimal import Decimal

from playwright.sync_api import expect

from inbox.models import CustomerInput
from inbox.services import catalogue, leads
from tests.browser.conftest import (
    AMOUNT,
    NAME,
    PRICE,
    PRODUCT,
    QTY,
    badge,
    cell,
    chat_row,
    edit_cell,
    log_in,
    post_message,
)


def alice_and_bob(world):
    """Alice writes twice on the website; Bob once on Telegram."""
    alice = world.customer_writes("Do you ship to Porto?", who="alice", name="Alice Web",
                                  channel=world.website)  # fmt: skip
    world.customer_writes(
        "And how much is it?", who="alice", name="Alice Web", channel=world.website
    )
    world.customer_writes("hi", who="bob", name="Bob Tg")
    catalogue.add_product(world.store, world.olga, "Wool socks", Decimal("12.50"))
    return {"alice_chat": alice.chat_id, "website": world.website.id}


def test_read_reply_with_a_quote_and_become_responsible(start_server, page):
    server = start_server(alice_and_bob)
    log_in(page, server, "anna")
    expect(badge(page, "Alice Web")).to_have_text("2")
    expect(badge(page, "Bob Tg")).to_have_text("1")

    chat_row(page, "Alice Web").click()
    expect(page.get_by_text("Do you ship to Porto?")).to_be_visible()
    expect(badge(page, "Alice Web")).to_have_text("2"), "reading does not clear the badge"

    page.locator('[class*="st-key-menu-"] button').first.click()
    page.get_by_role("button", name="Reply", exact=True).click()
    expect(page.get_by_text("Replying to Customer: Do you ship to Porto?")).to_be_visible()
    page.get_by_placeholder("Type a reply…").fill("Yes, we ship to Porto in 2 days.")
    page.get_by_role("button", name="Send").click()

    talk = page.locator(".st-key-conversation")  # the list's row shows the last line too
    expect(talk.get_by_text("Yes, we ship to Porto in 2 days.")).to_be_visible()
    expect(page.get_by_text("↪ Customer: Do you ship to Porto?")).to_be_visible()
    expect(page.get_by_text("Anna Manager became responsible (first reply).")).to_be_visible()
    expect(badge(page, "Alice Web")).to_have_count(0)
    expect(page.get_by_role("combobox", name="Responsible").last).to_have_value("Anna Manager")
    expect(page.get_by_placeholder("Type a reply…")).to_have_value("")


def test_filters_and_search(start_server, page):
    server = start_server(alice_and_bob)
    log_in(page, server, "anna")
    expect(chat_row(page, "Alice Web")).to_be_visible()
    page.get_by_placeholder("Search names, phones, messages").fill("bo")
    page.get_by_placeholder("Search names, phones, messages").press("Enter")
    expect(chat_row(page, "Alice Web")).to_have_count(0)
    expect(chat_row(page, "Bob Tg")).to_be_visible()
    page.locator(".st-key-chat_tab").get_by_text(re.compile(r"^Closed \d+$")).click()
    expect(page.get_by_text("No chats match these filters.")).to_be_visible()


def test_close_then_a_customer_message_reopens_it_live_and_keeps_the_draft(start_server, page):
    server = start_server(alice_and_bob)
    ids = server.prepared
    log_in(page, server, "anna", path=f"/?chat={ids['alice_chat']}")
    expect(page.get_by_text("Do you ship to Porto?")).to_be_visible()
    page.get_by_role("button", name="Close", exact=True).click()
    expect(chat_row(page, "Alice Web")).to_have_count(0)
    expect(page.get_by_role("button", name="Reopen", exact=True)).to_be_visible()

    draft = page.get_by_placeholder("Type a reply…")
    draft.click()
    page.keyboard.type("I am still typing this")
    status, body = post_message(server, ids["website"], "s3", user_id="alice", name="Alice Web",
                                message_id="late-1", text="Hello? Anyone there?")  # fmt: skip
    assert (status, body["created"]) == (201, True)

    talk = page.locator(".st-key-conversation")  # the list's row shows the last line too
    expect(talk.get_by_text("Hello? Anyone there?")).to_be_visible(timeout=3_000)
    expect(page.get_by_text("Reopened: the customer wrote again.")).to_be_visible()
    expect(badge(page, "Alice Web")).to_have_text("3")
    expect(draft).to_have_value("I am still typing this")
    expect(draft).to_be_focused()


def test_a_copied_link_opens_the_same_chat_in_a_new_page(start_server, page):
    server = start_server(alice_and_bob)
    log_in(page, server, "anna")
    chat_row(page, "Alice Web").click()
    expect(page.get_by_text("Do you ship to Porto?")).to_be_visible()
    page.get_by_role("button", name="🔗 Link").click()
    link = page.locator('[data-testid="stCode"] code').inner_text().strip()
    assert link.startswith(server.url) and "/?chat=" in link

    other = page.context.new_page()
    other.goto(link)
    expect(other.get_by_text("Do you ship to Porto?")).to_be_visible()
    expect(other.locator(".st-key-conversation").get_by_text("And how much is it?")).to_be_visible()
    other.close()


def test_save_the_lead_as_a_customer_and_take_an_order(start_server, page):
    server = start_server(alice_and_bob)
    log_in(page, server, "anna", path=f"/?chat={server.prepared['alice_chat']}")
    page.get_by_text("Save as customer").click()
    page.get_by_label("Name", exact=True).fill("Alice Smith")
    page.get_by_label("Phone", exact=True).fill("+351 912 000 111")
    page.get_by_role("button", name="Save customer").click()
    expect(page.get_by_text("Alice Smith").first).to_be_visible()

    page.get_by_role("button", name="Add order").click()
    dialog = page.get_by_role("dialog")
    lines = dialog.get_by_test_id("stDataFrame")
    edit_cell(page, lines, 0, PRODUCT, "socks")
    expect(cell(lines, 0, PRICE)).to_have_text("12.5")
    edit_cell(page, lines, 0, QTY, "2")
    expect(cell(lines, 0, AMOUNT)).to_have_text("25")
    expect(dialog.get_by_text("Total: 25.00")).to_be_visible()
    dialog.get_by_role("button", name="Save order").click()

    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page.get_by_role("button", name="#1001 · new · 25.00")).to_be_visible()
    expect(page.get_by_text("Anna Manager created order #1001, total 25.00.")).to_be_visible()
    metrics = page.locator('[data-testid="stMetricValue"]')
    expect(metrics).to_have_text(["1", "25.00"])


def test_a_manager_without_access_sees_no_chat_of_that_channel_not_even_by_link(start_server, page):
    server = start_server(alice_and_bob)
    log_in(page, server, "boris", path=f"/?chat={server.prepared['alice_chat']}")
    expect(
        page.get_by_text("This chat does not exist or you have no access to its channel.")
    ).to_be_visible()
    expect(chat_row(page, "Bob Tg")).to_be_visible()
    expect(chat_row(page, "Alice Web")).to_have_count(0)
    expect(page.get_by_text("Do you ship to Porto?")).to_have_count(0)


def test_an_open_order_form_survives_a_live_refresh(start_server, page):
    def customer_alice(world):
        ids = alice_and_bob(world)
        leads.save_as_customer(
            world.store, world.anna, ids["alice_chat"], CustomerInput(name="Alice")
        )
        return ids

    server = start_server(customer_alice)
    ids = server.prepared
    log_in(page, server, "anna", path=f"/?chat={ids['alice_chat']}")
    page.get_by_role("button", name="Add order").click()
    dialog = page.get_by_role("dialog")
    lines = dialog.get_by_test_id("stDataFrame")
    edit_cell(page, lines, 0, NAME, "Scarf")
    dialog.get_by_label("Delivery address").fill("Rua Augusta 1")
    dialog.get_by_label("Delivery address").press("Enter")
    status, _ = post_message(server, ids["website"], "s3", user_id="alice", name="Alice Web",
                             message_id="during-form", text="Also a scarf please")  # fmt: skip
    assert status == 201
    expect(badge(page, "Alice")).to_have_text("3", timeout=3_000)
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(dialog.get_by_label("Delivery address")).to_have_value("Rua Augusta 1")
    expect(cell(lines, 0, NAME)).to_have_text("Scarf")
    page.keyboard.press("Escape")  # ends a cell edit; must not throw the form away
    page.mouse.click(5, 400)
    page.wait_for_timeout(500)
    expect(page.get_by_role("dialog")).to_be_visible()


def test_rename_then_save_as_customer_shows_one_name_everywhere(start_server, page):
    server = start_server(alice_and_bob)
    log_in(page, server, "anna", path=f"/?chat={server.prepared['alice_chat']}")
    # Opened first: a click while the expander still unfolds can land beside the button.
    page.get_by_text("Save as customer").click()
    expect(page.get_by_label("Name", exact=True)).to_have_value("Alice Web")
    name = page.get_by_label("Name (edit and press Enter to rename)")
    name.fill("Alice Smith")
    name.press("Enter")
    expect(page.get_by_text("renamed the lead from “Alice Web” to “Alice Smith”")).to_be_visible()
    expect(page.get_by_label("Name", exact=True)).to_have_value("Alice Smith")
    page.get_by_role("button", name="Save customer").click()

    expect(page.get_by_text("saved the lead as customer “Alice Smith”")).to_be_visible()
    expect(chat_row(page, "Alice Smith")).to_be_visible()
    expect(chat_row(page, "Alice Web")).to_have_count(0)
    expect(page.locator(".card-line b")).to_have_text("Alice Smith")
    expect(page.get_by_text("Alice Smith", exact=True).first).to_be_visible()
    expect(page.get_by_text("Alice Web", exact=True)).to_have_count(0)  # only in history
