import shutil
from collections.abc import Iterator

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
