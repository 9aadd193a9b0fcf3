"""What an open Chats page costs the server while nothing happens, and when a message comes.

Starts the real server on a demo database, opens the page in Chromium as a manager, and reads
the store's tallies from /api/health: the page polls every 2 s, and an idle poll must not touch
the database.

    python -m bench.live_page [IDLE_SECONDS]
"""

import json
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

from inbox.demo_data import DEMO_PASSWORD, DEMO_WEBSITE_SECRET, seed
from inbox.store import Store
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Server


def health(server: Server) -> dict:
    with urllib.request.urlopen(f"{server.url}/api/health", timeout=5) as response:
        return json.load(response)


def post(server: Server, channel_id: int, text: str) -> None:
    request = urllib.request.Request(
        f"{server.url}/api/channels/{channel_id}/messages",
        data=json.dumps({"user_id": "bench", "message_id": text, "text": text}).encode(),
        headers={"X-Inbox-Secret": DEMO_WEBSITE_SECRET},
        method="POST",
    )
    urllib.request.urlopen(request, timeout=5).close()


def main() -> None:
    idle_seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 10
    folder = Path(tempfile.mkdtemp(prefix="inbox-live-"))
    store = Store(folder / "demo.duckdb")
    seed(store)
    with store.read() as cur:
        website = cur.execute("SELECT id FROM channels WHERE kind = 'http'").fetchone()[0]
    store.close()
    server = Server(folder / "demo.duckdb", folder / "server.log")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(server.url)
            page.get_by_label("Login", exact=True).fill("anna")
            page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.locator('[class*="st-key-chat-row-"] button:visible').first.click()
            page.wait_for_timeout(3000)

            before = health(server)
            time.sleep(idle_seconds)
            idle = health(server)
            print(f"open Chats page, idle for {idle_seconds:.0f} s (polling every 2 s):")
            print(f"  database reads: {idle['reads_opened'] - before['reads_opened']}")

            started = time.monotonic()
            post(server, website, "bench message")
            page.get_by_text("Guest bench").first.wait_for(timeout=10_000)
            shown_after = time.monotonic() - started
            time.sleep(1)
            after = health(server)
            print("one new customer message:")
            print(f"  shown in the list after {shown_after:.2f} s")
            print(
                f"  database reads for the refresh: {after['reads_opened'] - idle['reads_opened']}"
            )
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
