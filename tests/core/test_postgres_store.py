"""What only PostgreSQL does: two stores on one database stand for two app servers, each hearing
the other's writes; one write at a time across them; text PostgreSQL cannot hold as it is."""

import threading
import time

import psycopg
import pytest

from inbox.channels import delivery
from inbox.errors import Busy
from inbox.services import conversation, login_sessions, reads
from inbox.store import Store, deliveries
from inbox.store.postgres_engine import WRITER_LOCK, escape_text, to_postgres, unescape_text
from tests.conftest import eventually
from tests.ports import free_port


def test_a_write_on_one_server_moves_the_counters_of_the_other_once(two_stores):
    a, b = two_stores
    bot = (a.telegram.id,)
    before_bot, before_site = b.store.version_seen_by(bot), b.store.version_seen_by((a.website.id,))
    own_before = a.store.version_seen_by(bot)
    chat = a.customer_writes("hello from the bot").chat_id
    eventually(lambda: b.store.version_seen_by(bot) == before_bot + 1)
    assert b.store.version_seen_by((a.website.id,)) == before_site, "another channel's page"
    assert b.store.version_of_chat(chat) >= 1
    time.sleep(0.2)
    assert a.store.version_seen_by(bot) == own_before + 1, "its own write counted once"
    assert [m.text for m in reads.list_messages(b.store, b.anna, chat)] == ["hello from the bot"]


def test_a_write_that_names_no_channel_reaches_every_page_of_the_other_server(two_stores):
    a, b = two_stores
    before = b.store.version_for_everyone
    with a.store.write() as cur:
        cur.execute("UPDATE users SET name = ? WHERE login = 'clara'", ["Clara Renamed"])
    eventually(lambda: b.store.version_for_everyone == before + 1)


def test_a_lost_listener_reconnects_and_makes_every_page_look_again(two_stores, postgres_url):
    a, b = two_stores
    before = b.store.version_for_everyone
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()"
        )
    eventually(lambda: b.store.version_for_everyone > before, seconds=10)
    bot = (a.telegram.id,)
    seen = b.store.version_seen_by(bot)
    a.customer_writes("after the reconnect")
    eventually(lambda: b.store.version_seen_by(bot) > seen)


def test_writes_of_two_stores_take_turns_and_a_long_wait_says_try_again(two_stores):
    a, b = two_stores
    chat = a.customer_writes("hi").chat_id
    b.store.engine.lock_wait = "300ms"
    with psycopg.connect(b.store.target, autocommit=True) as other_server:
        other_server.execute("SELECT pg_advisory_lock(%s)", [WRITER_LOCK])  # mid-write
        with pytest.raises(Busy, match="Please try again"):
            conversation.close_chat(b.store, b.anna, chat)
        released = threading.Timer(
            0.2, lambda: other_server.execute("SELECT pg_advisory_unlock(%s)", [WRITER_LOCK])
        )
        b.store.engine.lock_wait = "5s"
        released.start()
        conversation.close_chat(b.store, b.anna, chat)  # waits its turn, then goes through
        released.join()
    assert reads.get_chat(a.store, a.anna, chat).state == "closed"


@pytest.mark.parametrize(
    "text", ["plain", "nul\x00inside", "\ue000", "\ue000\x00", "\ue000\ue002", "\x00\ue001\x00", ""]
)
def test_text_postgresql_cannot_hold_comes_back_exactly(text):
    stored = escape_text(text)
    assert "\x00" not in stored
    assert unescape_text(stored) == text


def test_placeholders_become_psycopgs_outside_string_literals():
    assert to_postgres("SELECT '?', '%Y' WHERE a = ? AND b LIKE 'x%'") == (
        "SELECT '?', '%%Y' WHERE a = %s AND b LIKE 'x%%'"
    )
    assert to_postgres("SELECT 'it''s ?' , ?") == "SELECT 'it''s ?' , %s"


def test_a_store_is_named_without_its_password(postgres_database):
    with_password = postgres_database.replace("://inbox@", "://inbox:not-needed@")
    store = Store(with_password)
    try:
        assert "not-needed" not in store.name
        assert store.name == postgres_database
    finally:
        store.close()


def test_every_server_signs_logins_with_the_same_key_kept_in_the_database(two_stores):
    a, b = two_stores
    key = login_sessions.stored_key(a.store)
    assert len(key) == 32
    assert login_sessions.stored_key(b.store) == key
    cookie = login_sessions.start_session(a.store, key, a.anna)
    assert login_sessions.session_for_cookie(b.store, key, cookie)[0].id == a.anna.id


def test_a_reply_is_abandoned_only_once_the_server_sending_it_is_gone(two_stores):
    a, b = two_stores
    chat = a.customer_writes("hi").chat_id
    message = conversation.send_reply(a.store, a.anna, chat, "on its way")
    with a.store.write() as cur:
        deliveries.claim(cur, message.id, a.clock.current, a.store.server_id)
    assert set(b.store.live_servers()) >= {a.store.server_id, b.store.server_id}
    assert delivery.abandon_in_flight(b.store) == 0, "A is still sending it"
    a.store.close()
    eventually(lambda: a.store.server_id not in b.store.live_servers())
    assert delivery.abandon_in_flight(b.store) == 1
    [shown] = [m for m in reads.list_messages(b.store, b.anna, chat) if m.id == message.id]
    assert shown.delivery_state == "unknown"


def test_a_logout_through_one_server_reaches_the_login_checks_of_the_other(two_stores):
    a, b = two_stores
    key = login_sessions.stored_key(a.store)
    cookie = login_sessions.start_session(a.store, key, a.anna)
    checked_at = b.store.version_for_everyone  # pages keep their login check under it
    login_sessions.end_session(a.store, key, cookie)
    eventually(lambda: b.store.version_for_everyone > checked_at)
    assert login_sessions.user_for_cookie(b.store, key, cookie) is None


def test_an_unreachable_database_is_a_clear_message_without_the_password(postgres_url):
    closed = f"postgresql://inbox:hunter2@127.0.0.1:{free_port()}/inbox?connect_timeout=1"
    with pytest.raises(RuntimeError, match="Could not connect to the database") as refused:
        Store(closed)
    assert "hunter2" not in str(refused.value)
