"""A Viber REST bot API stand-in on 127.0.0.1, speaking what the inbox uses of it, as Viber
documents it (developers.viber.com/docs/api/rest-bot-api) and its Python SDK sends it.

Every call is a POST to /pa/{method} with the token in X-Viber-Auth-Token, answered HTTP 200
with {"status": 0, "status_message": "ok", …}; another token gets status 2, invalidAuthToken.
- get_account_info answers the bot: id, name, uri, icon, subscribers_count.
- set_webhook {url, event_types, send_name, send_photo} first posts Viber's check (a signed
  "webhook" event) to the url, and answers status 1 (invalidUrl) unless it got a 200. Viber
  insists on HTTPS; the stand-in takes http on 127.0.0.1, which is all the tests have.
- send_message {receiver, min_api_version, sender: {name}, type: "text", text} answers
  {message_token}. No sender name, or one over 28 characters, is status 3 (badData); a text
  that is empty or over 7000 characters too; a receiver in `unsubscribed` gets status 6
  (receiverNotSubscribed). `send_failures` queues other answers (HTTP status, payload).
- send_message {…, type: "picture", media, text} or {…, type: "file", media, size, file_name}
  fetches `media` as Viber's servers do (a picture's address must end in .jpeg, .png or .gif,
  its text at most 120 characters); what it got is in `fetched`.
- GET /media/{name} serves `media` without a token, as Viber's media addresses do.
Callbacks are built by `message_event` and `status_event`, signed as Viber signs them."""

import itertools
import json
import threading
import time
from collections import deque
from http.server import ThreadingHTTPServer

import httpx

from inbox.channels.viber import signature
from tests.channels.standin_http import JsonHandler

TOKEN = "4453b6ac12345678-e02c5f12174805f9-daec9cbb5448c51f"
BOT = {"id": "pa:75346594275468546724", "name": "Woolly Fox", "uri": "woollyfox",
       "icon": "http://example.com/icon.jpg", "subscribers_count": 35}  # fmt: skip


def ok(**more) -> dict:
    return {"status": 0, "status_message": "ok", **more}


def refused(status: int, message: str) -> dict:
    return {"status": status, "status_message": message}


class ViberStandIn:
    def __init__(self, token: str = TOKEN):
        self.token = token
        self.webhook: dict | None = None
        self.sent: list[dict] = []
        self.fetched: list[tuple[str, str, bytes]] = []  # (type, address, bytes) of media sent
        self.send_failures: deque = deque()
        self.unsubscribed: set[str] = set()
        self.media: dict[str, bytes] = {}
        self.downloads: list[str] = []
        self.send_delay = 0.0
        self._tokens = itertools.count(5098034272017990001)
        standin = self

        class Handler(JsonHandler):
            def do_GET(self):
                name = self.path.removeprefix("/media/")
                if name == self.path or name not in standin.media:
                    return self.answer(404, {"error": "not found"})
                standin.downloads.append(name)
                self.send_bytes(standin.media[name])

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                method = self.path.removeprefix("/pa/")
                if self.headers.get("X-Viber-Auth-Token") != standin.token:
                    return self.answer(200, refused(2, "invalidAuthToken"))
                if method == "get_account_info":
                    return self.answer(200, ok(**BOT, webhook=(standin.webhook or {}).get("url")))
                if method == "set_webhook":
                    return self.answer(200, standin._set_webhook(body))
                if method == "send_message":
                    return self.answer(*standin._send(body))
                self.answer(404, {"error": "no such method"})

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def _set_webhook(self, body: dict) -> dict:
        url = str(body.get("url") or "")
        now = int(time.time() * 1000)
        check = json.dumps({"event": "webhook", "timestamp": now, "chat_hostname": "SN-219_",
                            "message_token": next(self._tokens)})  # fmt: skip
        try:
            answer = httpx.post(url, content=check, timeout=5, headers={
                "Content-Type": "application/json",
                "X-Viber-Content-Signature": signature(self.token, check.encode()),
            })  # fmt: skip
        except httpx.HTTPError:
            return refused(1, "invalidUrl")
        if answer.status_code != 200:
            return refused(1, "invalidUrl")
        self.webhook = body
        return ok(event_types=body.get("event_types") or [])

    def _send(self, body: dict) -> tuple[int, dict]:
        if self.send_delay:
            threading.Event().wait(self.send_delay)
        if self.send_failures:
            return self.send_failures.popleft()
        name = (body.get("sender") or {}).get("name")
        text = body.get("text")
        if not isinstance(name, str) or not name or len(name) > 28:
            return 200, refused(3, "badData: sender.name")
        kind = body.get("type")
        if kind in ("picture", "file"):
            problem = self._fetch_media(body)
            if problem:
                return 200, refused(3, f"badData: {problem}")
        elif kind != "text" or not isinstance(text, str) or not 0 < len(text) <= 7000:
            return 200, refused(3, "badData: text")
        if not body.get("receiver"):
            return 200, refused(4, "missingData: receiver")
        if body["receiver"] in self.unsubscribed:
            return 200, refused(6, "receiverNotSubscribed")
        self.sent.append(body)
        return 200, ok(message_token=next(self._tokens), chat_hostname="SN-CHAT-05_")

    def _fetch_media(self, body: dict) -> str | None:
        """What Viber does with a picture or a file: fetch it from the address given."""
        media = str(body.get("media") or "")
        if body["type"] == "picture":
            if len(body.get("text") or "") > 120:
                return "text"
            if not media.split("?")[0].endswith((".jpeg", ".jpg", ".png", ".gif")):
                return "media"
        elif not body.get("file_name") or not isinstance(body.get("size"), int):
            return "file_name, size"
        answer = httpx.get(media, timeout=5)
        if answer.status_code != 200:
            return f"media answered {answer.status_code}"
        if body["type"] == "file" and len(answer.content) != body["size"]:
            return "size"
        self.fetched.append((body["type"], media, answer.content))
        return None

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def message_event(sender: str, token: int, kind: str = "text", name="Maria Koval",
                  avatar: str | None = None, **message) -> bytes:  # fmt: skip
    """A customer's message as Viber posts it."""
    if kind == "text" and "text" not in message:
        message["text"] = ""
    profile = {"id": sender, "name": name, "country": "UA", "language": "uk", "api_version": 10}
    if avatar:
        profile["avatar"] = avatar
    event = {"event": "message", "timestamp": 1764950000000, "chat_hostname": "SN-376_",
             "message_token": token, "sender": profile, "message": {"type": kind, **message},
             "silent": False}  # fmt: skip
    return json.dumps(event).encode()


def status_event(kind: str, token: int, user: str, **more) -> bytes:
    """What became of a message the bot sent: delivered, seen or failed (with desc)."""
    event = {"event": kind, "timestamp": 1764950001000, "chat_hostname": "SN-123_",
             "message_token": token, "user_id": user, **more}  # fmt: skip
    return json.dumps(event).encode()


def event(kind: str, **more) -> bytes:
    return json.dumps({"event": kind, "timestamp": 1764950002000, **more}).encode()


def signed(body: bytes, token: str = TOKEN) -> str:
    return signature(token, body)
