"""GET /api/files/{id}: a file a customer sent, or a lead's profile photo, for logged-in staff
who see its channel. Our server fetches it from the channel, so no channel token or address
reaches the browser. Only image, audio and video types a browser plays are served inline;
anything else is a download, so a file cannot run as a page of ours."""

import asyncio
import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from inbox.channels.base import PermanentFailure, TemporaryFailure
from inbox.errors import NotFound
from inbox.models import ChannelFile, FileKind
from inbox.services import channel_files
from inbox.store import app_store
from inbox.web import webhooks
from inbox.web.login import user_of

log = logging.getLogger(__name__)

INLINE_TYPES = {
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "audio/ogg",
    "audio/mpeg",
    "audio/mp4",
    "video/mp4",
    "video/webm",
}
TYPE_OF_KIND = {
    FileKind.PHOTO: "image/jpeg",
    FileKind.PROFILE_PHOTO: "image/jpeg",
    FileKind.VOICE: "audio/ogg",
}


def _headers(found: ChannelFile) -> tuple[str, dict[str, str]]:
    media_type = (found.mime_type or TYPE_OF_KIND.get(found.kind) or "").lower()
    headers = {"Cache-Control": "private, max-age=86400"}
    if media_type not in INLINE_TYPES:
        name = found.file_name or f"file-{found.id}"
        headers |= webhooks.download(name)
        media_type = "application/octet-stream"
    return media_type, headers


async def serve_file(request: Request) -> Response:
    user = await user_of(request)
    if user is None:
        return JSONResponse({"error": "Log in to see this file."}, status_code=401)
    try:
        file_id = int(request.path_params["file_id"])
        found, body = await asyncio.to_thread(channel_files.fetch, app_store(), user, file_id)
    except (ValueError, NotFound):
        return JSONResponse({"error": "No such file."}, status_code=404)
    except (TemporaryFailure, PermanentFailure) as failure:
        log.warning("File %s could not be fetched: %s", request.path_params["file_id"], failure)
        return JSONResponse({"error": f"The channel did not hand it over: {failure}"}, 502)
    media_type, headers = _headers(found)
    return Response(body, media_type=media_type, headers=headers)


routes = [Route("/api/files/{file_id}", serve_file, methods=["GET"])]
