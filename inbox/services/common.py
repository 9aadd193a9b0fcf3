"""Pieces every service uses: the visible chat, the history entry, the clock."""

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from inbox.clock import utc_now
from inbox.errors import ChangedMeanwhile, InvalidInput, NotFound, PermissionDenied
from inbox.models import ChatRow, MessageKind, SystemEvent, User
from inbox.store import Cursor, chats, messages, users

CHAT_NOT_FOUND = "This chat does not exist or you have no access to its channel."
ORDER_NOT_FOUND = "This order does not exist or was taken in a channel you do not see."


def now_or_utc(now: datetime | None) -> datetime:
    return now if now is not None else utc_now()


def require_chat(cur: Cursor, actor: User, chat_id: int) -> ChatRow:
    chat = chats.visible(cur, actor.id, chat_id)
    if chat is None:
        raise NotFound(CHAT_NOT_FOUND)
    return chat


def require_admin(actor: User) -> None:
    if not actor.is_admin or not actor.active:
        raise PermissionDenied("Only an administrator can do this.")


def require_admin_now(cur: Cursor, actor: User) -> None:
    """The actor is an active administrator as the store says inside this write, not only as
    they were when the page was read: an admin demoted a moment ago changes nothing more."""
    require_admin(actor)
    current = users.get(cur, actor.id)
    if current is None:
        raise PermissionDenied("Only an administrator can do this.")
    require_admin(current)


def require_text(text: str, what: str, max_length: int) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput(f"{what} cannot be empty.")
    if len(cleaned) > max_length:
        raise InvalidInput(f"{what} can be at most {max_length} characters.")
    return cleaned


def record_event(
    cur: Cursor,
    chat_id: int,
    event: SystemEvent,
    text: str,
    now: datetime,
    actor: User | None = None,
) -> int:
    """A system message: staff see it in the conversation; it is never sent to the customer."""
    return messages.insert(
        cur,
        chat_id,
        MessageKind.SYSTEM,
        text,
        now,
        author_id=actor.id if actor else None,
        event=event,
    )


class _Unchecked:
    def __repr__(self) -> str:
        return "UNCHECKED"


# What a caller that showed no stored value passes as `drawn`: a script, a test, a worker.
UNCHECKED: Any = _Unchecked()


def require_unchanged(drawn: Any, stored: Any, what: str, now: str) -> None:
    """A compare-and-set, inside the write: the page showed `drawn`; the store holds `stored`.
    When someone else changed it since, nothing changes and the person is told what it is now."""
    if drawn is not UNCHECKED and drawn != stored:
        raise ChangedMeanwhile(f"{what} was changed by someone else meanwhile: now {now}.")


def merge_fields(
    drawn: Mapping[str, Any] | Any,
    wanted: Mapping[str, Any],
    stored: Mapping[str, Any],
    describe: Callable[[str, Any], str],
) -> dict[str, Any]:
    """A form's compare-and-set, field by field, inside the write. The fields the person
    changed (what they want differs from what the form showed) are written; the others keep
    what is stored, so another person's change to them stays. When someone else changed one of
    the person's fields since, nothing is written and the message says what it holds now."""
    if drawn is UNCHECKED:
        drawn = stored
    changed = {field: value for field, value in wanted.items() if value != drawn[field]}
    moved = [f for f, value in changed.items() if stored[f] != drawn[f] and stored[f] != value]
    if moved:
        now = ", ".join(describe(field, stored[field]) for field in moved)
        raise ChangedMeanwhile(f"Changed by someone else meanwhile: now {now}.")
    return {field: value for field, value in changed.items() if stored[field] != value}


def merged_form(drawn: Any, wanted: dict[str, Any], stored: Any, describe) -> dict[str, Any] | None:
    """`merge_fields` for a form of one stored record (a pydantic model): all of its `wanted`
    fields as they are to be written, or None when nothing is to change."""
    fields = set(wanted)
    shown = drawn if drawn is UNCHECKED else drawn.model_dump(include=fields)
    kept = stored.model_dump(include=fields)
    changed = merge_fields(shown, wanted, kept, describe)
    return {**kept, **changed} if changed else None
