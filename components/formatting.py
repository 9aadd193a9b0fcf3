"""Display helpers: times in the viewer's zone, initials, and untrusted text made inert."""

import html
import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from inbox.clock import in_zone
from inbox.text import isolate

# Every ASCII punctuation character may be backslash-escaped in Markdown; escaping them all
# leaves no link, image, emphasis, directive (:red[...]) or formula ($...$) to interpret.
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def viewer_zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def list_time(moment: datetime, zone: ZoneInfo, now: datetime) -> str:
    """The time of day for today, else the date (SPEC C2). Both arguments are naive UTC."""
    when = in_zone(moment, zone)
    today = in_zone(now, zone).date()
    if when.date() == today:
        return when.strftime("%H:%M")
    if when.year == today.year:
        return when.strftime("%d %b")
    return when.strftime("%d %b %Y")


def full_time(moment: datetime, zone: ZoneInfo) -> str:
    return in_zone(moment, zone).strftime("%d %b %Y, %H:%M")


def initials(name: str | None) -> str:
    parts = [p for p in (name or "").replace("_", " ").replace("@", " ").split() if p]
    letters = [next((c for c in p if c.isalnum()), "") for p in parts[:2]]
    return "".join(letters).upper() or "?"


def markdown_plain(text: str) -> str:
    """Text for a place that renders Markdown (a button label), shown exactly as typed and
    isolated, so that direction controls in it cannot reorder the rest of the label."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", isolate(" ".join(text.split())))


def html_plain(text: str) -> str:
    """Text for our own HTML, shown exactly as typed (tags and entities become characters)
    and isolated like `markdown_plain`."""
    return html.escape(isolate(text), quote=True)


def cents(value) -> Decimal:
    """A number from a widget (a float) as money: exact to the cent."""
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
