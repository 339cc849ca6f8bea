"""The five-contracts chain: a matter climbs one level each time its deadline passes, to the top."""
import pytest
import sqlalchemy as sa

from engine_helpers import ROOM, CaseDriver
from workflows.audit.models import AuditEvent
from workflows.engine.models import HumanTask, ProcessInstance
from workflows.exceptions import PermissionDenied, WorkflowError
from workflows.matters.hooks import raise_overdue_matters

HOLDER = {1: "louzhang", 2: "shequ", 3: "jiedao", 4: "quzhi", 5: "quji"}
DEADLINE_HOURS = {1: 24, 2: 48, 3: 72, 4: 120, 5: 168}


def open_matter(services, matter_id):
    with services.db.read() as s:
        task = s.scalar(sa.select(HumanTask).where(HumanTask.instance_id == matter_id,
                                                   HumanTask.state == "ready"))
        inst = s.get(ProcessInstance, matter_id)
        return task, inst


def start_matter(services, lookup):
    return services.workflow.start("five_contracts", {"subject": "单元内人员回流"}, lookup.user("wjs_grid"),
                                   lookup.area(ROOM), "回流").instance_id


def test_unresolved_matter_climbs_all_five_levels_as_deadlines_pass(services, lookup, clock):
    matter = start_matter(services, lookup)
    seen = []
    for level in range(1, 6):
        task, inst = open_matter(services, matter)
        assert (task.level, inst.level) == (level, level)
        assert task.assignee_id == lookup.user(HOLDER[level])
        assert task.title == "责任人处置"
        seen.append(level)
        # Just before the deadline nothing happens; just after, the matter moves up.
        clock.advance(hours=DEADLINE_HOURS[level] - 1)
        assert services.workflow.fire_due_timers() == 0
        clock.advance(hours=1, seconds=1)
        assert services.workflow.fire_due_timers() == 1
    task, inst = open_matter(services, matter)
    assert task.level == 5 and task.assignee_id == lookup.user("quji")  # the district leader stays on it
    with services.db.read() as s:
        escalations = s.execute(sa.select(AuditEvent.details).where(
            AuditEvent.instance_id == matter, AuditEvent.kind == "escalated").order_by(AuditEvent.id)).scalars().all()
    assert [(e["from_level"], e["to_level"]) for e in escalations] == [(1, 2), (2, 3), (3, 4), (4, 5)]
    assert seen == [1, 2, 3, 4, 5]


def test_matter_resolved_at_level_two_stops_there(services, lookup, clock):
    matter = start_matter(services, lookup)
    clock.advance(hours=25)
    services.workflow.fire_due_timers()
    task, _ = open_matter(services, matter)
    assert task.level == 2
    services.workflow.complete(task.id, {"resolved": True, "result": "已约谈房东，人员已清退"},
                               lookup.user("shequ"))
    _, inst = open_matter(services, matter)
    assert (inst.status, inst.end_event, inst.level) == ("completed", "end_resolved", 2)
    clock.advance(days=30)
    assert services.workflow.fire_due_timers() == 0


def test_not_resolved_reports_up_at_once(services, lookup):
    matter = start_matter(services, lookup)
    task, _ = open_matter(services, matter)
    services.workflow.complete(task.id, {"resolved": False, "result": "本级无法解决"}, lookup.user("louzhang"))
    task, _ = open_matter(services, matter)
    assert task.level == 2 and task.assignee_id == lookup.user("shequ")


def test_other_officers_cannot_handle_someone_elses_matter(services, lookup):
    matter = start_matter(services, lookup)
    task, _ = open_matter(services, matter)
    with pytest.raises(PermissionDenied):
        services.workflow.complete(task.id, {"resolved": True, "result": "x"}, lookup.user("shequ"))


def test_supervisor_reassigns_to_a_person_and_to_a_level(services, lookup, clock):
    matter = start_matter(services, lookup)
    task, _ = open_matter(services, matter)
    supervisor = lookup.user("wjs_leader")
    services.workflow.reassign([task.id], supervisor, "楼栋长外出，由社区书记处理", to_user_id=lookup.user("shequ"))
    ready = {t.id for t in services.workflow.ready_tasks_for(lookup.user("shequ"))}
    assert task.id in ready
    assert task.id not in {t.id for t in services.workflow.ready_tasks_for(lookup.user("louzhang"))}

    services.workflow.reassign([task.id], supervisor, "情况复杂，直接交街道", to_level=3)
    task, inst = open_matter(services, matter)
    assert (task.level, inst.level, task.assignee_id) == (3, 3, lookup.user("jiedao"))
    # The new level gets its own full deadline from the moment of reassignment, then climbs on.
    clock.advance(hours=71)
    assert services.workflow.fire_due_timers() == 0
    clock.advance(hours=2)
    assert services.workflow.fire_due_timers() == 1
    task, _ = open_matter(services, matter)
    assert task.level == 4
    with services.db.read() as s:
        reasons = s.scalars(sa.select(AuditEvent.details).where(AuditEvent.kind == "reassigned")).all()
    assert [r["reason"] for r in reasons] == ["楼栋长外出，由社区书记处理", "情况复杂，直接交街道"]


def test_only_supervisors_reassign_and_a_reason_is_required(services, lookup):
    matter = start_matter(services, lookup)
    task, _ = open_matter(services, matter)
    with pytest.raises(PermissionDenied):
        services.workflow.reassign([task.id], lookup.user("wjs_market1"), "想帮忙", to_level=2)
    with pytest.raises(WorkflowError, match="理由"):
        services.workflow.reassign([task.id], lookup.user("wjs_leader"), "  ", to_level=2)


def test_overdue_six_step_step_raises_a_matter_for_its_address(services, lookup, clock):
    cases = CaseDriver(services, lookup)
    case = cases.start()
    clock.advance(days=3, minutes=1)  # the sweep has three days
    assert raise_overdue_matters(services.workflow) == 1
    assert raise_overdue_matters(services.workflow) == 0  # once per overdue step
    with services.db.read() as s:
        matter = s.scalar(sa.select(ProcessInstance).where(ProcessInstance.parent_instance_id == case))
        task = s.scalar(sa.select(HumanTask).where(HumanTask.instance_id == matter.id, HumanTask.state == "ready"))
    assert matter.process_id == "five_contracts" and matter.level == 1
    assert task.assignee_id == lookup.user("louzhang")
    assert "overdue_raised" in cases.audit_kinds(case)
