"""A WhatsApp Cloud API stand-in on 127.0.0.1, speaking what the inbox uses of it, as Meta
documents it (developers.facebook.com/docs/whatsapp/cloud-api).

- GET /{version}/{phone number id}?fields=display_phone_number,verified_name answers the
  number for the token, sent as "Authorization: Bearer"; another token gets Meta's
  OAuthException (code 190, HTTP 401).
- POST /{version}/{phone number id}/messages takes {messaging_product: "whatsapp", to, type,
  text: {body} | template: {name, language: {code}}, context?} and answers
  {messaging_product, contacts: [{input, wa_id}], messages: [{id: "wamid…"}]}. A body that is
  not one of these gets error 100 ("Invalid parameter"); a template it has not approved gets
  132001. `send_failures` queues other answers (status, payload, headers). An image or a
  document is sent by the id of media uploaded before: {type: "image", image: {id, caption?}}
  or {type: "document", document: {id, filename, caption?}}; an unknown id gets error 131053.
- POST /{version}/{phone number id}/media takes a form (messaging_product, type, file) and
  answers {id}; `upload_failures` queues other answers. `uploaded` holds what it took.
- GET /{version}/{media id} answers {url, mime_type, sha256, file_size, id}; the url serves
  the bytes only with the token (else 401), as lookaside.fbsbx.com does.
Webhook posts are built by `post_body`, signed as Meta signs them (`signed`)."""

import hashlib
import itertools
import json
import threading
from collections import deque
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from inbox.channels import meta
from tests.channels.standin_http import JsonHandler, read_form

TOKEN = "EAAG-whatsapp-token-for-tests-0123456789"
APP_SECRET = "whatsapp-app-secret-0123456789"
NUMBER_ID = "106540352242922"
WABA_ID = "102290129340398"
DISPLAY_NUMBER = "+380 44 555 0100"


def graph_error(message: str, code: int, details: str = "", kind="OAuthException") -> dict:
    error = {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEf123"}
    if details:
        error["error_data"] = {"messaging_product": "whatsapp", "details": details}
    return {"error": error}


class WhatsAppStandIn:
    def __init__(self, token: str = TOKEN, templates=("order_update en_US",)):
        self.token = token
        self.templates = set(templates)
        self.sent: list[dict] = []
        self.send_failures: deque = deque()
        self.upload_failures: deque = deque()  # (status, payload) for the next uploads
        self.uploaded: dict[str, dict] = {}  # media id -> file_name, mime_type, body, type
        self.media: dict[str, tuple[str, bytes]] = {}  # media id -> (mime type, body)
        self.downloads: list[str] = []
        self.send_delay = 0.0
        self._ids = itertools.count(1)
        standin = self

        class Handler(JsonHandler):
            def _authorised(self) -> bool:
                if self.headers.get("Authorization") == f"Bearer {standin.token}":
                    return True
                self.answer(401, graph_error("Invalid OAuth access token.", 190))
                return False

            def do_GET(self):
                parts = urlsplit(self.path)
                if parts.path == "/whatsapp_business/attachments/":
                    return standin._download(self, parse_qs(parts.query).get("mid", [""])[0])
                node = parts.path.removeprefix(f"/{meta.VERSION}/")
                if node == parts.path:
                    return self.answer(404, graph_error("Unknown path components", 2500))
                if not self._authorised():
                    return
                if node == NUMBER_ID:
                    return self.answer(200, {"verified_name": "Candle Shop", "id": NUMBER_ID,
                                             "display_phone_number": DISPLAY_NUMBER})  # fmt: skip
                if node in standin.media:
                    mime, body = standin.media[node]
                    return self.answer(200, {
                        "messaging_product": "whatsapp", "id": node, "mime_type": mime,
                        "sha256": hashlib.sha256(body).hexdigest(), "file_size": len(body),
                        "url": f"{standin.base_url}/whatsapp_business/attachments/?mid={node}",
                    })  # fmt: skip
                self.answer(400, graph_error("Unsupported get request.", 100))

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if urlsplit(self.path).path == f"/{meta.VERSION}/{NUMBER_ID}/media":
                    return standin._upload(self, raw)
                body = json.loads(raw)
                if urlsplit(self.path).path != f"/{meta.VERSION}/{NUMBER_ID}/messages":
                    return self.answer(404, graph_error("Unknown path components", 2500))
                if not self._authorised():
                    return
                if standin.send_delay:
                    threading.Event().wait(standin.send_delay)
                if standin.send_failures:
                    status, payload, headers = standin.send_failures.popleft()
                    return self.answer(status, payload, headers)
                problem = standin._check(body)
                if problem:
                    return self.answer(400, problem)
                standin.sent.append(body)
                wamid = f"wamid.sent{next(standin._ids)}"
                self.answer(200, {"messaging_product": "whatsapp",
                                  "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                                  "messages": [{"id": wamid}]})  # fmt: skip

            def answer(self, status, payload, headers=None):
                self._extra = headers or {}
                super().answer(status, payload)

            def end_headers(self):
                for key, value in getattr(self, "_extra", {}).items():
                    self.send_header(key, value)
                self._extra = {}
                super().end_headers()

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def _check(self, body: dict) -> dict | None:
        if body.get("messaging_product") != "whatsapp" or not body.get("to"):
            return graph_error("(#100) Invalid parameter", 100, "messaging_product, to needed")
        if body.get("type") == "text":
            text = (body.get("text") or {}).get("body")
            if not isinstance(text, str) or not text or len(text) > 4096:
                return graph_error("(#100) Invalid parameter", 100, "text.body 1 to 4096")
            return None
        if body.get("type") == "template":
            template = body.get("template") or {}
            key = f"{template.get('name')} {(template.get('language') or {}).get('code')}"
            if key not in self.templates:
                return graph_error(
                    "(#132001) Template name does not exist in the translation", 132001,
                    f"template name ({template.get('name')}) does not exist in "
                    f"{(template.get('language') or {}).get('code')}",
                )  # fmt: skip
            return None
        kind = body.get("type")
        if kind in ("image", "document"):
            media = body.get(kind) or {}
            if media.get("id") not in self.uploaded:
                return graph_error("(#131053) Media upload error", 131053, "unknown media id")
            if kind == "document" and not media.get("filename"):
                return graph_error("(#100) Invalid parameter", 100, "document.filename needed")
            if len(media.get("caption") or "") > 1024:
                return graph_error("(#100) Invalid parameter", 100, "caption up to 1024")
            return None
        return graph_error("(#100) Invalid parameter", 100, f"type {body.get('type')}")

    def _upload(self, handler, raw: bytes) -> None:
        if handler.headers.get("Authorization") != f"Bearer {self.token}":
            return handler.answer(401, graph_error("Invalid OAuth access token.", 190))
        if self.upload_failures:
            status, payload = self.upload_failures.popleft()
            return handler.answer(status, payload)
        fields, files = read_form(handler.headers.get("Content-Type", ""), raw)
        if fields.get("messaging_product") != "whatsapp" or "file" not in files:
            return handler.answer(400, graph_error("(#100) Invalid parameter", 100, "file"))
        media_id = f"media-{next(self._ids)}"
        self.uploaded[media_id] = {**files["file"], "type": fields.get("type")}
        handler.answer(200, {"id": media_id})

    def _download(self, handler, media_id: str) -> None:
        if handler.headers.get("Authorization") != f"Bearer {self.token}":
            return handler.answer(401, graph_error("Invalid OAuth access token.", 190))
        if media_id not in self.media:
            return handler.answer(404, graph_error("Media not found", 100))
        self.downloads.append(media_id)
        mime, body = self.media[media_id]
        handler.send_bytes(body, mime)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def message(sender: str, mid: str, kind: str = "text", **content) -> dict:
    """One item of value.messages, as a customer's message arrives."""
    if kind == "text" and "text" not in content:
        content = {"text": {"body": content.pop("body", "")}}
    return {"from": sender, "id": mid, "timestamp": "1764950000", "type": kind, **content}


def status(wamid: str, state: str, recipient: str = "380671234567", **more) -> dict:
    """One item of value.statuses: what became of a message the business sent."""
    return {"id": wamid, "status": state, "timestamp": "1764950001",
            "recipient_id": recipient, **more}  # fmt: skip


def post_body(messages=(), statuses=(), names=None, number_id: str = NUMBER_ID) -> bytes:
    """A webhook post as Meta sends it for the Cloud API: one entry, one change."""
    names = names or {}
    value: dict = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "380445550100", "phone_number_id": number_id},
    }
    if messages:
        senders = dict.fromkeys(m["from"] for m in messages if isinstance(m, dict) and "from" in m)
        value["contacts"] = [{"profile": {"name": names.get(s, "")}, "wa_id": s} for s in senders]
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = list(statuses)
    entry = {"id": WABA_ID, "changes": [{"value": value, "field": "messages"}]}
    return json.dumps({"object": "whatsapp_business_account", "entry": [entry]}).encode()


def signed(body: bytes, secret: str = APP_SECRET) -> str:
    return meta.signature(secret, body)
