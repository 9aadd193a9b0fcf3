"""Settings → Channels (SPEC P4), for administrators: each channel's status, adding one,
configuring it, and switching it on or off. Secrets are write-only: a page gets a hint that
one is set, never the secret itself."""

import json
import re
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel

from inbox.channels import telegram
from inbox.channels.base import PermanentFailure, TemporaryFailure
from inbox.errors import InvalidInput, NotFound
from inbox.models import Channel, User
from inbox.services import accounts
from inbox.services.common import UNCHECKED, require_admin, require_admin_now, require_unchanged
from inbox.settings import load_settings
from inbox.store import Store, channels
from inbox.store.connection import Cursor

SECRET_SETTINGS = ("token", "secret")
POLLING = "polling"
WEBHOOK = telegram.WEBHOOK
TELEGRAM_TOKEN = re.compile(r"\d{3,}:[A-Za-z0-9_-]{20,}")
MAX_DEMO_RATE = 60.0


class ChannelStatus(BaseModel):
    id: int
    kind: str
    name: str
    icon: str
    enabled: bool
    secrets_set: dict[str, str]  # setting -> a hint such as "…ab12", never the secret
    callback_url: str | None = None
    rate: float | None = None
    last_received_at: datetime | None = None
    waiting: int = 0
    last_failure: str | None = None
    poll_error: str | None = None
    bot_username: str | None = None  # the Telegram bot the token belongs to, from getMe
    webhook_url: str | None = None  # where Telegram posts updates, in webhook mode


def _hint(value: str) -> str:
    return f"set, ending …{value[-4:]}" if len(value) >= 12 else "set"


def overview(store: Store, actor: User) -> list[ChannelStatus]:
    require_admin(actor)
    with store.read() as cur:
        return statuses(cur)


def statuses(cur: Cursor) -> list[ChannelStatus]:
    found = []
    for row in channels.overview(cur):
        config: dict[str, Any] = json.loads(row.pop("settings"))
        found.append(
            ChannelStatus(
                **row,
                secrets_set={k: _hint(str(config[k])) for k in SECRET_SETTINGS if config.get(k)},
                callback_url=config.get("callback_url"),
                rate=config.get("rate"),
                bot_username=config.get("bot_username"),
                webhook_url=config.get("webhook_url")
                if config.get("mode") == telegram.WEBHOOK
                else None,
            )
        )
    return found


def add_channel(store: Store, actor: User, kind: str, name: str, icon: str) -> Channel:
    return accounts.create_channel(store, actor, kind, name, icon or "💬")


def _config(store: Store, channel_id: int) -> dict[str, Any]:
    with store.read() as cur:
        config = channels.settings(cur, channel_id)
    if config is None:
        raise NotFound("No such channel.")
    return config


def _ask_telegram(config: dict[str, Any], method: str, params: dict, refused: str) -> Any:
    try:
        return telegram.call(config, method, params, telegram.SEND_TIMEOUT_SECONDS)
    except (TemporaryFailure, PermanentFailure) as failure:
        raise InvalidInput(f"{refused}: {failure}") from failure


def set_token(store: Store, actor: User, channel_id: int, token: str) -> None:
    """A bot token, checked with Telegram (getMe) before it is kept. A bot that receives by
    webhook has the webhook set again for the new token."""
    require_admin(actor)
    token = token.strip()
    if not TELEGRAM_TOKEN.fullmatch(token):
        raise InvalidInput("That does not look like a bot token from BotFather (123456:ABC…).")
    config = {**_config(store, channel_id), "token": token}
    me = _ask_telegram(config, "getMe", {}, "Telegram did not accept this token")
    accounts.configure_channel(
        store, actor, channel_id, token=token, poll_offset=0, bot_username=me.get("username")
    )
    if config.get("mode") == telegram.WEBHOOK:
        set_receiving(store, actor, channel_id, telegram.WEBHOOK)


def _mode(config: dict[str, Any]) -> str:
    return telegram.WEBHOOK if config.get("mode") == telegram.WEBHOOK else POLLING


def _same_mode(mode: str) -> Callable[[dict[str, Any]], None]:
    return lambda current: require_unchanged(mode, _mode(current), "How the bot receives", mode)


def set_receiving(
    store: Store, actor: User, channel_id: int, mode: str, *, drawn: str = UNCHECKED
) -> None:
    """How a bot receives: "polling" (asks Telegram, works anywhere) or "webhook" (Telegram
    posts to our public https:// address, with a secret token we check on every request).
    `drawn` is the way the page showed; it is checked before Telegram is asked, and the way
    read then is checked again in the write."""
    require_admin(actor)
    config = _config(store, channel_id)
    if mode != _mode(config):
        require_unchanged(drawn, _mode(config), "How the bot receives", _mode(config))
    same = _same_mode(_mode(config))
    if mode == telegram.WEBHOOK:
        public_url = load_settings().public_url
        if not public_url:
            raise InvalidInput(
                "Set INBOX_PUBLIC_URL to the inbox's public https:// address first: "
                "Telegram posts the messages there."
            )
        url, secret = telegram.webhook_url(public_url, channel_id), secrets.token_urlsafe(32)
        params = {"url": url, "secret_token": secret, "allowed_updates": telegram.UPDATES}
        _ask_telegram(config, "setWebhook", params, "Telegram did not take the webhook")
        accounts.configure_channel(
            store, actor, channel_id, check=same, mode=mode, webhook_url=url, webhook_secret=secret
        )
    else:
        if config.get("mode") == telegram.WEBHOOK:
            _ask_telegram(config, "deleteWebhook", {}, "Telegram did not drop the webhook")
        accounts.configure_channel(
            store, actor, channel_id, check=same, mode=POLLING, webhook_url=None,
            webhook_secret=None,
        )  # fmt: skip


def set_callback_url(
    store: Store, actor: User, channel_id: int, url: str, *, drawn: str = UNCHECKED
) -> None:
    """`drawn` is the address the page showed ("" for none)."""
    url = url.strip()
    parts = urlsplit(url)
    if url and (parts.scheme not in ("http", "https") or not parts.netloc):
        raise InvalidInput("The callback URL must start with https:// (or http://).")

    def check(current: dict[str, Any]) -> None:
        stored = current.get("callback_url") or ""
        if stored != url:
            require_unchanged(drawn, stored, "The callback URL", stored or "none")

    accounts.configure_channel(store, actor, channel_id, check=check, callback_url=url or None)


def new_secret(store: Store, actor: User, channel_id: int) -> str:
    """A fresh secret for an HTTP channel, returned this once so it can be given to the widget."""
    secret = secrets.token_urlsafe(24)
    accounts.configure_channel(store, actor, channel_id, secret=secret)
    return secret


def set_rate(
    store: Store, actor: User, channel_id: int, rate: float, *, drawn: float = UNCHECKED
) -> None:
    """`drawn` is the rate the page showed."""
    if not 0 <= rate <= MAX_DEMO_RATE:
        raise InvalidInput(f"The rate is between 0 (off) and {MAX_DEMO_RATE:g} a minute.")

    def check(current: dict[str, Any]) -> None:
        stored = float(current.get("rate") or 0)
        if stored != rate:
            require_unchanged(drawn, stored, "The rate", f"{stored:g} a minute")

    accounts.configure_channel(store, actor, channel_id, check=check, rate=float(rate))


def set_enabled(
    store: Store, actor: User, channel_id: int, enabled: bool, *, drawn: bool = UNCHECKED
) -> None:
    """Off stops its worker at once (pollers and delivery look again when the store changes);
    its chats stay readable. `drawn` is whether the page showed it on."""
    require_admin(actor)
    with store.write() as cur:
        require_admin_now(cur, actor)
        channel = channels.get(cur, channel_id)
        if channel is None:
            raise NotFound("No such channel.")
        if channel.enabled == enabled:
            return
        require_unchanged(
            drawn, channel.enabled, "Whether the channel is on", "on" if channel.enabled else "off"
        )
        channels.set_enabled(cur, channel_id, enabled)
