"""Chats: the list a user sees, and the updates services make to a chat row."""

from datetime import datetime
from typing import Any

from inbox.models import Attachment, ChatFilter, ChatPage, ChatRow, ChatState
from inbox.search import excerpt, name_needle, search_words
from inbox.store import chat_views, files, search_index
from inbox.store.access import VISIBLE_CHANNEL_IDS
from inbox.store.connection import Cursor
from inbox.store.orders import CUSTOMER_TOTALS
from inbox.store.rows import fetch_model, fetch_models

_SELECT_ROWS = """
    SELECT c.id, ct.display_name AS name, ct.avatar_url,
           ch.id AS channel_id, ch.name AS channel_name, ch.icon AS channel_icon,
           ch.kind AS channel_kind, c.state, c.assignee_id, u.name AS assignee_name,
           u.avatar AS assignee_avatar, c.last_message_at, c.last_customer_at, c.badge,
           ct.customer_id, ct.id AS contact_id, c.last_message_id, c.snoozed_until,
           c.found_message_id{extra_columns}
    FROM {chats} c
    JOIN contacts ct ON ct.id = c.contact_id
    JOIN channels ch ON ch.id = c.channel_id
    LEFT JOIN users u ON u.id = c.assignee_id{extra_joins}
"""
# The customer's order total, for the list ordered by money waiting.
_TOTALS_COLUMN = ", COALESCE(stakes.order_total, 0) AS customer_total"
_TOTALS_JOIN = f"""
    LEFT JOIN ({CUSTOMER_TOTALS}) stakes ON stakes.customer_id = ct.customer_id"""
# The list's orders: the latest customer activity first (SPEC C1), or money waiting first, the
# customer's order total times the messages waiting for a reply, then the latest.
_STAKES = {"recent": "0", "value": "COALESCE(stakes.order_total, 0) * chosen.badge"}
_ORDER = "stake DESC, latest DESC, id DESC"
PHONE_DIGITS = 5  # a search with this many digits also looks for them in phone numbers
COUNTED_UP_TO = 1000  # chats in a tab, while searching: more show as "1000+"
# Each state tab's chats: a snoozed chat is open, out of the Open tab until it wakes.
_IN_TAB = {
    "open": "{c}.state = 'open' AND {c}.snoozed_until IS NULL",
    "snoozed": "{c}.state = 'open' AND {c}.snoozed_until IS NOT NULL",
    "closed": "{c}.state = 'closed'",
    "all": "TRUE",
}


class ChatQuery:
    """The chats one user may see, narrowed step by step. Access is the first step, always.
    Every condition is on the chats table itself (a name search asks contacts in a
    subquery), so a page of chats is chosen before anything is joined to it."""

    def __init__(self, user_id: int):
        self.user_id = user_id
        self._where = [f"c.channel_id IN ({VISIBLE_CHANNEL_IDS})"]
        self._params: list[Any] = [user_id]
        self._hits: tuple[str, list[Any]] | None = None  # the messages a search matches
        self.counted_up_to: int | None = None  # None: each tab is counted to its end
        self._by_chat = False  # the search's word is looked up chat by chat

    def _add(self, condition: str, *params: Any) -> "ChatQuery":
        self._where.append(condition)
        self._params.extend(params)
        return self

    def filter_by_id(self, chat_id: int) -> "ChatQuery":
        return self._add("c.id = ?", chat_id)

    def filter_by_state(self, state: str) -> "ChatQuery":
        return self if state == "all" else self._add(_IN_TAB[state].format(c="c"))

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

    def filter_by_search(
        self, text: str, numbers: list[list[int]], engine: str, by_chat: bool = False
    ) -> "ChatQuery":
        """Chats whose lead's name, handle, customer's name, email or phone digits hold the
        text, or with a message that has its words, given as the numbers of the indexed words
        that begin with each (search_index.word_numbers); each chat's latest such message is
        its `found_message_id`. Each tab is counted up to COUNTED_UP_TO. `by_chat`, the word
        (one, common to many messages) is looked up chat by chat in the list's order, up to
        the last chat a tab counts: on PostgreSQL, reading all its messages took 90–125 ms at
        100k chats."""
        if not text:
            return self
        self.counted_up_to = COUNTED_UP_TO
        keys = ["search_key LIKE ? ESCAPE '!'"]
        params: list[Any] = [name_needle(text)]
        digits = "".join(ch for ch in text if ch.isdigit())
        if len(digits) >= PHONE_DIGITS:
            keys.append("search_key LIKE ? ESCAPE '!'")
            params.append(f"%{digits}%")
        matches = [f"c.contact_id IN (SELECT id FROM contacts WHERE {' OR '.join(keys)})"]
        if numbers and all(numbers):
            self._hits = search_index.hits_sql(numbers, engine)
            self._by_chat = by_chat
            if by_chat:
                probe, probe_params = search_index.probe_sql(numbers[0])
                matches.append(probe)
                params.extend(probe_params)
            else:
                matches.append("c.id IN (SELECT chat_id FROM hits)")
        return self._add(f"({' OR '.join(matches)})", *params)

    def _chosen(self, columns: str) -> tuple[str, list[Any]]:
        """The chats that pass, as a query; with a search, it reads the `hits` of a WITH."""
        return f"SELECT {columns} FROM chats c WHERE {' AND '.join(self._where)}", self._params

    def one(self, cur: Cursor) -> ChatRow | None:
        chosen, params = self._chosen("c.*, NULL AS found_message_id")
        select = _SELECT_ROWS.format(chats=f"({chosen})", extra_columns="", extra_joins="")
        row = fetch_model(cur, ChatRow, select, params)
        return _named(cur, [row])[0] if row is not None else None

    def page_and_counts(
        self, cur: Cursor, state: str, limit: int, order: str = "recent"
    ) -> ChatPage:
        """A page of the chats in one state tab (no state filter applied yet), most recent
        customer activity first or the most money waiting first, and how many chats each tab
        holds, in one statement. The page's
        chats are chosen before their names and channels are joined to them (at 100k chats
        the list read was three times slower the other way round); one row more than asked
        tells if there are more."""
        chosen, params = self._chosen(
            "c.id, c.state, c.snoozed_until, c.last_customer_at, c.badge, c.contact_id"
        )
        stakes = ""
        if order == "value":
            stakes = (
                " JOIN contacts ct ON ct.id = chosen.contact_id"
                f" LEFT JOIN ({CUSTOMER_TOTALS}) stakes ON stakes.customer_id = ct.customer_id"
            )
        # A search's matching chats are chosen once for the page and the counts, and the
        # message found in each only for the page's; without a search, or with words common
        # to many messages, each reads the chats for itself (PostgreSQL walks its index of the
        # list's order to the first page, or to the last chat a tab counts).
        hits, hits_params, found_column, found_join = "", [], "NULL", ""
        kept = "NOT MATERIALIZED"
        if self._hits is not None:
            hits, hits_params = f"hits AS ({self._hits[0]}),", self._hits[1]
            found_column = "found.found_message_id"
            found_join = (
                " LEFT JOIN (SELECT chat_id, max(message_id) AS found_message_id FROM hits"
                " WHERE chat_id IN (SELECT id FROM page) GROUP BY chat_id) found"
                " ON found.chat_id = page.id"
            )
            if not self._by_chat:
                kept = "MATERIALIZED"
        found = cur.execute(
            f"WITH {hits} chosen AS {kept} ({chosen}),"
            f" counted AS ({self._counted()}),"
            " page AS (SELECT chosen.id,"
            f" chosen.last_customer_at AS latest, {_STAKES[order]} AS stake"
            f" FROM chosen{stakes} WHERE {_IN_TAB[state].format(c='chosen')}"
            f" ORDER BY {_ORDER} LIMIT ?),"
            f" shown AS (SELECT page.id AS shown_id, {found_column} AS found_message_id,"
            f" row_number() OVER (ORDER BY {_ORDER}) AS place FROM page{found_join})"
            " SELECT open_count, snoozed, closed, shown_id, found_message_id"
            " FROM counted LEFT JOIN shown ON TRUE ORDER BY place",
            [*hits_params, *params, limit + 1],
        ).fetchall()
        counts = dict(zip(("open", "snoozed", "closed"), found[0][:3], strict=True))
        counts["all"] = sum(counts.values())
        if self.counted_up_to is not None:
            counts = {tab: min(count, self.counted_up_to + 1) for tab, count in counts.items()}
        ids = [row[3] for row in found if row[3] is not None]
        rows = _rows_by_id(cur, ids, {row[3]: row[4] for row in found}, order)
        return ChatPage(
            rows=rows[:limit],
            has_more=len(rows) > limit,
            counts=counts,
            counted_up_to=self.counted_up_to,
        )

    def _counted(self) -> str:
        """How many chosen chats each tab holds: all of them, or, looked up chat by chat, up
        to one more than counted_up_to, walking each tab in the list's order."""
        tabs = (("open", "open_count"), ("snoozed", "snoozed"), ("closed", "closed"))
        if not self._by_chat:
            return (
                "SELECT "
                + ", ".join(
                    f"count(*) FILTER (WHERE {_IN_TAB[tab].format(c='chosen')}) AS {name}"
                    for tab, name in tabs
                )
                + " FROM chosen"
            )
        return "SELECT " + ", ".join(
            f"(SELECT count(*) FROM (SELECT 1 FROM chosen WHERE {_IN_TAB[tab].format(c='chosen')}"
            " ORDER BY chosen.last_customer_at DESC, chosen.id DESC"
            f" LIMIT {COUNTED_UP_TO + 1}) t) AS {name}"
            for tab, name in tabs
        )


def _rows_by_id(cur: Cursor, ids: list[int], found: dict, order: str) -> list[ChatRow]:
    """The list's rows of these chats, in this order, each with the message found in it."""
    if not ids:
        return []
    chats_sql = "(SELECT c.*, NULL AS found_message_id FROM chats c WHERE c.id = ANY(?))"
    parts = (_TOTALS_COLUMN, _TOTALS_JOIN) if order == "value" else ("", "")
    select = _SELECT_ROWS.format(chats=chats_sql, extra_columns=parts[0], extra_joins=parts[1])
    by_id = {row.id: row for row in _named(cur, fetch_models(cur, ChatRow, select, [ids]))}
    return [
        by_id[chat_id].model_copy(update={"found_message_id": found.get(chat_id)})
        for chat_id in ids
        if chat_id in by_id
    ]


def _named(cur: Cursor, rows: list[ChatRow]) -> list[ChatRow]:
    """The rows named by their customer's name where the lead is a customer, else the lead's
    own. Read by key for these rows only: joined, DuckDB hashed the whole customers table for
    every list and every chat opened (9 ms of 14 for one chat at 100k chats)."""
    customer_ids = sorted({row.customer_id for row in rows if row.customer_id is not None})
    if not customer_ids:
        return rows
    names = dict(
        cur.execute("SELECT id, name FROM customers WHERE id = ANY(?)", [customer_ids]).fetchall()
    )
    return [
        row.model_copy(update={"name": names[row.customer_id]})
        if names.get(row.customer_id) is not None
        else row
        for row in rows
    ]


def list_for(cur: Cursor, user_id: int, chat_filter: ChatFilter, engine: str) -> ChatPage:
    """A page of the list, and how many chats each state tab holds under the same filters."""
    wanted = search_words(chat_filter.search)
    numbers = search_index.word_numbers(cur, wanted) if wanted else []
    numbers, by_chat = search_index.search_plan(cur, numbers, engine)
    by_chat = by_chat and chat_filter.order == "recent"  # money first needs every chat's stake
    narrowed = (
        ChatQuery(user_id)
        .filter_by_assignee(chat_filter.assignee)
        .filter_by_channel(chat_filter.channel_id)
        .filter_by_answer(chat_filter.answer)
        .filter_by_search(chat_filter.search, numbers, engine, by_chat)
    )
    page = narrowed.page_and_counts(cur, chat_filter.state, chat_filter.limit, chat_filter.order)
    rows = _with_lines(cur, user_id, page.rows, wanted)
    return page.model_copy(update={"rows": rows})


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


def waiting(cur: Cursor, channel_ids: tuple[int, ...], latest: int = 20) -> tuple[int, list]:
    """The open chats of these channels whose customer waits for our answer: how many (the
    tab's title), and the latest of them, as desktop notifications need them (SPEC R3)."""
    if not channel_ids:
        return 0, []
    marks = ", ".join("?" * len(channel_ids))
    rows = cur.execute(
        "SELECT c.id, co.display_name, c.assignee_id, c.created_at, c.last_customer_at,"
        " CASE WHEN m.kind = 'customer' THEN m.text END, count(*) OVER ()"
        " FROM chats c JOIN contacts co ON co.id = c.contact_id"
        " LEFT JOIN messages m ON m.id = c.last_message_id"
        f" WHERE c.channel_id IN ({marks}) AND c.badge > 0 AND {_IN_TAB['open'].format(c='c')}"
        " ORDER BY c.last_customer_at DESC, c.id DESC LIMIT ?",
        [*channel_ids, latest],
    ).fetchall()
    fields = ("id", "name", "assignee_id", "created_at", "at", "text")
    return (rows[0][-1] if rows else 0), [dict(zip(fields, row[:-1], strict=True)) for row in rows]


def count_visible(cur: Cursor, user_id: int) -> int:
    row = cur.execute(
        f"SELECT count(*) FROM chats c WHERE c.channel_id IN ({VISIBLE_CHANNEL_IDS})", [user_id]
    ).fetchone()
    return row[0]


def channel_of(cur: Cursor, chat_id: int) -> int:
    return cur.execute("SELECT channel_id FROM chats WHERE id = ?", [chat_id]).fetchone()[0]


def find_by_contact(cur: Cursor, contact_id: int) -> tuple[int, ChatState, datetime | None] | None:
    """The contact's chat: its id, its state and until when it is snoozed."""
    row = cur.execute(
        "SELECT id, state, snoozed_until FROM chats WHERE contact_id = ?", [contact_id]
    ).fetchone()
    return (row[0], ChatState(row[1]), row[2]) if row else None


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


def snooze(cur: Cursor, chat_id: int, until: datetime | None) -> None:
    cur.execute("UPDATE chats SET snoozed_until = ? WHERE id = ?", [until, chat_id])


def end_snooze(cur: Cursor, chat_id: int, until: datetime) -> bool:
    """Wake the chat if it is still snoozed until exactly then: of two servers, or of a wake
    and the customer's message, one does it."""
    return (
        cur.execute(
            "UPDATE chats SET snoozed_until = NULL WHERE id = ? AND snoozed_until = ? RETURNING id",
            [chat_id, until],
        ).fetchone()
        is not None
    )


def snoozes_ended(cur: Cursor, now: datetime, limit: int) -> list[tuple[int, int, datetime]]:
    """Snoozed chats whose time has come, the earliest first: (id, channel id, until)."""
    return cur.execute(
        "SELECT id, channel_id, snoozed_until FROM chats WHERE snoozed_until <= ?"
        " ORDER BY snoozed_until, id LIMIT ?",
        [now, limit],
    ).fetchall()


def next_snooze_end(cur: Cursor) -> datetime | None:
    return cur.execute("SELECT min(snoozed_until) FROM chats").fetchone()[0]


def set_state(cur: Cursor, chat_id: int, state: ChatState) -> None:
    """Closing a snoozed chat ends its snooze: it has nothing to come back to."""
    cur.execute(
        "UPDATE chats SET state = ?, snoozed_until = NULL WHERE id = ?", [state.value, chat_id]
    )


def open_contacts_in(cur: Cursor, channel_id: int, limit: int) -> list[tuple[str, str]]:
    """(external id, name) of contacts with an open chat in a channel, newest first."""
    return cur.execute(
        "SELECT ct.external_id, ct.display_name FROM chats c"
        " JOIN contacts ct ON ct.id = c.contact_id WHERE c.channel_id = ? AND c.state = 'open'"
        " ORDER BY c.last_customer_at DESC LIMIT ?",
        [channel_id, limit],
    ).fetchall()
