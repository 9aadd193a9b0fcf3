"""The race rules across processes: two processes stand for two app servers on one PostgreSQL
database, each with its own store, and nothing shared but the database."""

import multiprocessing
import threading
from datetime import timedelta

from inbox.models import ChatFilter, MessageKind, Role, SystemEvent
from inbox.services import accounts, conversation, reads, search_upkeep, snooze
from inbox.store import Store, users
from tests.scenario import Scenario

TRIALS = 100
PER_SERVER = 4
SPAWN = multiprocessing.get_context("spawn")  # a fresh interpreter, as a second server is


def _server(url: str, logins: list[str], chat_ids: list[int], everyone, failures) -> None:
    """One app server: its managers reply to each chat together with the other server's."""
    store = Store(url)
    try:
        with store.read() as cur:
            managers = [users.get_by_login(cur, login) for login in logins]

        def manager(user) -> None:
            for chat_id in chat_ids:
                everyone.wait(timeout=60)
                try:
                    conversation.send_reply(store, user, chat_id, f"{user.login} here")
                except Exception as error:  # reported to the test, which fails on it
                    failures.put(f"{user.login} in chat {chat_id}: {error!r}")

        threads = [threading.Thread(target=manager, args=(user,)) for user in managers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        store.close()


def run_on_two_servers(url: str, logins: list[str], chat_ids: list[int]) -> list[str]:
    everyone, failures = SPAWN.Barrier(len(logins)), SPAWN.Queue()
    halves = (logins[:PER_SERVER], logins[PER_SERVER:])
    servers = [
        SPAWN.Process(target=_server, args=(url, half, chat_ids, everyone, failures))
        for half in halves
    ]
    for server in servers:
        server.start()
    for server in servers:
        server.join(timeout=600)
        assert server.exitcode == 0
    found = []
    while not failures.empty():
        found.append(failures.get())
    return found


def test_eight_managers_on_two_servers_make_exactly_one_responsible(postgres_database):
    store = Store(postgres_database)
    try:
        world = Scenario(store)
        logins = [f"m{i}" for i in range(2 * PER_SERVER)]
        for login in logins:
            user = accounts.create_user(store, login, login, "password-1", Role.MANAGER)
            accounts.grant_access(store, world.olga, user.id, world.telegram.id)
        chats = [world.customer_writes("who first?", who=f"r{n}").chat_id for n in range(TRIALS)]

        assert run_on_two_servers(postgres_database, logins, chats) == []

        one_responsible = 0
        for chat in chats:
            history = reads.list_messages(store, world.olga, chat)
            replies = sorted(m.text for m in history if m.kind == MessageKind.MANAGER)
            assigned = [m for m in history if m.event == SystemEvent.ASSIGNED]
            row = reads.get_chat(store, world.olga, chat)
            assert replies == sorted(f"{login} here" for login in logins)
            if len(assigned) == 1 and row.assignee_id == assigned[0].author_id:
                one_responsible += 1
            assert row.badge == 0
        assert one_responsible == TRIALS, f"{one_responsible}/{TRIALS}"
    finally:
        store.close()


def _on_server(url: str, start, results, work, *args) -> None:
    """One app server's worker: `work(store, *args)` three times once both have started."""
    store = Store(url)
    try:
        start.wait(timeout=60)
        results.put(sum(work(store, *args) for _ in range(3)))
    finally:
        store.close()


def on_two_servers(url: str, work, *args) -> list[int]:
    """What `work` returned in all on each of two server processes running it at once."""
    start, results = SPAWN.Barrier(2), SPAWN.Queue()
    servers = [
        SPAWN.Process(target=_on_server, args=(url, start, results, work, *args)) for _ in range(2)
    ]
    for server in servers:
        server.start()
    for server in servers:
        server.join(timeout=300)
        assert server.exitcode == 0
    return [results.get(), results.get()]


def _wake(store: Store, now) -> int:
    return snooze.wake_due(store, now=now)


def _move_words(store: Store) -> int:
    return search_upkeep.put_words_in_order(store, at_least=1)


def test_two_servers_wake_each_snoozed_chat_once(postgres_database):
    store = Store(postgres_database)
    try:
        world = Scenario(store)
        chats = [world.customer_writes("later", who=f"s{n}").chat_id for n in range(60)]
        until = world.clock.current + timedelta(hours=1)
        for chat in chats:
            snooze.snooze(store, world.anna, chat, until, now=world.clock.current)
        assert sum(on_two_servers(postgres_database, _wake, until)) == len(chats)
        for chat in chats:
            history = reads.list_messages(store, world.olga, chat)
            back = [m for m in history if m.event == SystemEvent.SNOOZE_ENDED]
            assert len(back) == 1, f"chat {chat}: {[m.text for m in back]}"
            assert reads.get_chat(store, world.olga, chat).snoozed_until is None
    finally:
        store.close()


def test_two_servers_move_each_recent_search_word_once(postgres_database):
    store = Store(postgres_database)
    try:
        world = Scenario(store)
        for n in range(200):
            world.customer_writes(f"wool scarf number{n}", who=f"w{n}")
        assert sum(on_two_servers(postgres_database, _move_words)) == 600
        with store.read() as cur:
            assert cur.execute("SELECT count(*) FROM recent_message_words").fetchone()[0] == 0
            assert cur.execute("SELECT count(*) FROM message_words").fetchone()[0] == 600
        page = reads.list_chats(store, world.anna, ChatFilter(search="wool", state="all", limit=5))
        assert page.counts["all"] == 200
    finally:
        store.close()
