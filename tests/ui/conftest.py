"""AppTest helpers.

AppTest has no browser connection, so it cannot send the login cookie that every script run is
authorised by. Tests stand in for the connection only: `st.context.cookies` reads a cookie jar
that `open_app` fills with a real login cookie from the real login service, so a page sees
exactly what a logged-in browser sends. The served app has no other way in.

AppTest runs the router on the first run; later runs (after a click) run the page file
directly, because AppTest resets Streamlit's pages-folder detection on every run, so each page
guards itself too.
"""

from pathlib import Path

import pytest
from streamlit.runtime import context as streamlit_context
from streamlit.testing.v1 import AppTest

from components import order_lines, state
from inbox.models import User
from inbox.services import login_sessions
from inbox.store import app_store, close_store, get_store
from tests.core.test_customers import make_shop
from tests.scenario import Scenario

ROOT = Path(__file__).resolve().parents[2]
ROUTER = str(ROOT / "router.py")

COOKIE_JAR: dict[str, str] = {}


class BrowserConnection:
    """What a browser's websocket brings that AppTest cannot: its cookies."""

    headers: dict[str, str] = {}
    remote_ip = "127.0.0.1"

    @property
    def cookies(self) -> dict[str, str]:
        return COOKIE_JAR


@pytest.fixture(autouse=True)
def browser_connection(monkeypatch):
    COOKIE_JAR.clear()
    monkeypatch.setattr(streamlit_context, "_get_client_context", BrowserConnection)
    yield COOKIE_JAR
    COOKIE_JAR.clear()


@pytest.fixture
def ui_world(db_path, monkeypatch) -> Scenario:
    """The named scenario in the same store the app will open for this database file."""
    monkeypatch.setenv("INBOX_DB_PATH", str(db_path))
    yield Scenario(get_store(db_path))
    close_store(db_path)


def log_in(user: User) -> str:
    """Log the test's browser in through the real login service; returns the cookie."""
    key = login_sessions.app_key()
    cookie = login_sessions.start_session(app_store(), key, user)
    COOKIE_JAR[login_sessions.COOKIE_NAME] = cookie
    return cookie


def by_label(widgets, label):
    found = [w for w in widgets if w.label == label]
    assert found, f"no widget labelled {label!r} among {[w.label for w in widgets]}"
    return found[0]


def open_app(user: User | None = None, chat_id: int | None = None) -> AppTest:
    """The app as a browser opens it (logged in as `user`), optionally by a link to one chat."""
    at = AppTest.from_file(ROUTER, default_timeout=30)
    if user is not None:
        log_in(user)
    if chat_id is not None:
        at.query_params["chat"] = str(chat_id)
    return at.run()


def texts(at: AppTest) -> list[str]:
    """Everything the page shows as text, for plain assertions."""
    shown = []
    for kind in ("title", "subheader", "markdown", "caption", "text", "info", "error", "warning"):
        shown += [str(element.value) for element in getattr(at, kind)]
    shown += [b.label for b in at.button]
    return shown


@pytest.fixture
def shop(ui_world):
    """The shop of tests/core/test_customers.make_shop, in the app's store."""
    return make_shop(ui_world)


def open_page(name: str, user: User, query: dict | None = None, state: dict | None = None):
    """One page file (pages/<name>.py) as `user` opens it, with an address query and session
    state set before the first run."""
    log_in(user)
    at = AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=30)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    for key, value in (state or {}).items():
        at.session_state[key] = value
    return at.run()


def edit_order_lines(at: AppTest, changed=None, added=(), deleted=()) -> AppTest:
    """Send the order form's table an edit as the browser's grid sends it, and run."""
    at.session_state[order_lines.editor_key_for(at.session_state)] = {
        "edited_rows": changed or {},
        "added_rows": list(added),
        "deleted_rows": list(deleted),
    }
    return at.run()


def order_lines_shown(at: AppTest) -> list[dict]:
    """The order form's table: one dict per row, as the manager sees it."""
    return [
        {**row, "Amount": order_lines.amount(row)} for row in at.session_state[state.ORDER_LINES]
    ]


def widget(widgets, name: str, field: str | None = None):
    """The widget drawn now as state.stored_key(name, …), or as state.group_key(name, field):
    a widget that shows stored state takes a new key whenever that state moves."""
    found = [
        w
        for w in widgets
        if w.key and w.key.startswith(f"{name}~") and (field is None or w.key.endswith(f"~{field}"))
    ]
    assert len(found) == 1, (
        f"{len(found)} widgets named {name} {field or ''}: {[w.key for w in widgets]}"
    )
    return found[0]
