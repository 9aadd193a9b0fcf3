"""Channels: how messages come in from a messenger and how replies go out through it.

Each kind of channel is one module here that describes itself as a `base.Kind` (how it sends,
its routes, its workers, its limits), and `registry.py` lists the kinds; the delivery worker
(`worker.py`) takes replies from the outbox and hands them to their kind's `send`."""
