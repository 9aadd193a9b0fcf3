"""Demo customers (SPEC CH4): simulated people who start chats, write follow-ups now and then,
and answer a manager's reply, so a demo shows live badges and reordering with nobody typing.

A demo channel's setting `rate` is how many customer messages a minute it makes on average
(0 turns it off). Replies to demo customers are always delivered.

The demo database also has channels of the platforms' kinds (Messenger, Instagram, WhatsApp)
marked `simulated`: no platform is connected, their replies go to these customers, who answer
them as in a demo channel."""

import itertools
import logging
import random
import threading
from datetime import timedelta

from inbox.channels import leases
from inbox.channels.base import AFTER_AN_ERROR_SECONDS, MB, FileRules, Kind, Limits, Setting
from inbox.clock import utc_now
from inbox.models import InboundMessage, Outgoing
from inbox.services import inbound
from inbox.store import Store, channels, chats, deliveries

log = logging.getLogger(__name__)

NAME = "demo"
SIMULATED = "simulated"  # the setting of a platform's channel whose customers are simulated
ANSWER_AFTER = timedelta(seconds=4)
LEASE, LEASE_SECONDS = "demo-customers", 30
ANSWER_WITHIN = timedelta(minutes=10)  # older replies (the seeded history) stay unanswered
NAMES = [
    "Lena Schmidt", "Mateo García", "Aiko Tanaka", "Chloé Martin", "Oliver Smith",
    "Sofia Rossi", "Lars Nilsson", "Ana Souza", "Piotr Nowak", "Emre Yılmaz",
    "Fatima El Amrani", "Nikos Papadopoulos", "Eva Novák", "Liam Murphy", "Marta Kowalska",
]  # fmt: skip
OPENERS = [
    "Hi! Do you ship to Portugal?",
    "Hello, is the merino scarf still in stock?",
    "Good morning! How long does delivery to Berlin take?",
    "Hi, can I pay on delivery?",
    "Do you have the wool socks in size 42?",
    "Hello! I'd like to order two beanies, one grey and one blue.",
]
FOLLOW_UPS = [
    "Any news about my order?",
    "Also, do you have gift wrapping?",
    "Sorry, one more question: can I change the delivery address?",
    "Is there a discount for three items?",
]
ANSWERS = [
    "Great, thank you!",
    "Perfect 👍",
    "How long will delivery take?",
    "Ok, then I'll take it.",
    "Thanks! And can I pay by card?",
]


def send(outgoing: Outgoing) -> str | None:
    return f"demo-{outgoing.message_id}"  # the simulated customer always receives it


class DemoCustomers:
    """What the demo's customers do. `step(now)` does what is due; the worker calls it."""

    def __init__(self, store: Store, rng: random.Random | None = None):
        self.store = store
        self.rng = rng or random.Random()
        self._next_visit: dict[int, object] = {}
        self._ids = itertools.count(1)

    def active_channels(self) -> list[tuple[int, float]]:
        """Demo channels with their rate, and simulated ones, whose customers only answer."""
        with self.store.read() as cur:
            found = channels.enabled_of_kind(cur, NAME)
            simulated = channels.enabled_simulated(cur, SIMULATED)
        return [(cid, float(config.get("rate") or 0)) for cid, config in found] + [
            (cid, 0.0) for cid in simulated
        ]

    def step(self, now=None) -> int:
        """Customers write what is due; returns how many messages they wrote. With several
        servers on one database, only the one holding the demo's lease does this; the lease is
        asked for only while a demo channel is on."""
        now = now or utc_now()
        written = 0
        active = self.active_channels()
        if any(rate > 0 for _, rate in active) and not leases.hold(
            self.store, LEASE, LEASE_SECONDS
        ):
            return 0  # another server runs the demo's customers
        for channel_id, rate in active:
            with self.store.read() as cur:
                waiting = deliveries.unanswered_in(
                    cur, channel_id, now - ANSWER_WITHIN, now - ANSWER_AFTER
                )
            for who, name in waiting:
                self._write(channel_id, who, name, self.rng.choice(ANSWERS), now)
                written += 1
            if rate <= 0:
                self._next_visit.pop(channel_id, None)
                continue
            due = self._next_visit.get(channel_id)
            if due is None or now >= due:
                if due is not None:
                    self._visit(channel_id, now)
                    written += 1
                minutes = self.rng.expovariate(rate)
                self._next_visit[channel_id] = now + timedelta(minutes=minutes)
        return written

    def next_due(self):
        return min(self._next_visit.values(), default=None)

    def _visit(self, channel_id: int, now) -> None:
        """A new customer starts a chat, or one with an open chat writes again."""
        with self.store.read() as cur:
            known = chats.open_contacts_in(cur, channel_id, limit=20)
        if known and self.rng.random() < 0.4:
            who, name = self.rng.choice(known)
            self._write(channel_id, who, name, self.rng.choice(FOLLOW_UPS), now)
        else:
            who = f"demo-{self.rng.randrange(10**9)}"
            self._write(channel_id, who, self.rng.choice(NAMES), self.rng.choice(OPENERS), now)

    def _write(self, channel_id: int, who: str, name: str, text: str, now) -> None:
        inbound.receive_customer_message(
            self.store,
            InboundMessage(
                channel_id=channel_id,
                external_user_id=who,
                display_name=name,
                external_message_id=f"demo-{now.timestamp()}-{next(self._ids)}",
                text=text,
            ),
            now=now,
        )


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
                wake_at = now + timedelta(seconds=AFTER_AN_ERROR_SECONDS)


MAX_RATE = 60.0

SETTINGS = (
    Setting("rate", "Customer messages a minute (0 is off)", widget="number", default=0.0,
            minimum=0.0, maximum=MAX_RATE, step=0.5, unit="a minute"),
)  # fmt: skip


KIND = Kind(
    name=NAME,
    label="Demo customers",
    send=send,
    limits=Limits(
        text_length=4096, sends=FileRules(max_files=10, photo_bytes=10 * MB, file_bytes=10 * MB)
    ),  # fmt: skip
    workers=[DemoWorker],
    start_settings=lambda: {"rate": 1.0},
    settings=SETTINGS,
)
