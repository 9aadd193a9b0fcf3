from datetime import datetime

from inbox.models import Contact, Note
from inbox.search import name_key
from inbox.store.connection import Cursor
from inbox.store.rows import fetch_model, fetch_models

_COLUMNS = "id, channel_id, external_id, display_name, handle, avatar_url, customer_id"


def find_external(cur: Cursor, channel_id: int, external_id: str) -> Contact | None:
    return fetch_model(
        cur,
        Contact,
        f"SELECT {_COLUMNS} FROM contacts WHERE channel_id = ? AND external_id = ?",
        [channel_id, external_id],
    )


def find_many(cur: Cursor, channel_id: int, external_ids: list[str]) -> list[Contact]:
    """The contacts among these ids of the channel, in one query (a batch's people)."""
    return fetch_models(
        cur,
        Contact,
        f"SELECT {_COLUMNS} FROM contacts WHERE channel_id = ? AND external_id = ANY(?)",
        [channel_id, external_ids],
    )


def get(cur: Cursor, contact_id: int) -> Contact | None:
    return fetch_model(cur, Contact, f"SELECT {_COLUMNS} FROM contacts WHERE id = ?", [contact_id])


def insert(
    cur: Cursor,
    channel_id: int,
    external_id: str,
    display_name: str,
    handle: str | None,
    avatar_url: str | None,
    now: datetime,
) -> Contact:
    key = name_key(display_name, handle, None, None, None)
    return fetch_model(
        cur,
        Contact,
        "INSERT INTO contacts (channel_id, external_id, display_name, handle, avatar_url,"
        f" search_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING {_COLUMNS}",
        [channel_id, external_id, display_name, handle, avatar_url, key, now],
    )


def rename(cur: Cursor, contact_id: int, name: str) -> None:
    cur.execute("UPDATE contacts SET display_name = ? WHERE id = ?", [name, contact_id])
    refresh_search_keys(cur, "ct.id = ?", contact_id)


def refresh_search_keys(cur: Cursor, which: str, value: int) -> None:
    """The name search's key of the contacts `which` picks (a condition on ct, one parameter),
    after their names or their customer's details changed."""
    rows = cur.execute(
        "SELECT ct.id, ct.display_name, ct.handle, cu.name, cu.email, cu.phone FROM contacts ct"
        f" LEFT JOIN customers cu ON cu.id = ct.customer_id WHERE {which}",
        [value],
    ).fetchall()
    if not rows:
        return
    cur.execute(
        "UPDATE contacts SET search_key = k.search_key FROM (SELECT"
        " unnest(CAST(? AS BIGINT[])) AS id, unnest(CAST(? AS VARCHAR[])) AS search_key) k"
        " WHERE k.id = contacts.id",
        [[row[0] for row in rows], [name_key(*row[1:]) for row in rows]],
    )


def backfill_search_keys(cur: Cursor) -> None:
    """The keys of contacts stored before they had one (run once, by its migration)."""
    refresh_search_keys(cur, "ct.search_key IS NULL AND ct.id > ?", 0)


def set_avatar(cur: Cursor, contact_id: int, url: str) -> None:
    cur.execute("UPDATE contacts SET avatar_url = ? WHERE id = ?", [url, contact_id])


def link_customer(cur: Cursor, contact_id: int, customer_id: int) -> None:
    cur.execute("UPDATE contacts SET customer_id = ? WHERE id = ?", [customer_id, contact_id])
    refresh_search_keys(cur, "ct.id = ?", contact_id)


def insert_note(cur: Cursor, contact_id: int, author_id: int, text: str, now: datetime) -> int:
    return cur.execute(
        "INSERT INTO notes (contact_id, author_id, text, created_at) VALUES (?, ?, ?, ?)"
        " RETURNING id",
        [contact_id, author_id, text, now],
    ).fetchone()[0]


def notes(cur: Cursor, contact_id: int) -> list[Note]:
    """Newest first, as a card shows them."""
    return notes_of(cur, [contact_id])


def notes_of(cur: Cursor, contact_ids: list[int]) -> list[Note]:
    return fetch_models(
        cur,
        Note,
        "SELECT n.id, n.contact_id, n.author_id, u.name AS author_name, n.text, n.created_at"
        " FROM notes n JOIN users u ON u.id = n.author_id"
        " WHERE n.contact_id = ANY(?) ORDER BY n.created_at DESC, n.id DESC",
        [contact_ids],
    )
