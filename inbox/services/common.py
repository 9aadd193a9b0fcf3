"""Pieces every service uses: the visible chat, the history entry, the clock."""

from datetime import datetime

from inbox.clock import utc_now
from inbox.errors import InvalidInput, NotFound, PermissionDenied
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
