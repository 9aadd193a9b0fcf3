"""Each browser session runs this: page setup, the login gate, and the menu."""

import streamlit as st

from components import session

st.set_page_config(page_title="Inbox", page_icon="💬", layout="wide")
session.init()
user = session.current_user()

if user is None:
    pages = [st.Page("pages/login.py", title="Log in", icon="🔑")]
elif session.has_chats_page(user):
    pages = [st.Page("pages/chats.py", title="Chats", icon="💬", default=True)]
else:
    pages = [st.Page("pages/no_access.py", title="Welcome", icon="👋")]

if user is not None:
    with st.sidebar:
        st.caption(f"Signed in as {user.name} ({user.role.value})")
        st.button("Log out", on_click=session.log_out, key="logout")

st.navigation(pages).run()
