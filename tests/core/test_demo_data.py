"""The demo database a new user gets from `make run`."""

from datetime import datetime

from inbox.demo_data import DEMO_LOGINS, DEMO_PASSWORD, seed
from inbox.models import ChatFilter, DeliveryState, MessageKind
from inbox.services import accounts, reads
from inbox.store import Store
from inbox.web import demo_shop

NOW = datetime(2026, 11, 24, 15, 0)


def test_the_demo_shop_has_chats_in_every_state_and_orders(tmp_path):
    store = Store(tmp_path / "demo.duckdb")
    seed(store, now=NOW)
    users = {
        login.login: accounts.authenticate(store, login.login, DEMO_PASSWORD)
        for login in DEMO_LOGINS
    }
    assert all(users.values()), "every printed login works with the printed password"

    everything = reads.list_chats(store, users["admin"], ChatFilter(state="all", limit=100)).rows
    assert len(everything) == 30
    assert all(row.last_message_at <= NOW for row in everything)
    assert sum(row.last_customer_at.date() == NOW.date() for row in everything) >= 3
    assert any(row.state == "closed" for row in everything)
    assert any(row.assignee_id is None and row.badge > 0 for row in everything), "new chats"
    assert any(row.assignee_id is not None and row.badge == 0 for row in everything), "answered"
    assert any(row.customer_id is not None for row in everything)

    histories = [reads.list_messages(store, users["admin"], row.id) for row in everything]
    assert any(sum(m.kind == MessageKind.CUSTOMER for m in h) >= 3 for h in histories)
    assert any(m.event == "assigned" and "first reply" not in m.text for h in histories for m in h)

    kinds = {row.channel_kind for row in everything}
    assert kinds == {"website", "demo", "messenger", "instagram", "whatsapp", "viber"}, (
        "no chat on the bot"
    )
    replies = [m for h in histories for m in h if m.kind == MessageKind.MANAGER]
    assert replies and all(m.delivery_state == DeliveryState.SENT for m in replies)
    assert demo_shop.available(store)

    boris_sees = reads.list_chats(store, users["boris"], ChatFilter(state="all", limit=100)).rows
    assert 0 < len(boris_sees) < len(everything), "Boris has no access to the website chat"

    with_orders = [
        reads.customer_card(store, users["admin"], row.id)
        for row in everything
        if row.customer_id is not None
    ]
    assert any(card.active_orders for card in with_orders)
    assert any(card.order_count > len(card.active_orders) for card in with_orders)
    assert len(reads.catalogue(store)) >= 5
    store.close()
