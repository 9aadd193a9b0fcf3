"""A Telegram bot in webhook mode on the real server, and the files its customers send: served to
logged-in staff who see the channel, refused to everyone else, shown in Chromium."""

import io
import json

from PIL import Image
from playwright.sync_api import expect

from inbox.services import accounts
from tests.browser.conftest import chat_row, log_in
from tests.browser.fuzz import NASTY, mutations
from tests.browser.http import cookie_header, log_in_over_http, request
from tests.channels.telegram_standin import TelegramStandIn

HOOK_SECRET = "hook-secret-given-to-setWebhook"


def jpeg(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), colour).save(out, "JPEG")
    return out.getvalue()


def webhook_bot(bot: TelegramStandIn):
    def prepare(world):
        accounts.configure_channel(
            world.store,
            world.olga,
            world.telegram.id,
            api_url=bot.base_url,
            mode="webhook",
            webhook_secret=HOOK_SECRET,
        )
        return world.telegram.id

    return prepare


def post_update(server, channel_id: int, update, secret=HOOK_SECRET):
    body = update if isinstance(update, bytes) else json.dumps(update).encode()
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret}
    return request(server, "POST", f"/api/channels/{channel_id}/telegram", body, headers)


def cookie_of(server, login: str) -> dict[str, str]:
    return {"Cookie": cookie_header(log_in_over_http(server, login).cookies())}


def test_webhook_updates_need_the_secret_and_files_reach_only_staff_who_see_the_channel(
    start_server,
):
    bot = TelegramStandIn(token="secret")
    try:
        server = start_server(webhook_bot(bot))
        channel = server.prepared
        photo = bot.photo_sizes(jpeg("navy"))
        pdf = bot.add_file(b"%PDF-1.7 <script>alert(1)</script>", "documents/list.html")
        bot.customer_sends(501, photo=photo, caption="This one?")
        bot.customer_sends(
            501, document={"file_id": pdf, "file_name": "list.html", "mime_type": "text/html"}
        )
        updates = bot.updates[-2:]

        assert post_update(server, channel, updates[0], secret="guess").status == 403
        assert post_update(server, channel, updates[0], secret="").status == 403
        for update in updates + updates:  # Telegram may deliver an update twice
            assert post_update(server, channel, update).status == 200
        assert post_update(server, 999, updates[0]).status == 404
        assert post_update(server, channel, b"[" * 1000 + b"]" * 1000).status == 400
        fuzzed = NASTY + mutations(json.dumps(updates[0]).encode(), 150, seed=9)
        statuses = {post_update(server, channel, body).status for body in fuzzed}
        assert max(statuses) < 500, statuses

        anna, clara = cookie_of(server, "anna"), cookie_of(server, "clara")
        # File 1 is the photo (its largest size), 2 the document.
        photo_answer = request(server, "GET", "/api/files/1", headers=anna)
        assert photo_answer.status == 200 and photo_answer.body == jpeg("navy")
        assert photo_answer.header("Content-Type") == "image/jpeg"
        assert "private" in photo_answer.header("Cache-Control")
        document = request(server, "GET", "/api/files/2", headers=anna)
        assert document.status == 200 and document.body.startswith(b"%PDF")
        assert document.header("Content-Type") == "application/octet-stream"
        assert document.header("Content-Disposition").startswith("attachment;")

        assert request(server, "GET", "/api/files/1").status == 401
        assert request(server, "GET", "/api/files/1", headers={"Cookie": "x=y"}).status == 401
        assert request(server, "GET", "/api/files/1", headers=clara).status == 404
        assert request(server, "GET", "/api/files/99", headers=anna).status == 404
        assert request(server, "GET", "/api/files/abc", headers=anna).status == 404
        assert bot.token not in photo_answer.text + document.text
        assert bot.token not in server.log_path.read_text()
    finally:
        bot.close()


def test_a_photo_and_the_leads_profile_photo_show_in_the_browser(start_server, page):
    bot = TelegramStandIn(token="secret")
    try:
        server = start_server(webhook_bot(bot))
        channel = server.prepared
        bot.profile_photos[777] = bot.add_file(jpeg("orange"), "profile_photos/lena.jpg")
        bot.customer_sends(777, first_name="Lena", photo=bot.photo_sizes(jpeg("navy")))
        assert post_update(server, channel, bot.updates[-1]).status == 200

        log_in(page, server, "boris")
        chat_row(page, "Lena").click()
        in_list = chat_row(page, "Lena").locator("img")
        in_card = page.locator("img.lead-photo")
        in_chat = page.locator(".bubble.customer img.attachment.photo")
        for image in (in_list, in_card, in_chat):
            expect(image).to_be_visible()
            expect(image).to_have_js_property("complete", True)
            assert image.evaluate("img => img.naturalWidth") > 0, "the image loaded"

        sent_with_text = bot.customer_sends(777, first_name="Lena", text="Is it wool?")
        assert post_update(server, channel, bot.updates[-1]).status == 200
        expect(page.locator(".bubble.customer").filter(has_text="Is it wool?")).to_be_visible()
        bot.customer_edits(sent_with_text, "Is it pure wool?")
        assert post_update(server, channel, bot.updates[-1]).status == 200
        edited = page.locator(".bubble.customer").filter(has_text="Is it pure wool?")
        expect(edited).to_contain_text("edited", timeout=5_000)

        page.context.clear_cookies()
        refused = page.context.request.get(server.url + "/api/files/1")
        assert refused.status == 401, "logged out, the photo is refused"
    finally:
        bot.close()
