"""The chat list and the live check, as one fragment (SPEC R1). When the news is in another
chat, the rerun the check asks for reads and draws the list alone: the conversation, the card
and the reply box stay as they were drawn, a fraction of a whole page's run. Anything else
the page shows moving (the open chat's counter, another chat opened, a notification clicked,
the login or the channels) reruns the whole page instead.

A run of the fragment alone does not pass through the router, so it is authorised from the
connection's cookie and takes its turn here, as a page run does there."""

from datetime import datetime
from zoneinfo import ZoneInfo

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from components import chat_list, chats_screen, live, session, state
from components.formatting import viewer_zone
from components.run_gate import gate, give_way_to_a_newer_run
from inbox.clock import utc_now
from inbox.models import ChatsScreen, User
from inbox.store import Store


def _alone() -> bool:
    """This run is of fragments only, not of the whole page."""
    run = get_script_run_ctx(suppress_warning=True)
    return bool(run is not None and run.fragment_ids_this_run)


def _draw(screen: ChatsScreen, user: User, zone: ZoneInfo, now: datetime) -> None:
    chat_list.render_filters(screen.people, session.visible_channels(user), screen.page)
    with st.container(height=560, border=False, key="chat-list"):
        chat_list.render_rows(screen.page, zone, now)
    live.poll()


@st.fragment
def render(
    store: Store, screen: ChatsScreen, user: User, drawn: tuple, zone: ZoneInfo, now: datetime
) -> None:
    """Call inside the list's column, with what the page read and `outside_list` as the page
    took it before that read. A run of the fragment alone reads and times afresh."""
    if not _alone():
        _draw(screen, user, zone, now)
        return
    state.init()  # the keys a browser that sends no widget state left out (router.py too)
    now_user = session.current_user()
    channel_ids = session.visible_channel_ids(now_user) if now_user is not None else ()
    if (
        now_user is None
        or live.notification_clicked()
        or chats_screen.outside_list(store, now_user, channel_ids) != drawn
    ):
        st.rerun(scope="app")  # before anything is drawn or marked: the page's run does both
    asked_by_person = not live.asked_by_check()
    with gate.turn(asked_by_person, give_way=give_way_to_a_newer_run):
        live.count_run()
        live.mark_seen(store, channel_ids)
        screen = chats_screen.read(store, now_user, channel_ids)
        if screen.page is None:
            st.rerun(scope="app")
        _draw(screen, now_user, viewer_zone(st.context.timezone), utc_now())
