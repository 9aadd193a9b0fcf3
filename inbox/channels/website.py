"""The website chat widget (SPEC CH7): a shop pastes one script tag and its visitors chat with
the team from any page; replies reach the widget within a poll.

A visitor gets a token from the inbox the first time the widget opens: their id, signed with a
key only the inbox knows, so nobody can read or write another visitor's chat by guessing. The
widget posts the visitor's messages, asks for what is new every second or so, and says how far
the visitor has read (the managers see "✓✓ read"). Only the pages of the channel's allowed
origins may use it. A reply is delivered once it is stored: the widget pulls it.
"""

import asyncio
import hashlib
import hmac
import math
import secrets
import weakref
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from inbox.channels.base import MB, FileRules, Kind, Limits, Setting
from inbox.clock import utc_now
from inbox.errors import Busy, InvalidInput, NotFound, PermissionDenied
from inbox.models import (
    WEBSITE_VISITOR,
    Channel,
    DeliveryState,
    InboundMessage,
    InboundResult,
    Outgoing,
)
from inbox.rate_limit import RateLimit
from inbox.services import inbound
from inbox.settings import load_settings
from inbox.store import Store, app_secrets, app_store, channels, files, visitors
from inbox.web import webhooks

NAME = "website"
MAX_TEXT_LENGTH = 4000  # what a visitor may write at once, and what a reply may be
VISITOR_KEY = "website-visitor-key"
PAGE_SIZE = 100
SENDS = FileRules(max_files=10, photo_bytes=10 * MB, file_bytes=10 * MB)
UNAVAILABLE = "The chat is unavailable right now."


def _clean_origins(origins: list[str]) -> list[str]:
    cleaned = []
    for origin in origins:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
            raise InvalidInput(f"“{origin}” is not a site address such as https://shop.example.")
        cleaned.append(f"{parts.scheme}://{parts.netloc}".lower())
    return cleaned


SETTINGS = (
    Setting("origins", "Sites the widget may run on", widget="lines", max_length=2000,
            placeholder="https://shop.example", clean=_clean_origins,
            help="One address a line. Pages elsewhere cannot use the chat."),
    Setting("title", "Widget title", default="Chat with us", max_length=60),
    Setting("greeting", "Greeting", default="Hello! How can we help?", max_length=300),
)  # fmt: skip


_keys: "weakref.WeakKeyDictionary[Store, bytes]" = weakref.WeakKeyDictionary()
_chats: "weakref.WeakKeyDictionary[Store, dict[tuple[int, str], int]]" = weakref.WeakKeyDictionary()
KEPT_CHATS = 10_000  # visitors whose chat a server remembers, so an idle poll reads nothing


def _key(store: Store) -> bytes:
    """The key visitor tokens are signed with, the same on every server of the store."""
    if store not in _keys:
        with store.write(shown=False, news=False) as cur:
            made = secrets.token_bytes(32).hex()
            _keys[store] = bytes.fromhex(app_secrets.get_or_add(cur, VISITOR_KEY, made))
    return _keys[store]


def _chat_of(store: Store, channel_id: int, visitor_id: str) -> int | None:
    """The visitor's chat; once it exists it stays theirs, so it is remembered."""
    kept = _chats.setdefault(store, {})
    found = kept.get((channel_id, visitor_id))
    if found is None:
        with store.read() as cur:
            found = visitors.chat_of(cur, channel_id, visitor_id)
        if found is not None:
            if len(kept) >= KEPT_CHATS:
                kept.clear()
            kept[(channel_id, visitor_id)] = found
    return found


def _version(store: Store, chat_id: int) -> str:
    """Moves with every write to the chat; another server start never repeats one."""
    return f"{store.server_id}-{store.version_of_chat(chat_id)}"


def _signature(key: bytes, channel_id: int, visitor_id: str) -> str:
    mac = hmac.new(key, f"{channel_id}:{visitor_id}".encode(), hashlib.sha256)
    return mac.hexdigest()[:32]


def new_visitor(store: Store, channel_id: int) -> str:
    """A token for a new visitor of the channel."""
    visitor_id = secrets.token_urlsafe(12)
    return f"{visitor_id}.{_signature(_key(store), channel_id, visitor_id)}"


def visitor_of(store: Store, channel_id: int, token: str | None) -> str:
    """The visitor a token names, or PermissionDenied for a forged or foreign one."""
    visitor_id, _, signature = (token or "").partition(".")
    expected = _signature(_key(store), channel_id, visitor_id)
    if not visitor_id or not hmac.compare_digest(expected, signature):
        raise PermissionDenied("This visitor token is not valid here.")
    return visitor_id


_channels: "weakref.WeakKeyDictionary[Store, dict[int, tuple]]" = weakref.WeakKeyDictionary()


def _channel(store: Store, channel_id: int) -> tuple[Channel | None, dict | None]:
    """The channel and its settings, read again only after a write that may change them (a
    channel's settings and switch are writes that name no channel)."""
    kept = _channels.setdefault(store, {})
    version = store.version_for_everyone
    found = kept.get(channel_id)
    if found is None or found[0] != version:
        with store.read() as cur:
            channel = channels.get(cur, channel_id)
            config = channels.settings(cur, channel_id) if channel else None
        if len(kept) >= KEPT_CHATS:
            kept.clear()
        found = kept[channel_id] = (version, channel, config)
    return found[1], found[2]


def open_channel(
    store: Store, channel_id: int, origin: str | None, own_origins: tuple[str, ...] = ()
) -> tuple[Channel, dict]:
    """The widget's channel and settings, for a page of one of its allowed origins or of the
    inbox itself (`own_origins`: the demo shop)."""
    channel, config = _channel(store, channel_id)
    if channel is None or channel.kind != NAME or config is None:
        raise NotFound("No such website chat.")
    origin = (origin or "").lower()
    if not origin or (origin not in config.get("origins", []) and origin not in own_origins):
        raise PermissionDenied("This site may not use the chat.")
    if not channel.enabled:
        raise PermissionDenied(UNAVAILABLE)
    return channel, config


class VisitorFile(BaseModel):
    id: int
    kind: str  # "photo" is shown as a picture; anything else is a download
    name: str
    type: str
    size: int


class VisitorMessage(BaseModel):
    id: int
    mine: bool  # the visitor wrote it
    author: str  # the manager's first name; "" for the visitor's own
    text: str
    at: datetime
    files: list[VisitorFile] = []


class VisitorConversation(BaseModel):
    messages: list[VisitorMessage]
    next_after: int  # ask for what comes after this next time
    read_up_to: int
    version: str | None  # None: the visitor has not written yet; there is nothing to poll
    unchanged: bool = False  # nothing moved since the version the widget had: nothing read


def conversation(
    store: Store, channel_id: int, visitor_id: str, after: int, seen: str | None = None
) -> VisitorConversation:
    """The visitor's messages and the replies on their way, after message `after`. A reply not
    yet on its way keeps `next_after` before it, so it is not skipped once it is. When the
    chat has not moved since the version `seen`, nothing is read."""
    chat_id = _chat_of(store, channel_id, visitor_id)
    if chat_id is None:
        return VisitorConversation(messages=[], next_after=after, read_up_to=0, version=None)
    version = _version(store, chat_id)
    if seen == version:
        return VisitorConversation(
            messages=[], next_after=after, read_up_to=0, version=version, unchanged=True
        )
    with store.read() as cur:
        rows = visitors.conversation(cur, chat_id, after, PAGE_SIZE)
        read = visitors.read_up_to(cur, chat_id)
        attached = files.of_messages(cur, [row["id"] for row in rows])
    shown, next_after, waiting = [], after, False
    for row in rows:
        mine = row["kind"] == "customer"
        if row["state"] in (DeliveryState.PENDING, DeliveryState.SENDING):
            waiting = True  # asked for again from here until it is on its way
            continue
        # Stored is delivered: a reply whose sending a crash cut short is shown too.
        author = "" if mine else (row["author_name"] or "").split(" ")[0]
        sent = [
            VisitorFile(id=f.id, kind=f.kind.value, name=f.file_name or "file",
                        type=f.mime_type or "", size=f.size_bytes or 0)
            for f in attached.get(row["id"], [])
        ]  # fmt: skip
        shown.append(VisitorMessage(id=row["id"], mine=mine, author=author, text=row["text"],
                                    at=row["created_at"], files=sent))  # fmt: skip
        if not waiting:
            next_after = row["id"]
    return VisitorConversation(
        messages=shown, next_after=next_after, read_up_to=read, version=version
    )


def visitor_file(
    store: Store, channel_id: int, visitor_id: str, file_id: int
) -> tuple[VisitorFile, bytes]:
    """A file of a reply the visitor has been shown, with its bytes; NotFound alike for any
    other file, of another chat or of a reply not on its way yet."""
    chat_id = _chat_of(store, channel_id, visitor_id)
    with store.read() as cur:
        found = visitors.file_of(cur, chat_id, file_id) if chat_id is not None else None
    if found is None:
        raise NotFound("No such file.")
    file_id, kind, name, mime, body = found
    shown = VisitorFile(id=file_id, kind=kind, name=name or "file", type=mime or "", size=len(body))
    return shown, body


def write(
    store: Store, channel_id: int, visitor_id: str, text: str, client_id: str,
    name: str = "", page_url: str | None = None, page_title: str = "",
) -> InboundResult:  # fmt: skip
    """The visitor's message, stored once for its `client_id` (the widget retries with it)."""
    if not text.strip():
        raise InvalidInput("A message needs some text.")
    if len(text) > MAX_TEXT_LENGTH:
        raise InvalidInput(f"A message is at most {MAX_TEXT_LENGTH} characters.")
    return inbound.receive_customer_message(store, InboundMessage(
        channel_id=channel_id, external_user_id=visitor_id,
        display_name=name.strip()[:100] or WEBSITE_VISITOR, external_message_id=client_id,
        text=text, page_url=page_url, page_title=page_title,
    ))  # fmt: skip


def mark_read(store: Store, channel_id: int, visitor_id: str, up_to: int) -> bool:
    """The visitor has seen their chat up to message `up_to` (only their own chat's)."""
    chat_id = _chat_of(store, channel_id, visitor_id)
    if chat_id is None:
        return False
    with store.read() as cur:
        if up_to <= visitors.read_up_to(cur, chat_id):
            return False
    with store.write() as cur:
        store.touch(channel_id, chat_id)
        last = cur.execute("SELECT max(id) FROM messages WHERE chat_id = ?", [chat_id]).fetchone()
        return visitors.mark_read(cur, chat_id, min(up_to, last[0] or 0), utc_now())


# --- the widget's routes: JSON, CORS for the channel's allowed origins only ------------------


class WidgetMessage(BaseModel):
    text: str = Field(max_length=MAX_TEXT_LENGTH)
    client_id: str = Field(min_length=1, max_length=100)
    name: str = Field(default="", max_length=100)
    page_url: str | None = Field(default=None, max_length=2000)
    page_title: str = Field(default="", max_length=500)


class ReadMark(BaseModel):
    up_to: int = Field(ge=0)


def _cors(origin: str) -> dict[str, str]:
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Headers": "Authorization, Content-Type",
        "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
        "Access-Control-Max-Age": "600",
        "Vary": "Origin",
    }


def _token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token if scheme.lower() == "bearer" else None


NEW_VISITORS = RateLimit(per_minute=10, burst=10)  # per address: a page load makes one at most
VISITOR_MESSAGES = RateLimit(per_minute=20, burst=10)  # per visitor
TOO_OFTEN = "Too many messages at once: please wait a moment."


def _limited(limit: RateLimit, key: str, headers: dict[str, str]) -> Response | None:
    wait = limit.take(key)
    if not wait:
        return None
    headers = {**headers, "Retry-After": str(math.ceil(wait))}
    return JSONResponse({"error": TOO_OFTEN}, status_code=429, headers=headers)


def _by_address(request: Request, channel_id: int) -> str:
    return request.client.host if request.client else ""


def _by_visitor(request: Request, channel_id: int) -> str:
    return f"{channel_id}:{_token(request)}"


def own_origins(request: Request) -> tuple[str, ...]:
    """The inbox's own address as the browser sees it: as reached, and as published."""
    reached = f"{request.url.scheme}://{request.headers.get('host', '')}".lower()
    public = urlsplit(load_settings().public_url or "")
    return (reached, f"{public.scheme}://{public.netloc}".lower()) if public.netloc else (reached,)


def _same_origin(request: Request, own: tuple[str, ...]) -> str:
    """A browser sends no Origin with a GET from a page of the same site; it says so in
    Sec-Fetch-Site instead."""
    return own[0] if request.headers.get("sec-fetch-site") == "same-origin" else ""


def _route(
    handle: Callable[[Request, Store, int], Awaitable[dict]],
    status: int = 200,
    limit: RateLimit | None = None,
    key: Callable[[Request, int], str] = _by_visitor,
):
    """A widget route: the channel opened for the page's origin, posts within `limit` for
    their `key`, the work done off the event loop, refusals as JSON with the reason, and CORS
    headers for an allowed origin only."""

    async def route(request: Request) -> Response:
        own = own_origins(request)
        origin = request.headers.get("origin") or _same_origin(request, own)
        channel_id = webhooks.channel_id(request)
        if channel_id is None:
            return webhooks.error(404, "No such website chat.")
        store = app_store()
        try:
            await asyncio.to_thread(open_channel, store, channel_id, origin, own)
        except NotFound as error:
            return webhooks.error(404, str(error))
        except PermissionDenied as error:
            return webhooks.error(403, str(error))
        headers = _cors(origin)
        if request.method == "OPTIONS":
            return Response(status_code=204, headers=headers)
        if request.method == "POST" and limit is not None:
            refused = _limited(limit, key(request, channel_id), headers)
            if refused is not None:
                return refused
        try:
            found = await handle(request, store, channel_id)
        except PermissionDenied as error:
            return JSONResponse({"error": str(error)}, status_code=401, headers=headers)
        except NotFound as error:
            return JSONResponse({"error": str(error)}, status_code=404, headers=headers)
        except (InvalidInput, ValidationError, ValueError) as error:
            said = error.errors()[0]["msg"] if isinstance(error, ValidationError) else str(error)
            return JSONResponse({"error": said}, status_code=422, headers=headers)
        except Busy as error:
            return JSONResponse({"error": str(error)}, status_code=503, headers=headers)
        if isinstance(found, Response):  # a file
            found.headers.update(headers)
            return found
        return JSONResponse(found, status_code=status, headers=headers)

    return route


def _visitor_and_widget(store: Store, channel_id: int) -> dict[str, Any]:
    config = _channel(store, channel_id)[1] or {}
    return {"token": new_visitor(store, channel_id), "title": config.get("title") or "",
            "greeting": config.get("greeting") or ""}  # fmt: skip


async def _new_visitor(request: Request, store: Store, channel_id: int) -> dict[str, Any]:
    return await asyncio.to_thread(_visitor_and_widget, store, channel_id)


async def _messages(request: Request, store: Store, channel_id: int) -> dict[str, Any]:
    visitor = await asyncio.to_thread(visitor_of, store, channel_id, _token(request))
    if request.method == "POST":
        body = WidgetMessage.model_validate_json(await request.body())
        result = await asyncio.to_thread(
            write, store, channel_id, visitor, body.text, body.client_id, body.name,
            body.page_url, body.page_title,
        )  # fmt: skip
        return {"message_id": result.message_id, "created": result.created}
    after = int(request.query_params.get("after") or 0)
    seen = request.query_params.get("seen")
    found = await asyncio.to_thread(conversation, store, channel_id, visitor, after, seen)
    return found.model_dump(mode="json")


# Pictures the widget shows; anything else is handed over as a download, never as a page.
SHOWN_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})


async def _file(request: Request, store: Store, channel_id: int) -> Response:
    visitor = await asyncio.to_thread(visitor_of, store, channel_id, _token(request))
    try:
        file_id = int(request.path_params["file_id"])
    except ValueError:
        raise NotFound("No such file.") from None
    found, body = await asyncio.to_thread(visitor_file, store, channel_id, visitor, file_id)
    shown = found.type if found.type in SHOWN_TYPES and found.kind == "photo" else None
    headers = {"Cache-Control": "private, max-age=86400", "X-Content-Type-Options": "nosniff"}
    if shown is None:
        headers |= webhooks.download(found.name)
    return Response(body, media_type=shown or "application/octet-stream", headers=headers)


async def _read(request: Request, store: Store, channel_id: int) -> dict[str, Any]:
    visitor = await asyncio.to_thread(visitor_of, store, channel_id, _token(request))
    mark = ReadMark.model_validate_json(await request.body())
    moved = await asyncio.to_thread(mark_read, store, channel_id, visitor, mark.up_to)
    return {"moved": moved}


SCRIPT = (Path(__file__).parent / "widget.js").read_bytes()


async def _script(request: Request) -> Response:
    """The widget itself: the same file for every channel; it reads its channel from its own
    address. A page loads it with a plain script tag, so no origin is checked here."""
    return Response(SCRIPT, media_type="text/javascript; charset=utf-8",
                    headers={"Cache-Control": "public, max-age=300"})  # fmt: skip


WIDGET = f"{webhooks.PREFIX}{{channel_id}}/widget"
ROUTES = [
    Route(f"{WIDGET}.js", _script, methods=["GET"]),
    Route(
        f"{WIDGET}/visitor",
        _route(_new_visitor, 201, NEW_VISITORS, _by_address),
        methods=["POST", "OPTIONS"],
    ),
    Route(
        f"{WIDGET}/messages",
        _route(_messages, limit=VISITOR_MESSAGES),
        methods=["GET", "POST", "OPTIONS"],
    ),
    Route(f"{WIDGET}/read", _route(_read), methods=["POST", "OPTIONS"]),
    Route(f"{WIDGET}/files/{{file_id}}", _route(_file), methods=["GET", "OPTIONS"]),
]


def send(outgoing: Outgoing) -> str | None:
    """Stored is delivered: the widget pulls the reply at its next poll."""
    return str(outgoing.message_id)


def status(channel_id: int, config: dict[str, Any], problem: str | None) -> list[str]:
    public_url = (load_settings().public_url or "").rstrip("/")
    tag = f'<script src="{public_url or "INBOX"}{WIDGET.format(channel_id=channel_id)}.js" async>'
    where = "" if public_url else ", with INBOX the inbox's address"
    lines = [f"Paste on the shop's pages{where}: {tag}</script>"]
    if not config.get("origins"):
        return [*lines, "Not on any site yet: add the sites the widget may run on."]
    return [*lines, f"Runs on {', '.join(config['origins'])}"]


KIND = Kind(
    name=NAME,
    label="Website chat widget",
    send=send,
    limits=Limits(text_length=MAX_TEXT_LENGTH, sends=SENDS),
    start_settings=lambda: {
        "origins": [],
        "title": "Chat with us",
        "greeting": "Hello! How can we help?",
    },  # fmt: skip
    routes=ROUTES,
    settings=SETTINGS,
    status=status,
)
