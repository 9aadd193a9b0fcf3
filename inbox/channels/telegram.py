"""Telegram bot (SPEC CH2): customers' messages by long polling or a webhook, replies with
sendMessage, files and profile photos fetched for our server only.

The offset of getUpdates is saved only after the updates it covers are stored, so a crash
between fetching and storing loses nothing: Telegram hands the same updates out again, and
each is stored once (a message id is unique per chat). The Bot API address is a setting
(INBOX_TELEGRAM_API_URL), so tests talk to a stand-in; INBOX_TELEGRAM_POLL_SECONDS is how
long one getUpdates waits for news (0 to 50).

POST /api/channels/{id}/telegram takes an update from Telegram for a bot in webhook mode, with
the secret token given to setWebhook in X-Telegram-Bot-Api-Secret-Token.
"""

import asyncio
import hmac
import http.client
import json
import logging
import os
import re
import secrets
import urllib.error
import urllib.request
from typing import Any

from pydantic import TypeAdapter, ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from inbox.channels import multipart
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
from inbox.channels.polling import ChannelPolling
from inbox.errors import Busy, InboxError, InvalidInput, NotFound, PermissionDenied
from inbox.models import FileKind, InboundFile, InboundMessage, Outgoing
from inbox.services import inbound
from inbox.settings import load_settings
from inbox.store import Store, app_store, channels
from inbox.web import webhooks

log = logging.getLogger(__name__)

NAME = "telegram"
API_URL = "https://api.telegram.org"
POLL_SECONDS = 25.0
MAX_TEXT_LENGTH = 4096  # sendMessage's limit
UPDATE = TypeAdapter(dict[str, Any])
SEND_TIMEOUT_SECONDS = 15  # a channel's "timeout_seconds" setting overrides it for replies
FILE_TIMEOUT_SECONDS = 30
MAX_FILE_BYTES = 20 * MB  # the most a bot may download through the Bot API
CAPTION_LENGTH = 1024
SENDS = FileRules(max_files=10, photo_bytes=10 * MB, file_bytes=50 * MB,
                  photo_types=frozenset({"image/jpeg", "image/png", "image/webp"}))  # fmt: skip
PROFILE_PHOTO_PX = 160
OFFSET = "poll_offset"  # kept in the channel's settings
UPDATES = ["message", "edited_message"]
WEBHOOK = "webhook"  # the "mode" setting; anything else polls
POLLING = "polling"
TOKEN = re.compile(r"\d{3,}:[A-Za-z0-9_-]{20,}")
WEBHOOK_SECRET = "webhook_secret"  # kept in the channel's settings, sent back by Telegram
# What a message with neither text nor a file shows as.
WITHOUT_TEXT = {
    "video_note": "[round video]",
    "location": "[location]",
    "venue": "[place]",
    "contact": "[contact]",
    "poll": "[poll]",
    "dice": "[dice]",
}


def _base(config: dict[str, Any]) -> str:
    url = config.get("api_url") or os.environ.get("INBOX_TELEGRAM_API_URL") or API_URL
    return str(url).rstrip("/")


def poll_seconds() -> float:
    seconds = float(os.environ.get("INBOX_TELEGRAM_POLL_SECONDS") or POLL_SECONDS)
    if not 0 <= seconds <= 50:
        raise ValueError("INBOX_TELEGRAM_POLL_SECONDS is between 0 and 50")
    return seconds


def call(
    config: dict[str, Any],
    method: str,
    params: dict,
    timeout: float,
    upload: dict[str, tuple[str, str, bytes]] | None = None,
) -> Any:
    """One Bot API call; its failures as TemporaryFailure (retry) or PermanentFailure. With
    `upload` (field -> (file name, type, bytes)), the call is a form with the file in it."""
    token = str(config.get("token") or "")
    if not token:
        raise PermanentFailure("This bot has no token: an administrator sets it for the channel.")
    if upload:
        fields = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
        data, content_type = multipart.encode(fields, upload)
    else:
        data, content_type = json.dumps(params).encode(), "application/json"
    request = urllib.request.Request(
        f"{_base(config)}/bot{token}/{method}",
        data=data,
        headers={"Content-Type": content_type},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = json.loads(response.read())
    except urllib.error.HTTPError as error:
        try:
            answer = json.loads(error.read(10_000))
        except ValueError:
            answer = {"error_code": error.code, "description": f"HTTP {error.code}"}
    except urllib.error.URLError as error:  # before the request was sent
        raise TemporaryFailure(f"Telegram could not be reached: {error.reason}") from error
    except (TimeoutError, ConnectionError, http.client.HTTPException) as error:
        raise UncertainFailure(f"Telegram did not answer: {error or 'timed out'}") from error
    except ValueError as error:
        raise TemporaryFailure(f"Telegram's answer was not JSON: {error}") from error
    if answer.get("ok"):
        return answer["result"]
    code, description = answer.get("error_code", 0), answer.get("description", "unknown error")
    retry_after = (answer.get("parameters") or {}).get("retry_after")
    if code == 429 or code >= 500:
        raise TemporaryFailure(f"Telegram: {description}", retry_after)
    raise PermanentFailure(f"Telegram: {description}")


def send(outgoing: Outgoing) -> str | None:
    """The text with sendMessage, each file with sendPhoto or sendDocument: a short text goes
    as the first file's caption. Only the first part quotes the message answered."""
    config = outgoing.channel_settings
    timeout = reply_timeout(config, SEND_TIMEOUT_SECONDS)
    quote: dict[str, Any] = {}
    if outgoing.reply_to_external_id and outgoing.reply_to_external_id.isdigit():
        quote["reply_parameters"] = {
            "message_id": int(outgoing.reply_to_external_id),
            "allow_sending_without_reply": True,
        }
    text = outgoing.text
    caption = text if outgoing.files and len(text) <= CAPTION_LENGTH else ""

    def message(params: dict[str, Any], method="sendMessage", upload=None) -> str:
        params = {"chat_id": outgoing.recipient, **params}
        wait = max(timeout, FILE_TIMEOUT_SECONDS) if upload else timeout
        return str(call(config, method, params, wait, upload)["message_id"])

    parts = []
    if text and not caption:
        parts.append(lambda: message({"text": text, **quote}))
    for each in outgoing.files:
        method, field = ("sendPhoto", "photo") if each.kind == FileKind.PHOTO else (
            "sendDocument", "document")  # fmt: skip
        params = {**(quote if not parts else {}), **({"caption": caption} if caption else {})}
        caption = ""
        upload = {field: (each.file_name, each.mime_type, each.body)}
        parts.append(lambda p=params, m=method, u=upload: message(p, m, u))
    return outgoing.send_parts(parts)


def _files(message: dict) -> list[InboundFile]:
    """What a message carries as files: the largest size of a photo, a document, a voice
    message, a sticker, ..."""
    found = []
    photo_sizes = message.get("photo")
    if isinstance(photo_sizes, list) and photo_sizes:
        largest = photo_sizes[-1]  # Telegram lists the sizes smallest first
        found.append(_file(FileKind.PHOTO, largest, mime_type="image/jpeg"))
    for kind in (FileKind.DOCUMENT, FileKind.VOICE, FileKind.AUDIO, FileKind.VIDEO):
        if isinstance(message.get(kind.value), dict):
            found.append(_file(kind, message[kind.value]))
    sticker = message.get("sticker")
    if isinstance(sticker, dict):
        mime = (
            "video/webm"
            if sticker.get("is_video")
            else "application/x-tgsticker"
            if sticker.get("is_animated")
            else "image/webp"
        )
        found.append(_file(FileKind.STICKER, sticker, mime_type=mime, name=sticker.get("emoji")))
    return found


def _file(kind: FileKind, item: dict, mime_type: str | None = None, name=None) -> InboundFile:
    return InboundFile(
        kind=kind,
        external_file_id=item["file_id"],
        file_name=name or item.get("file_name"),
        mime_type=item.get("mime_type") or mime_type,
        size_bytes=item.get("file_size"),
    )


def _private(update: dict, key: str) -> dict | None:
    message = update.get(key)
    if not isinstance(message, dict) or (message.get("chat") or {}).get("type") != "private":
        return None
    return message


def inbound_message(channel_id: int, update: dict) -> InboundMessage | None:
    """A customer's message in a private chat with the bot; None for anything else."""
    message = _private(update, "message")
    if message is None:
        return None
    sender = message.get("from") or {}
    attachments = _files(message)
    text = message.get("text") or message.get("caption") or ""
    if not text and not attachments:
        text = next((label for key, label in WITHOUT_TEXT.items() if key in message), "[message]")
    name = " ".join(str(sender.get(k) or "") for k in ("first_name", "last_name")).strip()
    return InboundMessage(
        channel_id=channel_id,
        external_user_id=str(message["chat"]["id"]),
        display_name=name,
        handle=sender.get("username"),
        external_message_id=str(message["message_id"]),
        text=text,
        attachments=attachments,
        automatic=bool(sender.get("is_bot")),
    )


def handle_update(store: Store, channel_id: int, config: dict[str, Any], update: dict) -> None:
    """Store what one update brings: a new message (and, from a new lead, their profile photo),
    or an edit of one stored before. Anything else is ignored."""
    message = inbound_message(channel_id, update)
    if message is not None:
        result = inbound.receive_customer_message(store, message)
        if result.new_lead:
            _fetch_profile_photo(store, channel_id, config, result.contact_id, message)
        return
    edited = _private(update, "edited_message")
    if edited is not None and (edited.get("text") or edited.get("caption")):
        inbound.edit_customer_message(
            store,
            channel_id,
            str(edited["chat"]["id"]),
            str(edited["message_id"]),
            edited.get("text") or edited.get("caption"),
        )


def _fetch_profile_photo(
    store: Store, channel_id: int, config: dict, contact_id: int, message: InboundMessage
) -> None:
    try:
        found = call(
            config,
            "getUserProfilePhotos",
            {"user_id": int(message.external_user_id), "limit": 1},
            SEND_TIMEOUT_SECONDS,
        )
    except (TemporaryFailure, PermanentFailure, ValueError) as failure:
        log.warning("Telegram channel %s: no profile photo: %s", channel_id, failure)
        return
    photos = found.get("photos") or []
    if photos and photos[0]:
        sizes = photos[0]  # smallest first; the list shows ~40 px, the card 44 px
        fitting = [size for size in sizes if size.get("width", 0) >= PROFILE_PHOTO_PX]
        chosen = fitting[0] if fitting else sizes[-1]
        inbound.set_profile_photo(store, channel_id, contact_id, chosen["file_id"])


def fetch_file(config: dict[str, Any], external_file_id: str) -> bytes:
    """A file's bytes: getFile for its path, then the download, both with the bot's token on
    our side of the server only."""
    found = call(config, "getFile", {"file_id": external_file_id}, SEND_TIMEOUT_SECONDS)
    if not found.get("file_path"):
        raise PermanentFailure("Telegram has no copy of this file any more.")
    if (found.get("file_size") or 0) > MAX_FILE_BYTES:
        raise PermanentFailure("The file is larger than the inbox fetches.")
    url = f"{_base(config)}/file/bot{config['token']}/{found['file_path']}"
    try:
        with urllib.request.urlopen(url, timeout=FILE_TIMEOUT_SECONDS) as response:
            body = response.read(MAX_FILE_BYTES + 1)
    except urllib.error.HTTPError as error:
        reason = f"Telegram: the file could not be downloaded (HTTP {error.code})"
        raise PermanentFailure(reason) from error
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        raise TemporaryFailure(f"Telegram could not be reached: {error}") from error
    if len(body) > MAX_FILE_BYTES:
        raise PermanentFailure("The file is larger than the inbox fetches.")
    return body


def receive_webhook(store: Store, channel_id: int, secret: str | None, update: dict) -> None:
    """An update Telegram posted to our webhook, proven by the secret token we gave setWebhook."""
    missing = "No such Telegram channel."
    channel, config = webhooks.channel_of_kind(store, channel_id, NAME, missing)
    expected = str(config.get(WEBHOOK_SECRET) or "")
    if not expected or not hmac.compare_digest(expected.encode(), (secret or "").encode()):
        raise PermissionDenied("Wrong or missing secret token.")
    if not channel.enabled or config.get("mode") != WEBHOOK:
        raise PermissionDenied("This bot does not receive by webhook now.")
    handle_update(store, channel_id, config, update)


def webhook_url(public_url: str, channel_id: int) -> str:
    return f"{public_url.rstrip('/')}/api/channels/{channel_id}/telegram"


def _ask(config: dict[str, Any], method: str, params: dict, refused: str) -> Any:
    try:
        return call(config, method, params, SEND_TIMEOUT_SECONDS)
    except (TemporaryFailure, PermanentFailure) as failure:
        raise InvalidInput(f"{refused}: {failure}") from failure


def receiving_mode(config: dict[str, Any]) -> str:
    return WEBHOOK if config.get("mode") == WEBHOOK else POLLING


def _receive_by(channel_id: int, config: dict[str, Any], mode: str) -> dict[str, Any]:
    """Polling asks Telegram and works anywhere; a webhook has Telegram post to our public
    https:// address, with a secret token checked on every request."""
    if mode != WEBHOOK:
        if config.get("mode") == WEBHOOK:
            _ask(config, "deleteWebhook", {}, "Telegram did not drop the webhook")
        return {"mode": POLLING, "webhook_url": None, WEBHOOK_SECRET: None}
    public_url = load_settings().public_url
    if not public_url:
        raise InvalidInput(
            "Set INBOX_PUBLIC_URL to the inbox's public https:// address first: "
            "Telegram posts the messages there."
        )
    url, secret = webhook_url(public_url, channel_id), secrets.token_urlsafe(32)
    params = {"url": url, "secret_token": secret, "allowed_updates": UPDATES}
    _ask(config, "setWebhook", params, "Telegram did not take the webhook")
    return {"mode": WEBHOOK, "webhook_url": url, WEBHOOK_SECRET: secret}


def _clean_token(token: Any) -> str:
    token = str(token or "").strip()
    if not TOKEN.fullmatch(token):
        raise InvalidInput("That does not look like a bot token from BotFather (123456:ABC…).")
    return token


def _use_token(channel_id: int, config: dict[str, Any], token: str) -> dict[str, Any]:
    """A token is kept once Telegram knows it (getMe); a bot that receives by webhook has the
    webhook set again for the new token."""
    config = {**config, "token": token}
    me = _ask(config, "getMe", {}, "Telegram did not accept this token")
    changes = {"token": token, OFFSET: 0, "bot_username": me.get("username")}
    if receiving_mode(config) == WEBHOOK:
        changes |= _receive_by(channel_id, config, WEBHOOK)
    return changes


def status(channel_id: int, config: dict[str, Any], problem: str | None) -> list[str]:
    lines = []
    if config.get("bot_username") and not problem:
        lines.append(f"Connected as @{config['bot_username']}")
    elif not config.get("token"):
        lines.append("Not connected: set the bot's token.")
    if receiving_mode(config) == WEBHOOK and config.get("webhook_url"):
        lines.append(f"Telegram posts messages to {config['webhook_url']}")
    return lines


SETTINGS = (
    Setting(
        "token", "Bot token", widget="secret", required=True,
        placeholder="123456:ABC… from BotFather", clean=_clean_token, prepare=_use_token,
    ),
    Setting(
        "mode", "Receive messages by", widget="choice", default=POLLING,
        choices=((POLLING, "Polling (works anywhere)"),
                 (WEBHOOK, "Webhook (needs a public https:// address)")),
        read=receiving_mode, prepare=_receive_by,
    ),
)  # fmt: skip


def polled_channels(store: Store) -> list[int]:
    """Enabled bots with a token that receive by long polling (not by webhook)."""
    with store.read() as cur:
        found = channels.enabled_of_kind(cur, NAME)
    return [cid for cid, config in found if config.get("token") and config.get("mode") != WEBHOOK]


def poll_once(store: Store, channel_id: int, timeout: float) -> int:
    """Fetch what is new, store it, then move the offset past it. Returns how many updates."""
    with store.read() as cur:
        config = channels.settings(cur, channel_id) or {}
    params = {"offset": config.get(OFFSET, 0), "timeout": timeout, "allowed_updates": UPDATES}
    updates = call(config, "getUpdates", params, timeout + 10)
    for update in updates:
        try:
            handle_update(store, channel_id, config, update)
        except (InboxError, KeyError, TypeError, ValueError):
            log.exception("Telegram update %s skipped", update.get("update_id"))
    if updates:
        with store.write(shown=False) as cur:  # the offset is shown nowhere
            current = channels.settings(cur, channel_id) or {}
            offset = max(u["update_id"] for u in updates) + 1
            channels.update_settings(cur, channel_id, {**current, OFFSET: offset})
    return len(updates)


async def receive_update(request: Request) -> JSONResponse:
    channel_id = webhooks.channel_id(request)
    if channel_id is None:
        return webhooks.error(404, "No such Telegram channel.")
    try:
        update = UPDATE.validate_json(await request.body())
    except ValidationError as error:
        return webhooks.error(400, f"The body must be a JSON object: {error.errors()[0]['msg']}")
    secret = request.headers.get("x-telegram-bot-api-secret-token")
    try:
        await asyncio.to_thread(receive_webhook, app_store(), channel_id, secret, update)
    except (NotFound, PermissionDenied, Busy) as error:  # Telegram sends it again on a 503
        return webhooks.refusal(error)
    except (InboxError, KeyError, TypeError, ValueError) as error:
        # An update we cannot read would come back for ever: skip it, as polling does.
        log.warning("Telegram update skipped on channel %s: %r", channel_id, error)
    return JSONResponse({"ok": True})


def poller(store: Store, check_seconds: float = 1.0) -> ChannelPolling:
    """One long-polling thread per bot that does not receive by webhook."""
    return ChannelPolling(
        store, NAME, polled_channels, poll_once, poll_seconds(), check_seconds=check_seconds
    )


KIND = Kind(
    name=NAME,
    label="Telegram bot",
    app="Telegram",
    send=send,
    limits=Limits(text_length=MAX_TEXT_LENGTH, file_bytes=MAX_FILE_BYTES, quotes=True, sends=SENDS),
    routes=[Route(f"{webhooks.PREFIX}{{channel_id}}/telegram", receive_update, methods=["POST"])],
    workers=[poller],
    fetch_file=fetch_file,
    settings=SETTINGS,
    status=status,
)
