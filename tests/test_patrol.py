"""Patrol of flagged rental houses: a BPMN timer cycle, reflux opening six-step cases, and the end on unflagging."""
import pytest
import sqlalchemy as sa

from engine_helpers import ROOM
from workflows.audit.models import AuditEvent
from workflows.engine.models import HumanTask, ProcessInstance
from workflows.exceptions import PermissionDenied
from workflows.ledgers import registries
from workflows.ledgers.models import RentalHouse

QUIET = {"door_opened": True, "three_stops_in_place": False, "people_back": False}


class Patrols:
    def __init__(self, services, lookup):
        self.services, self.lookup = services, lookup

    def flag(self) -> tuple[int, int]:
        house_id = registries.save_house(self.services, self.lookup.user("wjs_housing"), ROOM,
                                         owner_name="房东甲", flagged=True)
        return house_id, self.house(house_id).patrol_instance_id

    def house(self, house_id) -> RentalHouse:
        with self.services.db.read() as s:
            return s.get(RentalHouse, house_id)

    def ready(self, instance_id) -> dict:
        with self.services.db.read() as s:
            return {t.task_name: t for t in s.scalars(sa.select(HumanTask).where(
                HumanTask.instance_id == instance_id, HumanTask.state == "ready"))}

    def patrol(self, instance_id, **found):
        task = self.ready(instance_id)["patrol"]
        return self.services.workflow.complete(task.id, dict(QUIET, **found), self.lookup.user("wjs_grid"))

    def children(self, instance_id) -> list[ProcessInstance]:
        with self.services.db.read() as s:
            return list(s.scalars(sa.select(ProcessInstance).where(ProcessInstance.parent_instance_id == instance_id)
                                  .order_by(ProcessInstance.id)))

    def instance(self, instance_id) -> ProcessInstance:
        with self.services.db.read() as s:
            return s.get(ProcessInstance, instance_id)


@pytest.fixture
def patrols(services, lookup):
    return Patrols(services, lookup)


def test_patrol_recurs_every_interval_over_several_cycles(patrols, services, clock, lookup):
    assert services.settings.patrol_interval == "P7D"
    _house, patrol = patrols.flag()
    assert set(patrols.ready(patrol)) == {"lift_flag"}  # nothing to patrol until the first cycle
    for cycle in range(1, 4):
        clock.advance(days=6, hours=23)
        assert services.workflow.fire_due_timers() == 0
        assert "patrol" not in patrols.ready(patrol)
        clock.advance(hours=1, seconds=1)
        assert services.workflow.fire_due_timers() == 1
        task = patrols.ready(patrol)["patrol"]
        assert task.role == "grid" and task.title == "巡查涉传出租屋"
        assert task.id in {t.id for t in services.workflow.ready_tasks_for(lookup.user("wjs_grid"))}
        patrols.patrol(patrol)
        assert set(patrols.ready(patrol)) == {"lift_flag"}
    with services.db.read() as s:
        fired = s.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.instance_id == patrol, AuditEvent.kind == "timer_fired"))
    assert fired == 3 and patrols.children(patrol) == []  # quiet patrols open no cases
    assert patrols.instance(patrol).status == "running"


@pytest.mark.parametrize("found", [
    {"door_opened": False, "three_stops_in_place": False},  # door shut and nothing cut off: someone lives there
    {"people_back": True},
])
def test_reflux_opens_a_new_six_step_case_for_the_house(patrols, services, clock, found):
    house_id, patrol = patrols.flag()
    clock.advance(days=7, seconds=1)
    services.workflow.fire_due_timers()
    patrols.patrol(patrol, **found)
    [case] = patrols.children(patrol)
    assert case.process_id == "six_step_case" and case.area_id == patrols.house(house_id).area_id
    assert services.workflow.instance_view(case.id).data["house_id"] == house_id
    assert patrols.house(house_id).reflux_count == 1
    assert patrols.instance(patrol).status == "running"  # the patrol itself goes on
    clock.advance(days=7, seconds=1)
    assert services.workflow.fire_due_timers() == 1 and "patrol" in patrols.ready(patrol)


def test_door_closed_with_three_stops_in_place_is_not_reflux(patrols, services, clock):
    _house, patrol = patrols.flag()
    clock.advance(days=7, seconds=1)
    services.workflow.fire_due_timers()
    patrols.patrol(patrol, door_opened=False, three_stops_in_place=True)
    assert patrols.children(patrol) == []


def test_unflagging_ends_the_patrol_and_cancels_an_open_round(patrols, services, clock, lookup):
    house_id, patrol = patrols.flag()
    clock.advance(days=7, seconds=1)
    services.workflow.fire_due_timers()
    open_round = patrols.ready(patrol)["patrol"].id
    with pytest.raises(PermissionDenied):  # lifting the flag is the housing officer's decision
        registries.unflag_house(services, lookup.user("wjs_grid"), house_id, "已整改")
    registries.unflag_house(services, lookup.user("wjs_housing"), house_id, "已整改，房东已解除租赁")
    inst = patrols.instance(patrol)
    assert (inst.status, inst.end_event, inst.next_timer_at) == ("completed", "end_unflagged", None)
    with services.db.read() as s:
        assert s.get(HumanTask, open_round).state == "cancelled"
    house = patrols.house(house_id)
    assert not house.flagged and house.unflagged_at is not None
    clock.advance(days=30)
    assert services.workflow.fire_due_timers() == 0
    # Flagging again starts a fresh patrol.
    registries.save_house(services, lookup.user("wjs_housing"), ROOM, flagged=True)
    assert patrols.house(house_id).patrol_instance_id != patrol


def test_a_patrol_survives_save_and_restore_mid_cycle(patrols, services, clock):
    _house, patrol = patrols.flag()
    clock.advance(days=7, seconds=1)
    services.workflow.fire_due_timers()
    services.workflow.recent = type(services.workflow.recent)()  # force a restore from the stored state
    patrols.patrol(patrol, people_back=True)
    clock.advance(days=7, seconds=1)
    assert services.workflow.fire_due_timers() == 1
    assert "patrol" in patrols.ready(patrol) and len(patrols.children(patrol)) == 1


def test_the_interval_comes_from_configuration(patrols, services, clock):
    services.settings.patrol_interval = "PT24H"
    _house, patrol = patrols.flag()
    for _ in range(2):
        clock.advance(hours=24, seconds=1)
        assert services.workflow.fire_due_timers() == 1
        patrols.patrol(patrol)


@pytest.mark.parametrize("overrides", [{"patrol_interval": "PT0S"}, {"patrol_interval": "每周"},
                                       {"online_mlm_report_threshold": 0}])
def test_a_bad_patrol_interval_or_threshold_is_refused_at_start_up(overrides):
    from workflows.config import Settings
    with pytest.raises(ValueError, match=next(iter(overrides))):
        Settings.load(overrides)
