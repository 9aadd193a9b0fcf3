"""What an open Chats page costs the server while nothing happens, and how soon news shows.

Starts the real server on a realistic store and opens the Chats page in Chromium as a manager,
with a chat open. Idle, it prints the server's CPU time and database reads per tick for our
check (the browser asks /api/changes, the page reruns only on news; and that request alone,
sent 2,000 times with the page's cookie) and, on the same page and
store, for streamlit-autorefresh at the same interval (INBOX_LIVE_CHECK=autorefresh). Then it
posts messages through the HTTP channel's webhook one by one and prints how long each took to
show in the open page: p50 and p95.

    python -m bench.live_page [CHATS] [IDLE_SECONDS] [MESSAGES]
"""

import http.client
import json
import os
import statistics
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from bench.shop_store import PASSWORD, WEBSITE_CHANNEL, WEBSITE_SECRET, build
from inbox.settings import load_settings
from inbox.store import close_store
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Server
from tests.browser.load import cpu_seconds as process_cpu_seconds


def health(server: Server) -> dict:
    with urllib.request.urlopen(f"{server.url}/api/health", timeout=5) as response:
        return json.load(response)


def post(server: Server, user: str, text: str) -> None:
    request = urllib.request.Request(
        f"{server.url}/api/channels/{WEBSITE_CHANNEL}/messages",
        data=json.dumps({"user_id": user, "name": user, "message_id": text, "text": text}).encode(),
        headers={"X-Inbox-Secret": WEBSITE_SECRET, "Content-Type": "application/json"},
        method="POST",
    )
    urllib.request.urlopen(request, timeout=10).close()


def open_chats(browser, server: Server) -> Page:
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(server.url)
    page.get_by_label("Login", exact=True).fill("anna")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.locator('[class*="st-key-chat-row-"] button:visible').first.click()
    page.wait_for_timeout(3000)
    return page


def threads_cpu_seconds(pid: int) -> float:
    """The process's CPU time in nanosecond resolution (the clock ticks of /proc/PID/stat are
    10 ms, too coarse for a fraction of a millisecond a tick): the sum over its threads. A
    thread that ended takes its time along, so this only suits a span in which none ends, such
    as an idle page with our check (no script run) and the server's long-lived workers."""
    tasks = Path(f"/proc/{pid}/task")
    total = 0
    for task in tasks.iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total / 1e9


# A server just started spends 5-6 ms a second for its first ten seconds, then 2-3 ms: the
# baseline is taken after that, or it comes out above the figure with a page open.
SETTLE_SECONDS = 15


def idle_cost(db: Path, folder: Path, check: str, seconds: float) -> float:
    """Server CPU milliseconds per tick with one idle open page, beyond what the server spends
    with no page open (its workers); prints the line."""
    interval = load_settings().poll_seconds
    cpu_seconds = threads_cpu_seconds if check == "browser" else process_cpu_seconds
    server = Server(db, folder / f"server-{check}.log", env={"INBOX_LIVE_CHECK": check})
    try:
        time.sleep(SETTLE_SECONDS)
        cpu_before = cpu_seconds(server.process.pid)
        time.sleep(seconds)
        baseline = (cpu_seconds(server.process.pid) - cpu_before) / seconds  # no page open
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = open_chats(browser, server)
            before, cpu_before = health(server), cpu_seconds(server.process.pid)
            page.wait_for_timeout(seconds * 1000)
            after, cpu_after = health(server), cpu_seconds(server.process.pid)
            if check == "browser":
                cookie = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())
                agent = page.evaluate("navigator.userAgent")
            browser.close()
        if check == "browser":  # the same request without Chromium on the server's two cores
            time.sleep(3)  # the closed page's session is let go
            ticks = round(seconds / interval)
            spaced = checks_alone(server, cookie, agent, ticks, interval) - baseline * seconds
            burst = checks_alone(server, cookie, agent, CHECKS, 0)
    finally:
        server.stop()
    ticks = seconds / interval
    per_tick = (cpu_after - cpu_before - baseline * seconds) * 1000 / ticks
    reads = after["reads_opened"] - before["reads_opened"]
    runs = after["page_runs"] - before["page_runs"]
    print(f"  {check:<12} {per_tick:7.2f} ms server CPU per tick, {reads} database reads and"
          f" {runs} script runs in {ticks:.0f} ticks")  # fmt: skip
    if check == "browser":
        # With Chromium on the same two cores, the server's own work costs more (caches, the
        # cores' clocks): the same request from outside the browser, and back to back.
        print(f"  {'':<12} {spaced * 1000 / ticks:7.2f} ms for the tick's request alone, sent"
              f" every {interval} s from outside the browser;"
              f" {burst * 1000 / CHECKS:.2f} ms back to back")  # fmt: skip
    return per_tick


CHECKS = 2_000


def checks_alone(server: Server, cookie: str, agent: str, count: int, interval: float) -> float:
    """Server CPU seconds for `count` /api/changes requests as the open page sends them (its
    cookies, a browser's headers, one keep-alive connection), `interval` seconds apart."""
    headers = {
        "Cookie": cookie,
        "User-Agent": agent,
        "Accept": "*/*",
        "Accept-Language": "en-US,en;q=0.9",
        "Accept-Encoding": "gzip, deflate, br, zstd",
        "Referer": f"{server.url}/",
        "Sec-Fetch-Site": "same-origin",
        "Sec-Fetch-Mode": "cors",
        "Sec-Fetch-Dest": "empty",
    }
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        cpu_before = threads_cpu_seconds(server.process.pid)
        for _ in range(count):
            connection.request("GET", "/api/changes", headers=headers)
            answer = connection.getresponse()
            answer.read()
            assert answer.status == 200, answer.status
            time.sleep(interval)
        return threads_cpu_seconds(server.process.pid) - cpu_before
    finally:
        connection.close()


def latency(db: Path, folder: Path, messages: int) -> None:
    server = Server(db, folder / "server-latency.log")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = open_chats(browser, server)
            delays, posts = [], []
            for n in range(messages):
                text = f"Live bench message {n}"
                started = time.perf_counter()
                post(server, f"live-{n}", text)
                posts.append(time.perf_counter() - started)
                page.locator('[class*="st-key-chat-row-"] button:visible').filter(
                    has_text=f"live-{n}"
                ).first.wait_for(timeout=15_000)
                delays.append(time.perf_counter() - started)
                page.wait_for_timeout(300)
            browser.close()
    finally:
        server.stop()
    delays.sort()
    p95 = delays[min(len(delays) - 1, int(len(delays) * 0.95))]
    print(f"  webhook -> visible in the open page, {messages} messages:"
          f" p50 {statistics.median(delays):.2f} s, p95 {p95:.2f} s"
          f" (the webhook's own answer: p50 {statistics.median(posts) * 1000:.0f} ms)")  # fmt: skip


def main() -> None:
    chats = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 30
    messages = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    shop = build(chats, chats * 10)
    db, folder = shop.store.path, shop.folder
    close_store(db)  # the server owns the file from here
    interval = load_settings().poll_seconds
    print(f"an open Chats page, idle for {seconds:.0f} s, a tick every {interval} s"
          f" (load average {os.getloadavg()[0]:.2f}):")  # fmt: skip
    ours = idle_cost(db, folder, "browser", seconds)
    theirs = idle_cost(db, folder, "autorefresh", seconds)
    print(f"  our check is {theirs / max(ours, 0.001):.0f}× cheaper than streamlit-autorefresh")
    latency(db, folder, messages)
    shop.remove()


if __name__ == "__main__":
    main()
