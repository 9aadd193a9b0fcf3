"""Files a manager attaches to a reply (SPEC M5). Each is checked against the chat's channel
before anything is stored, so one refused file stops the whole reply: nothing is half-sent.

What a file is comes from its bytes, not from its name or what the browser said: only a real
JPEG, PNG, GIF or WebP goes as a photo; anything else is a document, and a file that claims
to be a picture but is not one is kept as a plain download."""

import mimetypes
from dataclasses import dataclass

from inbox.channels import registry
from inbox.channels.base import MB
from inbox.errors import InvalidInput
from inbox.models import FileKind, Upload

NAME_LENGTH = 200
SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
UNKNOWN_TYPE = "application/octet-stream"


@dataclass(frozen=True)
class ReplyFile:
    kind: FileKind
    file_name: str
    mime_type: str
    body: bytes


def picture_type(body: bytes) -> str | None:
    """The picture type the bytes are, or None."""
    if body[:4] == b"RIFF" and body[8:12] == b"WEBP":
        return "image/webp"
    return next((mime for start, mime in SIGNATURES if body.startswith(start)), None)


def size_text(size_bytes: int) -> str:
    if size_bytes < MB:
        return f"{max(1, round(size_bytes / 1024))} KB"
    return f"{size_bytes / MB:.1f}".removesuffix(".0") + " MB"


def clean_name(name: str) -> str:
    """The file's own name, without a path or control characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    printable = "".join(c for c in base if c.isprintable()).strip()
    return printable[:NAME_LENGTH] or "file"


def _document_type(upload: Upload, name: str) -> str:
    said = upload.mime_type.strip().lower() or mimetypes.guess_type(name)[0] or UNKNOWN_TYPE
    # A picture type its bytes do not bear out could be anything: a download, never shown.
    return UNKNOWN_TYPE if said.startswith("image/") else said


def prepare(channel_kind: str, uploads: list[Upload]) -> list[ReplyFile]:
    """The files as the chat's channel sends them; InvalidInput naming the first that it does
    not take, and why."""
    if not uploads:
        return []
    kind = registry.kind(channel_kind)
    rules = kind.limits.sends
    platform = kind.app or kind.label
    if rules is None:
        raise InvalidInput(f"{platform} chats take text only: this reply cannot carry files.")
    if len(uploads) > rules.max_files:
        raise InvalidInput(
            f"{platform} takes at most {rules.max_files} files with one reply; "
            f"this one has {len(uploads)}."
        )
    prepared = []
    for upload in uploads:
        name, size = clean_name(upload.name), len(upload.body)
        if not size:
            raise InvalidInput(f"“{name}” is empty.")
        picture = picture_type(upload.body)
        if picture in rules.photo_types and size <= rules.photo_bytes:
            prepared.append(ReplyFile(FileKind.PHOTO, name, picture, upload.body))
            continue
        if not rules.file_bytes:
            if picture in rules.photo_types:
                raise InvalidInput(
                    f"“{name}” is {size_text(size)}: {platform} takes pictures of at most "
                    f"{size_text(rules.photo_bytes)}."
                )
            shown = ", ".join(sorted(t.split("/")[1].upper() for t in rules.photo_types))
            raise InvalidInput(f"{platform} takes only pictures ({shown}); “{name}” is not one.")
        if size > rules.file_bytes:
            raise InvalidInput(
                f"“{name}” is {size_text(size)}: {platform} takes files of at most "
                f"{size_text(rules.file_bytes)}."
            )
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if extension in rules.refused_extensions:
            raise InvalidInput(f"{platform} does not carry .{extension} files (“{name}”).")
        mime = picture or _document_type(upload, name)
        if rules.file_types is not None and mime not in rules.file_types:
            raise InvalidInput(f"{platform} does not take files of this type (“{name}”).")
        prepared.append(ReplyFile(FileKind.DOCUMENT, name, mime, upload.body))
    return prepared


def largest_file(channel_kind: str) -> int:
    """The largest file a reply in the channel may carry, in bytes; 0 when it takes none."""
    rules = registry.kind(channel_kind).limits.sends
    return max(rules.photo_bytes, rules.file_bytes) if rules else 0


def upload_limit() -> int:
    """The largest body the browser's upload of one attached file may be: the largest file
    any channel takes, with room for the form around it."""
    return max(largest_file(kind.name) for kind in registry.KINDS) + 64 * 1024


def accepted_note(channel_kind: str) -> str:
    """What the reply box says its channel takes, or "" when it takes no files."""
    kind = registry.kind(channel_kind)
    rules = kind.limits.sends
    if rules is None:
        return ""
    pictures = f"pictures up to {size_text(rules.photo_bytes)}"
    if rules.file_bytes:
        pictures += f", other files up to {size_text(rules.file_bytes)}"
    return f"Up to {rules.max_files} files: {pictures}."
