"""Receiving by long polling, for any kind that polls its platform: one thread per channel,
started and stopped with the app. Which channels poll is checked again only when the store
changed (a channel added, enabled or disabled), so an idle server makes no query. A poller's
failures are logged and waited out; Settings shows them."""

import logging
import threading
from collections.abc import Callable

from inbox.channels import leases
from inbox.channels.base import PermanentFailure, TemporaryFailure
from inbox.clock import utc_now
from inbox.store import Store, channels

log = logging.getLogger(__name__)

# A poll holds its bot's lease for the long poll plus this; another server looks again after
# ANOTHER_SERVER_POLLS_SECONDS whether the lease ran out (its server stopped).
LEASE_MARGIN_SECONDS = 30
ANOTHER_SERVER_POLLS_SECONDS = 5


class ChannelPolling:
    """`polled(store)` lists the channels to poll now; `poll_once(store, channel_id, seconds)`
    waits up to `poll_seconds` for news and stores it. `name` names the threads and leases."""

    def __init__(
        self,
        store: Store,
        name: str,
        polled: Callable[[Store], list[int]],
        poll_once: Callable[[Store, int, float], int],
        poll_seconds: float,
        check_seconds: float = 1.0,
    ):
        self.store = store
        self.name = name
        self.polled = polled
        self.poll_once = poll_once
        self.check_seconds = check_seconds
        self.poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._pollers: dict[int, threading.Event] = {}
        self._thread = threading.Thread(target=self._run, name=f"{name}-polling", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        for stop_one in self._pollers.values():
            stop_one.set()
        self._thread.join(5)

    def _run(self) -> None:
        seen = None
        while not self._stop.is_set():
            if self.store.version != seen:
                seen = self.store.version
                try:
                    self._reconcile(set(self.polled(self.store)))
                except Exception:
                    log.exception("Could not look up which %s channels to poll", self.name)
            self._stop.wait(self.check_seconds)

    def _reconcile(self, wanted: set[int]) -> None:
        for channel_id in set(self._pollers) - wanted:
            self._pollers.pop(channel_id).set()
        for channel_id in wanted - set(self._pollers):
            stop_one = self._pollers[channel_id] = threading.Event()
            threading.Thread(
                target=self._poll,
                args=(channel_id, stop_one),
                name=f"{self.name}-poll-{channel_id}",
                daemon=True,
            ).start()

    def _poll(self, channel_id: int, stop_one: threading.Event) -> None:
        lease = f"{self.name}-poll-{channel_id}"
        try:
            self._poll_while_held(channel_id, lease, stop_one)
        finally:
            try:
                leases.let_go(self.store, lease)
            except Exception:
                log.exception("%s channel %s: could not let go of its lease", self.name, channel_id)

    def _poll_while_held(self, channel_id: int, lease: str, stop_one: threading.Event) -> None:
        failures, shown_error = 0, None
        while not stop_one.is_set():
            try:
                if not leases.hold(self.store, lease, self.poll_seconds + LEASE_MARGIN_SECONDS):
                    stop_one.wait(ANOTHER_SERVER_POLLS_SECONDS)  # another server polls this bot
                    continue
                self.poll_once(self.store, channel_id, self.poll_seconds)
                failures = 0
                if shown_error is not None:
                    shown_error = self._show_error(channel_id, None, shown_error)
                continue
            except TemporaryFailure as failure:
                failures += 1
                error, wait = str(failure), failure.retry_after or min(2**failures, 60)
            except PermanentFailure as failure:
                error, wait = str(failure), 60
            except Exception:
                log.exception("%s channel %s: polling failed", self.name, channel_id)
                error, wait = "Polling failed unexpectedly; see the server log.", 5
            if error != shown_error:
                shown_error = self._show_error(channel_id, error, shown_error)
            log.warning("%s channel %s: %s; again in %s s", self.name, channel_id, error, wait)
            stop_one.wait(wait)

    def _show_error(self, channel_id: int, error: str | None, shown: str | None) -> str | None:
        """Settings shows the bot's polling error, on every server; written when it changes.
        Returns what Settings shows now."""
        try:
            with self.store.write() as cur:
                channels.record_problem(cur, channel_id, error, utc_now())
        except Exception:
            log.exception(
                "%s channel %s: could not record its polling error", self.name, channel_id
            )
            return shown
        return error
