"""GET /api/changes: the store's change counter, which each open page's browser asks for every
tick (components/live.py) to rerun the page only when something changed.

It is answered from memory: the login cookie's signature is checked with the key (no query),
and a cookie that is not ours gets 401, which makes the page rerun into the login prompt. A
session ended in the database is noticed by the rerun the next change brings."""

import functools

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from inbox.services import login_sessions
from inbox.settings import load_settings
from inbox.store import Store, app_store

NO_STORE = {"Cache-Control": "no-store"}


@functools.cache
def _key_and_store() -> tuple[bytes, Store]:
    settings = load_settings()  # fixed for the life of the server process
    return login_sessions.session_key(settings.session_key_path), app_store()


async def changes(request: Request) -> JSONResponse:
    key, store = _key_and_store()
    if not login_sessions.is_signed(key, request.cookies.get(login_sessions.COOKIE_NAME)):
        return JSONResponse({"error": "Not logged in."}, status_code=401, headers=NO_STORE)
    return JSONResponse({"version": store.version}, headers=NO_STORE)


class AnswerChangesFirst:
    """Plain ASGI, placed right inside the security headers: every open page asks twice a
    second, so GET /api/changes is answered before the body limit, the login gate, and
    Streamlit's own middleware and router, which cost more than the answer itself."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["path"] == PATH and scope["method"] == "GET":
            response = await changes(Request(scope))
            return await response(scope, receive, send)
        await self.app(scope, receive, send)


PATH = "/api/changes"
routes = [Route(PATH, changes, methods=["GET"])]  # other methods get 405 here
