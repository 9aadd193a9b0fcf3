import streamlit as st

from components import session

session.init()
user = session.require_user()
st.title(f"Welcome, {user.name}")
st.info(
    "You have no access to any channel yet, so there are no chats to show. "
    "Please ask an administrator to give you access."
)
