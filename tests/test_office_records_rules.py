"""The assessment rows scored from the office records (groups 1 and 2, row 3.2.1, rows 6.2.1–6.2.2): each
scenario is built through the record services and its deduction worked out by hand here, caps included."""
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from engine_helpers import PERSONS, CaseDriver
from workflows.assessment import service as assessment
from workflows.assessment.rules import RULES
from workflows.assessment.rules.base import Lot, Scope
from workflows.assessment.settings import AssessmentSettings
from workflows.office_records.catalogue import KINDS
from workflows.office_records.common import save
from workflows.org.models import Area

STREET = "吴家山街"            # a key street in the demo district: 2 communities, 4 compounds
C1, C2 = "吴家山街第一社区", "吴家山街第二社区"
P11, P12 = "吴家山街第一社区花园小区", "吴家山街第一社区新村小区"
P21 = "吴家山街第二社区花园小区"
FILE = {"sha256": "b" * 64, "name": "文件.pdf", "content_type": "application/pdf", "size": 2048}
RULE = {r.id: r for r in RULES}


def outcome(services, rule_id, start, end, address=STREET, settings=None, seed=7):
    with services.db.read() as s:
        area = s.scalar(sa.select(Area).where(Area.full_name == address))
        scope = Scope(session=s, area=area, start=start, end=end, settings=settings or AssessmentSettings(),
                      lot=Lot(seed))
        return RULE[rule_id].compute(scope)


def run_rows(services, lookup, start, end):
    with services.db.unit_of_work() as s:
        run = assessment.run(s, area_id=lookup.area(STREET), start=start, end=end, actor_id=lookup.user("dubanban"),
                             now=services.workflow.now(), seed=3)
        return {item["rule"].id: item["row"] for item in assessment.rows(s, run.id)}


def test_group_1_from_the_organisation_and_documents(services, lookup):
    leader, office = lookup.user("wjs_leader"), lookup.user("dubanban")
    groups, docs = KINDS["groups"], KINDS["documents"]
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    # Nothing recorded: 1.1.1 no task force (1) + no funding (1) = 2; 1.1.2 street + 2 communities = 3;
    # 1.1.3 the key street without a team = 1; 1.2.1 = 1, 1.2.2 = 0.5, 1.2.3 = 0.5.
    assert [outcome(services, r, start, end).deduction for r in ("1.1.1", "1.1.2", "1.1.3", "1.2.1", "1.2.2",
                                                                 "1.2.3")] == [2, 3, 1, 1, Decimal("0.5"),
                                                                               Decimal("0.5")]
    members = [lookup.user(u) for u in ("wjs_police1", "wjs_police2", "wjs_market1", "wjs_market2", "wjs_housing")]
    force = save(services, leader, groups, STREET, {"kind": "task_force_241", "name": "吴家山街241专班",
                                                    "formed_on": date(2026, 2, 1), "members": members})
    save(services, leader, docs, STREET, {"kind": "funding", "year": 2026, "title": "2026年打传经费",
                                          "approved_on": date(2026, 1, 10), "amount": "200000", "file": FILE})
    save(services, leader, groups, STREET, {"kind": "street_group", "name": "街道打传工作小组",
                                            "formed_on": date(2026, 2, 1), "members": [leader]})
    save(services, leader, groups, C1, {"kind": "community_group", "name": "第一社区打传小组",
                                        "formed_on": date(2026, 2, 1), "members": [lookup.user("shequ")]})
    save(services, leader, groups, STREET, {"kind": "key_area_team", "name": "吴家山街专职队",
                                            "formed_on": date(2026, 2, 1), "members": members[:2]})
    # The district's emergency plan binds its streets; the street's work plan is its own.
    save(services, office, docs, "东西湖区", {"kind": "emergency_plan", "year": 2026, "title": "应急预案",
                                           "approved_on": date(2026, 3, 1), "file": FILE})
    save(services, leader, docs, STREET, {"kind": "work_plan", "year": 2026, "title": "2026年打传创无方案",
                                          "approved_on": date(2026, 3, 1), "file": FILE})
    # Now: 1.1.1 the task force lacks two market officers (1), funding present = 1; 1.1.2 第二社区 = 1;
    # 1.1.3 = 0; 1.2.1 = 0 (部署/落实 by hand); 1.2.2 = 0; 1.2.3 still no assessment rules = 0.5.
    task_force = outcome(services, "1.1.1", start, end)
    assert task_force.deduction == 1
    [finding] = task_force.findings
    assert (finding.record_id, finding.url) == (force, f"/office-records/groups/{force}")
    assert "缺市场监管 2 名" in finding.label
    communities = outcome(services, "1.1.2", start, end)
    assert communities.deduction == 1 and [f.label for f in communities.findings] == [f"{C2}无社区打传工作小组"]
    assert [outcome(services, r, start, end).deduction for r in ("1.1.3", "1.2.1", "1.2.2", "1.2.3")] == \
        [0, 0, 0, Decimal("0.5")]
    # A task force formed after the period does not count for it: back to "no task force".
    assert outcome(services, "1.1.1", date(2025, 1, 1), date(2025, 12, 31)).deduction == 2  # and no 2025 funding
    # A street that is no key area has no key area to staff or to hold monthly activities in.
    for rule_id in ("1.1.3", "2.1.1"):
        result = outcome(services, rule_id, start, end, address="长青街")
        assert result.deduction == 0 and "不适用" in result.note
    rows = run_rows(services, lookup, start, end)
    assert (rows["1.1.1"].computed_deduction, rows["1.2.3"].deduction) == (1, Decimal("0.5"))
    # The inspector adds what no record shows (BOTH rows): no 部署 seen (1), the emergency plan not 完善 (0.5),
    # the assessment rules neither there (0.5 computed) nor complete (0.5): 1 + 0.5 + 1 = 2.5, and 工作机制 is
    # worth 2, so the second level loses 2.
    run_id = rows["1.2.1"].run_id
    with services.db.unit_of_work() as s:
        for rule_id, points in (("1.2.1", "1"), ("1.2.2", "0.5"), ("1.2.3", "0.5")):
            assessment.enter_manual(s, run_id, rule_id, deduction=points, note="查阅台账：未见", actor_id=office,
                                    now=services.workflow.now())
    with services.db.read() as s:
        sheet = {item["rule"].id: item["row"] for item in assessment.rows(s, run_id)}
    assert [sheet[r].computed_deduction + sheet[r].manual_deduction for r in ("1.2.1", "1.2.2", "1.2.3")] == \
        [1, Decimal("0.5"), 1]
    assert sum(sheet[r].deduction for r in ("1.2.1", "1.2.2", "1.2.3")) == 2


def test_group_2_publicity_letters_and_the_group_cap(services, lookup):
    grid = lookup.user("wjs_market1")
    kind = KINDS["publicity"]
    start, end = date(2026, 9, 1), date(2026, 11, 30)

    def held(address, on, what):
        save(services, grid, kind, address, {"held_on": on, "kind": what, "place": "广场", "participants": 10})

    held(P11, date(2026, 10, 15), "activity")       # the key street's October; September and November lack one
    held(C1, date(2026, 9, 3), "material")          # 第一社区 has material in the period
    held(C2, date(2026, 8, 31), "material")         # 第二社区's is before the period: does not count
    held(P11, date(2026, 10, 1), "board")
    held(P21, date(2025, 5, 1), "board")            # a board put up earlier still stands
    driver = CaseDriver(services, lookup)
    case_id = driver.start()
    driver.to_comparison(case_id)                  # two persons caught on 2026-11-23
    save(services, grid, KINDS["letters"], STREET, {"id_number": PERSONS[0]["id_number"], "person_name": "张三",
                                                    "sent_on": date(2026, 11, 23), "letter_number": "东市监致函〔2026〕1号"})
    # 2.1.1: 2 months × 0.5 = 1; 2.1.2: 第二社区 = 0.5; 2.1.3: 4 compounds − 2 boards = 2 × 0.5 = 1;
    # 2.1.4: no plates in 4 compounds = 2; 2.1.7: 2 persons drawn, 李四 without a letter = 0.5.
    monthly = outcome(services, "2.1.1", start, end)
    assert monthly.deduction == 1
    assert [f.label for f in monthly.findings] == [f"{STREET} 2026年9月无宣传活动", f"{STREET} 2026年11月无宣传活动"]
    assert outcome(services, "2.1.2", start, end).deduction == Decimal("0.5")
    boards = outcome(services, "2.1.3", start, end)
    assert boards.deduction == 1 and len(boards.findings) == 2 and P11 not in " ".join(f.label for f in boards.findings)
    assert outcome(services, "2.1.4", start, end).deduction == 2
    sent = outcome(services, "2.1.7", start, end)
    assert (sent.deduction, sent.count) == (Decimal("0.5"), 2)
    assert [f.url for f in sent.findings] == [f"/cases/{case_id}"] and "李四" in sent.findings[0].label
    # The same draw again with the same seed; none caught in another street's period.
    assert outcome(services, "2.1.7", start, end).findings == sent.findings
    assert outcome(services, "2.1.7", start, end, address="金银湖街").deduction == 0
    # Together 1 + 0.5 + 1 + 2 + 0.5 = 5 points, but 宣传教育 is worth 3: the run loses 3 on the group.
    rows = run_rows(services, lookup, start, end)
    group = [rows[r] for r in ("2.1.1", "2.1.2", "2.1.3", "2.1.4", "2.1.5", "2.1.6", "2.1.7")]
    assert sum(r.computed_deduction or 0 for r in group) == 5
    assert sum(r.deduction for r in group) == 3


def test_2_1_7_samples_ten_of_the_last_month(services, lookup):
    driver = CaseDriver(services, lookup)
    for _ in range(6):                              # 6 cases × 2 persons = 12 caught, none with a letter
        driver.to_comparison(driver.start())
    result = outcome(services, "2.1.7", date(2026, 1, 1), date(2026, 12, 31))
    # 10 drawn of 12, each 0.5 short: 5 points before the cap of 3.
    assert (result.count, result.deduction, len(result.findings)) == (10, 5, 10)
    assert "2026年11月" in result.note and "12 名" in result.note
    other = outcome(services, "2.1.7", date(2026, 1, 1), date(2026, 12, 31), seed=8)
    assert other.count == 10 and {f.record_id for f in other.findings} != {f.record_id for f in result.findings}


def test_3_2_1_one_criminal_case_per_twenty_alerts_with_its_cap(services, lookup):
    police = lookup.user("wjs_police1")
    alerts, filings = KINDS["alerts"], KINDS["filings"]
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    assert outcome(services, "3.2.1", start, end).no_data
    save(services, police, alerts, STREET, {"period_start": date(2026, 1, 1), "period_end": date(2026, 6, 30),
                                            "alerts": 45})
    save(services, police, alerts, C1, {"period_start": date(2026, 7, 1), "period_end": date(2026, 9, 30),
                                        "alerts": 12})
    save(services, police, filings, STREET, {"case_reference": "东公刑立〔2026〕1号", "filed_on": date(2026, 5, 6)})
    save(services, police, filings, STREET, {"case_reference": "东公刑立〔2025〕9号", "filed_on": date(2025, 12, 1)})
    # 45 + 12 = 57 alerts ask 57 // 20 = 2 cases; 1 filed in the period (the 2025 one is not): 1 point.
    result = outcome(services, "3.2.1", start, end)
    assert (result.deduction, len(result.findings), result.count) == (1, 1, 3)
    assert "应查办刑事案件 2 起" in result.findings[0].label
    # 240 more alerts: 297 // 20 = 14 owed, 1 filed, 13 short; the row loses at most its 10 points.
    save(services, police, alerts, STREET, {"period_start": date(2026, 10, 1), "period_end": date(2026, 10, 31),
                                            "alerts": 240})
    assert outcome(services, "3.2.1", start, end).deduction == 13
    rows = run_rows(services, lookup, start, end)
    assert (rows["3.2.1"].computed_deduction, rows["3.2.1"].deduction, rows["3.2.1"].score) == (13, 10, 0)


def test_6_2_late_and_missing_reports(services, lookup):
    market = lookup.user("wjs_market1")
    start, end = date(2026, 1, 1), date(2026, 11, 30)
    cases, reports = KINDS["case-reports"], KINDS["reports"]
    for label, due, done in (("甲案", date(2026, 3, 1), date(2026, 3, 1)), ("乙案", date(2026, 4, 1), date(2026, 4, 5)),
                             ("丙案", date(2026, 5, 1), None), ("丁案", date(2026, 12, 20), None)):
        save(services, market, cases, STREET, {"case_label": label, "case_kind": "pyramid", "due_on": due,
                                               "reported_on": done})
    for period, due, done in (("2026年1月", date(2026, 2, 5), date(2026, 2, 4)),
                              ("2026年2月", date(2026, 3, 5), None), ("2026年3月", date(2026, 4, 5), date(2026, 4, 9))):
        save(services, market, reports, STREET, {"kind": "statistics", "period_label": period, "due_on": due,
                                                 "submitted_on": done})
    # 6.2.1: 乙 late + 丙 missing = 2 × 0.5 = 1 (丁 is due after the period); 6.2.2: Feb missing + Mar late = 1.
    filed = outcome(services, "6.2.1", start, end)
    assert (filed.deduction, filed.count) == (1, 3)
    assert [f.label.split("：")[-1][:2] for f in filed.findings] == ["迟报", "漏报"]
    assert outcome(services, "6.2.2", start, end).deduction == 1
