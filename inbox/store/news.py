"""What a committed write changed, as the change counters count it."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class News:
    shown: bool  # False for a write no page shows (a login, a channel's offset)
    channels: frozenset[int] = field(default_factory=frozenset)  # none: it may show anywhere
    chats: frozenset[int] = field(default_factory=frozenset)

    def as_dict(self) -> dict:
        return {"shown": self.shown, "channels": sorted(self.channels), "chats": sorted(self.chats)}

    @classmethod
    def from_dict(cls, fields: dict) -> "News":
        return cls(bool(fields["shown"]), frozenset(fields["channels"]), frozenset(fields["chats"]))
