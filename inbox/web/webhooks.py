"""What every kind's inbound routes share: their place under /api/channels/, the bound on a
body, and errors as JSON that say what is wrong (a 4xx for bad input, never a 5xx)."""

from starlette.requests import Request
from starlette.responses import JSONResponse

PREFIX = "/api/channels/"
MAX_BODY_BYTES = 1_000_000  # BodyLimit refuses larger bodies before they are read


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def channel_id(request: Request) -> int | None:
    """The channel id in the route's path, or None when it is not a number."""
    try:
        return int(request.path_params["channel_id"])
    except ValueError:
        return None
