"""查封涉传经营场所: one form per user task of bpmn/seizure.bpmn."""
from __future__ import annotations

import re

from wtforms import IntegerField, RadioField, StringField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from workflows.notices.legal import legal_data

from .base import TaskForm, as_bool, iso, options, yes_no
from .six_step_case import date_field, long_text


def _extension_max() -> int:
    return legal_data()["seizure"]["extension_max_days"]


class ApproveSeizureForm(TaskForm):
    guidance = ("查封涉嫌传销的经营场所，应当事先经县级以上市场监管部门主要负责人书面批准（《禁止传销条例》第十四条第二款）。"
                "未经批准，不能作出查封决定。")
    approved = yes_no("是否批准查封", "请选择是否批准查封。")
    approval_note = long_text("书面批准意见", "请填写书面批准（或不予批准）意见。", max_length=500)

    def to_data(self) -> dict:
        return {"approved": as_bool(self.approved.data), "approval_note": self.approval_note.data.strip()}


class ServeDecisionForm(TaskForm):
    guidance = ("当场交付查封决定书和查封清单（《中华人民共和国行政强制法》第二十四条），执法人员不少于2人。"
                "需要停止供水、供电、供气或更换门锁的，填写协助单位，系统向其发出协助执行通知书；查封结束时自动通知恢复。")
    served_on = date_field("交付日期", "交付日期")
    officers = StringField("实施查封的执法人员（至少2人，用顿号分隔）",
                           validators=[InputRequired("请填写执法人员。"), Length(max=200)])
    witnesses = StringField("当事人或见证人", validators=[InputRequired("请填写当事人或见证人。"), Length(max=200)])
    water = StringField("供水单位（请求停止供水）", validators=[Optional(), Length(max=200)])
    power = StringField("供电单位（请求停止供电）", validators=[Optional(), Length(max=200)])
    gas = StringField("供气单位（请求停止供气）", validators=[Optional(), Length(max=200)])
    lock = StringField("更换门锁并保管钥匙的单位", validators=[Optional(), Length(max=200)])

    def names(self) -> list[str]:
        return [n.strip() for n in re.split(r"[、，,；;\s]+", self.officers.data or "") if n.strip()]

    def validate_officers(self, field):
        if len(self.names()) < 2:
            raise ValidationError("实施查封的执法人员不得少于2人（《禁止传销条例》第十五条）。")

    def to_data(self) -> dict:
        assist = {k: getattr(self, k).data.strip() for k in ("water", "power", "gas", "lock")
                  if (getattr(self, k).data or "").strip()}
        return {"served_on": iso(self.served_on.data), "officers": self.names(),
                "witnesses": self.witnesses.data.strip(), "assist": assist}


class InForceForm(TaskForm):
    guidance = ("查封期间应当及时查清事实，在期限内作出处理决定；不再需要查封的，作出解除查封决定。"
                "案件情况复杂的，可以报请负责人批准延长一次（《禁止传销条例》第十八条：不超过15日）。期限届满系统自动解除查封。")
    action = RadioField("办理事项", choices=options([("release", "解除查封"), ("extend", "申请延长查封期限")]),
                        validators=[InputRequired("请选择解除查封或申请延长。")])
    reason = long_text("理由", "请填写理由。", max_length=1000)
    extension_days = IntegerField("延长天数", validators=[Optional()], render_kw={"inputmode": "numeric"})

    def validate_extension_days(self, field):
        most = _extension_max()
        if self.action.data == "extend" and not (field.data and 1 <= field.data <= most):
            raise ValidationError(f"延长天数应为1至{most}日。")

    def to_data(self) -> dict:
        days = self.extension_days.data if self.action.data == "extend" else 0
        return {"action": self.action.data, "reason": self.reason.data.strip(), "extension_days": days or 0}


class ApproveExtensionForm(TaskForm):
    guidance = "延长查封期限须经主要负责人批准，延长的决定应当及时书面告知当事人并说明理由（《中华人民共和国行政强制法》第二十五条）。"
    extension_approved = yes_no("是否批准延长", "请选择是否批准延长。")
    approval_note = long_text("批准意见", "请填写批准（或不予批准）意见。", max_length=500)

    def to_data(self) -> dict:
        return {"extension_approved": as_bool(self.extension_approved.data),
                "approval_note": self.approval_note.data.strip()}


FORMS = {
    "approve_seizure": ApproveSeizureForm,
    "serve_decision": ServeDecisionForm,
    "in_force": InForceForm,
    "approve_extension": ApproveExtensionForm,
}
