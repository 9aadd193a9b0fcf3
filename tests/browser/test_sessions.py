"""Every script run is authorised by its own connection's login cookie (finding 1 of issue 6).

Streamlit lets a client reconnect to a session by its id. The victim here is a real Chromium
page; its session id is read off its own websocket, as anyone who saw it could."""

from playwright.sync_api import Page, expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.browser.conftest import chat_row, log_in
from tests.browser.wire import StreamlitWire

SIGNED_IN_AS_BORIS = "Signed in as Boris Manager"
SESSION_ENDED = "Your session has ended. Please log in again."


def boris_has_a_chat(world):
    world.customer_writes("Where is my parcel?", who="a", name="Alice Tg")


def watch_session_id(page: Page) -> dict[str, str]:
    seen: dict[str, str] = {}

    def on_frame(payload):
        if isinstance(payload, bytes):
            message = ForwardMsg()
            message.ParseFromString(payload)
            if message.HasField("new_session"):
                seen["id"] = message.new_session.initialize.session_id

    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
    return seen


def test_a_reconnect_without_the_cookie_gets_the_login_prompt_not_the_session(start_server, page):
    server = start_server(boris_has_a_chat)
    seen = watch_session_id(page)
    log_in(page, server, "boris")
    expect(page.get_by_text(SIGNED_IN_AS_BORIS)).to_be_visible()
    page.get_by_placeholder("Search names, phones, messages").fill("Ali")
    page.get_by_placeholder("Search names, phones, messages").press("Enter")
    expect(chat_row(page, "Alice Tg")).to_be_visible()

    with StreamlitWire(server.port, session_id=seen["id"]) as thief:
        shown = thief.run()
        assert thief.session_id != seen["id"], "a session stays with its browser"
    assert SESSION_ENDED in shown
    assert "Boris" not in shown and "Alice Tg" not in shown and "Ali" not in shown


def test_a_run_in_flight_never_reaches_a_websocket_that_takes_over_its_session(start_server, page):
    """Streamlit sends the rest of a running page to whichever websocket holds the session; a
    reconnect that named Boris's session while his page was running got his page (CI19)."""
    server = start_server(boris_has_a_chat)
    seen = watch_session_id(page)
    log_in(page, server, "boris")
    expect(chat_row(page, "Alice Tg")).to_be_visible()
    for attempt in range(5):
        page.get_by_placeholder("Search names, phones, messages").fill(f"Alice{' ' * attempt}")
        page.get_by_placeholder("Search names, phones, messages").press(
            "Enter"
        )  # a run starts: no waiting
        with StreamlitWire(server.port, session_id=seen["id"]) as thief:
            shown = thief.run()
        assert "Boris" not in shown and "Alice Tg" not in shown, attempt


def test_the_same_browser_reconnecting_gets_its_session_back(start_server, page):
    server = start_server(boris_has_a_chat)
    seen = watch_session_id(page)
    log_in(page, server, "boris")
    expect(chat_row(page, "Alice Tg")).to_be_visible()
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())
    with StreamlitWire(server.port, cookie, session_id=seen["id"]) as same_browser:
        shown = same_browser.run()
        assert same_browser.session_id == seen["id"]
    assert SIGNED_IN_AS_BORIS in shown and "Alice Tg" in shown


def test_after_logout_a_reconnected_tab_shows_nothing(start_server, page):
    server = start_server(boris_has_a_chat)
    seen = watch_session_id(page)
    log_in(page, server, "boris")
    expect(chat_row(page, "Alice Tg")).to_be_visible()
    other_tab = page.context.new_page()
    other_tab.goto(server.url)
    expect(chat_row(other_tab, "Alice Tg")).to_be_visible()

    page.get_by_role("link", name="Log out").click()
    expect(page.get_by_label("Login", exact=True)).to_be_visible()
    expect(other_tab.get_by_text(SESSION_ENDED)).to_be_visible(timeout=5_000)
    expect(chat_row(other_tab, "Alice Tg")).to_have_count(0)

    with StreamlitWire(server.port, session_id=seen["id"]) as thief:
        shown = thief.run()
        assert thief.session_id != seen["id"]
    assert SESSION_ENDED in shown and "Boris" not in shown and "Alice Tg" not in shown
