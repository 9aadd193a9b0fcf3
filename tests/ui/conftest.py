"""AppTest helpers.

AppTest cannot send the login cookie, so tests open the app with the user already in the
session, as a browser session has it once its cookie was checked. AppTest runs the router on the
first run; later runs (after a click) run the page file directly, because AppTest resets
Streamlit's pages-folder detection on every run, so each page guards itself too.
"""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components import session
from inbox.models import User
from inbox.store import close_store, get_store
from tests.scenario import Scenario

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


def open_app(user: User | None = None, chat_id: int | None = None) -> AppTest:
    """The app as a logged-in user's browser opens it, optionally by a link to one chat."""
    at = AppTest.from_file(ROUTER, default_timeout=30)
    if user is not None:
        at.session_state[session.USER_ID] = user.id
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
