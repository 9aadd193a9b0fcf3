"""Each browser session runs this: page setup, the login gate, and the menu."""

import streamlit as st

from components import page_registry, session

st.set_page_config(page_title="Inbox", page_icon="💬", layout="wide")
session.init()
user = session.require_user()

pages = page_registry.menu(user)

with st.sidebar:
    st.caption(f"Signed in as {user.name} ({user.role.value})")
    st.html('<a href="/logout" target="_self">Log out</a>')

st.navigation(pages).run()
