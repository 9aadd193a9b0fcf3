"""Moving the demo shop from its DuckDB file to PostgreSQL with `python -m inbox.migrate`."""

from datetime import datetime

import pytest

from inbox import migrate
from inbox.demo_data import DEMO_LOGINS, DEMO_PASSWORD, seed
from inbox.models import ChatFilter, OrderDraft, OrderLineInput
from inbox.services import accounts, login_sessions, orders, reads
from inbox.store import Store
from tests.conftest import new_database

NOW = datetime(2026, 11, 24, 15, 0)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "inbox.duckdb"
    store = Store(path)
    seed(store, now=NOW)
    store.close()
    return path


@pytest.fixture
def empty_database(postgres_url):
    with new_database(postgres_url) as url:
        yield url


def what_each_demo_user_sees(store: Store) -> dict:
    seen = {}
    for login in DEMO_LOGINS:
        user = accounts.authenticate(store, login.login, DEMO_PASSWORD)
        chats = reads.list_chats(store, user, ChatFilter(state="all", limit=1000)).rows
        seen[login.login] = [
            (c.model_dump(), [m.model_dump() for m in reads.list_messages(store, user, c.id)])
            for c in chats
        ]
    return seen


def test_the_demo_database_moves_to_postgresql_with_every_row_and_chat_list(
    demo_file, empty_database, capsys
):
    source = Store(demo_file)
    counts, seen = migrate.row_counts(source), what_each_demo_user_sees(source)
    source.close()
    assert counts["messages"] > 100 and counts["orders"] > 0

    assert migrate.main(["--from", str(demo_file), "--to", empty_database]) == 0
    assert "rows to postgresql://" in capsys.readouterr().out

    moved = Store(empty_database)
    try:
        assert {k: v for k, v in migrate.row_counts(moved).items() if k != "app_secrets"} == {
            k: v for k, v in counts.items() if k != "app_secrets"
        }
        assert what_each_demo_user_sees(moved) == seen
    finally:
        moved.close()


def test_ids_go_on_after_the_copied_ones_and_logins_hold(demo_file, empty_database):
    key_file = demo_file.with_suffix(".session-key")
    source = Store(demo_file)
    key = login_sessions.load_or_create_key(key_file)
    anna = accounts.authenticate(source, "anna", DEMO_PASSWORD)
    cookie = login_sessions.start_session(source, key, anna)
    with source.read() as cur:
        last_order = cur.execute("SELECT max(id) FROM orders").fetchone()[0]
    source.close()

    assert migrate.main(["--from", str(demo_file), "--to", empty_database]) == 0
    moved = Store(empty_database)
    try:
        assert login_sessions.stored_key(moved) == key
        assert login_sessions.user_for_cookie(moved, key, cookie).id == anna.id
        admin = accounts.authenticate(moved, "admin", DEMO_PASSWORD)
        chats = reads.list_chats(moved, admin, ChatFilter(state="all", limit=100)).rows
        with_customer = next(c for c in chats if c.customer_id is not None)
        draft = OrderDraft(lines=[OrderLineInput(name="Socks", price=5)])
        order = orders.create_order(moved, admin, with_customer.id, draft)
        assert order.id == last_order + 1
    finally:
        moved.close()


def test_a_second_run_is_refused_unless_told_to_replace(demo_file, empty_database, capsys):
    assert migrate.main(["--from", str(demo_file), "--to", empty_database]) == 0
    target = Store(empty_database)
    with target.write() as cur:
        cur.execute("DELETE FROM notes")
    before = migrate.row_counts(target)
    target.close()

    assert migrate.main(["--from", str(demo_file), "--to", empty_database]) == 1
    assert "--replace" in capsys.readouterr().err
    target = Store(empty_database)
    assert migrate.row_counts(target) == before, "nothing was touched"
    target.close()

    assert migrate.main(["--from", str(demo_file), "--to", empty_database, "--replace"]) == 0
    target = Store(empty_database)
    assert migrate.row_counts(target)["notes"] > 0
    target.close()
