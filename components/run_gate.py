"""Script runs take turns. When a write makes every open page rerun at once, fifty runs sharing
one interpreter lock would all finish late, and a manager's click would wait behind all of them.
At most RUNS_AT_ONCE runs go at a time, and a run a person asked for (a click, a keystroke) goes
before the reruns that the live check asked for."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

RUNS_AT_ONCE = 2  # DuckDB works outside the interpreter lock, so two runs overlap usefully


class RunGate:
    def __init__(self, at_once: int = RUNS_AT_ONCE):
        self.at_once = at_once
        self._turns = threading.Condition()
        self._running = 0
        self._people_waiting = 0

    @contextmanager
    def turn(self, asked_by_person: bool) -> Iterator[None]:
        with self._turns:
            self._people_waiting += asked_by_person
            try:
                self._turns.wait_for(
                    lambda: (
                        self._running < self.at_once
                        and (asked_by_person or self._people_waiting == 0)
                    )
                )
            finally:
                self._people_waiting -= asked_by_person
            self._running += 1
        try:
            yield
        finally:
            with self._turns:
                self._running -= 1
                self._turns.notify_all()


gate = RunGate()
