"""The form that asks for a 查封."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class SeizureRequestForm(FlaskForm):
    class Meta:
        locales = ["zh"]

    party_name = StringField("当事人（姓名或者名称）", validators=[DataRequired("请填写当事人。"), Length(max=200)])
    party_id = StringField("身份证号码或统一社会信用代码", validators=[Optional(), Length(max=22)],
                           render_kw={"autocomplete": "off"})
    party_address = StringField("当事人地址", validators=[DataRequired("请填写当事人地址。"), Length(max=300)])
    premises = StringField("查封场所（坐落）", validators=[DataRequired("请填写查封场所。"), Length(max=300)])
    address = StringField("查封场所的标准地址", validators=[Optional(), Length(max=400)],
                          description="不从案件申请时填写，从提示中选择。",
                          render_kw={"list": "area-options", "autocomplete": "off"})
    reasons = TextAreaField("查封理由（经查明的事实）", validators=[DataRequired("请填写查封理由。"), Length(max=3000)])
    items = TextAreaField("查封清单（场所、设施、财物名称及数量，每行一项）",
                          validators=[DataRequired("请填写查封清单。"), Length(max=3000)])

    def fields(self) -> dict:
        return {"party_name": self.party_name.data, "party_id": self.party_id.data,
                "party_address": self.party_address.data, "premises": self.premises.data,
                "reasons": self.reasons.data, "items": (self.items.data or "").splitlines()}
