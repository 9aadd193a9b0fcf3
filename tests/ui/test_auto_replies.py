"""Automatic answers (SPEC CH11) through the pages: an admin writes a channel's greeting in
Settings → Channels, and the conversation shows it as automatic, not as anyone's reply."""

from tests.ui.conftest import open_app, widget
from tests.ui.test_chats_page import html_shown
from tests.ui.test_settings import open_settings, settings_of

GREETING = "Hello! A manager will answer <b>shortly</b>."


def test_a_greeting_set_in_settings_answers_a_new_chat_as_automatic(ui_world):
    at = open_settings(ui_world.olga)
    telegram = ui_world.telegram.id
    widget(at.text_input, f"channel-auto_greeting-{telegram}").input(GREETING)
    at.button(key=f"save-auto_greeting-{telegram}").click().run()
    assert not at.exception
    assert settings_of(ui_world, ui_world.telegram)["auto_greeting"] == GREETING
    assert widget(at.number_input, f"channel-auto_every_hours-{telegram}").value == 12.0

    chat = ui_world.customer_writes("Hi!", who="a", name="Alice").chat_id
    page = open_app(ui_world.anna, chat)
    shown = html_shown(page)
    assert "Hello! A manager will answer &lt;b&gt;shortly&lt;/b&gt;." in shown, "as plain text"
    assert '<span class="automatic"' in shown and ">automatic</span>" in shown
    assert "Anna Manager ·" not in shown
