"""The website chat widget in Chromium (SPEC CH7): a shop's page on another origin loads it
with one tag; a visitor writes, Anna answers in the inbox, the widget shows the answer within
a poll and Anna sees it read. The page's own aggressive styles do not reach the widget."""

import http.server
import struct
import threading
import zlib

import pytest
from playwright.sync_api import expect

from inbox.services import accounts, channel_settings
from tests.browser.conftest import ARTIFACTS, chat_row, log_in
from tests.ports import free_port

SHOP_PAGE = """<!doctype html><html><head><title>Woolly Fox · Scarves</title>
<style>* { color: lime !important; font-size: 40px !important; display: block; }
div, button, textarea { border: 9px dashed red !important; background: yellow !important; }</style>
</head><body><h1>Scarves</h1>
<script src="{inbox}/api/channels/{channel}/widget.js" async></script></body></html>"""


class ShopSite:
    """The shop's own site, on an origin of its own, serving one page with the widget's tag."""

    def __init__(self):
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.page = ""
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = site.page.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture
def shop():
    site = ShopSite()
    yield site
    site.close()


def site_channel(shop, **settings):
    """The shop's website channel, allowed on the shop's origin, that Anna sees."""

    def prepare(world):
        channel = accounts.create_channel(world.store, world.olga, "website", "Shop site", "🛍️")
        channel_settings.change_setting(world.store, world.olga, channel.id, "origins", shop.origin)
        if settings:
            accounts.configure_channel(world.store, world.olga, channel.id, **settings)
        accounts.grant_access(world.store, world.olga, world.anna.id, channel.id)
        return channel.id

    return prepare


def widget(page):
    return page.locator("[data-inbox-widget]")


def test_a_visitor_and_a_manager_chat_through_the_widget(start_server, browser, shop):
    server = start_server(site_channel(shop))
    shop.page = SHOP_PAGE.replace("{inbox}", server.url).replace("{channel}", str(server.prepared))
    visitor = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    visitor.goto(shop.origin)
    widget(visitor).get_by_role("button", name="Chat with us").click()
    expect(widget(visitor).get_by_text("Hello! How can we help?")).to_be_visible()
    box = widget(visitor).get_by_placeholder("Type a message…")
    box.fill("Do you have the <b>blue</b> scarf?")
    widget(visitor).get_by_role("button", name="Send").click()
    expect(box).to_have_value("")
    sent = widget(visitor).get_by_text("Do you have the <b>blue</b> scarf?")
    expect(sent).to_be_visible()
    assert sent.evaluate("node => getComputedStyle(node).color") != "rgb(0, 255, 0)"

    anna = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    log_in(anna, server, "anna")
    chat_row(anna, "Website visitor").click()
    conversation = anna.locator(".st-key-conversation")
    expect(conversation.get_by_text("Do you have the <b>blue</b> scarf?")).to_be_visible()
    card = anna.locator(".st-key-customer-card")
    expect(card.get_by_text(f"On the page: Woolly Fox · Scarves · {shop.origin}/")).to_be_visible()
    anna.get_by_placeholder("Type a reply…").fill("Yes, two left!")
    anna.get_by_role("button", name="Send", exact=True).click()
    expect(widget(visitor).get_by_text("Yes, two left!")).to_be_visible(timeout=3_000)
    expect(conversation.get_by_text("✓✓ read")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    visitor.screenshot(path=ARTIFACTS / "website-widget-visitor.png")
    anna.screenshot(path=ARTIFACTS / "website-widget-manager.png")

    visitor.reload()
    widget(visitor).get_by_role("button", name="Chat with us").click()
    expect(widget(visitor).get_by_text("Yes, two left!")).to_be_visible()

    stranger = browser.new_context().new_page()
    stranger.goto(shop.origin)
    widget(stranger).get_by_role("button", name="Chat with us").click()
    expect(widget(stranger).get_by_text("Hello! How can we help?")).to_be_visible()
    assert widget(stranger).get_by_text("Yes, two left!").count() == 0


def tiny_png() -> bytes:
    """A real 2×2 red PNG, so the browser can draw it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    pixels = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(pixels))
            + chunk(b"IEND", b""))  # fmt: skip


def test_a_manager_sends_a_photo_and_a_file_and_the_visitor_sees_and_downloads_them(
    start_server, browser, shop
):
    server = start_server(site_channel(shop))
    shop.page = SHOP_PAGE.replace("{inbox}", server.url).replace("{channel}", str(server.prepared))
    visitor_context = browser.new_context(viewport={"width": 1280, "height": 800})
    visitor = visitor_context.new_page()
    visitor.goto(shop.origin)
    widget(visitor).get_by_role("button", name="Chat with us").click()
    widget(visitor).get_by_placeholder("Type a message…").fill("Can I see the red one?")
    widget(visitor).get_by_role("button", name="Send").click()
    expect(widget(visitor).get_by_text("Can I see the red one?")).to_be_visible()

    anna_context = browser.new_context(viewport={"width": 1440, "height": 900})
    anna = anna_context.new_page()
    log_in(anna, server, "anna")
    chat_row(anna, "Website visitor").click()
    anna.get_by_role("button", name="📎").click()
    anna.locator("input[type=file]").set_input_files([
        {"name": "red.png", "mimeType": "image/png", "buffer": tiny_png()},
        {"name": "Догляд.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 care"},
    ])  # fmt: skip
    expect(anna.get_by_text("📎 Догляд.pdf · 1 KB")).to_be_visible()
    anna.keyboard.press("Escape")
    anna.get_by_placeholder("Type a reply…").fill("Here it is")
    anna.get_by_role("button", name="Send", exact=True).click()
    conversation = anna.locator(".st-key-conversation")
    expect(conversation.locator("img.attachment.photo")).to_be_visible()
    expect(conversation.get_by_text("📎 Догляд.pdf")).to_be_visible()

    photo = widget(visitor).locator("img.photo")
    expect(photo).to_be_visible(timeout=5_000)
    visitor.wait_for_timeout(300)
    assert photo.evaluate("node => node.naturalWidth") == 2, "the picture is drawn"
    expect(widget(visitor).get_by_text("Here it is")).to_be_visible()
    with visitor.expect_download() as download:
        widget(visitor).get_by_text("📎 Догляд.pdf · 1 KB").click()
    assert download.value.suggested_filename == "Догляд.pdf"
    assert open(download.value.path(), "rb").read() == b"%PDF-1.4 care"
    ARTIFACTS.mkdir(exist_ok=True)
    visitor.screenshot(path=ARTIFACTS / "website-widget-files-visitor.png")
    anna.screenshot(path=ARTIFACTS / "website-widget-files-manager.png")
    visitor_context.close()
    anna_context.close()


def test_a_new_visitor_is_greeted_at_once_by_the_channels_automatic_answer(
    start_server, browser, shop
):
    greeting = "Hello from Woolly Fox! A manager will answer you in a few minutes."

    server = start_server(site_channel(shop, auto_greeting=greeting))
    shop.page = SHOP_PAGE.replace("{inbox}", server.url).replace("{channel}", str(server.prepared))
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    visitor = context.new_page()
    visitor.goto(shop.origin)
    widget(visitor).get_by_role("button", name="Chat with us").click()
    widget(visitor).get_by_placeholder("Type a message…").fill("Do you ship to Lviv?")
    widget(visitor).get_by_role("button", name="Send").click()
    expect(widget(visitor).get_by_text(greeting)).to_be_visible(timeout=5_000)
    widget(visitor).get_by_placeholder("Type a message…").fill("And to Odesa?")
    widget(visitor).get_by_role("button", name="Send").click()
    expect(widget(visitor).get_by_text("And to Odesa?")).to_be_visible()
    visitor.wait_for_timeout(1500)
    assert widget(visitor).get_by_text(greeting).count() == 1, "once per while"

    anna = context.browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    log_in(anna, server, "anna")
    chat_row(anna, "Website visitor").click()
    bubble = anna.locator(".bubble.manager").filter(has_text=greeting)
    expect(bubble).to_contain_text("automatic")
    expect(chat_row(anna, "Website visitor")).to_contain_text("2")  # the badge stays
    anna.context.close()
    context.close()
