"""The Chats page on laptop screens: nothing cut off, nothing that scrolls for no reason."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.browser.test_chats_story import alice_and_bob

SCROLLS_BY = "e => e.scrollHeight - e.clientHeight"
LABEL_FITS = "e => { const p = e.querySelector('p'); return p.scrollWidth <= p.clientWidth; }"


@pytest.mark.parametrize("width, height", [(1280, 800), (1440, 900)])
def test_the_chats_page_fits_the_window(start_server, page, width, height):
    page.set_viewport_size({"width": width, "height": height})
    server = start_server(alice_and_bob)
    log_in(page, server, "anna", path=f"/?chat={server.prepared['alice_chat']}")
    send = page.get_by_role("button", name="Send")
    expect(send).to_be_visible()
    assert send.bounding_box()["y"] + send.bounding_box()["height"] <= height
    main = page.get_by_test_id("stMain")
    assert main.evaluate(SCROLLS_BY) <= 1, "the page scrolls"
    for button in (
        page.get_by_role("button", name="« List"),
        page.locator('[class*="st-key-menu-"] button').first,
        page.locator('[class*="st-key-link-"] button').first,
    ):
        assert button.evaluate(LABEL_FITS), f"{button} shows a cut label"
    page.get_by_text("Save as customer").click()
    tab = page.get_by_role("tab", name="Existing")
    expect(tab).to_be_visible()
    assert tab.evaluate(
        "e => e.getBoundingClientRect().right <= e.parentElement.getBoundingClientRect().right + 1"
    )


@pytest.mark.parametrize("width, height", [(1280, 800), (1440, 900)])
def test_files_to_send_take_their_room_from_the_conversation(start_server, page, width, height):
    page.set_viewport_size({"width": width, "height": height})
    server = start_server(alice_and_bob)
    log_in(page, server, "anna", path=f"/?chat={server.prepared['alice_chat']}")
    page.get_by_role("button", name="📎").click()
    page.locator("input[type=file]").set_input_files([
        {"name": f"size-chart-{n}.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 x"}
        for n in range(2)
    ])  # fmt: skip
    expect(page.get_by_text("📎 size-chart-1.pdf · 1 KB")).to_be_visible()
    page.keyboard.press("Escape")
    send = page.get_by_role("button", name="Send", exact=True)
    assert send.bounding_box()["y"] + send.bounding_box()["height"] <= height
    assert page.get_by_test_id("stMain").evaluate(SCROLLS_BY) <= 1, "the page scrolls"
