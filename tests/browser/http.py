"""Plain HTTP against the real server, as a script (or an attacker) sends it."""

import http.client
import re
from urllib.parse import urlencode

from tests.scenario import PASSWORD


class Answer:
    def __init__(self, response: http.client.HTTPResponse, body: bytes):
        self.status = response.status
        self.headers = response.headers
        self.body = body
        self.text = body.decode("utf-8", "replace")

    def header(self, name: str) -> str | None:
        return self.headers.get(name)

    def cookies(self) -> dict[str, str]:
        """The cookies this answer sets, name to value."""
        found = {}
        for header in self.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            found[name.strip()] = rest.split(";")[0]
        return found


def request(server, method: str, path: str, body=None, headers=None, timeout=30) -> Answer:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    headers = dict(headers or {})
    if isinstance(body, dict):
        body = urlencode(body)
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    try:
        connection.request(method, path, body=body, headers=headers)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server may answer (a 413) and close before the whole body is sent
    response = connection.getresponse()
    answer = Answer(response, response.read())
    connection.close()
    return answer


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def log_in_over_http(
    server, login: str, password: str = PASSWORD, headers=None, next_path: str | None = None
) -> Answer:
    """The login form as a browser fills it in: fetch the page, then post it back."""
    form_page = request(server, "GET", "/login", headers=headers)
    cookies = form_page.cookies()
    form = {"login": login, "password": password}
    if next_path is not None:
        form["next"] = next_path
    token = re.search(r'name="csrf" value="([^"]+)"', form_page.text)
    if token:
        form["csrf"] = token.group(1)
    headers = {"Origin": f"http://127.0.0.1:{server.port}", **(headers or {})}
    headers["Cookie"] = "; ".join(filter(None, [headers.get("Cookie"), cookie_header(cookies)]))
    return request(server, "POST", "/login", form, headers)


def session_cookie(server, login: str, password: str = PASSWORD) -> str:
    """A logged-in browser's Cookie header."""
    answer = log_in_over_http(server, login, password)
    assert answer.status == 303, answer.text
    return cookie_header({k: v for k, v in answer.cookies().items() if k == "inbox_session"})
