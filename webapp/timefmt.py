"""Times are stored as naive UTC and shown in Beijing time (China has no daylight saving)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

BEIJING = timezone(timedelta(hours=8), "CST")


def to_local(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(BEIJING)


def local_now(utc_naive: datetime) -> datetime:
    """The service clock's 'now' in Beijing time, naive (what a form field holds)."""
    return to_local(utc_naive).replace(tzinfo=None)


def from_local(value: datetime | None) -> datetime | None:
    """A Beijing time typed in a form, as the naive UTC the database stores."""
    if value is None:
        return None
    return value.replace(tzinfo=BEIJING).astimezone(timezone.utc).replace(tzinfo=None)


def fmt(value: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    local = to_local(value)
    return local.strftime(pattern) if local else ""


def register(app) -> None:
    app.add_template_filter(fmt, "dt")
    app.add_template_filter(lambda v: fmt(v, "%Y-%m-%d"), "date")
