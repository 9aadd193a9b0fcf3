import itertools
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest

from inbox.store import Store
from tests.postgres_server import PostgresServer
from tests.scenario import Scenario, create_people_and_channels


@pytest.fixture(scope="session")
def template_db(tmp_path_factory):
    """The named people and channels, made once; each test works on its own copy of the file
    (password hashing is slow on purpose, and would otherwise dominate every test)."""
    path = tmp_path_factory.mktemp("template") / "inbox.duckdb"
    store = Store(path)
    create_people_and_channels(store)
    store.close()
    return path


@pytest.fixture
def db_path(tmp_path, template_db):
    path = tmp_path / "inbox.duckdb"
    shutil.copy(template_db, path)
    return path


@pytest.fixture
def store(db_path):
    store = Store(db_path)
    yield store
    store.close()


@pytest.fixture
def world(store) -> Scenario:
    return Scenario(store)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL server for the whole run: started once, stopped at the end."""
    server = PostgresServer()
    yield server.url
    server.stop()


TEMPLATE = "inbox_template"
_databases = itertools.count(1)


def database_url(server_url: str, name: str) -> str:
    return f"{server_url.rsplit('/', 1)[0]}/{name}"


@pytest.fixture(scope="session")
def postgres_template(postgres_url) -> str:
    """A database with the named people and channels, copied for each test."""
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {TEMPLATE}")
    store = Store(database_url(postgres_url, TEMPLATE))
    create_people_and_channels(store)
    store.close()
    return TEMPLATE


@contextmanager
def new_database(server_url: str, template: str = "template1") -> Iterator[str]:
    """The URL of a new database on the server, a copy of the template; dropped afterwards."""
    name = f"test_{next(_databases)}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    try:
        yield database_url(server_url, name)
    finally:
        with psycopg.connect(server_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture
def postgres_database(postgres_url, postgres_template) -> Iterator[str]:
    """A new database with the named people and channels, dropped after the test."""
    with new_database(postgres_url, postgres_template) as url:
        yield url


@pytest.fixture
def two_stores(postgres_database) -> Iterator[tuple[Scenario, Scenario]]:
    """Two stores on one PostgreSQL database, as two app servers have."""
    first, second = Store(postgres_database), Store(postgres_database)
    yield Scenario(first), Scenario(second)
    first.close()
    second.close()


def eventually(check, seconds: float = 10.0) -> None:
    """Wait until check() holds, as a page waits for news; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"not within {seconds} s"
        time.sleep(0.02)
