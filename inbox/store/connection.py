"""The store: one per database, shared by the whole process, on either engine.

DuckDB (a file, the default) is held by one process; PostgreSQL (a `postgresql://` URL) is
shared by any number of app servers. Services see the same store either way: `read()` and
`write()` give a cursor that takes `?` placeholders, and the SQL they run is common to both.
One write runs at a time: under a lock here, and on PostgreSQL also under a lock in the
database that every server takes (inbox/store/postgres_engine.py).

Change counters, kept in memory, tell who may need to look again after a write: `version`
moves with every write; `version_seen_by(channels)` moves only with the writes that a manager
of those channels can see, so an open page reruns for news of its own channels alone; and
`version_of_chat(chat)` only with those that change one conversation and its card. On
PostgreSQL, other servers' writes reach the counters through the engine's listener.
"""

import itertools
import os
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from inbox.search import KnownWords
from inbox.settings import load_settings
from inbox.store.duckdb_engine import DuckDBEngine
from inbox.store.migrations import apply_migrations
from inbox.store.news import News
from inbox.store.postgres_engine import PostgresEngine, is_postgres_url


class Cursor(Protocol):
    """What services may use of a cursor, on either engine."""

    @property
    def description(self) -> Any: ...

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> "Cursor": ...

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> Any: ...

    def fetchone(self) -> tuple | None: ...

    def fetchall(self) -> list[tuple]: ...

    def fetchmany(self, size: int) -> list[tuple]: ...


def database_name(target: Path | str) -> str:
    """The database, as logs and caches name it: a URL without its password."""
    if not is_postgres_url(target):
        return str(target)
    parts = urlsplit(target)
    host = parts.hostname or ""
    where = f"{parts.username}@{host}" if parts.username else host
    return f"{parts.scheme}://{where}{f':{parts.port}' if parts.port else ''}{parts.path}"


class Store:
    def __init__(self, target: Path | str):
        self.target = target  # what to open it again with
        # This process, as other servers on the database know it (it claims replies, leases).
        self.server_id = f"inbox-{uuid.uuid4().hex[:12]}"
        self.name = database_name(target)
        self.engine_name = "postgresql" if is_postgres_url(target) else "duckdb"
        self.path = None if is_postgres_url(target) else Path(target)
        self._write_lock = threading.Lock()
        self._count_lock = threading.Lock()
        self._writing = threading.local()
        self._version = 0
        self._everyone = 0  # writes that may show on any page
        self._by_channel: dict[int, int] = {}  # writes that show only where the channel does
        self._by_chat: dict[int, int] = {}  # writes that change one chat's conversation or card
        self._reads = itertools.count()
        self.reads_opened = 0
        self.known_words = KnownWords()  # see inbox/store/search_index.py
        if self.path is None:
            self.engine = PostgresEngine(str(target), self.name, self._hear, self.server_id)
        else:
            self.engine = DuckDBEngine(self.path)
        with self.write() as cur:
            apply_migrations(cur, self.engine_name)

    @property
    def shared(self) -> bool:
        """Whether other servers may work on this database at the same time."""
        return self.path is None

    def live_servers(self) -> list[str]:
        """The servers connected to the database now, this one included."""
        return self.engine.live_servers() if self.shared else [self.server_id]

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
        with self.engine.cursor() as cur:
            yield cur

    @contextmanager
    def write(self, shown: bool = True, news: bool = True) -> Iterator[Cursor]:
        """One write transaction: committed when the block ends, rolled back if it raises.
        `shown=False` is for a write no page shows (a login): no open page reruns for it.
        `news=False` is for one that no worker needs to hear of either (a lease): no counter
        moves, on any server."""
        if getattr(self._writing, "active", False):
            raise RuntimeError("store.write() is not re-entrant: pass the cursor down instead")
        with self._write_lock:
            self._writing.active = True
            self._writing.channels, self._writing.chats = set(), set()
            self._writing.committed = []
            try:
                with self.engine.transaction() as cur:
                    yield cur
                    what = News(
                        shown, frozenset(self._writing.channels), frozenset(self._writing.chats)
                    )
                    if news:
                        self.engine.announce(cur, what)
                if news:
                    self._count(what)
                for then in self._writing.committed:
                    then()
            finally:
                self._writing.active = False

    def after_commit(self, then: Callable[[], None]) -> None:
        """Inside a write: call `then` once the write has committed (never if it rolls back)."""
        if not getattr(self._writing, "active", False):
            raise RuntimeError("after_commit() belongs inside store.write()")
        self._writing.committed.append(then)

    def _hear(self, news: News | None) -> None:
        """Another server's write, or None when some may have been missed: then every page
        looks again."""
        self._count(news or News(shown=True))

    def _count(self, news: News) -> None:
        """After the commit: a page that sees a counter move reads the write's rows."""
        with self._count_lock:
            self._version += 1
            if news.shown and not news.channels:
                self._everyone += 1
            elif news.shown:
                for channel_id in news.channels:
                    self._by_channel[channel_id] = self._by_channel.get(channel_id, 0) + 1
                for chat_id in news.chats:
                    self._by_chat[chat_id] = self._by_chat.get(chat_id, 0) + 1

    def close(self) -> None:
        self.engine.close()


_stores: dict[Path | str, Store] = {}
_named: dict[tuple[str, str], Store] = {}  # the path as given: resolving it costs system calls
_stores_lock = threading.Lock()


def _key(target: Path | str) -> Path | str:
    return target if is_postgres_url(target) else Path(target).resolve()


def get_store(target: Path | str) -> Store:
    """The process-wide store for a database file or URL, opened on first use."""
    name = (os.getcwd(), str(target))
    store = _named.get(name)
    if store is not None:
        return store
    key = _key(target)
    with _stores_lock:
        store = _stores.get(key)
        if store is None:
            store = _stores[key] = Store(key)
        _named[name] = store
        return store


def app_store() -> Store:
    """The store of the database the settings name (INBOX_DATABASE_URL, else INBOX_DB_PATH)."""
    return get_store(load_settings().database)


def close_store(target: Path | str) -> None:
    with _stores_lock:
        store = _stores.pop(_key(target), None)
        for name in [name for name, named in _named.items() if named is store]:
            del _named[name]
    if store is not None:
        store.close()
