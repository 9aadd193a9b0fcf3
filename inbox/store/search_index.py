"""The words of every customer and staff message, for finding messages by their text.

`message_words` holds one row per word of a message (the word's number, the message, its
chat); `search_words` names each number once, so that a search turns the beginnings of words
into numbers first, and then reads only the messages that have them. A message's words are
written in the transaction that stores the message (two statements, however many messages).
A full scan of message text read 45–90 ms at a million messages on DuckDB; see bench.search.
"""

from collections.abc import Iterable

from inbox.search import KnownWords, like_prefix, word_id, words
from inbox.store.connection import Cursor


def add(
    cur: Cursor, indexed: Iterable[tuple[int, int, str]], known: KnownWords | None = None
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
        "INSERT INTO message_words (word_id, message_id, chat_id)"
        " SELECT unnest(CAST(? AS BIGINT[])), unnest(CAST(? AS BIGINT[])),"
        " unnest(CAST(? AS BIGINT[]))",
        [ids, message_ids, chat_ids],
    )
    return new


def replace(cur: Cursor, message_id: int, chat_id: int, old_text: str, text: str) -> None:
    """A message's text changed (an edit): its words are now those of the new text. Its old
    rows are found by their words, which PostgreSQL has an index for."""
    old_ids = [word_id(word) for word in words(old_text)]
    if old_ids:
        cur.execute(
            "DELETE FROM message_words WHERE word_id = ANY(CAST(? AS BIGINT[])) AND message_id = ?",
            [old_ids, message_id],
        )
    add(cur, [(message_id, chat_id, text)])


def found_chats_sql(wanted: list[str]) -> tuple[str, list]:
    """A query of (chat_id, found_message_id): each chat's latest message that has every one of
    the wanted word beginnings, and its parameters. The first word's rows are read, and kept
    where the message also has each further word."""

    def having(word: str) -> str:
        return "SELECT id FROM search_words WHERE word LIKE ? ESCAPE '!'"

    further = "".join(
        f" AND message_id IN (SELECT message_id FROM message_words"
        f" WHERE word_id IN ({having(word)}))"
        for word in wanted[1:]
    )
    sql = (
        "SELECT chat_id, max(message_id) AS found_message_id FROM message_words"
        f" WHERE word_id IN ({having(wanted[0])}){further} GROUP BY chat_id"
    )
    return sql, [like_prefix(word) for word in wanted]


def backfill(cur: Cursor, batch: int = 5000) -> None:
    """Index the messages stored before the index existed (run once, by its migration)."""
    last = 0
    while True:
        rows = cur.execute(
            "SELECT id, chat_id, text FROM messages WHERE id > ? AND kind <> 'system'"
            " ORDER BY id LIMIT ?",
            [last, batch],
        ).fetchall()
        if not rows:
            return
        add(cur, rows)
        last = rows[-1][0]
