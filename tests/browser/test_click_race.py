"""A click followed at once by another request of the same page (the live check's tick, a box
committed on blur) is carried out exactly once (SPEC T2, R2).

Streamlit's default "fast reruns" starts a new script thread for the newer request at once and
asks the running one to stop at its next yield point. Our callbacks run uninterrupted, so the
two threads applied widget states and ran callbacks side by side: the reply was stored twice
(seen in the stale-widgets browser test under load), or the click was dropped when the tick came
before the first thread had started. The page runs one thread at a time (runner.fastReruns =
false): a newer request waits for the next yield point, its widget states folded into the
pending request with the click kept."""

import time

from streamlit.proto.WidgetStates_pb2 import WidgetState

from tests.browser.http import session_cookie
from tests.browser.wire import StreamlitWire

ROUNDS = 40


def a_chat(world):
    return world.customer_writes("Hello?", who="v1", name="Wendy Web", channel=world.website)


def text(widget_id: str, value: str) -> WidgetState:
    return WidgetState(id=widget_id, string_value=value)


def click(widget_id: str) -> WidgetState:
    return WidgetState(id=widget_id, trigger_value=True)


def test_a_send_followed_at_once_by_a_tick_is_stored_once(start_server):
    server = start_server(a_chat)
    query = f"chat={server.prepared.chat_id}"
    stored: dict[int, int] = {}
    with StreamlitWire(server.port, session_cookie(server, "anna")) as tab:
        tab.run(query)
        for number in range(ROUNDS):
            tab.drain()
            tab.run(query)
            (box,) = tab.widget_ids("draft-")
            send = tab.widget_id(f"send-{server.prepared.chat_id}")
            reply = f"Reply number {number} ."
            # The click, then the tick with the same box but no click, as a browser sends them.
            tab.send(query, [text(box, reply)])  # the box committed as it loses focus
            tab.send(query, [text(box, reply), click(send)])
            for _ in range(3):  # ticks at moments across the click's run
                time.sleep(number % 5 * 0.002)
                tab.send(query, [text(box, reply)])
            tab.drain()
            stored[number] = tab.run(query).count(reply)
    lost = [n for n, count in stored.items() if count == 0]
    doubled = [n for n, count in stored.items() if count > 1]
    print(f"{ROUNDS} clicks: {len(lost)} lost, {len(doubled)} stored twice")
    assert not lost and not doubled, f"lost {lost}, stored twice {doubled}"
