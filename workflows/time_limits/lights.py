"""The light of one step: 提醒 once part of its time is used, 预警 shortly before the deadline, 报警 once passed."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import lru_cache

from workflows.engine.spiff import duration_after


class Light(StrEnum):
    NONE = "none"
    REMIND = "remind"   # 提醒: the given share of the time is used
    WARN = "warn"       # 预警: the deadline is close
    ALARM = "alarm"     # 报警: the deadline has passed


LIGHT_LABELS = {Light.REMIND: "提醒", Light.WARN: "预警", Light.ALARM: "报警"}


@dataclass(frozen=True)
class Thresholds:
    """When the lights come on: `remind_share` of the time used; `warn_before` (ISO 8601) left."""

    remind_share: float = 0.5
    warn_before: str = "P1D"

    @classmethod
    def from_settings(cls, settings) -> "Thresholds":
        return cls(settings.time_limit_remind_share, settings.time_limit_warn_before)

    def warn_from(self, due_at: datetime) -> datetime:
        # The warning starts `warn_before` ahead of the deadline: the deadline minus the same duration.
        fixed = fixed_length(self.warn_before)
        if fixed is not None:
            return due_at - fixed
        return due_at - (duration_after(due_at, self.warn_before) - due_at)


@lru_cache(maxsize=32)
def fixed_length(iso: str) -> timedelta | None:
    """The length of a duration that is the same from any start (weeks, days, hours…), computed once: a board
    decides the light of every open step in its area. None for years or months, whose length depends on
    the start."""
    date_part = iso.split("T", 1)[0]
    if "Y" in date_part or "M" in date_part:
        return None
    start = datetime(2000, 1, 1)
    return duration_after(start, iso) - start


def light(now: datetime, started_at: datetime | None, due_at: datetime | None,
          thresholds: Thresholds = Thresholds()) -> Light:
    """The light of a step that became ready at `started_at` and is due at `due_at`, seen at `now`."""
    if due_at is None:
        return Light.NONE
    if now >= due_at:
        return Light.ALARM
    # A step given a day or less would warn from its first minute; it warns once its remind share is used.
    used = (now - started_at) / (due_at - started_at) if started_at is not None and started_at < due_at else 1
    if used < thresholds.remind_share:
        return Light.NONE
    return Light.WARN if now >= thresholds.warn_from(due_at) else Light.REMIND
