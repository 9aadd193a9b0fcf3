"""A Telegram Bot API stand-in on 127.0.0.1, speaking the methods the inbox uses.

Like the real API, getUpdates hands out every update from `offset` on, and forgets updates only
when a later call asks for an offset past them; it waits up to `timeout` seconds for news, and
refuses (409) while a webhook is set. `sendMessage` can be told to fail the next calls (429
with retry_after, 500, 403). Files are served at /file/bot<token>/<path> after getFile."""

import itertools
import json
import threading
import time
from collections import deque
from http.server import ThreadingHTTPServer

from inbox.channels import telegram
from tests.channels.standin_http import JsonHandler, read_form

PHOTO_BYTES = 10 * 1024 * 1024  # what sendPhoto takes
DOCUMENT_BYTES = 50 * 1024 * 1024
CAPTION_LENGTH = 1024


class TelegramStandIn:
    def __init__(self, token: str = "123:test-token"):
        self.token = token
        self.updates: list[dict] = []
        self.sent: list[dict] = []
        self.served_updates = 0  # how many updates getUpdates has handed out, repeats included
        self.polling_now = 0  # getUpdates calls being answered at this moment
        self.most_polling_at_once = 0  # Telegram refuses a second one (409 Conflict)
        self.files: dict[str, tuple[str, bytes]] = {}  # file_id -> (file_path, content)
        self.downloads: list[str] = []  # file paths downloaded
        self.profile_photos: dict[int, str] = {}  # user id -> file_id
        self.webhook: dict | None = None  # what setWebhook was given
        self.send_failures: deque = deque()  # (status, payload) answers for the next sends
        self.file_failures: dict[str, tuple] = {}  # "photo"/"document" -> the answer it gets
        self.poll_failures: deque = deque()  # (status, payload) answers for the next getUpdates
        self.send_delay = 0.0  # seconds sendMessage takes to answer
        self._update_ids = itertools.count(1000)
        self._message_ids = itertools.count(1)
        self._news = threading.Condition()
        standin = self

        class Handler(JsonHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                kind = self.headers.get("Content-Type", "")
                if kind.startswith("multipart/form-data"):
                    fields, files = read_form(kind, body)
                    params = {
                        k: json.loads(v) if v.startswith(("{", "[")) else v
                        for k, v in fields.items()
                    }
                    params.update(files)
                else:
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

            def do_GET(self):
                prefix = f"/file/bot{standin.token}/"
                found = {path: body for path, body in standin.files.values()}
                path = self.path[len(prefix) :]
                if not self.path.startswith(prefix) or path not in found:
                    return self.answer(404, {"ok": False, "description": "Not Found"})
                standin.downloads.append(path)
                self.send_bytes(found[path])

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_port
        self.base_url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    # --- what a customer does -------------------------------------------------------------------

    def customer_sends(self, chat_id: int, first_name="Maria", username=None, **content) -> dict:
        """A message from a customer in a private chat: text=..., photo=[...], document={...}"""
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
            **content,
        }
        self.push({"message": message})
        return message

    def customer_writes(self, chat_id: int, text: str, first_name="Maria", username=None) -> dict:
        return self.customer_sends(chat_id, first_name, username, text=text)

    def customer_edits(self, message: dict, text: str) -> None:
        self.push({"edited_message": {**message, "text": text, "edit_date": 1767225700}})

    def push(self, update: dict) -> dict:
        with self._news:
            update = {"update_id": next(self._update_ids), **update}
            self.updates.append(update)
            self._news.notify_all()
        return update

    def add_file(self, content: bytes, file_path: str) -> str:
        file_id = f"file-{len(self.files) + 1}"
        self.files[file_id] = (file_path, content)
        return file_id

    def photo_sizes(self, content: bytes) -> list[dict]:
        """A photo as Telegram lists it: sizes smallest first; only the largest has `content`."""
        small = self.add_file(b"small", f"photos/small-{len(self.files)}.jpg")
        large = self.add_file(content, f"photos/large-{len(self.files)}.jpg")
        return [
            {"file_id": small, "file_unique_id": small, "width": 90, "height": 90},
            {"file_id": large, "file_unique_id": large, "width": 800, "height": 800},
        ]

    # --- the Bot API ------------------------------------------------------------------------------

    @staticmethod
    def _ok(result):
        return 200, {"ok": True, "result": result}

    def api_getMe(self, params):
        return self._ok({"id": 42, "is_bot": True, "first_name": "Shop", "username": "shop_bot"})

    def api_getUpdates(self, params):
        if self.webhook:
            return 409, {
                "ok": False,
                "error_code": 409,
                "description": "Conflict: can't use getUpdates method while webhook is active",
            }
        if self.poll_failures:
            return self.poll_failures.popleft()
        offset = int(params.get("offset") or 0)
        with self._news:
            self.polling_now += 1
            self.most_polling_at_once = max(self.most_polling_at_once, self.polling_now)
            try:
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
                if not self.updates:
                    self._news.wait(min(float(params.get("timeout") or 0), 5))
                batch = self.updates[: int(params.get("limit") or 100)]
                self.served_updates += len(batch)
            finally:
                self.polling_now -= 1
        return self._ok(batch)

    def api_sendMessage(self, params):
        time.sleep(self.send_delay)
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

    def _send_file(self, params, field: str, most: int):
        if self.send_failures:
            return self.send_failures.popleft()
        if field in self.file_failures:
            return self.file_failures[field]
        upload = params.get(field)
        if not isinstance(upload, dict):
            return self._bad(f"there is no {field} in the request")
        if len(upload["body"]) > most:
            return self._bad("file is too big")
        if len(params.get("caption", "")) > CAPTION_LENGTH:
            return self._bad("message caption is too long")
        message = {
            "message_id": next(self._message_ids),
            "chat": {"id": params["chat_id"], "type": "private"},
            "date": 1767225600,
            "caption": params.get("caption"),
        }
        self.sent.append({"method": field, **params})
        return self._ok(message)

    def api_sendPhoto(self, params):
        return self._send_file(params, "photo", PHOTO_BYTES)

    def api_sendDocument(self, params):
        return self._send_file(params, "document", DOCUMENT_BYTES)

    @staticmethod
    def _bad(description: str):
        return 400, {"ok": False, "error_code": 400, "description": f"Bad Request: {description}"}

    def api_getFile(self, params):
        if params.get("file_id") not in self.files:
            return 400, {
                "ok": False,
                "error_code": 400,
                "description": "Bad Request: wrong file_id",
            }
        path, content = self.files[params["file_id"]]
        return self._ok(
            {"file_id": params["file_id"], "file_size": len(content), "file_path": path}
        )

    def api_getUserProfilePhotos(self, params):
        file_id = self.profile_photos.get(int(params["user_id"]))
        if file_id is None:
            return self._ok({"total_count": 0, "photos": []})
        sizes = [
            {"file_id": f"{file_id}-tiny", "width": 80, "height": 80},
            {"file_id": file_id, "width": 160, "height": 160},
            {"file_id": f"{file_id}-big", "width": 640, "height": 640},
        ]
        return self._ok({"total_count": 1, "photos": [sizes]})

    def api_setWebhook(self, params):
        self.webhook = params
        return self._ok(True)

    def api_deleteWebhook(self, params):
        self.webhook = None
        return self._ok(True)

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


def poll(world) -> int:
    """One getUpdates round for the scenario's bot, without waiting for news."""
    return telegram.poll_once(world.store, world.telegram.id, timeout=0)
