"""Untrusted text shown inside our own: kept as it came, unable to reorder its surroundings."""

import re

# Explicit direction controls, and letters of right-to-left scripts: text with none of them
# cannot reorder what stands beside it, and is left exactly as it is.
_BIDI = re.compile(
    "[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
_EMBEDDINGS = "\u202a\u202b\u202d\u202e"  # LRE RLE LRO RLO, each closed by PDF
_ISOLATES = "\u2066\u2067\u2068"  # LRI RLI FSI, each closed by PDI
PDF, PDI, FSI = "\u202c", "\u2069", "\u2068"


def isolate(text: str) -> str:
    """The text in a first-strong isolate, with every direction control it opens closed
    inside it and closers that match nothing dropped, so that neither an override (U+202E)
    nor a stray U+2069 can reach past its end (Unicode bidi algorithm, UAX #9)."""
    if not _BIDI.search(text):
        return text
    shown: list[str] = []
    open_closers: list[str] = []
    for char in text:
        if char in _EMBEDDINGS:
            open_closers.append(PDF)
        elif char in _ISOLATES:
            open_closers.append(PDI)
        elif char == PDF:
            if not open_closers or open_closers[-1] != PDF:
                continue
            open_closers.pop()
        elif char == PDI:
            if PDI not in open_closers:
                continue
            while open_closers.pop() != PDI:  # a PDI also closes embeddings inside its isolate
                pass
        shown.append(char)
    return FSI + "".join(shown) + "".join(reversed(open_closers)) + PDI
