"""Participants (普通参与者): on-the-spot warning or small fine, a larger fine by the ordinary procedure below the
hearing threshold, or education alone; every path counted."""
from __future__ import annotations

import pytest

from penalty_helpers import PARTICIPANT, PenaltyDriver
from workflows.exceptions import ValidationFailed
from workflows.vocabulary import PenaltyOutcome


@pytest.fixture
def pen(services, lookup, clock):
    return PenaltyDriver(services, lookup, clock)


def _participant(pen, case=None) -> int:
    return pen.start(case or pen.classified_case(), PARTICIPANT, role="participant")


def test_an_on_the_spot_fine_is_at_most_200_yuan_and_ends_the_procedure(pen):
    inst = _participant(pen)
    assert set(pen.ready(inst)) == {"participant_disposal"}
    with pytest.raises(ValidationFailed) as err:
        pen.do(inst, "participant_disposal", {"disposal": "summary_fine", "fine": 300, "spot_record": "当场查获"})
    assert "第五十一条" in err.value.errors["fine"][0]
    pen.do(inst, "participant_disposal", {"disposal": "summary_fine", "fine": 200,
                                          "spot_record": "当场查获参加传销，当事人无异议"})
    assert pen.instance(inst).end_event == "end_summary"
    row = pen.row(inst)
    assert row.outcome == PenaltyOutcome.SUMMARY_FINE and row.fine == 200


def test_education_alone_is_recorded_and_not_a_penalty_and_every_path_is_counted(pen):
    case = pen.classified_case()
    first, second = _participant(pen, case), _participant(pen, case)
    pen.do(first, "participant_disposal", {"disposal": "education"})
    pen.do(second, "participant_disposal", {"disposal": "warning", "spot_record": "当场警告"})
    assert pen.instance(first).end_event == "end_education"
    counts = pen.penalties.counts()
    assert counts[PenaltyOutcome.EDUCATION] == 1 and counts[PenaltyOutcome.WARNING] == 1


def test_a_larger_fine_goes_through_the_ordinary_procedure_within_2000_yuan_and_without_a_hearing(pen):
    inst = _participant(pen)
    pen.do(inst, "participant_disposal", {"disposal": "ordinary"})
    pen.do(inst, "approve_filing", {"filing_decision": "open", "filing_reason": "多次参加传销"})
    pen.do(inst, "investigate", {"officers": ["赵晓明", "孙丽华"], "evidence": ["询问笔录"]})
    with pytest.raises(ValidationFailed) as err:
        pen.do(inst, "investigation_report", {"report": "参加传销", "proposed_fine": 3000,
                                              "serious": False, "complex": False})
    assert "2000" in err.value.errors["proposed_fine"][0]
    pen.do(inst, "investigation_report", {"report": "参加传销", "proposed_fine": 2000, "serious": False,
                                          "complex": False})
    pen.do(inst, "notify", {"notified_on": pen.today()})
    pen.pass_reply_period()
    with pytest.raises(ValidationFailed) as err:
        pen.do(inst, "record_response", {"response": "hearing", "hearing_requested_on": "2026-11-24"})
    assert "无权要求听证" in err.value.errors["response"][0]
    pen.do(inst, "record_response", {"response": "silent"})
    pen.decide(inst, fine=2000)
    assert pen.row(inst).outcome == PenaltyOutcome.DECIDED
