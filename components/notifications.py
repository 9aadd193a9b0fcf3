"""Desktop notifications (SPEC R3), turned on per browser: the live check shows them from what
/api/changes already answers, so they cost the server no query. The choice is kept in a cookie
of its own (the browser sets it), so that it holds after a reload."""

import streamlit as st

from components import state

COOKIE = "inbox_notify"  # "on", "on+sound" or "off", written by components/live_poll


def _from_cookie() -> None:
    """A new session takes what this browser chose before."""
    if st.session_state[state.NOTIFY_READ]:
        return
    st.session_state[state.NOTIFY_READ] = True
    chosen = st.context.cookies.get(COOKIE) or "off"
    st.session_state[state.NOTIFY_ON] = chosen.startswith("on")
    st.session_state[state.NOTIFY_SOUND] = chosen.endswith("+sound")


def render_toggle() -> None:
    _from_cookie()
    on = st.session_state[state.NOTIFY_ON]
    bell = st.container(key="notify-menu")
    with bell.popover("🔔" if on else "🔕", help="Desktop notifications", width="stretch"):
        with st.container(key="notify-on"):
            st.toggle(
                "Desktop notifications",
                key=state.NOTIFY_ON,
                help="For new chats, and for customer messages in chats you are responsible "
                "for, also while this tab is in the background. Click one to open its chat.",
            )
        st.toggle("With a sound", key=state.NOTIFY_SOUND, disabled=not on)
        st.caption("The browser asks once whether this site may notify you.")


def chosen() -> str:
    _from_cookie()
    if not st.session_state[state.NOTIFY_ON]:
        return "off"
    return "on+sound" if st.session_state[state.NOTIFY_SOUND] else "on"
