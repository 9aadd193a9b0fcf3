"""Messenger's and Instagram's webhook on the real server, posted to as Meta posts: the
address verified with the channel's own token, unsigned posts refused, bad bodies a 4xx, a
retried post stored once, and a photo kept before its address expires, served to staff."""

import json

import pytest

from inbox.channels import meta
from inbox.services import accounts
from tests.browser.fuzz import NASTY, mutations
from tests.browser.http import cookie_header, log_in_over_http, request
from tests.channels.meta_standin import (
    APP_SECRET,
    PAGE_ID,
    PAGE_TOKEN,
    MetaStandIn,
    messaging,
    post_body,
    signed,
)
from tests.channels.standin_http import wait_until
from tests.scenario import Scenario


def page_of(platform: meta.Platform, standin: MetaStandIn):
    def prepare(world: Scenario) -> int:
        settings = {"page_token": PAGE_TOKEN, "app_secret": APP_SECRET, "verify_token": "vt-9",
                    "api_url": standin.base_url}  # fmt: skip
        channel = accounts.create_channel(
            world.store, world.olga, platform.name, platform.label, "💬", settings
        )
        accounts.grant_access(world.store, world.olga, world.anna.id, channel.id)
        return channel.id

    return prepare


def hook(platform: meta.Platform, channel_id: int) -> str:
    return f"/api/channels/{channel_id}/{platform.name}"


def post(server, platform, channel_id, body: bytes, signature: str | None = "sign"):
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Hub-Signature-256"] = signed(body) if signature == "sign" else signature
    return request(server, "POST", hook(platform, channel_id), body, headers)


@pytest.mark.parametrize("platform", [meta.MESSENGER, meta.INSTAGRAM], ids=lambda p: p.name)
def test_metas_webhook_on_the_real_server(start_server, platform):
    standin = MetaStandIn()
    try:
        server = start_server(page_of(platform, standin))
        channel = server.prepared
        verify = (
            f"{hook(platform, channel)}?hub.mode=subscribe&hub.challenge=4711&hub.verify_token="
        )
        answer = request(server, "GET", verify + "vt-9")
        assert (answer.status, answer.text) == (200, "4711")
        assert answer.header("Content-Type").startswith("text/plain")
        assert request(server, "GET", verify + "vt-8").status == 403
        assert request(server, "GET", hook(platform, 999) + "?hub.mode=subscribe").status == 404

        photo = standin.file_url("rose.jpg", b"\xff\xd8 roses")
        event = messaging("psid-7", PAGE_ID, message={
            "mid": "m.1", "text": "This one?",
            "attachments": [{"type": "image", "payload": {"url": photo}}]})  # fmt: skip
        body = post_body(platform.webhook_object, event)
        assert post(server, platform, channel, body, signature=None).status == 403
        assert post(server, platform, channel, body, signature="sha256=" + "0" * 64).status == 403
        for _ in range(2):  # Meta posts again when unsure we had it
            answer = post(server, platform, channel, body)
            assert (answer.status, answer.text) == (200, "EVENT_RECEIVED")
        assert wait_until(lambda: standin.downloads == ["rose.jpg"], 10), standin.downloads
        standin.expired.add("rose.jpg")

        assert post(server, platform, channel, b"{not json").status == 400
        assert post(server, platform, channel, b"[" * 5000 + b"]" * 5000).status == 400
        strange = json.dumps({"object": platform.webhook_object, "entry": [{"changes": [{}]}]})
        assert post(server, platform, channel, strange.encode()).status == 200
        too_big = b" " * 1_000_001
        assert post(server, platform, channel, too_big, signature="sha256=x").status == 413
        fuzzed = NASTY + mutations(body, 100, seed=20)
        statuses = {post(server, platform, channel, each).status for each in fuzzed}
        assert max(statuses) < 500, statuses

        anna = {"Cookie": cookie_header(log_in_over_http(server, "anna").cookies())}
        boris = {"Cookie": cookie_header(log_in_over_http(server, "boris").cookies())}
        file_id = 1  # the scenario has no files before this one
        kept = request(server, "GET", f"/api/files/{file_id}", headers=anna)
        assert (kept.status, kept.body) == (200, b"\xff\xd8 roses")
        assert request(server, "GET", f"/api/files/{file_id}", headers=boris).status == 404
        assert standin.downloads == ["rose.jpg"], "kept, not fetched again"
        assert request(server, "GET", "/api/health").status == 200, "the server keeps serving"
    finally:
        standin.close()
