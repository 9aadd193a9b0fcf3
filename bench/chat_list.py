"""How long the reads and writes a manager triggers take on a large store.

python -m bench.chat_list [CHATS] [MESSAGES_PER_CHAT]
"""

import sys
from itertools import count

from bench.large_store import build, remove
from bench.timing import measure
from inbox.models import ChatFilter
from inbox.services import conversation, reads


def main() -> None:
    chats = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    per_chat = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    world, folder = build(chats, per_chat)
    store, anna, boris = world.store, world.anna, world.boris
    chat_id = reads.list_chats(store, anna, ChatFilter()).rows[0].id
    print(f"reads ({chats:,} chats, {chats * per_chat:,} messages):")
    measure("chat list, Open tab, 50 rows", lambda: reads.list_chats(store, anna, ChatFilter()))
    measure(
        "chat list, All, Mine",
        lambda: reads.list_chats(store, anna, ChatFilter(state="all", assignee="mine")),
    )
    measure(
        "chat list, search 'number 19'",
        lambda: reads.list_chats(store, anna, ChatFilter(search="number 19")),
    )
    measure(
        "chat list, manager with one channel",
        lambda: reads.list_chats(store, boris, ChatFilter()),
    )
    measure("one chat (access checked)", lambda: reads.get_chat(store, anna, chat_id))
    measure("conversation, last 200 messages", lambda: reads.list_messages(store, anna, chat_id))
    measure("customer card", lambda: reads.customer_card(store, anna, chat_id))
    print("writes:")
    numbers = count()
    measure(
        "manager reply",
        lambda: conversation.send_reply(store, anna, chat_id, f"reply {next(numbers)}"),
    )
    measure(
        "customer message",
        lambda: world.customer_writes(f"again {next(numbers)}", who="ext-1", name="x"),
    )
    remove(world, folder)


if __name__ == "__main__":
    main()
