"""Forms of the 创无 pages: a community's application, a platform's entry in the register, its periodic report."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from forms.base import options
from workflows.pyramid_free.options import PLATFORM_TYPES


class ZhForm(FlaskForm):
    class Meta:
        locales = ["zh"]


class ApplyForm(ZhForm):
    """The self-assessment scores come as score_<code> / note_<code> fields, one pair per manual item."""

    community_id = SelectField("申报社区（村）", coerce=int, validators=[InputRequired("请选择申报的社区（村）。")])
    year = IntegerField("申报年度", validators=[InputRequired("请填写申报年度。"), NumberRange(2000, 2100, "年度有误。")])


class PlatformForm(ZhForm):
    name = StringField("平台名称", validators=[DataRequired("请填写平台名称。"), Length(max=200)])
    operator = StringField("运营主体", validators=[DataRequired("请填写运营主体。"), Length(max=200)])
    credit_code = StringField("统一社会信用代码", validators=[DataRequired("请填写统一社会信用代码。"), Length(max=30)],
                              render_kw={"autocomplete": "off", "maxlength": 22})
    platform_type = SelectField("平台类型", choices=options([("", "请选择")] + list(PLATFORM_TYPES.items())),
                                validators=[DataRequired("请选择平台类型。")])
    icp_number = StringField("ICP备案号", validators=[Optional(), Length(max=64)])
    app_ids = TextAreaField("应用、小程序标识", validators=[Optional(), Length(max=400)], description="每行一个。")
    liaison_name = StringField("联络员", validators=[Optional(), Length(max=64)])
    liaison_phone = StringField("联络员电话", validators=[Optional(), Length(max=32)], render_kw={"inputmode": "tel"})


def count(label: str) -> IntegerField:
    return IntegerField(label, default=0, validators=[Optional(), NumberRange(0, 10_000_000, "应为不小于 0 的整数。")],
                        render_kw={"inputmode": "numeric"})


class ReportForm(ZhForm):
    period = StringField("报送期间", validators=[DataRequired("请填写报送期间。"), Length(max=16)],
                         description="季度，如 2026Q4。")
    reported_on = DateField("报送日期", validators=[InputRequired("请填写报送日期。")])
    items_removed = count("清理涉传信息（条）")
    accounts_closed = count("处置涉传账号（个）")
    complaints_received = count("受理涉传投诉（件）")
    clues_reported = count("报送线索（条）")
    assistance_requests = count("协查请求（次）")
    assistance_hours = IntegerField("协查平均响应时间（小时）", validators=[Optional(), NumberRange(0, 10000, "应为不小于 0 的整数。")])
    note = TextAreaField("说明", validators=[Optional(), Length(max=1000)])
