"""Many open Chats pages on one server: how long a manager's click takes while the others poll.

Starts the real server on a realistic store, then for N = 10, 25 and 50 opens N logged-in
sessions at once. Each session speaks Streamlit's websocket protocol as a browser tab does
(tests/browser/wire.py) and behaves like one: it asks /api/changes every poll tick and reruns
its page when the counter moved, and about every 10 s it acts: it opens another chat from its
list, and one action in ten is a reply (a write, which every other open page then shows).

Prints, per N: the time from a click to its page being drawn (p50, p95), the refreshes other
pages made because of those writes, errors, the server's CPU and memory.

    python -m bench.load_sessions [CHATS] [SECONDS_PER_N] [N ...]
"""

import http.client
import json
import multiprocessing
import os
import random
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field

from streamlit.proto.WidgetStates_pb2 import WidgetState

from bench.shop_store import build
from inbox.services import login_sessions
from inbox.store import close_store, users
from tests.browser.conftest import Server
from tests.browser.load import cpu_seconds, rss_bytes
from tests.browser.wire import StreamlitWire

ACT_EVERY_SECONDS = 10
REPLY_EVERY = 10  # actions
TABS_PER_PROCESS = 10
MANAGERS = ["anna", "boris", "carla", "dmitri", "emma", "farid"]


@dataclass
class Tally:
    actions: list[float] = field(default_factory=list)
    refreshes: list[float] = field(default_factory=list)
    whole_refreshes: int = 0  # refreshes that drew the whole page, not the list alone
    connects: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float) -> None:
        with self.lock:
            getattr(self, kind).append(seconds)

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] if ordered else float("nan")


class Tab:
    """One open Chats page: its websocket session and its poll of /api/changes."""

    def __init__(self, port: int, cookie: str, tally: Tally, stop: threading.Event, seed: int):
        self.port, self.cookie, self.tally, self.stop = port, cookie, tally, stop
        self.random = random.Random(seed)
        self.wire: StreamlitWire | None = None
        self.since: int | None = None
        self.reruns = 0
        self.poll = http.client.HTTPConnection("127.0.0.1", port, timeout=20)

    def _timed_run(self, kind: str, widgets: list[WidgetState] = ()) -> None:
        """The run a browser asks for: of the fragment the first widget is in, if any."""
        fragment = self.wire.fragment_of(widgets[0].id) if widgets else ""
        started = time.perf_counter()
        self.wire.run(widgets=widgets, fragment_id=fragment)
        self.tally.add(kind, time.perf_counter() - started)
        self._read_since()

    def _read_since(self) -> None:
        """The counter the page's live check was drawn with (other components have none)."""
        for message in self.wire.page:
            component = message.delta.new_element.component_instance
            if "live-check" in component.id:
                self.since = json.loads(component.json_args).get("since")

    def _ids(self, containing: str) -> list[str]:
        return self.wire.widget_ids(containing)

    def _act(self) -> None:
        rows = self._ids("chat-row-")
        if self.random.random() < 1 / REPLY_EVERY and self._ids("-send-"):
            draft = WidgetState(id=self._ids("draft-")[0], string_value="Thanks, on its way!")
            send = WidgetState(id=self._ids("-send-")[0], trigger_value=True)
            self._timed_run("actions", [draft, send])
        elif rows:
            click = WidgetState(id=self.random.choice(rows), trigger_value=True)
            self._timed_run("actions", [click])

    def _refresh(self) -> None:
        self.reruns += 1
        live = self._ids("live-check")
        value = json.dumps({"reason": "changed", "reruns": self.reruns})
        self._timed_run("refreshes", [WidgetState(id=live[0], json_value=value)] if live else [])
        if [] in self.wire.runs():
            with self.tally.lock:
                self.tally.whole_refreshes += 1

    def _version(self) -> int:
        """The change counter, as the page's check asks for it. A keep-alive connection the
        server closed while this tab was busy is opened again, as a browser does."""
        for attempt in range(2):
            try:
                self.poll.request("GET", "/api/changes", headers={"Cookie": self.cookie})
                return json.loads(self.poll.getresponse().read())["version"]
            except (ConnectionError, http.client.HTTPException):
                self.poll.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def run(self, poll_seconds: float) -> None:
        try:
            started = time.perf_counter()
            self.wire = StreamlitWire(self.port, self.cookie)
            self.wire.run()
            self.tally.add("connects", time.perf_counter() - started)
            self._read_since()
            next_action = time.monotonic() + self.random.uniform(0, ACT_EVERY_SECONDS)
            while not self.stop.wait(poll_seconds):
                version = self._version()
                if time.monotonic() >= next_action:
                    next_action += self.random.uniform(0.8, 1.2) * ACT_EVERY_SECONDS
                    self._act()
                elif self.since is not None and version != self.since:
                    self._refresh()
        except Exception as error:  # a timeout or a dropped connection: counted, not raised
            self.tally.error(f"{type(error).__name__}: {error}")
        finally:
            if self.wire is not None:
                self.wire.close()


def cookies(store, key: bytes, count: int) -> list[str]:
    with store.read() as cur:
        managers = [users.get_by_login(cur, login) for login in MANAGERS]
    return [
        f"{login_sessions.COOKIE_NAME}={login_sessions.start_session(store, key, managers[i % 6])}"
        for i in range(count)
    ]


def _tabs(port: int, sessions: list[str], first_seed: int, seconds: float, poll: float, out):
    """One client process: its share of the tabs, each in a thread, for `seconds`."""
    tally, stop = Tally(), threading.Event()
    tabs = [Tab(port, cookie, tally, stop, first_seed + n) for n, cookie in enumerate(sessions)]
    threads = [threading.Thread(target=tab.run, args=(poll,)) for tab in tabs]
    for thread in threads:
        thread.start()
    stop.wait(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    cpu = sum(os.times()[:2])
    out.put((tally.actions, tally.refreshes, tally.whole_refreshes, tally.connects, tally.errors,
             cpu))  # fmt: skip


def one_load(server: Server, sessions: list[str], seconds: float, poll_seconds: float) -> None:
    """The tabs run in client processes of TABS_PER_PROCESS each, so that the clients' own
    Python does not queue the server's answers behind one interpreter lock."""
    context = multiprocessing.get_context("fork")
    out = context.Queue()
    shares = range(0, len(sessions), TABS_PER_PROCESS)
    processes = [
        context.Process(
            target=_tabs,
            args=(server.port, sessions[i : i + TABS_PER_PROCESS], i, seconds, poll_seconds, out),
        )
        for i in shares
    ]
    cpu_before, wall_before = cpu_seconds(server.process.pid), time.perf_counter()
    for process in processes:
        process.start()
    tally, client_cpu = Tally(), 0.0
    for _ in processes:
        actions, refreshes, whole, connects, errors, cpu = out.get(timeout=seconds + 120)
        tally.whole_refreshes += whole
        tally.actions += actions
        tally.refreshes += refreshes
        tally.connects += connects
        tally.errors += errors
        client_cpu += cpu
    wall = time.perf_counter() - wall_before
    busy = (cpu_seconds(server.process.pid) - cpu_before) / wall
    for process in processes:
        process.join()
    n, actions, refreshes = len(sessions), tally.actions, tally.refreshes
    print(
        f"  {n:>2} sessions: action p50 {statistics.median(actions or [0]) * 1000:4.0f} ms,"
        f" p95 {p95(actions) * 1000:4.0f} ms ({len(actions)} actions);"
        f" refresh p95 {p95(refreshes) * 1000:4.0f} ms ({len(refreshes)} refreshes,"
        f" {tally.whole_refreshes} of the whole page);"
        f" connect p95 {p95(tally.connects):.1f} s; errors {len(tally.errors)};"
        f" server CPU {busy * 100:3.0f} %, memory {rss_bytes(server.process.pid) / 2**20:.0f} MiB;"
        f" clients' CPU {client_cpu / wall * 100:.0f} %"
    )
    for error in sorted(set(tally.errors))[:3]:
        print(f"      {error}")


def main() -> None:
    chats = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 60
    loads = [int(n) for n in sys.argv[3:]] or [10, 25, 50]
    shop = build(chats, chats * 10)
    key = login_sessions.load_or_create_key(shop.store.path.with_suffix(".session-key"))
    sessions = cookies(shop.store, key, max(loads))
    close_store(shop.store.path)  # the server owns the file from here
    server = Server(shop.store.path, shop.folder / "server.log")
    poll_seconds = float(os.environ.get("INBOX_POLL_SECONDS", 0.5))
    try:
        print(
            f"open Chats pages acting every ~{ACT_EVERY_SECONDS} s (a reply every"
            f" {REPLY_EVERY}th action), {seconds:.0f} s each, polling every {poll_seconds} s,"
            f" {chats:,} chats (load average {os.getloadavg()[0]:.2f}):"
        )
        for n in loads:
            one_load(server, sessions[:n], seconds, poll_seconds)
    finally:
        server.stop()
        shop.remove()


if __name__ == "__main__":
    main()
