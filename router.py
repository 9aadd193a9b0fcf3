"""Each browser session runs this: page setup, the login gate, and the menu."""

import streamlit as st

from components import live, page_registry, session, state
from components.formatting import html_plain
from components.run_gate import gate, give_way_to_a_newer_run

st.set_page_config(page_title="Inbox", page_icon="💬", layout="wide")
live.count_run()
state.init()
with gate.turn(not live.asked_by_check(), give_way=give_way_to_a_newer_run):
    user = session.require_user()

    pages = page_registry.menu(user)

    # The menu runs along the top, so the pages get the whole width; who is signed in sits at
    # its right end.
    st.html(
        '<div style="position:fixed;top:0.9rem;right:4rem;z-index:999991;font-size:0.85rem;'
        f'color:#6b7280">Signed in as {html_plain(user.name)} ({user.role.value}) · '
        '<a href="/logout" target="_self">Log out</a></div>'
    )
    st.navigation(pages, position="top").run()
