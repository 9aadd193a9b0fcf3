"""A large store for benchmarks, filled with bulk SQL (the services would take an hour)."""

import shutil
import tempfile
import time
from pathlib import Path

from inbox.store import Store, contacts
from tests.scenario import Scenario, create_people_and_channels


def build(chats: int, messages_per_chat: int) -> tuple[Scenario, Path]:
    folder = Path(tempfile.mkdtemp(prefix="inbox-bench-"))
    store = Store(folder / "bench.duckdb")
    create_people_and_channels(store)
    world = Scenario(store)
    started = time.perf_counter()
    with store.write() as cur:
        cur.execute(
            "INSERT INTO contacts (id, channel_id, external_id, display_name, created_at)"
            " SELECT nextval('contacts_id_seq'), CASE WHEN i % 3 = 0 THEN ? ELSE ? END,"
            " 'ext-' || i, 'Lead number ' || i, TIMESTAMP '2026-01-01' + to_seconds(i * 60)"
            " FROM range(?) t(i)",
            [world.website.id, world.telegram.id, chats],
        )
        cur.execute(
            "INSERT INTO chats (id, channel_id, contact_id, state, assignee_id, badge,"
            " last_customer_at, last_message_at, created_at)"
            " SELECT nextval('chats_id_seq'), channel_id, id, CASE WHEN id % 4 = 0 THEN 'closed'"
            " ELSE 'open' END, CASE WHEN id % 2 = 0 THEN ? END, id % 5, created_at, created_at,"
            " created_at FROM contacts",
            [world.anna.id],
        )
        cur.execute(
            "INSERT INTO messages (id, chat_id, kind, author_id, text, external_id, created_at)"
            " SELECT nextval('messages_id_seq'), c.id,"
            " CASE WHEN n % 3 = 2 THEN 'manager' ELSE 'customer' END,"
            " CASE WHEN n % 3 = 2 THEN ? END, 'Message ' || n || ' of chat ' || c.id,"
            " CASE WHEN n % 3 = 2 THEN NULL ELSE 'm' || n END,"
            " c.created_at + to_seconds(n * 30)"
            " FROM chats c, range(?) r(n)",
            [world.anna.id, messages_per_chat],
        )
        cur.execute(
            "UPDATE chats SET last_message_id = m.last FROM (SELECT chat_id, max(id) AS last"
            " FROM messages GROUP BY chat_id) m WHERE m.chat_id = chats.id"
        )
        contacts.backfill_search_keys(cur)  # as the app keeps them for its name search
    print(
        f"built {chats:,} chats and {chats * messages_per_chat:,} messages"
        f" in {time.perf_counter() - started:.1f} s"
    )
    return world, folder


def remove(world: Scenario, folder: Path) -> None:
    world.store.close()
    shutil.rmtree(folder, ignore_errors=True)
