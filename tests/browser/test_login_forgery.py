"""A login cannot be forced from another site (finding 2 of issue 6)."""

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from playwright.sync_api import expect

from tests.browser.conftest import free_port, log_in
from tests.browser.http import cookie_header, log_in_over_http, request
from tests.scenario import PASSWORD

FORGED = "A login is accepted only from the login page of this site."
EXPIRED = "This login form has expired. Please open the login page again."


def login_form(server) -> tuple[dict[str, str], str]:
    """A fresh login page's cookie and form token, as one browser holds them."""
    page = request(server, "GET", "/login")
    return page.cookies(), re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def post_login(server, cookies, token, headers=None, login="boris"):
    form = {"login": login, "password": PASSWORD, "csrf": token}
    sent = {"Cookie": cookie_header(cookies), **(headers or {})}
    return request(server, "POST", "/login", form, sent)


def test_a_post_from_another_origin_is_refused_and_sets_no_cookie(start_server):
    server = start_server()
    cookies, token = login_form(server)
    for headers in (
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": f"http://localhost:{server.port}"},
        {"Referer": "http://evil.example/page.html"},
    ):
        answer = post_login(server, cookies, token, headers)
        assert answer.status == 403, headers
        assert FORGED in answer.text
        assert answer.header("Set-Cookie") is None


def test_a_post_without_the_browsers_form_token_is_refused(start_server):
    server = start_server()
    cookies, token = login_form(server)
    other_cookies, other_token = login_form(server)
    same_site = {"Origin": f"http://127.0.0.1:{server.port}"}
    for sent_cookies, sent_token in (
        ({}, token),  # no cookie
        (cookies, ""),  # no token
        (cookies, other_token),  # another browser's token
        (other_cookies, token),
        (cookies, token[:-2] + "00"),
        (cookies, "é" * 64),
    ):
        answer = post_login(server, sent_cookies, sent_token, same_site)
        assert answer.status == 403 and EXPIRED in answer.text
        assert answer.header("Set-Cookie") is None
    assert post_login(server, cookies, token, same_site).status == 303, "the real form works"


def test_the_form_cookie_is_strict_and_only_for_the_login(start_server):
    server = start_server()
    [cookie] = request(server, "GET", "/login").headers.get_all("Set-Cookie")
    assert cookie.startswith("inbox_login_form=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/login" in cookie


class AttackerPage(BaseHTTPRequestHandler):
    """Another site whose page posts a login form to the inbox as soon as it loads."""

    target = ""

    def do_GET(self):
        body = (
            f'<form id="f" method="post" action="{self.target}/login">'
            '<input name="login" value="boris"><input name="password" value="correct-horse">'
            '<input name="csrf" value="guessed"></form>'
            "<script>document.getElementById('f').submit()</script>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_page_on_another_site_cannot_log_the_browser_in(start_server, page):
    server = start_server()
    page.goto(f"{server.url}/login")  # the browser has the inbox's form cookie already
    AttackerPage.target = server.url
    attacker = ThreadingHTTPServer(("127.0.0.1", free_port()), AttackerPage)
    threading.Thread(target=attacker.serve_forever, daemon=True).start()
    try:
        page.goto(f"http://localhost:{attacker.server_port}/")
        expect(page.get_by_text(FORGED)).to_be_visible()
    finally:
        attacker.shutdown()
    names = {cookie["name"] for cookie in page.context.cookies()}
    assert "inbox_session" not in names
    page.goto(server.url)
    expect(page.get_by_label("Login", exact=True)).to_be_visible()

    log_in(page, server, "boris")
    expect(page.get_by_text("Signed in as Boris Manager")).to_be_visible()


def test_with_a_public_https_address_cookies_are_secure_and_posts_must_come_from_it(
    start_server,
):
    server = start_server(env={"INBOX_PUBLIC_URL": "https://inbox.example.com/"})
    outside = log_in_over_http(server, "boris")
    assert outside.status == 403, "the post came from another address than the public one"
    cookies, token = login_form(server)
    proxied = post_login(server, cookies, token, {"Origin": "https://inbox.example.com"})
    assert proxied.status == 303
    for cookie in proxied.headers.get_all("Set-Cookie"):
        assert "Secure" in cookie, cookie
    [form_cookie] = request(server, "GET", "/login").headers.get_all("Set-Cookie")
    assert "Secure" in form_cookie


def test_behind_a_trusted_proxy_that_says_https_cookies_are_secure(start_server):
    server = start_server()
    answer = log_in_over_http(server, "boris", headers={"X-Forwarded-Proto": "https"})
    assert answer.status == 303
    assert all("Secure" in c for c in answer.headers.get_all("Set-Cookie"))
