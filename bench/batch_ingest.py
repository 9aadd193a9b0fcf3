"""Meta's platforms post many events at once: eight senders posting signed WhatsApp-shaped
batches of 10 customer messages for 30 s, beside today's one-message posts to the HTTP channel,
on the DuckDB default and on PostgreSQL (moved there with inbox.migrate). Prints messages
stored a second, post times, and whether what was stored is what was acknowledged, once.

One post in twenty is sent twice, as Meta does when unsure it was taken: nothing of it may be
stored again.

    python -m bench.batch_ingest [CHATS] [SECONDS]
"""

import http.client
import json
import sys
import time
from functools import partial

from bench.engines import ingest_on, moved_to_postgres
from bench.shop_store import build
from inbox.channels import meta
from inbox.services import accounts
from inbox.store import Store, close_store, users
from tests.browser.conftest import Server
from tests.postgres_server import PostgresServer

SECRET = "bench-app-secret-0123456789"
NUMBER = "106540352242922"
BATCH = 10


def whatsapp_channel(store: Store) -> int:
    with store.read() as cur:
        admin = next(u for u in users.list_all(cur) if u.role == "admin")
    config = {"phone_number_id": NUMBER, "app_secret": SECRET}
    channel = accounts.create_channel(store, admin, "whatsapp", "WhatsApp", "🟢", config)
    return channel.id


def batch(run: str, number: int, post: int) -> tuple[bytes, list[str]]:
    mids, messages = [], []
    for k in range(BATCH):
        n = post * BATCH + k
        mid = f"ingest-{run}{number}-{n}"
        mids.append(mid)
        messages.append({"from": f"{run}{number}{n // 3}", "id": mid, "timestamp": "1764950000",
                         "type": "text", "text": {"body": f"Hello, message {n}"}})  # fmt: skip
    senders = dict.fromkeys(m["from"] for m in messages)
    value = {"messaging_product": "whatsapp",
             "metadata": {"display_phone_number": "380445550100", "phone_number_id": NUMBER},
             "contacts": [{"profile": {"name": f"Customer {s}"}, "wa_id": s} for s in senders],
             "messages": messages}  # fmt: skip
    body = {"object": "whatsapp_business_account",
            "entry": [{"id": "1", "changes": [{"value": value, "field": "messages"}]}]}  # fmt: skip
    return json.dumps(body).encode(), mids


def batch_sender(port, number, stop, acknowledged, times, run, channel_id):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    post = 0
    while not stop.is_set():
        post += 1
        body, mids = batch(run, number, post)
        headers = {"Content-Type": "application/json",
                   "X-Hub-Signature-256": meta.signature(SECRET, body)}  # fmt: skip
        for _ in range(2 if post % 20 == 0 else 1):
            started = time.perf_counter()
            connection.request("POST", f"/api/channels/{channel_id}/whatsapp", body, headers)
            answer = connection.getresponse()
            answer.read()
            times.append(time.perf_counter() - started)
            if answer.status == 200:
                acknowledged.update(mids)


def main() -> None:
    chats = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 30
    shop = build(chats, chats * 10)
    channel_id = whatsapp_channel(shop.store)
    db = shop.store.path
    postgres = PostgresServer(durable=True)  # commits wait for the disk, as DuckDB's do
    try:
        url = moved_to_postgres(shop, postgres)
        close_store(db)
        env = {"INBOX_DATABASE_URL": url}
        batches = partial(batch_sender, channel_id=channel_id)
        lines = {
            "DuckDB, one-message HTTP posts": ingest_on(
                db, [Server(db, shop.folder / "h.log")], seconds, "h"
            ),
            "DuckDB, batches of 10": ingest_on(
                db, [Server(db, shop.folder / "b.log")], seconds, "b", send=batches
            ),
            "PostgreSQL, batches of 10": ingest_on(
                url, [Server(db, shop.folder / "pb.log", env)], seconds, "pb", send=batches
            ),
        }
        print(f"ingest, 8 senders for {seconds:.0f} s, {chats:,} chats:")
        for name, line in lines.items():
            print(f"  {name:<32} {line}")
    finally:
        postgres.stop()
        shop.remove()


if __name__ == "__main__":
    main()
