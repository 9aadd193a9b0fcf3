"""Settings → Users and access in Chromium: an admin runs the team, and a manager's page
follows at its next refresh."""

from playwright.sync_api import expect

from tests.browser.conftest import chat_row, log_in


def some_chats(world):
    world.customer_writes("Do you have mittens?", who="w1", name="Website Wendy",
                          channel=world.website)  # fmt: skip
    world.customer_writes("Hello from Telegram", who="t1", name="Telegram Tom")


def test_an_admin_adds_a_manager_grants_revokes_and_deactivates(start_server, browser, page):
    server = start_server(some_chats)
    log_in(page, server, "olga", path="/settings")
    page.get_by_role("tab", name="Users and access").click()
    page.get_by_text("Add a user").click()
    form = page.get_by_test_id("stForm")
    form.get_by_label("Login", exact=True).fill("dan")
    form.get_by_label("Name", exact=True).fill("Dan Newman")
    form.get_by_label("Initial password (8 characters or more)").fill("knit-one-purl-one")
    form.get_by_role("button", name="Add user").click()
    expect(page.get_by_text("Dan Newman can log in now")).to_be_visible()
    grant = page.get_by_role("checkbox", name="Dan Newman sees Website chat")
    grant.check(force=True)
    expect(page.get_by_text("gave Dan Newman access to Website chat")).to_be_visible()

    dan = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    log_in(dan, server, "dan", password="knit-one-purl-one")
    expect(chat_row(dan, "Website Wendy")).to_be_visible()
    expect(chat_row(dan, "Telegram Tom")).to_have_count(0)

    grant.uncheck(force=True)
    expect(page.get_by_text("took Website chat from Dan Newman")).to_be_visible()
    expect(chat_row(dan, "Website Wendy")).to_have_count(0, timeout=5_000)
    expect(dan.get_by_text("You have no access to any channel yet")).to_be_visible()

    grant.check(force=True)
    expect(chat_row(dan, "Website Wendy")).to_be_visible(timeout=5_000)
    dans_settings = page.get_by_test_id("stExpander").filter(has_text="Dan Newman · dan")
    dans_settings.get_by_text("Dan Newman · dan · manager").click()
    dans_settings.get_by_role("switch", name="Active").uncheck(force=True)
    expect(page.get_by_text("deactivated Dan Newman")).to_be_visible()
    expect(dan.get_by_text("Your session has ended. Please log in again.")).to_be_visible(
        timeout=5_000
    )
    expect(chat_row(dan, "Website Wendy")).to_have_count(0)
    dan.get_by_role("link", name="Log in").click()  # in this tab, not a new one
    expect(dan.get_by_role("button", name="Log in")).to_be_visible()
    assert "/login" in dan.url and len(dan.context.pages) == 1
    dan.context.close()
