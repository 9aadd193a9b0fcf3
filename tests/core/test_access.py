"""SPEC A2: a manager sees only chats of channels they may access, by every road."""

import pytest

from inbox.errors import NotFound, PermissionDenied
from inbox.models import ChatFilter, CustomerInput, OrderDraft, OrderLineInput
from inbox.services import accounts, conversation, leads, orders, reads


@pytest.fixture
def web_chat(world):
    return world.customer_writes(
        "hi from the website", who="w1", name="Webby", channel=world.website
    ).chat_id


def visible_names(world, user, **filters):
    return [
        r.name for r in reads.list_chats(world.store, user, ChatFilter(state="all", **filters)).rows
    ]


def test_the_list_and_search_show_only_accessible_channels(world, web_chat):
    world.customer_writes("hi from telegram", who="t1", name="Teddy")
    assert visible_names(world, world.anna) == ["Teddy", "Webby"]
    assert visible_names(world, world.boris) == ["Teddy"]
    assert visible_names(world, world.boris, search="webby") == []
    assert visible_names(world, world.clara) == []
    assert visible_names(world, world.olga) == ["Teddy", "Webby"], "admins see every channel"


def test_counters_and_channels_respect_access(world, web_chat):
    assert reads.count_visible_chats(world.store, world.boris) == 0
    assert reads.count_visible_chats(world.store, world.anna) == 1
    assert [c.name for c in reads.visible_channels(world.store, world.boris)] == ["Shop bot"]
    assert reads.visible_channels(world.store, world.clara) == []


@pytest.mark.parametrize(
    "action",
    [
        lambda w, c: reads.get_chat(w.store, w.boris, c),
        lambda w, c: reads.list_messages(w.store, w.boris, c),
        lambda w, c: reads.customer_card(w.store, w.boris, c),
        lambda w, c: reads.assignable_users(w.store, w.boris, c),
        lambda w, c: conversation.send_reply(w.store, w.boris, c, "sneaky"),
        lambda w, c: conversation.assign(w.store, w.boris, c, w.boris.id),
        lambda w, c: conversation.close_chat(w.store, w.boris, c),
        lambda w, c: conversation.reopen_chat(w.store, w.boris, c),
        lambda w, c: leads.rename_lead(w.store, w.boris, c, "x"),
        lambda w, c: leads.add_note(w.store, w.boris, c, "x"),
        lambda w, c: leads.save_as_customer(w.store, w.boris, c, CustomerInput(name="x")),
        lambda w, c: orders.create_order(
            w.store, w.boris, c, OrderDraft(lines=[OrderLineInput(name="x", price=1)])
        ),
    ],
)
def test_no_road_leads_into_a_chat_of_a_channel_without_access(world, web_chat, action):
    before = reads.list_messages(world.store, world.anna, web_chat)
    with pytest.raises(NotFound):
        action(world, web_chat)
    assert reads.list_messages(world.store, world.anna, web_chat) == before


def test_an_order_of_a_hidden_chat_cannot_be_opened(world, web_chat):
    leads.save_as_customer(world.store, world.anna, web_chat, CustomerInput(name="Webby"))
    order = orders.create_order(
        world.store, world.anna, web_chat, OrderDraft(lines=[OrderLineInput(name="x", price=1)])
    )
    assert reads.get_order(world.store, world.anna, order.id).id == order.id
    with pytest.raises(NotFound):
        reads.get_order(world.store, world.boris, order.id)


def test_granting_and_revoking_access_takes_effect_at_once(world, web_chat):
    accounts.grant_access(world.store, world.olga, world.boris.id, world.website.id)
    assert visible_names(world, world.boris) == ["Webby"]
    accounts.revoke_access(world.store, world.olga, world.boris.id, world.website.id)
    assert visible_names(world, world.boris) == []


def test_only_admins_manage_access_and_channels(world):
    with pytest.raises(PermissionDenied):
        accounts.grant_access(world.store, world.anna, world.anna.id, world.website.id)
    with pytest.raises(PermissionDenied):
        accounts.create_channel(world.store, world.anna, "demo", "Mine", "🤖")
