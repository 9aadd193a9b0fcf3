"""Settings → Channels (SPEC P4), for administrators: each channel's status, adding one,
configuring it, and switching it on or off. Secrets are write-only: a page gets a hint that
one is set, never the secret itself."""

import json
import re
import secrets
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel

from inbox.channels.polling import poll_errors
from inbox.errors import InvalidInput, NotFound
from inbox.models import Channel, ChannelKind, User
from inbox.services import accounts
from inbox.services.common import require_admin
from inbox.store import Store, channels

SECRET_SETTINGS = ("token", "secret")
TELEGRAM_TOKEN = re.compile(r"\d{3,}:[A-Za-z0-9_-]{20,}")
MAX_DEMO_RATE = 60.0


class ChannelStatus(BaseModel):
    id: int
    kind: ChannelKind
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


def _hint(value: str) -> str:
    return f"set, ending …{value[-4:]}" if len(value) >= 12 else "set"


def overview(store: Store, actor: User) -> list[ChannelStatus]:
    require_admin(actor)
    with store.read() as cur:
        rows = channels.overview(cur)
    found = []
    for row in rows:
        config: dict[str, Any] = json.loads(row.pop("settings"))
        found.append(
            ChannelStatus(
                **row,
                secrets_set={k: _hint(str(config[k])) for k in SECRET_SETTINGS if config.get(k)},
                callback_url=config.get("callback_url"),
                rate=config.get("rate"),
                poll_error=poll_errors.get(row["id"]),
            )
        )
    return found


def add_channel(store: Store, actor: User, kind: ChannelKind, name: str, icon: str) -> Channel:
    start = {
        ChannelKind.HTTP: {"secret": secrets.token_urlsafe(24)},
        ChannelKind.DEMO: {"rate": 1.0},
    }
    return accounts.create_channel(store, actor, kind, name, icon or "💬", start.get(kind, {}))


def set_token(store: Store, actor: User, channel_id: int, token: str) -> None:
    token = token.strip()
    if not TELEGRAM_TOKEN.fullmatch(token):
        raise InvalidInput("That does not look like a bot token from BotFather (123456:ABC…).")
    accounts.configure_channel(store, actor, channel_id, token=token, poll_offset=0)


def set_callback_url(store: Store, actor: User, channel_id: int, url: str) -> None:
    url = url.strip()
    parts = urlsplit(url)
    if url and (parts.scheme not in ("http", "https") or not parts.netloc):
        raise InvalidInput("The callback URL must start with https:// (or http://).")
    accounts.configure_channel(store, actor, channel_id, callback_url=url or None)


def new_secret(store: Store, actor: User, channel_id: int) -> str:
    """A fresh secret for an HTTP channel, returned this once so it can be given to the widget."""
    secret = secrets.token_urlsafe(24)
    accounts.configure_channel(store, actor, channel_id, secret=secret)
    return secret


def set_rate(store: Store, actor: User, channel_id: int, rate: float) -> None:
    if not 0 <= rate <= MAX_DEMO_RATE:
        raise InvalidInput(f"The rate is between 0 (off) and {MAX_DEMO_RATE:g} a minute.")
    accounts.configure_channel(store, actor, channel_id, rate=float(rate))


def set_enabled(store: Store, actor: User, channel_id: int, enabled: bool) -> None:
    """Off stops its worker at once (pollers and delivery look again when the store changes);
    its chats stay readable."""
    require_admin(actor)
    with store.write() as cur:
        if channels.get(cur, channel_id) is None:
            raise NotFound("No such channel.")
        channels.set_enabled(cur, channel_id, enabled)
