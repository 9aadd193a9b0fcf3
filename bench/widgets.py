"""Idle website widgets on the real server (SPEC CH7): what an open widget costs the server
while nothing is new, and 200 of them on one server.

Builds a shop store with a website channel whose visitors have each written once, starts the
real server on it, then opens N widgets at once. Each does what widget.js does while its panel
sits open: it asks for news every second (`?after=…&seen=…`) over its own kept-alive
connection, with the page's Origin and the visitor's token. Prints, per N: the polls answered,
errors, the server's CPU share (of one core) and CPU per poll beyond what the idle server
spends anyway, its memory, and the database reads the polls opened (the target is none).

    python -m bench.widgets [CHATS] [SECONDS_PER_N] [N ...]
"""

import http.client
import json
import multiprocessing
import os
import sys
import threading
import time

from bench.shop_store import PASSWORD, build
from inbox.channels import website
from inbox.services import accounts, channel_settings
from inbox.store import close_store
from tests.browser.conftest import Server
from tests.browser.load import cpu_seconds, rss_bytes

SHOP = "https://shop.example"
POLL_SECONDS = 1.0  # widget.js's POLL_MS
WIDGETS_PER_PROCESS = 50


def _widgets(store, admin, count: int) -> tuple[int, list[str]]:
    """A website channel, and `count` visitors' tokens, each visitor with one message."""
    channel = accounts.create_channel(store, admin, "website", "Shop site", "🛍️")
    channel_settings.change_setting(store, admin, channel.id, "origins", SHOP)
    tokens = []
    for number in range(count):
        token = website.new_visitor(store, channel.id)
        visitor = website.visitor_of(store, channel.id, token)
        website.write(store, channel.id, visitor, "Hello, is the scarf in stock?", f"c-{number}")
        tokens.append(token)
    return channel.id, tokens


def _poll_for(port: int, path: str, tokens: list[str], window: tuple[float, float], out) -> None:
    """One process's widgets: a thread each, polling every POLL_SECONDS until the window (in
    time.time()) is over; polls started inside it are counted."""
    polls, errors, unchanged = [0], [], [0]
    lock = threading.Lock()
    start, stop_at = window

    def widget(index: int, token: str) -> None:
        headers = {"Origin": SHOP, "Authorization": f"Bearer {token}"}
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        after, seen = 0, None
        time.sleep(POLL_SECONDS * index / len(tokens))  # widgets open at different moments
        while (now := time.time()) < stop_at:
            counted = now >= start
            query = f"?after={after}" + (f"&seen={seen}" if seen else "")
            try:
                connection.request("GET", path + query, headers=headers)
                response = connection.getresponse()
                body = json.loads(response.read())
                if response.status != 200:
                    raise RuntimeError(f"{response.status} {body}")
            except Exception as error:  # noqa: BLE001 - counted and shown
                with lock:
                    errors.append(str(error)[:120])
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
            else:
                if not body["unchanged"]:
                    after, seen = body["next_after"], body["version"]
                with lock:
                    polls[0] += counted
                    unchanged[0] += counted and body["unchanged"]
            time.sleep(POLL_SECONDS)
        connection.close()

    threads = [threading.Thread(target=widget, args=pair) for pair in enumerate(tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    out.put((polls[0], unchanged[0], errors))


def _reads_opened(port: int) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/api/health")
    return json.loads(connection.getresponse().read())["reads_opened"]


def _idle_share(server: Server, seconds: float) -> float:
    """The server's CPU share with no widget open: its workers and timers."""
    before = cpu_seconds(server.process.pid)
    time.sleep(seconds)
    return (cpu_seconds(server.process.pid) - before) / seconds


def one_load(server: Server, channel_id: int, tokens: list[str], seconds: float, idle: float):
    path = f"/api/channels/{channel_id}/widget/messages"
    warm = POLL_SECONDS * 3  # each widget's first poll reads its chat once; then it is idle
    start = time.time() + warm
    window = (start, start + seconds)
    out = multiprocessing.Queue()
    step = WIDGETS_PER_PROCESS
    workers = [
        multiprocessing.Process(
            target=_poll_for, args=(server.port, path, tokens[i : i + step], window, out)
        )
        for i in range(0, len(tokens), step)
    ]
    for worker in workers:
        worker.start()
    time.sleep(warm)
    pid = server.process.pid
    reads_before, cpu_before = _reads_opened(server.port), cpu_seconds(pid)
    time.sleep(seconds)
    cpu, reads = cpu_seconds(pid) - cpu_before, _reads_opened(server.port) - reads_before
    memory = rss_bytes(pid)
    results = [out.get() for _ in workers]
    for worker in workers:
        worker.join()
    polls = sum(r[0] for r in results)
    unchanged = sum(r[1] for r in results)
    errors = [e for r in results for e in r[2]]
    per_poll = max(cpu - idle * seconds, 0) / max(polls, 1) * 1000
    print(
        f"  {len(tokens):>4} widgets: {polls:,} polls ({unchanged:,} answered 'unchanged'),"
        f" {len(errors)} errors; server CPU {cpu / seconds:.1%} of one core,"
        f" {per_poll:.2f} ms per poll beyond idle; memory {memory / 2**20:.0f} MB;"
        f" database reads opened while idle: {reads}"
    )
    for error in sorted(set(errors))[:3]:
        print(f"      {error}")


def main() -> None:
    chats = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 30
    loads = [int(n) for n in sys.argv[3:]] or [1, 50, 200]
    shop = build(chats, chats * 10)
    admin = accounts.authenticate(shop.store, "olga", PASSWORD)
    channel_id, tokens = _widgets(shop.store, admin, max(loads))
    close_store(shop.store.path)  # the server owns the file from here
    server = Server(shop.store.path, shop.folder / "server.log")
    try:
        idle = _idle_share(server, 10)
        print(
            f"idle website widgets polling every {POLL_SECONDS:.0f} s, {seconds:.0f} s each,"
            f" {chats:,} chats (load average {os.getloadavg()[0]:.2f});"
            f" the server with no widget open uses {idle:.1%} of one core,"
            f" {rss_bytes(server.process.pid) / 2**20:.0f} MB:"
        )
        for n in loads:
            one_load(server, channel_id, tokens[:n], seconds, idle)
    finally:
        server.stop()
        shop.remove()


if __name__ == "__main__":
    main()
