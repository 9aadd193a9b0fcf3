"""The words of every customer and staff message, for finding messages by their text.

One row per word of a message (the word's number, the message, its chat), in two tables:
`recent_message_words` takes the words of new messages, written in the transaction that stores
the message (two statements, however many messages); once there are enough of them they join
`message_words`, which DuckDB keeps in word order, so that a search reads only the stored
blocks that hold its words. `search_words` names each number once, so that a search turns the
beginnings of words into numbers first, and then reads only the messages that have them.
A full scan of message text read 45–90 ms at a million messages on DuckDB; see bench.search.
"""

from collections.abc import Iterable

from inbox.search import KnownWords, like_prefix, word_id, words
from inbox.store.connection import Cursor


def add(
    cur: Cursor,
    indexed: Iterable[tuple[int, int, str]],
    known: KnownWords | None = None,
    table: str = "recent_message_words",
) -> list[int]:
    """Index messages given as (message id, chat id, text); returns the numbers of the words
    written to search_words, all but those `known` holds."""
    ids: list[int] = []
    message_ids: list[int] = []
    chat_ids: list[int] = []
    named: dict[int, str] = {}
    for message_id, chat_id, text in indexed:
        for word in words(text):
            number = word_id(word)
            named[number] = word
            ids.append(number)
            message_ids.append(message_id)
            chat_ids.append(chat_id)
    if not ids:
        return []
    new = sorted(known.unknown(list(named)) if known else named)  # one lock order
    if new:
        cur.execute(
            "INSERT INTO search_words (id, word) SELECT unnest(CAST(? AS BIGINT[])),"
            " unnest(CAST(? AS VARCHAR[])) ON CONFLICT DO NOTHING",
            [new, [named[number] for number in new]],
        )
    cur.execute(
        f"INSERT INTO {table} (word_id, message_id, chat_id)"
        " SELECT unnest(CAST(? AS BIGINT[])), unnest(CAST(? AS BIGINT[])),"
        " unnest(CAST(? AS BIGINT[]))",
        [ids, message_ids, chat_ids],
    )
    return new


def replace(cur: Cursor, message_id: int, chat_id: int, old_text: str, text: str) -> None:
    """A message's text changed (an edit): its words are now those of the new text. Its old
    rows are found by their words, which PostgreSQL has an index for."""
    old_ids = [word_id(word) for word in words(old_text)]
    for table in TABLES:
        if old_ids:
            cur.execute(
                f"DELETE FROM {table} WHERE word_id = ANY(CAST(? AS BIGINT[])) AND message_id = ?",
                [old_ids, message_id],
            )
    add(cur, [(message_id, chat_id, text)])


def word_numbers(cur: Cursor, wanted: list[str]) -> list[list[int]]:
    """The numbers of the indexed words that begin with each wanted one, in one read: as
    numbers, a search's query has them as values, which each engine plans and scans better
    (DuckDB skips the stored blocks without them, PostgreSQL knows how common each is)."""
    found = cur.execute(
        "SELECT id, word FROM search_words WHERE "
        + " OR ".join("word LIKE ? ESCAPE '!'" for _ in wanted),
        [like_prefix(word) for word in wanted],
    ).fetchall()
    return [[number for number, word in found if word.startswith(begin)] for begin in wanted]


def hits_sql(numbers: list[list[int]], engine: str) -> tuple[str, list]:
    """A query of (chat_id, message_id): the messages that have a word of each list of word
    numbers, and its parameters. The first list's rows are read (put the rarest first), and
    kept where the same message has a word of each further list, looked up message by
    message (a message's words are all in one of the tables)."""

    def having(table: str) -> str:
        further = ""
        for k in range(1, len(numbers)):
            same = (
                f"SELECT 1 FROM {table} w{k} WHERE w{k}.word_id = ANY(?)"
                f" AND w{k}.chat_id = w.chat_id AND w{k}.message_id = w.message_id"
            )
            # PostgreSQL would hash all of a further word's rows first, however few messages
            # the first word is in; a limit in a subquery makes it look each one up.
            further += (
                f" AND EXISTS (SELECT 1 FROM ({same} LIMIT 1) w{k})"
                if engine == "postgresql"
                else f" AND EXISTS ({same})"
            )
        return f"SELECT w.chat_id, w.message_id FROM {table} w WHERE w.word_id = ANY(?){further}"

    return " UNION ALL ".join(having(table) for table in TABLES), list(numbers) * len(TABLES)


def probe_sql(numbers: list[int]) -> tuple[str, list]:
    """A condition on a chat `c`: it has a message with one of these words, looked up by
    chat (on PostgreSQL an index probe per chat), and its parameters."""
    # As in hits_sql: a limit in a subquery keeps PostgreSQL from hashing all the word's rows.
    one = (
        "EXISTS (SELECT 1 FROM (SELECT 1 FROM {table} w WHERE w.word_id = ANY(?)"
        " AND w.chat_id = c.id LIMIT 1) one)"
    )
    conditions = " OR ".join(one.format(table=table) for table in TABLES)
    return f"({conditions})", [numbers] * len(TABLES)


def search_plan(cur: Cursor, numbers: list[list[int]], engine: str) -> tuple[list, bool]:
    """How to look for messages with a word of each list of word numbers: the lists, the one
    in fewest messages first, and whether to look the word up chat by chat (chats.ChatQuery),
    for one word (and the few it begins) in so many messages that PostgreSQL took 90–125 ms
    to read them all. It counts each list's messages up to COMMON_FROM (one read), unless
    there is nothing to choose."""
    if not (numbers and all(numbers)) or (len(numbers) == 1 and engine != "postgresql"):
        return numbers, False
    counts = ", ".join(
        "(SELECT count(*) FROM ("
        + " UNION ALL ".join(
            f"(SELECT 1 FROM {table} WHERE word_id = ANY(?) LIMIT {COMMON_FROM})"
            for table in TABLES
        )
        + ") w)"
        for _ in numbers
    )
    found = cur.execute(f"SELECT {counts}", [each for each in numbers for _ in TABLES]).fetchone()
    ordered = [each for _, each in sorted(zip(found, numbers, strict=True), key=lambda p: p[0])]
    common = min(found) >= COMMON_FROM and len(ordered[0]) <= COMMON_WORDS_AT_MOST
    return ordered, engine == "postgresql" and len(ordered) == 1 and common


COMMON_FROM = 20_000  # messages
COMMON_WORDS_AT_MOST = 20  # words a search's word begins: more would make each probe slow
TABLES = ("message_words", "recent_message_words")
# New messages' words join message_words once there are this many; on DuckDB, which then
# rewrites message_words in word order (1.5 s at 9M rows), once they are an eighth of it too.
# Until then a search reads the recent ones whole (DuckDB: 1 ms a million).
RECENT_AT_MOST = 200_000


def ordering_due(cur: Cursor, engine: str, at_least: int = RECENT_AT_MOST) -> bool:
    recent = cur.execute(
        "SELECT count(*) FROM (SELECT 1 FROM recent_message_words LIMIT ?) r", [at_least]
    ).fetchone()[0]
    if recent < at_least or engine != "duckdb":
        return recent >= at_least
    recent, ordered = cur.execute(
        "SELECT (SELECT count(*) FROM recent_message_words), (SELECT count(*) FROM message_words)"
    ).fetchone()
    return recent * 8 >= ordered


def put_in_order(cur: Cursor, engine: str) -> int:
    """Move the recent words into message_words, in word order on DuckDB (PostgreSQL's index
    keeps the order); returns how many moved. Two servers at once move each row once: a row
    is moved by the one whose delete took it."""
    if engine == "duckdb":
        moved = cur.execute("SELECT count(*) FROM recent_message_words").fetchone()[0]
        cur.execute(
            "CREATE TABLE message_words_in_order AS SELECT * FROM ("
            " SELECT * FROM message_words UNION ALL SELECT * FROM recent_message_words)"
            " ORDER BY word_id, chat_id, message_id"
        )
        cur.execute("DROP TABLE message_words")
        cur.execute("ALTER TABLE message_words_in_order RENAME TO message_words")
        cur.execute("DELETE FROM recent_message_words")
        return moved
    return cur.execute(
        "WITH moved AS (DELETE FROM recent_message_words RETURNING word_id, message_id, chat_id),"
        " put AS (INSERT INTO message_words (word_id, message_id, chat_id)"
        " SELECT * FROM moved RETURNING 1)"
        " SELECT count(*) FROM put"
    ).fetchone()[0]


def backfill(cur: Cursor, batch: int = 5000) -> None:
    """Index the messages stored before the index existed (run once, by its migration, before
    there were recent words)."""
    last = 0
    while True:
        rows = cur.execute(
            "SELECT id, chat_id, text FROM messages WHERE id > ? AND kind <> 'system'"
            " ORDER BY id LIMIT ?",
            [last, batch],
        ).fetchall()
        if not rows:
            return
        add(cur, rows, table="message_words")
        last = rows[-1][0]
