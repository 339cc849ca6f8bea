"""Time for the engine: the system clock, or one that tests move forward."""
from __future__ import annotations

import contextvars
from datetime import date, datetime, timedelta, timezone

# The offices keep Beijing time (UTC+8, no daylight saving); the database keeps UTC.
OFFICE_UTC_OFFSET = timedelta(hours=8)


def office_date(at: datetime) -> date:
    """The calendar day an instant falls on at the office."""
    return (at + OFFICE_UTC_OFFSET).date()


def office_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[first instant, instant after the last) of the office days `start`..`end`, as the naive UTC the database
    keeps: a record made at 07:00 Beijing time on 1 March belongs to March, although it is still February in UTC."""
    return (datetime.combine(start, datetime.min.time()) - OFFICE_UTC_OFFSET,
            datetime.combine(end + timedelta(days=1), datetime.min.time()) - OFFICE_UTC_OFFSET)


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class MovableClock:
    """A clock that stands still until told to advance; for tests and demonstrations."""

    def __init__(self, start: datetime | None = None):
        self._now = start or datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)

    def now(self) -> datetime:
        return self._now

    def advance(self, **kwargs) -> datetime:
        self._now += timedelta(**kwargs)
        return self._now


_active = contextvars.ContextVar("dachuan_clock", default=SystemClock())


def active_clock():
    return _active.get()


class using_clock:
    """Make `clock` the time source of SpiffWorkflow's timers inside the block."""

    def __init__(self, clock):
        self.clock = clock

    def __enter__(self):
        self._token = _active.set(self.clock)
        return self.clock

    def __exit__(self, *exc):
        _active.reset(self._token)


def utcnow_naive(clock) -> datetime:
    """Database columns hold naive UTC times (SQLite has no time zones)."""
    return clock.now().astimezone(timezone.utc).replace(tzinfo=None)
