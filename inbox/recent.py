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
