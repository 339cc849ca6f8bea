"""The working-day calendar: is a date a working day, and which date is n working days after another."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar

from workflows.exceptions import WorkflowError

# What to do with a date in a year neither the package nor the override file knows.
UNKNOWN_YEAR_ERROR = "error"        # refuse: a deadline counted on a guessed calendar may be wrong
UNKNOWN_YEAR_WEEKDAYS = "weekdays"  # count Monday to Friday as working days until the calendar is published
UNKNOWN_YEAR_POLICIES = (UNKNOWN_YEAR_ERROR, UNKNOWN_YEAR_WEEKDAYS)


class UnknownCalendarYear(WorkflowError):
    """A date falls in a year whose official holidays are not known."""

    def __init__(self, year: int):
        super().__init__(f"{year} 年的法定节假日安排尚未载入，无法计算工作日。"
                         "请在工作日补充文件（配置项 workday_overrides_path）中登记该年的放假和调休上班日期。")
        self.year = year


@dataclass
class YearOverride:
    """One year's official arrangement: the holidays that fall on weekdays and the make-up working days."""

    holidays: set[date] = field(default_factory=set)
    workdays: set[date] = field(default_factory=set)


def load_overrides(path: str | Path | None) -> dict[int, YearOverride]:
    """Read the override file: {"2027": {"holidays": ["2027-01-01", ...], "workdays": ["2027-02-07", ...]}}."""
    if not path:
        return {}
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    years: dict[int, YearOverride] = {}
    for year, days in raw.items():
        if not str(year).isdigit():
            continue  # e.g. a "_about" note in the file
        override = YearOverride({date.fromisoformat(d) for d in days.get("holidays", [])},
                                {date.fromisoformat(d) for d in days.get("workdays", [])})
        for d in override.holidays | override.workdays:
            if d.year != int(year):
                raise ValueError(f"工作日补充文件中 {year} 年的日期 {d.isoformat()} 不在该年内")
        years[int(year)] = override
    return years


class WorkdayCalendar:
    """Working days: the override file first (it may also correct a known year), then `chinese-calendar`."""

    def __init__(self, overrides: dict[int, YearOverride] | None = None, unknown_year: str = UNKNOWN_YEAR_ERROR):
        if unknown_year not in UNKNOWN_YEAR_POLICIES:
            raise ValueError(f"unknown_year must be one of {UNKNOWN_YEAR_POLICIES}")
        self.overrides = overrides or {}
        self.unknown_year = unknown_year

    @classmethod
    def from_settings(cls, settings) -> "WorkdayCalendar":
        return cls(load_overrides(settings.workday_overrides_path), settings.workday_unknown_year)

    def is_workday(self, day: date) -> bool:
        override = self.overrides.get(day.year)
        if override is not None:
            if day in override.workdays:
                return True
            if day in override.holidays:
                return False
            return day.weekday() < 5
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            if self.unknown_year == UNKNOWN_YEAR_WEEKDAYS:
                return day.weekday() < 5
            raise UnknownCalendarYear(day.year) from None

    def add_workdays(self, start: date, count: int) -> date:
        """The date `count` working days after `start` (the day of the event itself is not counted)."""
        if count < 0:
            raise ValueError("count must not be negative")
        day, left = start, count
        while left:
            day += timedelta(days=1)
            if self.is_workday(day):
                left -= 1
        return day

    def workdays_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        day, count = start, 0
        while day < end:
            day += timedelta(days=1)
            count += self.is_workday(day)
        return count
