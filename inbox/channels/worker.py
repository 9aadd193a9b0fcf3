"""The delivery worker: a thread that the app's lifespan starts and stops.

It looks at the outbox only when the store changed or a retry falls due, so an idle server makes
no query. Its failures are logged and tried again; they never take the server down."""

import logging
import threading
from datetime import timedelta

from inbox.channels import delivery
from inbox.channels.base import Connector
from inbox.channels.demo import ANSWER_AFTER, DemoCustomers
from inbox.channels.registry import CONNECTORS
from inbox.clock import utc_now
from inbox.models import ChannelKind
from inbox.store import Store

log = logging.getLogger(__name__)
AFTER_AN_ERROR = timedelta(seconds=5)
# With several servers on one database, how often each looks for replies that a stopped one
# was sending (at start it looks at once).
LOOK_FOR_STOPPED_SERVERS = timedelta(seconds=60)


class DeliveryWorker:
    def __init__(
        self,
        store: Store,
        connectors: dict[ChannelKind, Connector] = CONNECTORS,
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
        while not self._stop.wait(self.tick_seconds):
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
                wake_at = delivery.next_try_at(self.store, self.connectors)
            except Exception:
                log.exception("Delivering replies failed; trying again shortly")
                wake_at = utc_now() + AFTER_AN_ERROR


class DemoWorker:
    """Runs the demo's customers. It does something only when a visit is due or the store
    changed (a reply to answer a few seconds later), so with no demo channel on it is idle."""

    def __init__(self, store: Store, tick_seconds: float = 0.5):
        self.customers = DemoCustomers(store)
        self.store = store
        self.tick_seconds = tick_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="demo-customers", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        seen, wake_at = None, None
        while not self._stop.wait(self.tick_seconds):
            now = utc_now()
            changed = self.store.version != seen
            if not changed and (wake_at is None or now < wake_at):
                continue
            seen = self.store.version
            try:
                self.customers.step(now)
                seen = self.store.version  # its own messages need no second look
                answer_check = now + ANSWER_AFTER + timedelta(seconds=0.5) if changed else None
                due = [t for t in (self.customers.next_due(), answer_check) if t is not None]
                wake_at = min(due, default=None)
            except Exception:
                log.exception("The demo customers stumbled; trying again shortly")
                wake_at = now + AFTER_AN_ERROR
