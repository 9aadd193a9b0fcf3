"""What a connector promises: send one reply, and say why when it could not."""

from typing import Any, Protocol

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
