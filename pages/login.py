import streamlit as st

from components import session

_, middle, _ = st.columns([1, 1.2, 1])
with middle:
    st.title("💬 Inbox")
    st.write("Log in to answer your customers.")
    with st.form("login"):
        st.text_input("Login", key=session.LOGIN_NAME)
        st.text_input("Password", type="password", key=session.LOGIN_PASSWORD)
        st.form_submit_button("Log in", type="primary", on_click=session.log_in)
    if st.session_state[session.LOGIN_ERROR]:
        st.error(st.session_state[session.LOGIN_ERROR])
