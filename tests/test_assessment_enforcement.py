"""Group 3 清查打击 computed from the records, each deduction worked out by hand: sweeps per month in key areas and
per quarter elsewhere, the registration sample, the penalty rate, penalty cases per complaints, repeat persons and
subjects reported several times for online MLM."""
from datetime import date
from decimal import Decimal

import pytest

from assessment_helpers import OTHER_STREET, STREET, caught_case, outcome, run, sheet
from engine_helpers import PERSONS, CaseDriver
from penalty_helpers import CORE, PenaltyDriver
from workflows.assessment import service as assessment
from workflows.complaints import service as complaints
from workflows.sweeps import service as sweeps

COMPOUND = "吴家山街第一社区花园小区"
Q1 = dict(start=date(2026, 1, 1), end=date(2026, 3, 31))


@pytest.fixture
def cases(services, lookup):
    return CaseDriver(services, lookup)


def _sweep(services, user, address, day, finish=True):
    sweep_id = sweeps.plan_sweep(services, user, address, day, "集中清理行动")
    if finish:
        sweeps.finish_sweep(services, user, sweep_id)
    return sweep_id


def test_key_street_needs_two_sweeps_every_month(services, lookup):
    office = lookup.user("dubanban")
    _sweep(services, office, COMPOUND, date(2026, 1, 8))
    _sweep(services, office, STREET, date(2026, 1, 22))
    _sweep(services, office, STREET, date(2026, 2, 10))
    _sweep(services, office, STREET, date(2026, 2, 12), finish=False)   # planned only: does not count
    _sweep(services, office, OTHER_STREET, date(2026, 3, 3))            # another street's
    result, _lot = outcome(services, "3.1.1", **Q1)
    # January 2, February 1, March 0: two months short, 2 points each.
    assert result.deduction == Decimal(4) and result.count == 3
    assert [f.label for f in result.findings] == [
        "2026年2月 吴家山街 集中清理 1 次（应 ≥2 次）", "2026年3月 吴家山街 集中清理 0 次（应 ≥2 次）"]
    other, _lot = outcome(services, "3.1.2", **Q1)
    assert other.deduction == 0 and "不适用" in other.note


def test_other_streets_need_two_sweeps_every_quarter_and_the_row_is_capped(services, lookup, clock):
    office = lookup.user("dubanban")
    for day in (date(2026, 1, 8), date(2026, 3, 30), date(2026, 5, 6)):
        _sweep(services, office, OTHER_STREET, day)
    half, _lot = outcome(services, "3.1.2", OTHER_STREET, start=date(2026, 1, 1), end=date(2026, 6, 30))
    # Q1 two sweeps, Q2 one: 2 points.
    assert half.deduction == Decimal(2)
    assert [f.label for f in half.findings] == ["2026年第2季度 长青街 集中清理 1 次（应 ≥2 次）"]
    assert outcome(services, "3.1.1", OTHER_STREET)[0].note == "辖区内无重点涉传区域，本项不适用。"
    # A year of a street with no sweeps at all, run on 23 November: the 11 months begun so far x 2 = 22 points
    # computed (December is not counted before it begins), 10 lost.
    row = sheet(services, run(services, lookup, clock, STREET))["3.1.1"]
    assert (row.computed_deduction, row.deduction) == (Decimal(22), Decimal(10))
    clock.advance(days=10)
    row = sheet(services, run(services, lookup, clock, STREET))["3.1.1"]
    assert row.computed_deduction == Decimal(24)


def test_registration_sample_counts_unregistered_persons_and_missing_fields(services, lookup, cases):
    li_without_phone = {**PERSONS[1], "phone": ""}
    caught_case(cases, [PERSONS[0], li_without_phone])                    # closed: both in the blacklist
    caught_case(cases, [{"name": "王五", "id_number": "420106199203031234", "phone": "13700000000"},
                        {"name": "赵六", "id_number": "", "phone": ""}], close=False, title="第二处窝点")
    result, lot = outcome(services, "3.1.3")
    # Four persons (all drawn): 王五 and 赵六 not registered (1 + 1), 李四 without a phone (0.5).
    assert result.deduction == Decimal("2.5") and result.count == 4
    assert sorted(f.label for f in result.findings) == sorted([
        "王五（420106199203031234）未登记备案上报", "赵六（无身份证号）未登记备案上报",
        "李四（420106199001011234）信息不全：缺联系电话"])
    assert len(lot.draws["3.1.3"]) == 4 and "2026年11月" in result.note


def test_registration_sample_draws_ten_by_lot_and_the_same_seed_draws_the_same(services, lookup, cases, clock):
    persons = [{"name": f"人员{i:02d}", "id_number": "", "phone": "1390000000" + str(i % 10)} for i in range(12)]
    caught_case(cases, persons, close=False)
    first, lot = outcome(services, "3.1.3", seed=11)
    again, lot_again = outcome(services, "3.1.3", seed=11)
    other, other_lot = outcome(services, "3.1.3", seed=12)
    drawn = [p.id for p in lot.draws["3.1.3"]]
    assert len(drawn) == 10 and drawn == [p.id for p in lot_again.draws["3.1.3"]]
    assert drawn != [p.id for p in other_lot.draws["3.1.3"]]
    # Every drawn person is unregistered (no ID number): 10 x 1 point, and the findings are exactly the draw.
    assert first.deduction == Decimal(10) and [f.record_id for f in first.findings] == drawn
    assert "种子 11" in first.note and "12 名涉传人员" in first.note
    # A run stores the seed and the draw, so it can be checked.
    run_id = run(services, lookup, clock, seed=11)
    with services.db.read() as s:
        made = assessment.get_run(s, run_id)
        assert made.draws["3.1.3"] == drawn
        assert [f.record_id for f in assessment.findings(s, run_id, "3.1.3")] == drawn


def test_penalty_rate_and_one_ordinary_case_per_ten_complaints(services, lookup, clock):
    pen = PenaltyDriver(services, lookup, clock)
    case = pen.classified_case()                                  # two persons caught
    for i in range(21):
        complaints.record(services, lookup.user("wjs_market1"), {
            "channel": "phone", "content": f"第{i}起举报：有人聚集上课", "address": COMPOUND, "anonymous": True})
    rate, _lot = outcome(services, "3.3.1a")
    # Nobody penalised: rate 0%, 90 points short of 90% = 9 steps of 10%.
    assert rate.deduction == Decimal(9) and rate.count == 2
    inst = pen.start(case, CORE)
    pen.to_notice(inst)
    pen.pass_reply_period()
    pen.do(inst, "record_response", {"response": "silent"})
    pen.decide(inst)
    rate, _lot = outcome(services, "3.3.1a")
    # One of two penalised: 50%, 40 short = 4 steps; the finding names the one left.
    assert rate.deduction == Decimal(4)
    assert [f.label for f in rate.findings] == [
        "行政处罚率 50%（1/2），应超过 90%，差 4 档", "李四（420106199001011231）未受行政处罚"]
    # A stored run keeps only the findings that cost points (the rate's shortfall); the two persons looked at stay
    # in the row's count.
    run_id = run(services, lookup, clock)
    with services.db.read() as s:
        assert [(f.label, f.deduction) for f in assessment.findings(s, run_id, "3.3.1a")] == [
            ("行政处罚率 50%（1/2），应超过 90%，差 4 档", Decimal(4))]
        assert sheet(services, run_id)["3.3.1a"].count == 2
    # 21 complaints call for 2 ordinary-procedure cases; one was filed: 1 missing, 1 point (the default).
    per, _lot = outcome(services, "3.3.1b")
    assert (per.deduction, per.count) == (Decimal(1), 21)
    assert outcome(services, "3.3.1b", per_complaints_penalty_case_deduction=Decimal("0.5"))[0].deduction == \
        Decimal("0.5")


def test_repeat_persons_need_an_ordinary_procedure_penalty(services, lookup, clock, cases):
    caught_case(cases, PERSONS)
    caught_case(cases, PERSONS, title="第二次")                     # both caught twice: 回流
    repeat, _lot = outcome(services, "3.3.2a")
    assert repeat.deduction == Decimal(2)
    assert sorted(f.label for f in repeat.findings) == [
        "张三（11010519491231002X）查获 2 次，未实施一般程序行政处罚",
        "李四（420106199001011234）查获 2 次，未实施一般程序行政处罚"]
    # "两次以上" read as more than two: nobody counts yet.
    assert outcome(services, "3.3.2a", repeat_threshold=3)[0].deduction == 0


def test_subjects_reported_several_times_must_be_investigated(services, lookup):
    def report(name):
        complaints.record(services, lookup.user("wjs_market1"), {
            "channel": "online", "content": "拉人头返利", "address": COMPOUND, "anonymous": True,
            "online_mlm": True, "subject_name": name})
    for _ in range(2):
        report("某某商城")
    found, _lot = outcome(services, "3.3.2b", several_reports=2)
    # Reported twice and "several" read as two: not investigated, 2 points.
    assert found.deduction == Decimal(2) and [f.label for f in found.findings] == ["某某商城 被举报 2 次，未立案调查"]
    assert outcome(services, "3.3.2b")[0].deduction == 0          # the default reads "several" as three
    report("某某商城")                                              # the third report opens an investigation
    assert outcome(services, "3.3.2b", several_reports=2)[0].deduction == 0
