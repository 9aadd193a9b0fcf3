"""The generic HTTP channel's inbound side (SPEC CH3): a website widget or any system posts a
customer message as JSON, proving itself with the channel's secret."""

import hmac

from inbox.errors import NotFound, PermissionDenied
from inbox.models import ChannelKind, InboundMessage, InboundResult
from inbox.services import inbound
from inbox.store import Store, channels


def receive_http_message(
    store: Store, channel_id: int, secret: str | None, message: InboundMessage
) -> InboundResult:
    with store.read() as cur:
        channel = channels.get(cur, channel_id)
        config = channels.settings(cur, channel_id) if channel else None
    if channel is None or channel.kind != ChannelKind.HTTP:
        raise NotFound("No such HTTP channel.")
    expected = str((config or {}).get("secret") or "")
    if not expected or not hmac.compare_digest(expected.encode(), (secret or "").encode()):
        raise PermissionDenied("Wrong or missing channel secret.")
    if not channel.enabled:
        raise PermissionDenied("This channel is disabled.")
    return inbound.receive_customer_message(store, message)
