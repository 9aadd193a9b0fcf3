"""Display helpers: times in the viewer's zone, initials for missing photos."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def viewer_zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def list_time(moment: datetime, zone: ZoneInfo, now: datetime) -> str:
    """The time of day for today, else the date (SPEC C2). Both arguments are naive UTC."""
    local = moment.replace(tzinfo=UTC).astimezone(zone)
    today = now.replace(tzinfo=UTC).astimezone(zone).date()
    if local.date() == today:
        return local.strftime("%H:%M")
    if local.year == today.year:
        return local.strftime("%d %b")
    return local.strftime("%d %b %Y")


def initials(name: str) -> str:
    parts = [p for p in name.replace("_", " ").replace("@", " ").split() if p[:1].isalnum()]
    return "".join(p[0] for p in parts[:2]).upper() or "?"
