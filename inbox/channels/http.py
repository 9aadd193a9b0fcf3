"""The generic HTTP channel (SPEC CH3), for a website widget or any other system.

In: the system posts a customer message as JSON to POST /api/channels/{id}/messages, proving
itself with the channel's secret in the X-Inbox-Secret header:

    {"user_id": "visitor-17", "name": "Maria", "message_id": "m-1", "text": "Hello"}

("automatic": true marks a message a program sent, which the channel's automatic answers skip.)

The same message_id twice is stored once. Bad input gets a 4xx that says what is wrong;
nothing is half-stored.

Out: each reply is posted as JSON to the channel's callback URL, signed with the same secret:

    X-Inbox-Timestamp: 1767225600
    X-Inbox-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>." + body, keyed with the secret>

    {"message_id": "42", "user_id": "visitor-17", "text": "Hello!",
     "reply_to": "m-1", "reply_to_text": "Do you ship to Porto?",
     "files": [{"name": "sizes.png", "type": "image/png", "kind": "photo", "size": 5120,
                "content_base64": "iVBORw0K..."}]}

A reply carries its files in the same post (at most 5, each at most 5 MB), so it arrives whole
or not at all. A 2xx answer means delivered (a JSON {"id": ...} in it is kept as the reply's id
there). The same message_id may come again after a Retry of a reply whose fate was unknown:
the receiver can use it to ignore a repeat.
"""

import asyncio
import base64
import hashlib
import hmac
import http.client
import json
import secrets
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, ValidationError, field_validator
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from inbox.channels.base import (
    MB,
    FileRules,
    Kind,
    Limits,
    PermanentFailure,
    Setting,
    TemporaryFailure,
    UncertainFailure,
    reply_timeout,
)
from inbox.errors import InvalidInput, NotFound, PermissionDenied
from inbox.models import InboundMessage, InboundResult, Outgoing
from inbox.services import inbound
from inbox.store import Store, app_store
from inbox.web import webhooks

NAME = "http"
CALLBACK_TIMEOUT_SECONDS = 10  # a channel's "timeout_seconds" setting overrides it
MAX_TEXT_LENGTH = 100_000  # a customer message
MAX_REPLY_LENGTH = 10_000
SENDS = FileRules(max_files=5, photo_bytes=5 * MB, file_bytes=5 * MB)


def receive_http_message(
    store: Store, channel_id: int, secret: str | None, message: InboundMessage
) -> InboundResult:
    channel, config = webhooks.channel_of_kind(store, channel_id, NAME, "No such HTTP channel.")
    expected = str(config.get("secret") or "")
    if not expected or not hmac.compare_digest(expected.encode(), (secret or "").encode()):
        raise PermissionDenied("Wrong or missing channel secret.")
    if not channel.enabled:
        raise PermissionDenied("This channel is disabled.")
    return inbound.receive_customer_message(store, message)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def _reason(status: int, body: bytes) -> str:
    said = body[:200].decode("utf-8", "replace").strip()
    return f"The callback answered {status}" + (f": {said}" if said else ".")


def send(outgoing: Outgoing) -> str | None:
    config = outgoing.channel_settings
    url, secret = config.get("callback_url"), str(config.get("secret") or "")
    if not url:
        raise PermanentFailure("This channel has no callback URL to send replies to.")
    body = json.dumps(
        {
            "message_id": str(outgoing.message_id),
            "user_id": outgoing.recipient,
            "text": outgoing.text,
            "reply_to": outgoing.reply_to_external_id,
            "reply_to_text": outgoing.reply_to_text,
            "files": [
                {
                    "name": each.file_name,
                    "type": each.mime_type,
                    "kind": each.kind.value,
                    "size": len(each.body),
                    "content_base64": base64.b64encode(each.body).decode(),
                }
                for each in outgoing.files
            ],
        }
    ).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Inbox-Timestamp": timestamp,
            "X-Inbox-Signature": signature(secret, timestamp, body),
        },
    )
    try:
        timeout = reply_timeout(config, CALLBACK_TIMEOUT_SECONDS)
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = response.read(10_000)
    except urllib.error.HTTPError as error:
        said = error.read(10_000)
        if error.code == 429 or error.code >= 500:
            retry_after = error.headers.get("Retry-After", "")
            wait = float(retry_after) if retry_after.isdigit() else None
            raise TemporaryFailure(_reason(error.code, said), wait) from error
        raise PermanentFailure(_reason(error.code, said)) from error
    except urllib.error.URLError as error:  # before the request was sent
        raise TemporaryFailure(f"The callback could not be reached: {error.reason}") from error
    except (TimeoutError, ConnectionError, http.client.HTTPException) as error:
        raise UncertainFailure(f"The callback did not answer: {error or 'timed out'}") from error
    try:
        return str(json.loads(answer)["id"])
    except (ValueError, KeyError, TypeError):
        return None


class HttpMessage(BaseModel):
    user_id: str = Field(min_length=1, max_length=200)
    name: str = Field(default="", max_length=500)
    handle: str | None = Field(default=None, max_length=200)
    message_id: str = Field(min_length=1, max_length=200)
    text: str = Field(max_length=MAX_TEXT_LENGTH)
    automatic: bool = False  # sent by a program: the channel's automatic answers skip it

    @field_validator("text")
    @classmethod
    def _not_blank(cls, text: str) -> str:
        if not text.strip():
            raise ValueError("a message needs some text")
        return text


async def receive(request: Request) -> JSONResponse:
    channel_id = webhooks.channel_id(request)
    if channel_id is None:
        return webhooks.error(404, "No such HTTP channel.")
    body = await request.body()  # bounded by the BodyLimit middleware
    try:
        payload = HttpMessage.model_validate_json(body)
    except ValidationError as error:
        first = error.errors()[0]
        if first["type"] == "json_invalid":  # broken, too deeply nested, not UTF-8
            return webhooks.error(400, f"The body must be JSON: {first['msg']}")
        where = ".".join(str(part) for part in first["loc"]) or "body"
        return webhooks.error(422, f"{where}: {first['msg']}")
    message = InboundMessage(
        channel_id=channel_id,
        external_user_id=payload.user_id,
        display_name=payload.name,
        handle=payload.handle,
        external_message_id=payload.message_id,
        text=payload.text,
        automatic=payload.automatic,
    )
    secret = request.headers.get("x-inbox-secret")
    try:
        result = await asyncio.to_thread(
            receive_http_message, app_store(), channel_id, secret, message
        )
    except (NotFound, PermissionDenied, InvalidInput) as error:
        return webhooks.refusal(error, invalid_status=422)
    return JSONResponse(
        {"chat_id": result.chat_id, "message_id": result.message_id, "created": result.created},
        status_code=201 if result.created else 200,
    )


def _clean_callback_url(url: Any) -> str | None:
    url = str(url or "").strip()
    parts = urlsplit(url)
    if url and (parts.scheme not in ("http", "https") or not parts.netloc):
        raise InvalidInput("The callback URL must start with https:// (or http://).")
    return url or None


def status(channel_id: int, config: dict[str, Any], problem: str | None) -> list[str]:
    return [f"Messages come to POST {webhooks.PREFIX}{channel_id}/messages"]


SETTINGS = (
    Setting("secret", "Secret", widget="generated", required=True,
            help="Whoever posts messages proves itself with it; replies are signed with it."),
    Setting("callback_url", "Callback URL for replies", max_length=2000,
            placeholder="https://your-site.example/inbox-replies", clean=_clean_callback_url),
)  # fmt: skip


KIND = Kind(
    name=NAME,
    label="Website widget (HTTP)",
    send=send,
    limits=Limits(text_length=MAX_REPLY_LENGTH, quotes=True, sends=SENDS),
    routes=[Route(f"{webhooks.PREFIX}{{channel_id}}/messages", receive, methods=["POST"])],
    start_settings=lambda: {"secret": secrets.token_urlsafe(24)},
    settings=SETTINGS,
    status=status,
)
