"""Every response carries the security headers (finding 7 of issue 6), Streamlit's included."""

import pytest

from tests.browser.http import request, session_cookie

PATHS = [
    ("GET", "/login"),
    ("GET", "/"),
    ("GET", "/chats"),
    ("GET", "/api/health"),
    ("GET", "/_stcore/health"),
    ("GET", "/_stcore/host-config"),
    ("GET", "/static/nowhere.js"),
    ("GET", "/favicon.png"),
    ("POST", "/api/channels/2/messages"),
    ("POST", "/login"),
    ("GET", "/logout"),
]


@pytest.mark.parametrize("logged_in", [False, True])
def test_every_response_carries_the_security_headers(start_server, logged_in):
    server = start_server()
    cookie = {"Cookie": session_cookie(server, "anna")} if logged_in else {}
    for method, path in PATHS:
        answer = request(server, method, path, headers=cookie)
        policy = answer.header("Content-Security-Policy") or ""
        assert "frame-ancestors 'self'" in policy, (method, path, answer.status)
        assert "default-src 'self'" in policy and "object-src 'none'" in policy
        assert answer.header("X-Content-Type-Options") == "nosniff", path
        assert answer.header("Referrer-Policy") == "same-origin", path
        assert answer.header("X-Frame-Options") == "SAMEORIGIN", path


def test_the_refusal_of_a_too_large_body_carries_them_too(start_server):
    server = start_server()
    answer = request(server, "POST", "/login", body="x" * 50_000)
    assert answer.status == 413
    assert "frame-ancestors 'self'" in answer.header("Content-Security-Policy")
