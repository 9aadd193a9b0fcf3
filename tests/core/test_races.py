"""Rules that must hold when managers and channels act at the same moment."""

import threading
from concurrent.futures import ThreadPoolExecutor

from inbox.models import InboundMessage, MessageKind, Role, SystemEvent
from inbox.services import accounts, conversation, inbound, reads


def run_together(n, action):
    """Start n calls of action(i) as close to the same instant as threads allow."""
    barrier = threading.Barrier(n)

    def go(i):
        barrier.wait()
        return action(i)

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(go, range(n)))


def test_eight_managers_replying_at_once_make_exactly_one_responsible(world):
    managers = [
        accounts.create_user(world.store, f"m{i}", f"Manager {i}", "password-1", Role.MANAGER)
        for i in range(8)
    ]
    for manager in managers:
        accounts.grant_access(world.store, world.olga, manager.id, world.telegram.id)

    for trial in range(100):
        chat = world.customer_writes("who answers first?", who=f"race-{trial}").chat_id
        run_together(
            8,
            lambda i, chat=chat: conversation.send_reply(world.store, managers[i], chat, f"me {i}"),
        )

        history = reads.list_messages(world.store, world.olga, chat)
        replies = [m for m in history if m.kind == MessageKind.MANAGER]
        assigned = [m for m in history if m.event == SystemEvent.ASSIGNED]
        assert sorted(m.text for m in replies) == [f"me {i}" for i in range(8)], f"trial {trial}"
        assert len(assigned) == 1, f"trial {trial}"
        row = reads.get_chat(world.store, world.olga, chat)
        assert row.assignee_id == assigned[0].author_id
        assert row.badge == 0


def test_one_update_delivered_twenty_times_at_once_is_stored_once(world):
    for trial in range(10):
        message = InboundMessage(
            channel_id=world.telegram.id,
            external_user_id=f"dup-{trial}",
            display_name="Impatient",
            external_message_id="update-1",
            text="hello?",
        )
        results = run_together(
            20, lambda i, m=message: inbound.receive_customer_message(world.store, m)
        )

        assert sum(r.created for r in results) == 1
        assert len({(r.chat_id, r.message_id) for r in results}) == 1
        chat = results[0].chat_id
        assert [m.text for m in reads.list_messages(world.store, world.olga, chat)] == ["hello?"]
        assert reads.get_chat(world.store, world.olga, chat).badge == 1


def test_customers_and_managers_writing_together_keep_the_badge_true(world):
    """The badge counts the customer messages after the last manager reply, as the
    conversation shows them, however the writes interleave."""
    for trial in range(20):
        who = f"mixed-{trial}"
        chat = world.customer_writes("start", who=who).chat_id

        def act(i, chat=chat, who=who):
            if i % 2:
                world.customer_writes(f"c{i}", who=who, message_id=f"c{i}")
            else:
                conversation.send_reply(world.store, world.anna, chat, f"r{i}")

        run_together(8, act)
        history = reads.list_messages(world.store, world.olga, chat)
        last_reply = max(i for i, m in enumerate(history) if m.kind == MessageKind.MANAGER)
        after = [m for m in history[last_reply:] if m.kind == MessageKind.CUSTOMER]
        assert reads.get_chat(world.store, world.olga, chat).badge == len(after), f"trial {trial}"
