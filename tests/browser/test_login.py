"""Logging in through the real server: the gate, the cookie, reloads and logout."""

import time
from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.browser.http import log_in_over_http, request


def test_pages_need_a_session_and_keep_where_they_were_going(start_server):
    server = start_server()
    response = request(server, "GET", "/?chat=7")
    assert response.status == 303
    assert response.header("Location") == "/login?next=%2F%3Fchat%3D7"
    assert request(server, "GET", "/api/health").status == 200


def test_a_wrong_password_is_refused_slowly_and_says_no_more(start_server):
    server = start_server()
    started = time.monotonic()
    response = log_in_over_http(server, "anna", "nope")
    assert response.status == 401
    assert time.monotonic() - started >= 1.0
    assert "Wrong login or password." in response.text
    assert "inbox_session" not in response.cookies()
    unknown = log_in_over_http(server, "zz", "nope")
    assert unknown.status == 401 and "Wrong login or password." in unknown.text


def test_a_login_sets_a_protected_cookie_and_returns_to_the_page(start_server):
    server = start_server()
    response = log_in_over_http(server, "anna", next_path="/?chat=3")
    assert response.status == 303
    assert response.header("Location") == "/?chat=3"
    [cookie] = [c for c in response.headers.get_all("Set-Cookie") if "inbox_session=" in c]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie, "plain HTTP on this machine"
    page = request(server, "GET", "/", headers={"Cookie": cookie.split(";")[0]})
    assert page.status == 200


def test_the_login_never_sends_the_browser_to_another_site(start_server):
    server = start_server()
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        response = log_in_over_http(server, "anna", next_path=target)
        assert response.header("Location") == "/", target


def test_odd_input_to_the_login_is_escaped_not_run(start_server):
    server = start_server()
    response = log_in_over_http(server, '"><script>alert(1)</script>', "x")
    assert response.status == 401
    assert "<script>alert(1)" not in response.text
    assert "&lt;script&gt;" in response.text


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
