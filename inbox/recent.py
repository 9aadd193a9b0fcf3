"""A dict that keeps its newest entries only, safe across threads: what the server remembers of
browsers (their login cookie, their channels, the lists they share) grows with them, and must
not grow without bound."""

import threading
from collections import OrderedDict


class Recent:
    def __init__(self, most: int):
        self.most = most
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def put(self, key, value) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.most:
                self._entries.popitem(last=False)  # the oldest is forgotten

    def get(self, key, default=None):
        with self._lock:
            return self._entries.get(key, default)


class KeptAtCounter:
    """The latest result per key, with the change counter it was read at: a caller at that same
    counter may take it instead of reading again. A result read at an older counter than the one
    kept is dropped (a slow read finishing late); two puts at once may leave the older, and a
    later get then misses, never gets a wrong result."""

    def __init__(self, most: int):
        self._kept = Recent(most)

    def get(self, key, counter: int):
        kept_counter, result = self._kept.get(key, (None, None))
        return result if kept_counter == counter else None

    def put(self, key, counter: int, result) -> None:
        kept_counter, _ = self._kept.get(key, (-1, None))
        if counter >= kept_counter:
            self._kept.put(key, (counter, result))
