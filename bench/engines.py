"""DuckDB and PostgreSQL side by side: the same shop on each engine, the same reads and writes
through the services, and customers posting to real servers (one on the DuckDB file, one and
two on PostgreSQL).

The shop is built on DuckDB (bench.shop_store) and moved to a PostgreSQL server of its own with
inbox.migrate, as a team would move. PostgreSQL runs on this machine, from Debian's package.

    python -m bench.engines [CHATS] [MESSAGES] [INGEST_SECONDS]
"""

import statistics
import sys
import threading
import time
from itertools import count

import psycopg

from bench.ingest import sender
from bench.load_sessions import p95
from bench.shop_store import WEBSITE_CHANNEL, build
from bench.timing import timed
from inbox import migrate
from inbox.models import ChatFilter, InboundMessage
from inbox.services import conversation, inbound, reads
from inbox.store import Store, close_store
from tests.browser.conftest import Server
from tests.browser.load import cpu_seconds
from tests.postgres_server import PostgresServer


def moved_to_postgres(shop, postgres: PostgresServer) -> str:
    """The shop copied into a new database of this server with inbox.migrate, as a team
    would move, and analysed; its address."""
    with psycopg.connect(postgres.url, autocommit=True) as admin:
        admin.execute("CREATE DATABASE shop")
    url = postgres.url.rsplit("/", 1)[0] + "/shop"
    pg = Store(url)
    started = time.perf_counter()
    migrate.copy(shop.store, pg)
    print(f"  moved to PostgreSQL with inbox.migrate in {time.perf_counter() - started:.0f} s")
    with pg.read() as cur:
        cur.execute("ANALYZE")
    pg.close()
    return url


def services(store: Store, manager) -> dict[str, tuple[float, float]]:
    chat_id = reads.list_chats(store, manager, ChatFilter()).rows[0].id
    numbers = count()

    def customer_writes():
        n = next(numbers)
        inbound.receive_customer_message(store, InboundMessage(
            channel_id=WEBSITE_CHANNEL, external_user_id=f"bench-{n % 50}",
            display_name="Bench", external_message_id=f"bench-{n}", text=f"hello {n}"))  # fmt: skip

    return {
        "chat list, Open tab, 50 rows": timed(
            lambda: reads.list_chats(store, manager, ChatFilter())
        ),
        "chat list, search 'number 19'": timed(
            lambda: reads.list_chats(store, manager, ChatFilter(search="number 19"))
        ),
        "conversation, last 200 messages": timed(
            lambda: reads.list_messages(store, manager, chat_id)
        ),
        "manager reply": timed(
            lambda: conversation.send_reply(store, manager, chat_id, f"reply {next(numbers)}")
        ),
        "customer message": timed(customer_writes),
    }


def ingest(
    servers: list[Server], seconds: float, senders: int, run: str, database=None, send=sender
) -> dict:
    """`senders` threads each calling send(port, n, stop, acknowledged, times, run) for
    `seconds`; their messages a second, post times and the CPU it took."""
    stop, acknowledged, times = threading.Event(), set(), []
    threads = [
        threading.Thread(
            target=send,
            args=(servers[n % len(servers)].port, n, stop, acknowledged, times, run),
        )
        for n in range(senders)
    ]
    cpu_before = [cpu_seconds(s.process.pid) for s in servers]
    database_before = database.cpu_seconds() if database else 0.0
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    stop.wait(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    cpu = sum(cpu_seconds(s.process.pid) - b for s, b in zip(servers, cpu_before, strict=True))
    database_cpu = database.cpu_seconds() - database_before if database else 0.0
    return {"acknowledged": acknowledged, "per_second": len(acknowledged) / wall,
            "p50": statistics.median(times) * 1000, "p95": p95(times) * 1000,
            "cpu": cpu / wall, "database_cpu": database_cpu / wall}  # fmt: skip


def stored(store: Store, run: str) -> tuple[int, int]:
    with store.read() as cur:
        return cur.execute(
            "SELECT count(*), count(DISTINCT external_id) FROM messages WHERE external_id LIKE ?",
            [f"ingest-{run}%"],
        ).fetchone()


def ingest_on(
    target, servers: list[Server], seconds: float, run: str, database=None, send=sender
) -> str:
    """Post for `seconds`, stop the servers, count what the database holds: one line."""
    try:
        result = ingest(servers, seconds, 8, run, database, send)
    finally:
        for server in servers:
            server.stop()
    store = Store(target)
    rows, distinct = stored(store, run)
    store.close()
    acknowledged = len(result["acknowledged"])
    same = "= acknowledged" if rows == distinct == acknowledged else "MISMATCH"
    return (
        f"{result['per_second']:5.0f} msg/s, post p50 {result['p50']:4.0f} ms"
        f" p95 {result['p95']:4.0f} ms, CPU: app {result['cpu'] * 100:3.0f} %"
        + (f" + PostgreSQL {result['database_cpu'] * 100:3.0f} %," if database else ",")
        + f" acknowledged {acknowledged}, stored {rows} ({same})"
    )


def main() -> None:
    chats = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    messages = int(sys.argv[2]) if len(sys.argv) > 2 else chats * 10
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 20
    shop = build(chats, messages)
    postgres = PostgresServer(durable=True)  # commits wait for the disk, as DuckDB's do
    try:
        url = moved_to_postgres(shop, postgres)
        pg = Store(url)
        figures = {
            "DuckDB": services(shop.store, shop.manager),
            "PostgreSQL": services(pg, shop.manager),
        }
        pg.close()
        print(f"\nservices, {chats:,} chats, median / p95 in ms (50 runs each):")
        print(f"  {'':<34}{'DuckDB':>18}{'PostgreSQL':>18}")
        for name in figures["DuckDB"]:
            cells = [f"{m:7.2f} / {p:6.2f}" for m, p in (figures[e][name] for e in figures)]
            print(f"  {name:<34}{cells[0]:>18}{cells[1]:>18}")

        db = shop.store.path
        close_store(db)
        duck = [Server(db, shop.folder / "d.log")]
        lines = {"DuckDB, 1 server": ingest_on(db, duck, seconds, "d")}
        env = {"INBOX_DATABASE_URL": url}
        for n in (1, 2):
            servers = [Server(db, shop.folder / f"p{n}-{i}.log", env) for i in range(n)]
            name = f"PostgreSQL, {n} server{'s' * (n > 1)}"
            lines[name] = ingest_on(url, servers, seconds, f"p{n}", postgres)
        print(f"\ningest: 8 senders posting to the HTTP channel for {seconds:.0f} s:")
        for name, line in lines.items():
            print(f"  {name:<22} {line}")
    finally:
        postgres.stop()
        shop.remove()


if __name__ == "__main__":
    main()
