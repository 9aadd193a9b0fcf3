"""Files a channel holds for us: a message's attachments and a lead's profile photo."""

from datetime import datetime

from inbox.models import Attachment, ChannelFile, FileKind, InboundFile, OutgoingFile
from inbox.store.access import VISIBLE_CHANNEL_IDS
from inbox.store.connection import Cursor
from inbox.store.rows import fetch_model


def insert(
    cur: Cursor,
    channel_id: int,
    found: InboundFile,
    now: datetime,
    message_id: int | None = None,
    contact_id: int | None = None,
) -> int:
    return cur.execute(
        "INSERT INTO channel_files (channel_id, message_id, contact_id, kind, external_file_id,"
        " file_name, mime_type, size_bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " RETURNING id",
        [
            channel_id,
            message_id,
            contact_id,
            found.kind.value,
            found.external_file_id,
            found.file_name,
            found.mime_type,
            found.size_bytes,
            now,
        ],
    ).fetchone()[0]


def of_messages(cur: Cursor, message_ids: list[int]) -> dict[int, list[Attachment]]:
    if not message_ids:
        return {}
    cur.execute(
        "SELECT message_id, id, kind, file_name, mime_type, size_bytes FROM channel_files"
        " WHERE message_id = ANY(?) ORDER BY id",
        [message_ids],
    )
    found: dict[int, list[Attachment]] = {}
    columns = [d[0] for d in cur.description]
    for row in cur.fetchall():
        fields = dict(zip(columns, row, strict=True))
        found.setdefault(fields.pop("message_id"), []).append(Attachment(**fields))
    return found


def visible(cur: Cursor, user_id: int, file_id: int) -> ChannelFile | None:
    """The file, if it belongs to a channel the user sees; the same None when it does not exist."""
    return fetch_model(
        cur,
        ChannelFile,
        "SELECT f.id, f.channel_id, ch.kind AS channel_kind, f.kind, f.external_file_id,"
        " f.file_name, f.mime_type FROM channel_files f JOIN channels ch ON ch.id = f.channel_id"
        f" WHERE f.id = ? AND f.channel_id IN ({VISIBLE_CHANNEL_IDS})",
        [file_id, user_id],
    )


def kept(cur: Cursor, file_id: int) -> bytes | None:
    """The file's bytes, when the inbox keeps them (its channel's addresses expire)."""
    found = cur.execute("SELECT body FROM kept_files WHERE file_id = ?", [file_id]).fetchone()
    return bytes(found[0]) if found else None


def keep(cur: Cursor, file_id: int, body: bytes, now: datetime) -> bool:
    """Keep a fetched file's bytes, once, and its size. True when kept now."""
    added = cur.execute(
        "INSERT INTO kept_files (file_id, body, kept_at) VALUES (?, ?, ?)"
        " ON CONFLICT (file_id) DO NOTHING RETURNING file_id",
        [file_id, body, now],
    ).fetchone()
    if added is not None:
        cur.execute("UPDATE channel_files SET size_bytes = ? WHERE id = ?", [len(body), file_id])
    return added is not None


def external(cur: Cursor, file_ids: list[int]) -> list[tuple[int, str]]:
    """The channel's address of each of these files that is not kept yet."""
    if not file_ids:
        return []
    return cur.execute(
        "SELECT f.id, f.external_file_id FROM channel_files f"
        " LEFT JOIN kept_files k ON k.file_id = f.id"
        " WHERE f.id = ANY(?) AND k.file_id IS NULL ORDER BY f.id",
        [file_ids],
    ).fetchall()


def of_message_ids(cur: Cursor, message_ids: list[int]) -> list[int]:
    if not message_ids:
        return []
    found = cur.execute(
        "SELECT id FROM channel_files WHERE message_id = ANY(?) ORDER BY id", [message_ids]
    ).fetchall()
    return [file_id for (file_id,) in found]


def insert_reply_file(
    cur: Cursor,
    channel_id: int,
    message_id: int,
    kind: FileKind,
    file_name: str,
    mime_type: str,
    body: bytes,
    now: datetime,
) -> int:
    """A file a manager attached to a reply, with its bytes: the platform gets them when the
    reply is sent, and the conversation shows them from here."""
    file_id = cur.execute(
        "INSERT INTO channel_files (channel_id, message_id, kind, external_file_id, file_name,"
        " mime_type, size_bytes, created_at) VALUES (?, ?, ?, '', ?, ?, ?, ?) RETURNING id",
        [channel_id, message_id, kind.value, file_name, mime_type, len(body), now],
    ).fetchone()[0]
    cur.execute(
        "INSERT INTO kept_files (file_id, body, kept_at) VALUES (?, ?, ?)", [file_id, body, now]
    )
    return file_id


def of_reply(cur: Cursor, message_id: int) -> list[OutgoingFile]:
    rows = cur.execute(
        "SELECT f.id, f.kind, f.file_name, f.mime_type, k.body FROM channel_files f"
        " JOIN kept_files k ON k.file_id = f.id WHERE f.message_id = ? ORDER BY f.id",
        [message_id],
    ).fetchall()
    return [
        OutgoingFile(id=i, kind=kind, file_name=name, mime_type=mime, body=bytes(body))
        for i, kind, name, mime, body in rows
    ]


def of_a_reply(cur: Cursor, channel_id: int, file_id: int) -> tuple[str, str, bytes] | None:
    """(name, type, bytes) of a file a manager sent in this channel; None for any other."""
    found = cur.execute(
        "SELECT f.file_name, f.mime_type, k.body FROM channel_files f"
        " JOIN messages m ON m.id = f.message_id JOIN kept_files k ON k.file_id = f.id"
        " WHERE f.id = ? AND f.channel_id = ? AND m.kind = 'manager' AND m.sent_from IS NULL",
        [file_id, channel_id],
    ).fetchone()
    return None if found is None else (found[0] or "file", found[1] or "", bytes(found[2]))
