"""SPEC A2–A3 on the page: who sees the Chats page, and what a user without access sees."""

import time
from datetime import timedelta

from streamlit.testing.v1 import AppTest

from components import session, state
from inbox.clock import utc_now
from inbox.services import accounts, login_sessions
from tests.ui.conftest import COOKIE_JAR, ROUTER, log_in, open_app, texts, widget


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
    [line] = signed_in_as(at)
    assert "Anna Manager (manager)" in line and 'href="/logout"' in line


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


def test_session_state_alone_logs_nobody_in(ui_world):
    """A client that reconnects to a session by its id brings no cookie: it gets nothing."""
    ui_world.customer_writes("hello", who="a", name="Alice")
    at = open_app(ui_world.anna)
    assert any("Alice" in t for t in texts(at))
    COOKIE_JAR.clear()
    at.run()
    assert [w.value for w in at.warning] == [session.SESSION_ENDED]
    assert not any("Alice" in t or "Anna" in t for t in texts(at) + signed_in_as(at))

    at.session_state[state.USER_ID] = ui_world.anna.id
    at.run()
    assert [w.value for w in at.warning] == [session.SESSION_ENDED]
    assert not any("Alice" in t for t in texts(at))


def test_a_forged_cookie_logs_nobody_in(ui_world, browser_connection):
    ui_world.customer_writes("hello", who="a", name="Alice")
    cookie = log_in(ui_world.anna)
    session_id, signature = cookie.split(".")
    for forged in (f"{session_id}.{'0' * len(signature)}", "abc.é", "", "x" * 5000):
        browser_connection[login_sessions.COOKIE_NAME] = forged
        at = AppTest.from_file(ROUTER, default_timeout=30).run()
        assert not at.exception
        assert [w.value for w in at.warning] == [session.SESSION_ENDED], forged
        assert not any("Alice" in t for t in texts(at))


def test_logout_elsewhere_ends_this_page_at_its_next_run(ui_world):
    ui_world.customer_writes("hello", who="a", name="Alice")
    at = open_app(ui_world.anna)
    assert any("Alice" in t for t in texts(at))
    key = login_sessions.app_key()
    login_sessions.end_session(ui_world.store, key, COOKIE_JAR[login_sessions.COOKIE_NAME])
    at.run()
    assert [w.value for w in at.warning] == [session.SESSION_ENDED]
    assert not any("Alice" in t for t in texts(at))


def test_a_deactivated_user_is_logged_out(ui_world):
    ui_world.customer_writes("hello", who="a", name="Alice")
    at = open_app(ui_world.anna)
    with ui_world.store.write() as cur:
        cur.execute("UPDATE users SET active = false WHERE id = ?", [ui_world.anna.id])
    at.run()
    assert at.session_state[state.USER_ID] is None
    assert [w.value for w in at.warning] == [session.SESSION_ENDED]


def test_a_session_that_expires_while_nothing_changes_ends_at_the_next_run(ui_world):
    """Nothing is written, so the run reuses the login check it made: its expiry still counts."""
    ui_world.customer_writes("hello", who="a", name="Alice")
    key = login_sessions.app_key()
    almost_over = utc_now() - login_sessions.LIFETIME + timedelta(seconds=2)
    cookie = login_sessions.start_session(ui_world.store, key, ui_world.anna, now=almost_over)
    COOKIE_JAR[login_sessions.COOKIE_NAME] = cookie
    at = AppTest.from_file(ROUTER, default_timeout=30).run()
    assert any("Alice" in t for t in texts(at))
    time.sleep(2.2)
    at.run()
    assert [w.value for w in at.warning] == [session.SESSION_ENDED]
    assert not any("Alice" in t for t in texts(at))


def test_another_users_cookie_gets_a_fresh_session_state(ui_world):
    """Someone reconnecting to Anna's session with their own cookie must not see her draft."""
    chat = ui_world.customer_writes("hello", who="a", name="Alice").chat_id
    at = open_app(ui_world.anna, chat_id=chat)
    widget(at.text_area, f"draft-{chat}").input("Anna's half-written reply")
    at.run()
    assert widget(at.text_area, f"draft-{chat}").value == "Anna's half-written reply"
    log_in(ui_world.olga)
    at.run()
    assert at.session_state[state.USER_ID] == ui_world.olga.id
    assert not any(area.value for area in at.text_area)


def signed_in_as(at) -> list[str]:
    """The line at the end of the menu that says who is signed in."""
    return [str(h.proto.body) for h in at.get("html") if "Log out" in str(h.proto.body)]
