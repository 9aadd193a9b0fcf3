"""Customers writing through the HTTP channel for 30 s: how many messages a second the server
stores, and whether every acknowledged message is stored (and stored once).

Starts the real server on a realistic store, with open Chats pages polling, then eight senders
post messages as fast as they are answered: most from new customers (new chats), some from
existing ones, and one in twenty sent twice (a sender's retry, which must not be stored again).
After the run the server stops and the database is counted.

    python -m bench.ingest [CHATS] [SECONDS] [SENDERS]
"""

import http.client
import json
import os
import statistics
import sys
import threading
import time

from bench.load_sessions import Tab, Tally, cookies, p95
from bench.shop_store import WEBSITE_CHANNEL, WEBSITE_SECRET, build
from inbox.services import login_sessions
from inbox.store import close_store, get_store
from tests.browser.conftest import Server
from tests.browser.load import cpu_seconds

HEADERS = {"X-Inbox-Secret": WEBSITE_SECRET, "Content-Type": "application/json"}


def sender(
    port: int, number: int, stop: threading.Event, acknowledged: set, times: list, run: str = ""
):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    sent = 0
    while not stop.is_set():
        sent += 1
        customer = f"ingest-{run}{number}-{sent // 3}"  # three messages per customer
        message_id = f"ingest-{run}{number}-{sent}"
        body = json.dumps({"user_id": customer, "name": customer, "message_id": message_id,
                           "text": f"Hello, message {sent} from sender {number}"})  # fmt: skip
        for _ in range(2 if sent % 20 == 0 else 1):  # a retry of the same message
            started = time.perf_counter()
            connection.request("POST", f"/api/channels/{WEBSITE_CHANNEL}/messages", body, HEADERS)
            answer = connection.getresponse()
            answer.read()
            times.append(time.perf_counter() - started)
            if answer.status in (200, 201):
                acknowledged.add(message_id)


def main() -> None:
    chats = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 30
    senders = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    shop = build(chats, chats * 10)
    db = shop.store.path
    with shop.store.read() as cur:
        before = cur.execute("SELECT count(*) FROM messages").fetchone()[0]
    key = login_sessions.load_or_create_key(db.with_suffix(".session-key"))
    sessions = cookies(shop.store, key, 1)
    close_store(db)
    server = Server(db, shop.folder / "server.log")
    stop, acknowledged, times = threading.Event(), set(), []
    try:
        pages = threading.Thread(target=_one_open_page, args=(server, sessions, stop))
        pages.start()
        threads = [
            threading.Thread(target=sender, args=(server.port, n, stop, acknowledged, times))
            for n in range(senders)
        ]
        cpu_before, started = cpu_seconds(server.process.pid), time.perf_counter()
        for thread in threads:
            thread.start()
        stop.wait(seconds)
        stop.set()
        for thread in threads + [pages]:
            thread.join()
        wall = time.perf_counter() - started
        busy = (cpu_seconds(server.process.pid) - cpu_before) / wall
    finally:
        server.stop()
    store = get_store(db)
    with store.read() as cur:
        stored = cur.execute(
            "SELECT count(*), count(DISTINCT external_id) FROM messages"
            " WHERE external_id LIKE 'ingest-%'"
        ).fetchone()
        total = cur.execute("SELECT count(*) FROM messages").fetchone()[0]
    print(
        f"{senders} senders posting to the HTTP channel for {wall:.0f} s, one Chats page open,"
        f" {chats:,} chats (load average {os.getloadavg()[0]:.2f}):"
    )
    print(
        f"  {len(acknowledged) / wall:.0f} messages a second stored;"
        f" post p50 {statistics.median(times) * 1000:.0f} ms, p95 {p95(times) * 1000:.0f} ms;"
        f" server CPU {busy * 100:.0f} %"
    )
    print(
        f"  acknowledged {len(acknowledged)}, stored {stored[0]} ({stored[1]} distinct),"
        f" messages before {before:,} after {total:,}:"
        f" {'stored = acknowledged' if stored[0] == stored[1] == len(acknowledged) else 'MISMATCH'}"
    )
    shop.remove()


def _one_open_page(server: Server, sessions: list[str], stop: threading.Event) -> None:
    Tab(server.port, sessions[0], Tally(), stop, seed=0).run(0.5)


if __name__ == "__main__":
    main()
