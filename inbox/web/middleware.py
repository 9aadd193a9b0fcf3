"""ASGI middleware around every response, Streamlit's own included: bounded request bodies and
security headers. Plain ASGI rather than BaseHTTPMiddleware, so bodies stream through unread."""

import base64
import hashlib
import re
from pathlib import Path


def _plain(status: int, text: str) -> tuple[dict, dict]:
    body = text.encode()
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ],
    }
    return start, {"type": "http.response.body", "body": body}


class BodyLimit:
    """Refuse a request whose body is over its route's limit: by Content-Length before reading
    a byte, and by counting while a chunked body arrives, stopping at the limit."""

    def __init__(self, app, limits: dict[str, int], default: int):
        self.app = app
        self.limits = sorted(limits.items(), key=lambda item: -len(item[0]))
        self.default = default

    def limit_for(self, path: str) -> int:
        return next(
            (limit for prefix, limit in self.limits if path.startswith(prefix)), self.default
        )

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.limit_for(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            return await self._refuse(send, limit)

        received = 0
        started = refused = False

        async def bounded_receive():
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused = True
                    if not started:
                        await self._refuse(send, limit)
                    return {"type": "http.disconnect"}  # the app stops reading here
            return message

        async def watched_send(message):
            nonlocal started
            if refused:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, bounded_receive, watched_send)
        except Exception:
            if not refused:  # the app's complaint about the cut-off body is answered already
                raise

    @staticmethod
    async def _refuse(send, limit: int) -> None:
        for message in _plain(413, f"The request body is too large (at most {limit:,} bytes)."):
            await send(message)


def _inline_script_hashes(page: Path) -> list[str]:
    """A page's inline scripts, allowed by their hashes and nothing else."""
    scripts = re.findall(r"<script>(.*?)</script>", page.read_text(), flags=re.S)
    digests = (hashlib.sha256(script.encode()).digest() for script in scripts)
    return [f"'sha256-{base64.b64encode(digest).decode()}'" for digest in digests]


def content_security_policy(pages: list[Path]) -> str:
    hashes = [digest for page in pages for digest in _inline_script_hashes(page)]
    script_src = " ".join(["'self'", *dict.fromkeys(hashes)])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {script_src}",
            # Streamlit's components style themselves at run time, and st.html carries <style>.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "media-src 'self' data: blob:",
            "worker-src 'self' blob:",
            "frame-src 'self'",
            "frame-ancestors 'self'",
            "form-action 'self'",
            "base-uri 'self'",
            "object-src 'none'",
        ]
    )


class SecurityHeaders:
    """Every HTTP response says: no framing by other sites, no MIME sniffing, no referrer to
    other sites, and a Content Security Policy that the app works under. `pages` are Streamlit's
    page and the components' pages, whose inline scripts the policy allows by hash."""

    def __init__(self, app, pages: list[Path]):
        self.app = app
        self.headers = [
            (b"content-security-policy", content_security_policy(pages).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
            (b"x-frame-options", b"SAMEORIGIN"),
        ]

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in self.headers if name not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
