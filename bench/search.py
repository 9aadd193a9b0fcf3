"""The chat list's search (SPEC C8) at 100k chats and 1M messages, on DuckDB and on PostgreSQL.

The shop of bench.shop_store gets message text in three languages from a vocabulary of common
shop words and many rarer ones (order numbers, product codes, names), indexed as the app
indexes them; the store is then moved to PostgreSQL with inbox.migrate. Each search is the
list read a manager's page makes (reads.list_chats, 25 rows), by a manager who sees every
channel. Target: p95 ≤ 50 ms on both engines.

    python -m bench.search [CHATS] [MESSAGES]
"""

import sys
import time

from bench.engines import moved_to_postgres
from bench.shop_store import build
from bench.timing import timed
from inbox.models import ChatFilter
from inbox.services import reads
from inbox.store import Store, search_index
from tests.postgres_server import PostgresServer

COMMON = (
    "hello hi good morning please thanks thank you is the in stock size colour price delivery "
    "when will my order arrive can I pay by card cash courier pickup return exchange "
    "привіт добрий день доставка розмір колір ціна замовлення оплата дякую коли буде "
    "здравствуйте доставка размер цвет цена заказ оплата спасибо когда будет можно"
).split()
# Rarer words: product codes, order numbers and town names, a few thousand of each.
RARE = [
    "'SKU-' || (hash(id * 7) % 5000)",
    "'order' || (1000 + hash(id * 13) % 90000)",
    "(['Lviv', 'Kyiv', 'Odesa', 'Porto', 'Lisboa', 'Kharkiv', 'Dnipro'])"
    "[CAST(1 + hash(id) % 7 AS BIGINT)] || (hash(id * 17) % 300)",
]
SEARCHES = [
    "delivery",  # in about one message in six
    "доставка",
    "дост",  # the beginning of a word
    "order4242",  # a rare word
    "sku-12",  # the beginning of many rare words
    "lviv7 size",  # two words in one message
    "nothing-like-this",
    "Customer 3003",  # a name
    "91000300",  # phone digits
]


def vary_text(store: Store) -> None:
    """Customer messages of 4–12 words, one of them rarer; then the index, as the app keeps it."""
    words = "[" + ", ".join(f"'{w}'" for w in COMMON) + "]"
    rare = " || ' ' || ".join(f"CASE WHEN hash(id * {k + 3}) % 3 = 0 THEN {r} ELSE '' END"
                              for k, r in enumerate(RARE))  # fmt: skip
    started = time.perf_counter()
    with store.write() as cur:
        cur.execute(
            "UPDATE messages SET text = array_to_string(list_transform("
            "range(CAST(4 + hash(id) % 9 AS BIGINT)),"
            f" lambda k: {words}[CAST(1 + hash(id * 31 + k) % {len(COMMON)} AS BIGINT)]), ' ')"
            f" || ' ' || {rare}"
            " WHERE kind = 'customer'"
        )
        search_index.backfill(cur, batch=20_000)
        search_index.put_in_order(cur, store.engine_name)  # as the app's worker does
        postings = cur.execute("SELECT count(*) FROM message_words").fetchone()[0]
        vocabulary = cur.execute("SELECT count(*) FROM search_words").fetchone()[0]
    print(f"  indexed: {vocabulary:,} words, {postings:,} word rows,"
          f" in {time.perf_counter() - started:.0f} s")  # fmt: skip


def searches(store: Store, manager) -> dict[str, tuple[float, float, int]]:
    figures = {}
    for search in SEARCHES:
        chat_filter = ChatFilter(state="all", search=search, limit=25)
        rows = len(reads.list_chats(store, manager, chat_filter).rows)
        median, p95 = timed(lambda f=chat_filter: reads.list_chats(store, manager, f), runs=40)
        figures[search] = (median, p95, rows)
    return figures


def main() -> None:
    chats = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    messages = int(sys.argv[2]) if len(sys.argv) > 2 else chats * 10
    shop = build(chats, messages)
    vary_text(shop.store)
    postgres = PostgresServer(durable=True)
    try:
        pg = Store(moved_to_postgres(shop, postgres))
        figures = {
            "DuckDB": searches(shop.store, shop.manager),
            "PostgreSQL": searches(pg, shop.manager),
        }
        pg.close()
        print(f"chat list search, {chats:,} chats, {messages:,} messages (ms; target p95 ≤ 50):")
        print(f"  {'search':<22} {'rows':>4}   {'DuckDB p50':>10} {'p95':>6}"
              f"   {'PostgreSQL p50':>14} {'p95':>6}")  # fmt: skip
        for search in SEARCHES:
            duck, pg_figures = figures["DuckDB"][search], figures["PostgreSQL"][search]
            print(f"  {search!r:<22} {duck[2]:>4}   {duck[0]:>10.1f} {duck[1]:>6.1f}"
                  f"   {pg_figures[0]:>14.1f} {pg_figures[1]:>6.1f}")  # fmt: skip
        worst = max(max(f[1] for f in engine.values()) for engine in figures.values())
        print(f"  worst p95 {worst:.1f} ms: {'meets' if worst <= 50 else 'MISSES'} the target")
    finally:
        postgres.stop()
        shop.remove()


if __name__ == "__main__":
    main()
