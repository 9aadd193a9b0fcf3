"""A realistic store for benchmarks, filled with bulk SQL (the services would take hours).

Skewed like a real shop: most chats come through the main Telegram bot, a few managers handle
most of them, most chats are short and a few are long (one has LONG_CHAT messages), a third of
the leads became customers, and customers have orders (some cancelled, some taken without a
chat). Times spread over the year before now, so "today" and "last 30 days" hold rows.

    python -m bench.shop_store CHATS MESSAGES   # builds one and prints what it holds
"""

import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from inbox.clock import utc_now
from inbox.models import Role, User
from inbox.services import accounts
from inbox.store import Store, close_store, contacts, get_store, users

PASSWORD = "bench-password"
WEBSITE_CHANNEL, WEBSITE_SECRET = 2, "bench"  # the HTTP channel, for benchmarks that post to it
LONG_CHAT = 700  # messages in the longest chat
SHORT_CHAT = 10  # messages in the chat the page benchmarks open first


@dataclass
class ShopStore:
    store: Store
    folder: Path
    manager: User  # a manager with access to every channel
    long_chat_id: int
    short_chat_id: int
    chats: int
    messages: int

    def remove(self) -> None:
        close_store(self.store.path)
        shutil.rmtree(self.folder, ignore_errors=True)


def _people(store: Store) -> tuple[User, list[int]]:
    admin = accounts.create_user(store, "olga", "Olga Admin", PASSWORD, Role.ADMIN)
    managers = [
        accounts.create_user(store, login, name, PASSWORD)
        for login, name in [("anna", "Anna Petrova"), ("boris", "Boris Klein"),
                            ("carla", "Carla Gomes"), ("dmitri", "Dmitri Ivanov"),
                            ("emma", "Emma Larsen"), ("farid", "Farid Haddad")]
    ]  # fmt: skip
    channels = [
        accounts.create_channel(store, admin, kind, name, icon, config)
        for kind, name, icon, config in [
            ("telegram", "Shop bot", "✈️", {}),  # no token: no poller to measure
            ("http", "Website chat", "🌐", {"secret": WEBSITE_SECRET}),
            ("telegram", "Wholesale bot", "📦", {}),
        ]
    ]
    grants = {0: (0, 1, 2), 1: (0,), 2: (0, 1), 3: (1,), 4: (0, 2), 5: (2,)}
    for manager, reach in grants.items():
        for channel in reach:
            accounts.grant_access(store, admin, managers[manager].id, channels[channel].id)
    return managers[0], [c.id for c in channels] + [m.id for m in managers]


def build(chats: int, messages: int, folder: Path | None = None) -> ShopStore:
    folder = folder or Path(tempfile.mkdtemp(prefix="inbox-bench-"))
    store = get_store(folder / "bench.duckdb")
    started = time.perf_counter()
    manager, ids = _people(store)
    tg, web, wholesale, *managers = ids
    now = utc_now().replace(microsecond=0)
    average = max(messages / chats, 1.0)
    with store.write() as cur:
        # Channels 70 / 25 / 5 %; a year of chats, the newest now.
        cur.execute(
            "INSERT INTO contacts (id, channel_id, external_id, display_name, created_at)"
            " SELECT nextval('contacts_id_seq'),"
            " CASE WHEN h < 70 THEN $tg WHEN h < 95 THEN $web ELSE $wholesale END,"
            " 'ext-' || i, 'Lead number ' || i,"
            " $now - to_seconds(CAST((i * 31536000) // $chats AS BIGINT))"
            " FROM (SELECT i, hash(i * 7) % 100 AS h FROM range($chats) t(i))",
            {"tg": tg, "web": web, "wholesale": wholesale, "now": now, "chats": chats},
        )
        # Chat lengths: exponential around the average; chat 1 is LONG_CHAT, chat 2 SHORT_CHAT.
        cur.execute(
            "CREATE TEMP TABLE lengths AS SELECT id AS contact_id, CASE"
            f" WHEN id = 1 THEN {LONG_CHAT} WHEN id = 2 THEN {SHORT_CHAT}"
            " ELSE LEAST(400, GREATEST(1, CAST(-$avg * ln(1 - (hash(id) % 997) / 997.0) AS INT)))"
            " END AS n FROM contacts",
            {"avg": average},
        )
        # A few managers handle most chats; a fifth wait for someone; a quarter are closed.
        cur.execute(
            "INSERT INTO chats (id, channel_id, contact_id, state, assignee_id, badge,"
            " last_customer_at, last_message_at, created_at)"
            " SELECT nextval('chats_id_seq'), c.channel_id, c.id,"
            " CASE WHEN hash(c.id * 3) % 4 = 0 AND c.id > 2 THEN 'closed' ELSE 'open' END,"
            " CASE WHEN h < 35 THEN $m0 WHEN h < 60 THEN $m1 WHEN h < 70 THEN $m2"
            " WHEN h < 76 THEN $m3 WHEN h < 80 THEN $m4 ELSE NULL END,"
            " CASE WHEN hash(c.id * 5) % 3 = 0 THEN hash(c.id) % 4 ELSE 0 END,"
            " c.created_at + to_seconds(l.n * 40), c.created_at + to_seconds(l.n * 40),"
            " c.created_at"
            " FROM (SELECT *, hash(id * 11) % 100 AS h FROM contacts) c"
            " JOIN lengths l ON l.contact_id = c.id",
            {f"m{k}": managers[k] for k in range(5)},
        )
        cur.execute(
            "INSERT INTO messages (id, chat_id, kind, author_id, text, external_id, created_at)"
            " SELECT nextval('messages_id_seq'), ch.id,"
            " CASE WHEN r.n % 3 = 2 THEN 'manager' ELSE 'customer' END,"
            " CASE WHEN r.n % 3 = 2 THEN coalesce(ch.assignee_id, $m0) END,"
            " CASE WHEN r.n % 3 = 2 THEN 'Thanks, I will check and come back to you.'"
            " ELSE 'Hello! Is item ' || (hash(ch.id + r.n) % 500) || ' in stock in size M?' END,"
            " CASE WHEN r.n % 3 = 2 THEN NULL ELSE 'm' || r.n END,"
            " ch.created_at + to_seconds(r.n * 40)"
            " FROM chats ch JOIN lengths l ON l.contact_id = ch.contact_id,"
            " LATERAL range(l.n) r(n)",
            {"m0": managers[0]},
        )
        cur.execute(
            "UPDATE chats SET last_message_id = m.last FROM (SELECT chat_id, max(id) AS last"
            " FROM messages GROUP BY chat_id) m WHERE m.chat_id = chats.id"
        )
        # A third of the leads are customers; every tenth customer writes in two channels.
        cur.execute(
            "INSERT INTO customers (id, name, phone, email, created_at)"
            " SELECT id, 'Customer ' || id, '+351 91' || lpad(CAST(id AS VARCHAR), 7, '0'),"
            " 'customer' || id || '@example.com', created_at"
            " FROM contacts WHERE id % 3 = 0"
        )
        cur.execute(
            "UPDATE contacts SET customer_id = CASE WHEN id % 3 = 0 THEN id ELSE id - 1 END"
            " WHERE id % 3 = 0 OR (id % 30 = 1 AND id > 1)"
        )
        cur.execute("SELECT setval('customers_id_seq', (SELECT max(id) + 1 FROM customers))")
        products = [("Wool socks", 12.5), ("Alpaca scarf", 59.0), ("Throw blanket", 89.0),
                    ("Chunky knit beanie", 29.0), ("Mittens", 19.5)]  # fmt: skip
        for name, price in products:
            cur.execute("INSERT INTO products (id, name, price) VALUES"
                        " (nextval('products_id_seq'), ?, ?)", [name, price])  # fmt: skip
        # 0-4 orders per customer; a tenth cancelled; a twentieth taken without a chat.
        cur.execute(
            "INSERT INTO orders (id, customer_id, chat_id, manager_id, status, delivery_cost,"
            " total, created_at, updated_at)"
            " SELECT nextval('orders_id_seq'), cu.id, CASE WHEN k.k % 20 = 7 THEN NULL"
            " ELSE ch.id END, coalesce(ch.assignee_id, $m1),"
            " CASE WHEN hash(cu.id + k.k) % 10 = 0 THEN 'cancelled'"
            " WHEN hash(cu.id + k.k) % 10 < 4 THEN 'new' ELSE 'completed' END,"
            " 4.90, 0, ch.created_at + to_seconds(k.k * 3600), ch.created_at"
            " FROM customers cu JOIN chats ch ON ch.contact_id = cu.id,"
            " LATERAL range(CAST(hash(cu.id) % 5 AS BIGINT)) k(k)",
            {"m1": managers[1]},
        )
        cur.execute(
            "INSERT INTO order_lines (order_id, position, product_id, name, quantity, price)"
            " SELECT o.id, p.n, pr.id, pr.name, 1 + hash(o.id + p.n) % 3, pr.price"
            " FROM orders o, LATERAL range(1 + CAST(hash(o.id) % 3 AS BIGINT)) p(n)"
            " JOIN products pr ON pr.id = 1 + (hash(o.id * p.n) % 5)"
        )
        cur.execute(
            "UPDATE orders SET total = delivery_cost + t.s FROM (SELECT order_id,"
            " sum(quantity * price) AS s FROM order_lines GROUP BY order_id) t"
            " WHERE t.order_id = orders.id"
        )
        contacts.backfill_search_keys(cur)  # as the app keeps them for its name search
        cur.execute("SELECT count(*) FROM messages")
        message_count = cur.fetchone()[0]
    print(f"  store: {chats:,} chats, {message_count:,} messages, built in"
          f" {time.perf_counter() - started:.1f} s")  # fmt: skip
    with store.read() as cur:
        manager = users.get(cur, manager.id)
    return ShopStore(store, folder, manager, 1, 2, chats, message_count)


if __name__ == "__main__":
    shop = build(int(sys.argv[1]), int(sys.argv[2]))
    with shop.store.read() as cur:
        for table in ("chats", "messages", "customers", "orders", "order_lines"):
            cur.execute(f"SELECT count(*) FROM {table}")
            print(f"  {table}: {cur.fetchone()[0]:,}")
    shop.remove()
