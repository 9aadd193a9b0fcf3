"""A Streamlit client that speaks the websocket protocol itself, as an attacker's script can:
it may bring any cookie (or none), reconnect to any session id, and send any widget value."""

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.sync.client import connect


class StreamlitWire:
    def __init__(self, port: int, cookie: str | None = None, session_id: str | None = None):
        protocols = ["streamlit", "no-xsrf", session_id] if session_id else ["streamlit"]
        self._connection = connect(
            f"ws://127.0.0.1:{port}/_stcore/stream",
            subprotocols=protocols,
            additional_headers={"Cookie": cookie} if cookie else None,
            open_timeout=10,
            max_size=None,
        )
        self._ws = self._connection.__enter__()
        self.session_id: str | None = session_id
        self.messages: list[ForwardMsg] = []  # what the last run sent
        self.page: list[ForwardMsg] = []  # the page as a browser holds it after that run

    def run(
        self, query_string: str = "", widgets: list[WidgetState] = (), fragment_id: str = ""
    ) -> str:
        """Ask for a script run and return everything it sent, as protobuf text. With a
        fragment's id, the run is of that fragment alone, as a browser asks when a widget
        inside one changed."""
        self.send(query_string, widgets, fragment_id)
        sent: list[ForwardMsg] = []
        started = False  # a full run begins with new_session; earlier runs may still finish
        while True:
            message = ForwardMsg()
            message.ParseFromString(self._ws.recv(timeout=20))
            if message.HasField("new_session"):
                started = True
                self.session_id = message.new_session.initialize.session_id
            if started:
                sent.append(message)
                # A run cut short by a rerun the server started itself is followed by that run.
                early = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN
                if message.HasField("script_finished") and message.script_finished != early:
                    break
        self.messages = sent
        self._update_page(sent)
        return "\n".join(str(m) for m in sent)

    def _update_page(self, sent: list[ForwardMsg]) -> None:
        """A whole run draws the page afresh; a fragment's run replaces that fragment's
        elements and leaves the rest as they were."""
        starts = [i for i, m in enumerate(sent) if m.HasField("new_session")]
        last_run = sent[starts[-1] :] if starts else sent
        fragments = set(last_run[0].metadata.run.fragment_ids) if starts else set()
        if not fragments:
            self.page = last_run
            return
        kept = [m for m in self.page if m.delta.fragment_id not in fragments]
        self.page = kept + [m for m in last_run if m.delta.fragment_id in fragments]

    def send(
        self, query_string: str = "", widgets: list[WidgetState] = (), fragment_id: str = ""
    ) -> None:
        """Ask for a script run without waiting for it, as a browser does."""
        back = BackMsg()
        back.rerun_script.query_string = query_string
        back.rerun_script.fragment_id = fragment_id
        back.rerun_script.widget_states.widgets.extend(widgets)
        self._ws.send(back.SerializeToString())

    def drain(self, quiet_seconds: float = 0.5) -> None:
        """Read what earlier runs sent until the server has been quiet for a while."""
        while True:
            try:
                self._ws.recv(timeout=quiet_seconds)
            except TimeoutError:
                return

    def widget_ids(self, containing: str = "") -> list[str]:
        """The ids of the page's widgets, those with this text in them."""
        return [i for i in map(_widget_id, self.page) if i and containing in i]

    def drawn_ids(self, containing: str = "") -> list[str]:
        """The ids of the widgets the last request drew, those with this text in them."""
        return [i for i in map(_widget_id, self.messages) if i and containing in i]

    def runs(self) -> list[list[str]]:
        """The fragments each run of the last request reran; [] for a run of the whole page."""
        return [list(m.metadata.run.fragment_ids) for m in self.messages
                if m.HasField("new_session")]  # fmt: skip

    def fragment_of(self, widget_id: str) -> str:
        """The fragment the last run drew this widget in ("" for none): a browser names it
        when the widget changes."""
        for message in self.page:
            if _widget_id(message) == widget_id:
                return message.delta.fragment_id
        raise LookupError(f"no widget {widget_id!r} in the last run")

    def widget_id(self, key: str) -> str:
        """The id of the widget created with this key in the last run."""
        for widget_id in self.widget_ids():
            if f"-{key}" in widget_id or widget_id.endswith(key):
                return widget_id
        raise LookupError(f"no widget with key {key!r}; the run showed: {self.summary()}")

    def summary(self) -> str:
        """What the last run drew, element by element, for a failure to show."""
        shown = []
        for message in self.messages:
            if message.HasField("script_finished"):
                shown.append(f"finished {message.script_finished}")
            element = message.delta.new_element
            kind = element.WhichOneof("type")
            if kind:
                body = getattr(getattr(element, kind), "body", "")
                shown.append(f"{kind} {str(body)[:60]!r}" if body else kind)
        return "; ".join(shown)

    def close(self) -> None:
        self._connection.__exit__(None, None, None)

    def __enter__(self) -> "StreamlitWire":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _widget_id(message: ForwardMsg) -> str:
    """The id of the widget a message draws, or ""."""
    element = message.delta.new_element
    kind = element.WhichOneof("type")
    return getattr(getattr(element, kind), "id", "") if kind else ""
