"""Live updates checked by the browser (SPEC R1): an idle open page costs the server no script
run and no query; a change reruns it at once; the change counter is for logged-in browsers."""

import json
import time

from playwright.sync_api import expect
from streamlit.proto.WidgetStates_pb2 import WidgetState

from components.session import SESSION_ENDED
from inbox.services import channel_settings
from tests.browser.conftest import badge, chat_row, log_in, post_message
from tests.browser.http import request, session_cookie
from tests.browser.wire import StreamlitWire


def alice(world):
    world.customer_writes("Do you ship to Porto?", who="alice", name="Alice Web",
                          channel=world.website)  # fmt: skip
    # The scenario's bot has no real token; off, its poller makes no tries (and reads) to count.
    channel_settings.set_enabled(world.store, world.olga, world.telegram.id, False)
    return world.website.id


def tallies(server) -> dict:
    return json.loads(request(server, "GET", "/api/health").text)


def quiet(server, seconds: int = 6) -> dict:
    """The tallies once nothing has run for `seconds`: the page's first runs and the workers'
    own look after a change (the demo customers answer a reply a few seconds later) are over."""
    last, still, deadline = tallies(server), 0, time.monotonic() + 60
    while still < seconds:
        assert time.monotonic() < deadline, "the server never went quiet"
        time.sleep(1)
        now = tallies(server)
        still = still + 1 if now == last else 0
        last = now
    return last


def test_an_idle_open_page_makes_no_query_and_no_script_run_for_30_seconds(start_server, page):
    server = start_server(alice)
    log_in(page, server, "anna")
    expect(chat_row(page, "Alice Web")).to_be_visible()
    asked = []
    page.on("request", lambda r: asked.append(r.url) if r.url.endswith("/api/changes") else None)
    before = quiet(server)
    page.wait_for_timeout(30_000)  # (a sleep would hold back Playwright's request events)
    after = tallies(server)
    assert (after["page_runs"], after["reads_opened"]) == (before["page_runs"],
                                                           before["reads_opened"])  # fmt: skip
    assert len(asked) >= 30, "the browser kept checking, about twice a second"

    status, _ = post_message(server, server.prepared, "s3", user_id="alice", name="Alice Web",
                             message_id="news", text="Still there?")  # fmt: skip
    assert status == 201
    expect(badge(page, "Alice Web")).to_have_text("2", timeout=2_000)
    assert tallies(server)["page_runs"] > after["page_runs"]


def test_the_change_counter_answers_a_logged_in_browser_only(start_server):
    server = start_server(alice)
    assert request(server, "GET", "/api/changes").status == 401
    forged = request(server, "GET", "/api/changes", headers={"Cookie": "inbox_session=1.abc"})
    assert forged.status == 401
    answer = request(
        server, "GET", "/api/changes", headers={"Cookie": session_cookie(server, "boris")}
    )
    assert answer.status == 200 and answer.header("Cache-Control") == "no-store"
    assert answer.header("X-Content-Type-Options") == "nosniff"  # answered inside the headers
    assert json.loads(answer.text) == {"version": -1}, "no page of boris's has run: rerun one"
    assert request(server, "POST", "/api/changes", body="{}").status == 405


def counter(server, cookie: str) -> int:
    return json.loads(request(server, "GET", "/api/changes", headers={"Cookie": cookie}).text)[
        "version"
    ]


def test_a_page_is_told_of_news_in_its_own_channels_only(start_server):
    """Boris sees the Telegram bot only: a website message changes his counter not at all, so
    his open pages make no run for it, while anna's (who sees both) rerun."""
    server = start_server(alice)
    anna, boris = session_cookie(server, "anna"), session_cookie(server, "boris")
    for cookie in (anna, boris):  # each page run records the channels its login sees
        with StreamlitWire(server.port, cookie) as tab:
            assert "Signed in as" in tab.run()
    annas, boriss = counter(server, anna), counter(server, boris)
    status, _ = post_message(server, server.prepared, "s3", user_id="alice", name="Alice Web",
                             message_id="news", text="Still there?")  # fmt: skip
    assert status == 201
    assert counter(server, anna) == annas + 1
    assert counter(server, boris) == boriss


def test_streamlit_autorefresh_reruns_the_page_under_our_content_security_policy(
    start_server, page
):
    """The Reports wall display uses streamlit-autorefresh, whose page has an inline script:
    the policy must allow it (it did not, and the wall display never refreshed). The
    comparison mode of the live check uses the same component every tick, so it shows here
    within seconds; the page fixture fails the test on any policy violation."""
    server = start_server(alice, env={"INBOX_LIVE_CHECK": "autorefresh"})
    log_in(page, server, "anna")
    expect(chat_row(page, "Alice Web")).to_be_visible()
    before = tallies(server)["page_runs"]
    page.wait_for_timeout(3_000)
    assert tallies(server)["page_runs"] - before >= 3, "a whole rerun every half second"


def alice_and_bob(world):
    """Alice waits on the website, which Boris does not see; Bob on Telegram."""
    alice(world)
    world.customer_writes("hi", who="bob", name="Bob Tg")
    return world.website.id


def test_the_tab_title_counts_the_chats_waiting_in_the_users_channels(start_server, browser):
    server = start_server(alice_and_bob)
    pages = {}
    for login in ("anna", "boris"):
        pages[login] = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        log_in(pages[login], server, login)
    expect(pages["anna"]).to_have_title("(2) Chats · Inbox")
    expect(pages["boris"]).to_have_title("(1) Chats · Inbox")
    # Anna's tab in the background is told too; Boris's is not, the chat is not his to see.
    pages["boris"].bring_to_front()
    status, _ = post_message(server, server.prepared, "s3", user_id="cleo", name="Cleo Web",
                             message_id="cleo-1", text="Hello?")  # fmt: skip
    assert status == 201
    expect(pages["anna"]).to_have_title("(3) Chats · Inbox")
    pages["boris"].wait_for_timeout(2_000)
    expect(pages["boris"]).to_have_title("(1) Chats · Inbox")
    pages["anna"].bring_to_front()
    chat_row(pages["anna"], "Bob Tg").click()
    pages["anna"].get_by_placeholder("Type a reply…").fill("Hello Bob")
    pages["anna"].get_by_role("button", name="Send").click()
    expect(pages["anna"]).to_have_title("(2) Chats · Inbox")
    expect(pages["boris"]).to_have_title("Chats · Inbox")
    for page in pages.values():
        page.context.close()


def alice_and_carol(world):
    """Two website chats; Anna opens Alice's."""
    alice_chat = world.customer_writes("Do you ship to Porto?", who="alice", name="Alice Web",
                                       channel=world.website)  # fmt: skip
    world.customer_writes("Is the blue one in stock?", who="carol", name="Carol Web",
                          channel=world.website)  # fmt: skip
    channel_settings.set_enabled(world.store, world.olga, world.telegram.id, False)
    return world.website.id, alice_chat.chat_id


def test_news_in_another_chat_redraws_the_list_alone_and_news_in_the_open_chat_the_page(
    start_server,
):
    """The live check's rerun, as a browser asks for it (of the fragment the check is in):
    a message in another chat reads and draws the list alone, the open conversation and its
    reply box stay as drawn; a message in the open chat, or a login that ended, runs the
    whole page."""
    server = start_server(alice_and_carol)
    website, alice_chat = server.prepared
    cookie = session_cookie(server, "anna")
    address = f"chat={alice_chat}"
    with StreamlitWire(server.port, cookie) as tab:
        tab.run(address)
        assert tab.runs() == [[]] and tab.drawn_ids("draft-")

        def check(number: int) -> str:
            (live,) = tab.widget_ids("live-check")
            value = json.dumps({"reason": "changed", "reruns": number})
            return tab.run(address, [WidgetState(id=live, json_value=value)],
                           tab.fragment_of(live))  # fmt: skip

        status, _ = post_message(server, website, "s3", user_id="carol", name="Carol Web",
                                 message_id="c2", text="Also in red please")  # fmt: skip
        assert status == 201
        shown = check(1)
        assert len(tab.runs()) == 1 and tab.runs()[0], "the list's fragment alone"
        assert "Also in red please" in shown, "Carol's row shows her new line"
        assert not tab.drawn_ids("draft-") and tab.widget_ids("draft-"), "the reply box stays"

        status, _ = post_message(server, website, "s3", user_id="alice", name="Alice Web",
                                 message_id="a2", text="And to Lisbon too")  # fmt: skip
        assert status == 201
        shown = check(2)
        assert tab.runs()[-1] == [], "the whole page"
        assert tab.drawn_ids("draft-") and shown.count("And to Lisbon too") >= 2  # row and message

        assert request(server, "GET", "/logout", headers={"Cookie": cookie}).status in (302, 303)
        shown = check(3)
        assert tab.runs()[-1] == [] and SESSION_ENDED in shown and "Alice Web" not in shown
