"""The core suite runs on both engines: every test that takes `store` (or `world`) runs once on
a DuckDB file and once on a PostgreSQL database of its own."""

import pytest

from inbox.store import Store


@pytest.fixture(params=["duckdb", "postgresql"])
def store(request, db_path):
    if request.param == "duckdb":
        store = Store(db_path)
    else:
        store = Store(request.getfixturevalue("postgres_database"))
    yield store
    store.close()


@pytest.fixture
def duckdb_store(db_path):
    """For what only DuckDB does (its own transaction conflicts, its file lock)."""
    store = Store(db_path)
    yield store
    store.close()
