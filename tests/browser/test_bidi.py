"""Direction controls in a name cannot reorder what follows it (finding 9 of issue 6)."""

from playwright.sync_api import Locator, expect

from inbox.models import CustomerInput
from inbox.services import leads
from tests.browser.conftest import chat_row, log_in

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: everything after it is drawn backwards

CHAR_LEFTS = """(element, word) => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(word);
    if (at < 0) continue;
    return [...word].map((_, i) => {
      const range = document.createRange();
      range.setStart(node, at + i);
      range.setEnd(node, at + i + 1);
      return range.getBoundingClientRect().left;
    });
  }
  return null;
}"""


def drawn_left_to_right(locator: Locator, word: str) -> bool:
    lefts = locator.evaluate(CHAR_LEFTS, word)
    assert lefts is not None, f"{word!r} is not in {locator}"
    return lefts == sorted(lefts)


def eve_renamed_and_zed_on_the_website(world):
    chat = world.customer_writes("hi", who="e", name=f"Eve {RLO}abc").chat_id
    leads.rename_lead(world.store, world.anna, chat, "Eve Smith")
    web = world.customer_writes("hi", who="z", name="Zed", channel=world.website).chat_id
    leads.save_as_customer(
        world.store, world.anna, web, CustomerInput(name=f"Zed {RLO}Web", email="zed@shop.test")
    )
    return chat


def test_a_system_line_after_a_reversing_name_reads_left_to_right(start_server, page):
    server = start_server(eve_renamed_and_zed_on_the_website)
    log_in(page, server, "anna", path=f"/?chat={server.prepared}")
    line = page.locator(".system-line").filter(has_text="renamed the lead")
    expect(line).to_be_visible()
    assert drawn_left_to_right(line, "to “Eve Smith”.")
    assert not drawn_left_to_right(line, "abc"), "the name itself is shown as it was sent"


def test_a_link_button_after_a_reversing_name_reads_left_to_right(start_server, page):
    server = start_server(eve_renamed_and_zed_on_the_website)
    log_in(page, server, "anna", path=f"/?chat={server.prepared}")
    page.get_by_text("Save as customer").click()
    page.get_by_role("tab", name="Existing").click()
    page.get_by_role("textbox", name="Find by name, phone or email").fill("zed")
    page.get_by_role("textbox", name="Find by name, phone or email").press("Enter")
    button = page.locator('[class*="st-key-link-"] button').filter(has_text="Zed")
    expect(button).to_be_visible()
    assert drawn_left_to_right(button, "shop.test")
    assert drawn_left_to_right(chat_row(page, "Eve Smith"), "Eve Smith")
