"""Work one server does at a time across all the servers on a PostgreSQL database: each bot's
lease lets one server poll it, and another takes over when that one stops; the demo's customers
run on one server."""

import time

from inbox.channels import leases
from inbox.channels.demo import DemoWorker
from inbox.channels.telegram import poller as telegram_poller
from inbox.services import accounts, channel_settings, reads
from inbox.store import Store
from tests.channels.telegram_standin import TelegramStandIn
from tests.conftest import eventually


def all_chats(world):
    return reads.list_chats(world.store, world.olga, reads.ChatFilter(state="all")).rows


def texts_stored(world) -> list[str]:
    chats = all_chats(world)
    return sorted(m.text for c in chats for m in reads.list_messages(world.store, world.olga, c.id))


def test_two_stores_poll_a_bot_one_at_a_time_and_the_second_takes_over(two_stores, monkeypatch):
    monkeypatch.setenv("INBOX_TELEGRAM_POLL_SECONDS", "1")
    a, b = two_stores
    bot = TelegramStandIn(token="secret")
    accounts.configure_channel(a.store, a.olga, a.telegram.id, api_url=bot.base_url)
    pollers = [telegram_poller(a.store, check_seconds=0.1), telegram_poller(b.store, 0.1)]
    try:
        for poller in pollers:
            poller.start()
        for n in range(10):
            bot.customer_writes(800 + n % 3, f"before {n}")
            time.sleep(0.1)
        eventually(lambda: len(texts_stored(a)) == 10)

        holder = next(p for p in pollers if _holds(p.store, a.telegram.id))
        holder.stop()  # lets go of the lease: the other server polls from now on
        for n in range(10):
            bot.customer_writes(800 + n % 3, f"after {n}")
        eventually(lambda: len(texts_stored(b)) == 20)
    finally:
        for poller in pollers:
            poller.stop()
        bot.close()
    assert texts_stored(a) == sorted([f"before {n}" for n in range(10)] +
                                     [f"after {n}" for n in range(10)])  # fmt: skip
    assert bot.most_polling_at_once == 1


def _holds(store: Store, channel_id: int) -> bool:
    with store.read() as cur:
        holder = cur.execute(
            "SELECT holder FROM leases WHERE name = ?", [f"telegram-poll-{channel_id}"]
        ).fetchone()
    return holder is not None and holder[0] == store.server_id


def test_a_lease_is_one_servers_until_it_lets_go_or_it_runs_out(two_stores):
    a, b = two_stores
    assert leases.hold(a.store, "work", 0.5)
    assert not leases.hold(b.store, "work", 0.5)
    assert leases.hold(a.store, "work", 0.5), "renewed by its holder"
    leases.let_go(a.store, "work")
    assert leases.hold(b.store, "work", 0.3)
    time.sleep(0.4)
    assert leases.hold(a.store, "work", 0.5), "B's ran out"
    assert not leases.hold(b.store, "work", 0.5)


def test_a_bots_polling_error_shows_in_settings_on_every_server_until_it_works(
    two_stores, monkeypatch
):
    monkeypatch.setenv("INBOX_TELEGRAM_POLL_SECONDS", "1")
    a, b = two_stores
    bot = TelegramStandIn(token="secret")
    accounts.configure_channel(a.store, a.olga, a.telegram.id, api_url=bot.base_url)
    down = (502, {"ok": False, "error_code": 502, "description": "Bad Gateway"})
    bot.poll_failures.extend([down, down])  # Telegram has a bad moment
    poller = telegram_poller(a.store, check_seconds=0.1)

    def shown_on_b() -> str | None:
        [bot_status] = [
            s for s in channel_settings.overview(b.store, b.olga) if s.id == b.telegram.id
        ]
        return bot_status.poll_error

    try:
        poller.start()
        eventually(lambda: shown_on_b() is not None)
        assert "Bad Gateway" in shown_on_b() or "502" in shown_on_b()
        eventually(lambda: shown_on_b() is None, seconds=15)  # it polls again after 2 + 4 s
    finally:
        poller.stop()
        bot.close()


def lease_holders(store: Store) -> dict[str, str]:
    with store.read() as cur:
        return dict(cur.execute("SELECT name, holder FROM leases").fetchall())


def test_the_demo_customers_run_on_one_server_and_take_no_lease_without_a_demo_channel(
    two_stores,
):
    a, b = two_stores
    workers = [DemoWorker(a.store, tick_seconds=0.05), DemoWorker(b.store, tick_seconds=0.05)]
    try:
        for worker in workers:
            worker.start()
        for n in range(5):  # news that wakes both workers
            a.customer_writes(f"hello {n}", who=f"w{n}")
        time.sleep(0.5)
        assert lease_holders(a.store) == {}, "no demo channel: no lease written"

        channel = accounts.create_channel(a.store, a.olga, "demo", "Demo", "🤖", {"rate": 600})
        eventually(lambda: "demo-customers" in lease_holders(a.store))
        holder = lease_holders(a.store)["demo-customers"]
        assert holder in (a.store.server_id, b.store.server_id)
        eventually(lambda: any(c.channel_id == channel.id for c in all_chats(a)))
        assert lease_holders(b.store)["demo-customers"] == holder, "held, not handed back and forth"
    finally:
        for worker in workers:
            worker.stop()
