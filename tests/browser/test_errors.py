"""A crafted widget value never shows a traceback or a server path (finding 6 of issue 6)."""

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.WidgetStates_pb2 import WidgetState

from tests.browser.http import session_cookie
from tests.browser.wire import StreamlitWire

SHORT_MESSAGE = "Something went wrong on our side."


def widget(widget_id: str, **value) -> WidgetState:
    state = WidgetState(id=widget_id)
    for field, content in value.items():
        if field.endswith("array_value"):
            getattr(state, field).data.extend(content)
        else:
            setattr(state, field, content)
    return state


def alerts_and_errors(wire: StreamlitWire) -> str:
    """What the page shows in alerts and exception boxes: the places an error would surface."""
    shown = []
    for message in wire.messages:
        element = message.delta.new_element
        if element.HasField("exception"):
            shown.append(str(element.exception))
        if element.HasField("alert") and element.alert.format != Alert.INFO:
            shown.append(element.alert.body)
    return "\n".join(shown)


def test_crafted_widget_values_get_a_short_message_and_the_log_gets_the_traceback(start_server):
    """Some of these fail inside Streamlit's own widget code, before the page runs; such a value
    spoils only the session that sent it, so each goes in a session of its own."""
    server = start_server(lambda world: world.customer_writes("hi", who="a", name="Alice Tg"))
    cookie = session_cookie(server, "boris")
    crafted = [
        ("chat_assignee", {"int_value": 99}),
        ("chat_assignee", {"string_array_value": ["a"]}),
        ("chat_tab", {"string_value": "x"}),
        ("chat_tab", {"json_value": "{}"}),
        ("chat_search", {"int_value": 5}),
        ("chat_search", {"string_value": "x" * 100_000}),
        ("chat_search", {"trigger_value": True}),
        ("chat_channel", {"int_value": 99}),
        ("chat_channel", {"string_value": "x"}),
        ("chat_answer", {"string_array_value": ["Nope"]}),
        ("chat_answer", {"int_value": 7}),
    ]
    for key, value in crafted:
        with StreamlitWire(server.port, cookie) as wire:
            wire.run()
            wire.run(widgets=[widget(wire.widget_id(key), **value)])
            shown = alerts_and_errors(wire)
        for leak in ("Traceback", 'File "', "/work", "site-packages", "Error", "line "):
            assert leak not in shown, (key, value, shown)
        if shown:
            assert SHORT_MESSAGE in shown, shown
    with StreamlitWire(server.port, cookie) as fresh:
        assert "Alice Tg" in fresh.run(), "the server keeps serving"
    log = server.log_path.read_text()
    assert "Traceback (most recent call last)" in log
    assert "unhashable type" in log or "cannot be interpreted as an integer" in log


def test_an_over_long_search_is_cut_to_the_limit_not_an_error(start_server):
    server = start_server(lambda world: world.customer_writes("hi", who="a", name="Alice Tg"))
    with StreamlitWire(server.port, session_cookie(server, "boris")) as wire:
        wire.run()
        wire.run(widgets=[widget(wire.widget_id("chat_search"), string_value="Alice" + " " * 500)])
        assert not alerts_and_errors(wire)
        assert "Alice Tg" in str(wire.messages)
