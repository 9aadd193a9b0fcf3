"""Settings → Channels (SPEC P4), for administrators: each channel's status, adding one,
configuring it as its kind describes it (inbox/channels/base.py, Setting), and switching it on
or off. Secrets are write-only: a page gets a hint that
one is set, never the secret itself."""

import json
import secrets
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from inbox.channels import demo, registry
from inbox.channels.base import Kind, Setting
from inbox.errors import InvalidInput, NotFound
from inbox.models import Channel, User
from inbox.services import accounts
from inbox.services.common import UNCHECKED, require_admin, require_admin_now, require_unchanged
from inbox.store import Store, channels
from inbox.store.connection import Cursor


class ChannelStatus(BaseModel):
    id: int
    kind: str
    name: str
    icon: str
    enabled: bool
    values: dict[str, Any]  # each setting of the kind that is not a secret, as stored
    secrets_set: dict[str, str]  # secret setting -> a hint such as "…ab12", never the secret
    lines: list[str]  # what the kind says of its connection ("Connected as @bot")
    last_received_at: datetime | None = None
    waiting: int = 0
    last_failure: str | None = None
    poll_error: str | None = None


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
        kind = registry.BY_NAME.get(row["kind"])
        settings = kind.every_setting if kind else ()
        found.append(
            ChannelStatus(
                **row,
                values={s.key: s.value(config) for s in settings if not s.secret},
                secrets_set={
                    s.key: _hint(str(config[s.key]))
                    for s in settings
                    if s.secret and config.get(s.key)
                },
                lines=_lines(kind, row, config),
            )  # fmt: skip
        )
    return found


def _lines(kind: Kind | None, row: dict, config: dict[str, Any]) -> list[str]:
    said = kind.status(row["id"], config, row["poll_error"]) if kind else []
    if config.get(demo.SIMULATED):
        said = ["Demo: no platform is connected; replies go to simulated customers.", *said]
    return said


def add_channel(store: Store, actor: User, kind: str, name: str, icon: str) -> Channel:
    return accounts.create_channel(store, actor, kind, name, icon or "💬")


def _channel(store: Store, channel_id: int) -> tuple[Kind, dict[str, Any]]:
    with store.read() as cur:
        channel = channels.get(cur, channel_id)
        config = channels.settings(cur, channel_id)
    if channel is None or config is None:
        raise NotFound("No such channel.")
    return registry.kind(channel.kind), config


def _clean(setting: Setting, value: Any) -> Any:
    """What was typed, as the setting keeps it, or InvalidInput saying what is wrong."""
    if setting.widget == "number":
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise InvalidInput(f"{setting.label}: a number, please.") from None
        low, high = setting.minimum, setting.maximum
        if (low is not None and value < low) or (high is not None and value > high):
            raise InvalidInput(f"{setting.label}: between {low:g} and {high:g}.")
    elif setting.widget == "choice":
        if value not in dict(setting.choices):
            raise InvalidInput(f"{setting.label}: choose one of the options.")
    elif setting.widget == "lines":
        if isinstance(value, str):
            value = value.splitlines()
        value = [line.strip() for line in value if line.strip()]
        if sum(len(line) for line in value) > setting.max_length:
            raise InvalidInput(f"{setting.label}: at most {setting.max_length} characters.")
    elif isinstance(value, str):
        value = value.strip()
        if len(value) > setting.max_length:
            raise InvalidInput(f"{setting.label}: at most {setting.max_length} characters.")
    if setting.clean is not None:
        value = setting.clean(value)
    if setting.required and value in (None, "", []):
        raise InvalidInput(f"{setting.label} is needed.")
    return value


def change_setting(
    store: Store, actor: User, channel_id: int, key: str, value: Any, *, drawn: Any = UNCHECKED
) -> None:
    """Set one of the channel's settings, as its kind describes it. `drawn` is the value the
    page showed: checked before the platform is asked, and the value read then is checked
    again in the write, so a page drawn before someone else's change never undoes it. A
    secret is write-only: it is never compared, shown or logged."""
    require_admin(actor)
    kind, config = _channel(store, channel_id)
    try:
        setting = kind.setting(key)
    except KeyError:
        raise InvalidInput(f"A {kind.label} channel has no setting “{key}”.") from None
    value = _clean(setting, value)
    before = None if setting.secret else setting.value(config)
    if not setting.secret:
        if value == before:
            return
        require_unchanged(drawn, before, setting.label, setting.describe(before))
    changes = setting.prepare(channel_id, config, value) if setting.prepare else {key: value}

    def check(current: dict[str, Any]) -> None:
        if not setting.secret:
            stored = setting.value(current)
            require_unchanged(before, stored, setting.label, setting.describe(stored))

    accounts.configure_channel(store, actor, channel_id, check=check, **changes)


def new_secret(store: Store, actor: User, channel_id: int, key: str = "secret") -> str:
    """A fresh secret the inbox makes, returned this once so it can be given to the other side."""
    require_admin(actor)
    kind, _ = _channel(store, channel_id)
    if kind.setting(key).widget != "generated":
        raise InvalidInput("The inbox does not make this secret.")
    secret = secrets.token_urlsafe(24)
    accounts.configure_channel(store, actor, channel_id, **{key: secret})
    return secret


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
