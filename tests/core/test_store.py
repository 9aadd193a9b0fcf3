"""The store: migrations, the change counter, transactions."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from inbox.errors import Busy
from inbox.services import conversation, reads
from inbox.store import Store, close_store, get_store
from inbox.store.migrations import MIGRATIONS, applies
from tests.scenario import Scenario

INBOX = Path(__file__).resolve().parents[2] / "inbox"


def test_migrations_apply_once_and_data_survives_reopening(tmp_path, world):
    world.customer_writes("hello")
    target = world.store.target
    world.store.close()
    reopened = Store(target)
    with reopened.read() as cur:
        applied = [
            n for (n,) in cur.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()
        ]
        assert applied == [name for name, _ in MIGRATIONS if applies(name, world.store.engine_name)]
        assert cur.execute("SELECT count(*) FROM messages").fetchone() == (1,)
    reopened.close()


def test_every_committed_write_moves_the_change_counter_and_reads_do_not(world):
    chat = world.customer_writes("hi").chat_id
    before = world.store.version
    with world.store.read() as cur:
        cur.execute("SELECT count(*) FROM chats").fetchall()
    assert world.store.version == before
    conversation.send_reply(world.store, world.anna, chat, "hello")
    assert world.store.version == before + 1


def test_a_failed_write_changes_nothing_and_moves_no_counter(world):
    before = world.store.version
    with pytest.raises(RuntimeError):
        with world.store.write() as cur:
            cur.execute("DELETE FROM channel_access")
            raise RuntimeError("boom")
    assert world.store.version == before
    with world.store.read() as cur:
        assert cur.execute("SELECT count(*) FROM channel_access").fetchone() == (3,)


def test_a_nested_write_is_a_programming_error_not_a_deadlock(store):
    with pytest.raises(RuntimeError, match="not re-entrant"):
        with store.write():
            with store.write():
                pass


def test_one_store_per_database_file(tmp_path):
    first = get_store(tmp_path / "x.duckdb")
    assert get_store(str(tmp_path / "x.duckdb")) is first
    close_store(tmp_path / "x.duckdb")
    assert get_store(tmp_path / "x.duckdb") is not first
    close_store(tmp_path / "x.duckdb")


def test_a_relative_path_names_the_file_in_the_current_folder(tmp_path, monkeypatch):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    monkeypatch.chdir(tmp_path / "a")
    in_a = get_store("inbox.duckdb")
    monkeypatch.chdir(tmp_path / "b")
    in_b = get_store("inbox.duckdb")
    try:
        assert in_a is not in_b and in_b.path == tmp_path / "b" / "inbox.duckdb"
        assert get_store(tmp_path / "a" / "inbox.duckdb") is in_a
    finally:
        close_store(tmp_path / "a" / "inbox.duckdb")
        close_store(tmp_path / "b" / "inbox.duckdb")


def test_the_core_never_imports_streamlit():
    offenders = []
    for path in INBOX.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "streamlit"]
    assert offenders == []


def test_a_second_process_gets_a_clear_message_not_a_lock_dump(tmp_path):
    path = tmp_path / "held.duckdb"
    holder = Store(path)
    try:
        result = subprocess.run(
            [sys.executable, "-c", f"from inbox.store import Store; Store({str(path)!r})"],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
        )
    finally:
        holder.close()
    assert result.returncode != 0
    assert "is in use by another process" in result.stderr


def test_the_store_tallies_the_reads_it_opens(world):
    before = world.store.reads_opened
    with world.store.read():
        pass
    assert world.store.reads_opened == before + 1


def test_a_conflicting_transaction_gives_a_clear_message_and_changes_nothing(duckdb_store):
    world = Scenario(duckdb_store)
    chat = world.customer_writes("hi").chat_id
    with world.store.read() as other:
        other.begin()
        other.execute("UPDATE chats SET state = 'closed' WHERE id = ?", [chat])
        with pytest.raises(Busy, match="Please try again"):
            conversation.close_chat(world.store, world.anna, chat)
        other.rollback()
    assert reads.get_chat(world.store, world.anna, chat).state == "open"
    conversation.close_chat(world.store, world.anna, chat)
    assert reads.get_chat(world.store, world.anna, chat).state == "closed"


def test_a_database_from_before_kinds_were_text_keeps_its_channels_and_takes_any_kind(tmp_path):
    import duckdb

    path = tmp_path / "old.duckdb"
    before = [(name, sql) for name, sql in MIGRATIONS if name < "0013"]
    with duckdb.connect(str(path)) as old:
        old.execute("CREATE TABLE schema_migrations (name VARCHAR PRIMARY KEY,"
                    " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)")  # fmt: skip
        for name, sql in before:
            if applies(name, "duckdb"):
                old.execute(sql)
                old.execute("INSERT INTO schema_migrations (name) VALUES (?)", [name])
        old.execute(
            "INSERT INTO channels (kind, name, icon, settings, enabled, created_at) VALUES"
            " ('telegram', 'Shop bot', '✈️', '{\"token\": \"t\"}', false, now())"
        )
        with pytest.raises(duckdb.ConstraintException):
            old.execute("INSERT INTO channels (kind, name, icon, created_at)"
                        " VALUES ('website', 'W', 'w', now())")  # fmt: skip
    store = Store(path)
    with store.write() as cur:
        cur.execute("INSERT INTO channels (kind, name, icon, created_at)"
                    " VALUES ('website', 'Widget', '💬', now())")  # fmt: skip
    with store.read() as cur:
        rows = cur.execute(
            "SELECT id, kind, name, settings::VARCHAR, enabled FROM channels ORDER BY id"
        ).fetchall()
    store.close()
    assert rows == [
        (1, "telegram", "Shop bot", '{"token": "t"}', False),
        (3, "website", "Widget", "{}", True),  # the refused insert took id 2
    ]
