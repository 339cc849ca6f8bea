"""Group 4 投诉举报 computed from the complaints and their steps, each deduction worked out by hand: the ledger, the
handling sample, 首接负责 with a result for each, "could not enter", and the year-on-year fall (both branches)."""
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from assessment_helpers import outcome
from workflows.complaints import service as complaints
from workflows.engine.models import HumanTask

COMPOUND = "吴家山街第一社区花园小区"
NOV = dict(start=date(2026, 11, 1), end=date(2026, 11, 30))


def _record(services, lookup, **kw) -> dict:
    report = {"channel": "phone", "content": "有外地人员聚集上课", "address": COMPOUND, "anonymous": True}
    report.update(kw)
    return complaints.record(services, lookup.user("wjs_market1"), report)


def _ready(services, instance_id) -> dict:
    with services.db.read() as s:
        return {t.task_name: t.id for t in s.scalars(sa.select(HumanTask).where(
            HumanTask.instance_id == instance_id, HumanTask.state == "ready"))}


def _accept(services, lookup, instance_id):
    complaints.accept(services, _ready(services, instance_id)["accept"],
                      {"jurisdiction_clear": True, "responsible_unit": "market"}, lookup.user("wjs_market1"))


def _investigate(services, lookup, instance_id):
    services.workflow.complete(_ready(services, instance_id)["investigate_market"],
                               {"finding": "上门核查", "open_case": False}, lookup.user("wjs_market2"))


def _result(services, lookup, instance_id, **kw):
    services.workflow.complete(_ready(services, instance_id)["result_market"],
                               {"result": "经查不属实", "effective": False, "reward_proposed": False, **kw},
                               lookup.user("wjs_market2"))


def test_the_ledger_is_incomplete_when_a_real_name_report_has_no_contact(services, lookup):
    _record(services, lookup)
    assert outcome(services, "4.1.2", **NOV)[0].deduction == 0
    bad = [_record(services, lookup, anonymous=False, complainant_name=f"举报人{i}") for i in range(2)]
    result, _lot = outcome(services, "4.1.2", **NOV)
    # One deduction of 0.5 for the ledger, however many records are incomplete; the records are listed.
    assert result.deduction == Decimal("0.5") and result.count == 3
    assert [f.record_id for f in result.findings[1:]] == [c["id"] for c in bad]
    assert all(f.label.endswith("台账缺：举报人联系方式") for f in result.findings[1:])


def test_handling_sample_finds_late_steps(services, lookup, clock):
    made = [_record(services, lookup) for _ in range(3)]
    for c in made[:2]:
        _accept(services, lookup, c["instance_id"])          # within the day
    clock.advance(days=2)                                     # the third waits past its 24 hours
    result, lot = outcome(services, "4.1.3", **NOV)
    assert [c.id for c in lot.draws["4.1.3"]] == [c["id"] for c in made]   # fewer than 10: all of them
    assert result.deduction == Decimal("0.5")
    assert [(f.record_id, f.label.endswith("受理登记与管辖研判 超过时限")) for f in result.findings] == \
        [(made[2]["id"], True)]


def test_a_result_overdue_and_a_could_not_enter_result_cost_two_points_each(services, lookup, clock):
    first, second, third = (_record(services, lookup) for _ in range(3))
    for c in (first, second, third):
        _accept(services, lookup, c["instance_id"])
        _investigate(services, lookup, c["instance_id"])
    _result(services, lookup, second["instance_id"], no_entry=True)
    _result(services, lookup, third["instance_id"])
    clock.advance(days=6)                                     # first's result (5 days) is overdue
    receiver, _lot = outcome(services, "4.1.4a", **NOV)
    assert receiver.deduction == Decimal(2)
    assert [(f.record_id, f.label.endswith("未落实首接负责：逾期无办理结果")) for f in receiver.findings] == \
        [(first["id"], True)]
    no_entry, _lot = outcome(services, "4.1.4b", **NOV)
    assert no_entry.deduction == Decimal(2) and [f.record_id for f in no_entry.findings] == [second["id"]]


def test_year_on_year_increase_and_shortfall_branches(services, lookup, clock):
    for _ in range(5):
        _record(services, lookup)                             # November 2026: 5
    clock.advance(days=365)                                   # November 2027
    period = dict(start=date(2027, 11, 1), end=date(2027, 11, 30))
    for _ in range(2):
        _record(services, lookup)
    # 2 against 5: down 60%, the target met.
    assert outcome(services, "4.2.1", **period)[0].deduction == 0
    _record(services, lookup)
    # 3 against 5: down 40%, 20 points short of 60%: 20 x 0.1 = 2.
    short, _lot = outcome(services, "4.2.1", **period)
    assert short.deduction == Decimal("2.0") and "同比下降 40%" in short.findings[0].label
    for _ in range(4):
        _record(services, lookup)
    # 7 against 5: up 40%: 5 points, and 40 x 0.1 more = 9.
    up, _lot = outcome(services, "4.2.1", **period)
    assert up.deduction == Decimal("9.0") and "同比增长 40%" in up.findings[0].label and up.count == 12
    # 8 against 5: up 60%, 5 + 6 = 11 computed; the row loses at most its 10 points (checked by the run's cap).
    _record(services, lookup)
    assert outcome(services, "4.2.1", **period)[0].deduction == Decimal("11.0")


def test_year_on_year_partial_points(services, lookup, clock):
    for _ in range(3):
        _record(services, lookup)
    clock.advance(days=365)
    _record(services, lookup)
    period = dict(start=date(2027, 11, 1), end=date(2027, 11, 30))
    # 1 against 3: down 66.7%: met. Against the target only whole points count when the setting says so.
    assert outcome(services, "4.2.1", **period)[0].deduction == 0
    _record(services, lookup)
    # 2 against 3: down 33.3%, 26.7 points short: a begun point counts (27 x 0.1), or only whole ones (26 x 0.1).
    assert outcome(services, "4.2.1", **period)[0].deduction == Decimal("2.7")
    assert outcome(services, "4.2.1", partial_step="whole", **period)[0].deduction == Decimal("2.6")


def test_a_receiver_step_passed_to_someone_else_is_not_first_receiver_responsibility(services, lookup):
    c = _record(services, lookup, anonymous=False, complainant_name="举报人王小明", complainant_phone="13911112222")
    inst = c["instance_id"]
    _accept(services, lookup, inst)
    _investigate(services, lookup, inst)
    _result(services, lookup, inst)
    # The reply comes back to the first receiver (wjs_market1); a supervisor passes it on to another receiver.
    reply = _ready(services, inst)["reply"]
    services.workflow.reassign([reply], lookup.user("wjs_leader"), "首接人休假", to_user_id=lookup.user("wjs_intake"))
    services.workflow.complete(reply, {"reply": "已电话答复"}, lookup.user("wjs_intake"))
    passed, _lot = outcome(services, "4.1.4a", **NOV)
    assert passed.deduction == Decimal(2)
    assert [f.label.split("：", 1)[1] for f in passed.findings] == ["“举报答复”非首接受理人办理"]
