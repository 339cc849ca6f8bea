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
