"""Named people and channels for readable tests, built through the real services.

Olga is the admin. Anna may see Telegram and the website; Boris only Telegram; Clara nothing.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import count

from inbox.channels import delivery
from inbox.channels.registry import CONNECTORS
from inbox.models import InboundMessage, InboundResult, Message, Role, User
from inbox.services import accounts, inbound, reads
from inbox.store import Store, channels, users

PASSWORD = "correct-horse"
START = datetime(2026, 11, 20, 9, 0, 0)


@dataclass
class Clock:
    """Each tick is one minute after the last, so the order of events is explicit."""

    current: datetime = START

    def tick(self, minutes: int = 1) -> datetime:
        self.current += timedelta(minutes=minutes)
        return self.current


def create_people_and_channels(store: Store) -> None:
    make = accounts.create_user
    olga = make(store, "olga", "Olga Admin", PASSWORD, Role.ADMIN)
    anna = make(store, "anna", "Anna Manager", PASSWORD)
    boris = make(store, "boris", "Boris Manager", PASSWORD)
    make(store, "clara", "Clara Newcomer", PASSWORD)
    telegram = accounts.create_channel(
        store, olga, "telegram", "Shop bot", "✈️", {"token": "secret"}
    )
    website = accounts.create_channel(store, olga, "http", "Website chat", "🌐", {"secret": "s3"})
    for user, channel in ((anna, telegram), (anna, website), (boris, telegram)):
        accounts.grant_access(store, olga, user.id, channel.id)


@dataclass
class Scenario:
    """The named people and channels of a store made by create_people_and_channels."""

    store: Store
    clock: Clock = field(default_factory=Clock)
    _message_ids: count = field(default_factory=lambda: count(1))

    def __post_init__(self) -> None:
        with self.store.read() as cur:
            self.olga, self.anna, self.boris, self.clara = (
                users.get_by_login(cur, login) for login in ("olga", "anna", "boris", "clara")
            )
            by_name = {c.name: c for c in channels.visible_to(cur, self.olga.id)}
        self.telegram, self.website = by_name["Shop bot"], by_name["Website chat"]

    @property
    def managers(self) -> list[User]:
        return [self.anna, self.boris]

    def customer_writes(
        self,
        text: str,
        who: str = "tg-100",
        name: str = "Maria Lead",
        channel=None,
        message_id: str | None = None,
    ) -> InboundResult:
        return inbound.receive_customer_message(
            self.store,
            InboundMessage(
                channel_id=(channel or self.telegram).id,
                external_user_id=who,
                display_name=name,
                external_message_id=message_id or f"m{next(self._message_ids)}",
                text=text,
            ),
            now=self.clock.tick(),
        )


def shown(world: Scenario, message) -> Message:
    """A message as the conversation shows it now (its delivery state, its channel id)."""
    [found] = [
        m
        for m in reads.list_messages(world.store, world.olga, message.chat_id)
        if m.id == message.id
    ]
    return found


def deliver(world: Scenario, seconds_later: float = 0, connectors=None) -> int:
    """Run the delivery worker's step, `seconds_later` after the scenario's clock."""
    now = world.clock.current + timedelta(seconds=seconds_later)
    return delivery.deliver_due(world.store, connectors or CONNECTORS, now=now)
