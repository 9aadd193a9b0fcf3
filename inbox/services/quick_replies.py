"""Quick replies (SPEC M6): saved answers the whole team shares, managed by everyone who works
in Chats, inserted into a reply with their variables filled from the chat at that moment."""

import re
from datetime import datetime

from inbox.errors import ChangedMeanwhile, InvalidInput, NotFound, PermissionDenied
from inbox.models import WEBSITE_VISITOR, CustomerCard, QuickReply, Shop, User
from inbox.services.common import UNCHECKED, merged_form, now_or_utc, require_text
from inbox.store import Cursor, Store
from inbox.store import quick_replies as replies_store
from inbox.store.access import VISIBLE_CHANNEL_IDS
from inbox.store.rows import fetch_value

TITLE_LENGTH = 80
TEXT_LENGTH = 4000
VARIABLES = (
    "customer.first_name",
    "manager.name",
    "order.number",
    "order.total",
    "order.status",
    "shop.name",
)
# What a variable looks like, known or not: a word, a dot, a word, in braces.
_VARIABLE = re.compile(r"\{\s*([A-Za-z_]+\.[A-Za-z_]+)\s*\}")
GONE = "This quick reply was deleted meanwhile."


def _require_chats(cur: Cursor, actor: User) -> None:
    """Everyone who works in Chats (sees a channel) manages the list, as the store says now
    (a deactivated user sees none)."""
    if not fetch_value(cur, f"SELECT count(*) FROM ({VISIBLE_CHANNEL_IDS}) v", [actor.id]):
        raise PermissionDenied("Only people who work in Chats can change the quick replies.")


def _checked(title: str, text: str) -> tuple[str, str]:
    title = " ".join(require_text(title, "A quick reply's title", TITLE_LENGTH).split())
    text = require_text(text, "A quick reply's text", TEXT_LENGTH)
    unknown = sorted({name for name in _VARIABLE.findall(text) if name not in VARIABLES})
    if unknown:
        names = ", ".join(f"{{{name}}}" for name in unknown)
        known = ", ".join(f"{{{name}}}" for name in VARIABLES)
        raise InvalidInput(f"There is no variable {names}. The variables are {known}.")
    return title, text


def list_all(store: Store) -> list[QuickReply]:
    with store.read() as cur:
        return replies_store.list_all(cur)


def add(store: Store, actor: User, title: str, text: str, now: datetime | None = None):
    title, text = _checked(title, text)
    with store.write() as cur:
        _require_chats(cur, actor)
        reply_id = replies_store.insert(cur, title, text, actor.id, now_or_utc(now))
        return replies_store.get(cur, reply_id)


def edit(
    store: Store,
    actor: User,
    reply_id: int,
    title: str,
    text: str,
    *,
    drawn: QuickReply = UNCHECKED,
    now: datetime | None = None,
) -> QuickReply:
    """`drawn` is the quick reply as the form showed it: a field someone else changed since is
    kept, or the change is refused with what it holds now."""
    title, text = _checked(title, text)
    with store.write() as cur:
        _require_chats(cur, actor)
        stored = replies_store.get(cur, reply_id)
        if stored is None:
            raise NotFound(GONE)
        new = merged_form(
            drawn, {"title": title, "text": text}, stored,
            lambda field, value: f"its {field} “{value}”",
        )  # fmt: skip
        if new:
            replies_store.update(
                cur, reply_id, new["title"], new["text"], actor.id, now_or_utc(now)
            )
        return replies_store.get(cur, reply_id)


def delete(store: Store, actor: User, reply_id: int, *, drawn: QuickReply = UNCHECKED) -> None:
    """A quick reply someone changed since the list was drawn is kept: its new text is shown
    before anyone deletes it."""
    with store.write() as cur:
        _require_chats(cur, actor)
        stored = replies_store.get(cur, reply_id)
        if stored is None:
            raise NotFound(GONE)
        if drawn is not UNCHECKED and (drawn.title, drawn.text) != (stored.title, stored.text):
            raise ChangedMeanwhile(
                f"{stored.changed_by_name} changed this quick reply meanwhile: it is kept. "
                "Look at it again before deleting it."
            )
        replies_store.delete(cur, reply_id)


# --- filling -------------------------------------------------------------------------------


def _first_name(card: CustomerCard) -> str | None:
    name = card.customer.name if card.customer else card.contact.display_name
    if not name or "@" in name or name == WEBSITE_VISITOR:
        return None
    first = name.split()[0]
    return first if any(ch.isalpha() for ch in first) else None


def values(card: CustomerCard | None, manager: User, shop: Shop) -> dict[str, str | None]:
    """What each variable stands for in this chat now; None where the chat has no value (no
    customer name, no order in progress)."""
    order = card.active_orders[0] if card and card.active_orders else None  # the latest
    return {
        "customer.first_name": _first_name(card) if card else None,
        "manager.name": manager.name,
        "order.number": order.number if order else None,
        "order.total": f"{order.total:,.2f}" if order else None,
        "order.status": order.status.value.replace("_", " ") if order else None,
        "shop.name": shop.name,
    }


def fill(text: str, known: dict[str, str | None]) -> str:
    """The text with every variable that has a value replaced; the others stay in braces, for
    the manager to see and edit (a reply that still holds one is not sent)."""

    def replace(match: re.Match) -> str:
        value = known.get(match.group(1))
        return value if value is not None else f"{{{match.group(1)}}}"

    return _VARIABLE.sub(replace, text)


def unfilled(text: str) -> list[str]:
    """The variables a reply still holds in braces, in order, each once."""
    found = [name for name in _VARIABLE.findall(text) if name in VARIABLES]
    return list(dict.fromkeys(found))


def require_filled(text: str) -> None:
    left = unfilled(text)
    if left:
        names = ", ".join(f"{{{name}}}" for name in left)
        raise InvalidInput(
            f"Replace {names} before sending: this chat has no value for "
            + ("it." if len(left) == 1 else "them.")
        )
