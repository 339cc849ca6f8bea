"""Forms of the sweep pages: plan a sweep, record a house, finish."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from forms.base import MultiCheckboxField, options, yes_no
from workflows.vocabulary import HOUSE_TYPES, SWEEP_FLAGS

ADDRESS_KW = {"list": "area-options", "autocomplete": "off"}


class ZhForm(FlaskForm):
    class Meta:
        locales = ["zh"]


class PlanForm(ZhForm):
    title = StringField("行动名称", validators=[DataRequired("请填写行动名称。"), Length(max=200)],
                        description="如：吴家山街第一社区11月集中清查")
    address = StringField("清查范围", validators=[DataRequired("请填写清查范围。"), Length(max=400)],
                          description="街道、社区、小区或楼栋的标准地址全称。", render_kw=ADDRESS_KW)
    planned_on = DateField("清查日期", validators=[InputRequired("请填写清查日期。")])
    note = TextAreaField("部署说明", validators=[Optional(), Length(max=500, message="不超过500字。")])


class CheckForm(ZhForm):
    address = StringField("房屋地址", validators=[DataRequired("请填写房屋地址。"), Length(max=400)],
                          description="标准地址全称，一般到户（室）。", render_kw=ADDRESS_KW)
    house_type = RadioField("房屋类别", choices=options(list(HOUSE_TYPES.items())),
                            validators=[InputRequired("请选择房屋类别。")])
    occupants = IntegerField("居住人数", validators=[Optional(), NumberRange(0, 200, "居住人数应在 0–200 之间。")],
                             render_kw={"inputmode": "numeric"})
    flags = MultiCheckboxField("发现的可疑情况", choices=options(list(SWEEP_FLAGS.items())))
    suspicious = yes_no("是否可疑（立六步工作法案件，转公安入户）", "请选择是否可疑。")
    note = TextAreaField("情况说明", validators=[Optional(), Length(max=1000, message="不超过1000字。")],
                         description="认定可疑时必填：写明看到的情况，供入户民警参考。")
    checked_on = DateField("清查日期", validators=[Optional()], description="留空为行动当天。")


class FinishForm(ZhForm):
    summary = TextAreaField("行动总结", validators=[Optional(), Length(max=1000, message="不超过1000字。")])
