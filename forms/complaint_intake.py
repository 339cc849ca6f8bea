"""投诉举报受理（首接负责）: one form per user task of bpmn/complaint_intake.bpmn."""
from __future__ import annotations

from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, ValidationError

from workflows.complaints.models import RESPONSIBLE_UNITS

from .base import TaskForm, as_bool, iso, options, yes_no
from .six_step_case import date_field, long_text

UNITS = list(RESPONSIBLE_UNITS.items())


class AcceptForm(TaskForm):
    guidance = ("有警（诉）必接：首接人登记研判。管辖明确的交责任单位调查；管辖不明确或有争议的，"
                "由首接人先行处置再移送（先处置再移送）。")
    jurisdiction_clear = yes_no("管辖是否明确", "请选择管辖是否明确。")
    responsible_unit = RadioField("责任单位", choices=options(UNITS + [("", "暂不明确")]), default="",
                                  validate_choice=True)
    accept_note = long_text("研判意见", "请填写研判意见。")

    def validate_responsible_unit(self, field):
        if self.jurisdiction_clear.data == "yes" and field.data not in ("market", "police"):
            raise ValidationError("管辖明确的，请选择责任单位。")

    def to_data(self) -> dict:
        clear = as_bool(self.jurisdiction_clear.data)
        return {"jurisdiction_clear": clear, "responsible_unit": self.responsible_unit.data if clear else "",
                "accept_note": self.accept_note.data.strip()}


class FirstHandlingForm(TaskForm):
    guidance = "管辖不明确或有争议的，首接人先行处置（制止、固定证据、安抚群众），再移送责任单位，移送全程留痕。"
    handling = long_text("先行处置情况", "请填写先行处置情况。")
    responsible_unit = RadioField("移送单位", choices=options(UNITS), validators=[InputRequired("请选择移送单位。")])
    transfer_reason = long_text("移送理由", "请填写移送理由。")

    def to_data(self) -> dict:
        return {"handling": self.handling.data.strip(), "responsible_unit": self.responsible_unit.data,
                "transfer_reason": self.transfer_reason.data.strip()}


class InvestigateForm(TaskForm):
    guidance = "接警（诉）必查：调查核实举报内容。发现传销窝点线索的，立六步工作法案件，与本举报双向关联。"
    needs_areas = True
    finding = long_text("调查核实情况", "请填写调查核实情况。")
    open_case = yes_no("是否立六步工作法案件", "请选择是否立案。")
    case_address = StringField("立案地址", validators=[Length(max=400)],
                               description="标准地址全称；留空则使用举报登记的地址。",
                               render_kw={"list": "area-options", "autocomplete": "off"})

    def validate_case_address(self, field):
        address = (field.data or "").strip()
        if self.open_case.data == "yes" and address and not self.lookup("area_exists", address):
            raise ValidationError("找不到这个标准地址，请从提示中选择。")

    def to_data(self) -> dict:
        opened = as_bool(self.open_case.data)
        return {"finding": self.finding.data.strip(), "open_case": opened,
                "case_address": (self.case_address.data or "").strip() if opened else ""}


class ResultForm(TaskForm):
    guidance = "查必有果：写明办理结果。举报属实、对查处起到作用的，可建议给予举报奖励，报督办领导审批。"
    result = long_text("办理结果", "请填写办理结果。")
    effective = yes_no("举报是否属实有效", "请选择举报是否属实有效。")
    reward_proposed = BooleanField("建议给予举报奖励")
    # Recorded as it happened: Annex 3 (查必有果) deducts for a complaint closed without a result because the
    # officers could not get in, so the ledger must say when that was the reason.
    no_entry = BooleanField("因进不了门（无法入户）未能查到结果")

    def validate_reward_proposed(self, field):
        if field.data and self.effective.data != "yes":
            raise ValidationError("举报不属实的，不能建议奖励。")

    def to_data(self) -> dict:
        return {"result": self.result.data.strip(), "effective": as_bool(self.effective.data),
                "reward_proposed": bool(self.reward_proposed.data), "no_entry": bool(self.no_entry.data)}


REPLY_METHODS = [("phone", "电话"), ("written", "书面"), ("sms", "短信"), ("visit", "当面")]


class ReplyForm(TaskForm):
    guidance = "实名举报的，向举报人答复办理结果。答复不得泄露举报人信息，也不得透露尚未公开的案件细节。"
    replied_on = date_field("答复日期", "答复日期")
    reply_method = SelectField("答复方式", choices=options(REPLY_METHODS), default="phone")
    reply = long_text("答复内容", "请填写答复内容。")

    def to_data(self) -> dict:
        return {"reply": self.reply.data.strip(), "replied_on": iso(self.replied_on.data),
                "reply_method": self.reply_method.data}


class ApproveRewardForm(TaskForm):
    guidance = "对有效举报给予奖励（举报奖励）：审批是否奖励及金额。"
    reward_approved = yes_no("是否批准奖励", "请选择是否批准奖励。")
    reward_amount = IntegerField("奖励金额（元）", validators=[NumberRange(0, 1_000_000, "奖励金额应在 0–1000000 元之间。")],
                                 render_kw={"inputmode": "numeric"})
    approval_note = long_text("审批意见", "请填写审批意见。")

    def validate_reward_amount(self, field):
        if self.reward_approved.data == "yes" and not field.data:
            raise ValidationError("批准奖励的，请填写奖励金额。")

    def to_data(self) -> dict:
        approved = as_bool(self.reward_approved.data)
        return {"reward_approved": approved, "reward_amount": (self.reward_amount.data or 0) if approved else 0,
                "approval_note": self.approval_note.data.strip()}


FORMS = {
    "accept": AcceptForm,
    "first_handling": FirstHandlingForm,
    "investigate_market": InvestigateForm,
    "investigate_police": InvestigateForm,
    "result_market": ResultForm,
    "result_police": ResultForm,
    "reply": ReplyForm,
    "approve_reward": ApproveRewardForm,
}
