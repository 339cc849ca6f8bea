"""The procedure's documents: issued only at their step, with the party and role of the procedure, read back from
the PDF with pdftotext."""
from __future__ import annotations

import pytest

from notice_helpers import SAMPLES, count, flat, notices, pdf_text
from penalty_helpers import PARTICIPANT, PenaltyDriver
from webapp.notices import render
from workflows.exceptions import ValidationFailed, WorkflowError
from workflows.notices.models import Notice, NoticeCounter
from workflows.notices.validation import NoticeRejected

CONTACT = {"contact_person": "赵晓明", "contact_phone": "027-83891234"}
FINDINGS = {"facts": "当事人自2026年8月起以“资本运作”为名，介绍、诱骗他人参加传销，共发展下线12人。",
            "evidence": ["现场检查笔录", "询问笔录3份", "银行流水"], "conduct_form": "ban_7_2"}


@pytest.fixture
def pen(services, lookup, clock):
    return PenaltyDriver(services, lookup, clock)


def _issue(pen, inst, notice_type, fields, user="wjs_market1"):
    task = pen.ready(inst)
    step = {"penalty_notice": "notify", "hearing_notice": "hearing_notice", "penalty_decision": "decide",
            "service_receipt": "serve", "summary_penalty_decision": "participant_disposal"}[notice_type]
    return notices(pen.services).issue(notice_type, fields, pen.lookup.user(user), inst, task.get(step))


def _text(pen, notice) -> str:
    svc = notices(pen.services)
    return flat(pdf_text(render.render_pdf(svc.verified(svc.get(notice.id)), notice.status)))


def _to_notify(pen) -> int:
    inst = pen.start(pen.classified_case())
    pen.do(inst, "approve_filing", {"filing_decision": "open", "filing_reason": "符合立案条件"})
    pen.do(inst, "investigate", {"officers": ["赵晓明", "孙丽华"], "evidence": FINDINGS["evidence"]})
    pen.do(inst, "investigation_report", {"report": "经查属实", "proposed_fine": 150000, "serious": False,
                                          "complex": False, "conduct_form": "ban_7_2"})
    return inst


def test_the_notice_states_the_proposed_penalty_its_basis_and_the_rights_then_the_decision_recites_it(pen):
    inst = _to_notify(pen)
    # No decision before the 告知: the decide step does not exist yet.
    with pytest.raises(WorkflowError, match="只能在当事人行政处罚程序的“行政处罚决定审批”环节签发"):
        _issue(pen, inst, "penalty_decision", {**SAMPLES["penalty_decision"]})
    notice = _issue(pen, inst, "penalty_notice", {**FINDINGS, **CONTACT, "role": "organiser", "fine_yuan": "1"})
    text = _text(pen, notice)
    assert "当事人：张三" in text and "介绍、诱骗、胁迫他人参加传销的违法行为" in text   # the party's own role
    assert "第七条第二项规定的“组织者或者经营者通过发展人员，要求被发展人员交纳费用" in text
    assert "罚款人民币壹拾伍万元整（¥150,000.00）" in text                              # the amount reported
    assert "第四十四条" in text and "不会因当事人陈述、申辩而给予更重的处罚" in text
    assert "有权要求听证" in text and "五个工作日内" in text
    pen.do(inst, "notify", {"notified_on": pen.today()})
    pen.pass_reply_period()
    pen.do(inst, "record_response", {"response": "statement", "statement": "初次参与，请求从轻"})
    pen.do(inst, "review_statement", {"review_note": "部分采纳，从轻处罚", "fine_after_review": 120000})
    decision_fields = {**SAMPLES["penalty_decision"], **FINDINGS, "fine_yuan": "150000"}
    with pytest.raises(ValidationFailed) as err:
        _issue(pen, inst, "penalty_decision", decision_fields)
    assert "120000" in err.value.errors["fine_yuan"][0]
    assert count(pen.services, NoticeCounter) == 1  # the refused decision took no number
    decision = _issue(pen, inst, "penalty_decision", {**decision_fields, "fine_yuan": "120000"}, user="wjs_market1")
    text = _text(pen, decision)
    # 第五十九条: party; facts and evidence; kind and basis; performance; remedies; authority and date.
    assert "当事人：张三" in text and "1．现场检查笔录" in text
    assert "《禁止传销条例》第二十四条第二款" in text and "1．责令停止违法行为" in text
    assert "罚款人民币壹拾贰万元整（¥120,000.00）" in text and "3．没收违法所得人民币36000元" in text
    assert "十五日内" in text and "百分之三加处罚款" in text and "六十日内" in text
    assert "东西湖区市场监督管理局" in text
    # The 告知 and what the party said.
    assert "送达了行政处罚告知书" in text and "当事人提出陈述、申辩：初次参与，请求从轻" in text
    assert "经复核：部分采纳，从轻处罚" in text
    # A quotation ends before the closing mark (“…”的规定, not “…。”的规定); items are cited as 第一项.
    assert "”的规定" in text and "。”的规定" not in text
    assert "第七十二条第一款第一项" in text


def test_a_fine_out_of_range_is_refused_with_the_article_and_takes_no_number(pen):
    inst = _to_notify(pen)
    pen.do(inst, "notify", {"notified_on": pen.today()})
    pen.pass_reply_period()
    pen.do(inst, "record_response", {"response": "silent"})
    with pytest.raises(NoticeRejected) as refused:
        _issue(pen, inst, "penalty_decision", {**SAMPLES["penalty_decision"], "fine_yuan": "50000"})
    assert "应在10万元以上50万元以下（《禁止传销条例》第二十四条第二款），5万元超出该范围" in refused.value.message
    assert count(pen.services, Notice) == 0 and count(pen.services, NoticeCounter) == 0


def test_the_hearing_notice_and_the_service_receipt(pen, clock):
    inst = _to_notify(pen)
    pen.do(inst, "notify", {"notified_on": pen.today()})
    pen.pass_reply_period()
    pen.do(inst, "record_response", {"response": "hearing", "hearing_requested_on": "2026-11-25"})
    notice = _issue(pen, inst, "hearing_notice", {**CONTACT, "party_name": "他人", "hearing_date": "2026-12-10",
                                                  "hearing_place": "区市场监管局听证室", "host": "法制科 林淑芬"})
    text = _text(pen, notice)
    assert "张三" in text and "2026年11月25日" in flat(text) or "二〇二六年十一月二十五日" in text
    assert "第六十四条第二项" in text and "区市场监管局听证室" in text
    pen.do(inst, "hearing_notice", {"notice_served_on": pen.today(), "hearing_date": "2026-12-10",
                                    "hearing_place": "区市场监管局听证室"})
    clock.advance(days=9)
    pen.workflow.fire_due_timers()
    pen.do(inst, "hearing_record", {"hearing_minutes": "……", "hearing_report": "维持", "fine_after_hearing": 150000})
    pen.do(inst, "legal_review", {"legal_review_passed": True, "legal_opinion": "同意"})
    _issue(pen, inst, "penalty_decision", {**SAMPLES["penalty_decision"], "fine_yuan": "150000"})
    pen.decide(inst, fine=150000)
    receipt = _issue(pen, inst, "service_receipt", {"party_name": "x", "document": "东市监处罚〔2026〕1号 行政处罚决定书",
                                                    "service_method": "direct", "service_place": "当事人住所"})
    text = _text(pen, receipt)
    assert "送达回证" in text and "受送达人" in text and "张三" in text and "直接送达" in text


def test_an_on_the_spot_decision_for_a_participant(pen):
    inst = pen.start(pen.classified_case(), PARTICIPANT, role="participant")
    fields = {"party_name": "李四", "party_id": PARTICIPANT["id_number"], "party_address": "湖北省武汉市",
              "facts": "参加传销，听课三次", "summary_kind": "fine", "fine_yuan": "500", "place": "花园小区1栋",
              "officers": ["赵晓明 42010001", "孙丽华 42010002"]}
    with pytest.raises(ValidationFailed) as err:
        _issue(pen, inst, "summary_penalty_decision", fields)
    assert "第五十一条" in err.value.errors["fine_yuan"][0]
    notice = _issue(pen, inst, "summary_penalty_decision", {**fields, "fine_yuan": "200"})
    text = _text(pen, notice)
    assert "当场行政处罚决定书" in text and "罚款人民币贰佰元整（¥200.00）" in text and "第五十一条" in text
    assert "第二十四条第三款" in text and "赵晓明42010001" in text
