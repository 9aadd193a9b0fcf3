"""Reads that every session of this process may share while the store stands still.

When a write makes every open page rerun at once, a manager's several tabs ask for the same
chat list. The first run reads it; the others take it. Entries are kept per database file and
inputs, which name the user and their channels, with the change counter of those channels: a
session only ever gets what its own read would have returned at that counter."""

from inbox.recent import KeptAtCounter

MAX_KEPT = 1_000  # the least recently used are dropped
_kept = KeptAtCounter(MAX_KEPT)  # (file, inputs) -> (counter, result)


def get(path: str, version: int, inputs):
    return _kept.get((path, repr(inputs)), version)


def put(path: str, version: int, inputs, result) -> None:
    _kept.put((path, repr(inputs)), version, result)
