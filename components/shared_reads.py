"""Reads that every session of this process may share while the store stands still.

When a write makes every open page rerun at once, a manager's several tabs ask for the same
chat list. The first run reads it; the others take it. Entries are kept per database file and
change counter, under inputs that name the user, so a session only ever gets what its own read
would have returned at that counter; a newer counter drops the older entries."""

import threading
from pathlib import Path

_lock = threading.Lock()
_kept: dict[Path, tuple[int, dict[str, object]]] = {}  # file -> (counter, inputs -> result)


def get(path: Path, version: int, inputs):
    with _lock:
        counter, results = _kept.get(path, (None, {}))
        return results.get(repr(inputs)) if counter == version else None


def put(path: Path, version: int, inputs, result) -> None:
    with _lock:
        counter, results = _kept.get(path, (-1, {}))
        if version < counter:
            return  # read for a counter that has moved on: nobody will ask for it
        if version > counter:
            results = {}
            _kept[path] = (version, results)
        results[repr(inputs)] = result
