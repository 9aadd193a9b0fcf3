"""What every kind's inbound routes share: their place under /api/channels/, the bound on a
body, and errors as JSON that say what is wrong (a 4xx for bad input, never a 5xx)."""

from starlette.requests import Request
from starlette.responses import JSONResponse

from inbox.errors import Busy, InboxError, InvalidInput, NotFound, PermissionDenied

PREFIX = "/api/channels/"
MAX_BODY_BYTES = 1_000_000  # BodyLimit refuses larger bodies before they are read


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


def channel_id(request: Request) -> int | None:
    """The channel id in the route's path, or None when it is not a number."""
    try:
        return int(request.path_params["channel_id"])
    except ValueError:
        return None
