"""How often one caller may do something: a token bucket per key, in this process."""

import threading
import time


class RateLimit:
    """`per_minute` on average, up to `burst` at once. `take(key)` is 0 when allowed, else
    the seconds to wait before the next try."""

    def __init__(self, per_minute: float, burst: int, keys: int = 10_000):
        self.rate, self.burst, self.keys = per_minute / 60, burst, keys
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str, now: float | None = None) -> float:
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, then = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - then) * self.rate)
            if tokens < 1:
                self._buckets[key] = (tokens, now)
                return (1 - tokens) / self.rate
            if len(self._buckets) >= self.keys and key not in self._buckets:
                self._buckets.clear()  # a flood of new keys: forget, rather than grow
            self._buckets[key] = (tokens - 1, now)
            return 0.0
