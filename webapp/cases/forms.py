"""Registering a new case or a five-contracts matter."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from forms.base import options

SOURCES = [("sweep", "网格摸排发现"), ("report", "群众举报"), ("assigned", "上级交办"), ("online", "网络巡查"),
           ("other", "其他")]


class NewCaseForm(FlaskForm):
    class Meta:
        locales = ["zh"]

    kind = RadioField("登记类型", choices=options([("six_step_case", "六步工作法案件（疑似传销窝点）"),
                                                  ("five_contracts", "五包责任事项（回流、三停一换失效、地址投诉等）")]),
                         default="six_step_case", validators=[InputRequired("请选择登记类型。")])
    address = StringField("地址", validators=[InputRequired("请填写地址。"), Length(max=400)],
                          description="从提示中选择标准地址（一标三实），可只填到小区或楼栋。",
                          render_kw={"list": "area-options", "autocomplete": "off"})
    title = StringField("标题", validators=[InputRequired("请填写标题。"), Length(max=200, message="标题不能超过 200 字。")],
                        description="如：花园小区1栋1单元101室疑似传销窝点")
    source = SelectField("线索来源", choices=options(SOURCES), default="sweep")
    note = TextAreaField("情况说明", validators=[Length(max=4000)],
                         description="五包责任事项必填：写明要处置的问题。")

    def validate_note(self, field):
        if self.kind.data == "five_contracts" and not (field.data or "").strip():
            raise ValidationError("登记五包责任事项须写明要处置的问题。")
