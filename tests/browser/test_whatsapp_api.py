"""WhatsApp's webhook on the real server, posted to as Meta posts for the Cloud API: the
address verified with the channel's own token, unsigned posts refused, bad bodies a 4xx, a
retried post stored once, a photo kept with the token and served to staff, and a reply sent
from the page moved to ✓✓ delivered, then ✓✓ read, by WhatsApp's status posts."""

import json

from playwright.sync_api import expect

from inbox.channels import whatsapp
from inbox.services import accounts
from tests.browser.conftest import badge, chat_row, log_in
from tests.browser.fuzz import NASTY, mutations
from tests.browser.http import cookie_header, log_in_over_http, request
from tests.channels.standin_http import wait_until
from tests.channels.whatsapp_standin import (
    APP_SECRET,
    NUMBER_ID,
    TOKEN,
    WhatsAppStandIn,
    message,
    post_body,
    signed,
    status,
)
from tests.scenario import Scenario

CUSTOMER = "380671234567"


def number_of(standin: WhatsAppStandIn):
    def prepare(world: Scenario) -> int:
        settings = {"phone_number_id": NUMBER_ID, "access_token": TOKEN, "app_secret": APP_SECRET,
                    "verify_token": "vt-9", "api_url": standin.base_url}  # fmt: skip
        channel = accounts.create_channel(world.store, world.olga, "whatsapp", "WA", "🟢", settings)
        accounts.grant_access(world.store, world.olga, world.anna.id, channel.id)
        return channel.id

    return prepare


def post(server, channel_id, body: bytes, signature: str | None = "sign"):
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Hub-Signature-256"] = signed(body) if signature == "sign" else signature
    return request(server, "POST", f"/api/channels/{channel_id}/whatsapp", body, headers)


def test_whatsapps_webhook_on_the_real_server(start_server, page):
    standin = WhatsAppStandIn()
    try:
        server = start_server(number_of(standin))
        channel = server.prepared
        hook = whatsapp.webhook_path(channel)
        verify = f"{hook}?hub.mode=subscribe&hub.challenge=4711&hub.verify_token="
        answer = request(server, "GET", verify + "vt-9")
        assert (answer.status, answer.text) == (200, "4711")
        assert request(server, "GET", verify + "vt-8").status == 403

        standin.media["m-rose"] = ("image/jpeg", b"\xff\xd8 roses")
        photo = message(
            CUSTOMER,
            "wamid.in1",
            "image",
            image={"id": "m-rose", "mime_type": "image/jpeg", "caption": "This one?"},
        )
        body = post_body([photo], names={CUSTOMER: "Maria Koval"})  # fmt: skip
        assert post(server, channel, body, signature=None).status == 403
        assert post(server, channel, body, signature="sha256=" + "0" * 64).status == 403
        for _ in range(2):  # Meta posts again when unsure we had it
            assert post(server, channel, body).status == 200
        assert wait_until(lambda: standin.downloads == ["m-rose"], 10), standin.downloads
        standin.media.clear()

        assert post(server, channel, b"{not json").status == 400
        assert post(server, channel, b"[" * 5000 + b"]" * 5000).status == 400
        strange = {"object": "whatsapp_business_account", "entry": [{"changes": [{}, 7]}]}
        assert post(server, channel, json.dumps(strange).encode()).status == 200
        too_big = b" " * 1_000_001
        assert post(server, channel, too_big, signature="sha256=x").status == 413
        fuzzed = NASTY + mutations(body, 100, seed=21)
        assert max(post(server, channel, each).status for each in fuzzed) < 500

        anna = {"Cookie": cookie_header(log_in_over_http(server, "anna").cookies())}
        boris = {"Cookie": cookie_header(log_in_over_http(server, "boris").cookies())}
        kept = request(server, "GET", "/api/files/1", headers=anna)
        assert (kept.status, kept.body) == (200, b"\xff\xd8 roses")
        assert request(server, "GET", "/api/files/1", headers=boris).status == 404

        log_in(page, server, "anna")
        expect(badge(page, "Maria Koval")).to_have_text("1")
        chat_row(page, "Maria Koval").click()
        page.get_by_placeholder("Type a reply…").fill("Yes, 450 UAH")
        page.get_by_role("button", name="Send").click()
        bubble = page.locator(".bubble.manager").filter(has_text="Yes, 450 UAH")
        expect(bubble).to_contain_text("✓ sent", timeout=5_000)
        [sent] = standin.sent
        assert (sent["to"], sent["text"]["body"]) == (CUSTOMER, "Yes, 450 UAH")
        post(server, channel, post_body(statuses=[status("wamid.sent1", "delivered")]))
        expect(bubble).to_contain_text("✓✓ delivered", timeout=5_000)
        post(server, channel, post_body(statuses=[status("wamid.sent1", "read")]))
        expect(bubble).to_contain_text("✓✓ read", timeout=5_000)
        expect(page.locator(".bubble.customer")).to_have_count(1)  # stored once
        assert request(server, "GET", "/api/health").status == 200, "the server keeps serving"
    finally:
        standin.close()
