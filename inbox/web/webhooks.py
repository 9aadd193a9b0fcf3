"""Channel webhooks.

POST /api/channels/{id}/messages: a customer message for the generic HTTP channel.

    {"user_id": "visitor-17", "name": "Maria", "message_id": "m-1", "text": "Hello"}

with the channel's secret in the X-Inbox-Secret header. The same message_id twice is stored
once. Bad input gets a 4xx that says what is wrong; nothing is half-stored.

POST /api/channels/{id}/telegram: an update from Telegram for a bot in webhook mode, with the
secret token given to setWebhook in X-Telegram-Bot-Api-Secret-Token.
"""

import asyncio
import logging
from typing import Any

from pydantic import BaseModel, Field, TypeAdapter, ValidationError, field_validator
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from inbox.channels import http as http_channel
from inbox.channels import telegram
from inbox.errors import Busy, InboxError, InvalidInput, NotFound, PermissionDenied
from inbox.models import InboundMessage
from inbox.store import app_store

MAX_BODY_BYTES = 1_000_000  # BodyLimit refuses larger bodies before they are read
TELEGRAM_UPDATE = TypeAdapter(dict[str, Any])

log = logging.getLogger(__name__)


class HttpMessage(BaseModel):
    user_id: str = Field(min_length=1, max_length=200)
    name: str = Field(default="", max_length=500)
    handle: str | None = Field(default=None, max_length=200)
    message_id: str = Field(min_length=1, max_length=200)
    text: str = Field(max_length=100_000)

    @field_validator("text")
    @classmethod
    def _not_blank(cls, text: str) -> str:
        if not text.strip():
            raise ValueError("a message needs some text")
        return text


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def receive(request: Request) -> JSONResponse:
    try:
        channel_id = int(request.path_params["channel_id"])
    except ValueError:
        return _error(404, "No such HTTP channel.")
    body = await request.body()  # bounded by the BodyLimit middleware
    try:
        payload = HttpMessage.model_validate_json(body)
    except ValidationError as error:
        first = error.errors()[0]
        if first["type"] == "json_invalid":  # broken, too deeply nested, not UTF-8
            return _error(400, f"The body must be JSON: {first['msg']}")
        where = ".".join(str(part) for part in first["loc"]) or "body"
        return _error(422, f"{where}: {first['msg']}")
    message = InboundMessage(
        channel_id=channel_id,
        external_user_id=payload.user_id,
        display_name=payload.name,
        handle=payload.handle,
        external_message_id=payload.message_id,
        text=payload.text,
    )
    store = app_store()
    secret = request.headers.get("x-inbox-secret")
    try:
        result = await asyncio.to_thread(
            http_channel.receive_http_message, store, channel_id, secret, message
        )
    except NotFound as error:
        return _error(404, str(error))
    except PermissionDenied as error:
        return _error(403, str(error))
    except InvalidInput as error:
        return _error(422, str(error))
    return JSONResponse(
        {"chat_id": result.chat_id, "message_id": result.message_id, "created": result.created},
        status_code=201 if result.created else 200,
    )


async def receive_telegram(request: Request) -> JSONResponse:
    try:
        channel_id = int(request.path_params["channel_id"])
    except ValueError:
        return _error(404, "No such Telegram channel.")
    try:
        update = TELEGRAM_UPDATE.validate_json(await request.body())
    except ValidationError as error:
        return _error(400, f"The body must be a JSON object: {error.errors()[0]['msg']}")
    secret = request.headers.get("x-telegram-bot-api-secret-token")
    try:
        await asyncio.to_thread(telegram.receive_webhook, app_store(), channel_id, secret, update)
    except NotFound as error:
        return _error(404, str(error))
    except PermissionDenied as error:
        return _error(403, str(error))
    except Busy as error:
        return _error(503, str(error))  # Telegram sends the update again
    except (InboxError, KeyError, TypeError, ValueError) as error:
        # An update we cannot read would come back for ever: skip it, as polling does.
        log.warning("Telegram update skipped on channel %s: %r", channel_id, error)
    return JSONResponse({"ok": True})


routes = [
    Route("/api/channels/{channel_id}/messages", receive, methods=["POST"]),
    Route("/api/channels/{channel_id}/telegram", receive_telegram, methods=["POST"]),
]
