"""Viber bots through Viber's REST bot API (SPEC CH1, CH8).

In: Viber posts each event to /api/channels/{id}/viber, signed in X-Viber-Content-Signature (the
HMAC-SHA256 of the body, in hex, keyed with the bot's token). A customer's message is stored once
by its message_token, as Viber posts an event again until it gets a 200; delivered and seen
move our replies' ✓✓, failed makes one not delivered with Viber's reason. Pictures, videos,
files and stickers come as addresses that expire, so the file is kept when it arrives; the
sender's avatar becomes the new lead's photo.

Out: POST /pa/send_message with the token in X-Viber-Auth-Token, answered with a status (0 is
ok) and the message's token. Viber has no reply window for a customer who wrote; once they
unsubscribe from the bot, replies are refused before sending until they write again. The
channel's greeting answers conversation_started (a customer opening the chat), as Viber allows.

Pasting the token asks Viber for the bot (get_account_info) and sets the webhook (set_webhook)
to the inbox's own address, so INBOX_PUBLIC_URL must be set (Viber takes HTTPS only).
INBOX_VIBER_API_URL moves the API's address (the tests use a stand-in).
"""

import asyncio
import hashlib
import hmac
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import TypeAdapter, ValidationError
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
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
from inbox.channels.download import fetch_bounded
from inbox.clock import utc_now
from inbox.errors import Busy, InvalidInput, NotFound, PermissionDenied
from inbox.models import (
    FileKind,
    InboundFile,
    InboundMessage,
    InboundStatus,
    InboundSubscription,
    Outgoing,
    OutgoingFile,
)
from inbox.services import channel_files, inbound
from inbox.settings import load_settings
from inbox.store import Store, app_store, channels, files
from inbox.web import webhooks

log = logging.getLogger(__name__)

NAME = "viber"
API_URL = "https://chatapi.viber.com"
TOKEN = "auth_token"  # the setting
SEND_TIMEOUT_SECONDS = 15
FILE_TIMEOUT_SECONDS = 30
MAX_FILE_BYTES = 50 * 1024 * 1024  # the largest file Viber carries
CAPTION_LENGTH = 120  # a picture's text
FILE_NAME_LENGTH = 256
FILE_LINK_LIFETIME = timedelta(days=1)
# Viber's REST API: pictures (JPEG, PNG, GIF) up to 1 MB; files up to 50 MB, but for the kinds
# it refuses to carry (programs and scripts).
PROGRAMS = frozenset({
    "exe", "bat", "cmd", "com", "msi", "vbs", "js", "jar", "apk", "scr", "pif", "ps1", "sh",
})  # fmt: skip
SENDS = FileRules(max_files=10, photo_bytes=1 * MB, file_bytes=50 * MB, refused_extensions=PROGRAMS)
RATE_LIMIT_WAIT_SECONDS = 60.0
EVENTS = ["delivered", "seen", "failed", "subscribed", "unsubscribed", "conversation_started"]
MEDIA = {"picture": FileKind.PHOTO, "video": FileKind.VIDEO, "file": FileKind.DOCUMENT,
         "sticker": FileKind.STICKER}  # fmt: skip
POST = TypeAdapter(dict[str, Any])

# Viber's statuses (developers.viber.com, REST bot API, "Error codes"): what a manager is told.
REFUSED = {
    2: "the bot's token is no longer valid: an administrator pastes it again",
    3: "Viber could not read the message",
    4: "the message lacked something Viber needs",
    5: "the customer is no longer on Viber",
    6: "the customer has unsubscribed from the bot: Viber delivers nothing until they write again",
    7: "the bot is blocked",
    8: "Viber knows no such bot",
    9: "the bot is suspended",
    10: "the bot's webhook is not set: an administrator pastes the token again",
    11: "the customer has no device that can show it",
    13: "the customer's Viber is too old for it",
}
TOO_MANY_REQUESTS = 12


def _base(config: dict[str, Any]) -> str:
    url = config.get("api_url") or os.environ.get("INBOX_VIBER_API_URL") or API_URL
    return str(url).rstrip("/")


def call(config: dict[str, Any], method: str, body: dict, timeout: float, token: str = "") -> dict:
    """One call of the bot API; Viber answers HTTP 200 with a status, 0 being ok. Its failures
    as TemporaryFailure, UncertainFailure (sent, no answer) or PermanentFailure."""
    token = token or str(config.get(TOKEN) or "")
    if not token:
        raise PermanentFailure("This channel has no bot token: an administrator sets it.")
    try:
        response = httpx.post(
            f"{_base(config)}/pa/{method}", json=body, timeout=timeout,
            headers={"X-Viber-Auth-Token": token},
        )  # fmt: skip
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as error:
        raise TemporaryFailure(f"Viber could not be reached: {error}") from error
    except httpx.HTTPError as error:
        raise UncertainFailure(f"Viber did not answer: {error or 'timed out'}") from error
    if response.status_code >= 500 or response.status_code == 429:
        raise TemporaryFailure(f"Viber answered HTTP {response.status_code}")
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise PermanentFailure(f"Viber answered HTTP {response.status_code} without a status")
    code = answer.get("status")
    if code == 0:
        return answer
    said = str(answer.get("status_message") or "")[:200]
    if code == TOO_MANY_REQUESTS:
        raise TemporaryFailure(f"Viber: too many requests ({said})", RATE_LIMIT_WAIT_SECONDS)
    meaning = REFUSED.get(code) if isinstance(code, int) else None
    if meaning is None and isinstance(code, int) and code > 13:
        raise TemporaryFailure(f"Viber: {said or 'general error'} (status {code})")
    raise PermanentFailure(f"Viber: {meaning or said} ({said or 'status'} {code})")


def send(outgoing: Outgoing) -> str | None:
    """The text, then each file as a picture or a file message. Viber fetches a file from the
    address it is given: ours, signed for this file and for a day (`file_address`)."""
    config = outgoing.channel_settings
    body = {"receiver": outgoing.recipient, "min_api_version": 1,
            "sender": {"name": sender_name(config)}}  # fmt: skip
    timeout = reply_timeout(config, SEND_TIMEOUT_SECONDS)

    def message(content: dict[str, Any]) -> str | None:
        answer = call(config, "send_message", {**body, **content}, timeout)
        token = answer.get("message_token")
        return str(token) if token is not None else None

    text = outgoing.text
    pictures_first = outgoing.files and outgoing.files[0].kind == FileKind.PHOTO
    caption = text if pictures_first and len(text) <= CAPTION_LENGTH else ""
    parts = []
    if text and not caption:
        parts.append(lambda: message({"type": "text", "text": text}))
    public_url = load_settings().public_url if outgoing.files else ""
    if outgoing.files and not public_url:
        raise PermanentFailure(
            "Viber fetches a reply's files from the inbox's public address: set "
            "INBOX_PUBLIC_URL to send them."
        )
    for index, each in enumerate(outgoing.files):
        media = file_address(public_url, outgoing.channel_id, config, each, utc_now())
        if each.kind == FileKind.PHOTO:
            content = {"type": "picture", "media": media, "text": caption if index == 0 else ""}
        else:
            content = {"type": "file", "media": media, "size": len(each.body),
                       "file_name": each.file_name[:FILE_NAME_LENGTH]}  # fmt: skip
        parts.append(lambda c=content: message(c))
    return outgoing.send_parts(parts)


def _file_signature(config: dict[str, Any], channel_id: int, file_id: int, until: int) -> str:
    key = str(config.get(TOKEN) or "").encode()
    return hmac.new(key, f"{channel_id}.{file_id}.{until}".encode(), hashlib.sha256).hexdigest()


def file_address(public_url: str, channel_id: int, config: dict[str, Any], each: OutgoingFile,
                 now: datetime) -> str:  # fmt: skip
    """Where Viber fetches a reply's file: signed with the bot's token, for a day. Its last
    segment is the file's name (a picture's must end in .jpeg, .png or .gif, Viber says)."""
    until = int((now + FILE_LINK_LIFETIME).replace(tzinfo=UTC).timestamp())
    signed = _file_signature(config, channel_id, each.id, until)
    if each.kind == FileKind.PHOTO:
        name = f"picture.{each.mime_type.removeprefix('image/')}"
    else:
        name = quote(each.file_name, safe="")
    return (f"{public_url.rstrip('/')}{webhook_path(channel_id)}/files/{each.id}/{name}"
            f"?until={until}&sig={signed}")  # fmt: skip


def reply_file(store: Store, channel_id: int, file_id: int, until: str, sig: str, now: datetime):
    """A reply's file for Viber, by a signed address that has not expired; NotFound alike for
    anything else."""
    with store.read() as cur:
        config = channels.settings(cur, channel_id) or {}
        kind = channels.get(cur, channel_id)
        found = files.of_a_reply(cur, channel_id, file_id)
    fresh = until.isdigit() and int(until) >= int(now.replace(tzinfo=UTC).timestamp())
    genuine = fresh and config.get(TOKEN) and hmac.compare_digest(
        _file_signature(config, channel_id, file_id, int(until)).encode(), sig.encode()
    )  # fmt: skip
    if found is None or kind is None or kind.kind != NAME or not genuine:
        raise NotFound("No such file.")
    return found


async def serve_reply_file(request: Request) -> Response:
    channel_id = webhooks.channel_id(request)
    try:
        file_id = int(request.path_params["file_id"])
        if channel_id is None:
            raise NotFound("No such file.")
        name, mime, body = await asyncio.to_thread(
            reply_file, app_store(), channel_id, file_id,
            request.query_params.get("until", ""), request.query_params.get("sig", ""),
            utc_now(),
        )  # fmt: skip
    except (ValueError, NotFound):
        return webhooks.error(404, "No such file.")
    headers = {**webhooks.download(name), "Cache-Control": "private, max-age=3600"}
    return Response(body, media_type=mime or "application/octet-stream", headers=headers)


def fetch_file(config: dict[str, Any], address: str) -> bytes:
    """A customer's file by the address Viber gave (it needs no token, and it expires)."""
    if not address.startswith(("http://", "https://")):
        raise PermanentFailure("This file has no address to fetch it from.")
    return fetch_bounded(address, "Viber", MAX_FILE_BYTES, FILE_TIMEOUT_SECONDS)


def signature(token: str, body: bytes) -> str:
    return hmac.new(token.encode(), body, hashlib.sha256).hexdigest()


def _text_of(kind: str, message: dict) -> str | None:
    if kind == "text":
        text = message["text"]
        if not isinstance(text, str):
            raise ValueError("a text that is not a string")
        return text
    if kind == "location":
        place = message["location"]
        where = str(place.get("address") or "").strip()
        at = f"{place.get('lat')}, {place.get('lon')}"
        return f"📍 Location: {where} ({at})" if where else f"📍 Location: {at}"
    if kind == "contact":
        person = message["contact"]
        said = " ".join(str(person.get(k) or "") for k in ("name", "phone_number")).strip()
        return f"👤 Contact: {said}"
    if kind == "url":
        return str(message["media"])
    return None


def _message(channel_id: int, event: dict) -> InboundMessage | None:
    sender, message = event["sender"], event["message"]
    kind = str(message.get("type") or "")
    text, attachments = _text_of(kind, message), []
    if text is None and kind in MEDIA:
        attachments = [
            InboundFile(
                kind=MEDIA[kind],
                external_file_id=str(message["media"]),
                file_name=str(message["file_name"])[:500] if message.get("file_name") else None,
                size_bytes=message["size"] if isinstance(message.get("size"), int) else None,
                mime_type="image/jpeg" if kind == "picture" else None,
            )
        ]
        text = str(message.get("text") or "")
    if text is None:
        return None
    return InboundMessage(
        channel_id=channel_id, external_user_id=str(sender["id"]),
        display_name=str(sender.get("name") or "")[:500],
        external_message_id=str(event["message_token"]), text=text, attachments=attachments,
    )  # fmt: skip


def _status(channel_id: int, event: dict) -> InboundStatus:
    state = {"delivered": "delivered", "seen": "read", "failed": "failed"}[event["event"]]
    said = str(event.get("desc") or "not delivered")[:900]
    reason = f"Viber: {said}" if state == "failed" else ""
    return InboundStatus(
        channel_id=channel_id, external_user_id=str(event["user_id"]),
        external_message_id=str(event["message_token"]), status=state, reason=reason,
    )  # fmt: skip


def events(channel_id: int, event: dict) -> list:
    """What one callback carries that the inbox takes: a message, what became of a reply, or
    the customer leaving the bot or coming back. The others (conversation_started, webhook) are
    acknowledged and logged."""
    kind = event.get("event")
    try:
        if kind == "message":
            found = _message(channel_id, event)
        elif kind in ("delivered", "seen", "failed"):
            found = _status(channel_id, event)
        elif kind == "unsubscribed":
            found = InboundSubscription(
                channel_id=channel_id, external_user_id=str(event["user_id"]), subscribed=False
            )
        elif kind == "subscribed":
            found = InboundSubscription(
                channel_id=channel_id, external_user_id=str(event["user"]["id"]), subscribed=True
            )
        else:
            found = None
    except (ValidationError, TypeError, ValueError, AttributeError, KeyError) as error:
        raise InvalidInput(f"The {str(kind)[:40]} event is not one Viber sends: {error}") from error
    if found is None:
        log.info("Viber channel %s: event not taken: %.60s", channel_id, kind)
        return []
    return [found]


@dataclass
class Received:
    """A callback stored: what is left to do after answering Viber."""

    stored: inbound.PostStored
    avatar: str  # the address of the sender's photo, if Viber gave one
    answer: dict  # what Viber is answered: the greeting, to one who opened the chat


def receive(store: Store, channel_id: int, signed: str | None, body: bytes) -> Received | None:
    """A callback: checked against the bot's token, then stored. Viber's own check of a new
    webhook ("webhook") comes before the token is kept, so it is taken unsigned: it carries
    nothing and stores nothing (None)."""
    channel, config = webhooks.channel_of_kind(store, channel_id, NAME, "No such Viber channel.")
    try:
        event = POST.validate_json(body)
    except ValidationError as error:
        raise InvalidInput(f"The body must be a JSON object: {error.errors()[0]['msg']}") from error
    if event.get("event") == "webhook":
        return None
    token = str(config.get(TOKEN) or "")
    if not token or not hmac.compare_digest(
        signature(token, body).encode(), (signed or "").encode()
    ):
        raise PermissionDenied("Wrong or missing X-Viber-Content-Signature.")
    if not channel.enabled:
        raise PermissionDenied("This channel is disabled.")
    stored = inbound.receive_post(store, events(channel_id, event))
    sender = event.get("sender") if isinstance(event.get("sender"), dict) else {}
    avatar = sender.get("avatar") if isinstance(sender.get("avatar"), str) else ""
    return Received(
        stored,
        avatar,
        _greeting(config) if event.get("event") == "conversation_started" else {"status": 0},
    )


def _greeting(config: dict[str, Any]) -> dict:
    """Viber shows a welcome message given in the answer to conversation_started."""
    text = str(config.get("greeting") or "").strip()
    if not text:
        return {"status": 0}
    return {"sender": {"name": sender_name(config)}, "type": "text", "text": text[:7000]}


def sender_name(config: dict[str, Any]) -> str:
    return str(config.get("sender_name") or config.get("account_name") or "Shop")[:28]


def follow_up(store: Store, channel_id: int, received: Received) -> None:
    """Keep the files while their addresses work, and a new lead's avatar as their photo (a
    callback carries one event: one sender)."""
    channel_files.keep_new(store, channel_id, received.stored.file_ids)
    for contact_id, _ in received.stored.new_leads:
        if received.avatar.startswith(("http://", "https://")):
            photo_id = inbound.set_lead_profile(store, channel_id, contact_id, "", received.avatar)
            if photo_id is not None:
                channel_files.keep_new(store, channel_id, [photo_id])


async def webhook(request: Request) -> Response:
    channel_id = webhooks.channel_id(request)
    if channel_id is None:
        return webhooks.error(404, "No such Viber channel.")
    store = app_store()
    try:
        body = await request.body()  # bounded by the BodyLimit middleware
        signed = request.headers.get("x-viber-content-signature")
        received = await asyncio.to_thread(receive, store, channel_id, signed, body)
    except (NotFound, PermissionDenied, InvalidInput, Busy) as error:
        return webhooks.refusal(error)
    if received is None:
        return JSONResponse({"status": 0})
    task = BackgroundTask(follow_up, store, channel_id, received)
    return JSONResponse(received.answer, background=task)


def webhook_path(channel_id: int | str) -> str:
    return f"{webhooks.PREFIX}{channel_id}/{NAME}"


def _clean_token(token: Any) -> str:
    token = str(token or "").strip()
    if len(token) < 20 or len(token) > 200 or any(c.isspace() for c in token):
        raise InvalidInput("That does not look like a Viber bot token (Edit info → Your app key).")
    return token


def _connect(channel_id: int, config: dict[str, Any], token: str) -> dict:
    """A token is kept once Viber knows the bot and has taken the inbox's address for it."""
    public_url = load_settings().public_url
    if not public_url:
        raise InvalidInput(
            "Viber posts to the inbox's public address: set INBOX_PUBLIC_URL (HTTPS), restart "
            "the server, then paste the token again."
        )
    address = f"{public_url.rstrip('/')}{webhook_path(channel_id)}"
    try:
        bot = call(config, "get_account_info", {}, SEND_TIMEOUT_SECONDS, token=token)
        hook = {"url": address, "event_types": EVENTS, "send_name": True, "send_photo": True}
        call(config, "set_webhook", hook, SEND_TIMEOUT_SECONDS, token=token)
    except (TemporaryFailure, PermanentFailure) as failure:
        raise InvalidInput(f"Viber did not accept this: {failure}") from failure
    return {TOKEN: token, "account_name": str(bot.get("name") or "")[:200],
            "account_uri": str(bot.get("uri") or "")[:200], "webhook_url": address}  # fmt: skip


def status(channel_id: int, config: dict[str, Any], problem: str | None) -> list[str]:
    lines = []
    if config.get("account_name") and not problem:
        uri = config.get("account_uri")
        lines.append(f"Connected as {config['account_name']}" + (f" ({uri})" if uri else ""))
        lines.append(f"Webhook set to {config.get('webhook_url')}")
    elif not config.get(TOKEN):
        lines.append("Not connected: paste the bot's token; the inbox sets Viber's webhook.")
    return lines


SETTINGS = (
    Setting(TOKEN, "Bot token", widget="secret", required=True,
            placeholder="4453b6ac12345678-… (Edit info → Your app key)", clean=_clean_token,
            prepare=_connect,
            help="The inbox asks Viber for the bot and sets its webhook to this server."),
    Setting("sender_name", "Name replies are sent as", max_length=28,
            placeholder="the bot's name", help="Viber shows it above each reply (28 characters)."),
    Setting("greeting", "Greeting", max_length=1000,
            placeholder="Hello! Ask us anything about our knitwear.",
            help="Viber shows it to a customer who opens the chat with the bot, before they "
                 "write. Empty: none."),
)  # fmt: skip

KIND = Kind(
    name=NAME,
    label="Viber",
    send=send,
    limits=Limits(text_length=7000, file_bytes=MAX_FILE_BYTES, sends=SENDS),
    routes=[
        Route(webhook_path("{channel_id}"), webhook, methods=["POST"]),
        Route(
            f"{webhook_path('{channel_id}')}/files/{{file_id}}/{{name}}",
            serve_reply_file,
            methods=["GET"],
        ),
    ],  # fmt: skip
    fetch_file=fetch_file,
    settings=SETTINGS,
    status=status,
    app="Viber",
    keeps_files=True,
)
