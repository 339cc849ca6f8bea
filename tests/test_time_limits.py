"""The one set of time-limit lights (提醒 / 预警 / 报警) every domain shows, and the settings that place them."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from workflows.config import Settings
from workflows.time_limits import LIGHT_LABELS, Light, Thresholds, light

START, DUE = datetime(2026, 11, 1), datetime(2026, 11, 5, 4)  # a 100-hour step


@pytest.mark.parametrize("hours, expected", [(10, Light.NONE), (49, Light.NONE), (50, Light.REMIND),
                                             (75, Light.REMIND), (77, Light.WARN), (99, Light.WARN),
                                             (100, Light.ALARM), (101, Light.ALARM)])
def test_lights_follow_the_share_of_time_used_and_the_warn_before_window(hours, expected):
    # 提醒 from half the time used; 预警 within the last day (from hour 76); 报警 from the deadline on.
    assert light(START + timedelta(hours=hours), START, DUE, Thresholds(0.5, "P1D")) == expected


def test_lights_follow_the_thresholds_on_whole_days():
    start, due = datetime(2026, 11, 1, 8), datetime(2026, 11, 5, 8)
    t = Thresholds(remind_share=0.5, warn_before="P1D")
    assert light(datetime(2026, 11, 2, 8), start, due, t) == Light.NONE
    assert light(datetime(2026, 11, 3, 8), start, due, t) == Light.REMIND
    assert light(datetime(2026, 11, 4, 9), start, due, t) == Light.WARN
    assert light(datetime(2026, 11, 5, 8), start, due, t) == Light.ALARM
    assert light(datetime(2026, 11, 2, 9), start, due, Thresholds(0.25, "PT12H")) == Light.REMIND
    assert light(datetime(2026, 11, 2, 9), start, None, t) == Light.NONE
    # A step given a single day warns only once its remind share is used, not from its first minute.
    day_start, day_due = datetime(2026, 11, 1, 8), datetime(2026, 11, 2, 8)
    assert light(datetime(2026, 11, 1, 10), day_start, day_due, t) == Light.NONE
    assert light(datetime(2026, 11, 1, 21), day_start, day_due, t) == Light.WARN


def test_other_thresholds_move_the_lights():
    at = START + timedelta(hours=30)
    assert light(at, START, DUE, Thresholds(0.5, "P1D")) == Light.NONE
    assert light(at, START, DUE, Thresholds(0.25, "P1D")) == Light.REMIND
    # A wide warn-before window warns once the remind share is used, not before.
    assert light(at, START, DUE, Thresholds(0.25, "P4D")) == Light.WARN
    assert light(START + timedelta(hours=20), START, DUE, Thresholds(0.25, "P4D")) == Light.NONE
    # A short window leaves the step at 提醒 until its last hours.
    assert light(START + timedelta(hours=90), START, DUE, Thresholds(0.5, "PT6H")) == Light.REMIND
    assert light(START + timedelta(hours=95), START, DUE, Thresholds(0.5, "PT6H")) == Light.WARN


def test_a_step_without_a_deadline_has_no_light_and_one_without_a_start_counts_as_used_up():
    assert light(START + timedelta(days=400), START, None) == Light.NONE
    assert light(START, None, DUE, Thresholds(0.5, "PT1H")) == Light.REMIND
    assert {LIGHT_LABELS[k] for k in (Light.REMIND, Light.WARN, Light.ALARM)} == {"提醒", "预警", "报警"}


def test_the_thresholds_come_from_the_settings():
    settings = Settings.load({"time_limit_remind_share": 0.8, "time_limit_warn_before": "PT12H"})
    assert Thresholds.from_settings(settings) == Thresholds(0.8, "PT12H")
    assert Thresholds.from_settings(Settings.load()) == Thresholds(0.5, "P1D")


@pytest.mark.parametrize("overrides, name", [
    ({"time_limit_remind_share": 0}, "time_limit_remind_share"),
    ({"time_limit_remind_share": 1}, "time_limit_remind_share"),
    ({"time_limit_remind_share": "half"}, "time_limit_remind_share"),
    ({"time_limit_warn_before": "P0D"}, "time_limit_warn_before"),
    ({"time_limit_warn_before": "one day"}, "time_limit_warn_before"),
])
def test_bad_light_settings_are_refused_with_their_name(overrides, name):
    with pytest.raises(ValueError, match=name):
        Settings.load(overrides)
