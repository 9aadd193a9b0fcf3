"""A Telegram Bot API stand-in on 127.0.0.1, speaking the methods the inbox uses.

Like the real API, getUpdates hands out every update from `offset` on, and forgets updates only
when a later call asks for an offset past them; it waits up to `timeout` seconds for news.
`sendMessage` can be told to fail the next calls (429 with retry_after, 500, 403)."""

import itertools
import json
import threading
from collections import deque
from http.server import ThreadingHTTPServer

from tests.channels.standin_http import JsonHandler


class TelegramStandIn:
    def __init__(self, token: str = "123:test-token"):
        self.token = token
        self.updates: list[dict] = []
        self.sent: list[dict] = []
        self.served_updates = 0  # how many updates getUpdates has handed out, repeats included
        self.send_failures: deque = deque()  # (status, payload) answers for the next sends
        self._update_ids = itertools.count(1000)
        self._message_ids = itertools.count(1)
        self._news = threading.Condition()
        standin = self

        class Handler(JsonHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                params = json.loads(body or b"{}")
                prefix = f"/bot{standin.token}/"
                if not self.path.startswith(prefix):
                    return self.answer(
                        404, {"ok": False, "error_code": 404, "description": "Not Found"}
                    )
                method = self.path[len(prefix) :]
                handler = getattr(standin, f"api_{method}", None)
                if handler is None:
                    return self.answer(
                        404, {"ok": False, "error_code": 404, "description": "Not Found"}
                    )
                status, payload = handler(params)
                self.answer(status, payload)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_port
        self.base_url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    # --- what a customer does -------------------------------------------------------------------

    def customer_writes(self, chat_id: int, text: str, first_name="Maria", username=None) -> dict:
        message = {
            "message_id": next(self._message_ids),
            "from": {
                "id": chat_id,
                "is_bot": False,
                "first_name": first_name,
                "username": username,
            },
            "chat": {"id": chat_id, "type": "private", "first_name": first_name},
            "date": 1767225600,
            "text": text,
        }
        with self._news:
            self.updates.append({"update_id": next(self._update_ids), "message": message})
            self._news.notify_all()
        return message

    # --- the Bot API ------------------------------------------------------------------------------

    @staticmethod
    def _ok(result):
        return 200, {"ok": True, "result": result}

    def api_getMe(self, params):
        return self._ok({"id": 42, "is_bot": True, "first_name": "Shop", "username": "shop_bot"})

    def api_getUpdates(self, params):
        offset = int(params.get("offset") or 0)
        with self._news:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
            if not self.updates:
                self._news.wait(min(float(params.get("timeout") or 0), 5))
            batch = self.updates[: int(params.get("limit") or 100)]
            self.served_updates += len(batch)
        return self._ok(batch)

    def api_sendMessage(self, params):
        if self.send_failures:
            return self.send_failures.popleft()
        message = {
            "message_id": next(self._message_ids),
            "chat": {"id": params["chat_id"], "type": "private"},
            "date": 1767225600,
            "text": params["text"],
        }
        self.sent.append(params)
        return self._ok(message)

    def fail_next_sends(self, *answers: tuple[int, dict]) -> None:
        self.send_failures.extend(answers)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


TOO_MANY_REQUESTS = (
    429,
    {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 3",
        "parameters": {"retry_after": 3},
    },
)
SERVER_ERROR = (500, {"ok": False, "error_code": 500, "description": "Internal Server Error"})
BLOCKED = (
    403,
    {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"},
)
