"""A page drawn before someone else's change (SPEC R2): the widget it drew carries the value it
showed, so what the browser sends back from it is refused with a clear message, never written,
and the page then shows the new value. Boxes are emptied only once what they held is stored."""

from decimal import Decimal

from inbox.models import CustomerInput, OrderDraft, OrderLineInput, OrderStatus, Role
from inbox.services import accounts, conversation, leads, orders, reads, team
from tests.ui.conftest import open_app, open_page, texts, widget

NOBODY = "— nobody —"


def toasts(at) -> list[str]:
    return [t.value for t in at.toast]


def test_a_responsible_box_drawn_before_the_first_reply_cannot_undo_it(ui_world):
    chat = ui_world.customer_writes("hi", who="a", name="Alice").chat_id
    at = open_app(ui_world.boris, chat)
    stale = widget(at.selectbox, f"assignee-{chat}")
    assert stale.value == NOBODY
    conversation.send_reply(ui_world.store, ui_world.anna, chat, "Hello Alice")
    # Chosen in the box the browser still shows, drawn before the reply: refused, and the page
    # shows who is responsible now.
    stale.set_value("Boris Manager").run()
    assert reads.get_chat(ui_world.store, ui_world.olga, chat).assignee_id == ui_world.anna.id
    assert any("changed by someone else meanwhile: now Anna Manager" in t for t in toasts(at))
    assert widget(at.selectbox, f"assignee-{chat}").value == "Anna Manager"


def test_the_box_shows_the_new_responsible_without_being_told(ui_world):
    chat = ui_world.customer_writes("hi", who="a", name="Alice").chat_id
    at = open_app(ui_world.boris, chat)
    conversation.send_reply(ui_world.store, ui_world.anna, chat, "Hello Alice")
    at.run()
    box = widget(at.selectbox, f"assignee-{chat}")
    assert box.value == "Anna Manager"
    box.set_value("Boris Manager").run()  # drawn with Anna: a handover
    assert reads.get_chat(ui_world.store, ui_world.olga, chat).assignee_id == ui_world.boris.id


def test_a_lead_renamed_meanwhile_keeps_the_new_name(ui_world):
    chat = ui_world.customer_writes("hi", who="a", name="Alice").chat_id
    at = open_app(ui_world.boris, chat)
    stale = widget(at.text_input, f"lead-name-{chat}")
    leads.rename_lead(ui_world.store, ui_world.anna, chat, "Alice Smith")
    stale.input("Alice Jones")
    at.run()
    assert reads.get_chat(ui_world.store, ui_world.olga, chat).name == "Alice Smith"
    assert any("now “Alice Smith”" in t for t in toasts(at))
    assert widget(at.text_input, f"lead-name-{chat}").value == "Alice Smith"


def test_a_refused_rename_shows_the_stored_name_again(ui_world):
    chat = ui_world.customer_writes("hi", who="a", name="Alice").chat_id
    at = open_app(ui_world.anna, chat)
    widget(at.text_input, f"lead-name-{chat}").input("   ").run()
    assert any("cannot be empty" in t for t in toasts(at))
    assert widget(at.text_input, f"lead-name-{chat}").value == "Alice"


def test_a_reply_box_is_emptied_only_when_its_reply_is_stored(ui_world):
    chat = ui_world.customer_writes("hi", who="a", name="Alice").chat_id
    at = open_app(ui_world.anna, chat)
    widget(at.text_area, f"draft-{chat}").input("  \n  ")  # the box holds no overlong reply
    at.button(key=f"send-{chat}").click().run()
    assert any("cannot be empty" in t for t in toasts(at))
    assert widget(at.text_area, f"draft-{chat}").value == "  \n  ", "kept, not stored"
    widget(at.text_area, f"draft-{chat}").input("Hello Alice")
    at.button(key=f"send-{chat}").click().run()
    assert widget(at.text_area, f"draft-{chat}").value == ""
    replies = [m.text for m in reads.list_messages(ui_world.store, ui_world.olga, chat)]
    assert replies.count("Hello Alice") == 1


def test_a_note_box_is_emptied_only_when_its_note_is_stored(ui_world):
    chat = ui_world.customer_writes("hi", who="a", name="Alice").chat_id
    at = open_app(ui_world.anna, chat)
    widget(at.text_area, f"note-{chat}").input("y" * 6000)
    at.button(key=f"add-note-{chat}").click().run()
    assert widget(at.text_area, f"note-{chat}").value == "y" * 6000
    widget(at.text_area, f"note-{chat}").input("Calls after six")
    at.button(key=f"add-note-{chat}").click().run()
    assert widget(at.text_area, f"note-{chat}").value == ""
    assert "Calls after six" in [n.text for n in reads.customer_card(
        ui_world.store, ui_world.anna, chat).notes]  # fmt: skip


def test_an_order_form_opened_before_a_change_shows_it_and_keeps_the_managers_edits(ui_world):
    chat = ui_world.customer_writes("hi", who="a", name="Alice").chat_id
    leads.save_as_customer(ui_world.store, ui_world.anna, chat, CustomerInput(name="Alice"))
    line = OrderLineInput(name="Scarf", quantity=1, price=Decimal("30.00"))
    order = orders.create_order(ui_world.store, ui_world.anna, chat, OrderDraft(lines=[line]))
    at = open_app(ui_world.boris, chat)
    at.button(key=f"open-order-{order.id}").click().run()
    widget(at.selectbox, "order-form", "status").set_value("cancelled")
    widget(at.text_input, "order-form", "delivery_address").input("Rua Augusta 1")
    shipped = OrderDraft.of(order).model_copy(update={"status": OrderStatus.SHIPPED})
    orders.update_order(ui_world.store, ui_world.anna, order.id, shipped)
    at.button(key="order-save").click().run()

    assert reads.get_order(ui_world.store, ui_world.olga, order.id).status == OrderStatus.SHIPPED
    assert "Changed by someone else meanwhile: now status shipped." in texts(at)
    assert widget(at.selectbox, "order-form", "status").value == "shipped"
    assert widget(at.text_input, "order-form", "delivery_address").value == "Rua Augusta 1"
    at.button(key="order-save").click().run()  # the address, over Anna's status
    saved = reads.get_order(ui_world.store, ui_world.olga, order.id)
    assert (saved.status, saved.delivery_address) == (OrderStatus.SHIPPED, "Rua Augusta 1")


def test_an_access_grid_drawn_before_a_grant_cannot_take_it_away(ui_world):
    boris, website = ui_world.boris.id, ui_world.website.id
    at = open_page("settings", ui_world.olga)
    stale = widget(at.checkbox, f"access-{boris}-{website}")
    assert stale.value is False
    accounts.grant_access(ui_world.store, ui_world.olga, boris, website)
    stale.check()  # the stale box: the grant is there already, so this changes nothing
    at.run()
    assert team.overview(ui_world.store, ui_world.olga).granted(boris, website)
    widget(at.checkbox, f"access-{boris}-{website}").uncheck().run()  # drawn granted: a revoke
    assert not team.overview(ui_world.store, ui_world.olga).granted(boris, website)


def test_a_role_box_drawn_before_a_promotion_cannot_undo_it(ui_world):
    anna = ui_world.anna.id
    at = open_page("settings", ui_world.olga)
    assert widget(at.selectbox, f"user-role-{anna}").value == "Manager"
    team.set_role(ui_world.store, ui_world.olga, anna, Role.ADMIN)
    at.run()  # the browser sends the box it was drawn with, still saying "Manager"
    people = {u.id: u for u in team.overview(ui_world.store, ui_world.olga).users}
    assert people[anna].role == Role.ADMIN
    assert widget(at.selectbox, f"user-role-{anna}").value == "Admin"
