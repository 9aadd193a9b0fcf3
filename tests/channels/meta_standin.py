"""A Graph API stand-in on 127.0.0.1, speaking what the inbox uses of Meta's Messenger
Platform, as Meta documents it.

- GET /{version}/me?fields=… answers the page (and its Instagram account) for the page token,
  sent as "Authorization: Bearer"; another token gets Meta's OAuthException (code 190).
- POST /{version}/me/messages takes {recipient: {id}, messaging_type, message: {text}, tag?}
  and answers {recipient_id, message_id}; `send_failures` queues Meta's error answers
  ({"error": {message, type, code, error_subcode, fbtrace_id}}, an HTTP status, headers).
- GET /{version}/{user id}?fields=… is the profile lookup.
- GET /cdn/{name} serves attachment files until they expire, then 403s as Meta's CDN does
  ("URL signature expired").
The inbox's webhook posts are made by `post`, signed with the app secret as Meta signs them."""

import itertools
import json
import threading
from collections import deque
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from inbox.channels import meta
from tests.channels.standin_http import JsonHandler, read_form

PAGE_TOKEN = "EAAG-page-token-for-tests-0123456789"
APP_SECRET = "app-secret-0123456789abcdef"
PAGE_ID = "1000000001"
INSTAGRAM_ID = "17840000000000001"


def oauth_error(message: str, code: int, subcode: int | None = None, kind="OAuthException"):
    error = {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEf123"}
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"error": error}


class MetaStandIn:
    def __init__(self, token: str = PAGE_TOKEN):
        self.token = token
        self.sent: list[dict] = []
        self.send_failures: deque = deque()  # (status, payload, headers) for the next sends
        self.profiles: dict[str, dict] = {}
        self.profile_lookups: list[str] = []
        self.files: dict[str, bytes] = {}  # name -> body, served at /cdn/{name}
        self.expired: set[str] = set()
        self.downloads: list[str] = []
        self.send_delay = 0.0
        self._ids = itertools.count(1)
        standin = self

        class Handler(JsonHandler):
            def _authorised(self) -> bool:
                if self.headers.get("Authorization") == f"Bearer {standin.token}":
                    return True
                self.answer(400, oauth_error("Invalid OAuth access token.", 190))
                return False

            def do_GET(self):
                parts = urlsplit(self.path)
                if parts.path.startswith("/cdn/"):
                    return standin._serve_file(self, parts.path[len("/cdn/") :])
                if not parts.path.startswith(f"/{meta.VERSION}/"):
                    return self.answer(404, oauth_error("Unknown path components", 2500))
                if not self._authorised():
                    return
                node = parts.path[len(f"/{meta.VERSION}/") :]
                fields = parse_qs(parts.query).get("fields", [""])[0]
                if node == "me":
                    page = {"id": PAGE_ID, "name": "Candle Shop"}
                    if "instagram_business_account" in fields:
                        page["instagram_business_account"] = {
                            "id": INSTAGRAM_ID,
                            "username": "candle.shop",
                        }
                    return self.answer(200, page)
                standin.profile_lookups.append(node)
                if node in standin.profiles:
                    return self.answer(200, {"id": node, **standin.profiles[node]})
                return self.answer(400, oauth_error("Unsupported get request.", 100, 33))

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                kind = self.headers.get("Content-Type", "")
                if kind.startswith("multipart/form-data"):  # a file uploaded with its message
                    fields, files = read_form(kind, raw)
                    body = {k: json.loads(v) if v.startswith("{") else v for k, v in fields.items()}
                    body["filedata"] = files.get("filedata")
                else:
                    body = json.loads(raw)
                if urlsplit(self.path).path != f"/{meta.VERSION}/me/messages":
                    return self.answer(404, oauth_error("Unknown path components", 2500))
                if not self._authorised():
                    return
                if standin.send_delay:
                    threading.Event().wait(standin.send_delay)
                if standin.send_failures:
                    status, payload, headers = standin.send_failures.popleft()
                    return self.answer(status, payload, headers)
                standin.sent.append(body)
                mid = f"m_sent_{next(standin._ids)}"
                self.answer(200, {"recipient_id": body["recipient"]["id"], "message_id": mid})

            def answer(self, status, payload, headers=None):
                if headers:
                    self._extra = headers
                super().answer(status, payload)

            def end_headers(self):
                for key, value in getattr(self, "_extra", {}).items():
                    self.send_header(key, value)
                self._extra = {}
                super().end_headers()

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def _serve_file(self, handler, name: str) -> None:
        if name in self.expired or name not in self.files:
            return handler.answer(403, {"error": "URL signature expired"})
        self.downloads.append(name)
        handler.send_bytes(self.files[name])

    def file_url(self, name: str, body: bytes) -> str:
        self.files[name] = body
        return f"{self.base_url}/cdn/{name}?oh=signed&oe=6A1B2C3D"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def messaging(sender: str, recipient: str, **event) -> dict:
    return {"sender": {"id": sender}, "recipient": {"id": recipient}, "timestamp": 1, **event}


def post_body(object_: str, *events: dict, entry_id: str = PAGE_ID) -> bytes:
    """A webhook post as Meta sends it: one entry per event here, as Meta may batch them."""
    entries = [{"id": entry_id, "time": 1, "messaging": [each]} for each in events]
    return json.dumps({"object": object_, "entry": entries}).encode()


def signed(body: bytes, secret: str = APP_SECRET) -> str:
    return meta.signature(secret, body)
