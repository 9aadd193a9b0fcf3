"""Failed logins: a growing lock-out per key, and a budget of password hashes per second.

Kept in the server's memory, not the database: a flood of failures must not turn into writes
that wake every open page. Keys are what a caller chooses to count together (an account at an
address, an address, an account from anywhere).
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass
class _Failures:
    count: int = 0
    locked_until: float = 0.0
    last: float = 0.0


@dataclass(frozen=True)
class Rule:
    """`free` failures are allowed; each one after that locks the key for twice as long as
    the one before, from `first_lock` up to `longest_lock` seconds."""

    free: int
    first_lock: float = 30.0
    longest_lock: float = 15 * 60.0

    def lock_after(self, count: int) -> float:
        if count < self.free:
            return 0.0
        return min(self.first_lock * 2 ** (count - self.free), self.longest_lock)


class LoginThrottle:
    def __init__(
        self,
        forget_after: float = 60 * 60.0,
        max_keys: int = 50_000,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._keys: OrderedDict[tuple, _Failures] = OrderedDict()
        self._lock = threading.Lock()
        self.forget_after = forget_after
        self.max_keys = max_keys
        self.clock = clock

    def _get(self, key: tuple, now: float) -> _Failures:
        failures = self._keys.get(key)
        if failures is None or now - failures.last > self.forget_after:
            failures = _Failures()
        self._keys[key] = failures
        self._keys.move_to_end(key)
        while len(self._keys) > self.max_keys:  # a flood of made-up logins stays bounded
            self._keys.popitem(last=False)
        return failures

    def wait_seconds(self, keys: Iterable[tuple]) -> float:
        """How long until none of these keys is locked; 0 when a try may go ahead."""
        now = self.clock()
        with self._lock:
            waits = [self._keys[k].locked_until - now for k in keys if k in self._keys]
        return max([0.0, *waits])

    def try_once(self, rules: dict[tuple, Rule]) -> float:
        """Count a try as failed before it is checked, so that tries racing in parallel are
        all counted. Returns 0 if it may go ahead, else the seconds to wait (nothing counted)."""
        now = self.clock()
        with self._lock:
            states = {key: self._get(key, now) for key in rules}
            wait = max([0.0, *(s.locked_until - now for s in states.values())])
            if wait > 0:
                return wait
            for key, state in states.items():
                state.count += 1
                state.last = now
                state.locked_until = now + rules[key].lock_after(state.count)
        return 0.0

    def undo(self, rules: dict[tuple, Rule], forget: Iterable[tuple] = ()) -> None:
        """The try succeeded (or never happened): take back its count; forget some keys."""
        now = self.clock()
        with self._lock:
            for key, rule in rules.items():
                state = self._get(key, now)
                state.count = max(state.count - 1, 0)
                state.locked_until = now + rule.lock_after(state.count) if state.count else 0.0
            for key in forget:
                self._keys.pop(key, None)


class RateLimit:
    """A token bucket: `per_second` on average, at most `burst` at once."""

    def __init__(self, per_second: float, burst: int, clock: Callable[[], float] = time.monotonic):
        self.per_second = per_second
        self.burst = burst
        self.clock = clock
        self._tokens = float(burst)
        self._updated = clock()
        self._lock = threading.Lock()

    def take(self) -> float:
        """Take a token: 0 when one was taken, else the seconds until one is free."""
        with self._lock:
            now = self.clock()
            self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.per_second)
            self._updated = now
            if self._tokens >= 1:
                self._tokens -= 1
                return 0.0
            return (1 - self._tokens) / self.per_second
