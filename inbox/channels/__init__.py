"""Channels: how messages come in from a messenger and how replies go out through it.

Each kind has a connector (`registry.CONNECTORS`) that sends a reply and says what became of it;
the delivery worker (`worker.py`) takes replies from the outbox and hands them to it."""
