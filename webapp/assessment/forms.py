"""Forms of the assessment pages: running an assessment, a manual row with its evidence, a supervisor's override."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, FileField, SelectField, TextAreaField
from wtforms.validators import (DataRequired, InputRequired, Length, NumberRange, Optional, StopValidation,
                                ValidationError)

from forms.files import EvidenceFiles

# The Annex deducts in halves and tenths of a point ("扣 0.5 分", "每个百分点扣 0.1 分"); the service keeps two places.
DEDUCTION_PLACES = 2
ALL_STREETS = 0


class ZhForm(FlaskForm):
    class Meta:
        locales = ["zh"]


def finite(form, field):
    """"NaN", "sNaN" and "Infinity" parse as decimals but are no points (and a signaling NaN breaks comparisons)."""
    if field.data is not None and not field.data.is_finite():
        raise StopValidation("扣分须为数字，如 0.5。")


def deduction_field(label: str, description: str = "") -> DecimalField:
    return DecimalField(label, places=DEDUCTION_PLACES, description=description,
                        validators=[InputRequired("请填写扣分（不扣分填 0）。"), finite,
                                    NumberRange(0, 100, "扣分应在 0 至 100 分之间。")],
                        render_kw={"inputmode": "decimal", "step": "0.01", "min": "0"})


class RunForm(ZhForm):
    """A street (or every street: `ALL_STREETS`) and the period to assess."""

    area_id = SelectField("考评对象", coerce=int, validators=[InputRequired("请选择考评的街道。")])
    start = DateField("考评期间自", validators=[InputRequired("请填写考评期间的开始日期。")])
    end = DateField("至", validators=[InputRequired("请填写考评期间的结束日期。")])

    def validate_end(self, field):
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError("结束日期不能早于开始日期。")


class ManualForm(ZhForm):
    """An inspector's deduction for a row the records cannot (fully) score, with what it rests on."""

    deduction = deduction_field("扣分", "按计分办法扣分；不扣分填 0。")
    note = TextAreaField("检查情况说明", validators=[DataRequired("请说明检查情况（查阅了哪些台账、发现了什么）。"),
                                                Length(max=2000, message="说明不能超过 2000 字。")])
    file = FileField("佐证材料（照片或文件）", validators=[Optional(), EvidenceFiles()],
                     description="JPG、PNG 或 PDF，不超过 10 MB；多份材料请合并为一个 PDF。")


class OverrideForm(ZhForm):
    """A supervisor's replacement of the row's deduction; the reason is required and printed beside it."""

    deduction = deduction_field("核定扣分", "替代计算（及录入）的扣分；仍不超过本项分值。")
    reason = TextAreaField("核定理由", validators=[DataRequired("请填写核定理由。"),
                                               Length(max=2000, message="理由不能超过 2000 字。")])
