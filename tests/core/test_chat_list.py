"""SPEC C1–C6: order, badge and filters of the chat list."""

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
