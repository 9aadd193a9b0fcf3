"""GET /api/changes: the change counter of what a browser's pages show, which each open page
asks for every tick (components/live.py) to rerun only when something it may show changed.

It is answered from memory: the login cookie's signature is checked with the key (no query),
and a cookie that is not ours gets 401, which makes the page rerun into the login prompt. A
session ended in the database is noticed by the rerun the next change brings (a logout is a
write every page sees).

Every page run records the channels its user sees under its login cookie (`watch`); the answer
is then the store's counter for those channels, so a manager of the website chat is not
disturbed by the Telegram bot's traffic. A cookie no run of this process has recorded (after a
restart; the oldest are forgotten) gets UNKNOWN, which no page has seen: the page reruns once
and records its channels.

The answer also says what waits for an answer in those channels: how many chats, for the tab's
title, and the latest of them, for desktop notifications (SPEC R3). It is read once per change
to them, so an idle tick still makes no query."""

import asyncio
import functools
import json
from collections.abc import Iterable
from datetime import UTC

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from inbox.recent import KeptAtCounter, Recent
from inbox.services import login_sessions
from inbox.store import Store, app_store, chats
from inbox.web.session_owners import digest

NO_STORE = {"Cache-Control": "no-store"}
MAX_WATCHED = 100_000  # login cookies; the oldest are forgotten
UNKNOWN = -1
_watched = Recent(MAX_WATCHED)  # login cookie, hashed -> the channels its pages show


def watch(cookie: str, channel_ids: Iterable[int]) -> None:
    """The pages of this login show these channels (and what belongs to no channel)."""
    _watched.put(digest(cookie), tuple(channel_ids))


_pulses = KeptAtCounter(10_000)  # (file, channels) -> what waits for an answer there
NEWS_TEXT = 120  # characters of a customer's message in a notification


def pulse_in(store: Store, channel_ids: tuple[int, ...]) -> dict:
    """What waits for an answer in these channels (SPEC R3): how many chats, for the tab's
    title, and the latest of them, for desktop notifications."""
    return _pulse(store, channel_ids)[0]


def _pulse(store: Store, channel_ids: tuple[int, ...]) -> tuple[dict, bytes]:
    """Read once per change to these channels, and shared by every browser that shows them;
    kept with its JSON, which every tick sends."""
    version = store.version_seen_by(channel_ids)  # before the read: a write during it is seen
    kept = _pulses.get((store.name, channel_ids), version)
    if kept is None:
        with store.read() as cur:
            waiting, news = chats.waiting(cur, channel_ids)
        pulse = {"waiting": waiting, "news": [_shown(chat) for chat in news]}
        kept = (pulse, _encoded(pulse))
        _pulses.put((store.name, channel_ids), version, kept)
    return kept


def _encoded(pulse: dict) -> bytes:
    """The pulse as the answer's JSON after its version."""
    return json.dumps(pulse, separators=(",", ":")).encode()[1:]


def _epoch_ms(moment) -> int:
    return round(moment.replace(tzinfo=UTC).timestamp() * 1000)


def _shown(chat: dict) -> dict:
    return {
        **chat,
        "created_at": _epoch_ms(chat["created_at"]),
        "at": _epoch_ms(chat["at"]),
        "text": (chat["text"] or "")[:NEWS_TEXT],
    }


@functools.cache
def _key_and_store() -> tuple[bytes, Store]:
    return login_sessions.app_key(), app_store()  # fixed for the life of the server process


async def changes(request: Request) -> JSONResponse:
    key, store = _key_and_store()
    cookie = request.cookies.get(login_sessions.COOKIE_NAME)
    if not login_sessions.is_signed(key, cookie):
        return JSONResponse({"error": "Not logged in."}, status_code=401, headers=NO_STORE)
    channel_ids = _watched.get(digest(cookie))
    if channel_ids is None:
        return JSONResponse({"version": UNKNOWN}, headers=NO_STORE)
    version = store.version_seen_by(channel_ids)
    kept = _pulses.get((store.name, channel_ids), version)  # an idle tick: no thread, no read
    _, tail = kept or await asyncio.to_thread(_pulse, store, channel_ids)
    body = b'{"version":%d,' % version + tail
    return Response(body, media_type="application/json", headers=NO_STORE)


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
