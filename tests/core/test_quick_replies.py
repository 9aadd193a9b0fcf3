"""Quick replies (SPEC M6): the team's shared list, and variables filled from the chat."""

from decimal import Decimal

import pytest

from inbox.errors import ChangedMeanwhile, InvalidInput, NotFound, PermissionDenied
from inbox.models import CustomerInput, OrderDraft, OrderLineInput, OrderStatus
from inbox.services import catalogue, conversation, leads, orders, quick_replies, reads, shop


def test_everyone_in_chats_shares_one_list_and_sees_who_changed_each_last(world):
    hello = quick_replies.add(
        world.store, world.anna, " Hello ", "Hi {customer.first_name}!", now=world.clock.tick()
    )
    quick_replies.add(world.store, world.olga, "delivery", "We ship in 2 days.")
    edited = quick_replies.edit(
        world.store, world.boris, hello.id, "Hello", "Good day, {customer.first_name}!",
        now=world.clock.tick(),
    )  # fmt: skip
    assert (edited.changed_by_name, edited.changed_at) == ("Boris Manager", world.clock.current)
    listed = quick_replies.list_all(world.store)
    assert [(r.title, r.text) for r in listed] == [
        ("delivery", "We ship in 2 days."),
        ("Hello", "Good day, {customer.first_name}!"),
    ]
    quick_replies.delete(world.store, world.anna, hello.id, drawn=edited)
    assert [r.title for r in quick_replies.list_all(world.store)] == ["delivery"]


def test_someone_who_sees_no_channel_cannot_change_the_list(world):
    with pytest.raises(PermissionDenied):
        quick_replies.add(world.store, world.clara, "Mine", "text")
    assert quick_replies.list_all(world.store) == []


@pytest.mark.parametrize(
    ("title", "text", "says"),
    [(" ", "text", "title cannot be empty"), ("T", "  ", "text cannot be empty"),
     ("x" * 81, "text", "at most 80"),
     ("T", "Dear {customer.name}", r"no variable \{customer.name\}. The variables are")],
)  # fmt: skip
def test_a_bad_quick_reply_is_refused_with_the_reason(world, title, text, says):
    with pytest.raises(InvalidInput, match=says):
        quick_replies.add(world.store, world.anna, title, text)
    assert quick_replies.list_all(world.store) == []


def test_a_form_drawn_before_another_change_keeps_that_change(world):
    drawn = quick_replies.add(world.store, world.anna, "Thanks", "Thank you!")
    quick_replies.edit(world.store, world.boris, drawn.id, "Thanks", "Thanks a lot!", drawn=drawn)
    # Anna's form changed only the title: Boris's text stays.
    saved = quick_replies.edit(
        world.store, world.anna, drawn.id, "Thank you", "Thank you!", drawn=drawn
    )
    assert (saved.title, saved.text) == ("Thank you", "Thanks a lot!")
    with pytest.raises(ChangedMeanwhile, match="Thanks a lot!"):
        quick_replies.edit(world.store, world.anna, drawn.id, "Thanks", "Mine", drawn=drawn)
    # A delete drawn before the change keeps the quick reply, for a second look.
    with pytest.raises(ChangedMeanwhile, match="it is kept"):
        quick_replies.delete(world.store, world.anna, drawn.id, drawn=drawn)
    quick_replies.delete(world.store, world.boris, drawn.id, drawn=saved)
    with pytest.raises(NotFound, match="deleted meanwhile"):
        quick_replies.edit(world.store, world.anna, drawn.id, "Back", "again", drawn=saved)


def _values(world, chat_id):
    card = reads.customer_card(world.store, world.anna, chat_id)
    return quick_replies.values(card, world.anna, shop.get(world.store))


TEXT = "Hi {customer.first_name}, {manager.name} of {shop.name}: order {order.number} is " + (
    "{order.status}, {order.total} in all."
)


def test_variables_come_from_the_chat_and_those_without_a_value_stay_in_braces(world):
    chat_id = world.customer_writes("Hello", name="Maria Lead").chat_id
    filled = quick_replies.fill(TEXT, _values(world, chat_id))
    assert filled == (
        "Hi Maria, Anna Manager of Our shop: order {order.number} is {order.status}, "
        "{order.total} in all."
    )
    assert quick_replies.unfilled(filled) == ["order.number", "order.status", "order.total"]


def test_the_customers_latest_active_order_and_the_shops_name_fill_the_rest(world):
    chat_id = world.customer_writes("Hello").chat_id
    leads.save_as_customer(world.store, world.anna, chat_id, CustomerInput(name="Олена Коваль"))
    scarf = catalogue.add_product(world.store, world.olga, "Scarf", Decimal("1250.00"))
    line = [OrderLineInput(product_id=scarf.id, quantity=1)]
    older = orders.create_order(
        world.store, world.anna, chat_id, OrderDraft(lines=line), now=world.clock.tick()
    )
    latest = orders.create_order(
        world.store, world.anna, chat_id, OrderDraft(lines=line * 2, status=OrderStatus.SHIPPED),
        now=world.clock.tick(5),
    )  # fmt: skip
    shop.save(world.store, world.olga, "Квіти Львова", "Europe/Kyiv")
    filled = quick_replies.fill(TEXT, _values(world, chat_id))
    assert filled == (
        f"Hi Олена, Anna Manager of Квіти Львова: order #{latest.id} is shipped, 2,500.00 in all."
    )
    assert older.id != latest.id and quick_replies.unfilled(filled) == []


def test_a_reply_that_still_holds_a_variable_is_not_sent(world):
    chat_id = world.customer_writes("Where is my order?").chat_id
    before = reads.list_messages(world.store, world.anna, chat_id)
    with pytest.raises(InvalidInput, match=r"Replace \{order.number\} before sending"):
        conversation.send_reply(world.store, world.anna, chat_id, "Order {order.number} left.")
    assert reads.list_messages(world.store, world.anna, chat_id) == before
    sent = conversation.send_reply(world.store, world.anna, chat_id, "Order #1001 left {today}.")
    assert sent.text == "Order #1001 left {today}."  # braces of no variable are the manager's own
