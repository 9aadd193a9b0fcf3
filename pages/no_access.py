"""The page of a user who sees no channel yet. It stays live, so access granted meanwhile
brings the Chats page at the next tick."""

import streamlit as st

from components import live, page_registry, session, styles

user = page_registry.open_page(page_registry.WELCOME)
store = session.store()
live.mark_seen(store, session.visible_channel_ids(user))
styles.inject()
st.title(f"Welcome, {user.name}")
st.info(
    "You have no access to any channel yet, so there are no chats to show. "
    "Please ask an administrator to give you access."
)
live.poll()
