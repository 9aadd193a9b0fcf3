"""SPEC C1–C6: order, badge and filters of the chat list."""

import pytest

from inbox.errors import NotFound
from inbox.models import ChatFilter, CustomerInput
from inbox.services import accounts, conversation, leads, reads


def names(world, user, **filters):
    page = reads.list_chats(world.store, user, ChatFilter(**filters))
    return [row.name for row in page.rows]


def badge(world, user, chat_id):
    return reads.get_chat(world.store, user, chat_id).badge


def test_a_new_chat_appears_on_top(world):
    world.customer_writes("hi", who="a", name="Alice")
    world.customer_writes("hello", who="b", name="Bob")
    assert names(world, world.anna) == ["Bob", "Alice"]


def test_a_customer_message_moves_the_chat_to_the_top(world):
    world.customer_writes("hi", who="a", name="Alice")
    world.customer_writes("hello", who="b", name="Bob")
    world.customer_writes("me again", who="a", name="Alice")
    assert names(world, world.anna) == ["Alice", "Bob"]


def test_a_manager_reply_does_not_move_the_chat(world):
    alice = world.customer_writes("hi", who="a", name="Alice")
    world.customer_writes("hello", who="b", name="Bob")
    conversation.send_reply(
        world.store, world.anna, alice.chat_id, "Hi Alice!", now=world.clock.tick()
    )
    assert names(world, world.anna) == ["Bob", "Alice"]
    row = reads.get_chat(world.store, world.anna, alice.chat_id)
    assert row.last_message_at == world.clock.current, "the row shows the reply's time"


def test_reading_does_not_clear_the_badge_and_a_reply_does(world):
    chat = world.customer_writes("one").chat_id
    world.customer_writes("two")
    reads.list_messages(world.store, world.anna, chat)
    reads.customer_card(world.store, world.anna, chat)
    assert badge(world, world.anna, chat) == 2
    conversation.send_reply(world.store, world.anna, chat, "Hello", now=world.clock.tick())
    assert badge(world, world.anna, chat) == 0


def test_the_badge_counts_customer_messages_after_the_last_manager_message(world):
    chat = world.customer_writes("one").chat_id
    world.customer_writes("two")
    conversation.send_reply(world.store, world.anna, chat, "Hello", now=world.clock.tick())
    world.customer_writes("three")
    conversation.close_chat(world.store, world.anna, chat, now=world.clock.tick())
    world.customer_writes("four")  # reopens; the system message does not count
    assert badge(world, world.anna, chat) == 2
    conversation.send_reply(world.store, world.boris, chat, "Hi from Boris", now=world.clock.tick())
    assert badge(world, world.anna, chat) == 0


def test_state_tabs(world):
    open_chat = world.customer_writes("hi", who="a", name="Alice").chat_id
    closed_chat = world.customer_writes("hi", who="b", name="Bob").chat_id
    conversation.close_chat(world.store, world.anna, closed_chat, now=world.clock.tick())
    assert names(world, world.anna, state="open") == ["Alice"]
    assert names(world, world.anna, state="closed") == ["Bob"]
    assert names(world, world.anna, state="all") == ["Bob", "Alice"]
    assert open_chat != closed_chat


def test_assignee_filter(world):
    alice = world.customer_writes("hi", who="a", name="Alice").chat_id
    bob = world.customer_writes("hi", who="b", name="Bob").chat_id
    world.customer_writes("hi", who="c", name="Carol")
    conversation.send_reply(world.store, world.anna, alice, "Hi", now=world.clock.tick())
    conversation.assign(world.store, world.anna, bob, world.boris.id, now=world.clock.tick())
    assert names(world, world.anna, assignee="mine") == ["Alice"]
    assert names(world, world.boris, assignee="mine") == ["Bob"]
    assert names(world, world.anna, assignee="unassigned") == ["Carol"]
    assert names(world, world.anna, assignee=world.boris.id) == ["Bob"]
    assert names(world, world.anna, assignee="all") == ["Carol", "Bob", "Alice"]


def test_search_is_partial_and_case_insensitive_over_lead_and_customer_names(world):
    world.customer_writes("hi", who="a", name="Alice Wonder")
    bob = world.customer_writes("hi", who="b", name="bob_1988").chat_id
    leads.save_as_customer(
        world.store, world.anna, bob, CustomerInput(name="Robert Smith"), now=world.clock.tick()
    )
    assert names(world, world.anna, search="WONDER") == ["Alice Wonder"]
    assert names(world, world.anna, search="smi") == ["Robert Smith"]
    assert names(world, world.anna, search="bob_19") == ["Robert Smith"]
    assert names(world, world.anna, search="%") == []
    assert names(world, world.anna, search="nobody") == []


def test_the_list_has_a_limit_and_says_when_there_is_more(world):
    for i in range(5):
        world.customer_writes("hi", who=f"u{i}", name=f"Lead {i}")
    page = reads.list_chats(world.store, world.anna, ChatFilter(limit=3))
    assert [r.name for r in page.rows] == ["Lead 4", "Lead 3", "Lead 2"]
    assert page.has_more
    assert not reads.list_chats(world.store, world.anna, ChatFilter(limit=5)).has_more


def test_a_row_carries_what_the_list_shows(world):
    chat = world.customer_writes("hi", name="Maria Lead").chat_id
    row = reads.get_chat(world.store, world.anna, chat)
    assert (row.name, row.channel_name, row.channel_icon, row.badge) == (
        "Maria Lead",
        "Shop bot",
        "✈️",
        1,
    )
    assert row.assignee_name is None, "no one is responsible before the first reply"
    conversation.send_reply(world.store, world.boris, chat, "Hi", now=world.clock.tick())
    assert reads.get_chat(world.store, world.anna, chat).assignee_name == "Boris Manager"


def test_the_chats_screen_takes_a_list_still_held_and_reads_only_the_open_chat(world):
    alice = world.customer_writes("hi", who="a", name="Alice").chat_id
    bob = world.customer_writes("hello", who="b", name="Bob").chat_id

    def screen(chat_id, listing=None):
        return reads.chats_screen(
            world.store, world.anna, lambda people: ChatFilter(), chat_id, 30, listing
        )

    first = screen(alice)
    assert [row.name for row in first.page.rows] == ["Bob", "Alice"]
    # The page passes the earlier screen only while nothing was written; were the list read
    # again, this new chat would be in it.
    world.customer_writes("me too", who="c", name="Carla")
    second = screen(bob, listing=first)
    assert second.page == first.page and second.people == first.people
    assert second.chat.name == "Bob" and [m.text for m in second.messages] == ["hello"]
    assert [row.name for row in screen(bob).page.rows] == ["Carla", "Bob", "Alice"]


def test_the_screen_takes_an_open_chat_still_held_and_reads_only_the_list(world):
    alice = world.customer_writes("hi", who="a", name="Alice").chat_id
    world.customer_writes("hello", who="b", name="Bob")

    def screen(conversation=None):
        return reads.chats_screen(
            world.store, world.anna, lambda people: ChatFilter(), alice, 30, None, conversation
        )

    first = screen()
    # The page passes the earlier screen only while nothing was written to the open chat; were
    # it read again, Alice's new message would be in it.
    world.customer_writes("me too", who="c", name="Carla")
    world.customer_writes("still there?", who="a", name="Alice")
    second = screen(conversation=first)
    assert [row.name for row in second.page.rows] == ["Alice", "Carla", "Bob"], "list read"
    assert second.chat == first.chat and second.card == first.card
    assert [m.text for m in second.messages] == ["hi"]
    assert [m.text for m in screen().messages] == ["hi", "still there?"]


def test_the_screen_sees_who_may_handle_a_chat_change_with_grants(world):
    """Who works here is kept across reads while only chats change; a grant or a revoke shows
    at the next read of any session."""
    chat = world.customer_writes("hi", who="a", name="Alice").chat_id

    def screen():
        return reads.chats_screen(world.store, world.anna, lambda people: ChatFilter(), chat, 30)

    def names(users):
        return [user.name for user in users]

    assert "Clara Newcomer" not in names(screen().assignable)
    world.customer_writes("still there?", who="a", name="Alice")
    assert "Clara Newcomer" not in names(screen().people)
    accounts.grant_access(world.store, world.olga, world.clara.id, world.telegram.id)
    first = screen()
    assert "Clara Newcomer" in names(first.assignable) and "Clara Newcomer" in names(first.people)
    accounts.revoke_access(world.store, world.olga, world.clara.id, world.telegram.id)
    assert "Clara Newcomer" not in names(screen().assignable)


def test_the_open_chat_is_found_whether_or_not_the_list_shows_it(world):
    alice = world.customer_writes("hi", who="a", name="Alice").chat_id
    world.customer_writes("hello", who="b", name="Bob")
    conversation.close_chat(world.store, world.anna, alice)

    def screen(state):
        return reads.chats_screen(
            world.store, world.anna, lambda people: ChatFilter(state=state), alice, 30
        )

    shown_in_list = screen("all")
    assert alice in [row.id for row in shown_in_list.page.rows]
    not_in_list = screen("open")
    assert alice not in [row.id for row in not_in_list.page.rows]
    assert shown_in_list.chat == not_in_list.chat
    assert not_in_list.chat.state == "closed" and not_in_list.chat.name == "Alice"
    website = world.customer_writes("hey", who="w", name="Wanda", channel=world.website).chat_id
    outsider = reads.chats_screen(
        world.store, world.boris, lambda people: ChatFilter(), website, 30
    )
    assert outsider.chat is None and outsider.chat_error, "Boris does not see the website"


def test_the_channel_and_answer_filters_combine_with_the_tabs_and_count_each_tab(world):
    web = world.customer_writes("hi", who="w", name="Wanda", channel=world.website).chat_id
    tg_waiting = world.customer_writes("hi", who="t1", name="Tom").chat_id
    tg_answered = world.customer_writes("hi", who="t2", name="Tina").chat_id
    conversation.send_reply(world.store, world.anna, tg_answered, "Hello", now=world.clock.tick())
    conversation.send_reply(world.store, world.anna, web, "Hello", now=world.clock.tick())
    conversation.close_chat(world.store, world.anna, web, now=world.clock.tick())
    assert tg_waiting

    def page(**filters):
        return reads.list_chats(world.store, world.anna, ChatFilter(**filters))

    assert [r.name for r in page(channel_id=world.telegram.id).rows] == ["Tina", "Tom"]
    assert [r.name for r in page(answer="waiting").rows] == ["Tom"]
    assert [r.name for r in page(answer="answered").rows] == ["Tina"]
    assert [r.name for r in page(answer="answered", state="all").rows] == ["Tina", "Wanda"]
    assert page().counts == {"open": 2, "snoozed": 0, "closed": 1, "all": 3}
    assert page(answer="answered", state="closed").counts == {
        "open": 1,
        "snoozed": 0,
        "closed": 1,
        "all": 2,
    }
    assert page(channel_id=world.website.id).counts == {
        "open": 0,
        "snoozed": 0,
        "closed": 1,
        "all": 1,
    }
    assert page(search="tin").counts == {"open": 1, "snoozed": 0, "closed": 0, "all": 1}
    boris = reads.list_chats(world.store, world.boris, ChatFilter(channel_id=world.website.id))
    assert (boris.rows, boris.counts["all"]) == ([], 0), "a channel out of reach shows nothing"


def test_a_row_shows_the_last_messages_first_line_and_who_wrote_it(world):
    chat = world.customer_writes("Hello!\n\n  Is the   scarf\tin stock?  \nthanks", who="a").chat_id

    def row(viewer):
        return reads.list_chats(world.store, viewer, ChatFilter(state="all")).rows[0]

    assert (row(world.anna).last_line, row(world.anna).last_by) == ("Hello!", "")
    conversation.send_reply(world.store, world.boris, chat, " " + "y" * 200, now=world.clock.tick())
    assert row(world.anna).last_by == "Boris" and row(world.boris).last_by == "You"
    assert row(world.anna).last_line == "y" * 79 + "…"
    conversation.close_chat(world.store, world.anna, chat, now=world.clock.tick())
    assert row(world.anna).last_by == "Boris", "a system line is not the last message"


def test_a_dot_marks_news_the_viewer_has_not_seen_apart_from_the_badge(world):
    first = world.customer_writes("hi", who="a")

    def unseen(viewer):
        return reads.list_chats(world.store, viewer, ChatFilter()).rows[0].unseen

    assert unseen(world.anna) and unseen(world.boris)
    conversation.mark_seen(world.store, world.anna, first.chat_id, first.message_id)
    assert not unseen(world.anna) and unseen(world.boris), "each viewer their own"
    assert reads.list_chats(world.store, world.anna, ChatFilter()).rows[0].badge == 1
    later = world.customer_writes("again", who="a")
    assert unseen(world.anna)
    conversation.mark_seen(world.store, world.anna, first.chat_id, later.message_id)
    conversation.mark_seen(world.store, world.anna, first.chat_id, first.message_id)
    assert not unseen(world.anna), "a page drawn before never takes the mark back"
    reply = conversation.send_reply(
        world.store, world.boris, first.chat_id, "Hi", now=world.clock.tick()
    )
    assert unseen(world.anna) and not unseen(world.boris), "their own reply is no news to them"
    assert reply.id


def test_only_a_user_who_sees_the_chat_can_mark_it_seen(world):
    chat = world.customer_writes("hi", who="w", channel=world.website)
    with pytest.raises(NotFound):
        conversation.mark_seen(world.store, world.boris, chat.chat_id, chat.message_id)
