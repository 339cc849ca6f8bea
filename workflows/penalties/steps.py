"""What each step of the penalty procedure checks and adds before the engine runs it (the hooks'
`before_complete`): the statutory dates on the working-day calendar, and the rules the law puts on each step."""
from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from workflows.clock import office_date
from workflows.engine.context import ActionContext
from workflows.exceptions import ValidationFailed
from workflows.notices.validation import fine_problem
from workflows.penalties import legal_terms as terms
from workflows.penalties.legal_terms import Terms
from workflows.vocabulary import SERVICE_METHODS
from workflows.workdays.calendar import WorkdayCalendar

HEARING_TIME = time(9, 0)  # a hearing is held in office hours; its timer waits for that morning


def terms_for(ctx: ActionContext) -> Terms:
    return Terms(WorkdayCalendar.from_settings(ctx.settings), ctx.settings)


def _date(data: dict, key: str, label: str, errors: dict, today: date | None = None) -> date | None:
    """An ISO date of the submission; a past event may not be dated in the future."""
    try:
        value = date.fromisoformat(str(data.get(key) or ""))
    except ValueError:
        errors.setdefault(key, []).append(f"请填写{label}（年-月-日）")
        return None
    if today is not None and value > today:
        errors.setdefault(key, []).append(f"{label}不能晚于今天")
    return value


def _fine(data: dict, key: str, errors: dict) -> int | None:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        errors.setdefault(key, []).append("罚款金额应为不小于 0 的整数（元）")
        return None
    return value


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationFailed(errors)


def check(ctx: ActionContext, task_name: str, context: dict, data: dict) -> None:
    """Check `data` for the step `task_name` of a procedure whose data so far is `context`; add what it implies."""
    checker = CHECKS.get(task_name)
    if checker is not None:
        errors: dict[str, list[str]] = {}
        checker(ctx, context, data, errors, office_date(ctx.now))
        _raise(errors)


def _participant_disposal(ctx, context, data, errors, today):
    disposal = data.get("disposal")
    if disposal == "summary_fine":
        fine = _fine(data, "fine", errors)
        # 第五十一条: on the spot, a person may be fined up to 200 yuan (and an organisation up to 3,000).
        if fine is not None and not 0 < fine <= terms.SUMMARY_FINE_PERSON_MAX:
            errors.setdefault("fine", []).append("当场罚款对公民不超过 200 元（《中华人民共和国行政处罚法》第五十一条）；"
                                                 "更多的罚款请选择一般程序")
    if disposal in ("warning", "summary_fine"):
        if not (data.get("spot_record") or "").strip():
            errors.setdefault("spot_record", []).append("请填写当场处罚的简要记录（违法事实、依据、当事人意见）")
        data["decided_on"] = today.isoformat()


def _approve_filing(ctx, context, data, errors, today):
    choice = data.get("filing_decision")
    if not (data.get("filing_reason") or "").strip():
        errors.setdefault("filing_reason", []).append("请填写立案或不予立案的理由")
    if choice == "extend":
        if context.get("filing_extended"):
            errors.setdefault("filing_decision", []).append("立案期限只能延长一次（15 个工作日）")
            return
        discovered = date.fromisoformat(context["discovered_on"])
        data["filing_extended"] = True
        data["filing_due"] = terms_for(ctx).filing_due(discovered, extended=True).isoformat()
    elif choice == "open":
        data["filed_on"] = today.isoformat()
        data["decision_due"] = terms_for(ctx).decision_due(today).isoformat()


def _investigate(ctx, context, data, errors, today):
    officers = [o for o in data.get("officers") or [] if str(o).strip()]
    # 第四十二条: an investigation or inspection is done by at least two officers.
    if len(officers) < 2:
        errors.setdefault("officers", []).append("调查取证的执法人员不得少于两人（《中华人民共和国行政处罚法》第四十二条）")
    if not [e for e in data.get("evidence") or [] if str(e).strip()]:
        errors.setdefault("evidence", []).append("请列出取得的证据（至少一项）")


def _investigation_report(ctx, context, data, errors, today):
    fine = _fine(data, "proposed_fine", errors)
    if not (data.get("report") or "").strip():
        errors.setdefault("report", []).append("请填写调查终结报告")
    if fine is None:
        return
    role = context["role"]
    problem = fine_problem(role, Decimal(fine))
    if problem:
        errors.setdefault("proposed_fine", []).append(problem)
    settings, kind = ctx.settings, context.get("party_kind", "person")
    serious, complex_ = bool(data.get("serious")), bool(data.get("complex"))
    # 第五十八条 (serious public interest, complex cases) or as configured; 第五十七条第二款 for collective discussion.
    data["needs_legal_review"] = serious or complex_ or settings.legal_review_always
    data["needs_collective"] = serious or complex_
    data["hearing_right"] = terms_for(ctx).hearing_right(kind, fine)
    data["fine_ceiling"] = fine


def _notify(ctx, context, data, errors, today):
    notified = _date(data, "notified_on", "告知书送达日期", errors, today)
    if notified is None:
        return
    until = terms_for(ctx).reply_until(notified)
    data["reply_deadline"] = until.isoformat()
    # The waiting is a timer in the diagram: it fires at the end of the last day the party may answer.
    data["reply_until"] = terms.local_time_utc_iso(until, time(23, 59, 59))


def _record_response(ctx, context, data, errors, today):
    response = data.get("response")
    if response == "statement" and not (data.get("statement") or "").strip():
        errors.setdefault("statement", []).append("请记录当事人陈述、申辩的内容")
    if response == "hearing":
        if not context.get("hearing_right"):
            errors.setdefault("response", []).append("拟作出的处罚未达到听证标准，当事人无权要求听证")
        asked = _date(data, "hearing_requested_on", "当事人申请听证日期", errors, today)
        if asked is not None and asked > date.fromisoformat(context["reply_deadline"]):
            errors.setdefault("hearing_requested_on", []).append(
                f"当事人应在告知后五个工作日内（{context['reply_deadline']}前）提出听证申请")
        # 第五十八条: a case that went through a hearing is reviewed by the legal reviewer before the decision.
        data["needs_legal_review"] = True


def _not_raised(key, label):
    def check_fine(ctx, context, data, errors, today):
        fine = _fine(data, key, errors)
        # 第四十五条: the penalty may never be made heavier because the party stated a defence.
        if fine is not None and fine > context["fine_ceiling"]:
            errors.setdefault(key, []).append(
                f"不得因当事人陈述、申辩而给予更重的处罚（《中华人民共和国行政处罚法》第四十五条）："
                f"{label}不能高于告知的 {context['fine_ceiling']} 元")
        elif fine is not None:
            data["fine_ceiling"] = fine
        if key == "fine_after_hearing" and not (data.get("hearing_minutes") or "").strip():
            errors.setdefault("hearing_minutes", []).append("请填写听证笔录")
        if key == "fine_after_hearing" and not (data.get("hearing_report") or "").strip():
            errors.setdefault("hearing_report", []).append("请填写听证报告")
    return check_fine


def _hearing_notice(ctx, context, data, errors, today):
    served = _date(data, "notice_served_on", "听证通知书送达日期", errors, today)
    hearing = _date(data, "hearing_date", "听证日期", errors)
    if served is None or hearing is None:
        return
    earliest = terms_for(ctx).earliest_hearing(served)
    if hearing < earliest:
        errors.setdefault("hearing_date", []).append(
            f"听证通知书应在举行听证的七日前送达（《中华人民共和国行政处罚法》第六十四条），听证日期不能早于 {earliest.isoformat()}")
    data["hearing_at"] = terms.local_time_utc_iso(hearing, HEARING_TIME)


def _decide(ctx, context, data, errors, today):
    reply_deadline = date.fromisoformat(context["reply_deadline"])
    if today <= reply_deadline:
        errors.setdefault("decision", []).append(
            f"陈述、申辩和申请听证的期限至 {reply_deadline.isoformat()} 届满，期满前不得作出处罚决定")
    if context.get("response") == "hearing" and not context.get("hearing_report"):
        errors.setdefault("decision", []).append("当事人申请的听证尚未举行，不得作出处罚决定")
    if data.get("decision") != "penalty":
        return
    fine = _fine(data, "fine", errors)
    if not (data.get("decision_number") or "").strip():
        errors.setdefault("decision_number", []).append("请填写行政处罚决定书文号")
    if fine is not None:
        if fine > context["fine_ceiling"]:
            errors.setdefault("fine", []).append(
                f"处罚决定不能重于告知（及复核、听证后）的 {context['fine_ceiling']} 元"
                "（《中华人民共和国行政处罚法》第四十五条、第六十五条）")
        problem = fine_problem(context["role"], Decimal(fine)) if fine else None
        if problem:
            errors.setdefault("fine", []).append(problem)
    data["decided_on"] = today.isoformat()
    data["service_due"] = terms_for(ctx).service_due(today).isoformat()


def _serve(ctx, context, data, errors, today):
    method = data.get("service_method")
    if method not in SERVICE_METHODS:
        errors.setdefault("service_method", []).append("请选择送达方式")
    if method == "electronic" and not data.get("consent_signed"):
        errors.setdefault("consent_signed", []).append("电子送达须当事人书面同意（已签署送达地址确认书）")
    served = _date(data, "served_on", "送达日期", errors, today)
    if served is not None and served < date.fromisoformat(context["decided_on"]):
        errors.setdefault("served_on", []).append("送达日期不能早于决定日期")
    if method not in ("announcement", "electronic") and not data.get("receipt_returned_on"):
        errors.setdefault("receipt_returned_on", []).append("请登记送达回证收回日期")
    if data.get("receipt_returned_on"):
        _date(data, "receipt_returned_on", "送达回证收回日期", errors, today)
    if served is not None:
        data["payment_due"] = terms.payment_due(served).isoformat()
        data["appeal_periods_end"] = terms.appeal_periods_end(served).isoformat()


def _execute(ctx, context, data, errors, today):
    served = date.fromisoformat(context["served_on"])
    fine = context["fine"]
    if data.get("execution") == "paid":
        paid_on = _date(data, "paid_on", "缴款日期", errors, today)
        if paid_on is None:
            return
        due = terms.surcharge(fine, served, paid_on)
        data["surcharge"] = due
        if data.get("paid_amount") != fine + due:
            errors.setdefault("paid_amount", []).append(
                f"应缴罚款 {fine} 元" + (f"，另加处罚款 {due} 元（《中华人民共和国行政处罚法》第七十二条），合计 {fine + due} 元"
                                      if due else "") + "；缴款金额与之不符")
    elif data.get("execution") == "enforcement":
        applied = _date(data, "enforcement_applied_on", "申请强制执行日期", errors, today)
        first, last = terms.enforcement_window(served)
        if applied is not None and not first <= applied <= last:
            errors.setdefault("enforcement_applied_on", []).append(
                f"申请人民法院强制执行应在复议、诉讼期限届满后三个月内（{first.isoformat()} 至 {last.isoformat()}）")
        if applied is not None:
            data["surcharge"] = terms.surcharge(fine, served, applied)


def _close_case(ctx, context, data, errors, today):
    if data.get("closing_approved"):
        data["closed_on"] = today.isoformat()


CHECKS = {
    "participant_disposal": _participant_disposal, "approve_filing": _approve_filing, "investigate": _investigate,
    "investigation_report": _investigation_report, "notify": _notify, "record_response": _record_response,
    "review_statement": _not_raised("fine_after_review", "复核后的罚款"), "hearing_notice": _hearing_notice,
    "hearing_record": _not_raised("fine_after_hearing", "听证后的罚款"), "decide": _decide, "serve": _serve,
    "execute": _execute, "close_case": _close_case,
}
