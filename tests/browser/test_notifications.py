"""Desktop notifications (SPEC R3) in Chromium, with the permission granted to the site: a new
chat and a customer's message in a chat of one's own notify, others do not, and a click opens
the chat."""

import re

from playwright.sync_api import expect

from inbox.services import conversation
from tests.browser.conftest import log_in, post_message

# Chromium's own Notification, watched: each one shown is kept with its title and body.
WATCH = """
window.__notices = [];
const Real = window.Notification;
if (Real) {
  const Watched = function (title, options) {
    const notice = new Real(title, options);
    window.__notices.push({ title, body: options.body, notice });
    return notice;
  };
  Object.defineProperty(Watched, "permission", { get: () => Real.permission });
  Watched.requestPermission = (...args) => Real.requestPermission(...args);
  window.Notification = Watched;
}
"""


def website_chats(world):
    """Anna answered Bob, so his chat is hers; Dana waits, unassigned. Boris sees no website."""
    bob = world.customer_writes("hi", who="bob", name="Bob Web", channel=world.website).chat_id
    conversation.send_reply(world.store, world.anna, bob, "Hello Bob", now=world.clock.tick())
    world.customer_writes("anyone?", who="dana", name="Dana Web", channel=world.website)
    world.customer_writes("hi", who="tom", name="Tom Tg")  # Boris's
    return world.website.id


def notified(page) -> list[tuple[str, str]]:
    return page.evaluate("window.__notices.map(n => [n.title, n.body])")


def open_tab(browser, server, login):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.grant_permissions(["notifications"], origin=server.url)
    context.add_init_script(WATCH)
    page = context.new_page()
    log_in(page, server, login)
    page.get_by_role("button", name="🔕").click()
    page.get_by_text("Desktop notifications").click()
    expect(page.get_by_role("button", name="🔔")).to_be_visible()
    page.keyboard.press("Escape")
    return page


def test_new_chats_and_news_in_ones_own_chats_notify_and_a_click_opens_the_chat(
    start_server, browser
):
    server = start_server(website_chats)
    anna, boris = open_tab(browser, server, "anna"), open_tab(browser, server, "boris")
    anna.wait_for_timeout(1_500)  # the first answers: what already waits notifies no one

    def customer(user_id, name, text, n):
        status, _ = post_message(server, server.prepared, "s3", user_id=user_id, name=name,
                                 message_id=f"{user_id}-{n}", text=text)  # fmt: skip
        assert status == 201

    customer("dana", "Dana Web", "still there?", 2)  # not new, and nobody's: no notification
    customer("bob", "Bob Web", "Is the scarf <b>wool</b>?", 2)  # Anna's chat
    customer("cleo", "Cleo Web", "Hello, a new customer here", 1)  # a new chat
    boris.bring_to_front()  # Anna's tab in the background is notified all the same
    for _ in range(40):  # (wait_for_function evaluates a string, which the page's CSP refuses)
        if len(notified(anna)) >= 2:
            break
        anna.wait_for_timeout(250)
    anna.wait_for_timeout(2_000)  # and nothing more comes
    assert sorted(notified(anna)) == [
        ["Bob Web", "Is the scarf <b>wool</b>?"],
        ["New chat: Cleo Web", "Hello, a new customer here"],
    ]
    assert notified(boris) == [], "Boris sees no website chat"

    anna.bring_to_front()
    anna.evaluate("window.__notices.find(n => n.title.startsWith('New chat')).notice.onclick()")
    talk = anna.locator(".st-key-conversation")
    expect(talk.get_by_text("Hello, a new customer here")).to_be_visible()
    expect(anna).to_have_url(re.compile(r"\?chat=\d+$"))  # a link to it, as any chat opened
    for page in (anna, boris):
        page.context.close()


def test_a_manager_with_an_empty_inbox_is_notified_of_the_first_customer(start_server, browser):
    server = start_server(lambda world: world.website.id)
    anna = open_tab(browser, server, "anna")
    expect(anna.get_by_text("There are no chats in your channels yet")).to_be_visible()
    anna.wait_for_timeout(1_500)
    status, _ = post_message(server, server.prepared, "s3", user_id="eva", name="Eva Web",
                             message_id="eva-1", text="My first question")  # fmt: skip
    assert status == 201
    for _ in range(40):
        if notified(anna):
            break
        anna.wait_for_timeout(250)
    assert notified(anna) == [["New chat: Eva Web", "My first question"]]
    expect(anna.get_by_role("button", name=re.compile("Eva Web"))).to_be_visible()
