"""The delivery worker: a thread that the app's lifespan starts and stops.

It looks at the outbox, and for snoozes that ended, only when the store changed or a retry or
a snooze's end falls due, so an idle server makes no query. Its failures are logged and tried
again; they never take the server down."""

import logging
import threading
from datetime import timedelta

from inbox.channels import delivery
from inbox.channels.base import AFTER_AN_ERROR_SECONDS, Connector
from inbox.channels.registry import CONNECTORS
from inbox.clock import utc_now
from inbox.services import search_upkeep, snooze
from inbox.store import Store

log = logging.getLogger(__name__)
AFTER_AN_ERROR = timedelta(seconds=AFTER_AN_ERROR_SECONDS)
# With several servers on one database, how often each looks for replies that a stopped one
# was sending (at start it looks at once).
LOOK_FOR_STOPPED_SERVERS = timedelta(seconds=60)
# How often it looks whether new messages' words are due to join the others, when something
# was written since it last looked.
LOOK_AT_SEARCH_WORDS = timedelta(seconds=60)


class DeliveryWorker:
    def __init__(
        self,
        store: Store,
        connectors: dict[str, Connector] = CONNECTORS,
        tick_seconds: float = 0.2,
    ):
        self.store = store
        self.connectors = connectors
        self.tick_seconds = tick_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="delivery-worker", daemon=True)

    def start(self) -> None:
        self._abandon_in_flight()
        self._thread.start()

    def _abandon_in_flight(self) -> None:
        abandoned = delivery.abandon_in_flight(self.store)
        if abandoned:
            log.warning(
                "%d replies were being sent when a server stopped: marked unknown", abandoned
            )

    def stop(self, timeout: float = 15) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        seen, wake_at = None, None
        look_for_stopped_servers_at = utc_now() + LOOK_FOR_STOPPED_SERVERS
        words_looked_at, look_at_words_at = None, utc_now()
        while not self._stop.wait(self.tick_seconds):
            if self.store.version != words_looked_at and utc_now() >= look_at_words_at:
                words_looked_at, look_at_words_at = (
                    self.store.version,
                    utc_now() + LOOK_AT_SEARCH_WORDS,
                )
                try:
                    search_upkeep.put_words_in_order(self.store)
                except Exception:
                    log.exception("Could not put the search's recent words in order")
            if self.store.shared and utc_now() >= look_for_stopped_servers_at:
                look_for_stopped_servers_at = utc_now() + LOOK_FOR_STOPPED_SERVERS
                try:
                    self._abandon_in_flight()  # another server may have stopped mid-send
                except Exception:
                    log.exception("Could not look for replies of stopped servers")
            if self.store.version == seen and (wake_at is None or utc_now() < wake_at):
                continue
            seen = self.store.version
            try:
                while delivery.deliver_due(self.store, self.connectors) and not self._stop.is_set():
                    pass
                while snooze.wake_due(self.store) and not self._stop.is_set():
                    pass
                due = (
                    delivery.next_try_at(self.store, self.connectors),
                    snooze.next_wake_at(self.store),
                )
                wake_at = min((at for at in due if at is not None), default=None)
            except Exception:
                log.exception("Delivering replies or waking snoozed chats failed; trying again")
                wake_at = utc_now() + AFTER_AN_ERROR
