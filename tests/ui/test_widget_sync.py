"""A widget shows what the store holds, and keeps what the manager is typing (state.sync_widget)."""

from streamlit.testing.v1 import AppTest


def widget_page():
    import streamlit as st

    from components import state

    state.sync_widget("responsible", st.session_state["stored"])
    st.selectbox("Responsible", ["— nobody —", "Anna Manager", "Boris Manager"], key="responsible")


def test_a_widget_the_browser_sends_back_stale_is_set_to_what_the_store_holds():
    at = AppTest.from_function(widget_page)
    at.session_state["stored"] = "— nobody —"
    at.run()
    at.session_state["stored"] = "Anna Manager"  # anna replied: she is responsible now
    at.run()
    assert at.selectbox(key="responsible").value == "Anna Manager"
    # That run was cut short before the widget was drawn: the browser never saw the change and
    # sends the value it still shows with the next run.
    at.session_state["responsible"] = "— nobody —"
    at.run()
    assert at.selectbox(key="responsible").value == "Anna Manager"


def test_what_the_manager_typed_is_kept_while_the_store_stands_still():
    at = AppTest.from_function(widget_page)
    at.session_state["stored"] = "— nobody —"
    at.run()
    at.session_state["stored"] = "Anna Manager"
    at.run()
    at.selectbox(key="responsible").set_value("Boris Manager")  # not yet saved by the store
    at.run()
    assert at.selectbox(key="responsible").value == "Boris Manager"
