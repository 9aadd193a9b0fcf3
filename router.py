"""Each browser session runs this: page setup, the login gate, and the menu."""

import streamlit as st

from components import session

st.set_page_config(page_title="Inbox", page_icon="💬", layout="wide")
session.init()
user = session.require_user()

if session.has_chats_page(user):
    pages = [st.Page("pages/chats.py", title="Chats", icon="💬", default=True)]
else:
    pages = [st.Page("pages/no_access.py", title="Welcome", icon="👋")]
if user.is_admin:
    pages.append(st.Page("pages/settings.py", title="Settings", icon="⚙️"))

with st.sidebar:
    st.caption(f"Signed in as {user.name} ({user.role.value})")
    st.html('<a href="/logout" target="_self">Log out</a>')

st.navigation(pages).run()
