"""Bad input gets a clear 4xx and loses nothing; the server keeps serving (issue 6: 5, 10)."""

import json
import re
from urllib.parse import urlencode

import pytest

from tests.browser.conftest import post_message
from tests.browser.fuzz import NASTY, mutations
from tests.browser.http import cookie_header, request

WEBHOOK = "/api/channels/2/messages"
GOOD = {"user_id": "v1", "name": "Visitor", "message_id": "m1", "text": "Hello"}


def post_raw(server, body: bytes, secret="s3", content_type="application/json"):
    headers = {"Content-Type": content_type, "X-Inbox-Secret": secret}
    return request(server, "POST", WEBHOOK, body=body, headers=headers)


def test_deeply_nested_json_is_a_clear_400(start_server):
    server = start_server()
    answer = post_raw(server, b"[" * 1000 + b"]" * 1000)
    assert answer.status == 400
    assert "The body must be JSON" in json.loads(answer.body)["error"]
    assert "recursion" in json.loads(answer.body)["error"]


@pytest.mark.parametrize("text", ["", " ", "\n\t  \n", "\u00a0\u2003"])
def test_a_message_without_text_is_422_and_nothing_is_stored(start_server, text):
    server = start_server()
    status, body = post_message(server, 2, "s3", **{**GOOD, "text": text})
    assert status == 422 and body["error"].startswith("text:")
    status, body = post_message(server, 2, "s3", **GOOD)
    assert (status, body["created"]) == (201, True), "the empty message took no message id"


def test_strange_text_is_stored_intact(start_server):
    server = start_server()
    odd = "a\u0000b \u202egnp.exe <b>x</b> **y** 🙂 \U0001f9d1\u200d\U0001f4bb"
    status, body = post_message(server, 2, "s3", **{**GOOD, "text": odd})
    assert status == 201
    status, again = post_message(server, 2, "s3", **{**GOOD, "text": odd})
    assert status == 200 and again["message_id"] == body["message_id"]


def test_a_fuzzed_webhook_never_answers_5xx(start_server):
    server = start_server()
    bodies = NASTY + mutations(json.dumps(GOOD).encode(), 300, seed=6)
    statuses = {}
    for number, body in enumerate(bodies):
        for secret in ("s3", "wrong"):
            answer = post_raw(server, body, secret)
            statuses[answer.status] = statuses.get(answer.status, 0) + 1
            assert answer.status < 500, (number, body[:200], answer.text[:300])
            assert json.loads(answer.body)["error"] if answer.status >= 400 else True
    print(f"{len(bodies) * 2} fuzzed webhook requests: {dict(sorted(statuses.items()))}")
    assert request(server, "GET", "/api/health").status == 200
    assert "Traceback" not in server.log_path.read_text()


def test_fuzzed_login_and_logout_never_answer_5xx(start_server):
    server = start_server()
    form_page = request(server, "GET", "/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form_page.text).group(1)
    browser = {
        "Cookie": cookie_header(form_page.cookies()),
        "Origin": server.url,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    good = urlencode({"login": "anna", "password": "wrong", "csrf": token}).encode()
    bodies = NASTY + mutations(good, 150, seed=7)
    bodies += [good.replace(b"anna", body[:300]) for body in NASTY]  # past the token check
    statuses = {}
    for number, body in enumerate(bodies):
        for path in ("/login", "/logout"):
            answer = request(server, "POST", path, body=body, headers=browser)
            statuses[answer.status] = statuses.get(answer.status, 0) + 1
            assert answer.status < 500, (path, number, body[:200], answer.text[:300])
    print(f"{len(bodies) * 2} fuzzed login and logout posts: {dict(sorted(statuses.items()))}")
    assert request(server, "GET", "/api/health").status == 200
    assert "Traceback" not in server.log_path.read_text()
