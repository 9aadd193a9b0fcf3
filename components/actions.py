"""Callbacks run a service, then tell the manager how it went in a toast."""

from collections.abc import Callable

import streamlit as st
from pydantic import ValidationError

from components import session, state
from components.session import SESSION_ENDED
from inbox.errors import InboxError, PermissionDenied
from inbox.models import User


def run(action: Callable[[], object], done: str | None = None) -> bool:
    """Run a service call; a refusal becomes a readable toast, never a traceback."""
    try:
        action()
    except InboxError as error:
        st.toast(str(error), icon="⚠️")
        return False
    except ValidationError as error:
        first = error.errors()[0]
        st.toast(f"{first['loc'][-1] if first['loc'] else 'Input'}: {first['msg']}", icon="⚠️")
        return False
    if done:
        st.toast(done, icon="✅")
    return True


def change(widget: str, action: Callable[[], object], done: str | None = None) -> bool:
    """Run the change a widget that shows stored state asked for. When it is refused, the
    widget is drawn afresh, showing what is stored (see state.stored_key)."""
    if run(action, done):
        return True
    state.renew(widget)
    return False


def actor() -> User:
    """The user acting in a callback, checked again like on every run; call it inside `run`."""
    user = session.current_user()
    if user is None:
        raise PermissionDenied(SESSION_ENDED)
    return user
