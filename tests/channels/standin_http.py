"""What the stand-in servers share: a quiet request handler that answers JSON, and a wait for
what they see."""

import json
import threading
import time
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def read_form(content_type: str, body: bytes) -> tuple[dict[str, str], dict[str, dict]]:
    """A multipart/form-data body: its text fields, and its files (field -> file_name,
    mime_type, body)."""
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    fields, files = {}, {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if part.get_filename() is not None:
            files[name] = {
                "file_name": part.get_filename(),
                "mime_type": part.get_content_type(),
                "body": part.get_payload(decode=True),
            }
        else:
            fields[name] = part.get_payload(decode=True).decode()
    return fields, files


class JsonHandler(BaseHTTPRequestHandler):
    def answer(self, status: int, payload) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting: it happens in the timeout tests

    def send_bytes(self, body: bytes, content_type: str = "application/octet-stream") -> None:
        """A file, as a platform's file server answers."""
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


class LocalServer:
    """A small server of a test's own on 127.0.0.1, answering in a thread: `url`, `close`."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]):
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
