"""Telegram bot (SPEC CH2): customers' messages by long polling, replies with sendMessage.

The offset of getUpdates is saved only after the updates it covers are stored, so a crash
between fetching and storing loses nothing: Telegram hands the same updates out again, and
each is stored once (a message id is unique per chat). The Bot API address is a setting
(INBOX_TELEGRAM_API_URL), so tests talk to a stand-in.
"""

import json
import logging
import urllib.error
import urllib.request
from typing import Any

from inbox.channels.base import PermanentFailure, TemporaryFailure
from inbox.errors import InboxError
from inbox.models import ChannelKind, InboundMessage, Outgoing
from inbox.services import inbound
from inbox.settings import load_settings
from inbox.store import Store, channels

log = logging.getLogger(__name__)

SEND_TIMEOUT_SECONDS = 15
OFFSET = "poll_offset"  # kept in the channel's settings
# What a message without text shows as, until attachments are stored.
WITHOUT_TEXT = {
    "photo": "[photo]",
    "document": "[document]",
    "voice": "[voice message]",
    "sticker": "[sticker]",
    "video": "[video]",
    "audio": "[audio]",
    "location": "[location]",
    "contact": "[contact]",
}


def call(config: dict[str, Any], method: str, params: dict, timeout: float) -> Any:
    """One Bot API call; its failures as TemporaryFailure (retry) or PermanentFailure."""
    token = str(config.get("token") or "")
    if not token:
        raise PermanentFailure("This bot has no token: an administrator sets it for the channel.")
    base = str(config.get("api_url") or load_settings().telegram_api_url).rstrip("/")
    request = urllib.request.Request(
        f"{base}/bot{token}/{method}",
        data=json.dumps(params).encode(),
        headers={"Content-Type": "application/json"},
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
    except (urllib.error.URLError, TimeoutError, ConnectionError, ValueError) as error:
        raise TemporaryFailure(f"Telegram could not be reached: {error}") from error
    if answer.get("ok"):
        return answer["result"]
    code, description = answer.get("error_code", 0), answer.get("description", "unknown error")
    retry_after = (answer.get("parameters") or {}).get("retry_after")
    if code == 429 or code >= 500:
        raise TemporaryFailure(f"Telegram: {description}", retry_after)
    raise PermanentFailure(f"Telegram: {description}")


def send(outgoing: Outgoing) -> str | None:
    params: dict[str, Any] = {"chat_id": outgoing.recipient, "text": outgoing.text}
    if outgoing.reply_to_external_id and outgoing.reply_to_external_id.isdigit():
        params["reply_parameters"] = {
            "message_id": int(outgoing.reply_to_external_id),
            "allow_sending_without_reply": True,
        }
    result = call(outgoing.channel_settings, "sendMessage", params, SEND_TIMEOUT_SECONDS)
    return str(result["message_id"])


def inbound_message(channel_id: int, update: dict) -> InboundMessage | None:
    """A customer's message in a private chat with the bot; None for anything else."""
    message = update.get("message")
    if not isinstance(message, dict) or (message.get("chat") or {}).get("type") != "private":
        return None
    sender = message.get("from") or {}
    text = message.get("text") or message.get("caption")
    if not text:
        text = next((label for key, label in WITHOUT_TEXT.items() if key in message), "[message]")
    name = " ".join(str(sender.get(k) or "") for k in ("first_name", "last_name")).strip()
    return InboundMessage(
        channel_id=channel_id,
        external_user_id=str(message["chat"]["id"]),
        display_name=name,
        handle=sender.get("username"),
        external_message_id=str(message["message_id"]),
        text=text,
    )


def polled_channels(store: Store) -> list[int]:
    """Enabled bots with a token that receive by long polling (not by webhook)."""
    with store.read() as cur:
        found = channels.enabled_of_kind(cur, ChannelKind.TELEGRAM)
    return [cid for cid, config in found if config.get("token") and config.get("mode") != "webhook"]


def poll_once(store: Store, channel_id: int, timeout: float) -> int:
    """Fetch what is new, store it, then move the offset past it. Returns how many updates."""
    with store.read() as cur:
        config = channels.settings(cur, channel_id) or {}
    params = {"offset": config.get(OFFSET, 0), "timeout": timeout, "allowed_updates": ["message"]}
    updates = call(config, "getUpdates", params, timeout + 10)
    for update in updates:
        try:
            message = inbound_message(channel_id, update)
            if message is not None:
                inbound.receive_customer_message(store, message)
        except (InboxError, KeyError, TypeError, ValueError):
            log.exception("Telegram update %s skipped", update.get("update_id"))
    if updates:
        with store.write() as cur:
            current = channels.settings(cur, channel_id) or {}
            offset = max(u["update_id"] for u in updates) + 1
            channels.update_settings(cur, channel_id, {**current, OFFSET: offset})
    return len(updates)
