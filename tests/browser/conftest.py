"""The real server (`streamlit run app.py`) on a free port, and Debian's Chromium driving it."""

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from inbox.store import Store
from tests.ports import free_port
from tests.scenario import PASSWORD, Scenario

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
expect.set_options(timeout=15_000)


class Server:
    def __init__(self, db_path: Path, log_path: Path, env: dict[str, str] | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        env = {
            **os.environ,
            # Never the real Telegram: a closed local port unless a test brings a stand-in.
            "INBOX_TELEGRAM_API_URL": "http://127.0.0.1:9",
            "INBOX_TELEGRAM_POLL_SECONDS": "1",
            "INBOX_DB_PATH": str(db_path),
            # "{server_url}" in a value is this server's own address (INBOX_PUBLIC_URL).
            **{key: value.replace("{server_url}", self.url) for key, value in (env or {}).items()},
        }
        self._log = open(log_path, "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py",
             "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--server.headless", "true"],
            cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self._wait_until_healthy()

    def _wait_until_healthy(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{self.url}/api/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"the server did not start:\n{self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self._log.close()


def tracebacks(log: str, limit: int = 8000) -> str:
    """The tracebacks a server logged, the last ones first when there are many."""
    found, lines, inside = [], log.splitlines(), False
    for line in lines:
        if line.startswith("Traceback (most recent call last)"):
            inside = True
            found.append([])
        if inside:
            found[-1].append(line)
            if line and not line.startswith((" ", "Traceback")):
                inside = False  # the exception's own line ends it
    text = "\n\n".join("\n".join(each) for each in found)
    return text[-limit:]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed browser test shows what its servers logged going wrong: a page that says
    "Something went wrong" has its traceback in the server's log only."""
    report = yield
    if report.failed and call.when == "call":
        for server in getattr(item, "servers", []):
            logged = tracebacks(server.log_path.read_text(errors="replace"))
            if logged:
                report.sections.append((f"Tracebacks in {server.log_path.name}", logged))
    return report


@pytest.fixture
def start_server(tmp_path, template_db, request) -> Iterator[Callable[..., Server]]:
    """Start a server on a copy of the named scenario, after `prepare(scenario)` adds data.
    The server owns the database file from then on, as in production."""
    servers: list[Server] = []
    request.node.servers = servers

    def start(
        prepare: Callable[[Scenario], object] = lambda world: None,
        env: dict[str, str] | None = None,
    ) -> Server:
        db_path = tmp_path / f"server-{len(servers)}.duckdb"
        shutil.copy(template_db, db_path)
        store = Store(db_path)
        prepared = prepare(Scenario(store))
        store.close()
        server = Server(db_path, tmp_path / f"server-{len(servers)}.log", env)
        server.prepared = prepared
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def watch_csp(page: Page, violations: list[str]) -> None:
    """Chromium reports every Content Security Policy violation on the console."""
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )


@pytest.fixture
def page(browser, request) -> Iterator[Page]:
    """A browser tab; the test fails if anything in it breaks the Content Security Policy."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    violations: list[str] = []
    context.on("page", lambda new_page: watch_csp(new_page, violations))
    page = context.new_page()
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{request.node.name}.png")
    context.close()
    assert not violations, f"Content Security Policy violations: {violations}"


def log_in(page: Page, server: Server, login: str, password: str = PASSWORD, path="/") -> None:
    page.goto(server.url + path)
    page.get_by_label("Login", exact=True).fill(login)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()


GRID_ROW = 35  # Streamlit's table rows and header, in pixels
PRODUCT, NAME, QTY, PRICE, AMOUNT = 1, 2, 3, 4, 5  # the order form's table after the row markers


def edit_cell(page: Page, grid: Locator, row: int, column: int, text: str) -> None:
    """Type into a cell of an editable table, which is drawn on a canvas: select the row's first
    cell (past the row markers), move right to `column` (numbered as `cell` numbers them), open
    the cell's editor with Enter, replace what it holds, commit with Enter, and wait for the
    page to show the table afresh with the edit folded in."""
    for attempt in range(3):  # a click that lands while the table is drawn again is lost
        close_leftover_list(page)
        grid.click(position={"x": 60, "y": GRID_ROW * (row + 1.5)})  # waits until it stands still
        close_leftover_list(page)  # a click on the cell already selected opens its editor
        for _ in range(column - 1):
            page.keyboard.press("ArrowRight")
        try:
            expect(cell(grid, row, column)).to_have_attribute(
                "aria-selected", "true", timeout=3_000
            )
            break
        except AssertionError:
            if attempt == 2:
                raise
    page.keyboard.press("Enter")
    field = page.locator('[id^="gdg-overlay"]').locator("input, textarea").first
    expect(field).to_be_focused()
    table = grid.element_handle()
    field.fill(text)
    field.press("Enter")
    page.wait_for_function("table => !table.isConnected", arg=table)  # the table drawn afresh
    close_leftover_list(page, wait_ms=2_000)


def close_leftover_list(page: Page, wait_ms: int = 0) -> None:
    """A product's list can outlive the table it was opened from, also when the table is drawn
    once more a moment later, and then takes every click (CI20, and again after it); Escape
    closes it. The edit was committed by Enter already."""
    leftover = page.locator('#portal [id^="gdg-overlay"], #portal [data-value]')
    try:
        expect(leftover).to_have_count(0, timeout=wait_ms or 1)
    except AssertionError:
        page.keyboard.press("Escape")
        expect(leftover).to_have_count(0)


def add_row(page: Page, grid: Locator) -> None:
    """The table's own + button; then wait for the table drawn afresh with the new row."""
    table = grid.element_handle()
    grid.hover()
    page.get_by_role("button", name="Add row").click()
    page.wait_for_function("table => !table.isConnected", arg=table)


def tick_row(grid: Locator, row: int) -> None:
    grid.click(position={"x": 16, "y": GRID_ROW * (row + 1.5)})


def cell(grid: Locator, row: int, column: int) -> Locator:
    """A cell's text, from the table's accessible copy; column 0 is the row markers."""
    return grid.locator(f"#glide-cell-{column}-{row}")


def chat_row(page: Page, name: str):
    return page.locator('[class*="st-key-chat-row-"] button:visible').filter(has_text=name)


def badge(page: Page, name: str):
    return chat_row(page, name).locator(".stMarkdownBadge:visible")


def post_message(server: Server, channel_id: int, secret: str, **fields) -> tuple[int, dict]:
    """A customer message through the generic HTTP channel, as a website widget sends it."""
    request = urllib.request.Request(
        f"{server.url}/api/channels/{channel_id}/messages",
        data=json.dumps(fields).encode(),
        headers={"Content-Type": "application/json", "X-Inbox-Secret": secret},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)
