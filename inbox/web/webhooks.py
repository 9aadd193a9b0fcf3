"""What every kind's inbound routes share: their place under /api/channels/, the bound on a
body, and errors as JSON that say what is wrong (a 4xx for bad input, never a 5xx)."""

from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse

from inbox.errors import Busy, InboxError, InvalidInput, NotFound, PermissionDenied
from inbox.models import Channel
from inbox.store import Store, channels

PREFIX = "/api/channels/"
MAX_BODY_BYTES = 1_000_000  # BodyLimit refuses larger bodies before they are read


def download(name: str) -> dict[str, str]:
    """The headers that hand a file over as a download under its own name, never as a page."""
    return {
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}",
        "X-Content-Type-Options": "nosniff",
    }


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def refusal(failure: InboxError, invalid_status: int = 400) -> JSONResponse:
    """A refusal as the platform should take it: no such channel 404, a wrong secret or a
    disabled channel 403, bad input `invalid_status`, a busy store 503 (the platform posts
    again)."""
    if isinstance(failure, NotFound):
        return error(404, str(failure))
    if isinstance(failure, PermissionDenied):
        return error(403, str(failure))
    if isinstance(failure, InvalidInput):
        return error(invalid_status, str(failure))
    if isinstance(failure, Busy):
        return error(503, str(failure))
    raise failure


def channel_of_kind(
    store: Store, channel_id: int, kind: str, missing: str
) -> tuple[Channel, dict[str, Any]]:
    """The channel a post names, with its settings; NotFound (`missing`) unless it is one of
    this kind."""
    with store.read() as cur:
        channel = channels.get(cur, channel_id)
        config = (channels.settings(cur, channel_id) or {}) if channel else {}
    if channel is None or channel.kind != kind:
        raise NotFound(missing)
    return channel, config


def channel_id(request: Request) -> int | None:
    """The channel id in the route's path, or None when it is not a number."""
    try:
        return int(request.path_params["channel_id"])
    except ValueError:
        return None
