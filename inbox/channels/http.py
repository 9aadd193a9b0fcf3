"""The generic HTTP channel (SPEC CH3), for a website widget or any other system.

In: the system posts a customer message as JSON, proving itself with the channel's secret.
Out: each reply is posted as JSON to the channel's callback URL, signed with the same secret:

    X-Inbox-Timestamp: 1767225600
    X-Inbox-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>." + body, keyed with the secret>

    {"message_id": "42", "user_id": "visitor-17", "text": "Hello!",
     "reply_to": "m-1", "reply_to_text": "Do you ship to Porto?"}

A 2xx answer means delivered (a JSON {"id": ...} in it is kept as the reply's id there). The same
message_id may come again after a Retry of a reply whose fate was unknown: the receiver can use
it to ignore a repeat.
"""

import hashlib
import hmac
import http.client
import json
import time
import urllib.error
import urllib.request

from inbox.channels.base import (
    PermanentFailure,
    TemporaryFailure,
    UncertainFailure,
    reply_timeout,
)
from inbox.errors import NotFound, PermissionDenied
from inbox.models import ChannelKind, InboundMessage, InboundResult, Outgoing
from inbox.services import inbound
from inbox.store import Store, channels

CALLBACK_TIMEOUT_SECONDS = 10  # a channel's "timeout_seconds" setting overrides it


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


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def _reason(status: int, body: bytes) -> str:
    said = body[:200].decode("utf-8", "replace").strip()
    return f"The callback answered {status}" + (f": {said}" if said else ".")


def send(outgoing: Outgoing) -> str | None:
    config = outgoing.channel_settings
    url, secret = config.get("callback_url"), str(config.get("secret") or "")
    if not url:
        raise PermanentFailure("This channel has no callback URL to send replies to.")
    body = json.dumps(
        {
            "message_id": str(outgoing.message_id),
            "user_id": outgoing.recipient,
            "text": outgoing.text,
            "reply_to": outgoing.reply_to_external_id,
            "reply_to_text": outgoing.reply_to_text,
        }
    ).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Inbox-Timestamp": timestamp,
            "X-Inbox-Signature": signature(secret, timestamp, body),
        },
    )
    try:
        timeout = reply_timeout(config, CALLBACK_TIMEOUT_SECONDS)
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = response.read(10_000)
    except urllib.error.HTTPError as error:
        said = error.read(10_000)
        if error.code == 429 or error.code >= 500:
            retry_after = error.headers.get("Retry-After", "")
            wait = float(retry_after) if retry_after.isdigit() else None
            raise TemporaryFailure(_reason(error.code, said), wait) from error
        raise PermanentFailure(_reason(error.code, said)) from error
    except urllib.error.URLError as error:  # before the request was sent
        raise TemporaryFailure(f"The callback could not be reached: {error.reason}") from error
    except (TimeoutError, ConnectionError, http.client.HTTPException) as error:
        raise UncertainFailure(f"The callback did not answer: {error or 'timed out'}") from error
    try:
        return str(json.loads(answer)["id"])
    except (ValueError, KeyError, TypeError):
        return None
