"""SPEC A2–A3 on the page: who sees the Chats page, and what a user without access sees."""

from components import session
from inbox.services import accounts
from tests.ui.conftest import open_app, texts


def test_without_a_session_the_page_offers_the_login_and_shows_nothing(ui_world):
    ui_world.customer_writes("hello", who="a", name="Alice")
    at = open_app()
    assert not at.exception
    assert [w.value for w in at.warning] == ["Your session has ended. Please log in again."]
    assert not any("Alice" in t for t in texts(at))


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


def test_access_granted_while_logged_in_shows_at_the_next_run(ui_world):
    ui_world.customer_writes("hi", who="w", name="Webby", channel=ui_world.website)
    at = open_app(ui_world.boris)
    assert not any("Webby" in t for t in texts(at))
    accounts.grant_access(ui_world.store, ui_world.olga, ui_world.boris.id, ui_world.website.id)
    at.run()
    assert any("Webby" in t for t in texts(at))


def test_a_user_unknown_to_the_store_is_logged_out(ui_world):
    at = open_app()
    at.session_state[session.USER_ID] = 9999
    at.run()
    assert at.session_state[session.USER_ID] is None
    assert at.warning
