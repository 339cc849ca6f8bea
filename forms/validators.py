"""Validators with messages in Chinese: ID numbers, phones, bank cards, dates, row counts."""
from __future__ import annotations

import re
from contextvars import ContextVar
from datetime import date, datetime

from wtforms.validators import StopValidation, ValidationError

from workflows.idnumbers import clean_digits, id_number_problem, known_place_code  # noqa: F401  (re-exported)

PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{3,6})$")
BANK_CARD_RE = re.compile(r"^\d{12,19}$")


# The time of the form being validated, so rows nested inside it check dates against the same clock.
validating_now: ContextVar[datetime | None] = ContextVar("validating_now", default=None)


def form_now(form) -> datetime:
    return getattr(form, "now", None) or validating_now.get() or datetime.now()


def _today(form) -> date:
    now = form_now(form)
    return now.date() if isinstance(now, datetime) else now


class IdNumber:
    """stdnum.cn.ric: length, format, checksum, a real birth date not in the future, a known place code."""

    def __call__(self, form, field):
        if not field.data:
            return
        problem = id_number_problem(field.data, _today(form))
        if problem:
            raise ValidationError(problem)
        field.data = clean_digits(field.data).upper()


class Phone:
    """Mobile (11 digits from 1), landline with area code, or a short group number (手机集团号)."""

    def __call__(self, form, field):
        if not field.data:
            return
        value = clean_digits(field.data)
        if not PHONE_RE.match(value):
            raise ValidationError("电话号码格式不正确：手机号为 1 开头的 11 位数字，固话如 027-83891234，集团短号为 3–6 位数字。")
        field.data = value


class BankCard:
    def __call__(self, form, field):
        if not field.data:
            return
        value = clean_digits(field.data)
        if not BANK_CARD_RE.match(value):
            raise ValidationError("银行卡号应为 12–19 位数字。")
        field.data = value


class NotFuture:
    """A date or date-time that has already happened (compared with the form's `now`, Beijing time)."""

    def __init__(self, message: str = "不能晚于当前时间。"):
        self.message = message

    def __call__(self, form, field):
        if field.data is None:
            return
        now = form_now(form)
        if isinstance(field.data, datetime):
            if field.data > now:
                raise ValidationError(self.message)
        elif field.data > (now.date() if isinstance(now, datetime) else now):
            raise ValidationError(self.message)


class MinRows:
    """A list of rows needs at least `count` filled-in rows."""

    def __init__(self, count: int, message: str):
        self.count, self.message = count, message

    def __call__(self, form, field):
        filled = [e for e in field.entries if not row_is_blank(e.form)]
        if len(filled) < self.count:
            raise StopValidation(self.message)


class UniqueIn:
    """No two filled-in rows of a list share the value of `key` (e.g. one person twice)."""

    def __init__(self, key: str, message: str):
        self.key, self.message = key, message

    def __call__(self, form, field):
        seen = set()
        for entry in field.entries:
            value = clean_digits(entry.form[self.key].data or "").upper()
            if value and value in seen:
                raise ValidationError(self.message)
            seen.add(value)


def row_is_blank(row_form) -> bool:
    """A row whose visible fields are all empty: left by 'add a row' and never filled in."""
    for f in row_form:
        if f.type in ("HiddenField", "CSRFTokenField"):
            continue
        if f.type == "SelectField":
            # A select always has a value; it only counts when the person typed something else too.
            continue
        if isinstance(f.data, str) and f.data.strip():
            return False
        if f.data not in (None, "", False) and not isinstance(f.data, str):
            return False
    return True
