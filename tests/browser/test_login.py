"""Logging in through the real server: the gate, the cookie, reloads and logout."""

import http.client
import time
from urllib.parse import urlencode, urlsplit

from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.scenario import PASSWORD


def request(server, method, path, body=None, cookie=None):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    if cookie:
        headers["Cookie"] = cookie
    connection.request(method, path, body=urlencode(body) if body else None, headers=headers)
    response = connection.getresponse()
    return response, response.read().decode()


def test_pages_need_a_session_and_keep_where_they_were_going(start_server):
    server = start_server()
    response, _ = request(server, "GET", "/?chat=7")
    assert response.status == 303
    assert response.getheader("Location") == "/login?next=%2F%3Fchat%3D7"
    health, _ = request(server, "GET", "/api/health")
    assert health.status == 200


def test_a_wrong_password_is_refused_slowly_and_says_no_more(start_server):
    server = start_server()
    started = time.monotonic()
    response, page = request(server, "POST", "/login", {"login": "anna", "password": "nope"})
    assert response.status == 401
    assert time.monotonic() - started >= 1.0
    assert "Wrong login or password." in page
    assert response.getheader("Set-Cookie") is None
    unknown, unknown_page = request(server, "POST", "/login", {"login": "zz", "password": "nope"})
    assert unknown.status == 401 and "Wrong login or password." in unknown_page


def test_a_login_sets_a_protected_cookie_and_returns_to_the_page(start_server):
    server = start_server()
    form = {"login": "anna", "password": PASSWORD, "next": "/?chat=3"}
    response, _ = request(server, "POST", "/login", form)
    assert response.status == 303
    assert response.getheader("Location") == "/?chat=3"
    cookie = response.getheader("Set-Cookie")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    session = cookie.split(";")[0]
    page, _ = request(server, "GET", "/", cookie=session)
    assert page.status == 200


def test_the_login_never_sends_the_browser_to_another_site(start_server):
    server = start_server()
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        form = {"login": "anna", "password": PASSWORD, "next": target}
        response, _ = request(server, "POST", "/login", form)
        assert response.getheader("Location") == "/", target


def test_odd_input_to_the_login_is_escaped_not_run(start_server):
    server = start_server()
    response, page = request(
        server, "POST", "/login", {"login": '"><script>alert(1)</script>', "password": "x"}
    )
    assert response.status == 401
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;" in page


def test_the_session_survives_a_reload_and_ends_with_logout(start_server, page):
    server = start_server(lambda world: world.customer_writes("hello", who="a", name="Alice"))
    log_in(page, server, "anna")
    expect(page.get_by_role("button", name="Alice")).to_be_visible()
    page.reload()
    expect(page.get_by_role("button", name="Alice")).to_be_visible()
    expect(page.get_by_text("Signed in as Anna Manager")).to_be_visible()
    page.get_by_role("link", name="Log out").click()
    expect(page.get_by_label("Login", exact=True)).to_be_visible()
    page.goto(server.url)
    assert urlsplit(page.url).path == "/login"
