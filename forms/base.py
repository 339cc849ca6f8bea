"""What every task form shares: the case data so far, the time for date checks, rows of people."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from flask_wtf import FlaskForm
from wtforms import (FieldList, Form, FormField, HiddenField, RadioField, SelectField, SelectMultipleField,
                     StringField)
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

try:  # WTForms 3.3 wants choices as SelectChoice; older versions only know (value, label) pairs.
    from wtforms.fields.choices import SelectChoice
except ImportError:  # pragma: no cover
    SelectChoice = None

from workflows.vocabulary import CLASSIFICATIONS

from .binding import BindOnce
from .validators import BankCard, IdNumber, Phone, row_is_blank, validating_now


def options(pairs) -> list:
    """(value, label) pairs as the installed WTForms wants its choices."""
    return [SelectChoice(v, label) for v, label in pairs] if SelectChoice else list(pairs)


class TaskForm(FlaskForm):
    """One user task's form. `context` is the case data the task sees; `now` is Beijing time."""

    class Meta(BindOnce):
        locales = ["zh"]  # WTForms' own messages (e.g. "not a valid choice") in Chinese
        # No token field of the form's own: the app's CSRFProtect (webapp/extensions.py) checks the token of
        # every POST before any view runs, and the pages put it in the form with csrf_token(). A field of the
        # form's own would sign a new token on every submission, for the redirect to throw away.
        csrf = False

    # Shown above the form: what the law or the method asks of this step.
    guidance = ""
    # Row lists whose rows are given by the case (no add/remove buttons).
    fixed_rows: tuple[str, ...] = ()
    # Whether the page should offer the standard addresses as suggestions (an address field).
    needs_areas = False

    def __init__(self, *args, context: dict | Callable[[], dict] | None = None, now: datetime | None = None,
                 lookups: dict | None = None, **kwargs):
        # A callable is asked on first use: a submission whose form never reads the case data (most steps'
        # checks need only what was typed) does not read it at all.
        self._context = context
        self.now = now or datetime.now()
        # Look-ups the caller provides (e.g. "area_exists"), so forms check against the database
        # without importing it.
        self.lookups = lookups or {}
        super().__init__(*args, **kwargs)

    @property
    def context(self) -> dict:
        """The case data the task sees (what earlier steps recorded)."""
        if callable(self._context):
            self._context = self._context()
        if not self._context:
            self._context = {}
        return self._context

    @context.setter
    def context(self, value: dict) -> None:
        self._context = value

    def lookup(self, name: str, *args):
        fn = self.lookups.get(name)
        return fn(*args) if fn else True

    def prefill(self) -> None:
        """Fill fields from the case data on first display (GET); the default fills nothing."""

    # Asked once before submitting, for a step that cannot be undone (e.g. closing a case).
    confirm_message = ""
    # Date or time fields that record something other than what was just done (e.g. a date planned ahead).
    not_today: tuple[str, ...] = ()

    def fill_today(self) -> None:
        """On first display, date fields still empty say today and time fields now: a step is mostly
        recorded on the day it was done, and on a tablet every date typed by hand costs time."""
        for f in self:
            if f.name in self.not_today or f.data is not None:
                continue
            if f.type == "DateField":
                f.data = self.now.date()
            elif f.type == "DateTimeLocalField":
                f.data = self.now.replace(second=0, microsecond=0)

    def to_data(self) -> dict:
        """The dict the engine receives; see the task schemas each domain registers (workflows/*/hooks.py) for the keys it insists on."""
        raise NotImplementedError

    def validate(self, extra_validators=None):
        token = validating_now.set(self.now)
        try:
            return super().validate(extra_validators)
        finally:
            validating_now.reset(token)

    @property
    def row_lists(self) -> list[str]:
        return [f.name for f in self if f.type == "FieldList"]


class MultiCheckboxField(SelectMultipleField):
    """Several tick boxes for one question (e.g. the measures taken)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def yes_no(label: str, message: str, **kwargs) -> RadioField:
    return RadioField(label, choices=options([("yes", "是"), ("no", "否")]),
                      validators=[InputRequired(message)], **kwargs)


def as_bool(value: str | None) -> bool:
    return value == "yes"


def iso(value) -> str:
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return ""


class RowForm(Form):
    """A row in a list; a row left completely empty is ignored rather than rejected."""

    class Meta:
        locales = ["zh"]

    def validate(self, extra_validators=None):
        if row_is_blank(self):
            return True
        return super().validate(extra_validators)


class PersonRow(RowForm):
    name = StringField("姓名", validators=[InputRequired("请填写姓名。"), Length(max=64, message="姓名过长。")])
    id_number = StringField("身份证号码", validators=[InputRequired("请填写身份证号码。"), IdNumber()],
                            render_kw={"inputmode": "text", "autocomplete": "off", "maxlength": 22})
    phone = StringField("手机号码", validators=[Optional(), Phone()], render_kw={"inputmode": "tel"})
    bank_card = StringField("银行卡号", validators=[Optional(), BankCard()], render_kw={"inputmode": "numeric"})
    classification = SelectField("初步分类", choices=options([("", "待比对后确定")] + list(CLASSIFICATIONS.items())),
                                 validate_choice=True, default="")


class OfficerRow(RowForm):
    name = StringField("执法人员姓名", validators=[InputRequired("请填写执法人员姓名。"), Length(max=64)])
    badge = StringField("执法证号/警号", validators=[InputRequired("请填写执法证号或警号。"), Length(max=32)])


def person_rows(label: str, min_entries: int = 1, **kwargs) -> FieldList:
    return FieldList(FormField(PersonRow), label, min_entries=min_entries, **kwargs)


def filled_rows(field_list: FieldList) -> list[dict]:
    """The rows a person actually filled in, as plain dicts."""
    return [dict(e.form.data) for e in field_list.entries if not row_is_blank(e.form)]


def person_dict(row: dict) -> dict:
    return {"name": row.get("name", "").strip(), "id_number": (row.get("id_number") or "").upper(),
            "phone": row.get("phone") or "", "bank_card": row.get("bank_card") or "",
            "classification": row.get("classification") or ""}


def fill_rows(field_list: FieldList, rows: list[dict], min_rows: int = 1) -> None:
    """Replace a list's rows with `rows` (plus blank ones up to `min_rows`)."""
    while field_list.entries:
        field_list.pop_entry()
    for row in rows:
        field_list.append_entry(row)
    while len(field_list.entries) < min_rows:
        field_list.append_entry()


__all__ = ["TaskForm", "MultiCheckboxField", "yes_no", "as_bool", "iso", "RowForm", "PersonRow", "OfficerRow",
           "person_rows", "filled_rows", "person_dict", "fill_rows", "HiddenField"]
