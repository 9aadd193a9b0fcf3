"""A Streamlit session stays with the browser that runs it.

Streamlit hands a session to any websocket that names its id, and a run in flight then sends
the rest of its page to the newcomer. So every run records the login cookie it ran with, and a
websocket naming a session recorded with another cookie (or with none, or unknown) is given a
new session instead (`KeepSessionsWithTheirBrowser`). The same browser reconnecting after a
network blip brings the same cookie and gets its session back."""

import hashlib

from starlette.requests import HTTPConnection

from inbox.recent import Recent
from inbox.services.login_sessions import COOKIE_NAME

MAX_SESSIONS = 100_000  # the oldest are forgotten: a forgotten session is not resumed
_owners = Recent(MAX_SESSIONS)  # session id -> its login cookie, hashed


def digest(cookie: str | None) -> str:
    return hashlib.sha256((cookie or "").encode()).hexdigest()


def record(session_id: str, cookie: str | None) -> None:
    _owners.put(session_id, digest(cookie))


def may_resume(session_id: str, cookie: str | None) -> bool:
    owner = _owners.get(session_id)
    return owner is not None and owner == digest(cookie)


class KeepSessionsWithTheirBrowser:
    """Plain ASGI: blanks the session id a websocket asks to resume unless it is its own."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and scope["path"].endswith("/_stcore/stream"):
            scope = self._checked(scope)
        await self.app(scope, receive, send)

    @staticmethod
    def _checked(scope):
        headers = list(scope["headers"])
        for index, (name, value) in enumerate(headers):
            if name != b"sec-websocket-protocol":
                continue
            entries = [entry.strip() for entry in value.decode("latin-1").split(",")]
            wanted = entries[2] if len(entries) >= 3 else ""
            cookie = HTTPConnection(scope).cookies.get(COOKIE_NAME)
            if wanted and not may_resume(wanted, cookie):
                entries[2] = ""  # Streamlit then starts a new session
                headers[index] = (name, ", ".join(entries).encode("latin-1"))
                subprotocols = [entry for entry in entries if entry]
                return {**scope, "headers": headers, "subprotocols": subprotocols}
        return scope
