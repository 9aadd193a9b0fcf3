"""The server: Streamlit pages, HTTP routes and the lifespan, in one process that owns the
database. `streamlit run app.py` finds `app` and serves it."""

import gc
import sys
from contextlib import asynccontextmanager
from importlib.util import find_spec
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware
from starlette.responses import JSONResponse
from starlette.routing import Route
from streamlit.runtime.pages_manager import PagesManager
from streamlit.watcher import polling_path_watcher

from components import live
from components.callbacks import keep_clicks_that_arrive_during_a_run
from components.errors import show_short_error
from inbox.channels import registry
from inbox.channels.worker import DeliveryWorker
from inbox.services import reply_files
from inbox.services.login_sessions import app_key
from inbox.settings import load_settings
from inbox.store import app_store, close_store, get_store
from inbox.web import changes, demo_shop, files, login, session_owners, webhooks
from inbox.web.middleware import BodyLimit, SecurityHeaders

# Streamlit's page, and streamlit-autorefresh's (the Reports wall display), each carry a small
# inline script that the Content Security Policy allows by its hash. The component is found, not
# imported: imported outside a script run, Streamlit would never serve its page.
PAGES_WITH_INLINE_SCRIPTS = [
    Path(st.__file__).parent / "static/index.html",
    Path(find_spec("streamlit_autorefresh").origin).parent / "frontend/build/index.html",
]

# Streamlit's own routes take small JSON bodies, but for a file attached to a reply.
MAX_OTHER_BODY_BYTES = 1_000_000
UPLOADS = "/_stcore/upload_file"


async def health(request):
    store = app_store()
    return JSONResponse(
        {
            "status": "ok",
            "version": store.version,
            "reads_opened": store.reads_opened,
            "page_runs": live.page_runs,
        }
    )


# Python's collector, as it comes, looked at the young objects every 700 new ones: a page run
# makes tens of thousands, and under 50 open pages it spent 11 % of a core (6.7 s a minute)
# and paused everything for up to 170 ms at a time. Objects left from starting (modules,
# Streamlit, pandas) are frozen out of its walks; the thresholds are raised. The cycles a run
# leaves are still collected, in fewer and shorter passes (0.3 s a minute).
GC_THRESHOLDS = (20_000, 20, 20)


# The event loop thread that reads clicks and sends pages shares one interpreter lock with the
# script runs. Each time it sends, it lets the lock go, and then waited up to Python's switch
# interval (5 ms) to get it back from a run: a page of a hundred messages took hundreds of ms to
# leave. At 1 ms the 50-session action p95 fell from 0.54-0.65 s to 0.37-0.58 s.
SWITCH_INTERVAL_SECONDS = 0.001


# Streamlit polls its config files every 0.2 s for edits, even with fileWatcherType "none": a
# third of an idle server's CPU (6.9 ms a second, 4.3 at 5 s), and that noise is what made the
# idle tick's figure wander. A server picks up an edited config within 5 s instead.
CONFIG_POLL_SECONDS = 5.0


def poll_config_files_less() -> None:
    polling_path_watcher._POLLING_PERIOD_SECS = CONFIG_POLL_SECONDS  # read at every poll


def settle_interpreter() -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)


@asynccontextmanager
async def lifespan(app):
    settings = load_settings()
    store = get_store(settings.database)  # migrations run before the first page is served
    app_key()
    workers = [DeliveryWorker(store), *registry.workers(store)]
    for worker in workers:
        worker.start()
    settle_interpreter()
    poll_config_files_less()
    yield
    for worker in workers:
        worker.stop()
    close_store(settings.database)


# Streamlit treats a pages/ folder beside the main script as the old folder-based navigation until
# the router's st.navigation runs once. Until then, the first request after a restart to /chats
# would run that page without the router's login gate. We always navigate with st.navigation.
PagesManager.uses_pages_directory = False
keep_clicks_that_arrive_during_a_run()

app = st.App(
    "router.py",
    routes=[
        Route("/api/health", health),
        *login.routes,
        *demo_shop.routes,
        *registry.routes(),
        *files.routes,
        *changes.routes,
    ],
    middleware=[
        Middleware(SecurityHeaders, pages=PAGES_WITH_INLINE_SCRIPTS),
        Middleware(changes.AnswerChangesFirst),
        Middleware(session_owners.KeepSessionsWithTheirBrowser),
        Middleware(
            BodyLimit,
            limits={
                "/login": login.MAX_FORM_BYTES,
                webhooks.PREFIX: webhooks.MAX_BODY_BYTES,
                UPLOADS: reply_files.upload_limit(),
            },
            default=MAX_OTHER_BODY_BYTES,
        ),
        Middleware(login.LoginGate),
    ],
    lifespan=lifespan,
    on_script_error=show_short_error,
)
