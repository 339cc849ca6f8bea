"""行政处罚（一般程序）: one form per user task of bpmn/penalty_procedure.bpmn. The statutory checks that need the
calendar or the procedure's record (five working days, 第四十五条, the enforcement window) run in the
procedure's hooks whatever the caller; these forms check what a person typed."""
from __future__ import annotations

from wtforms import BooleanField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from workflows.vocabulary import SERVICE_METHODS

from .base import TaskForm, as_bool, iso, options, yes_no
from .fields import DateField
from .validators import NotFuture


def day(label: str, required: bool = True, future_ok: bool = False) -> DateField:
    checks = [InputRequired(f"请填写{label}。")] if required else [Optional()]
    if not future_ok:
        checks.append(NotFuture(f"{label}不能晚于今天。"))
    return DateField(label, validators=checks)


def text(label: str, required: bool = True, max_length: int = 4000) -> TextAreaField:
    checks = [InputRequired(f"请填写{label}。")] if required else [Optional()]
    return TextAreaField(label, validators=checks + [Length(max=max_length, message=f"不能超过 {max_length} 字。")])


def yuan(label: str, required: bool = True) -> IntegerField:
    checks = [InputRequired(f"请填写{label}。")] if required else [Optional()]
    return IntegerField(label, validators=checks + [NumberRange(0, message="金额不能为负数。")],
                        render_kw={"inputmode": "numeric"})


def lines(value: str | None) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class ParticipantDisposalForm(TaskForm):
    guidance = ("普通参与者：当场警告，或当场罚款（简易程序，对公民 200 元以下，《中华人民共和国行政处罚法》第五十一条），"
                "填写当场行政处罚决定书的简要记录；罚款超过 200 元的转一般程序（2000 元以下，《禁止传销条例》第二十四条第三款）；"
                "仅教育的，不属于行政处罚。")
    disposal = RadioField("处置方式", choices=options([("warning", "当场警告"), ("summary_fine", "当场罚款"),
                                                    ("ordinary", "一般程序罚款"), ("education", "仅教育，不予处罚")]),
                          validators=[InputRequired("请选择处置方式。")])
    fine = yuan("当场罚款金额（元）", required=False)
    spot_record = text("当场处罚记录（违法事实、依据、当事人陈述申辩）", required=False)

    def validate_fine(self, field):
        if self.disposal.data == "summary_fine" and not field.data:
            raise ValidationError("当场罚款请填写金额。")

    def to_data(self) -> dict:
        data = {"disposal": self.disposal.data, "spot_record": (self.spot_record.data or "").strip()}
        if self.disposal.data == "summary_fine":
            data["fine"] = self.fine.data
        return data


class ApproveFilingForm(TaskForm):
    guidance = ("负责人自发现线索之日起 15 个工作日内决定是否立案；特殊情况经批准可延长 15 个工作日（只能延长一次）。"
                "不予立案的，写明理由。")
    filing_decision = RadioField("审批意见", choices=options([("open", "立案"), ("not_open", "不予立案"),
                                                          ("extend", "延长立案期限 15 个工作日")]),
                                 validators=[InputRequired("请选择审批意见。")])
    filing_reason = text("理由")

    def to_data(self) -> dict:
        return {"filing_decision": self.filing_decision.data, "filing_reason": self.filing_reason.data.strip()}


class InvestigateForm(TaskForm):
    guidance = "调查取证的执法人员不得少于两人，并出示执法证件（《中华人民共和国行政处罚法》第四十二条）。"
    officers = text("执法人员（每行一人：姓名 执法证号）", max_length=500)
    evidence = text("证据清单（每行一项）")

    def to_data(self) -> dict:
        return {"officers": lines(self.officers.data), "evidence": lines(self.evidence.data)}


# The three forms of conduct of 禁止传销条例 第七条, by their article keys in legal_texts.json (verbatim there).
CONDUCT_FORMS = [("ban_7_1", "拉人头计酬（第七条第一项）"), ("ban_7_2", "交纳入门费取得资格（第七条第二项）"),
                 ("ban_7_3", "以下线销售业绩计酬（第七条第三项）")]


class InvestigationReportForm(TaskForm):
    guidance = ("调查终结报告：违法事实、证据、《禁止传销条例》第七条所列的哪一种传销行为、拟作出的处罚。"
                "情节复杂或者重大违法的，经法制审核后由负责人集体讨论决定。")
    report = text("调查终结报告")
    conduct_form = RadioField("传销行为形式（《禁止传销条例》第七条）", choices=options(CONDUCT_FORMS),
                              validators=[InputRequired("请选择传销行为的形式。")])
    proposed_fine = yuan("拟罚款金额（元）")
    serious = BooleanField("重大违法行为或涉及重大公共利益")
    complex_ = BooleanField("案情疑难复杂、涉及多个法律关系")

    def to_data(self) -> dict:
        return {"report": self.report.data.strip(), "conduct_form": self.conduct_form.data,
                "proposed_fine": self.proposed_fine.data, "serious": bool(self.serious.data),
                "complex": bool(self.complex_.data)}


class NotifyForm(TaskForm):
    guidance = ("签发并送达行政处罚告知书；当事人可在五个工作日内陈述、申辩，达到听证标准的可要求听证。"
                "期限届满前不能作出处罚决定，系统到期自动进入下一环节。")
    notified_on = day("告知书送达日期")

    def to_data(self) -> dict:
        return {"notified_on": iso(self.notified_on.data)}


class RecordResponseForm(TaskForm):
    guidance = "记录当事人在期限内的意见：未提出、陈述申辩，或申请听证（须在告知后五个工作日内提出）。"
    response = RadioField("当事人意见", choices=options([("silent", "未提出陈述申辩"), ("statement", "陈述、申辩"),
                                                    ("hearing", "申请听证")]),
                          validators=[InputRequired("请选择当事人意见。")])
    statement = text("陈述、申辩内容", required=False)
    hearing_requested_on = day("申请听证日期", required=False)

    def to_data(self) -> dict:
        data = {"response": self.response.data, "statement": (self.statement.data or "").strip()}
        if self.response.data == "hearing":
            data["hearing_requested_on"] = iso(self.hearing_requested_on.data)
        return data


class ReviewStatementForm(TaskForm):
    guidance = "对当事人提出的事实、理由和证据进行复核；不得因当事人陈述、申辩而给予更重的处罚（第四十五条）。"
    review_note = text("复核意见")
    fine_after_review = yuan("复核后的拟罚款金额（元）")

    def to_data(self) -> dict:
        return {"review_note": self.review_note.data.strip(), "fine_after_review": self.fine_after_review.data}


class HearingNoticeForm(TaskForm):
    guidance = "听证通知书应在举行听证的七日（工作日）前送达当事人，写明听证的时间、地点。"
    notice_served_on = day("听证通知书送达日期")
    hearing_date = day("听证日期", future_ok=True)
    hearing_place = StringField("听证地点", validators=[InputRequired("请填写听证地点。"), Length(max=120)])

    def to_data(self) -> dict:
        return {"notice_served_on": iso(self.notice_served_on.data), "hearing_date": iso(self.hearing_date.data),
                "hearing_place": self.hearing_place.data.strip()}


class HearingRecordForm(TaskForm):
    guidance = "听证笔录交当事人审核签字；依据听证笔录作出决定（第六十五条）。"
    hearing_minutes = text("听证笔录")
    hearing_report = text("听证报告")
    fine_after_hearing = yuan("听证后的拟罚款金额（元）")

    def to_data(self) -> dict:
        return {"hearing_minutes": self.hearing_minutes.data.strip(), "hearing_report": self.hearing_report.data.strip(),
                "fine_after_hearing": self.fine_after_hearing.data}


class LegalReviewForm(TaskForm):
    guidance = "法制审核（第五十八条）：事实、证据、定性、依据、程序、裁量。未通过的，退回补充调查。"
    legal_review_passed = yes_no("审核结论：是否通过", "请选择审核结论。")
    legal_opinion = text("审核意见")

    def to_data(self) -> dict:
        return {"legal_review_passed": as_bool(self.legal_review_passed.data),
                "legal_opinion": self.legal_opinion.data.strip()}


class CollectiveDiscussionForm(TaskForm):
    guidance = "情节复杂或者重大违法行为给予行政处罚，行政机关负责人应当集体讨论决定（第五十七条第二款）。"
    members = text("参加人员（每行一人）", max_length=500)
    discussion_conclusion = text("讨论结论")

    def to_data(self) -> dict:
        return {"members": lines(self.members.data), "discussion_conclusion": self.discussion_conclusion.data.strip()}


class DecideForm(TaskForm):
    guidance = ("负责人审批处罚决定。罚款不得高于告知（及复核、听证后）的金额；行政处罚决定书在本环节签发。")
    decision = RadioField("决定", choices=options([("penalty", "作出行政处罚决定"), ("no_penalty", "不予行政处罚")]),
                          validators=[InputRequired("请选择决定。")])
    fine = yuan("罚款金额（元）", required=False)
    decision_number = StringField("行政处罚决定书文号", validators=[Optional(), Length(max=60)])

    def validate_fine(self, field):
        if self.decision.data == "penalty" and field.data is None:
            raise ValidationError("请填写罚款金额。")

    def validate_decision_number(self, field):
        if self.decision.data == "penalty" and not (field.data or "").strip():
            raise ValidationError("请填写行政处罚决定书文号。")

    def to_data(self) -> dict:
        data = {"decision": self.decision.data}
        if self.decision.data == "penalty":
            data.update(fine=self.fine.data, decision_number=self.decision_number.data.strip())
        return data


class ServeForm(TaskForm):
    guidance = ("行政处罚决定书应在宣告后当场交付；当事人不在场的，在七日（工作日）内送达（第六十一条）。"
                "电子送达须当事人书面同意。缴款和复议、诉讼期限自送达之日起算。")
    service_method = RadioField("送达方式", choices=options(list(SERVICE_METHODS.items())),
                                validators=[InputRequired("请选择送达方式。")])
    consent_signed = BooleanField("当事人已书面同意电子送达")
    served_on = day("送达日期")
    receipt_returned_on = day("送达回证收回日期", required=False)

    def to_data(self) -> dict:
        return {"service_method": self.service_method.data, "consent_signed": bool(self.consent_signed.data),
                "served_on": iso(self.served_on.data), "receipt_returned_on": iso(self.receipt_returned_on.data)}


class ExecuteForm(TaskForm):
    guidance = ("当事人自收到决定书之日起十五日内缴纳罚款；逾期每日加处罚款数额的 3%，加处罚款不超过罚款数额"
                "（第七十二条）。复议、诉讼期限届满仍不履行的，三个月内申请人民法院强制执行。")
    execution = RadioField("执行情况", choices=options([("paid", "已缴纳"), ("enforcement", "申请人民法院强制执行")]),
                           validators=[InputRequired("请选择执行情况。")])
    paid_on = day("缴款日期", required=False)
    paid_amount = yuan("缴款金额（元，含加处罚款）", required=False)
    enforcement_applied_on = day("申请强制执行日期", required=False)

    def to_data(self) -> dict:
        if self.execution.data == "paid":
            return {"execution": "paid", "paid_on": iso(self.paid_on.data), "paid_amount": self.paid_amount.data}
        return {"execution": "enforcement", "enforcement_applied_on": iso(self.enforcement_applied_on.data)}


class CloseCaseForm(TaskForm):
    guidance = "结案审批：处罚决定已执行完毕（或已申请强制执行、不予处罚、不予立案）的，由负责人批准结案。"
    closing_approved = yes_no("是否准予结案", "请选择是否准予结案。")
    closing_note = text("结案意见")

    def to_data(self) -> dict:
        return {"closing_approved": as_bool(self.closing_approved.data), "closing_note": self.closing_note.data.strip()}


FORMS = {
    "participant_disposal": ParticipantDisposalForm, "approve_filing": ApproveFilingForm,
    "investigate": InvestigateForm, "investigation_report": InvestigationReportForm, "notify": NotifyForm,
    "record_response": RecordResponseForm, "review_statement": ReviewStatementForm,
    "hearing_notice": HearingNoticeForm, "hearing_record": HearingRecordForm, "legal_review": LegalReviewForm,
    "collective_discussion": CollectiveDiscussionForm, "decide": DecideForm, "serve": ServeForm,
    "execute": ExecuteForm, "close_case": CloseCaseForm,
}
