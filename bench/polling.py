"""What a poll tick costs when nothing changed, against re-reading the chat list.

A poll compares the store's change counter with what the session saw last; only when it moved
does the page re-query. This prints both costs side by side.

    python -m bench.polling
"""

from bench.large_store import build, remove
from bench.timing import measure
from inbox.models import ChatFilter
from inbox.services import reads


def main() -> None:
    world, folder = build(20_000, 5)
    store, anna = world.store, world.anna
    seen = store.version

    def idle_tick() -> bool:
        return store.version != seen

    print("per poll tick, per browser session:")
    measure("nothing changed: compare the change counter", idle_tick, runs=10_000)
    measure(
        "re-read the chat list instead",
        lambda: reads.list_chats(store, anna, ChatFilter()),
        runs=50,
    )
    reads_before = store.reads_opened
    for _ in range(1000):
        idle_tick()
    print(f"  database reads made by 1,000 idle ticks: {store.reads_opened - reads_before}")
    remove(world, folder)


if __name__ == "__main__":
    main()
