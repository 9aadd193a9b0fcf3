"""AppTest helpers.

AppTest runs the router on the first run of a test app; on later runs (after a click) it runs the
page file directly, because it resets Streamlit's pages-folder detection on every run. So tests
open the app already logged in where they need a page, and each page guards itself.
"""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components import session
from inbox.models import User
from inbox.store import close_store, get_store
from tests.scenario import PASSWORD, Scenario

ROUTER = str(Path(__file__).resolve().parents[2] / "router.py")


@pytest.fixture
def ui_world(db_path, monkeypatch) -> Scenario:
    """The named scenario in the same store the app will open for this database file."""
    monkeypatch.setenv("INBOX_DB_PATH", str(db_path))
    yield Scenario(get_store(db_path))
    close_store(db_path)


def by_label(widgets, label):
    found = [w for w in widgets if w.label == label]
    assert found, f"no widget labelled {label!r} among {[w.label for w in widgets]}"
    return found[0]


def open_app(user: User | None = None) -> AppTest:
    at = AppTest.from_file(ROUTER, default_timeout=30)
    if user is not None:
        at.session_state[session.USER_ID] = user.id
    return at.run()


def submit_login(login: str, password: str = PASSWORD) -> AppTest:
    at = open_app()
    at.text_input(key=session.LOGIN_NAME).input(login)
    at.text_input(key=session.LOGIN_PASSWORD).input(password)
    by_label(at.button, "Log in").click().run()
    return at


def texts(at: AppTest) -> list[str]:
    """Everything the page shows as text, for plain assertions."""
    shown = []
    for kind in ("title", "subheader", "markdown", "caption", "text", "info", "error", "warning"):
        shown += [str(element.value) for element in getattr(at, kind)]
    shown += [b.label for b in at.button]
    return shown
