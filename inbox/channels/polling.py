"""Receiving by long polling: one thread per Telegram bot that polls, started and stopped with
the app. Which bots poll is checked again only when the store changed (a bot added, enabled or
disabled), so an idle server makes no query. A poller's failures are logged and waited out."""

import logging
import threading

from inbox.channels import leases, telegram
from inbox.channels.base import PermanentFailure, TemporaryFailure
from inbox.clock import utc_now
from inbox.settings import load_settings
from inbox.store import Store, channels

log = logging.getLogger(__name__)

# A poll holds its bot's lease for the long poll plus this; another server looks again after
# ANOTHER_SERVER_POLLS_SECONDS whether the lease ran out (its server stopped).
LEASE_MARGIN_SECONDS = 30
ANOTHER_SERVER_POLLS_SECONDS = 5


class TelegramPolling:
    def __init__(self, store: Store, check_seconds: float = 1.0):
        self.store = store
        self.check_seconds = check_seconds
        self.poll_seconds = load_settings().telegram_poll_seconds
        self._stop = threading.Event()
        self._pollers: dict[int, threading.Event] = {}
        self._thread = threading.Thread(target=self._run, name="telegram-polling", daemon=True)

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
                    self._reconcile(set(telegram.polled_channels(self.store)))
                except Exception:
                    log.exception("Could not look up which Telegram bots to poll")
            self._stop.wait(self.check_seconds)

    def _reconcile(self, wanted: set[int]) -> None:
        for channel_id in set(self._pollers) - wanted:
            self._pollers.pop(channel_id).set()
        for channel_id in wanted - set(self._pollers):
            stop_one = self._pollers[channel_id] = threading.Event()
            threading.Thread(
                target=self._poll,
                args=(channel_id, stop_one),
                name=f"telegram-poll-{channel_id}",
                daemon=True,
            ).start()

    def _poll(self, channel_id: int, stop_one: threading.Event) -> None:
        lease = f"telegram-poll-{channel_id}"
        try:
            self._poll_while_held(channel_id, lease, stop_one)
        finally:
            try:
                leases.let_go(self.store, lease)
            except Exception:
                log.exception("Telegram channel %s: could not let go of its lease", channel_id)

    def _poll_while_held(self, channel_id: int, lease: str, stop_one: threading.Event) -> None:
        failures, shown_error = 0, None
        while not stop_one.is_set():
            try:
                if not leases.hold(self.store, lease, self.poll_seconds + LEASE_MARGIN_SECONDS):
                    stop_one.wait(ANOTHER_SERVER_POLLS_SECONDS)  # another server polls this bot
                    continue
                telegram.poll_once(self.store, channel_id, self.poll_seconds)
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
                log.exception("Telegram channel %s: polling failed", channel_id)
                error, wait = "Polling failed unexpectedly; see the server log.", 5
            if error != shown_error:
                shown_error = self._show_error(channel_id, error, shown_error)
            log.warning("Telegram channel %s: %s; again in %s s", channel_id, error, wait)
            stop_one.wait(wait)

    def _show_error(self, channel_id: int, error: str | None, shown: str | None) -> str | None:
        """Settings shows the bot's polling error, on every server; written when it changes.
        Returns what Settings shows now."""
        try:
            with self.store.write() as cur:
                channels.record_problem(cur, channel_id, error, utc_now())
        except Exception:
            log.exception("Telegram channel %s: could not record its polling error", channel_id)
            return shown
        return error
