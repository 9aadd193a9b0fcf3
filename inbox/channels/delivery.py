"""Delivering manager replies (SPEC M3, CH6): take what is due from the outbox, claim it, hand it
to its channel's connector, and record what became of it."""

import logging
from datetime import datetime, timedelta

from inbox.channels import demo
from inbox.channels.base import Connector, PermanentFailure, TemporaryFailure, UncertainFailure
from inbox.models import DeliveryState, Outgoing
from inbox.services.common import now_or_utc
from inbox.store import Store, chats, deliveries, messages

log = logging.getLogger(__name__)

# Seconds to wait after the 1st, 2nd, 3rd temporary failure; after that the reply has failed.
RETRY_DELAYS = (1, 2, 4)


def deliver_due(
    store: Store,
    connectors: dict[str, Connector],
    now: datetime | None = None,
    limit: int = 20,
) -> int:
    """Send the replies that are due; returns how many were tried."""
    now = now_or_utc(now)
    with store.read() as cur:
        due = deliveries.due(cur, now, list(connectors), limit)
    for message_id in due:
        with store.write() as cur:
            outgoing = deliveries.claim(cur, message_id, now, store.server_id)
            if outgoing is not None:
                store.touch(outgoing.channel_id, outgoing.chat_id)
        if outgoing is not None:
            connector = connectors[outgoing.channel_kind]
            if outgoing.channel_settings.get(demo.SIMULATED):  # the demo's platforms
                connector = demo.KIND
            _send(store, connector, outgoing, now)
    return len(due)


def _send(store: Store, connector: Connector, outgoing: Outgoing, now: datetime) -> None:
    def part_sent(number: int, external_id: str | None) -> None:
        with store.write(shown=False, news=False) as cur:
            deliveries.part_sent(cur, outgoing.message_id, number)
            if number == 1 and external_id:
                messages.set_external_id(cur, outgoing.message_id, external_id)
            elif external_id:
                messages.add_part(cur, outgoing.message_id, outgoing.chat_id, external_id)

    outgoing.on_part_sent(part_sent)
    try:
        external_id = connector.send(outgoing)
    except UncertainFailure as failure:  # shown as "may not have arrived", with Retry
        _finish(store, outgoing, DeliveryState.UNKNOWN, now, str(failure))
    except TemporaryFailure as failure:
        waits = failure.retry_after is not None  # a rate limit is no failure of the reply
        if waits or outgoing.attempts <= len(RETRY_DELAYS):
            delay = failure.retry_after if waits else RETRY_DELAYS[outgoing.attempts - 1]
            with store.write() as cur:
                store.touch(outgoing.channel_id, outgoing.chat_id)
                when = now + timedelta(seconds=delay)
                deliveries.try_again_at(cur, outgoing.message_id, when, str(failure), now)
            return
        _finish(store, outgoing, DeliveryState.FAILED, now, str(failure))
    except PermanentFailure as failure:
        _finish(store, outgoing, DeliveryState.FAILED, now, str(failure))
    except Exception:
        log.exception("Sending reply %s failed unexpectedly", outgoing.message_id)
        reason = "Sending failed unexpectedly; it may or may not have arrived."
        _finish(store, outgoing, DeliveryState.UNKNOWN, now, reason)
    else:
        with store.write() as cur:
            store.touch(outgoing.channel_id, outgoing.chat_id)
            deliveries.finish(cur, outgoing.message_id, DeliveryState.SENT, now)
            if external_id:
                messages.set_external_id(cur, outgoing.message_id, external_id)


def _finish(store: Store, outgoing: Outgoing, state: DeliveryState, now: datetime, error: str):
    with store.write() as cur:
        store.touch(outgoing.channel_id, outgoing.chat_id)
        deliveries.finish(cur, outgoing.message_id, state, now, error)


def mark_sent(store: Store, message_id: int, now: datetime | None = None) -> None:
    """Record a reply as delivered without sending it (history that happened elsewhere)."""
    with store.write() as cur:
        deliveries.finish(cur, message_id, DeliveryState.SENT, now_or_utc(now))


def abandon_in_flight(store: Store, now: datetime | None = None) -> int:
    """Replies a stopped server was sending are of unknown fate, never resent. Only reads
    when there are none."""
    live = store.live_servers()
    with store.read() as cur:
        stopped = deliveries.in_flight_of_stopped_servers(cur, live)
    if not stopped:
        return 0
    abandoned = 0
    with store.write() as cur:
        for message_id, chat_id in stopped:
            if deliveries.abandon(cur, message_id, now_or_utc(now)):
                store.touch(chats.channel_of(cur, chat_id), chat_id)
                abandoned += 1
    return abandoned


def next_try_at(store: Store, connectors: dict[str, Connector]) -> datetime | None:
    with store.read() as cur:
        return deliveries.next_try_at(cur, list(connectors))
