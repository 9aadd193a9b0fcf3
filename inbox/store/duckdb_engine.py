"""The default engine: one DuckDB file, held by this process alone.

DuckDB lets one process hold a database file read-write, so every page, route and worker of the
process goes through one connection: reads take a cursor of their own, which DuckDB makes safe
across threads, and the store lets one write run at a time.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from inbox.errors import TRY_AGAIN, Busy
from inbox.store.news import News


class DuckDBEngine:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(str(path))
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            raise RuntimeError(
                f"The database {path} is in use by another process (a running server?). "
                "Stop it, or set INBOX_DB_PATH to another file."
            ) from exc

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cur = self._con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self.cursor() as cur:
            cur.begin()
            try:
                yield cur
                cur.commit()
            except duckdb.TransactionException as exc:
                cur.rollback()
                raise Busy(TRY_AGAIN) from exc
            except BaseException:
                cur.rollback()
                raise

    def announce(self, cur, news: News) -> None:
        """Other processes cannot open the file: nobody else needs to hear of a write."""

    def close(self) -> None:
        self._con.close()
