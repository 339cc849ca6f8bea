"""Recording a complaint from any channel, looking up an anonymous complainant, creating an API client."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from forms.base import options
from forms.validators import Phone, id_number_problem
from workflows.complaints.models import CHANNELS

# Officers record reports from these; "api" is for other systems only.
OFFICER_CHANNELS = [(k, v) for k, v in CHANNELS.items() if k != "api"]
SUBJECT_KINDS = [("platform", "网络平台"), ("entity", "企业或组织")]


class ZhForm(FlaskForm):
    class Meta:
        locales = ["zh"]


class ComplaintForm(ZhForm):
    channel = SelectField("受理渠道", choices=options(OFFICER_CHANNELS), default="phone",
                          validators=[InputRequired("请选择受理渠道。")])
    content = TextAreaField("举报内容", validators=[DataRequired("请填写举报内容。"),
                                                   Length(max=5000, message="举报内容不超过5000字。")])
    address = StringField("涉及地址", validators=[Optional(), Length(max=300, message="地址不超过300字。")],
                          description="尽量从提示中选择标准地址；不在标准地址库中的，按您的辖区受理。",
                          render_kw={"list": "area-options", "autocomplete": "off"})
    anonymous = BooleanField("匿名举报（不登记举报人身份）")
    complainant_name = StringField("举报人姓名", validators=[Length(max=64, message="姓名过长。")])
    complainant_phone = StringField("联系电话", validators=[Optional(), Phone()], render_kw={"inputmode": "tel"})
    complainant_id_number = StringField("身份证号码", validators=[Optional(), Length(max=18, message="身份证号码应为18位。")],
                                        render_kw={"autocomplete": "off", "maxlength": 18})
    complainant_contact = StringField("其他联系方式", validators=[Optional(), Length(max=200)],
                                      description="如通信地址、电子邮箱。")
    online_mlm = BooleanField("网络传销举报（被举报的是网络平台或企业）")
    subject_name = StringField("被举报的平台或企业名称", validators=[Length(max=200)])
    subject_kind = RadioField("被举报主体类别", choices=options(SUBJECT_KINDS), default="platform",
                              validators=[Optional()])

    def validate_complainant_name(self, field):
        if not self.anonymous.data and not (field.data or "").strip():
            raise ValidationError("实名举报须填写举报人姓名；举报人不愿留名的，请勾选“匿名举报”。")

    def validate_complainant_id_number(self, field):
        if (field.data or "").strip() and not self.anonymous.data:
            from datetime import date
            problem = id_number_problem(field.data, date.today())
            if problem:
                raise ValidationError(problem)

    def validate_subject_name(self, field):
        if self.online_mlm.data and not (field.data or "").strip():
            raise ValidationError("网络传销举报须填写被举报的平台或企业名称。")

    def report(self) -> dict:
        anonymous = bool(self.anonymous.data)
        identity = {k: "" if anonymous else (getattr(self, k).data or "").strip()
                    for k in ("complainant_name", "complainant_phone", "complainant_id_number",
                              "complainant_contact")}
        identity["complainant_id_number"] = identity["complainant_id_number"].upper()
        return {"channel": self.channel.data, "content": self.content.data, "address": self.address.data or "",
                "anonymous": anonymous, "online_mlm": bool(self.online_mlm.data),
                "subject_name": (self.subject_name.data or "").strip() if self.online_mlm.data else "",
                "subject_kind": self.subject_kind.data or "platform", **identity}


class LedgerFilterForm(ZhForm):
    class Meta:
        csrf = False
        locales = ["zh"]

    since = DateField("受理日期自", validators=[Optional()])
    until = DateField("至", validators=[Optional()])


class RevealForm(ZhForm):
    reason = TextAreaField("查看理由", validators=[DataRequired("请填写查看理由（将记入审计日志）。"),
                                                 Length(max=500, message="理由不超过500字。")])
