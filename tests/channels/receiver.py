"""A website's end of the HTTP channel, as a stand-in: it receives signed replies on 127.0.0.1,
checks each signature, and can be taken down or made to fail."""

import json
import threading
import time
from http.server import ThreadingHTTPServer

from inbox.channels.http import signature
from tests.channels.standin_http import JsonHandler


class CallbackReceiver:
    def __init__(self, secret: str, port: int = 0):
        self.secret = secret
        self.received: list[dict] = []
        self.bad_signatures = 0
        self.answer = 200  # what it answers to a well-signed reply
        self.delay = 0.0  # seconds it takes before answering
        self._server = None
        self.port = port
        self.up()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/inbox-replies"

    def up(self) -> None:
        receiver = self

        class Handler(JsonHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                time.sleep(receiver.delay)
                timestamp = self.headers.get("X-Inbox-Timestamp", "")
                fresh = timestamp.isdigit() and abs(time.time() - int(timestamp)) < 300
                if not fresh or self.headers.get("X-Inbox-Signature") != signature(
                    receiver.secret, timestamp, body
                ):
                    receiver.bad_signatures += 1
                    return self.answer(401, {"error": "bad signature"})
                if receiver.answer == 200:
                    receiver.received.append(json.loads(body))
                    return self.answer(200, {"id": f"w-{len(receiver.received)}"})
                return self.answer(receiver.answer, {"error": "widget backend is unwell"})

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_port
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def down(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def close(self) -> None:
        self.down()
