"""UTC time for the core. Naive datetimes are stored and always mean UTC."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def in_zone(moment: datetime, zone: ZoneInfo) -> datetime:
    """A stored (naive UTC) moment on a clock of this zone."""
    return moment.replace(tzinfo=UTC).astimezone(zone)


def as_utc(moment: datetime) -> datetime:
    """An aware moment as the store keeps it: naive UTC."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def utc_of(day: date, at: time, zone: ZoneInfo) -> datetime:
    """A day and a time on a clock of this zone, as naive UTC."""
    return as_utc(datetime.combine(day, at, zone))
