"""The login page, logout, and the gate that sends visitors without a session to the login.

Streamlit cannot set cookies, so logging in is a plain HTML form posted to this route, which
sets an HttpOnly, SameSite cookie and sends the browser back where it wanted to go. The post is
checked by `login_guard` (same site, form token, throttling) before any password is hashed.
"""

import asyncio
import html
from urllib.parse import parse_qs, urlencode

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from inbox.models import User
from inbox.services import accounts, login_sessions
from inbox.settings import load_settings
from inbox.store import app_store
from inbox.web import demo_shop, login_guard

COOKIE = login_sessions.COOKIE_NAME
FAILED_LOGIN_DELAY_SECONDS = 1.0
MAX_HASH_WAIT_SECONDS = 3.0
MAX_FORM_BYTES = 10_000  # BodyLimit refuses larger bodies before they are read
DEVICE_COOKIE_SECONDS = 365 * 24 * 3600

# Paths any visitor may load: the login itself, Streamlit's machinery and static files, the API.
OPEN_PREFIXES = (
    "/login", "/logout", "/api/", "/_stcore/", "/static/", "/component/", "/media/", "/demo/",
)  # fmt: skip

_SHELL = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Log in · Inbox</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
 body {{ font-family: system-ui, sans-serif; background: #f6f6f8; margin: 0; }}
 main {{ max-width: 360px; margin: 12vh auto; background: #fff; padding: 32px;
        border-radius: 12px; box-shadow: 0 2px 12px rgba(0,0,0,.08); }}
 h1 {{ margin: 0 0 4px; font-size: 1.6rem; }} p {{ color: #555; margin: 0 0 20px; }}
 label {{ display: block; font-size: .9rem; margin: 12px 0 4px; }}
 input {{ width: 100%; box-sizing: border-box; padding: 10px; font-size: 1rem;
         border: 1px solid #ccc; border-radius: 8px; }}
 button {{ margin-top: 20px; width: 100%; padding: 10px; font-size: 1rem; border: 0;
          border-radius: 8px; background: #d6336c; color: #fff; cursor: pointer; }}
 .demo {{ margin: 20px 0 0; font-size: .9rem; }}
 .error {{ background: #fdecea; color: #a61b1b; padding: 10px; border-radius: 8px;
          margin-bottom: 8px; }}
</style></head>
<body><main>
<h1>💬 Inbox</h1><p>Log in to answer your customers.</p>
{error}
{content}
</main></body></html>"""

_FORM = """<form method="post" action="/login">
 <input type="hidden" name="next" value="{next}">
 <input type="hidden" name="csrf" value="{csrf}">
 <label for="login">Login</label>
 <input id="login" name="login" autocomplete="username" value="{login}" required autofocus>
 <label for="password">Password</label>
 <input id="password" name="password" type="password" autocomplete="current-password" required>
 <button type="submit">Log in</button>
</form>"""

_DEMO = f"""<p class="demo">Demo: write to the shop as a customer on
<a href="{demo_shop.PATH}" target="_blank" rel="noopener">the demo shop's page</a>,
and answer here.</p>"""


def _key() -> bytes:
    return login_sessions.app_key()


async def user_of(request: Request) -> User | None:
    """The user this request's login cookie belongs to, if it is valid and not logged out."""
    return await asyncio.to_thread(
        login_sessions.user_for_cookie, app_store(), _key(), request.cookies.get(COOKIE)
    )


def _secure(request: Request) -> bool:
    """Cookies are HTTPS-only when people reach us over HTTPS (directly or through a proxy)."""
    public_url = load_settings().public_url or ""
    return public_url.startswith("https://") or request.url.scheme == "https"


def safe_next(value: str | None) -> str:
    """Only a path on this site: never another host, so the login is no open redirect."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def _error_html(error: str) -> str:
    return f'<div class="error" role="alert">{html.escape(error)}</div>' if error else ""


def _login_page(
    request: Request, next_path: str, login: str = "", error: str = "", status: int = 200
) -> HTMLResponse:
    browser_value, new = login_guard.browser_token(request)
    form = _FORM.format(
        next=html.escape(next_path, quote=True),
        login=html.escape(login, quote=True),
        csrf=login_guard.form_token(_key(), browser_value),
    )
    if demo_shop.available(app_store()):
        form += _DEMO
    body = _SHELL.format(error=_error_html(error), content=form)
    response = HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-store"})
    if new:
        response.set_cookie(
            login_guard.FORM_COOKIE,
            browser_value,
            httponly=True,
            samesite="strict",
            secure=_secure(request),
            path="/login",
        )
    return response


def _refused(status: int, message: str, retry_after: float | None = None) -> HTMLResponse:
    """A refusal that sets no cookie, with a way back to a fresh login form."""
    body = _SHELL.format(
        error=_error_html(message), content='<p><a href="/login">Open the login page again</a></p>'
    )
    headers = {"Cache-Control": "no-store"}
    if retry_after:
        headers["Retry-After"] = str(login_guard.whole_seconds(retry_after))
    return HTMLResponse(body, status_code=status, headers=headers)


async def show_login(request: Request) -> Response:
    next_path = safe_next(request.query_params.get("next"))
    cookie = request.cookies.get(COOKIE)
    if cookie and await asyncio.to_thread(
        login_sessions.user_for_cookie, app_store(), _key(), cookie
    ):
        return RedirectResponse(next_path, status_code=303)  # already logged in
    return _login_page(request, next_path)


def _form(body: bytes) -> dict[str, str] | None:
    try:
        fields = parse_qs(body.decode("utf-8", "replace"), max_num_fields=10)
    except ValueError:
        return None
    return {name: values[0] for name, values in fields.items()}


async def _wait_for_a_hash() -> bool:
    """Take one of the few password hashes a second that logins may cost, waiting a little."""
    waited = 0.0
    while (wait := login_guard.password_hashes.take()) > 0:
        if waited + wait > MAX_HASH_WAIT_SECONDS:
            return False
        await asyncio.sleep(wait)
        waited += wait
    return True


async def submit_login(request: Request) -> Response:
    settings = load_settings()
    if not login_guard.from_this_site(request, settings.public_url):
        return _refused(403, "A login is accepted only from the login page of this site.")
    form = _form(await request.body())  # bounded by the BodyLimit middleware
    if form is None or not login_guard.form_token_ok(_key(), request, form.get("csrf", "")):
        return _refused(403, "This login form has expired. Please open the login page again.")
    login, password = form.get("login", "").strip().lower(), form.get("password", "")
    next_path = safe_next(form.get("next"))
    address = request.client.host if request.client else "unknown"
    rules = login_guard.throttle_rules(
        login, address, login_guard.known_device(_key(), request, login)
    )
    wait = login_guard.throttle.try_once(rules)
    if wait:
        message = f"Too many failed logins. Please try again in {login_guard.in_words(wait)}."
        return _refused(429, message, retry_after=wait)
    if not await _wait_for_a_hash():
        login_guard.throttle.undo(rules)
        return _refused(503, "Too many logins at this moment. Please try again.", retry_after=5)
    store = app_store()
    user = await asyncio.to_thread(accounts.authenticate, store, login, password)
    if user is None:
        error = "Wrong login or password."
        if wait := login_guard.throttle.wait_seconds(rules):
            error += f" Too many failed logins: try again in {login_guard.in_words(wait)}."
        await asyncio.sleep(FAILED_LOGIN_DELAY_SECONDS)
        return _login_page(request, next_path, login, error, status=401)
    login_guard.throttle.undo(rules, forget=[next(iter(rules))])
    cookie = await asyncio.to_thread(login_sessions.start_session, store, _key(), user)
    response = RedirectResponse(next_path, status_code=303)
    secure = _secure(request)
    response.set_cookie(
        COOKIE,
        cookie,
        max_age=int(login_sessions.LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/",
    )
    response.set_cookie(
        login_guard.DEVICE_COOKIE,
        login_guard.device_cookie(_key(), login),
        max_age=DEVICE_COOKIE_SECONDS,
        httponly=True,
        samesite="strict",
        secure=secure,
        path="/login",
    )
    return response


async def log_out(request: Request) -> Response:
    await asyncio.to_thread(
        login_sessions.end_session, app_store(), _key(), request.cookies.get(COOKIE)
    )
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


class LoginGate:
    """A page request without a valid session goes to the login, keeping where it wanted to go.
    Plain ASGI: every other request (Streamlit's machinery, the API) passes straight through."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and _wants_page(scope["method"], scope["path"]):
            request = Request(scope)
            if await user_of(request) is None:
                path, query = request.url.path, request.url.query
                target = path + (f"?{query}" if query else "")
                redirect = RedirectResponse(f"/login?{urlencode({'next': target})}", 303)
                return await redirect(scope, receive, send)
        await self.app(scope, receive, send)


def _wants_page(method: str, path: str) -> bool:
    is_file = "." in path.rsplit("/", 1)[-1]
    return method == "GET" and not is_file and not path.startswith(OPEN_PREFIXES)


routes = [
    Route("/login", show_login, methods=["GET"]),
    Route("/login", submit_login, methods=["POST"]),
    Route("/logout", log_out, methods=["GET", "POST"]),
]
