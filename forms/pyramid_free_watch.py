"""创无复查、整改与撤销: one form per user task of bpmn/pyramid_free_watch.bpmn."""
from __future__ import annotations

from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange, ValidationError

from .base import MultiCheckboxField, TaskForm, as_bool, options, yes_no
from .pyramid_free_naming import ChecklistForm
from .six_step_case import long_text


class ReinspectForm(ChecklistForm):
    serious_problems = MultiCheckboxField("发现的重大问题", description="有重大问题的，提请命名单位研究立即撤销命名。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.serious_problems.choices = options(list(self.context.get("serious_choices", {}).items()))
        if self.context.get("reason"):
            self.guidance = f"复查事由：{self.context['reason']}。{self.guidance}"

    def to_data(self) -> dict:
        return {**super().to_data(), "serious_problems": list(self.serious_problems.data or [])}


class DecideRevocationForm(TaskForm):
    guidance = "复查发现重大问题：发现重大问题，随时取消命名；不立即撤销的，转为限期整改。"
    revoke = yes_no("是否立即撤销命名", "请选择是否立即撤销命名。")
    reason = long_text("理由", "请写明理由。")

    def to_data(self) -> dict:
        return {"revoke": as_bool(self.revoke.data), "reason": self.reason.data.strip()}


class OrderRectificationForm(TaskForm):
    guidance = "不符合标准的限期整改：期限届满未登记整改情况的，视为拒不整改，撤销命名。"
    deadline_days = IntegerField("整改期限（天）", validators=[InputRequired("请填写整改期限。"),
                                                        NumberRange(1, 365, "整改期限应为 1 至 365 天。")])
    requirements = long_text("整改要求", "请写明整改要求。")

    def prefill(self) -> None:
        self.deadline_days.data = self.context.get("rectification_days", 30)

    def to_data(self) -> dict:
        return {"deadline_days": int(self.deadline_days.data), "requirements": self.requirements.data.strip()}


class ReportRectificationForm(TaskForm):
    guidance = "登记整改情况：已整改的转验收人员复查；拒不整改的，撤销命名。"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.context.get("requirements"):
            self.guidance = (f"{self.guidance}（整改要求：{self.context['requirements']}；"
                             f"期限 {self.context.get('deadline_days')} 天）")
    rectified = yes_no("是否已整改", "请选择是否已整改。")
    report = long_text("整改情况", "请填写整改情况。")

    def validate_report(self, field):
        if not (field.data or "").strip():
            raise ValidationError("请填写整改情况。")

    def to_data(self) -> dict:
        return {"rectified": as_bool(self.rectified.data), "report": self.report.data.strip()}


FORMS = {"reinspect": ReinspectForm, "decide_revocation": DecideRevocationForm,
         "order_rectification": OrderRectificationForm, "report_rectification": ReportRectificationForm,
         "recheck": ChecklistForm}
