"""The minimal Chats page: the list with its filters, and a conversation in plain text."""

from inbox.services import conversation
from tests.ui.conftest import by_label, open_app, texts

MARKDOWN_AND_HTML = "![x](http://example.invalid/p.png) <b>hi</b> **bold**"


def chat_labels(at):
    return [b.label for b in at.button if b.key and b.key.startswith("chat-")]


def test_rows_show_name_badge_and_newest_first(ui_world):
    ui_world.customer_writes("one", who="a", name="Alice")
    ui_world.customer_writes("two", who="a", name="Alice")
    ui_world.customer_writes("hi", who="b", name="Bob")
    labels = chat_labels(open_app(ui_world.anna))
    assert len(labels) == 2
    assert "Bob" in labels[0] and "1 new" in labels[0]
    assert "Alice" in labels[1] and "2 new" in labels[1]


def test_tabs_assignee_and_search_narrow_the_list(ui_world):
    alice = ui_world.customer_writes("hi", who="a", name="Alice").chat_id
    ui_world.customer_writes("hi", who="b", name="Bob")
    conversation.close_chat(ui_world.store, ui_world.anna, alice)
    at = open_app(ui_world.anna)
    assert [("Bob" in label) for label in chat_labels(at)] == [True]

    at.button_group(key="chat_tab").set_value("Closed").run()
    assert [("Alice" in label) for label in chat_labels(at)] == [True]

    at.button_group(key="chat_tab").set_value("All").run()
    at.text_input(key="chat_search").input("BO").run()
    assert [("Bob" in label) for label in chat_labels(at)] == [True]

    at.text_input(key="chat_search").input("").run()
    at.selectbox(key="chat_assignee").set_value("Unassigned").run()
    assert len(chat_labels(at)) == 2
    at.selectbox(key="chat_assignee").set_value("Mine").run()
    assert chat_labels(at) == []
    assert "No chats match." in texts(at)


def test_opening_a_chat_shows_customer_text_as_plain_text(ui_world):
    ui_world.customer_writes(MARKDOWN_AND_HTML, who="a", name="Alice")
    at = open_app(ui_world.anna)
    by_label(at.button, chat_labels(at)[0]).click().run()
    assert not at.exception
    assert MARKDOWN_AND_HTML in [t.value for t in at.text], "shown verbatim, not as Markdown"
    assert not any("<b>" in m.value or "![x]" in m.value for m in at.markdown)


def test_a_manager_never_sees_a_chat_of_another_channel(ui_world):
    ui_world.customer_writes("hi", who="w", name="Webby", channel=ui_world.website)
    ui_world.customer_writes("hi", who="t", name="Teddy")
    at = open_app(ui_world.boris)
    labels = chat_labels(at)
    assert len(labels) == 1 and "Teddy" in labels[0]
