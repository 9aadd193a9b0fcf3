"""How long a run of the Chats page takes on the server, at 1k and at 100k chats.

AppTest runs the real page script (the router, the login check, the page) against a realistic
store, logged in as a manager who sees every channel, with a chat open. It prints the median and
95th percentile of a rerun, with a short chat (10 messages) and a long one (700) open, and the
ratio of the large store to the small one. A rerun a click causes while the store did not change
reuses the page's reads; a rerun after a write reads everything again, and is shown too.

    python -m bench.page_rerun [SMALL_CHATS] [LARGE_CHATS]
"""

import os
import statistics
import sys
import time

from streamlit.runtime import context as streamlit_context
from streamlit.testing.v1 import AppTest

from bench.shop_store import build
from tests.ui.conftest import ROUTER, BrowserConnection, log_in

RUNS = 30


def rerun_times(chat_id: int, manager, store=None) -> list[float]:
    """Reruns as a click or a keystroke causes them; with a store, each after a write, so the
    page reads everything again (as when a message arrives)."""
    log_in(manager)
    at = AppTest.from_file(ROUTER, default_timeout=60)
    at.query_params["chat"] = str(chat_id)
    at.run()
    assert not at.exception, at.exception
    at.run()  # the first runs import and warm caches
    times = []
    for _ in range(RUNS):
        if store is not None:
            with store.write():
                pass  # the change counter moves, as with any write
        started = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)


def line(label: str, times: list[float]) -> str:
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return f"  {label:<48} median {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms"


def main() -> None:
    small = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000
    large = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    streamlit_context._get_client_context = BrowserConnection  # the login cookie, as in tests
    medians = {}
    print(f"Chats page rerun (AppTest, {RUNS} runs each, load average {os.getloadavg()[0]:.2f}):")
    for chats in (small, large):
        shop = build(chats, chats * 10)
        os.environ["INBOX_DB_PATH"] = str(shop.store.path)
        for label, chat_id in (("10", shop.short_chat_id), ("700", shop.long_chat_id)):
            times = rerun_times(chat_id, shop.manager)
            medians[chats, label] = statistics.median(times)
            print(line(f"{chats:,} chats, a chat of {label} messages open", times))
            changed = rerun_times(chat_id, shop.manager, shop.store)
            print(line("  the same, each run after a write (all read again)", changed))
        shop.remove()
    for label in ("10", "700"):
        ratio = medians[large, label] / medians[small, label]
        print(f"  {large:,} / {small:,} chats, {label}-message chat: {ratio:.2f}×")


if __name__ == "__main__":
    main()
