"""A Viber bot on the real server: an administrator pastes the bot's token in Settings, the
server asks Viber for the bot and sets its webhook (Viber's signed check reaches the server);
then callbacks posted as Viber posts them: unsigned ones refused, bad bodies a 4xx, a retried
one stored once, a photo kept and served by access, and a reply sent from the page moved to
✓✓ delivered, then ✓✓ read."""

import json

from playwright.sync_api import expect

from inbox.channels import viber
from inbox.services import accounts
from tests.browser.conftest import ARTIFACTS, badge, chat_row, log_in
from tests.browser.fuzz import NASTY, mutations
from tests.browser.http import cookie_header, log_in_over_http, request
from tests.channels.standin_http import wait_until
from tests.channels.viber_standin import (
    TOKEN,
    ViberStandIn,
    message_event,
    signed,
    status_event,
)
from tests.scenario import Scenario

CUSTOMER = "01234567890A="


def bot_of(standin: ViberStandIn):
    def prepare(world: Scenario) -> int:
        settings = {"api_url": standin.base_url}
        channel = accounts.create_channel(world.store, world.olga, "viber", "Viber", "💜", settings)
        accounts.grant_access(world.store, world.olga, world.anna.id, channel.id)
        return channel.id

    return prepare


def post(server, channel_id, body: bytes, signature: str | None = "sign"):
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Viber-Content-Signature"] = signed(body) if signature == "sign" else signature
    return request(server, "POST", viber.webhook_path(channel_id), body, headers)


def test_a_viber_bot_connected_in_settings_and_answered_from_the_page(start_server, browser, page):
    standin = ViberStandIn()
    try:
        server = start_server(bot_of(standin), env={"INBOX_PUBLIC_URL": "{server_url}"})
        channel = server.prepared
        body = message_event(CUSTOMER, 1001, text="Hi")
        assert post(server, channel, body).status == 403, "no token yet: nothing is signed"

        log_in(page, server, "olga", path="/settings")
        settings = page.get_by_test_id("stExpander").filter(has_text="Viber · viber")
        settings.get_by_text("Viber · viber · on").click()
        settings.get_by_role("textbox", name="Bot token (not set)").fill(TOKEN)
        settings.get_by_role("button", name="Save bot token").click()
        expect(settings.get_by_text("Connected as Woolly Fox (woollyfox)")).to_be_visible()
        hook = f"{server.url}/api/channels/{channel}/viber"
        expect(settings.get_by_text(f"Webhook set to {hook}")).to_be_visible()
        assert standin.webhook["url"] == hook
        assert TOKEN not in page.content()
        for size in ((1280, 800), (1440, 900)):
            page.set_viewport_size({"width": size[0], "height": size[1]})
            page.screenshot(path=ARTIFACTS / f"viber-settings-{size[0]}.png")

        standin.media["rose.jpg"] = b"\xff\xd8 roses"
        photo = message_event(CUSTOMER, 1002, "picture", text="This one?",
                              media=f"{standin.base_url}/media/rose.jpg")  # fmt: skip
        assert post(server, channel, photo, signature=None).status == 403
        assert post(server, channel, photo, signature="0" * 64).status == 403
        for _ in range(2):  # Viber posts again until it gets a 200
            answer = post(server, channel, photo)
            assert (answer.status, json.loads(answer.body)) == (200, {"status": 0})
        assert wait_until(lambda: standin.downloads == ["rose.jpg"], 10), standin.downloads
        standin.media.clear()

        anna = {"Cookie": cookie_header(log_in_over_http(server, "anna").cookies())}
        boris = {"Cookie": cookie_header(log_in_over_http(server, "boris").cookies())}
        kept = request(server, "GET", "/api/files/1", headers=anna)
        assert (kept.status, kept.body) == (200, b"\xff\xd8 roses")
        assert request(server, "GET", "/api/files/1", headers=boris).status == 404

        manager = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
        log_in(manager, server, "anna")
        expect(badge(manager, "Maria Koval")).to_have_text("1")
        chat_row(manager, "Maria Koval").click()
        manager.get_by_placeholder("Type a reply…").fill("Yes, 450 UAH")
        manager.get_by_role("button", name="Send").click()
        bubble = manager.locator(".bubble.manager").filter(has_text="Yes, 450 UAH")
        expect(bubble).to_contain_text("✓ sent", timeout=5_000)
        [sent] = standin.sent
        assert (sent["receiver"], sent["text"], sent["sender"]) == (
            CUSTOMER, "Yes, 450 UAH", {"name": "Woolly Fox"}
        )  # fmt: skip
        token = 5098034272017990002  # the check had the first
        post(server, channel, status_event("delivered", token, CUSTOMER))
        expect(bubble).to_contain_text("✓✓ delivered", timeout=5_000)
        post(server, channel, status_event("seen", token, CUSTOMER))
        expect(bubble).to_contain_text("✓✓ read", timeout=5_000)
        expect(manager.locator(".bubble.customer")).to_have_count(1)  # stored once

        assert post(server, channel, b"{not json").status == 400
        assert post(server, channel, b"[" * 5000 + b"]" * 5000).status == 400
        assert post(server, channel, json.dumps({"event": "message"}).encode()).status == 400
        assert post(server, channel, b" " * 1_000_001, signature="0").status == 413
        fuzzed = NASTY + mutations(photo, 100, seed=23)
        assert max(post(server, channel, each).status for each in fuzzed) < 500
        assert request(server, "GET", "/api/health").status == 200, "the server keeps serving"
    finally:
        standin.close()


def test_a_photo_sent_from_the_page_is_fetched_by_viber_from_our_signed_address(
    start_server, browser
):
    standin = ViberStandIn()

    def prepare(world: Scenario) -> int:
        settings = {"api_url": standin.base_url, "auth_token": TOKEN, "account_name": "Woolly Fox"}
        channel = accounts.create_channel(world.store, world.olga, "viber", "Viber", "💜", settings)
        accounts.grant_access(world.store, world.olga, world.anna.id, channel.id)
        return channel.id

    try:
        server = start_server(prepare, env={"INBOX_PUBLIC_URL": "{server_url}"})
        assert (
            post(server, server.prepared, message_event(CUSTOMER, 1001, text="Photo?")).status
            == 200
        )
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        manager = context.new_page()
        log_in(manager, server, "anna")
        chat_row(manager, "Maria Koval").click()
        manager.get_by_role("button", name="📎").click()
        jpeg = b"\xff\xd8\xff\xe0 a jpeg of the red scarf"
        manager.locator("input[type=file]").set_input_files(
            [{"name": "scarf.jpg", "mimeType": "image/jpeg", "buffer": jpeg}]
        )
        expect(manager.get_by_text("📎 scarf.jpg · 1 KB")).to_be_visible()
        manager.keyboard.press("Escape")
        manager.get_by_role("button", name="Send", exact=True).click()
        expect(manager.locator(".bubble.manager img.attachment")).to_be_visible()
        assert wait_until(lambda: standin.fetched, 10), "Viber fetched the picture"
        [(kind, address, body)] = standin.fetched
        assert (kind, body) == ("picture", jpeg) and address.startswith(server.url)
        tampered = address.replace("sig=", "sig=0")
        assert request(server, "GET", tampered.removeprefix(server.url)).status == 404
        context.close()
    finally:
        standin.close()
