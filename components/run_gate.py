"""Script runs take turns. When a write makes every open page rerun at once, fifty runs sharing
one interpreter lock would all finish late, and a manager's click would wait behind all of them.

- At most RUNS_AT_ONCE runs go at a time, and a run a person asked for (a click, a keystroke)
  goes before the reruns that the live check asked for.
- A run that has gone on for LONG_RUN_SECONDS (a report, an export) stops holding its slot, so
  that one slow page holds up nobody for long.
- A rerun that has waited PATIENCE_SECONDS is kept a slot ahead of the people waiting, so that
  under a stream of clicks pages still show news, only later.
- A rerun waiting for its turn gives way when its page asks for a newer run (the manager
  clicked meanwhile): that run then queues as a person's."""

import bisect
import itertools
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.scriptrunner_utils.exceptions import RerunException, StopException
from streamlit.runtime.scriptrunner_utils.script_requests import ScriptRequestType

# A Chats page run is mostly Python (Streamlit building the page); two at once only shared the
# interpreter lock. One at a time, the 50-session action p95 fell from 0.41-0.49 s to 0.27-0.30 s.
RUNS_AT_ONCE = 1
LONG_RUN_SECONDS = 0.5
PATIENCE_SECONDS = 10.0


class RunGate:
    def __init__(
        self,
        at_once: int = RUNS_AT_ONCE,
        patience: float = PATIENCE_SECONDS,
        long_run: float = LONG_RUN_SECONDS,
    ):
        self.at_once, self.patience, self.long_run = at_once, patience, long_run
        self._turns = threading.Condition()
        self._started: dict[int, float] = {}  # ticket -> when, of the runs going now
        self._people = []  # (arrival, ticket) of the people's runs waiting, oldest first
        self._tickets = itertools.count()
        self._overdue_waiting = 0  # reruns that waited their patience out
        self._overdue_running = 0  # reruns that went ahead of waiting people

    def _running(self) -> int:
        """The runs that hold a slot: those going for less than `long_run`."""
        since = time.monotonic() - self.long_run
        return sum(1 for started in self._started.values() if started > since)

    def _free_for_people(self) -> int:
        """Free slots, less one kept for an overdue rerun while none of them runs."""
        kept = 1 if self._overdue_waiting and not self._overdue_running else 0
        return self.at_once - self._running() - kept

    def _wait_as_person(self) -> None:
        me = (time.monotonic(), next(self._tickets))
        bisect.insort(self._people, me)
        try:
            while not (self._people[0] == me and self._free_for_people() > 0):
                self._turns.wait(timeout=0.1)  # woken by every end; also to see a run grow long
        finally:
            self._people.remove(me)

    def _wait_as_check(self, give_way: Callable[[], None]) -> bool:
        """Wait for a turn; True when it goes ahead of waiting people. `give_way` raises to
        leave the line."""
        impatient_at, overdue = time.monotonic() + self.patience, False
        try:
            while True:
                give_way()
                if not overdue and time.monotonic() >= impatient_at:
                    overdue = True
                    self._overdue_waiting += 1
                if self._running() < self.at_once:
                    if not self._people:
                        return False
                    if overdue and not self._overdue_running:
                        return True
                self._turns.wait(timeout=0.1)  # also wakes to notice a click, or its patience
        finally:
            self._overdue_waiting -= overdue

    @contextmanager
    def turn(
        self, asked_by_person: bool, give_way: Callable[[], None] = lambda: None
    ) -> Iterator[None]:
        with self._turns:
            jumped = False
            if asked_by_person:
                self._wait_as_person()
            else:
                jumped = self._wait_as_check(give_way)
            ticket = next(self._tickets)
            self._started[ticket] = time.monotonic()
            self._overdue_running += jumped
            self._turns.notify_all()  # the next in line may take a free slot too
        try:
            yield
        finally:
            with self._turns:
                del self._started[ticket]
                self._overdue_running -= jumped
                self._turns.notify_all()


def give_way_to_a_newer_run() -> None:
    """End this run now if its page asked for a newer one, as Streamlit does at each element a
    script draws: a rerun that waits in line has drawn nothing and would notice only after its
    turn, keeping the manager's click waiting behind every other page's rerun."""
    run = get_script_run_ctx(suppress_warning=True)
    requests = run.script_requests if run is not None else None
    request = requests.on_scriptrunner_yield() if requests is not None else None
    if request is None:
        return
    if request.type == ScriptRequestType.RERUN:
        raise RerunException(request.rerun_data)
    raise StopException()


gate = RunGate()
