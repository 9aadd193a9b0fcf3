"""WhatsApp through Meta's Cloud API (SPEC CH1, CH8).

In: Meta posts to /api/channels/{id}/whatsapp, verified and signed as for Messenger (see
meta.py: the same GET check, X-Hub-Signature-256 with the app secret, one transaction a post,
each message once by its wamid). A post's entry[].changes[].value carries `messages` (text,
media, location, reactions, buttons) and `statuses` of our replies: delivered and read move
their ✓✓, failed makes a reply not delivered with WhatsApp's reason. One Meta app may post the
events of several numbers to one address: those of another number are logged and left.

Media: GET /{version}/{media id} with the token gives a short-lived address, downloaded with the
token too; the file is kept when the message arrives.

Out: POST /{version}/{phone number id}/messages with messaging_product "whatsapp" and the token
as a Bearer token. WhatsApp takes free text only within 24 hours of the customer's last message;
after that only templates the business had approved, listed on the channel, sent by name and
language. INBOX_META_API_URL moves the Graph API address, as for Messenger.
"""

import logging
import secrets
from datetime import timedelta
from typing import Any

from pydantic import ValidationError
from starlette.routing import Route

from inbox.channels import meta
from inbox.channels.base import (
    MB,
    FileRules,
    Kind,
    Limits,
    PermanentFailure,
    Setting,
    Template,
    TemporaryFailure,
    reply_timeout,
)
from inbox.channels.download import fetch_bounded
from inbox.clock import utc_now
from inbox.errors import InvalidInput
from inbox.models import (
    FileKind,
    InboundFile,
    InboundMessage,
    InboundReaction,
    InboundStatus,
    Outgoing,
)
from inbox.settings import load_settings
from inbox.web import webhooks

log = logging.getLogger(__name__)

WINDOW = timedelta(hours=24)
MAX_FILE_BYTES = meta.MAX_FILE_BYTES
CAPTION_LENGTH = 1024
# What the Cloud API sends (its "supported media types"): JPEG and PNG pictures up to 5 MB, and
# documents of the usual office types up to 100 MB.
DOCUMENT_TYPES = frozenset({
    "text/plain", "application/pdf", "application/msword", "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
})  # fmt: skip
SENDS = FileRules(max_files=10, photo_bytes=5 * MB, file_bytes=100 * MB,
                  photo_types=frozenset({"image/jpeg", "image/png"}),
                  file_types=DOCUMENT_TYPES)  # fmt: skip
TOKEN = "access_token"  # the setting
MEDIA = {"image": FileKind.PHOTO, "video": FileKind.VIDEO, "audio": FileKind.AUDIO,
         "document": FileKind.DOCUMENT, "sticker": FileKind.STICKER}  # fmt: skip


def _events(
    platform: meta.Platform, channel_id: int, post: Any, config: dict | None = None
) -> list:
    """What a post carries that the inbox takes, read change by change: a message it cannot
    read is logged and skipped, so Meta does not post it again for ever."""
    number = str((config or {}).get("phone_number_id") or "")
    if not isinstance(post, dict) or post.get("object") != platform.webhook_object:
        log.warning("WhatsApp channel %s: a post of another object skipped", channel_id)
        return []
    taken = []
    for entry in post.get("entry") if isinstance(post.get("entry"), list) else []:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        for change in changes if isinstance(changes, list) else []:
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict) or change.get("field") != "messages":
                log.info("WhatsApp channel %s: a change not taken", channel_id)
                continue
            said = str((value.get("metadata") or {}).get("phone_number_id") or "")
            if number and said != number:
                log.info("WhatsApp channel %s: events of number %s left", channel_id, said[:40])
                continue
            taken += _value(channel_id, value)
    return taken


def _value(channel_id: int, value: dict) -> list:
    names = {}
    for contact in value.get("contacts") if isinstance(value.get("contacts"), list) else []:
        if isinstance(contact, dict) and isinstance(contact.get("profile"), dict):
            names[str(contact.get("wa_id"))] = str(contact["profile"].get("name") or "")[:500]
    taken = []
    for what, read in (("messages", _message), ("statuses", _status)):
        for item in value.get(what) if isinstance(value.get(what), list) else []:
            try:
                found = read(channel_id, item, names) if isinstance(item, dict) else None
            except (ValidationError, TypeError, ValueError, AttributeError, KeyError) as error:
                found = None
                log.warning("WhatsApp channel %s: event unreadable: %s", channel_id, error)
            if found is None:
                kind = item.get("type") or item.get("status") if isinstance(item, dict) else item
                log.info("WhatsApp channel %s: event not taken: %.60s", channel_id, kind)
            else:
                taken.append(found)
    return taken


def _text_of(kind: str, item: dict) -> str | None:
    """The text a message shows, for the kinds that are text; None for the others."""
    if kind == "text":
        body = item["text"]["body"]
        if not isinstance(body, str):
            raise ValueError("a text that is not a string")
        return body
    if kind == "location":
        place = item["location"]
        where = ", ".join(str(place[k]) for k in ("name", "address") if place.get(k))
        at = f"{place.get('latitude')}, {place.get('longitude')}"
        return f"📍 Location: {where} ({at})" if where else f"📍 Location: {at}"
    if kind == "button":
        return str(item["button"].get("text") or "[button]")
    if kind == "interactive":
        answer = item["interactive"]
        chosen = answer.get("button_reply") or answer.get("list_reply") or {}
        return str(chosen.get("title") or "[choice]")
    if kind == "contacts":
        people = [
            str((person.get("name") or {}).get("formatted_name") or "")
            + "".join(f" {p.get('phone')}" for p in person.get("phones") or [] if p.get("phone"))
            for person in item["contacts"]
        ]
        return "👤 Contact: " + "; ".join(p.strip() for p in people if p.strip())
    return None


def _message(channel_id: int, item: dict, names: dict[str, str]):
    sender, mid, kind = str(item["from"]), str(item["id"]), str(item.get("type") or "")
    if kind == "reaction":
        reaction = item["reaction"]
        to, emoji = reaction.get("message_id") or "", reaction.get("emoji") or ""
        return InboundReaction(
            channel_id=channel_id, external_user_id=sender, external_message_id=mid,
            reacted_to=str(to), emoji=str(emoji),
        )  # fmt: skip
    text, attachments = _text_of(kind, item), []
    if text is None and kind in MEDIA:
        media = item[kind]
        attachments = [
            InboundFile(
                kind=FileKind.VOICE if media.get("voice") else MEDIA[kind],
                external_file_id=str(media["id"]),
                file_name=str(media["filename"])[:500] if media.get("filename") else None,
                mime_type=str(media.get("mime_type") or "").split(";")[0] or None,
            )
        ]
        text = str(media.get("caption") or "")
    if text is None:
        return None  # "unsupported", "system", "order", … acknowledged and logged
    return InboundMessage(
        channel_id=channel_id, external_user_id=sender, display_name=names.get(sender, ""),
        external_message_id=mid, text=text, attachments=attachments,
    )  # fmt: skip


def _status(channel_id: int, item: dict, names: dict[str, str]):
    errors = item.get("errors") if isinstance(item.get("errors"), list) else []
    reason = ""
    if errors and isinstance(errors[0], dict):
        error = errors[0]
        details = (error.get("error_data") or {}).get("details") or error.get("message") or ""
        title = error.get("title") or "not delivered"
        reason = f"WhatsApp: {title} (code {error.get('code')})" + (
            f": {details}" if details and details != title else ""
        )
    return InboundStatus(
        channel_id=channel_id, external_user_id=str(item["recipient_id"]),
        external_message_id=str(item["id"]), status=item["status"], reason=reason[:1000],
    )  # fmt: skip


WHATSAPP = meta.Platform(
    name="whatsapp",
    label="WhatsApp",
    app="WhatsApp",
    webhook_object="whatsapp_business_account",
    limits=Limits(text_length=4096, file_bytes=MAX_FILE_BYTES, quotes=True, sends=SENDS),
    profile_fields="",  # each post names its senders
    webhook_fields="messages",
    reader=_events,
)


def templates(config: dict[str, Any]) -> list[Template]:
    """The channel's templates, one a line: "name language", and after "|" what it says."""
    found = []
    for line in config.get("templates") or []:
        head, _, text = str(line).partition("|")
        name, _, language = head.strip().partition(" ")
        found.append(Template(name=name, language=language.strip(), text=text.strip()))
    return found


def _clean_templates(lines: list[str]) -> list[str]:
    cleaned = []
    for line in lines:
        head, _, text = line.partition("|")
        parts = head.split()
        if len(parts) != 2 or not all(c.isalnum() or c == "_" for c in parts[0]):
            raise InvalidInput(
                f"“{line[:80]}”: a template is its name and language, as in the WhatsApp "
                "manager (order_update en_US), then optionally “|” and what it says."
            )
        cleaned.append(f"{parts[0].lower()} {parts[1]}" + (f" | {text.strip()}" if text else ""))
    return cleaned


def send(outgoing: Outgoing) -> str | None:
    """A template, or the text; each file is uploaded first (nothing the customer sees), then
    sent as an image or a document, a short text as the first one's caption."""
    config = outgoing.channel_settings
    number = str(config.get("phone_number_id") or "")
    if not number:
        raise PermanentFailure("This channel has no phone number id: an administrator sets it.")
    body: dict[str, Any] = {"messaging_product": "whatsapp", "recipient_type": "individual",
                            "to": outgoing.recipient}  # fmt: skip
    timeout = reply_timeout(config, meta.SEND_TIMEOUT_SECONDS)

    def message(content: dict[str, Any]) -> str | None:
        answer = meta.graph(config, "POST", f"{number}/messages", timeout,
                            body={**body, **content}, token_key=TOKEN)  # fmt: skip
        sent = answer.get("messages")
        return str(sent[0].get("id") or "") or None if isinstance(sent, list) and sent else None

    if outgoing.template:
        name, _, language = outgoing.template.partition(" ")
        return message({"type": "template",
                        "template": {"name": name, "language": {"code": language}}})  # fmt: skip
    wrote = outgoing.customer_wrote_at
    if wrote is not None and utc_now() - wrote >= WINDOW:
        raise PermanentFailure(
            "WhatsApp takes free text only within 24 hours of the customer's last message, "
            "and that time has passed: send one of the channel's templates."
        )
    quote = {}
    if outgoing.reply_to_external_id:
        quote = {"context": {"message_id": outgoing.reply_to_external_id}}
    text = outgoing.text
    caption = text if outgoing.files and len(text) <= CAPTION_LENGTH else ""
    parts = []
    if text and not caption:
        parts.append(lambda: message({"type": "text", **quote,
                                      "text": {"preview_url": False, "body": text}}))  # fmt: skip
    waiting = outgoing.files[max(0, outgoing.parts_sent - len(parts)) :]
    media = {each.id: _upload(config, number, each) for each in waiting}  # all before any send
    for index, each in enumerate(outgoing.files):
        kind = "image" if each.kind == FileKind.PHOTO else "document"
        content: dict[str, Any] = {"id": media.get(each.id, "")}
        if kind == "document":
            content["filename"] = each.file_name
        if index == 0 and caption:
            content["caption"] = caption
        first = quote if not parts else {}
        parts.append(lambda k=kind, c=content, q=first: message({"type": k, k: c, **q}))
    return outgoing.send_parts(parts)


def _upload(config: dict[str, Any], number: str, each) -> str:
    """The media id WhatsApp gives a file uploaded for sending."""
    found = meta.graph(
        config, "POST", f"{number}/media", meta.FILE_TIMEOUT_SECONDS, token_key=TOKEN,
        body={"messaging_product": "whatsapp", "type": each.mime_type},
        upload={"file": (each.file_name, each.body, each.mime_type)},
    )  # fmt: skip
    media_id = str(found.get("id") or "")
    if not media_id:
        raise TemporaryFailure("WhatsApp took the file but gave no id for it.")
    return media_id


def fetch_file(config: dict[str, Any], media_id: str) -> bytes:
    """A customer's file: its address from the media id, then the bytes, both with the token."""
    found = meta.graph(config, "GET", media_id, meta.FILE_TIMEOUT_SECONDS, token_key=TOKEN)
    address = str(found.get("url") or "")
    if not address.startswith(("http://", "https://")):
        raise PermanentFailure("WhatsApp gave no address for this file.")
    headers = {"Authorization": f"Bearer {config.get(TOKEN) or ''}"}
    return fetch_bounded(address, "WhatsApp", MAX_FILE_BYTES, meta.FILE_TIMEOUT_SECONDS, headers)


def _clean_number(value: Any) -> str:
    value = str(value or "").strip()
    if not value.isdigit() or len(value) > 30:
        raise InvalidInput(
            "The phone number id is the number WhatsApp Manager → API Setup shows under the "
            "phone number (digits only), not the phone number itself."
        )
    return value


def _connect(channel_id: int, config: dict[str, Any], token: str) -> dict:
    """A token is kept once WhatsApp knows it for the channel's number."""
    number = str(config.get("phone_number_id") or "")
    if not number:
        raise InvalidInput("Set the phone number id first, then paste the token.")
    try:
        found = meta.graph({**config, TOKEN: token}, "GET", number,
                           meta.SEND_TIMEOUT_SECONDS, token_key=TOKEN,
                           params={"fields": "display_phone_number,verified_name"})  # fmt: skip
    except (TemporaryFailure, PermanentFailure) as failure:
        raise InvalidInput(f"WhatsApp did not accept this token: {failure}") from failure
    return {TOKEN: token, "verified_name": found.get("verified_name"),
            "display_phone_number": found.get("display_phone_number")}  # fmt: skip


def status(channel_id: int, config: dict[str, Any], problem: str | None) -> list[str]:
    lines = []
    if config.get("verified_name") and not problem:
        number = config.get("display_phone_number")
        lines.append(f"Connected as {config['verified_name']}" + (f" ({number})" if number else ""))
    elif not config.get(TOKEN):
        lines.append("Not connected: set the phone number id, then paste the access token.")
    public_url = (load_settings().public_url or "<INBOX_PUBLIC_URL>").rstrip("/")
    lines.append(f"Callback URL for the Meta app: {public_url}{webhook_path(channel_id)}")
    lines.append("Subscribe the WhatsApp Business Account to: messages")
    count = len(templates(config))
    lines.append(f"Templates for replies after 24 hours: {count or 'none yet'}")
    return lines


def webhook_path(channel_id: int) -> str:
    return meta.webhook_path(WHATSAPP, channel_id)


SETTINGS = (
    Setting("phone_number_id", "Phone number id", required=True, max_length=30,
            placeholder="1234567890123456", clean=_clean_number,
            help="WhatsApp Manager → API Setup, under the phone number."),
    Setting(TOKEN, "Access token", widget="secret", required=True,
            placeholder="EAAG… a system user's permanent token", clean=meta.clean_token,
            prepare=_connect),
    Setting("app_secret", "App secret", widget="secret", required=True,
            help="App settings → Basic: Meta signs every post with it.",
            clean=meta.clean_secret),
    Setting("verify_token", "Verify token", widget="generated", required=True,
            help="Paste it into the Meta app beside the callback URL."),
    Setting("templates", "Approved templates", widget="lines", max_length=4000,
            placeholder="order_update en_US | Your order is on its way",
            clean=_clean_templates,
            help="One a line: name and language as approved, then “|” and what it says. "
                 "After 24 hours WhatsApp takes only these."),
)  # fmt: skip

KIND = Kind(
    name=WHATSAPP.name,
    label=WHATSAPP.label,
    send=send,
    limits=WHATSAPP.limits,
    routes=[
        Route(
            f"{webhooks.PREFIX}{{channel_id}}/whatsapp",
            meta.endpoint(WHATSAPP),
            methods=["GET", "POST"],
        )
    ],  # fmt: skip
    fetch_file=fetch_file,
    start_settings=lambda: {"verify_token": secrets.token_urlsafe(24)},
    settings=SETTINGS,
    status=status,
    reply_window=lambda config: WINDOW,
    app=WHATSAPP.app,
    keeps_files=True,
    templates=templates,
)
