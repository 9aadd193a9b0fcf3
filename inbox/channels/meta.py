"""Facebook Messenger and Instagram Direct (SPEC CH1, CH8), both through Meta's Messenger
Platform: one module, two kinds that differ in a few facts (`Platform`).

In: Meta posts webhook events to /api/channels/{id}/messenger (or /instagram). The address is
first verified with a GET carrying hub.mode=subscribe, the channel's verify token and a
challenge we echo back. Every POST is signed: X-Hub-Signature-256 is "sha256=" and the hex
HMAC-SHA256 of the raw body keyed with the app secret; one without a right signature is refused
(403) and nothing is stored. One post may carry many entries of many events: they are stored in
one transaction, each message once by its mid, so Meta's retry of a post stores nothing new.
Events we do not take (reactions, postbacks, …) are acknowledged and logged.

After answering Meta, the server keeps the files the messages carry (their addresses expire)
and looks up a new lead's name and photo, once.

Out: POST /{version}/me/messages with the page access token as a Bearer token. Meta takes a
reply within 24 hours of the customer's last message; with the human agent tag (a page setting,
for pages Meta gave that permission) within 7 days. INBOX_META_API_URL moves the Graph API
address, so tests talk to a stand-in.
"""

import asyncio
import hashlib
import hmac
import json
import logging
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import httpx
from pydantic import TypeAdapter, ValidationError
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
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
from inbox.models import FileKind, InboundEcho, InboundFile, InboundMessage, InboundRead, Outgoing
from inbox.services import channel_files, inbound
from inbox.settings import load_settings
from inbox.store import Store, app_store
from inbox.web import webhooks

log = logging.getLogger(__name__)

API_URL = "https://graph.facebook.com"
VERSION = "v23.0"
SEND_TIMEOUT_SECONDS = 15  # a channel's "timeout_seconds" setting overrides it for replies
FILE_TIMEOUT_SECONDS = 30
MAX_FILE_BYTES = 25 * 1024 * 1024  # the largest attachment Meta takes
MAX_CHALLENGE_LENGTH = 200
WINDOW = timedelta(hours=24)
HUMAN_AGENT_WINDOW = timedelta(days=7)
# Graph API error codes of its rate limits (WhatsApp's: throughput, per customer, per account)
RATE_LIMITED = {4, 17, 32, 613, 130429, 131056, 80007}
RATE_LIMIT_WAIT_SECONDS = 60.0
# "Unknown error", "service temporarily unavailable" (and WhatsApp's): try again
UNAVAILABLE = {1, 2, 131000, 131016, 133004}
OURS = "inbox:"  # the metadata of a reply the inbox sent, which Messenger echoes back
FILES = {"image": FileKind.PHOTO, "video": FileKind.VIDEO, "audio": FileKind.AUDIO,
         "file": FileKind.DOCUMENT}  # fmt: skip
MIME = {FileKind.PHOTO: "image/jpeg", FileKind.VIDEO: "video/mp4", FileKind.AUDIO: "audio/mpeg"}
BY_EXTENSION = {"png": "image/png", "gif": "image/gif", "webp": "image/webp", "jpg": "image/jpeg",
                "jpeg": "image/jpeg", "mp4": "video/mp4", "mov": "video/quicktime",
                "mp3": "audio/mpeg", "m4a": "audio/mp4", "aac": "audio/aac", "ogg": "audio/ogg",
                "wav": "audio/wav", "pdf": "application/pdf", "txt": "text/plain"}  # fmt: skip
# What an attachment that is not a file shows as.
LABELS = {"share": "[shared post]", "story_mention": "[story mention]", "ig_reel": "[reel]",
          "reel": "[reel]", "location": "[location]", "fallback": "[link]",
          "template": "[template]"}  # fmt: skip
HUMAN_AGENT = "human_agent"  # the setting
POST = TypeAdapter(dict[str, Any])
ON, OFF = "on", "off"


@dataclass(frozen=True)
class Platform:
    name: str  # the kind
    label: str
    app: str  # Meta's own app, where a manager may also answer
    webhook_object: str  # the "object" of its webhook posts
    limits: Limits
    profile_fields: str  # what the profile lookup asks for ("": the events name the person)
    webhook_fields: str  # what the app subscribes the page to
    # What a post carries that the inbox takes (`events`, for Messenger and Instagram).
    reader: Callable[["Platform", int, Any, dict], list] | None = None


MESSENGER = Platform(
    name="messenger",
    label="Facebook Messenger",
    app="Messenger",
    webhook_object="page",
    limits=Limits(
        text_length=2000,
        file_bytes=MAX_FILE_BYTES,
        sends=FileRules(
            max_files=10,
            photo_bytes=25 * MB,
            file_bytes=25 * MB,
            photo_types=frozenset({"image/jpeg", "image/png", "image/gif"}),
        ),
    ),  # fmt: skip
    profile_fields="first_name,last_name,profile_pic",
    webhook_fields="messages, message_echoes, message_reads",
)
INSTAGRAM = Platform(
    name="instagram",
    label="Instagram Direct",
    app="Instagram",
    webhook_object="instagram",
    # Instagram Direct takes pictures, video and voice, not documents.
    limits=Limits(
        text_length=1000,
        text_bytes=1000,
        file_bytes=MAX_FILE_BYTES,
        sends=FileRules(
            max_files=10,
            photo_bytes=8 * MB,
            photo_types=frozenset({"image/jpeg", "image/png"}),
        ),
    ),  # fmt: skip
    profile_fields="name,username,profile_pic",
    webhook_fields="messages, messaging_seen",
)


def _base(config: dict[str, Any]) -> str:
    url = config.get("api_url") or os.environ.get("INBOX_META_API_URL") or API_URL
    return str(url).rstrip("/")


def _reason(status: int, answer: Any) -> tuple[str, int | None]:
    error = answer.get("error") if isinstance(answer, dict) else None
    if not isinstance(error, dict):
        return f"Meta answered HTTP {status}", None
    code, subcode = error.get("code"), error.get("error_subcode")
    said = str(error.get("message") or f"HTTP {status}")[:300]
    details = (error.get("error_data") or {}) if isinstance(error.get("error_data"), dict) else {}
    if details.get("details"):
        said = f"{said}: {str(details['details'])[:300]}"
    if code is None:
        return f"Meta: {said}", None
    return f"Meta: {said} (code {code}{f'/{subcode}' if subcode else ''})", code


def _retry_after(response: httpx.Response) -> float | None:
    said = response.headers.get("retry-after", "")
    return float(said) if said.isdigit() else None


def graph(
    config: dict[str, Any],
    method: str,
    path: str,
    timeout: float,
    params: dict | None = None,
    body: dict | None = None,
    token_key: str = "page_token",
    upload: dict[str, tuple[str, bytes, str]] | None = None,
) -> dict:
    """One Graph API call with the page's token (or the setting `token_key` names); its
    failures as TemporaryFailure (worth trying again), UncertainFailure (sent, no answer) or
    PermanentFailure. With `upload` (field -> (name, bytes, type)), the body goes as a form
    with the file in it."""
    token = str(config.get(token_key) or "")
    if not token:
        raise PermanentFailure("This channel has no access token: an administrator sets it.")
    try:
        form = {}
        if upload is not None:
            form = {
                "data": {k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()},
                "files": upload,
            }
        response = httpx.request(
            method,
            f"{_base(config)}/{VERSION}/{path}",
            params=params,
            json=None if upload else body,
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout,
            **form,
        )
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as error:
        raise TemporaryFailure(f"Meta could not be reached: {error}") from error
    except httpx.HTTPError as error:  # sent, but no answer came
        raise UncertainFailure(f"Meta did not answer: {error or 'timed out'}") from error
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if response.is_success and isinstance(answer, dict):
        return answer
    reason, code = _reason(response.status_code, answer)
    if code in RATE_LIMITED:
        raise TemporaryFailure(reason, _retry_after(response) or RATE_LIMIT_WAIT_SECONDS)
    if response.status_code >= 500 or response.status_code == 429 or code in UNAVAILABLE:
        raise TemporaryFailure(reason, _retry_after(response))
    if response.is_success:
        raise TemporaryFailure("Meta's answer was not JSON")
    raise PermanentFailure(reason)


def reply_window(config: dict[str, Any]) -> timedelta:
    return HUMAN_AGENT_WINDOW if config.get(HUMAN_AGENT) == ON else WINDOW


def send(platform: Platform, outgoing: Outgoing) -> str | None:
    """The text, then each file uploaded with its own message (Meta takes no caption)."""
    config = outgoing.channel_settings
    body: dict[str, Any] = {"recipient": {"id": outgoing.recipient}, "messaging_type": "RESPONSE"}
    wrote = outgoing.customer_wrote_at
    if wrote is not None and utc_now() - wrote >= reply_window(config):
        raise PermanentFailure(
            f"{platform.app} takes replies only within {_span(reply_window(config))} of the "
            f"customer's last message, and that time has passed."
        )
    if wrote is not None and utc_now() - wrote >= WINDOW:
        body |= {"messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"}
    timeout = reply_timeout(config, SEND_TIMEOUT_SECONDS)

    def post(message: dict[str, Any], upload=None) -> str | None:
        if platform is MESSENGER:  # echoed back, so the echo of our own reply is known
            message["metadata"] = f"{OURS}{outgoing.message_id}"
        wait = max(timeout, FILE_TIMEOUT_SECONDS) if upload else timeout
        answer = graph(config, "POST", "me/messages", wait, body={**body, "message": message},
                       upload=upload)  # fmt: skip
        return str(answer.get("message_id") or "") or None

    parts = [lambda: post({"text": outgoing.text})] if outgoing.text else []
    for each in outgoing.files:
        kind = "image" if each.kind == FileKind.PHOTO else "file"
        attachment = {"attachment": {"type": kind, "payload": {"is_reusable": False}}}
        upload = {"filedata": (each.file_name, each.body, each.mime_type)}
        parts.append(lambda a=attachment, u=upload: post(a, u))
    return outgoing.send_parts(parts)


def _span(window: timedelta) -> str:
    return "7 days" if window == HUMAN_AGENT_WINDOW else "24 hours"


def fetch_file(config: dict[str, Any], address: str) -> bytes:
    """A file Meta hosts, by its address (signed by Meta, so it needs no token), bounded."""
    if urlsplit(address).scheme not in ("http", "https"):
        raise PermanentFailure("This file has no address to fetch it from.")
    return fetch_bounded(address, "Meta", MAX_FILE_BYTES, FILE_TIMEOUT_SECONDS)


def _mime(kind: FileKind, address: str) -> str | None:
    extension = urlsplit(address).path.rsplit(".", 1)[-1].lower()
    return BY_EXTENSION.get(extension) or MIME.get(kind)


def _attachments(found: Any) -> tuple[list[InboundFile], list[str]]:
    """A message's attachments: files to keep, and labels for what is not a file."""
    kept, labels = [], []
    for each in found if isinstance(found, list) else []:
        if not isinstance(each, dict):
            continue
        payload = each.get("payload") if isinstance(each.get("payload"), dict) else {}
        address, kind = payload.get("url"), FILES.get(str(each.get("type")))
        if kind is not None and isinstance(address, str) and address:
            if payload.get("sticker_id"):
                kind = FileKind.STICKER
            name = (
                address.rsplit("/", 1)[-1].split("?")[0][:200]
                if kind is FileKind.DOCUMENT
                else None
            )
            kept.append(
                InboundFile(kind=kind, external_file_id=address, file_name=name,
                            mime_type=_mime(kind, address))
            )  # fmt: skip
        else:
            label = LABELS.get(str(each.get("type")), "[attachment]")
            title = str(each.get("title") or payload.get("title") or "").strip()
            labels.append(f"{label} {title}".strip())
    return kept, labels


Delivered = InboundMessage | InboundEcho | InboundRead


def _event(platform: Platform, channel_id: int, item: Any) -> Delivered | None:
    """One messaging event as the inbox takes it; None for one it does not take."""
    sender = str((item.get("sender") or {}).get("id") or "")
    recipient = str((item.get("recipient") or {}).get("id") or "")
    message, read = item.get("message"), item.get("read")
    if isinstance(message, dict) and message.get("mid") and not message.get("is_deleted"):
        attachments, labels = _attachments(message.get("attachments"))
        text = message.get("text") or ""
        if not isinstance(text, str):
            raise ValueError(f"a message's text is a {type(text).__name__}")
        if not text and not attachments:
            text = " ".join(labels) or "[message]"
        if message.get("is_echo"):
            if str(message.get("metadata") or "").startswith(OURS):
                return None  # a reply the inbox sent
            return InboundEcho(
                channel_id=channel_id, external_user_id=recipient,
                external_message_id=str(message["mid"]), text=text, attachments=attachments,
                sent_from=platform.name,
            )  # fmt: skip
        return InboundMessage(
            channel_id=channel_id, external_user_id=sender,
            external_message_id=str(message["mid"]), text=text, attachments=attachments,
        )  # fmt: skip
    if isinstance(read, dict):
        watermark = read.get("watermark")
        up_to = None
        if isinstance(watermark, int | float):
            up_to = datetime.fromtimestamp(watermark / 1000, UTC).replace(tzinfo=None)
        mid = read.get("mid")
        return InboundRead(
            channel_id=channel_id, external_user_id=sender, up_to=up_to,
            up_to_external_id=str(mid) if mid else None,
        )  # fmt: skip
    return None


def events(
    platform: Platform, channel_id: int, post: Any, config: dict | None = None
) -> list[Delivered]:
    """What a webhook post carries that the inbox takes. Each event is read on its own: one it
    cannot read is logged and skipped, so Meta does not post it again for ever."""
    if not isinstance(post, dict) or post.get("object") != platform.webhook_object:
        log.warning("%s channel %s: a post of another object skipped", platform.label, channel_id)
        return []
    taken = []
    for entry in post.get("entry") if isinstance(post.get("entry"), list) else []:
        messaging = entry.get("messaging") if isinstance(entry, dict) else None
        for item in messaging if isinstance(messaging, list) else []:
            try:
                found = _event(platform, channel_id, item) if isinstance(item, dict) else None
            except (ValidationError, TypeError, ValueError, AttributeError) as error:
                found = None
                log.warning(
                    "%s channel %s: event unreadable: %s", platform.label, channel_id, error
                )
            if found is None:
                keys = sorted(item)[:8] if isinstance(item, dict) else type(item).__name__
                log.info("%s channel %s: event not taken: %s", platform.label, channel_id, keys)
            else:
                taken.append(found)
        if isinstance(entry, dict) and "changes" in entry:
            log.info("%s channel %s: changes not taken", platform.label, channel_id)
    return taken


def signature(app_secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def _channel(store: Store, platform: Platform, channel_id: int) -> dict[str, Any]:
    missing = f"No such {platform.label} channel."
    channel, config = webhooks.channel_of_kind(store, channel_id, platform.name, missing)
    return {**config, "enabled": channel.enabled}


def verify(store: Store, platform: Platform, channel_id: int, query: dict[str, str]) -> str:
    """Meta's check of the webhook address: the challenge, for the channel's own token."""
    config = _channel(store, platform, channel_id)
    expected = str(config.get("verify_token") or "")
    given = query.get("hub.verify_token") or ""
    challenge = query.get("hub.challenge") or ""
    if query.get("hub.mode") != "subscribe" or not expected:
        raise PermissionDenied("This is not a webhook verification for this channel.")
    if not hmac.compare_digest(expected.encode(), given.encode()):
        raise PermissionDenied("Wrong verify token.")
    if not challenge or len(challenge) > MAX_CHALLENGE_LENGTH:
        raise InvalidInput("The challenge is missing or too long.")
    return challenge


@dataclass
class Received:
    """A post stored: what is left to do after answering Meta."""

    config: dict[str, Any]
    file_ids: list[int]
    new_leads: list[tuple[int, str]]  # contact id, their id on the platform


def receive(
    store: Store, platform: Platform, channel_id: int, signed: str | None, body: bytes
) -> Received:
    """A webhook post: checked against the app secret, then stored in one transaction."""
    config = _channel(store, platform, channel_id)
    secret = str(config.get("app_secret") or "")
    if not secret or not hmac.compare_digest(
        signature(secret, body).encode(), (signed or "").encode()
    ):
        raise PermissionDenied("Wrong or missing X-Hub-Signature-256.")
    if not config["enabled"]:
        raise PermissionDenied("This channel is disabled.")
    try:
        post = POST.validate_json(body)
    except ValidationError as error:  # broken, not UTF-8, too deep, not an object
        raise InvalidInput(f"The body must be a JSON object: {error.errors()[0]['msg']}") from error
    taken = (platform.reader or events)(platform, channel_id, post, config)
    stored = inbound.receive_post(store, taken)
    return Received(config, stored.file_ids, stored.new_leads)


def follow_up(store: Store, platform: Platform, channel_id: int, received: Received) -> None:
    """Keep the post's files while their addresses work, and fill in new leads' profiles."""
    channel_files.keep_new(store, channel_id, received.file_ids)
    for contact_id, person in received.new_leads if platform.profile_fields else []:
        try:
            found = graph(
                received.config, "GET", person, SEND_TIMEOUT_SECONDS,
                params={"fields": platform.profile_fields},
            )  # fmt: skip
        except (TemporaryFailure, PermanentFailure) as failure:
            log.warning("%s channel %s: no profile: %s", platform.label, channel_id, failure)
            continue
        name = str(found.get("name") or "").strip()
        name = name or " ".join(str(found.get(k) or "") for k in ("first_name", "last_name"))
        if not name.strip() and found.get("username"):
            name = f"@{found['username']}"
        photo = found.get("profile_pic")
        photo = str(photo) if isinstance(photo, str) and photo.startswith("http") else None
        photo_id = inbound.set_lead_profile(store, channel_id, contact_id, name, photo)
        if photo_id is not None:
            channel_files.keep_new(store, channel_id, [photo_id])


async def webhook(platform: Platform, request: Request) -> Response:
    channel_id = webhooks.channel_id(request)
    if channel_id is None:
        return webhooks.error(404, f"No such {platform.label} channel.")
    store = app_store()
    try:
        if request.method == "GET":
            query = dict(request.query_params)
            challenge = await asyncio.to_thread(verify, store, platform, channel_id, query)
            return PlainTextResponse(challenge)
        body = await request.body()  # bounded by the BodyLimit middleware
        signed = request.headers.get("x-hub-signature-256")
        received = await asyncio.to_thread(receive, store, platform, channel_id, signed, body)
    except (NotFound, PermissionDenied, InvalidInput, Busy) as error:
        return webhooks.refusal(error)
    task = BackgroundTask(follow_up, store, platform, channel_id, received)
    return PlainTextResponse("EVENT_RECEIVED", background=task)


def endpoint(platform: Platform):
    async def endpoint(request: Request) -> Response:  # Starlette routes a function, not a partial
        return await webhook(platform, request)

    return endpoint


def webhook_path(platform: Platform, channel_id: int) -> str:
    return f"{webhooks.PREFIX}{channel_id}/{platform.name}"


def _connect(platform: Platform, channel_id: int, config: dict[str, Any], token: str) -> dict:
    """A token is kept once Meta knows it: the page's name (and its Instagram account)."""
    fields = "id,name" + (
        ",instagram_business_account{id,username}" if platform is INSTAGRAM else ""
    )
    try:
        page = graph({**config, "page_token": token}, "GET", "me", SEND_TIMEOUT_SECONDS,
                     params={"fields": fields})  # fmt: skip
    except (TemporaryFailure, PermanentFailure) as failure:
        raise InvalidInput(f"Meta did not accept this token: {failure}") from failure
    changes = {"page_token": token, "page_id": page.get("id"), "page_name": page.get("name")}
    if platform is INSTAGRAM:
        account = page.get("instagram_business_account") or {}
        if not account.get("id"):
            raise InvalidInput(
                "This page has no Instagram professional account linked: link one in the "
                "page's settings, then paste the token again."
            )
        changes |= {"instagram_id": account["id"], "instagram_username": account.get("username")}
    return changes


def clean_token(token: Any) -> str:
    token = str(token or "").strip()
    if len(token) < 20 or any(c.isspace() for c in token):
        raise InvalidInput("That does not look like an access token from Meta.")
    return token


def clean_secret(secret: Any) -> str:
    secret = str(secret or "").strip()
    if len(secret) < 16 or any(c.isspace() for c in secret):
        raise InvalidInput("That does not look like an app secret (App settings → Basic).")
    return secret


def status(
    platform: Platform, channel_id: int, config: dict[str, Any], problem: str | None
) -> list[str]:
    lines = []
    if config.get("page_name") and not problem:
        who = config["page_name"]
        if platform is INSTAGRAM and config.get("instagram_username"):
            who = f"@{config['instagram_username']} (page {who})"
        lines.append(f"Connected as {who}")
    elif not config.get("page_token"):
        lines.append("Not connected: paste the page's access token.")
    public_url = load_settings().public_url
    path = webhook_path(platform, channel_id)
    if public_url:
        lines.append(f"Callback URL for the Meta app: {public_url.rstrip('/')}{path}")
    else:
        lines.append(f"Callback URL for the Meta app: <INBOX_PUBLIC_URL>{path}")
    lines.append(f"Subscribe the page to: {platform.webhook_fields}")
    return lines


def _settings(platform: Platform) -> tuple[Setting, ...]:
    return (
        Setting("page_token", "Page access token", widget="secret", required=True,
                placeholder="EAAG… from the Meta app", clean=clean_token,
                prepare=partial(_connect, platform)),
        Setting("app_secret", "App secret", widget="secret", required=True,
                help="App settings → Basic: Meta signs every post with it.",
                clean=clean_secret),
        Setting("verify_token", "Verify token", widget="generated", required=True,
                help="Paste it into the Meta app beside the callback URL."),
        Setting(HUMAN_AGENT, "Replies after 24 hours", widget="choice", default=OFF,
                choices=((OFF, "Refused (Meta's standard 24-hour window)"),
                         (ON, "Human agent tag, up to 7 days (needs Meta's permission)"))),
    )  # fmt: skip


def _kind(platform: Platform) -> Kind:
    return Kind(
        name=platform.name,
        label=platform.label,
        send=partial(send, platform),
        limits=platform.limits,
        routes=[
            Route(
                f"{webhooks.PREFIX}{{channel_id}}/{platform.name}",
                endpoint(platform),
                methods=["GET", "POST"],
            )
        ],
        fetch_file=fetch_file,
        start_settings=lambda: {"verify_token": secrets.token_urlsafe(24)},
        settings=_settings(platform),
        status=partial(status, platform),
        reply_window=reply_window,
        app=platform.app,
        keeps_files=True,
    )


MESSENGER_KIND = _kind(MESSENGER)
INSTAGRAM_KIND = _kind(INSTAGRAM)
