"""A stand-in channel for core and UI tests: it records what it was asked to send and answers
as told, like a messenger that is up, down, rate-limiting or refusing."""

from collections import deque

from inbox.channels.base import PermanentFailure, TemporaryFailure
from inbox.models import Outgoing


class StandInChannel:
    def __init__(self):
        self.sent: list[Outgoing] = []
        self.answers: deque = deque()  # exceptions to raise, in order; then success

    def fail_next(self, *failures: Exception) -> None:
        self.answers.extend(failures)

    def send(self, outgoing: Outgoing) -> str | None:
        if self.answers:
            raise self.answers.popleft()
        self.sent.append(outgoing)
        return f"ext-{outgoing.message_id}"

    def connectors(self) -> dict:
        return {"telegram": self}


__all__ = ["StandInChannel", "PermanentFailure", "TemporaryFailure"]
