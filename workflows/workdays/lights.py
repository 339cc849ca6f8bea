"""Deadline lights: 提醒 / 预警 / 报警 from how much of a step's period is used up, for any domain's steps."""
from __future__ import annotations

from datetime import datetime

from workflows.vocabulary import DeadlineLight


def light(start: datetime, due: datetime | None, now: datetime, remind_at: float = 0.5,
          warn_at: float = 0.8) -> DeadlineLight:
    """The light of a step opened at `start` and due at `due`: 报警 once overdue, 预警 past `warn_at` of the
    period, 提醒 past `remind_at`, none before (or when the step has no deadline)."""
    if due is None:
        return DeadlineLight.NONE
    if now > due:
        return DeadlineLight.ALARM
    period = (due - start).total_seconds()
    used = (now - start).total_seconds() / period if period > 0 else 1.0
    if used >= warn_at:
        return DeadlineLight.WARN
    if used >= remind_at:
        return DeadlineLight.REMIND
    return DeadlineLight.NONE


def light_for(settings, start: datetime, due: datetime | None, now: datetime) -> DeadlineLight:
    """`light` with the configured thresholds."""
    return light(start, due, now, settings.deadline_remind_at, settings.deadline_warn_at)
