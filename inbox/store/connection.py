"""One DuckDB connection per database file, shared by the whole process.

DuckDB lets one process hold a database file read-write, so every page, route and worker of the
app goes through one Store. Writes are serialised by one lock, so two services never race inside
the database; reads take a cursor of their own, which DuckDB makes safe across threads.

Change counters, kept in memory, tell who may need to look again after a write: `version`
moves with every write; `version_seen_by(channels)` moves only with the writes that a manager
of those channels can see, so an open page reruns for news of its own channels alone; and
`version_of_chat(chat)` only with those that change one conversation and its card.
"""

import itertools
import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from inbox.errors import Busy
from inbox.settings import load_settings
from inbox.store.migrations import apply_migrations

Cursor = duckdb.DuckDBPyConnection


class Store:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(str(self.path))
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            raise RuntimeError(
                f"The database {self.path} is in use by another process (a running server?). "
                "Stop it, or set INBOX_DB_PATH to another file."
            ) from exc
        self._write_lock = threading.Lock()
        self._writing = threading.local()
        self._version = 0
        self._everyone = 0  # writes that may show on any page
        self._by_channel: dict[int, int] = {}  # writes that show only where the channel does
        self._by_chat: dict[int, int] = {}  # writes that change one chat's conversation or card
        self._reads = itertools.count()
        self.reads_opened = 0
        with self.write() as cur:
            apply_migrations(cur)

    @property
    def version(self) -> int:
        """Bumped after every committed write: a poll compares it and needs no query."""
        return self._version

    def version_seen_by(self, channel_ids: Iterable[int]) -> int:
        """Moves with every write that a user of these channels may see: the writes that named
        no channel, and those that named one of these. (A sum of counters that only grow moves
        whenever one of them does.)"""
        return self._everyone + sum(self._by_channel.get(c, 0) for c in channel_ids)

    @property
    def version_for_everyone(self) -> int:
        """Moves only with the writes that named no channel: the team, grants, logouts,
        products, customers and orders. What depends on who works here, and who may see what,
        holds while it stands."""
        return self._everyone

    def version_of_chat(self, chat_id: int) -> int:
        """Moves with every write that may change this chat's conversation or card."""
        return self._everyone + self._by_chat.get(chat_id, 0)

    def touch(self, channel_id: int, chat_id: int | None = None) -> None:
        """Inside a write: what it changes shows only in this channel's chat list and, when
        given, in this chat's conversation and card (its messages, their delivery, who handles
        it). A write that names no channel may show anywhere."""
        if not getattr(self._writing, "active", False):
            raise RuntimeError("touch() belongs inside store.write()")
        self._writing.channels.add(channel_id)
        if chat_id is not None:
            self._writing.chats.add(chat_id)

    @contextmanager
    def read(self) -> Iterator[Cursor]:
        self.reads_opened = next(self._reads) + 1  # a tally for tests and benchmarks
        cur = self._con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    @contextmanager
    def write(self, shown: bool = True) -> Iterator[Cursor]:
        """One write transaction: committed when the block ends, rolled back if it raises.
        `shown=False` is for a write no page shows (a login): no open page reruns for it."""
        if getattr(self._writing, "active", False):
            raise RuntimeError("store.write() is not re-entrant: pass the cursor down instead")
        with self._write_lock:
            self._writing.active = True
            self._writing.channels, self._writing.chats = set(), set()
            cur = self._con.cursor()
            try:
                cur.begin()
                try:
                    yield cur
                    cur.commit()
                except BaseException:
                    cur.rollback()
                    raise
                self._count(shown, self._writing.channels, self._writing.chats)
            except duckdb.TransactionException as exc:
                raise Busy("Someone changed this at the same moment. Please try again.") from exc
            finally:
                cur.close()
                self._writing.active = False

    def _count(self, shown: bool, channels: set[int], chats: set[int]) -> None:
        """After the commit, under the write lock: a page that sees a counter move reads the
        write's rows."""
        self._version += 1
        if shown and not channels:
            self._everyone += 1
        elif shown:
            for channel_id in channels:
                self._by_channel[channel_id] = self._by_channel.get(channel_id, 0) + 1
            for chat_id in chats:
                self._by_chat[chat_id] = self._by_chat.get(chat_id, 0) + 1

    def close(self) -> None:
        self._con.close()


_stores: dict[Path, Store] = {}
_named: dict[tuple[str, str], Store] = {}  # the path as given: resolving it costs system calls
_stores_lock = threading.Lock()


def get_store(path: Path | str) -> Store:
    """The process-wide store for a database file, opened on first use."""
    name = (os.getcwd(), str(path))
    store = _named.get(name)
    if store is not None:
        return store
    key = Path(path).resolve()
    with _stores_lock:
        store = _stores.get(key)
        if store is None:
            store = _stores[key] = Store(key)
        _named[name] = store
        return store


def app_store() -> Store:
    """The store of the database the settings name (INBOX_DB_PATH)."""
    return get_store(load_settings().db_path)


def close_store(path: Path | str) -> None:
    with _stores_lock:
        store = _stores.pop(Path(path).resolve(), None)
        for name in [name for name, named in _named.items() if named is store]:
            del _named[name]
    if store is not None:
        store.close()
