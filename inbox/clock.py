"""UTC time for the core. Naive datetimes are stored and always mean UTC."""

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
