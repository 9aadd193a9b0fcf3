"""Two app servers (two `streamlit run` processes) on one PostgreSQL database, as behind a
proxy: a login holds on both, what one stores the other shows, an update delivered to both is
stored once, and killing one loses nothing the customer was told was received."""

import http.client
import os
import signal
import threading
import time
from collections.abc import Callable
from functools import partial

import pytest
from playwright.sync_api import expect
from streamlit.proto.WidgetStates_pb2 import WidgetState

from inbox.models import MessageKind, SystemEvent
from inbox.services import accounts, login_sessions, reads
from inbox.store import Store
from tests.browser.conftest import Server, chat_row, log_in, post_message
from tests.browser.test_telegram_files import HOOK_SECRET, post_update
from tests.browser.wire import StreamlitWire
from tests.channels.telegram_standin import TelegramStandIn
from tests.scenario import PASSWORD, Scenario


@pytest.fixture
def two_servers(postgres_database, tmp_path):
    """Start servers A and B on one database, after `prepare(scenario)` adds data."""
    servers: list[Server] = []

    def start(prepare=lambda world: None) -> tuple[Server, Server]:
        store = Store(postgres_database)
        prepared = prepare(Scenario(store))
        store.close()
        env = {"INBOX_DATABASE_URL": postgres_database}
        for name in "ab":
            server = Server(tmp_path / "unused.duckdb", tmp_path / f"server-{name}.log", env)
            server.prepared = prepared
            servers.append(server)
        return servers[0], servers[1]

    yield start
    for server in servers:
        server.stop()


def at_once(actions: list[Callable[[], object]]) -> list[object]:
    """Start every action at the same moment, each in a thread; their results, in order."""
    together, results = threading.Barrier(len(actions)), [None] * len(actions)

    def go(n: int) -> None:
        together.wait()
        results[n] = actions[n]()

    threads = [threading.Thread(target=go, args=(n,)) for n in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def stored_texts(url: str) -> list[str]:
    store = Store(url)
    try:
        with store.read() as cur:
            return [t for (t,) in cur.execute("SELECT text FROM messages ORDER BY id").fetchall()]
    finally:
        store.close()


def test_a_message_stored_through_a_shows_on_a_page_served_by_b_within_3_seconds(two_servers, page):
    a, b = two_servers(lambda world: world.website.id)
    log_in(page, a, "anna")  # the login cookie is signed with the key both servers share
    page.goto(b.url)
    expect(page.get_by_text("Signed in as Anna")).to_be_visible()
    expect(page.get_by_text("There are no chats in your channels yet")).to_be_visible()
    time.sleep(1)  # B's page is idle and polling

    status, _ = post_message(a, a.prepared, "s3", user_id="v9", name="Vera Quick",
                             message_id="q1", text="Do you ship to Oslo?")  # fmt: skip
    assert status == 201
    expect(chat_row(page, "Vera Quick")).to_be_visible(timeout=3_000)


def test_one_telegram_update_delivered_to_both_servers_at_once_is_stored_once(
    two_servers, postgres_database
):
    bot = TelegramStandIn(token="secret")
    try:

        def webhook(world):
            accounts.configure_channel(world.store, world.olga, world.telegram.id,
                                       api_url=bot.base_url, mode="webhook",
                                       webhook_secret=HOOK_SECRET)  # fmt: skip
            return world.telegram.id

        a, b = two_servers(webhook)
        for n in range(20):
            bot.customer_writes(700 + n % 4, f"update {n}")
        updates = bot.updates[-20:]
        for update in updates:
            answers = at_once(
                [partial(post_update, server, a.prepared, update) for server in (a, b)]
            )
            assert [answer.status for answer in answers] == [200, 200]
    finally:
        bot.close()
    assert sorted(stored_texts(postgres_database)) == sorted(f"update {n}" for n in range(20))


def test_a_server_killed_mid_ingest_loses_nothing_and_the_other_keeps_serving(
    two_servers, postgres_database
):
    a, b = two_servers(lambda world: world.website.id)
    channel = a.prepared
    acknowledged: list[str] = []
    refused: list[tuple[str, object]] = []
    stop = threading.Event()

    def customer(number: int) -> None:
        for n in range(10_000):
            if stop.is_set():
                return
            text = f"c{number} m{n}"
            server = (a, b)[n % 2]
            try:
                status, _ = post_message(server, channel, "s3", user_id=f"c{number}",
                                         message_id=f"m{n}", text=text)  # fmt: skip
            except (OSError, http.client.HTTPException) as error:  # the killed server, even
                # mid-answer: not acknowledged, the customer's widget sends it again
                refused.append((text, error))
                continue
            if status in (200, 201):
                acknowledged.append(text)
            else:
                refused.append((text, status))

    customers = [threading.Thread(target=customer, args=(n,)) for n in range(4)]
    for thread in customers:
        thread.start()
    time.sleep(2)
    os.kill(a.process.pid, signal.SIGKILL)
    killed_at = len(acknowledged)
    time.sleep(2)
    stop.set()
    for thread in customers:
        thread.join()

    assert a.process.wait(timeout=10) == -signal.SIGKILL
    assert killed_at > 20 and len(acknowledged) > killed_at, "B went on storing after the kill"
    assert all(not isinstance(why, int) for _, why in refused), refused[:5]
    stored = stored_texts(postgres_database)
    assert len(stored) == len(set(stored)), "nothing stored twice"
    assert set(acknowledged) <= set(stored), "every acknowledged message is stored"
    status, _ = post_message(b, channel, "s3", user_id="late", message_id="1", text="still there?")
    assert status == 201


MANAGERS = [f"m{n}" for n in range(8)]


def eight_managers_logged_in(world) -> tuple[int, list[str]]:
    """Eight managers of the website chat, each with a login cookie (signed with the key the
    servers will find in the database)."""
    key = login_sessions.stored_key(world.store)
    cookies = []
    for login in MANAGERS:
        user = accounts.create_user(world.store, login, f"Manager {login}", PASSWORD)
        accounts.grant_access(world.store, world.olga, user.id, world.website.id)
        cookie = login_sessions.start_session(world.store, key, user)
        cookies.append(f"{login_sessions.COOKIE_NAME}={cookie}")
    return world.website.id, cookies


def test_eight_managers_on_two_servers_replying_at_once_make_one_responsible(
    two_servers, postgres_database
):
    """Four managers' pages on each server, all sending a reply to the same new chat at the
    same moment, through Streamlit's websocket as their browsers would; 100 chats."""
    a, b = two_servers(eight_managers_logged_in)
    channel, cookies = a.prepared
    pages = [StreamlitWire((a, b)[n % 2].port, cookie) for n, cookie in enumerate(cookies)]
    store = Store(postgres_database)
    try:
        for page in pages:
            page.run()
        for trial in range(100):
            status, body = post_message(a, channel, "s3", user_id=f"r{trial}", name="Racer",
                                        message_id="1", text="who answers first?")  # fmt: skip
            assert status == 201
            chat = body["chat_id"]
            sends = []
            for n, page in enumerate(pages):
                page.run()  # the new chat in the list; its row opens it, as a click does
                [row_id] = [i for i in page.widget_ids() if i.endswith(f"-chat-row-{chat}")]
                row = WidgetState(id=row_id, trigger_value=True)
                page.run(widgets=[row])
                draft = WidgetState(id=page.widget_ids("draft-")[0], string_value=f"me {n}")
                send = WidgetState(id=page.widget_ids("-send-")[0], trigger_value=True)
                sends.append([draft, send])
            at_once(
                [
                    partial(page.run, f"chat={chat}", send)
                    for page, send in zip(pages, sends, strict=True)
                ]
            )

            admin = accounts.authenticate(store, "olga", PASSWORD)
            history = reads.list_messages(store, admin, chat)
            replies = sorted(m.text for m in history if m.kind == MessageKind.MANAGER)
            assigned = [m for m in history if m.event == SystemEvent.ASSIGNED]
            assert replies == [f"me {n}" for n in range(8)], f"trial {trial}"
            assert len(assigned) == 1, f"trial {trial}: {[m.text for m in assigned]}"
            assert reads.get_chat(store, admin, chat).assignee_id == assigned[0].author_id
    finally:
        for page in pages:
            page.close()
        store.close()
