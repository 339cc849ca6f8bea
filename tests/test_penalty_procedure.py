"""The penalty procedure end to end through the service, on SQLite and PostgreSQL, with the test clock."""
from __future__ import annotations

import pytest

from penalty_helpers import PenaltyDriver
from workflows.exceptions import ValidationFailed
from workflows.vocabulary import InstanceStatus, PenaltyOutcome


@pytest.fixture
def pen(services, lookup, clock):
    return PenaltyDriver(services, lookup, clock)


def test_no_objection_runs_from_filing_to_closing(pen):
    case = pen.classified_case()
    inst = pen.start(case)
    assert set(pen.ready(inst)) == {"approve_filing"}
    pen.to_notice(inst)
    # The party has five working days; nothing more happens until the timer fires.
    assert pen.ready(inst) == {}
    assert pen.workflow.fire_due_timers() == 0
    assert pen.pass_reply_period() == 1
    pen.do(inst, "record_response", {"response": "silent"})
    assert set(pen.ready(inst)) == {"decide"}
    pen.decide(inst)
    pen.serve(inst)
    pen.do(inst, "execute", {"execution": "paid", "paid_on": pen.today(), "paid_amount": 100000})
    pen.do(inst, "close_case", {"closing_approved": True, "closing_note": "罚款已缴清"})
    done = pen.instance(inst)
    assert done.status == InstanceStatus.COMPLETED and done.end_event == "end_closed"
    assert done.parent_instance_id == case
    row = pen.row(inst)
    assert row.outcome == PenaltyOutcome.DECIDED and row.fine == 100000 and row.surcharge == 0
    assert row.closed_on is not None and row.source_instance_id == case


def test_a_participant_can_never_be_penalised_as_an_organiser(pen):
    case = pen.classified_case()
    from penalty_helpers import PARTICIPANT
    with pytest.raises(ValidationFailed) as err:
        pen.start(case, PARTICIPANT, role="organiser")
    assert "role" in err.value.errors


def test_a_statement_is_reviewed_and_can_never_raise_the_penalty(pen):
    inst = pen.start(pen.classified_case())
    pen.to_notice(inst, fine=150000)
    pen.pass_reply_period()
    pen.do(inst, "record_response", {"response": "statement", "statement": "初次参与，收入有限，请求从轻"})
    with pytest.raises(ValidationFailed) as err:
        pen.do(inst, "review_statement", {"review_note": "不予采纳", "fine_after_review": 200000})
    assert "第四十五条" in err.value.errors["fine_after_review"][0]
    pen.do(inst, "review_statement", {"review_note": "部分采纳，从轻处罚", "fine_after_review": 120000})
    with pytest.raises(ValidationFailed) as err:
        pen.decide(inst, fine=150000)
    assert "120000" in err.value.errors["fine"][0]
    pen.decide(inst, fine=120000)
    row = pen.row(inst)
    assert row.response == "statement" and row.fine == 120000 and row.record["statement"].startswith("初次参与")


def test_a_hearing_is_notified_seven_working_days_ahead_held_and_the_decision_follows_its_record(pen, clock):
    inst = pen.start(pen.classified_case())
    pen.to_notice(inst, fine=100000)
    pen.pass_reply_period()  # now Tuesday 1 Dec 2026
    with pytest.raises(ValidationFailed) as err:
        pen.do(inst, "record_response", {"response": "hearing", "hearing_requested_on": "2026-12-01"})
    assert "2026-11-30" in err.value.errors["hearing_requested_on"][0]
    pen.do(inst, "record_response", {"response": "hearing", "hearing_requested_on": "2026-11-26"})
    with pytest.raises(ValidationFailed) as err:
        pen.do(inst, "hearing_notice", {"notice_served_on": "2026-12-01", "hearing_date": "2026-12-09"})
    assert "2026-12-10" in err.value.errors["hearing_date"][0]
    pen.do(inst, "hearing_notice", {"notice_served_on": "2026-12-01", "hearing_date": "2026-12-10"})
    # While the hearing is pending there is no decision step to take.
    assert pen.ready(inst) == {}
    clock.advance(days=8)
    assert pen.workflow.fire_due_timers() == 0 and pen.ready(inst) == {}
    clock.advance(days=1)  # 10 Dec, 17:00 at the office: the hearing morning has come
    assert pen.workflow.fire_due_timers() == 1
    pen.do(inst, "hearing_record", {"hearing_minutes": "当事人到场陈述……", "hearing_report": "建议减轻处罚",
                                    "fine_after_hearing": 100000})
    # 第五十八条: a case that went through a hearing goes to the legal reviewer first.
    assert set(pen.ready(inst)) == {"legal_review"}
    pen.do(inst, "legal_review", {"legal_review_passed": True, "legal_opinion": "事实清楚，程序合法"})
    pen.decide(inst, fine=100000)
    assert pen.row(inst).hearing_on.isoformat() == "2026-12-10"


def test_a_decision_is_refused_before_the_reply_period_ends_or_while_a_hearing_is_pending(services, pen):
    from workflows.penalties import steps
    record = {"role": "introducer", "fine_ceiling": 100000, "reply_deadline": "2026-11-30"}
    with services.db.read() as s:
        ctx = services.workflow.context(s)  # 23 Nov 2026: still inside the reply period
        with pytest.raises(ValidationFailed) as err:
            steps.check(ctx, "decide", record, {"decision": "penalty", "fine": 100000, "decision_number": "1"})
        assert "期满前不得作出处罚决定" in err.value.errors["decision"][0]
        hearing = {**record, "reply_deadline": "2026-11-01", "response": "hearing"}
        with pytest.raises(ValidationFailed) as err:
            steps.check(ctx, "decide", hearing, {"decision": "penalty", "fine": 100000, "decision_number": "1"})
        assert "听证尚未举行" in err.value.errors["decision"][0]


@pytest.mark.parametrize("serious, expected", [(True, ["legal_review", "collective_discussion", "decide"]),
                                               (False, ["decide"])])
def test_legal_review_and_collective_discussion_when_required_and_not(pen, serious, expected):
    inst = pen.start(pen.classified_case())
    pen.to_notice(inst, serious=serious)
    pen.pass_reply_period()
    pen.do(inst, "record_response", {"response": "silent"})
    seen = []
    while "decide" not in seen:
        (name,) = pen.ready(inst)
        seen.append(name)
        if name == "legal_review":
            pen.do(inst, name, {"legal_review_passed": True, "legal_opinion": "同意"})
        elif name == "collective_discussion":
            pen.do(inst, name, {"discussion_conclusion": "同意处罚", "members": ["高振华", "林淑芬", "赵晓明"]})
    assert seen == expected


def test_a_legal_review_that_fails_sends_the_case_back_for_a_new_report_and_notice(pen):
    inst = pen.start(pen.classified_case())
    pen.to_notice(inst, complex_=True)
    pen.pass_reply_period()
    pen.do(inst, "record_response", {"response": "silent"})
    pen.do(inst, "legal_review", {"legal_review_passed": False, "legal_opinion": "证据不足，补充调查"})
    assert set(pen.ready(inst)) == {"investigation_report"}


@pytest.mark.parametrize("method, extra", [("direct", {}), ("residence", {}), ("post", {}),
                                           ("electronic", {"consent_signed": True}), ("announcement", {})])
def test_the_decision_is_served_by_each_recorded_method(pen, method, extra):
    inst = pen.start(pen.classified_case())
    pen.to_notice(inst)
    pen.pass_reply_period()
    pen.do(inst, "record_response", {"response": "silent"})
    pen.decide(inst)
    data = {"service_method": method, "served_on": pen.today(), **extra}
    if method in ("direct", "residence", "post"):
        with pytest.raises(ValidationFailed) as err:
            pen.do(inst, "serve", data)
        assert "receipt_returned_on" in err.value.errors
        data["receipt_returned_on"] = pen.today()
    pen.do(inst, "serve", data)
    row = pen.row(inst)
    assert row.service_method == method and row.served_on.isoformat() == "2026-12-01"
    assert row.record["payment_due"] == "2026-12-16" and row.record["appeal_periods_end"] == "2027-06-01"


def test_electronic_service_needs_the_partys_signed_consent(pen):
    inst = pen.start(pen.classified_case())
    pen.to_notice(inst)
    pen.pass_reply_period()
    pen.do(inst, "record_response", {"response": "silent"})
    pen.decide(inst)
    with pytest.raises(ValidationFailed) as err:
        pen.do(inst, "serve", {"service_method": "electronic", "served_on": pen.today()})
    assert "书面同意" in err.value.errors["consent_signed"][0]


def _served(pen) -> int:
    inst = pen.start(pen.classified_case())
    pen.to_notice(inst)
    pen.pass_reply_period()
    pen.do(inst, "record_response", {"response": "silent"})
    pen.decide(inst)
    pen.serve(inst)  # served Tuesday 1 Dec 2026: pay by 16 Dec
    return inst


def test_paid_late_with_the_daily_surcharge_then_capped_at_the_fine(pen, clock):
    inst = _served(pen)
    clock.advance(days=19)  # 20 Dec: four days late, 4 x 3% of 100,000
    assert pen.penalties.view(inst, pen.lookup.user("wjs_market1")).accrued_surcharge == 12000
    with pytest.raises(ValidationFailed) as err:
        pen.do(inst, "execute", {"execution": "paid", "paid_on": pen.today(), "paid_amount": 100000})
    assert "另加处罚款 12000 元" in err.value.errors["paid_amount"][0]
    clock.advance(days=80)  # far later: the surcharge never exceeds the fine
    pen.do(inst, "execute", {"execution": "paid", "paid_on": pen.today(), "paid_amount": 200000})
    assert pen.row(inst).surcharge == 100000


def test_unpaid_goes_to_the_court_only_after_the_appeal_periods(pen, clock):
    inst = _served(pen)
    clock.advance(days=150)  # 30 Apr 2027: the six months to sue have not run out
    with pytest.raises(ValidationFailed) as err:
        pen.do(inst, "execute", {"execution": "enforcement", "enforcement_applied_on": pen.today()})
    assert "2027-06-02" in err.value.errors["enforcement_applied_on"][0]
    clock.advance(days=40)
    pen.do(inst, "execute", {"execution": "enforcement", "enforcement_applied_on": pen.today()})
    pen.do(inst, "close_case", {"closing_approved": True, "closing_note": "已申请法院强制执行"})
    row = pen.row(inst)
    assert row.enforcement_applied_on.isoformat() == "2027-06-09" and row.surcharge == 100000


def test_filing_overdue_raises_a_five_contracts_matter_and_the_light_turns_red(pen, services, clock, lookup):
    from workflows.time_limits import Light
    inst = pen.start(pen.classified_case())
    view = pen.penalties.view(inst, lookup.user("wjs_market1"))
    assert [s.light for s in view.steps] == [Light.NONE]
    clock.advance(days=15)  # 8 Dec: 11 of the 15 working days used
    assert pen.penalties.view(inst, lookup.user("wjs_market1")).steps[0].light == Light.REMIND
    clock.advance(days=6)  # 14 Dec, the 15th working day: less than the warn-before day is left
    assert pen.penalties.view(inst, lookup.user("wjs_market1")).steps[0].light == Light.WARN
    clock.advance(days=1)  # 15 Dec: passed
    assert pen.penalties.view(inst, lookup.user("wjs_market1")).steps[0].light == Light.ALARM
    services.workflow.run_worker_once()
    assert pen.overdue_matter(inst, "approve_filing") is not None


def test_the_ninety_days_to_decide_warn_extend_once_and_then_alarm(pen, services, clock, lookup):
    from workflows.exceptions import PermissionDenied, WorkflowError
    from workflows.time_limits import Light
    inst = pen.start(pen.classified_case())
    pen.do(inst, "approve_filing", {"filing_decision": "open", "filing_reason": "符合立案条件"})
    market, head = lookup.user("wjs_market1"), lookup.user("juzhang")
    clock.advance(days=80)  # 11 Feb 2027 of the 90 days to 21 Feb: most of the time used
    assert pen.penalties.view(inst, market).decision_light == Light.REMIND
    clock.advance(days=10)  # 21 Feb, the last day
    assert pen.penalties.view(inst, market).decision_light == Light.WARN
    with pytest.raises(PermissionDenied):
        pen.penalties.extend_decision(inst, market, "案情复杂")
    assert pen.penalties.extend_decision(inst, head, "案情复杂，需补充调查").isoformat() == "2027-03-23"
    assert pen.penalties.view(inst, market).decision_light == Light.REMIND
    with pytest.raises(WorkflowError):
        pen.penalties.extend_decision(inst, head, "再次延长")
    clock.advance(days=30)  # 23 Mar, the last day of the extended time
    assert pen.penalties.view(inst, market).decision_light == Light.WARN
    clock.advance(days=1)  # 24 Mar: passed
    assert pen.penalties.view(inst, market).decision_light == Light.ALARM
    services.workflow.run_worker_once()
    assert pen.overdue_matter(inst, "investigate") is not None


def test_filing_may_be_extended_once_or_refused_with_reasons(pen, services, tmp_path):
    import json

    from workflows.workdays.calendar import UnknownCalendarYear
    inst = pen.start(pen.classified_case())
    # Thirty working days from 23 Nov 2026 reach into 2027, whose arrangement the package does not know yet.
    with pytest.raises(UnknownCalendarYear):
        pen.do(inst, "approve_filing", {"filing_decision": "extend", "filing_reason": "需进一步核查"})
    overrides = tmp_path / "workdays.json"
    overrides.write_text(json.dumps({"2027": {"holidays": ["2027-01-01"], "workdays": []}}), encoding="utf-8")
    services.settings.workday_overrides_path = str(overrides)
    pen.do(inst, "approve_filing", {"filing_decision": "extend", "filing_reason": "需进一步核查"})
    assert pen.row(inst).filing_due.isoformat() == "2027-01-05"
    with pytest.raises(ValidationFailed):
        pen.do(inst, "approve_filing", {"filing_decision": "extend", "filing_reason": "再延长"})
    pen.do(inst, "approve_filing", {"filing_decision": "not_open", "filing_reason": "证据不足以认定违法"})
    assert pen.instance(inst).end_event == "end_not_opened"
    assert pen.row(inst).outcome == PenaltyOutcome.NOT_OPENED


@pytest.mark.parametrize("kind, fine, right", [("person", 100000, True), ("organisation", 100000, True),
                                               ("organisation", 99999, None)])
def test_the_hearing_right_follows_the_configured_thresholds_for_persons_and_organisations(services, kind, fine,
                                                                                           right):
    from workflows.penalties import steps
    terms = steps.terms_for(services.workflow.context(None))
    assert terms.hearing_right("person", 9999) is False and terms.hearing_right("person", 10000) is True
    assert terms.hearing_right("organisation", 99999) is False and terms.hearing_right("organisation", 100000) is True
    # The report step records the right with the proposed fine (and checks the fine against the role's range).
    data = {"report": "经查", "proposed_fine": fine, "serious": False, "complex": False}
    with services.db.read() as s:
        if right is None:
            with pytest.raises(ValidationFailed):  # below the 10万 minimum for introducers
                steps.check(services.workflow.context(s), "investigation_report",
                            {"role": "introducer", "party_kind": kind}, data)
            return
        steps.check(services.workflow.context(s), "investigation_report", {"role": "introducer", "party_kind": kind},
                    data)
    assert data["hearing_right"] is right and data["fine_ceiling"] == fine
