"""Forms of the ledger pages: rental houses, 三停一换, lifting a flag, intermediaries, violations, imports."""
from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from forms.base import options
from forms.validators import Phone, id_number_problem
from workflows.ledgers.models import THREE_STOPS_STATES

ADDRESS_KW = {"list": "area-options", "autocomplete": "off"}


class ZhForm(FlaskForm):
    class Meta:
        locales = ["zh"]


def _date(label: str) -> DateField:
    return DateField(label, validators=[Optional()], render_kw={"max": "2099-12-31"})


class HouseForm(ZhForm):
    address = StringField("地址", validators=[DataRequired("请填写地址。"), Length(max=400)],
                          description="标准地址全称，一般到户（室）。", render_kw=ADDRESS_KW)
    owner_name = StringField("房东姓名", validators=[DataRequired("请填写房东姓名。"), Length(max=64, message="姓名过长。")])
    owner_id_number = StringField("房东身份证号码", validators=[Optional(), Length(max=18, message="身份证号码应为18位。")],
                                  render_kw={"autocomplete": "off", "maxlength": 18})
    owner_phone = StringField("房东电话", validators=[Optional(), Phone()], render_kw={"inputmode": "tel"})
    owner_party_member = BooleanField("房东是中共党员")
    owner_public_official = BooleanField("房东是公职人员")
    tenants = TextAreaField("租住人员", validators=[Optional(), Length(max=4000)],
                            description="每行一人：姓名、身份证号码、电话，用空格或逗号隔开。")
    commitment_signed_on = _date("房屋出租承诺书签订日期")
    security_pledge_signed_on = _date("治安责任保证书签订日期")
    filed_on = _date("租赁备案日期")
    filing_number = StringField("备案编号", validators=[Optional(), Length(max=64)])
    flagged = BooleanField("标记为涉传出租屋（开始网格员巡查）")
    note = TextAreaField("备注", validators=[Optional(), Length(max=500, message="备注不超过500字。")])

    def validate_owner_id_number(self, field):
        if (field.data or "").strip():
            problem = id_number_problem(field.data, date.today())
            if problem:
                raise ValidationError(problem)

    def validate_tenants(self, field):
        parsed, problems = parse_tenants(field.data or "")
        if problems:
            raise ValidationError("；".join(problems))
        self.parsed_tenants = parsed

    def fields(self) -> dict:
        """Keyword arguments for registries.save_house (flag only when ticked: lifting it is the patrol's step)."""
        out = {"owner_name": self.owner_name.data.strip(),
               "owner_id_number": (self.owner_id_number.data or "").strip().upper(),
               "owner_phone": (self.owner_phone.data or "").strip(),
               "owner_party_member": bool(self.owner_party_member.data),
               "owner_public_official": bool(self.owner_public_official.data),
               "tenants": getattr(self, "parsed_tenants", []),
               "commitment_signed_on": self.commitment_signed_on.data,
               "security_pledge_signed_on": self.security_pledge_signed_on.data,
               "filed_on": self.filed_on.data, "filing_number": (self.filing_number.data or "").strip(),
               "note": (self.note.data or "").strip()}
        if self.flagged.data:
            out["flagged"] = True
        return out


def parse_tenants(text: str) -> tuple[list[dict], list[str]]:
    """One tenant per line: name, ID number, phone (separated by spaces, commas or 、)."""
    import re
    tenants, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = [p for p in re.split(r"[\s,，、]+", line.strip()) if p]
        if not parts:
            continue
        name, id_number, phone = (parts + ["", ""])[:3]
        if len(name) > 64:
            problems.append(f"第{number}行姓名过长")
        if id_number:
            problem = id_number_problem(id_number, date.today())
            if problem:
                problems.append(f"第{number}行：{problem}")
        tenants.append({"name": name, "id_number": id_number.upper(), "phone": phone})
    return tenants, problems


def tenants_text(tenants: list) -> str:
    return "\n".join(" ".join(x for x in (t.get("name", ""), t.get("id_number", ""), t.get("phone", "")) if x)
                     for t in tenants or [] if isinstance(t, dict))


class ThreeStopsForm(ZhForm):
    state = SelectField("三停一换", choices=options(list(THREE_STOPS_STATES.items())),
                        validators=[InputRequired("请选择三停一换状态。")])
    on = DateField("日期", validators=[Optional()])


class UnflagForm(ZhForm):
    reason = TextAreaField("解除理由", validators=[DataRequired("请填写解除涉传标记的理由。"),
                                                 Length(max=500, message="理由不超过500字。")])


class IntermediaryForm(ZhForm):
    name = StringField("中介机构名称", validators=[DataRequired("请填写名称。"), Length(max=200)])
    credit_code = StringField("统一社会信用代码", validators=[DataRequired("请填写统一社会信用代码。"),
                                                      Length(max=18, message="统一社会信用代码为18位。")],
                              render_kw={"autocomplete": "off", "maxlength": 18})
    address = StringField("经营地址", validators=[DataRequired("请填写经营地址。"), Length(max=400)],
                          description="标准地址全称。", render_kw=ADDRESS_KW)
    contact_name = StringField("联系人", validators=[Optional(), Length(max=64)])
    contact_phone = StringField("联系电话", validators=[Optional(), Phone()], render_kw={"inputmode": "tel"})
    pledge_signed_on = _date("拒绝为传销人员提供房源承诺书签订日期")
    note = TextAreaField("备注", validators=[Optional(), Length(max=500, message="备注不超过500字。")])

    def validate_credit_code(self, field):
        from stdnum.cn import uscc
        if not uscc.is_valid((field.data or "").strip()):
            raise ValidationError("统一社会信用代码校验不通过，请逐位核对。")

    def fields(self) -> dict:
        return {"contact_name": (self.contact_name.data or "").strip(),
                "contact_phone": (self.contact_phone.data or "").strip(),
                "pledge_signed_on": self.pledge_signed_on.data, "note": (self.note.data or "").strip()}


class ViolationForm(ZhForm):
    description = TextAreaField("违规情况", validators=[DataRequired("请填写违规情况。"),
                                                    Length(max=500, message="不超过500字。")])
    case_reference = StringField("关联案件编号", validators=[Optional(), Length(max=40)],
                                 description="如 AJ2026000012，可不填。")


class ImportForm(ZhForm):
    file = FileField("台账文件", validators=[FileRequired("请选择要导入的 .xlsx 或 .csv 文件。")],
                     render_kw={"accept": ".xlsx,.csv"})
