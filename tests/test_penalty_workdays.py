"""Working days on the official calendar: statutory holidays, make-up working days, the override file."""
from __future__ import annotations

import json
from datetime import date

import pytest

from workflows.workdays.calendar import (UNKNOWN_YEAR_WEEKDAYS, UnknownCalendarYear, WorkdayCalendar,
                                         load_overrides)


def test_holidays_are_skipped_and_make_up_working_days_counted():
    cal = WorkdayCalendar()
    # 2026: 中秋 25–27 Sept, 国庆 1–7 Oct; Sunday 20 Sept and Saturday 10 Oct are working days.
    assert cal.add_workdays(date(2026, 9, 24), 1) == date(2026, 9, 28)
    assert cal.add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert cal.add_workdays(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert cal.add_workdays(date(2026, 9, 19), 1) == date(2026, 9, 20)
    # 行政处罚法 第六十四条: five working days from Monday 23 Nov 2026 end on Monday 30 Nov.
    assert cal.add_workdays(date(2026, 11, 23), 5) == date(2026, 11, 30)
    assert cal.workdays_between(date(2026, 9, 30), date(2026, 10, 10)) == 3


def test_an_unknown_year_is_refused_unless_the_override_file_or_the_fallback_covers_it(tmp_path):
    with pytest.raises(UnknownCalendarYear) as err:
        WorkdayCalendar().add_workdays(date(2027, 1, 1), 1)
    assert "2027 年的法定节假日安排尚未载入" in err.value.message
    path = tmp_path / "workdays.json"
    path.write_text(json.dumps({"_about": "2027 arrangement", "2027": {
        "holidays": ["2027-01-01"], "workdays": ["2027-01-02"]}}), encoding="utf-8")
    cal = WorkdayCalendar(load_overrides(path))
    assert not cal.is_workday(date(2027, 1, 1))      # a holiday on a Friday
    assert cal.is_workday(date(2027, 1, 2))          # a make-up Saturday
    assert cal.add_workdays(date(2026, 12, 31), 2) == date(2027, 1, 4)
    assert WorkdayCalendar(unknown_year=UNKNOWN_YEAR_WEEKDAYS).add_workdays(date(2027, 1, 1), 1) == date(2027, 1, 4)


def test_an_override_dated_outside_its_year_is_refused(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"2027": {"holidays": ["2028-01-01"]}}), encoding="utf-8")
    with pytest.raises(ValueError):
        load_overrides(path)


@pytest.mark.parametrize("overrides, message", [
    ({"hearing_threshold_person": 0}, "hearing_threshold_person"),
    ({"workday_unknown_year": "guess"}, "workday_unknown_year"),
])
def test_bad_penalty_settings_are_refused_with_their_name(overrides, message):
    from workflows.config import Settings
    with pytest.raises(ValueError, match=message):
        Settings.load(overrides)
