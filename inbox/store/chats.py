"""Chats: the list a user sees, and the updates services make to a chat row."""

from datetime import datetime
from typing import Any

from inbox.models import Attachment, ChatFilter, ChatPage, ChatRow, ChatState
from inbox.search import excerpt, search_words
from inbox.store import chat_views, files, search_index
from inbox.store.access import VISIBLE_CHANNEL_IDS
from inbox.store.connection import Cursor
from inbox.store.orders import CUSTOMER_TOTALS
from inbox.store.rows import fetch_model, fetch_models

_SELECT_ROWS = """
    SELECT c.id, COALESCE(cu.name, ct.display_name) AS name, ct.avatar_url,
           ch.id AS channel_id, ch.name AS channel_name, ch.icon AS channel_icon,
           ch.kind AS channel_kind, c.state, c.assignee_id, u.name AS assignee_name,
           u.avatar AS assignee_avatar, c.last_message_at, c.last_customer_at, c.badge,
           ct.customer_id, ct.id AS contact_id, c.last_message_id{extra_columns}
    FROM {chats} c
    JOIN contacts ct ON ct.id = c.contact_id
    JOIN channels ch ON ch.id = c.channel_id
    LEFT JOIN users u ON u.id = c.assignee_id
    LEFT JOIN customers cu ON cu.id = ct.customer_id{extra_joins}
"""
# The customer's order total, for the list ordered by money waiting.
_TOTALS_COLUMN = ", COALESCE(stakes.order_total, 0) AS customer_total"
_TOTALS_JOIN = f"""
    LEFT JOIN ({CUSTOMER_TOTALS}) stakes ON stakes.customer_id = ct.customer_id"""
_PHONE_DIGITS = "regexp_replace(COALESCE(cu.phone, ''), '[^0-9]', '', 'g')"
_ORDERS = {
    "recent": "ORDER BY c.last_customer_at DESC, c.id DESC",
    "value": "ORDER BY COALESCE(stakes.order_total, 0) * c.badge DESC,"
    " c.last_customer_at DESC, c.id DESC",
}


class ChatQuery:
    """The chats one user may see, narrowed step by step. Access is the first step, always."""

    def __init__(self, user_id: int):
        self.user_id = user_id
        self._where = [f"c.channel_id IN ({VISIBLE_CHANNEL_IDS})"]
        self._params: list[Any] = [user_id]
        self._by_name = False  # a condition on names, which live in contacts and customers
        self._found: tuple[str, list[Any]] | None = None  # chats with messages that match

    def _add(self, condition: str, *params: Any) -> "ChatQuery":
        self._where.append(condition)
        self._params.extend(params)
        return self

    def filter_by_id(self, chat_id: int) -> "ChatQuery":
        return self._add("c.id = ?", chat_id)

    def filter_by_state(self, state: str) -> "ChatQuery":
        return self if state == "all" else self._add("c.state = ?", state)

    def filter_by_assignee(self, assignee: str | int) -> "ChatQuery":
        if assignee == "all":
            return self
        if assignee == "mine":
            return self._add("c.assignee_id = ?", self.user_id)
        if assignee == "unassigned":
            return self._add("c.assignee_id IS NULL")
        return self._add("c.assignee_id = ?", int(assignee))

    def filter_by_channel(self, channel_id: int | None) -> "ChatQuery":
        return self if channel_id is None else self._add("c.channel_id = ?", channel_id)

    def filter_by_answer(self, answer: str) -> "ChatQuery":
        """ "waiting": the customer wrote after our last reply; "answered": they did not."""
        if answer == "any":
            return self
        return self._add("c.badge > 0" if answer == "waiting" else "c.badge = 0")

    def filter_by_search(self, text: str) -> "ChatQuery":
        """Chats whose name, handle, customer's email or phone digits hold the text, or with a
        message that has its words (each chat's latest such message is `found_message_id`)."""
        if not text:
            return self
        self._by_name = True
        needle = text.lower()
        matches = [
            "strpos(lower(ct.display_name), ?) > 0",
            "strpos(lower(COALESCE(cu.name, '')), ?) > 0",
            "strpos(lower(COALESCE(ct.handle, '')), ?) > 0",
            "strpos(lower(COALESCE(cu.email, '')), ?) > 0",
        ]
        params: list[Any] = [needle] * len(matches)
        digits = "".join(ch for ch in text if ch.isdigit())
        if len(digits) >= 3:
            matches.append(f"strpos({_PHONE_DIGITS}, ?) > 0")
            params.append(digits)
        wanted = search_words(text)
        if wanted:
            self._found = search_index.found_chats_sql(wanted)
            matches.append("f.found_message_id IS NOT NULL")
        return self._add(f"({' OR '.join(matches)})", *params)

    def _sql(self, order: str = "", limit: bool = False) -> tuple[str, list[Any]]:
        columns, joins, params = "", "", []
        if order == "value":
            columns, joins = _TOTALS_COLUMN, _TOTALS_JOIN
        if self._found is not None:
            found_sql, params = self._found
            columns += ", f.found_message_id"
            joins += f"\n    LEFT JOIN ({found_sql}) f ON f.chat_id = c.id"
        params = [*params, *self._params]
        order_sql = _ORDERS[order] if order else ""
        limit_sql = " LIMIT ?" if limit else ""
        where = " AND ".join(self._where)
        if self._by_name or joins:
            select = _SELECT_ROWS.format(chats="chats", extra_columns=columns, extra_joins=joins)
            return f"{select} WHERE {where} {order_sql}{limit_sql}", params
        # The chats are chosen from their own table first: the joins then see a page of rows,
        # not every chat (at 100k chats the list read was three times slower).
        chosen = f"(SELECT * FROM chats c WHERE {where} {order_sql}{limit_sql})"
        select = _SELECT_ROWS.format(chats=chosen, extra_columns=columns, extra_joins=joins)
        return f"{select} {order_sql}", params

    def page(self, cur: Cursor, limit: int, order: str = "recent") -> ChatPage:
        """Most recent customer activity first, or the most money waiting first; one row more
        than asked tells if there are more."""
        sql, params = self._sql(order, limit=True)
        rows = fetch_models(cur, ChatRow, sql, [*params, limit + 1])
        return ChatPage(rows=rows[:limit], has_more=len(rows) > limit)

    def one(self, cur: Cursor) -> ChatRow | None:
        return fetch_model(cur, ChatRow, *self._sql())

    def count_by_state(self, cur: Cursor) -> dict[str, int]:
        """How many of the chats are open, closed, and both (no state filter applied yet):
        from the chats alone, and the names and the messages found where searched."""
        joins, params = "", list(self._params)
        if self._by_name:
            joins = (
                " JOIN contacts ct ON ct.id = c.contact_id"
                " LEFT JOIN customers cu ON cu.id = ct.customer_id"
            )
        if self._found is not None:
            found_sql, found_params = self._found
            joins += f" LEFT JOIN ({found_sql}) f ON f.chat_id = c.id"
            params = [*found_params, *params]
        open_count, closed_count = cur.execute(
            "SELECT count(*) FILTER (WHERE c.state = 'open'),"
            f" count(*) FILTER (WHERE c.state = 'closed') FROM chats c{joins}"
            f" WHERE {' AND '.join(self._where)}",
            params,
        ).fetchone()
        return {"open": open_count, "closed": closed_count, "all": open_count + closed_count}


def list_for(cur: Cursor, user_id: int, chat_filter: ChatFilter) -> ChatPage:
    """A page of the list, and how many chats each state tab holds under the same filters."""
    narrowed = (
        ChatQuery(user_id)
        .filter_by_assignee(chat_filter.assignee)
        .filter_by_channel(chat_filter.channel_id)
        .filter_by_answer(chat_filter.answer)
        .filter_by_search(chat_filter.search)
    )
    counts = narrowed.count_by_state(cur)
    page = narrowed.filter_by_state(chat_filter.state).page(
        cur, chat_filter.limit, chat_filter.order
    )
    rows = _with_lines(cur, user_id, page.rows, search_words(chat_filter.search))
    return page.model_copy(update={"rows": rows, "counts": counts})


def _with_lines(cur: Cursor, user_id: int, rows: list[ChatRow], wanted: list[str]) -> list[ChatRow]:
    """The rows with their last message's line, the viewer's dot, and the excerpt of the
    message a search found: read by key for the page's rows only."""
    wanted_ids = {row.last_message_id for row in rows} | {row.found_message_id for row in rows}
    wanted_ids.discard(None)
    if not wanted_ids:
        return rows
    lines = {
        message_id: (kind, author_id, author_name, text, sent_from)
        for message_id, kind, author_id, author_name, text, sent_from in cur.execute(
            "SELECT m.id, m.kind, m.author_id, u.name, m.text, m.sent_from FROM messages m"
            " LEFT JOIN users u ON u.id = m.author_id WHERE m.id = ANY(?)",
            [sorted(wanted_ids)],
        ).fetchall()
    }
    wordless = [i for i, line in lines.items() if not line[3].strip()]
    attached = files.of_messages(cur, wordless)
    seen = chat_views.seen_up_to(cur, user_id, [row.id for row in rows])
    decorated = []
    for row in rows:
        update: dict[str, Any] = {}
        last = lines.get(row.last_message_id)
        if last is not None:
            kind, author_id, author_name, text, sent_from = last
            update["last_line"] = _first_line(text) or _files_line(
                attached.get(row.last_message_id, [])
            )
            if author_id == user_id:
                update["last_by"] = "You"
            elif kind == "manager":
                update["last_by"] = (author_name or "").split(" ")[0] or "Staff"
            update["unseen"] = author_id != user_id and row.last_message_id > seen.get(row.id, 0)
        if row.found_message_id in lines:
            update["found_excerpt"] = excerpt(lines[row.found_message_id][3], wanted)
        decorated.append(row.model_copy(update=update))
    return decorated


LINE_WIDTH = 80
_FILE_LINES = {"photo": "📷 Photo", "video": "🎬 Video", "voice": "🎤 Voice message",
               "audio": "🎵 Audio", "sticker": "Sticker"}  # fmt: skip


def _first_line(text: str) -> str:
    line = next((line for line in text.splitlines() if line.strip()), "")
    line = " ".join(line.split())
    return line if len(line) <= LINE_WIDTH else line[: LINE_WIDTH - 1].rstrip() + "…"


def _files_line(attached: list[Attachment]) -> str:
    if not attached:
        return ""
    first = attached[0]
    return _FILE_LINES.get(first.kind.value) or f"📎 {_first_line(first.file_name or 'File')}"


def visible(cur: Cursor, user_id: int, chat_id: int) -> ChatRow | None:
    """The chat if this user may see it, else None: callers say 'not found' either way."""
    return ChatQuery(user_id).filter_by_id(chat_id).one(cur)


def any_visible(cur: Cursor, user_id: int) -> bool:
    return cur.execute(
        f"SELECT EXISTS (SELECT 1 FROM chats c WHERE c.channel_id IN ({VISIBLE_CHANNEL_IDS}))",
        [user_id],
    ).fetchone()[0]


def count_visible(cur: Cursor, user_id: int) -> int:
    row = cur.execute(
        f"SELECT count(*) FROM chats c WHERE c.channel_id IN ({VISIBLE_CHANNEL_IDS})", [user_id]
    ).fetchone()
    return row[0]


def channel_of(cur: Cursor, chat_id: int) -> int:
    return cur.execute("SELECT channel_id FROM chats WHERE id = ?", [chat_id]).fetchone()[0]


def find_by_contact(cur: Cursor, contact_id: int) -> tuple[int, ChatState] | None:
    row = cur.execute("SELECT id, state FROM chats WHERE contact_id = ?", [contact_id]).fetchone()
    return (row[0], ChatState(row[1])) if row else None


def insert(cur: Cursor, channel_id: int, contact_id: int, now: datetime) -> int:
    return cur.execute(
        "INSERT INTO chats (channel_id, contact_id, last_customer_at, last_message_at, created_at)"
        " VALUES (?, ?, ?, ?, ?) RETURNING id",
        [channel_id, contact_id, now, now, now],
    ).fetchone()[0]


def unsubscribed_at(cur: Cursor, chat_id: int) -> datetime | None:
    """When the customer unsubscribed, while that is later than their last message."""
    found = cur.execute(
        "SELECT unsubscribed_at FROM chats WHERE id = ? AND unsubscribed_at > last_customer_at",
        [chat_id],
    ).fetchone()
    return found[0] if found else None


def set_unsubscribed(cur: Cursor, chat_id: int, at: datetime | None) -> None:
    cur.execute("UPDATE chats SET unsubscribed_at = ? WHERE id = ?", [at, chat_id])


_LAST = "last_message_id = greatest(COALESCE(last_message_id, 0), ?)"


def record_customer_message(
    cur: Cursor, chat_id: int, now: datetime, message_id: int, count: int = 1
) -> None:
    """A customer wrote (`count` messages, the last `message_id`): the chat rises to the top
    and its badge grows."""
    cur.execute(
        "UPDATE chats SET badge = badge + ?, last_customer_at = greatest(last_customer_at, ?),"
        f" last_message_at = greatest(last_message_at, ?), {_LAST} WHERE id = ?",
        [count, now, now, message_id, chat_id],
    )


def record_message_elsewhere(cur: Cursor, chat_id: int, now: datetime, message_id: int) -> None:
    """The shop wrote from the platform's own app: the badge and the chat's place stay."""
    cur.execute(
        f"UPDATE chats SET last_message_at = greatest(last_message_at, ?), {_LAST} WHERE id = ?",
        [now, message_id, chat_id],
    )


def record_manager_message(cur: Cursor, chat_id: int, now: datetime, message_id: int) -> None:
    """A manager replied: the badge is cleared; the chat keeps its place in the list."""
    cur.execute(
        "UPDATE chats SET badge = 0, last_message_at = greatest(last_message_at, ?),"
        f" {_LAST} WHERE id = ?",
        [now, message_id, chat_id],
    )


def claim_if_unassigned(cur: Cursor, chat_id: int, user_id: int) -> bool:
    """Make the user responsible unless someone already is; True if this call did it."""
    claimed = cur.execute(
        "UPDATE chats SET assignee_id = ? WHERE id = ? AND assignee_id IS NULL RETURNING id",
        [user_id, chat_id],
    ).fetchone()
    return claimed is not None


def set_assignee(cur: Cursor, chat_id: int, user_id: int | None) -> None:
    cur.execute("UPDATE chats SET assignee_id = ? WHERE id = ?", [user_id, chat_id])


def set_state(cur: Cursor, chat_id: int, state: ChatState) -> None:
    cur.execute("UPDATE chats SET state = ? WHERE id = ?", [state.value, chat_id])


def open_contacts_in(cur: Cursor, channel_id: int, limit: int) -> list[tuple[str, str]]:
    """(external id, name) of contacts with an open chat in a channel, newest first."""
    return cur.execute(
        "SELECT ct.external_id, ct.display_name FROM chats c"
        " JOIN contacts ct ON ct.id = c.contact_id WHERE c.channel_id = ? AND c.state = 'open'"
        " ORDER BY c.last_customer_at DESC LIMIT ?",
        [channel_id, limit],
    ).fetchall()
