"""The generic HTTP channel's webhook on the real server: bad input gets a clear 4xx."""

import urllib.error
import urllib.request

from tests.browser.conftest import post_message


def website(world):
    return world.website.id, world.telegram.id


def test_the_webhook_stores_a_message_once_and_refuses_bad_input(start_server):
    server = start_server(website)
    web, telegram = server.prepared
    good = {"user_id": "v1", "name": "Visitor", "message_id": "m1", "text": "<b>hi</b> **x**"}

    status, body = post_message(server, web, "s3", **good)
    assert status == 201 and body["created"] is True
    status, again = post_message(server, web, "s3", **good)
    assert status == 200 and again == {**body, "created": False}

    assert post_message(server, web, "wrong", **good)[0] == 403
    assert post_message(server, telegram, "s3", **good)[0] == 404
    assert post_message(server, 999, "s3", **good)[0] == 404
    status, body = post_message(server, web, "s3", user_id="v1", text="no message id")
    assert status == 422 and "message_id" in body["error"]
    long = {**good, "message_id": "m2", "text": "x" * 100_001}
    assert post_message(server, web, "s3", **long)[0] == 422

    broken = urllib.request.Request(
        f"{server.url}/api/channels/{web}/messages",
        data=b"{not json",
        headers={"X-Inbox-Secret": "s3"},
        method="POST",
    )
    try:
        urllib.request.urlopen(broken, timeout=10)
        raise AssertionError("broken JSON was accepted")
    except urllib.error.HTTPError as error:
        assert error.code == 400

    with urllib.request.urlopen(f"{server.url}/api/health", timeout=5) as response:
        assert response.status == 200, "the server keeps serving"
