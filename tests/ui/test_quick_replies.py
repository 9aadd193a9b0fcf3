"""Quick replies in the reply box (SPEC M6), through the Chats page."""

from inbox.models import MessageKind
from inbox.services import quick_replies, reads
from tests.ui.conftest import open_app, widget
from tests.ui.test_chats_page import html_shown, messages_of


def _pick(at, reply_id):
    widget(at.selectbox, "quick-pick").set_value(reply_id).run()
    assert not at.exception
    return at


def test_a_picked_quick_reply_is_added_to_the_draft_with_the_chats_values(ui_world):
    hello = quick_replies.add(
        ui_world.store, ui_world.boris, "Hello", "Hi {customer.first_name}, {manager.name} here."
    )
    chat = ui_world.customer_writes("hi", who="a", name="Alice Smith").chat_id
    at = open_app(ui_world.anna, chat)
    widget(at.text_area, f"draft-{chat}").input("Thanks for writing.").run()
    _pick(at, hello.id)
    assert widget(at.text_area, f"draft-{chat}").value == (
        "Thanks for writing.\nHi Alice, Anna Manager here."
    )
    assert widget(at.selectbox, "quick-pick").value is None, "the picker is ready for the next"
    at.button(key=f"send-{chat}").click().run()
    [sent] = [m.text for m in messages_of(ui_world, chat) if m.kind == MessageKind.MANAGER]
    assert sent == "Thanks for writing.\nHi Alice, Anna Manager here."


def test_a_variable_with_no_value_is_marked_and_blocks_send_until_it_is_replaced(ui_world):
    status = quick_replies.add(ui_world.store, ui_world.anna, "Status", "Order {order.number}.")
    chat = ui_world.customer_writes("where is it?", who="a", name="Alice").chat_id
    at = _pick(open_app(ui_world.anna, chat), status.id)
    assert "No value in this chat for <mark>{order.number}</mark>" in html_shown(at)
    at.button(key=f"send-{chat}").click().run()
    assert [t.proto.body for t in at.toast] == [
        "Replace {order.number} before sending: this chat has no value for it."
    ]
    assert [m for m in messages_of(ui_world, chat) if m.kind == MessageKind.MANAGER] == []
    assert widget(at.text_area, f"draft-{chat}").value == "Order {order.number}."
    widget(at.text_area, f"draft-{chat}").input("Order #1001 left today.").run()
    assert "<mark>" not in html_shown(at)
    at.button(key=f"send-{chat}").click().run()
    assert reads.get_chat(ui_world.store, ui_world.anna, chat).badge == 0


def test_the_team_adds_and_changes_quick_replies_from_the_chat(ui_world):
    chat = ui_world.customer_writes("hi", who="a", name="Alice").chat_id
    at = open_app(ui_world.anna, chat)
    at.button(key=f"quick-manage-{chat}").click().run()
    widget(at.text_input, "quick-new", "title").input("Sizes")
    widget(at.text_area, "quick-new", "text").input("Our sweaters run true to size.")
    widget(at.button, "quick-new", "add").click().run()
    assert not at.exception
    [added] = quick_replies.list_all(ui_world.store)
    assert (added.title, added.changed_by_name) == ("Sizes", "Anna Manager")
    assert widget(at.text_input, "quick-new", "title").value == "", "the new form is emptied"
    # Boris changes it while Anna's dialog still shows the old text: her edit is refused.
    quick_replies.edit(ui_world.store, ui_world.boris, added.id, "Sizes", "Sizes run small.")
    widget(at.text_area, f"quick-{added.id}-text").input("Mine")
    widget(at.button, f"quick-{added.id}", "save").click().run()
    assert any("Sizes run small." in t.proto.body for t in at.toast)
    assert quick_replies.list_all(ui_world.store)[0].text == "Sizes run small."
