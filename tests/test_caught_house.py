"""A six-step case that catches a rental house brings it into the ledger: registered, counted, flagged, patrolled."""
import pytest
import sqlalchemy as sa

from engine_helpers import PERSONS, ROOM, CaseDriver, comparison
from workflows.engine.models import HumanTask, ProcessInstance
from workflows.ledgers import registries
from workflows.ledgers.models import HouseCatch, RentalHouse

RECTIFIED = {"result": "已责令改正", "house_handled_on": "2026-11-20", "house_measures": ["rectify_order"]}


@pytest.fixture
def cases(services, lookup):
    return CaseDriver(services, lookup)


def _house(services, lookup):
    with services.db.read() as s:
        return s.scalar(sa.select(RentalHouse).where(RentalHouse.area_id == lookup.area(ROOM)))


def test_first_catch_registers_flags_counts_and_patrols_the_house(cases, services, lookup):
    assert _house(services, lookup) is None
    case = cases.start()
    cases.to_comparison(case)
    cases.do(case, "comparison", comparison(house_is_rental=True, landlord_name="房东王五", persons=PERSONS))
    house = _house(services, lookup)
    assert house is not None and house.address.endswith(ROOM)
    assert house.owner_name == "房东王五"
    assert {t["name"] for t in house.tenants} == {"张三", "李四"}
    assert house.flagged and house.catch_count == 1
    with services.db.read() as s:
        patrol = s.get(ProcessInstance, house.patrol_instance_id)
        assert (patrol.process_id, patrol.status) == ("rental_patrol", "running")
        assert s.scalar(sa.select(sa.func.count()).select_from(HouseCatch)
                        .where(HouseCatch.house_id == house.id)) == 1
        assert s.scalar(sa.select(HumanTask.task_name).where(HumanTask.instance_id == patrol.id)) == "lift_flag"
    assert set(cases.ready(case)) == {"rectify_house"}
    cases.do(case, "rectify_house", RECTIFIED)
    house = _house(services, lookup)
    # The next case at the same house knows it was caught before: the landlord branch.
    with services.db.read() as s:
        assert registries.house_prior_catches(s, house.area_id) == 1


def test_catch_keeps_what_the_ledger_knew_and_counts_once(cases, services, lookup):
    registries.save_house(services, lookup.user("wjs_housing"), ROOM, owner_name="登记房东")
    case = cases.start()
    cases.to_comparison(case)
    cases.do(case, "comparison", comparison(house_is_rental=True, landlord_name="另一个名字", persons=PERSONS))
    house = _house(services, lookup)
    assert house.owner_name == "登记房东" and house.catch_count == 1 and house.flagged


def test_not_a_rental_house_stays_out_of_the_ledger(cases, services, lookup):
    case = cases.start()
    cases.to_comparison(case)
    cases.do(case, "comparison", comparison(has_participants=True))
    assert _house(services, lookup) is None
