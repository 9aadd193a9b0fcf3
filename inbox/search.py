"""The words of message text, as the search index keeps them and a search asks for them.

A word is a run of letters, digits or underscores, case-folded, in any script: "Доставка",
"ДОСТАВКА" and "доставка" are one word. A search finds messages that have every word it was
given, each as the beginning of a word ("дост" finds "доставка").
"""

import hashlib
import re
import threading

_WORD = re.compile(r"\w+")
MAX_WORD = 40  # longer runs (a link's path, a base64 blob) are kept up to this length
MAX_WORDS_PER_MESSAGE = 2000  # distinct words indexed of one message (a long email's body)
MAX_SEARCH_WORDS = 5
MIN_SEARCH_WORD = 2  # shorter words find names, not messages


def words(text: str) -> list[str]:
    """The distinct words of a message, in the order they first appear."""
    found = dict.fromkeys(word[:MAX_WORD] for word in _WORD.findall(text.casefold()))
    return list(found)[:MAX_WORDS_PER_MESSAGE]


def name_key(*texts: str | None) -> str:
    """What a name search looks in for one contact: its name and handle, its customer's name
    and email, case-folded, and the customer's phone as digits, one per line."""
    parts = [" ".join((text or "").split()).casefold() for text in texts[:-1]]
    phone = "".join(ch for ch in (texts[-1] or "") if ch.isdigit())
    return "\n".join([*parts, phone])


def name_needle(search: str) -> str:
    """A LIKE pattern (escape character '!') for keys that hold the search anywhere."""
    text = " ".join(search.split()).casefold()
    return "%" + text.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%"


def word_id(word: str) -> int:
    """A word's number in the index, the same on every server and engine (a signed 64-bit
    integer): a message's words are stored without first looking each one up."""
    digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def search_words(search: str) -> list[str]:
    """The words a search looks for in messages; none when it has no word long enough."""
    found = [word for word in words(search) if len(word) >= MIN_SEARCH_WORD]
    return found[:MAX_SEARCH_WORDS]


def like_prefix(word: str) -> str:
    """A LIKE pattern for words that begin with `word` (escape character '!'); a word holds
    no wildcard but '_'."""
    return word.replace("_", "!_") + "%"


def excerpt(text: str, wanted: list[str], width: int = 80) -> list[tuple[str, bool]]:
    """One line of a message around the first of the wanted words in it, as pieces of text
    each marked True where it is a word the search asked for; about `width` characters."""
    line = " ".join(text.split())
    pattern = "|".join(re.escape(word) for word in sorted(wanted, key=len, reverse=True))
    matches = list(re.finditer(rf"(?<!\w)(?:{pattern})\w*", line, re.IGNORECASE)) if wanted else []
    if not matches:
        return [(_clip(line, width), False)]
    lead = max(0, matches[0].start() - width // 3)
    if lead > 0:  # start at a word
        space = line.find(" ", lead, matches[0].start())
        lead = space + 1 if space != -1 else lead
    end = min(len(line), lead + width)
    pieces: list[tuple[str, bool]] = [("…", False)] if lead > 0 else []
    shown = lead
    for match in matches:
        if match.start() >= end:
            break
        pieces += [(line[shown : match.start()], False), (line[match.start() : match.end()], True)]
        shown = match.end()
    if shown < end:
        pieces.append((line[shown:end], False))
    if end < len(line):
        pieces.append(("…", False))
    return [(piece, marked) for piece, marked in pieces if piece]


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


class KnownWords:
    """Numbers of words this process knows to be committed to one store's index: a batch
    leaves them out of what it writes to search_words, where words are never deleted."""

    LIMIT = 300_000  # then it starts again, rather than grow for ever

    def __init__(self) -> None:
        self._ids: set[int] = set()
        self._lock = threading.Lock()

    def unknown(self, ids: list[int]) -> list[int]:
        with self._lock:
            return [number for number in ids if number not in self._ids]

    def remember(self, ids: list[int]) -> None:
        """After the commit that wrote them: a rolled-back word is not taken for known."""
        with self._lock:
            if len(self._ids) + len(ids) > self.LIMIT:
                self._ids.clear()
            self._ids.update(ids)
