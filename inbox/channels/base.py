"""What a kind of channel provides (`Kind`), and how its sending fails."""

from collections.abc import Callable
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class Limits:
    """What one message on a kind of channel may be. The reply box holds at most `text_length`
    characters and the service refuses longer ones."""

    text_length: int
    file_bytes: int | None = None  # the largest customer file fetched; None: it sends none
    quotes: bool = False  # whether a reply is sent quoting the message it answers


@dataclass(frozen=True)
class Kind:
    """A kind of channel as the rest of the inbox knows it: one module in inbox/channels/
    makes one of these, and inbox/channels/registry.py lists it.

    `send` hands a reply to the platform (raising TemporaryFailure, UncertainFailure or
    PermanentFailure), `routes` take its inbound traffic under /api/channels/, `workers` are
    made with the store when the app starts, `fetch_file` brings a customer's file by the
    channel's id for it, and `start_settings` are what a new channel of the kind starts with."""

    name: str  # stored as the channel's kind
    label: str  # what Settings calls it
    send: Callable[[Outgoing], str | None]
    limits: Limits
    routes: list[BaseRoute] = field(default_factory=list)
    workers: list[Callable[[Any], Worker]] = field(default_factory=list)
    fetch_file: Callable[[dict[str, Any], str], bytes] | None = None
    start_settings: Callable[[], dict[str, Any]] = dict
