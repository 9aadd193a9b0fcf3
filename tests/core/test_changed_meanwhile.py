"""A page drawn before someone else's change never undoes it (SPEC R2): every write from a widget
that shows stored state names the value the widget was drawn with, and the service changes
nothing when the store moved since. Each test: the page draws, someone else changes the value,
then the page's write arrives."""

import functools
from decimal import Decimal

import pytest

from inbox.errors import ChangedMeanwhile
from inbox.models import (
    CustomerInput,
    OrderDraft,
    OrderLineInput,
    OrderStatus,
    Role,
    SystemEvent,
)
from inbox.services import (
    accounts,
    catalogue,
    channel_settings,
    conversation,
    customers,
    leads,
    orders,
    reads,
    team,
)
from inbox.store import channels


def events(world, chat_id):
    return [m.event for m in reads.list_messages(world.store, world.olga, chat_id) if m.event]


@pytest.fixture
def chat(world):
    return world.customer_writes("Hello?").chat_id


def test_a_first_reply_is_not_undone_by_a_responsible_box_drawn_before_it(world, chat):
    drawn = reads.get_chat(world.store, world.boris, chat).assignee_id  # nobody
    conversation.send_reply(world.store, world.anna, chat, "Hi!")
    # The page drawn before the reply sends its box's old value back: "— nobody —".
    with pytest.raises(ChangedMeanwhile, match="now Anna Manager"):
        conversation.assign(world.store, world.boris, chat, None, drawn=drawn)
    with pytest.raises(ChangedMeanwhile, match="now Anna Manager"):
        conversation.assign(world.store, world.boris, chat, world.boris.id, drawn=drawn)
    assert reads.get_chat(world.store, world.olga, chat).assignee_id == world.anna.id
    assert events(world, chat) == [SystemEvent.ASSIGNED]


def test_the_responsible_box_drawn_with_the_stored_value_changes_it(world, chat):
    conversation.send_reply(world.store, world.anna, chat, "Hi!")
    conversation.assign(world.store, world.boris, chat, world.boris.id, drawn=world.anna.id)
    conversation.assign(world.store, world.anna, chat, None, drawn=world.boris.id)
    assert reads.get_chat(world.store, world.olga, chat).assignee_id is None
    assert events(world, chat) == [
        SystemEvent.ASSIGNED,
        SystemEvent.REASSIGNED,
        SystemEvent.UNASSIGNED,
    ]


def test_a_rename_since_the_page_drew_the_name_stays(world, chat):
    leads.rename_lead(world.store, world.anna, chat, "Maria K", drawn="Maria Lead")
    with pytest.raises(ChangedMeanwhile, match="now “Maria K”"):
        leads.rename_lead(world.store, world.boris, chat, "Maria L", drawn="Maria Lead")
    assert reads.get_chat(world.store, world.olga, chat).name == "Maria K"
    # Typing the name someone else gave already is no conflict.
    leads.rename_lead(world.store, world.boris, chat, "Maria K", drawn="Maria Lead")


def test_a_lead_saved_or_linked_meanwhile_is_not_saved_or_linked_again(world, chat):
    other = world.customer_writes("hi", who="tg-200", name="Ivo").chat_id
    ivo = leads.save_as_customer(world.store, world.anna, other, CustomerInput(name="Ivo"))
    maria = leads.save_as_customer(world.store, world.anna, chat, CustomerInput(name="Maria"))
    with pytest.raises(ChangedMeanwhile, match="already a customer: “Maria”"):
        leads.save_as_customer(world.store, world.boris, chat, CustomerInput(name="Maria B"))
    with pytest.raises(ChangedMeanwhile, match="already a customer: “Maria”"):
        leads.link_to_customer(world.store, world.boris, chat, ivo.id)
    assert reads.get_chat(world.store, world.olga, chat).customer_id == maria.id


@pytest.fixture
def order(world, chat):
    leads.save_as_customer(world.store, world.anna, chat, CustomerInput(name="Maria"))
    line = OrderLineInput(name="Scarf", quantity=1, price=Decimal("30.00"))
    created = orders.create_order(
        world.store, world.anna, chat, OrderDraft(lines=[line], delivery_address="Rua 1")
    )
    return created


def form(order, **changes) -> OrderDraft:
    return OrderDraft.of(order).model_copy(update=changes)


def test_an_order_field_changed_meanwhile_is_not_undone_by_a_form_drawn_before(world, order):
    drawn = OrderDraft.of(order)
    orders.update_order(world.store, world.anna, order.id, form(order, status=OrderStatus.SHIPPED))
    # Boris's form, opened before, changes the address only: Anna's status stays.
    saved = orders.update_order(
        world.store, world.boris, order.id, form(order, delivery_address="Rua 2"), drawn=drawn
    )
    assert (saved.status, saved.delivery_address) == (OrderStatus.SHIPPED, "Rua 2")
    # Changing the status Anna changed is refused, and nothing of that form is written.
    with pytest.raises(ChangedMeanwhile, match="now status shipped"):
        orders.update_order(
            world.store,
            world.boris,
            order.id,
            form(order, status=OrderStatus.CANCELLED, comment="x"),
            drawn=drawn,
        )
    now = reads.get_order(world.store, world.olga, order.id)
    assert (now.status, now.comment) == (OrderStatus.SHIPPED, "")


def test_order_lines_changed_meanwhile_are_not_replaced_by_a_form_drawn_before(world, order):
    drawn = OrderDraft.of(order)
    two = OrderLineInput(name="Scarf", quantity=2, price=Decimal("30.00"))
    orders.update_order(world.store, world.anna, order.id, form(order, lines=[two]))
    hat = OrderLineInput(name="Hat", quantity=1, price=Decimal("9.00"))
    with pytest.raises(ChangedMeanwhile, match="now other items"):
        orders.update_order(
            world.store, world.boris, order.id, form(order, lines=[hat]), drawn=drawn
        )
    assert reads.get_order(world.store, world.olga, order.id).total == Decimal("60.00")


def test_a_customer_contact_changed_meanwhile_stays(world, chat):
    customer = leads.save_as_customer(world.store, world.anna, chat, CustomerInput(name="Maria"))
    drawn = CustomerInput(name="Maria")
    customers.update_customer(
        world.store,
        world.anna,
        customer.id,
        CustomerInput(name="Maria", phone="+351 1"),
        drawn=drawn,
    )
    customers.update_customer(
        world.store,
        world.boris,
        customer.id,
        CustomerInput(name="Maria", email="m@example.com"),
        drawn=drawn,
    )
    with pytest.raises(ChangedMeanwhile, match="now phone “\\+351 1”"):
        customers.update_customer(
            world.store,
            world.boris,
            customer.id,
            CustomerInput(name="Maria", phone="+351 2"),
            drawn=drawn,
        )
    now = reads.get_chat(world.store, world.olga, chat)
    page = customers.customer_page(world.store, world.olga, now.customer_id).customer
    assert (page.phone, page.email) == ("+351 1", "m@example.com")


def test_a_product_changed_meanwhile_stays(world):
    socks = catalogue.add_product(world.store, world.olga, "Socks", Decimal("12.50"))
    catalogue.update_product(
        world.store, world.anna, socks.id, "Socks", Decimal("14.00"), None, drawn=socks
    )
    catalogue.update_product(
        world.store, world.boris, socks.id, "Wool socks", Decimal("12.50"), None, drawn=socks
    )
    with pytest.raises(ChangedMeanwhile, match="now price “14.00”"):
        catalogue.update_product(
            world.store, world.boris, socks.id, "Socks", Decimal("13.00"), None, drawn=socks
        )
    [now] = catalogue.everything(world.store)
    assert (now.name, now.price) == ("Wool socks", Decimal("14.00"))


def test_roles_and_activity_changed_meanwhile_stay(world):
    team.set_role(world.store, world.olga, world.anna.id, Role.ADMIN, drawn=Role.MANAGER)
    with pytest.raises(ChangedMeanwhile, match="Anna Manager's role .* now admin"):
        # A page drawn before she was made an admin; its box held "Manager", then "Admin" was
        # chosen and back: what arrives names the role the box was drawn with.
        team.set_role(world.store, world.olga, world.anna.id, Role.MANAGER, drawn=Role.MANAGER)
    team.set_active(world.store, world.olga, world.boris.id, False, drawn=True)
    with pytest.raises(ChangedMeanwhile, match="now deactivated"):
        team.set_active(world.store, world.olga, world.boris.id, True, drawn=True)
    people = {u.login: u for u in team.overview(world.store, world.olga).users}
    assert people["anna"].role == Role.ADMIN and not people["boris"].active


def test_channel_access_changed_meanwhile_stays(world):
    accounts.grant_access(world.store, world.olga, world.boris.id, world.website.id, drawn=False)
    # A grid drawn before the grant sends its unticked box back.
    with pytest.raises(ChangedMeanwhile, match="access to Website chat .* now given"):
        accounts.revoke_access(
            world.store, world.olga, world.boris.id, world.website.id, drawn=False
        )
    assert team.overview(world.store, world.olga).granted(world.boris.id, world.website.id)


def test_channel_settings_changed_meanwhile_stay(world):
    olga, website, telegram = world.olga, world.website.id, world.telegram.id
    channel_settings.set_enabled(world.store, olga, website, False, drawn=True)
    with pytest.raises(ChangedMeanwhile, match="now off"):
        channel_settings.set_enabled(world.store, olga, website, True, drawn=True)
    change = functools.partial(channel_settings.change_setting, world.store, olga)
    change(website, "callback_url", "https://a.example/r", drawn=None)
    with pytest.raises(ChangedMeanwhile, match="now https://a.example/r"):
        change(website, "callback_url", "https://b.example/r", drawn=None)
    with pytest.raises(ChangedMeanwhile, match=r"Receive messages by .* now Polling \(works"):
        change(telegram, "mode", "webhook", drawn="webhook")
    demo = channel_settings.add_channel(world.store, olga, "demo", "Showroom", "🧪")
    change(demo.id, "rate", 5.0, drawn=1.0)
    with pytest.raises(ChangedMeanwhile, match="a minute .* now 5 a minute"):
        change(demo.id, "rate", 2.0, drawn=1.0)
    with world.store.read() as cur:
        assert channels.get(cur, website).enabled is False
        assert channels.settings(cur, website)["callback_url"] == "https://a.example/r"
        assert channels.settings(cur, demo.id)["rate"] == 5.0
