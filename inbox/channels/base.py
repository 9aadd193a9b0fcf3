"""What a kind of channel provides (`Kind`), and how its sending fails."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from starlette.routing import BaseRoute

from inbox.models import Outgoing


class TemporaryFailure(Exception):
    """Worth trying again later (a timeout, a 5xx, a rate limit); `retry_after` in seconds when
    the channel said how long to wait."""

    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.retry_after = retry_after


class UncertainFailure(TemporaryFailure):
    """The request went out but no answer came (it timed out or the connection dropped): the
    channel may have taken it. Reading again is harmless; a reply is not sent again on its own."""


class PermanentFailure(Exception):
    """The channel refused the reply; sending it again unchanged will not help."""


def reply_timeout(channel_settings: dict[str, Any], default: float) -> float:
    """How long a connector waits for the channel to take a reply: the channel's
    "timeout_seconds" setting, else the connector's own default."""
    return float(channel_settings.get("timeout_seconds") or default)


class Connector(Protocol):
    def send(self, outgoing: Outgoing) -> str | None:
        """Deliver the reply; return the channel's id for it, if it gives one."""


AFTER_AN_ERROR_SECONDS = 5  # a worker that stumbled looks again after this


class Worker(Protocol):
    """A thread a kind runs beside the app (a poller, the demo's customers)."""

    def start(self) -> None: ...

    def stop(self) -> None: ...


MB = 1024 * 1024
PICTURE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})


@dataclass(frozen=True)
class FileRules:
    """The files one reply may carry on a kind of channel. A picture of `photo_types` within
    `photo_bytes` is sent as a photo (shown in the chat); any other file within `file_bytes`
    goes as a document, when the platform takes documents (`file_types` None: of any type)."""

    max_files: int
    photo_bytes: int
    photo_types: frozenset[str] = PICTURE_TYPES
    file_bytes: int = 0  # 0: no documents, pictures only
    file_types: frozenset[str] | None = None
    refused_extensions: frozenset[str] = frozenset()  # documents named so are refused


@dataclass(frozen=True)
class Limits:
    """What one message on a kind of channel may be. The reply box holds at most `text_length`
    characters and the service refuses longer ones."""

    text_length: int
    text_bytes: int | None = None  # a platform that counts UTF-8 bytes, not characters
    file_bytes: int | None = None  # the largest customer file fetched; None: it sends none
    quotes: bool = False  # whether a reply is sent quoting the message it answers
    sends: FileRules | None = None  # the files a reply may carry; None: text only


@dataclass(frozen=True)
class Setting:
    """One setting of a kind of channel, as Settings → Channels draws it and the settings
    service checks and stores it (in the channel's settings, under `key`).

    `widget` is how it is asked: "text", "number", "choice" (`choices`: value -> label),
    "lines" (one entry a line, stored as a list), "secret" (typed, write-only: never shown or
    logged, Settings shows a hint that one is set) or "generated" (a secret the inbox makes on
    request and shows once). `clean` turns what was typed into the value to keep, raising
    InvalidInput with a reason; `prepare(channel_id, config, value)`, when given, returns the
    settings to store for it (else it is stored under `key`), and may ask the platform first (a
    token checked, a webhook set), raising InvalidInput with what the platform said."""

    key: str
    label: str
    widget: str = "text"
    help: str = ""
    placeholder: str = ""
    required: bool = False
    default: Any = None
    choices: tuple[tuple[str, str], ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    step: float = 1.0
    unit: str = ""  # how a number is told: "5 a minute"
    max_length: int = 2000
    clean: Callable[[Any], Any] | None = None
    prepare: Callable[[int, dict[str, Any], Any], dict[str, Any]] | None = None
    read: Callable[[dict[str, Any]], Any] | None = None

    @property
    def secret(self) -> bool:
        return self.widget in ("secret", "generated")

    def value(self, config: dict[str, Any]) -> Any:
        """What is stored now, as the page shows it (never for a secret)."""
        if self.read is not None:
            return self.read(config)
        stored = config.get(self.key)
        return self.default if stored is None else stored

    def describe(self, value: Any) -> str:
        if self.widget == "choice":
            return dict(self.choices).get(value, str(value))
        if self.widget == "lines":
            return ", ".join(value) if value else "none"
        if isinstance(value, float):
            return f"{value:g} {self.unit}".strip()
        return str(value) if value else "none"


@dataclass(frozen=True)
class Template:
    """A message the platform approved in advance, which it takes when nothing else may be
    sent (WhatsApp outside its 24-hour window): sent by name and language; `text` is what the
    conversation shows of it."""

    name: str
    language: str
    text: str = ""

    @property
    def key(self) -> str:
        return f"{self.name} {self.language}"

    @property
    def shown(self) -> str:
        return self.text or f"Template “{self.name}” ({self.language})"


# What every channel may answer by itself (SPEC CH11), beside its kind's own settings.
AUTO_GREETING, AUTO_AWAY, AUTO_EVERY = "auto_greeting", "auto_away", "auto_every_hours"
AUTO_REPLY_SETTINGS = (
    Setting(AUTO_GREETING, "Automatic greeting for a new chat", max_length=1000,
            placeholder="Hello! A manager will answer shortly.",
            help="Sent at once when a new customer writes. Empty: none."),
    Setting(AUTO_AWAY, "Automatic answer out of working hours", max_length=1000,
            placeholder="We are closed now and will answer in the morning.",
            help="Sent when a customer writes outside the shop's working hours (Settings → "
                 "Shop). Empty: none."),
    Setting(AUTO_EVERY, "Hours before a chat gets another automatic message", widget="number",
            default=12.0, minimum=1.0, maximum=168.0, unit="hours"),
)  # fmt: skip


def no_templates(config: dict[str, Any]) -> list[Template]:
    return []


def _no_status(channel_id: int, config: dict[str, Any], problem: str | None) -> list[str]:
    return []


def _no_window(config: dict[str, Any]) -> timedelta | None:
    return None


@dataclass(frozen=True)
class Kind:
    """A kind of channel as the rest of the inbox knows it: one module in inbox/channels/
    makes one of these, and inbox/channels/registry.py lists it.

    `send` hands a reply to the platform (raising TemporaryFailure, UncertainFailure or
    PermanentFailure), `routes` take its inbound traffic under /api/channels/, `workers` are
    made with the store when the app starts, `fetch_file` brings a customer's file by the
    channel's id for it, and `start_settings` are what a new channel of the kind starts with.
    `settings` are what an administrator sets in Settings → Channels, and `status(channel_id,
    config, problem)` the lines Settings shows about its connection ("Connected as @bot"),
    where `problem` is what went wrong receiving, if anything.

    `reply_window(config)` is how long after the customer's last message the platform takes a
    reply (None: any time); `app` names the platform's own app, for messages a manager sent
    from it ("sent from Instagram"); `keeps_files` says the platform's file addresses expire,
    so the inbox keeps a file's bytes once it has fetched them. `templates(config)` are the
    approved messages a channel may still send once its reply window has closed."""

    name: str  # stored as the channel's kind
    label: str  # what Settings calls it
    send: Callable[[Outgoing], str | None]
    limits: Limits
    routes: list[BaseRoute] = field(default_factory=list)
    workers: list[Callable[[Any], Worker]] = field(default_factory=list)
    fetch_file: Callable[[dict[str, Any], str], bytes] | None = None
    start_settings: Callable[[], dict[str, Any]] = dict
    settings: tuple[Setting, ...] = ()
    status: Callable[[int, dict[str, Any], str | None], list[str]] = _no_status
    reply_window: Callable[[dict[str, Any]], timedelta | None] = _no_window
    app: str = ""
    keeps_files: bool = False
    templates: Callable[[dict[str, Any]], list[Template]] = no_templates

    @property
    def every_setting(self) -> tuple[Setting, ...]:
        """Its own settings, then the automatic answers every channel has."""
        return (*self.settings, *AUTO_REPLY_SETTINGS)

    def setting(self, key: str) -> Setting:
        for each in self.every_setting:
            if each.key == key:
                return each
        raise KeyError(f"{self.name} channels have no setting {key!r}")
