"""Group 5 基础管控 computed from the ledgers, each deduction worked out by hand: 两书一备案 and grid entry samples,
first-time and repeat houses, reflux found on patrol, intermediaries' pledges and black intermediaries, the blacklist
and the phones and bank cards of persons caught."""
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from stdnum.cn import uscc

from assessment_helpers import caught_case, outcome
from engine_helpers import PERSONS, ROOM, CaseDriver, comparison
from workflows.engine.models import HumanTask
from workflows.ledgers import registries
from workflows.ledgers.models import RentalHouse

ROOM2 = "吴家山街第一社区花园小区1栋1单元102室"
RECTIFIED = {"result": "已责令改正", "house_handled_on": "2026-11-23", "house_measures": ["rectify_order"]}


@pytest.fixture
def cases(services, lookup):
    return CaseDriver(services, lookup)


def catch_house(services, lookup, cases, room, prior=0, handle=True) -> int:
    """A six-step case that catches the rental house at `room`; returns the house id."""
    case = services.workflow.start("six_step_case", {}, lookup.user("wjs_grid"), lookup.area(room),
                                   "出租屋窝点").instance_id
    cases.do(case, "sweep", {"suspicious": True, "house_type": "rental"})
    cases.do(case, "entry", {"door_opened": True, "officers": ["王建国", "李卫东"], "persons": PERSONS})
    cases.do(case, "initial_check", {"mlm_found": True})
    cases.do(case, "evidence", {"evidence_summary": "课堂笔记"})
    cases.do(case, "comparison", comparison(house_is_rental=True, landlord_name="房东王五", persons=PERSONS,
                                            house_prior_catches=prior))
    if handle and prior == 0:
        cases.do(case, "rectify_house", RECTIFIED)
    with services.db.read() as s:
        return s.scalar(sa.select(RentalHouse.id).where(RentalHouse.area_id == lookup.area(room)))


def test_two_letters_sample_and_first_time_houses(services, lookup, cases):
    housing = lookup.user("wjs_housing")
    first = catch_house(services, lookup, cases, ROOM)                 # rectification ordered
    second = catch_house(services, lookup, cases, ROOM2, handle=False)  # not handled yet
    letters, lot = outcome(services, "5.1.1")
    # Neither house has signed letters or a filing: 3 items x 0.5 x 2 houses.
    assert letters.deduction == Decimal(3) and [h.id for h in lot.draws["5.1.1"]] == [first, second]
    registries.save_house(services, housing, ROOM, commitment_signed_on=date(2026, 11, 24),
                          security_pledge_signed_on=date(2026, 11, 24))
    letters, _lot = outcome(services, "5.1.1")
    assert letters.deduction == Decimal(2)                             # ROOM lacks only its filing now
    assert [f.label.split(" ")[1] for f in letters.findings] == ["缺租赁合同备案",
                                                                 "缺《房屋出租承诺书》、《治安责任书》、租赁合同备案"]
    firsts, _lot = outcome(services, "5.1.2a")
    # First time caught: ROOM has its order but no 三停一换 (1), ROOM2 has neither (1).
    assert firsts.deduction == Decimal(2)
    assert [f.label.split("，")[1] for f in firsts.findings] == ["未落实“三停一换”措施",
                                                                "未落实责令改正通知、“三停一换”措施"]
    registries.set_three_stops(services, housing, first, "in_place", date(2026, 11, 24))
    firsts, _lot = outcome(services, "5.1.2a")
    assert firsts.deduction == Decimal(1) and [f.record_id for f in firsts.findings] == [second]


def test_repeat_house_needs_a_landlord_penalty(services, lookup, cases):
    house = catch_house(services, lookup, cases, ROOM)
    assert outcome(services, "5.1.2b")[0].deduction == 0             # caught once
    catch_house(services, lookup, cases, ROOM, prior=1)               # caught again: 两次以上
    repeat, _lot = outcome(services, "5.1.2b")
    assert repeat.deduction == Decimal(1) and [f.record_id for f in repeat.findings] == [house]
    assert repeat.findings[0].url == f"/registries/houses/{house}"
    assert outcome(services, "5.1.2b", repeat_threshold=3)[0].deduction == 0


def test_grid_entry_sample_and_reflux_found_on_patrol(services, lookup, cases, clock):
    house = catch_house(services, lookup, cases, ROOM)
    grid, _lot = outcome(services, "5.2.1a")
    # Flagged and patrolled, but the landlord's ID number is not entered: one item, 0.5.
    assert grid.deduction == Decimal("0.5") and grid.findings[0].label.endswith("未录入（房东及租住人员信息）")
    registries.save_house(services, lookup.user("wjs_housing"), ROOM, owner_id_number="420106198505052011")
    assert outcome(services, "5.2.1a")[0].deduction == 0
    assert outcome(services, "5.2.1b")[0].deduction == 0
    clock.advance(days=7, seconds=1)
    assert services.workflow.fire_due_timers() == 1
    with services.db.read() as s:
        patrol = s.get(RentalHouse, house).patrol_instance_id
        task = s.scalar(sa.select(HumanTask.id).where(HumanTask.instance_id == patrol,
                                                      HumanTask.task_name == "patrol", HumanTask.state == "ready"))
    # Shut, and no 三停一换: counted as reflux (回流).
    services.workflow.complete(task, {"door_opened": False, "three_stops_in_place": False, "people_back": False},
                               lookup.user("wjs_grid"))
    reflux, _lot = outcome(services, "5.2.1b")
    assert reflux.deduction == Decimal(1) and [f.record_id for f in reflux.findings] == [house]


def _code(n: int) -> str:
    base = f"91420112MA4KL{n:04d}"
    return base + uscc.calc_check_digit(base)


def test_intermediaries_pledge_sample_and_black_intermediaries(services, lookup):
    housing = lookup.user("wjs_housing")
    ids = [registries.save_intermediary(services, housing, _code(i), f"中介{i}", ROOM,
                                        **({"pledge_signed_on": date(2026, 3, 1)} if i == 0 else {}))
           for i in range(3)]
    pledges, lot = outcome(services, "5.3.1a", seed=5)
    drawn = [a.id for a in lot.draws["5.3.1a"]]
    assert len(drawn) == 2 and drawn == [a.id for a in outcome(services, "5.3.1a", seed=5)[1].draws["5.3.1a"]]
    unsigned = [i for i in drawn if i != ids[0]]
    # 2 points for each drawn agency without the pledge.
    assert pledges.deduction == Decimal(2) * len(unsigned) and [f.record_id for f in pledges.findings] == unsigned
    registries.record_violation(services, housing, ids[1], "为传销人员提供房源")
    black, _lot = outcome(services, "5.3.1b")
    assert black.deduction == Decimal(2) and [f.record_id for f in black.findings] == [ids[1]]


def test_blacklist_entry_and_phones_and_cards(services, lookup, cases):
    with_card = {**PERSONS[0], "bank_card": "6222020200001234567"}
    caught_case(cases, [with_card], close=False)                       # not closed: not in the blacklist yet
    entry, _lot = outcome(services, "5.4.1a")
    cards, _lot = outcome(services, "5.4.1b")
    assert entry.deduction == Decimal("0.5") and cards.deduction == Decimal(1)
    assert cards.findings[1].label == "张三（11010519491231002X）使用的手机号、银行卡未登记上报"
    caught_case(cases, [PERSONS[1]], title="第二处")                      # closed: entered with its phone
    entry, _lot = outcome(services, "5.4.1a")
    assert entry.deduction == Decimal("0.5") and [f.label for f in entry.findings] == [
        "张三（11010519491231002X）未录入“黑名单”库"]
    assert [f.label for f in outcome(services, "5.4.1b")[0].findings[1:]] == [
        "张三（11010519491231002X）使用的手机号、银行卡未登记上报"]


def test_a_landlord_penalised_in_the_ordinary_procedure_clears_the_repeat_house(services, lookup, cases, clock):
    from penalty_helpers import PenaltyDriver

    house = catch_house(services, lookup, cases, ROOM)
    catch_house(services, lookup, cases, ROOM, prior=1)
    with services.db.read() as s:
        second_case = s.scalar(sa.select(HumanTask.instance_id).where(HumanTask.task_name == "penalty_landlord"))
    # The repeat house counts in 3.3.2a (no ordinary-procedure penalty) and in 5.1.2b (no penalty at all).
    repeat, _lot = outcome(services, "3.3.2a")
    assert repeat.deduction == Decimal(1) and [(f.kind, f.record_id) for f in repeat.findings] == [("house", house)]
    pen = PenaltyDriver(services, lookup, clock)
    inst = pen.start(second_case, {"name": "房东王五", "id_number": "420106198505052016"}, role="premises")
    pen.to_notice(inst, fine=60000)
    assert outcome(services, "5.1.2b")[0].deduction == Decimal(1)     # notified, not yet decided
    pen.pass_reply_period()
    pen.do(inst, "record_response", {"response": "silent"})
    pen.decide(inst, fine=60000)
    assert outcome(services, "5.1.2b")[0].deduction == 0
    assert outcome(services, "3.3.2a")[0].deduction == 0
