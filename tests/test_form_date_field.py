"""The task forms' date field reads a browser's YYYY-MM-DD without strptime (forms/fields.py): for every
input, spelled as a browser sends it or not, it holds the same date, or refuses with the same message, as
WTForms' own DateField."""
from __future__ import annotations

from datetime import date

import pytest
import wtforms
from werkzeug.datastructures import MultiDict
from wtforms import Form

from forms.fields import DateField
from forms.rental_patrol import PatrolForm

INPUTS = ["2026-11-23", "2024-02-29", "2026-02-29", "2026-02-30", "2026-13-01", "2026-00-10", "2026-11-00",
          "2026-11-32", "0001-01-01", "0000-01-01", "9999-12-31", "2026-1-5", "2026-01-5", "2026-11-23 ",
          " 2026-11-23", "2026/11/23", "20261123", "2026-11-2x", "２０２６-１１-２３", "٢٠٢٦-١١-٢٣",
          "+026-11-23", "-026-11-23", "2026-+1-23", "2026--1-23", "", "2026-11-23T10:00", "2026-11-23\x00",
          "abcd-ef-gh"]


class Mine(Form):
    day = DateField("日期")


class Theirs(Form):
    day = wtforms.DateField("日期")


@pytest.mark.parametrize("value", INPUTS + [["2026-11-23", "2026-11-24"]])
def test_the_date_is_wtforms_own(value):
    formdata = MultiDict([("day", v) for v in (value if isinstance(value, list) else [value])])
    mine, theirs = Mine(formdata), Theirs(formdata)
    assert type(mine.day.data) is type(theirs.day.data) and mine.day.data == theirs.day.data
    assert mine.day.process_errors == theirs.day.process_errors
    assert mine.validate() == theirs.validate() and mine.errors == theirs.errors
    assert mine.day.type == "DateField"  # what the forms' "today" filling looks for


def test_the_task_forms_use_it():
    form = PatrolForm.__dict__["patrolled_on"]
    assert form.field_class is DateField
    assert Mine(MultiDict({"day": "2026-11-23"})).day.data == date(2026, 11, 23)
