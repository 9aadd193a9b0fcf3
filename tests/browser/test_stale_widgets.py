"""SPEC T2 and R2 under the conditions where they broke: a rerun in flight, the live check
firing, other writers in the channel. Every round is a new chat; a round that goes wrong fails
the test at once, with a screenshot of each page.

Round kinds:
- "first reply": a new chat arrives and Anna replies first, while another customer of the same
  channel writes every 0.5 s and Boris's and Olga's pages are open.
- "same moment": Anna and Boris both have the new chat open and press Send at the same moment.
Each ends with exactly one "became responsible", no unassign, every reply stored once and
every reply box empty.
"""

import functools
import itertools
import threading
import time

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from inbox.services import accounts
from tests.browser.conftest import ARTIFACTS, chat_row, log_in, post_message

ROUNDS = 30
SETTLE_SECONDS = 2.0  # live reruns after the replies, for a phantom change to show itself
SECRET = "s3"


def website_for_three(world):
    """Boris sees the website too, so three people watch its chats."""
    accounts.grant_access(world.store, world.olga, world.boris.id, world.website.id)
    return {"website": world.website.id}


class ChattyCustomer:
    """A customer in another chat of the channel, writing every 0.5 s until stopped."""

    def __init__(self, server, channel_id: int):
        self.server, self.channel_id = server, channel_id
        self.sent, self.failed = 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._write, daemon=True)

    def _write(self) -> None:
        for n in itertools.count():
            if self._stop.wait(0.5):
                return
            status, _ = post_message(self.server, self.channel_id, SECRET, user_id="chatty",
                                     name="Chatty Customer", message_id=f"chatty-{n}",
                                     text=f"One more thing, number {n}")  # fmt: skip
            if status == 201:
                self.sent += 1
            else:
                self.failed += 1

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=15)


def open_page(browser, server, login: str) -> Page:
    page = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    log_in(page, server, login)
    expect(chat_row(page, "Chatty Customer")).to_be_visible()
    return page


def new_chat(server, channel_id: int, name: str) -> None:
    status, body = post_message(server, channel_id, SECRET, user_id=name.lower(), name=name,
                                message_id=f"{name}-hello", text=f"Hello from {name}")  # fmt: skip
    assert (status, body["created"]) == (201, True), body


def open_chat(page: Page, name: str) -> None:
    chat_row(page, name).click()
    expect(page.locator(".st-key-conversation").get_by_text(f"Hello from {name}")).to_be_visible()


def reply_box(page: Page):
    return page.get_by_placeholder("Type a reply…")


def type_reply(page: Page, text: str) -> None:
    """The chat opened before has its box on the page until the run that drew this one ends:
    one box may be the old one, about to make way for the new, so it is typed into once only
    one is left."""
    for _ in range(20):
        expect(reply_box(page)).to_have_count(1)
        try:
            reply_box(page).fill(text, timeout=2_000)  # committed by the click on Send
            page.wait_for_timeout(200)
            if reply_box(page).count() == 1 and reply_box(page).input_value() == text:
                return
        except PlaywrightError as error:
            if "strict mode violation" not in str(error):
                raise
    raise AssertionError("the reply box did not settle")


def press_send(page: Page) -> None:
    page.get_by_role("button", name="Send", exact=True).click(no_wait_after=True)


def conversation_lines(page: Page, text: str) -> int:
    return page.locator(".st-key-conversation").get_by_text(text).count()


class Rounds:
    def __init__(self, pages: dict[str, Page], kind: str):
        self.pages, self.kind = pages, kind
        self.counts = {"rounds": 0, "became responsible": 0, "unassigned": 0, "replies": 0}

    def round(self, number: int, walk) -> None:
        """Walk one round, then wait for it to show on every replier's page, let the live
        reruns go on, and count what shows."""
        name = "?"
        try:
            name, replies = walk()
            for login in replies:
                self._count(self.pages[login], replies)
        except AssertionError as error:
            self.fail(number, name, error)
        self.counts["rounds"] += 1

    def _count(self, checker: Page, replies: dict[str, str]) -> None:
        """Wait for the replies on this page, let the live reruns go on, then count."""
        conversation = checker.locator(".st-key-conversation")
        for text in replies.values():
            expect(conversation.get_by_text(text)).to_be_visible()
        expect(conversation.get_by_text("became responsible (first reply)")).to_be_visible()
        time.sleep(SETTLE_SECONDS)
        responsible = conversation_lines(checker, "became responsible")
        unassigned = conversation_lines(checker, "unassigned")
        stored = {text: conversation_lines(checker, text) for text in replies.values()}
        assert responsible == 1, f"{responsible} 'became responsible' lines"
        assert unassigned == 0, "an unassign nobody asked for"
        assert all(n == 1 for n in stored.values()), f"replies shown {stored}"
        expect(reply_box(checker)).to_have_value("", timeout=3_000)
        if checker is self.pages[next(iter(replies))]:
            self.counts["became responsible"] += responsible
            self.counts["unassigned"] += unassigned
            self.counts["replies"] += sum(stored.values())

    def fail(self, number: int, name: str, error: AssertionError) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        for login, page in self.pages.items():
            page.screenshot(path=ARTIFACTS / f"stale-widgets-{self.kind}-{number}-{login}.png")
        raise AssertionError(
            f"{self.kind}: round {number} ({name}) went wrong after {self.counts}: {error}"
        ) from error

    def report(self) -> None:
        print(f"{self.kind}: {self.counts}")
        assert self.counts == {"rounds": ROUNDS, "became responsible": ROUNDS, "unassigned": 0,
                               "replies": self.counts["replies"]}  # fmt: skip


def walk(start_server, browser, kind: str, rounds) -> Rounds:
    """Open Anna's, Boris's and Olga's pages on the website chat while a customer writes
    there every 0.5 s, and walk `rounds(number, pages, channel)` ROUNDS times."""
    server = start_server(website_for_three)
    channel = server.prepared["website"]
    with ChattyCustomer(server, channel) as chatty:
        pages = {login: open_page(browser, server, login) for login in ("anna", "boris", "olga")}
        walked = Rounds(pages, kind)

        def new(name: str) -> None:
            new_chat(server, channel, name)

        for number in range(1, ROUNDS + 1):
            walked.round(number, functools.partial(rounds, number, pages, new))
    walked.report()
    assert chatty.sent > 0 and chatty.failed == 0
    return walked


def test_a_first_reply_makes_one_responsible_and_nothing_undoes_it(start_server, browser):
    def first_reply(number, pages, new):
        name = f"Newcomer{number}"
        new(name)
        open_chat(pages["anna"], name)
        type_reply(pages["anna"], f"Welcome, {name}!")
        press_send(pages["anna"])
        return name, {"anna": f"Welcome, {name}!"}

    walked = walk(start_server, browser, "first reply", first_reply)
    assert walked.counts["replies"] == ROUNDS


def test_two_managers_sending_at_once_make_one_responsible(start_server, browser):
    def same_moment(number, pages, new):
        name = f"Together{number}"
        new(name)
        replies = {login: f"{login} greets {name}" for login in ("anna", "boris")}
        for login, text in replies.items():
            open_chat(pages[login], name)
            type_reply(pages[login], text)
        for login in replies:
            press_send(pages[login])
        return name, replies

    walked = walk(start_server, browser, "same moment", same_moment)
    assert walked.counts["replies"] == 2 * ROUNDS
