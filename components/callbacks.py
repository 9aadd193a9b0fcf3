"""Every widget callback runs to its end.

Streamlit runs a click's callback before the script, and every `st.session_state` read or
write, toast or other `st.*` call in it is a point where the run stops for a newer request
from the browser (the live check's tick, another click): the callback dies there, and the
newer request, which does not carry the click, runs instead. A reply was then stored but its
box not emptied, or the click was lost before the service was called at all. A callback
wrapped here is not stopped midway: the newer request waits until it returns, and runs next.
"""

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from streamlit import config
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.state.safe_session_state import SafeSessionState

ONE_THREAD_A_SESSION = (
    "Uninterrupted callbacks need runner.fastReruns = false (see .streamlit/config.toml):"
    " with fast reruns two script threads of one session would run side by side."
)


@contextmanager
def uninterrupted() -> Iterator[None]:
    """Hold off newer requests of this session's browser until the block ends. The script
    runner looks at its requests only while its `_execing` flag is set (Streamlit 1.67)."""
    run = get_script_run_ctx(suppress_warning=True)
    runner = getattr(getattr(run, "yield_check", None), "__self__", None)
    if not getattr(runner, "_execing", False):
        yield
        return
    runner._execing = False
    try:
        yield
    finally:
        runner._execing = True


def callback(function: Callable) -> Callable:
    """Mark a function given to a widget's on_click or on_change (a test checks that every one
    is): it runs uninterrupted."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        with uninterrupted():
            return function(*args, **kwargs)

    return run


def keep_clicks_that_arrive_during_a_run() -> None:
    """Streamlit takes a click's request and then, before it runs the click's callbacks, stops
    for any newer request (SafeSessionState.on_script_will_rerun looks at the requests first):
    a live check's tick arriving a few ms after a click took its place, and the click was
    lost. Applying the click's widget states is made uninterruptible; the newer request runs
    right after the callbacks, as Streamlit already does.

    It needs one script thread per session (runner.fastReruns off, in .streamlit/config.toml):
    with fast reruns a newer request starts another thread at once, which would change the
    session's state beside a callback that no longer stops."""
    if config.get_option("runner.fastReruns"):
        raise RuntimeError(ONE_THREAD_A_SESSION)
    original = SafeSessionState.on_script_will_rerun
    if getattr(original, "keeps_clicks", False):
        return

    def on_script_will_rerun(self, *args, **kwargs):
        with uninterrupted():
            return original(self, *args, **kwargs)

    on_script_will_rerun.keeps_clicks = True
    SafeSessionState.on_script_will_rerun = on_script_will_rerun
