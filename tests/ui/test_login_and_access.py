"""SPEC A1–A3 on the page: logging in, and what a user without access sees."""

from components import session
from inbox.services import accounts
from tests.ui.conftest import by_label, open_app, submit_login, texts


def test_a_visitor_sees_only_the_login_form(ui_world):
    ui_world.customer_writes("hello", who="a", name="Alice")
    at = open_app()
    assert not at.exception
    assert [t.label for t in at.text_input] == ["Login", "Password"]
    assert not any("Alice" in t for t in texts(at))


def test_the_right_password_logs_in(ui_world):
    at = submit_login("anna")
    assert at.session_state[session.USER_ID] == ui_world.anna.id
    assert not at.error


def test_a_wrong_password_says_so_and_reveals_nothing_else(ui_world):
    at = submit_login("anna", "not-the-password")
    assert [e.value for e in at.error] == ["Wrong login or password."]
    assert at.session_state[session.USER_ID] is None
    assert at.text_input(key=session.LOGIN_PASSWORD).value == "", "the password is not kept"
    unknown = submit_login("nobody", "not-the-password")
    assert [e.value for e in unknown.error] == ["Wrong login or password."]


def test_a_manager_sees_their_chats_and_who_they_are(ui_world):
    ui_world.customer_writes("hello", who="a", name="Alice")
    at = open_app(ui_world.anna)
    assert not at.exception
    assert any("Alice" in label for label in texts(at))
    assert "Signed in as Anna Manager (manager)" in [c.value for c in at.sidebar.caption]


def test_a_user_without_any_channel_is_told_to_ask_an_administrator(ui_world):
    ui_world.customer_writes("hello", who="a", name="Alice")
    at = open_app(ui_world.clara)
    assert not at.exception
    assert any("ask an administrator" in t for t in texts(at))
    assert not any("Alice" in t for t in texts(at))


def test_a_user_with_access_but_no_chats_is_told_so(ui_world):
    at = open_app(ui_world.boris)
    assert any("ask an administrator for access" in t for t in texts(at))


def test_logging_out_forgets_the_user(ui_world):
    at = open_app(ui_world.anna)
    by_label(at.sidebar.button, "Log out").click().run()
    assert at.session_state[session.USER_ID] is None
    assert not any("Signed in" in t for t in texts(at))


def test_access_granted_while_logged_in_shows_at_the_next_run(ui_world):
    ui_world.customer_writes("hi", who="w", name="Webby", channel=ui_world.website)
    at = open_app(ui_world.boris)
    assert not any("Webby" in t for t in texts(at))
    accounts.grant_access(ui_world.store, ui_world.olga, ui_world.boris.id, ui_world.website.id)
    at.run()
    assert any("Webby" in t for t in texts(at))
