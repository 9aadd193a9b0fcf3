"""The login page, logout, and the gate that sends visitors without a session to the login.

Streamlit cannot set cookies, so logging in is a plain HTML form posted to this route, which
sets an HttpOnly, SameSite cookie and sends the browser back where it wanted to go.
"""

import asyncio
import html
from urllib.parse import parse_qs, urlencode

from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from inbox.services import accounts, login_sessions
from inbox.settings import load_settings
from inbox.store import app_store

COOKIE = login_sessions.COOKIE_NAME
FAILED_LOGIN_DELAY_SECONDS = 1.0
MAX_FORM_BYTES = 10_000

# Paths any visitor may load: the login itself, Streamlit's machinery and static files, the API.
OPEN_PREFIXES = ("/login", "/logout", "/api/", "/_stcore/", "/static/", "/component/", "/media/")

_PAGE = """<!doctype html>
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
 .error {{ background: #fdecea; color: #a61b1b; padding: 10px; border-radius: 8px;
          margin-bottom: 8px; }}
</style></head>
<body><main>
<h1>💬 Inbox</h1><p>Log in to answer your customers.</p>
{error}
<form method="post" action="/login">
 <input type="hidden" name="next" value="{next}">
 <label for="login">Login</label>
 <input id="login" name="login" autocomplete="username" value="{login}" required autofocus>
 <label for="password">Password</label>
 <input id="password" name="password" type="password" autocomplete="current-password" required>
 <button type="submit">Log in</button>
</form>
</main></body></html>"""


def _key() -> bytes:
    return login_sessions.session_key(load_settings().session_key_path)


def safe_next(value: str | None) -> str:
    """Only a path on this site: never another host, so the login is no open redirect."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def _login_page(next_path: str, login: str = "", error: str = "", status: int = 200):
    error_html = f'<div class="error" role="alert">{html.escape(error)}</div>' if error else ""
    body = _PAGE.format(
        next=html.escape(next_path, quote=True),
        login=html.escape(login, quote=True),
        error=error_html,
    )
    return HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


async def show_login(request: Request) -> Response:
    return _login_page(safe_next(request.query_params.get("next")))


async def submit_login(request: Request) -> Response:
    body = await request.body()  # bounded by the BodyLimit middleware
    form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
    login, password = form.get("login", ""), form.get("password", "")
    next_path = safe_next(form.get("next"))
    store = app_store()
    user = await asyncio.to_thread(accounts.authenticate, store, login, password)
    if user is None:
        await asyncio.sleep(FAILED_LOGIN_DELAY_SECONDS)
        return _login_page(next_path, login, "Wrong login or password.", status=401)
    cookie = await asyncio.to_thread(login_sessions.start_session, store, _key(), user)
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        COOKIE,
        cookie,
        max_age=int(login_sessions.LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


async def log_out(request: Request) -> Response:
    await asyncio.to_thread(
        login_sessions.end_session, app_store(), _key(), request.cookies.get(COOKIE)
    )
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


class LoginGate(BaseHTTPMiddleware):
    """A page request without a valid session goes to the login, keeping where it wanted to go."""

    async def dispatch(self, request: Request, call_next):
        path = request.url.path
        wants_page = request.method == "GET" and "." not in path.rsplit("/", 1)[-1]
        if not wants_page or path.startswith(OPEN_PREFIXES):
            return await call_next(request)
        user = await asyncio.to_thread(
            login_sessions.user_for_cookie, app_store(), _key(), request.cookies.get(COOKIE)
        )
        if user is None:
            target = path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?{urlencode({'next': target})}", status_code=303)
        return await call_next(request)


routes = [
    Route("/login", show_login, methods=["GET"]),
    Route("/login", submit_login, methods=["POST"]),
    Route("/logout", log_out, methods=["GET", "POST"]),
]
