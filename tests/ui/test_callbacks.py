"""A widget callback runs to its end even when the browser asks for a newer run meanwhile
(components/callbacks.py), and every callback the components give a widget is one."""

import ast
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

COMPONENTS = Path(__file__).resolve().parents[2] / "components"


def page_with_a_button(wrapped: bool):
    import streamlit as st
    from streamlit.runtime.scriptrunner import get_script_run_ctx
    from streamlit.runtime.scriptrunner_utils.script_requests import RerunData

    from components.callbacks import callback

    def save() -> None:
        # The live check's tick arrives from the browser while the click's callback runs.
        get_script_run_ctx().script_requests.request_rerun(RerunData())
        st.session_state["stored"] = st.session_state.get("stored", 0) + 1
        st.session_state["box emptied"] = True

    st.button("Save", key="save", on_click=callback(save) if wrapped else save)
    st.write(f"stored {st.session_state.get('stored', 0)} times")


def test_a_callback_is_not_stopped_midway_by_a_newer_request():
    at = AppTest.from_function(page_with_a_button, args=(True,)).run()
    at.button(key="save").click().run()
    assert at.session_state["stored"] == 1
    assert at.session_state["box emptied"] is True, "the callback ran to its end"
    assert at.markdown[0].value == "stored 1 times"


def _callbacks_given_to_widgets(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg in ("on_click", "on_change") and isinstance(
                    keyword.value, (ast.Name, ast.Attribute)
                ):
                    value = keyword.value
                    names.add(value.id if isinstance(value, ast.Name) else value.attr)
    return names


def _wrapped_functions(tree: ast.Module) -> set[str]:
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and any(getattr(d, "id", None) == "callback" for d in node.decorator_list)
    }


def test_every_callback_a_component_gives_a_widget_runs_uninterrupted():
    trees = [ast.parse(path.read_text()) for path in sorted(COMPONENTS.glob("*.py"))]
    given = set().union(*(_callbacks_given_to_widgets(tree) for tree in trees))
    wrapped = set().union(*(_wrapped_functions(tree) for tree in trees))
    assert len(given) > 20
    assert given <= wrapped, f"not wrapped in @callback: {sorted(given - wrapped)}"


def test_callbacks_that_do_not_stop_need_one_script_thread_a_session():
    """With fast reruns a newer request starts a second script thread beside a callback that
    no longer stops, and both change the session's state: a reply was stored twice."""
    from streamlit import config

    from components.callbacks import ONE_THREAD_A_SESSION, keep_clicks_that_arrive_during_a_run

    assert config.get_option("runner.fastReruns") is False, "set in .streamlit/config.toml"
    config.set_option("runner.fastReruns", True)
    try:
        with pytest.raises(RuntimeError, match="fastReruns"):
            keep_clicks_that_arrive_during_a_run()
    finally:
        config.set_option("runner.fastReruns", False)
    assert "fastReruns = false" in ONE_THREAD_A_SESSION
