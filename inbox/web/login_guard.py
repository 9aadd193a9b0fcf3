"""What stands in front of a password check: the post must come from this site with a form
token bound to the browser, and failed tries are throttled before any hash is computed."""

import math
import secrets
from urllib.parse import urlsplit

from starlette.requests import Request

from inbox import signing
from inbox.login_throttle import LoginThrottle, RateLimit, Rule

FORM_COOKIE = "inbox_login_form"
DEVICE_COOKIE = "inbox_device"

# Five failures of one account from one address lock that pair; twenty from an address lock the
# address; twenty of one account from anywhere lock the account, except in a browser that has
# logged in to it before, so an attack from many addresses does not lock the real user out.
ACCOUNT_AT_ADDRESS = Rule(free=5)
ADDRESS = Rule(free=20)
ACCOUNT = Rule(free=20)

throttle = LoginThrottle()
# A failing login costs an argon2 hash (~0.18 s of CPU here): a flood gets no more than this.
password_hashes = RateLimit(per_second=2, burst=4)


def from_this_site(request: Request, public_url: str | None) -> bool:
    """A browser's cross-site post says where it came from in Origin (or at least Referer)."""
    origin = request.headers.get("origin")
    source = origin if origin is not None else request.headers.get("referer")
    if source is None:
        return True  # no browser's cross-site post: the form token decides alone
    parts = urlsplit(source)
    if public_url:
        return f"{parts.scheme}://{parts.netloc}" == public_url
    return bool(parts.netloc) and parts.netloc == request.headers.get("host")


def browser_token(request: Request) -> tuple[str, bool]:
    """The random value this browser keeps in its login-form cookie; True when it is new."""
    known = request.cookies.get(FORM_COOKIE, "")
    if 20 <= len(known) <= 100 and known.isascii():
        return known, False
    return secrets.token_urlsafe(32), True


def form_token(key: bytes, browser_value: str) -> str:
    return signing.sign(key, f"login-form:{browser_value}")


def form_token_ok(key: bytes, request: Request, sent: str) -> bool:
    browser_value = request.cookies.get(FORM_COOKIE)
    return bool(browser_value) and signing.matches(key, f"login-form:{browser_value}", sent)


def device_cookie(key: bytes, login: str) -> str:
    return signing.sign(key, f"device:{login}")


def known_device(key: bytes, request: Request, login: str) -> bool:
    return signing.matches(key, f"device:{login}", request.cookies.get(DEVICE_COOKIE, ""))


def throttle_rules(login: str, address: str, device_known: bool) -> dict[tuple, Rule]:
    rules = {("account-at", login, address): ACCOUNT_AT_ADDRESS, ("address", address): ADDRESS}
    if not device_known:
        rules[("account", login)] = ACCOUNT
    return rules


def whole_seconds(seconds: float) -> int:
    return max(math.ceil(seconds), 1)


def in_words(seconds: float) -> str:
    seconds = whole_seconds(seconds)
    if seconds < 90:
        return f"{seconds} seconds" if seconds != 1 else "1 second"
    return f"{round(seconds / 60)} minutes"
