"""PostgreSQL, for several app servers on one database.

Every server holds a pool of connections. The rules the single DuckDB process keeps with a lock
in memory are kept by the database here:
- One write at a time across all servers: each write transaction first takes one
  transaction-scoped advisory lock, so a service's checks and its writes see no other write in
  between (the same guarantee as DuckDB's single writer, now shared by every process).
- What a write changed is announced with NOTIFY inside the transaction, so other servers hear of
  it only once it is committed; each server's listener feeds its in-memory change counters, and
  an idle poll still asks the database nothing.
"""

import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import psycopg
from psycopg import errors
from psycopg.types.string import StrDumperUnknown, TextLoader
from psycopg_pool import ConnectionPool, PoolTimeout

from inbox.errors import TRY_AGAIN, Busy
from inbox.store.news import News

log = logging.getLogger(__name__)

CHANNEL = "inbox_changes"
WRITER_LOCK = 7_356_001  # the advisory lock every write transaction takes first
NOTIFY_LIMIT = 7000  # PostgreSQL takes payloads under 8000 bytes
_STRING = re.compile(r"'(?:[^']|'')*'")


def is_postgres_url(target: object) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


@lru_cache(maxsize=2048)
def to_postgres(sql: str) -> str:
    """`?` placeholders become `%s` and a literal `%` becomes `%%`, outside string literals
    for the first and everywhere for the second, as psycopg reads them."""
    parts, last = [], 0
    for literal in _STRING.finditer(sql):
        parts.append(sql[last : literal.start()].replace("%", "%%").replace("?", "%s"))
        parts.append(literal.group().replace("%", "%%"))
        last = literal.end()
    parts.append(sql[last:].replace("%", "%%").replace("?", "%s"))
    return "".join(parts)


class PostgresCursor:
    """A psycopg cursor that takes the store's SQL as DuckDB's cursor does."""

    def __init__(self, cur: psycopg.Cursor):
        self._cur = cur

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> "PostgresCursor":
        if params is None:  # a script of several statements, as migrations are
            self._cur.execute(sql)
        else:
            self._cur.execute(to_postgres(sql), list(params))
        return self

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> "PostgresCursor":
        self._cur.executemany(to_postgres(sql), rows)
        return self

    def fetchone(self) -> tuple | None:
        return self._cur.fetchone()

    def fetchall(self) -> list[tuple]:
        return self._cur.fetchall()

    def fetchmany(self, size: int) -> list[tuple]:
        return self._cur.fetchmany(size)

    @property
    def description(self):
        return self._cur.description


# PostgreSQL text cannot hold NUL, which DuckDB (and a customer's message) can. It is stored as
# a pair of private-use characters, and that escape's own first character is doubled, so every
# text comes back exactly as it went in.
_ESCAPE, _DOUBLED, _NUL = "\ue000", "\ue000\ue001", "\ue000\ue002"


def escape_text(text: str) -> str:
    if "\x00" not in text and _ESCAPE not in text:
        return text
    return text.replace(_ESCAPE, _DOUBLED).replace("\x00", _NUL)


def unescape_text(text: str) -> str:
    if _ESCAPE not in text:
        return text
    return text.replace(_NUL, "\x00").replace(_DOUBLED, _ESCAPE)


class _TextDumper(StrDumperUnknown):
    def dump(self, obj: str) -> bytes:
        return super().dump(escape_text(obj))


class _TextLoader(TextLoader):
    def load(self, data) -> str:
        return unescape_text(super().load(data))


def _check_reachable(url: str, name: str) -> None:
    """Fail at start with what went wrong, rather than wait for a pool that never fills."""
    try:
        psycopg.connect(url, connect_timeout=10).close()
    except psycopg.OperationalError as exc:
        password = urlsplit(url).password
        reason = " ".join(str(exc).split()) or type(exc).__name__
        if password:
            reason = reason.replace(password, "***")
        raise RuntimeError(f"Could not connect to the database {name}: {reason}") from None


def _configure(conn: psycopg.Connection) -> None:
    conn.adapters.register_dumper(str, _TextDumper)
    for name in ("text", "varchar", "bpchar", "name"):
        conn.adapters.register_loader(name, _TextLoader)
    conn.adapters.register_loader("json", TextLoader)  # as DuckDB gives it: the text


class PostgresEngine:
    def __init__(self, url: str, name: str, hear: Callable[[News | None], None], server_id: str):
        """`hear` is called with another server's news, and with None when news may have been
        missed (the listener lost its connection)."""
        self.url = url
        self._hear = hear
        self._server_id = server_id
        self._token = uuid.uuid4().hex  # our own notifications come back to us: skip them
        self._stop = f"stop {self._token}"
        self.lock_wait = "10s"  # a write that waits longer for its turn says "try again"
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=10,
            # Short queries: compiling one (JIT) took longer than running it, starting workers
            # for one (parallel query) made a search's count 48 ms where it was 29 alone, and a
            # search's sort of its matches spilled to disk within the default 4 MB.
            kwargs={
                "autocommit": True,
                "application_name": server_id,
                "options": "-c jit=off -c work_mem=32MB -c max_parallel_workers_per_gather=0",
            },
            configure=_configure,
            name="inbox",
            open=False,
        )
        _check_reachable(url, name)
        self._pool.open(wait=True, timeout=30)
        self._closed = threading.Event()
        self._listening = threading.Event()
        self._listener = threading.Thread(target=self._listen, name="inbox-listen", daemon=True)
        self._listener.start()
        if not self._listening.wait(timeout=30):
            raise RuntimeError("Could not listen for changes on the database")

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection]:
        try:
            with self._pool.connection(timeout=10) as conn:
                yield conn
        except PoolTimeout as exc:
            raise Busy("The database is busy. Please try again.") from exc

    @contextmanager
    def cursor(self) -> Iterator[PostgresCursor]:
        with self._connection() as conn, conn.cursor() as cur:
            yield PostgresCursor(cur)

    @contextmanager
    def transaction(self) -> Iterator[PostgresCursor]:
        try:
            with self._connection() as conn, conn.transaction(), conn.cursor() as cur:
                cur.execute(
                    "SELECT set_config('lock_timeout', %s, true), pg_advisory_xact_lock(%s)",
                    [self.lock_wait, WRITER_LOCK],
                )
                yield PostgresCursor(cur)
        except (
            errors.SerializationFailure,
            errors.DeadlockDetected,
            errors.LockNotAvailable,
        ) as exc:
            raise Busy(TRY_AGAIN) from exc

    def live_servers(self) -> list[str]:
        """Servers are known by their connections' application name; a server that stopped,
        even killed, has none left."""
        with self.cursor() as cur:
            rows = cur.execute(
                "SELECT DISTINCT application_name FROM pg_stat_activity"
                " WHERE datname = current_database()",
                [],
            ).fetchall()
        return [name for (name,) in rows if name]

    def announce(self, cur: PostgresCursor, news: News) -> None:
        """Inside the write: delivered to every listener when, and only if, it commits."""
        payload = json.dumps({"from": self._token, **news.as_dict()})
        if len(payload) > NOTIFY_LIMIT:  # too many chats named: everyone looks again
            payload = json.dumps({"from": self._token, **News(news.shown).as_dict()})
        cur.execute("SELECT pg_notify(?, ?)", [CHANNEL, payload])

    def _listen(self) -> None:
        first = True
        while not self._closed.is_set():
            try:
                with psycopg.connect(
                    self.url, autocommit=True, application_name=self._server_id
                ) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._listening.set()
                    if not first:
                        self._hear(None)  # what came while we were away is unknown
                    first = False
                    while not self._closed.is_set():
                        for note in conn.notifies(timeout=60):
                            if note.payload == self._stop:
                                return
                            self._heard(note.payload)
            except psycopg.Error:
                if self._closed.is_set():
                    return
                log.warning("Lost the database's change notifications; reconnecting", exc_info=True)
                first = False
                time.sleep(0.5)

    def _heard(self, payload: str) -> None:
        if not payload.startswith("{"):
            return  # another server's listener being told to stop
        message = json.loads(payload)
        if message.pop("from") != self._token:
            self._hear(News.from_dict(message))

    def close(self) -> None:
        if self._closed.is_set():
            return
        self._closed.set()
        try:
            with self.cursor() as cur:  # wakes our listener at once
                cur.execute("SELECT pg_notify(?, ?)", [CHANNEL, self._stop])
        except (psycopg.Error, Busy):
            pass  # the database is gone: the listener stops at its next wake-up
        self._listener.join(timeout=5)
        self._pool.close()
