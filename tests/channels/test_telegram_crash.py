"""The real server polling a Telegram stand-in, killed with SIGKILL again and again while
messages arrive: after the restarts every message is stored, and none twice (SPEC CH5)."""

import shutil
import threading
import time

from inbox.models import MessageKind
from inbox.services import accounts
from inbox.store import Store
from tests.browser.conftest import Server
from tests.channels.standin_http import wait_until
from tests.channels.telegram_standin import TelegramStandIn
from tests.scenario import Scenario

MESSAGES = 40


def test_killing_the_server_between_fetching_and_storing_loses_and_doubles_nothing(
    tmp_path, template_db
):
    bot = TelegramStandIn(token="secret")
    db_path = tmp_path / "inbox.duckdb"
    shutil.copy(template_db, db_path)
    store = Store(db_path)
    world = Scenario(store)
    accounts.configure_channel(store, world.olga, world.telegram.id, api_url=bot.base_url)
    store.close()

    def customers_write():  # over all three kills, so that each server has news to fetch
        for n in range(MESSAGES):
            bot.customer_writes(700 + n % 5, f"message {n}", first_name=f"Customer {n % 5}")
            time.sleep(0.25)

    writing = threading.Thread(target=customers_write)
    writing.start()
    env = {"INBOX_TELEGRAM_POLL_SECONDS": "1"}
    try:
        for kill in range(3):
            before = bot.served_updates  # before it starts: its first fetch may come at once
            server = Server(db_path, tmp_path / f"server-{kill}.log", env)
            assert wait_until(lambda b=before: bot.served_updates > b, 20), "the bot was polled"
            server.process.kill()  # SIGKILL: no cleanup, whatever it was doing
            server.process.wait()
            server.stop()
        writing.join()
        server = Server(db_path, tmp_path / "server-last.log", env)
        assert wait_until(lambda: not bot.updates and bot.served_updates >= MESSAGES, 30)
        time.sleep(1.5)  # the last offset is saved after the last batch is stored
        server.stop()
    finally:
        writing.join()
        bot.close()

    store = Store(db_path)
    with store.read() as cur:
        texts = [
            text
            for (text,) in cur.execute(
                "SELECT text FROM messages WHERE kind = ?", [MessageKind.CUSTOMER.value]
            ).fetchall()
        ]
    store.close()
    print(f"{bot.served_updates} updates handed out for {MESSAGES} messages, 3 kills")
    assert sorted(texts) == sorted(f"message {n}" for n in range(MESSAGES))
