"""Automatic answers (SPEC CH11): a channel's greeting for a new chat and its answer out of
the shop's working hours. Sent as a reply is, in the transaction that stores the customer's
message, but by nobody: shown as "automatic", they make nobody responsible and leave the badge
(only a manager's reply clears it). At most one per chat in the channel's while (12 hours
unless set), never to a message a program sent, and out of hours the away answer is the one."""

from datetime import datetime, timedelta

from inbox.channels.base import AUTO_AWAY, AUTO_EVERY, AUTO_GREETING, Limits
from inbox.models import MessageKind, Shop
from inbox.store import channels, deliveries, messages
from inbox.store import shop as shop_store

DEFAULT_HOURS = 12


class Looked:
    """What one batch has read for its answers: each channel's settings, and the shop."""

    def __init__(self) -> None:
        self.settings: dict[int, dict] = {}
        self._shop: Shop | None = None

    def channel(self, cur, channel_id: int) -> dict:
        if channel_id not in self.settings:
            self.settings[channel_id] = channels.settings(cur, channel_id) or {}
        return self.settings[channel_id]

    def shop(self, cur) -> Shop:
        if self._shop is None:
            self._shop = shop_store.get(cur)
        return self._shop


def chosen(config: dict, shop: Shop, new_chat: bool, now: datetime) -> str | None:
    """The answer for a customer's message now, before the once-a-while rule."""
    away = str(config.get(AUTO_AWAY) or "").strip()
    if away and not shop.is_open(now):
        return away
    greeting = str(config.get(AUTO_GREETING) or "").strip()
    return greeting if greeting and new_chat else None


def fitted(text: str, limits: Limits) -> str:
    """The text cut to what the platform takes (characters, or bytes where it counts them)."""
    text = text[: limits.text_length]
    if limits.text_bytes is not None:
        text = text.encode()[: limits.text_bytes].decode(errors="ignore")
    return text


def answer(
    cur, channel_id: int, channel_kind: str, chat_id: int, new_chat: bool, by_a_program: bool,
    now: datetime, looked: Looked,
) -> int | None:  # fmt: skip
    """Store and queue the automatic answer to the customer's message just stored, if one is
    due; its message id."""
    if by_a_program:
        return None
    config = looked.channel(cur, channel_id)
    if not (config.get(AUTO_AWAY) or config.get(AUTO_GREETING)):
        return None
    text = chosen(config, looked.shop(cur), new_chat, now)
    if text is None:
        return None
    every = timedelta(hours=float(config.get(AUTO_EVERY) or DEFAULT_HOURS))
    last = None if new_chat else messages.last_automatic_at(cur, chat_id)
    if last is not None and now - last < every:
        return None
    from inbox.channels import registry  # its channels' modules store through this one

    text = fitted(text, registry.kind(channel_kind).limits)
    message_id = messages.insert(cur, chat_id, MessageKind.MANAGER, text, now, automatic=True)
    deliveries.enqueue(cur, message_id, chat_id, now)
    return message_id
