"""Incidents: a script task that fails rolls its action back and is kept for the administrator, who retries
it once the cause is fixed, skips the failing step with a reason, or suspends and resumes the instance."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from engine_helpers import ROOM
from incident_helpers import deploy, incidents_of, instance, ready
from workflows.audit.models import AuditEvent
from workflows.engine import incidents
from workflows.exceptions import (IncidentRaised, InstanceSuspended, PermissionDenied, ValidationFailed,
                                  WorkflowError)
from workflows.vocabulary import EventKind, IncidentKind, IncidentStatus


@pytest.fixture
def probe(services, lookup):
    deploy(services)
    return services


def _start(services, lookup, process_id="incident_probe", data=None) -> int:
    return services.workflow.start(process_id, data or {}, lookup.user("wjs_market1"), lookup.area(ROOM),
                                   "故障演示").instance_id


def _audit(services, instance_id) -> list[tuple[str, int | None]]:
    with services.db.read() as s:
        return list(s.execute(sa.select(AuditEvent.kind, AuditEvent.actor_id)
                              .where(AuditEvent.instance_id == instance_id).order_by(AuditEvent.id)).all())


def _fail_completion(services, lookup, instance_id):
    task_id = ready(services, instance_id)["fill"]
    with pytest.raises(IncidentRaised) as raised:
        services.workflow.complete(task_id, {"divisor": 0, "basis": "第二十四条"}, lookup.user("wjs_market1"))
    return task_id, raised.value


def test_a_failing_script_task_becomes_an_incident_and_is_retried_to_success_with_corrected_data(probe, lookup):
    services = probe
    market, admin = lookup.user("wjs_market1"), lookup.user("admin")
    inst_id = _start(services, lookup)
    version_before = instance(services, inst_id).version
    task_id, raised = _fail_completion(services, lookup, inst_id)
    assert "计算罚款" in raised.message and str(raised.incident_id) in raised.message

    # Nothing of the action was saved: the task is still ready, the state untouched, no completion audited.
    assert ready(services, inst_id) == {"fill": task_id}
    assert instance(services, inst_id).version == version_before
    assert EventKind.COMPLETED not in [k for k, _ in _audit(services, inst_id)]
    [incident] = incidents_of(services, inst_id)
    assert (incident.status, incident.kind, incident.task_id, incident.actor_id) == (
        IncidentStatus.OPEN, IncidentKind.COMPLETION, task_id, market)
    assert (incident.element_id, incident.element_name) == ("compute", "计算罚款")
    assert "ZeroDivisionError" in incident.error
    assert incident.data == {"divisor": 0, "basis": "第二十四条"}  # what the officer typed is kept

    # The officer tries again: the same incident counts a second failure, no second incident.
    _fail_completion(services, lookup, inst_id)
    [incident] = incidents_of(services, inst_id)
    assert incident.attempts == 2

    # A retry with the cause not fixed fails again, and says so.
    with pytest.raises(WorkflowError, match="重试仍未成功"):
        incidents.retry(services.workflow, incident.id, admin)
    assert incidents_of(services, inst_id)[0].attempts == 3
    assert (incidents.RETRY_FAILED, admin) in _audit(services, inst_id)

    # The officer's figure corrected: the retry completes the task as the officer and the case goes on.
    incidents.retry(services.workflow, incident.id, admin, data={"divisor": 4, "basis": "第二十四条"})
    [incident] = incidents_of(services, inst_id)
    assert (incident.status, incident.resolved_by_id) == (IncidentStatus.RESOLVED, admin)
    assert list(ready(services, inst_id)) == ["review"]
    assert services.workflow.instance_view(inst_id).last_data["fine"] == 250
    kinds = _audit(services, inst_id)
    assert (EventKind.COMPLETED, market) in kinds and (incidents.RETRIED, admin) in kinds
    with pytest.raises(WorkflowError, match="已处理"):
        incidents.retry(services.workflow, incident.id, admin)


def test_an_incident_skipped_with_a_reason_passes_over_the_failing_step(probe, lookup):
    services = probe
    admin = lookup.user("admin")
    inst_id = _start(services, lookup)
    _fail_completion(services, lookup, inst_id)
    [incident] = incidents_of(services, inst_id)
    with pytest.raises(ValidationFailed):
        incidents.skip(services.workflow, incident.id, admin, "  ")
    with pytest.raises(PermissionDenied):
        incidents.skip(services.workflow, incident.id, lookup.user("wjs_market1"), "自己跳过")

    incidents.skip(services.workflow, incident.id, admin, "罚款改由人工计算")
    [incident] = incidents_of(services, inst_id)
    assert (incident.status, incident.resolution) == (IncidentStatus.SKIPPED, "罚款改由人工计算")
    assert list(ready(services, inst_id)) == ["review"]
    assert "fine" not in services.workflow.instance_view(inst_id).last_data
    assert (incidents.SKIPPED, admin) in _audit(services, inst_id)


def test_a_failing_timer_becomes_an_incident_and_does_not_hold_up_the_others(probe, lookup, clock):
    services = probe
    admin = lookup.user("admin")
    bad = _start(services, lookup, "incident_timer_probe", {"divisor": 0})
    good = _start(services, lookup, "incident_timer_probe", {"divisor": 5})
    clock.advance(hours=2)
    assert services.workflow.fire_due_timers() == 1
    assert list(ready(services, good)) == ["review"]
    [incident] = incidents_of(services, bad)
    assert (incident.kind, incident.element_id, incident.task_id) == (IncidentKind.TIMER, "compute", None)
    # The failing instance is not taken up again round after round.
    assert services.workflow.fire_due_timers() == 0
    assert incidents_of(services, bad)[0].attempts == 1

    with pytest.raises(WorkflowError, match="重试仍未成功"):
        incidents.retry(services.workflow, incident.id, admin)
    incidents.skip(services.workflow, incident.id, admin, "该步骤暂不适用")
    assert list(ready(services, bad)) == ["review"]
    assert incidents_of(services, bad)[0].status == IncidentStatus.SKIPPED


def test_a_suspended_instance_cannot_be_completed_and_its_timers_wait_until_it_is_resumed(probe, lookup, clock):
    services = probe
    admin, market = lookup.user("admin"), lookup.user("wjs_market1")
    inst_id = _start(services, lookup)
    timed = _start(services, lookup, "incident_timer_probe", {"divisor": 2})
    with pytest.raises(ValidationFailed):
        incidents.suspend(services.workflow, inst_id, admin, "")
    with pytest.raises(PermissionDenied):
        incidents.suspend(services.workflow, inst_id, market, "我想暂停")
    incidents.suspend(services.workflow, inst_id, admin, "当事人申请复核")
    incidents.suspend(services.workflow, timed, admin, "核对数据")

    with pytest.raises(InstanceSuspended):
        services.workflow.complete(ready(services, inst_id)["fill"], {"divisor": 4}, market)
    clock.advance(hours=2)
    assert services.workflow.fire_due_timers() == 0
    assert ready(services, timed) == {}
    assert incidents_of(services, inst_id) == []  # a refusal, not an incident

    incidents.resume(services.workflow, inst_id, admin, "复核完毕")
    incidents.resume(services.workflow, timed, admin)
    services.workflow.complete(ready(services, inst_id)["fill"], {"divisor": 4}, market)
    assert list(ready(services, inst_id)) == ["review"]
    assert services.workflow.fire_due_timers() == 1
    assert list(ready(services, timed)) == ["review"]
    kinds = [k for k, _ in _audit(services, inst_id)]
    assert kinds.index(incidents.SUSPENDED) < kinds.index(incidents.RESUMED) < kinds.index(EventKind.COMPLETED)


def test_an_incident_whose_task_the_officer_since_completed_is_closed_by_the_retry(probe, lookup):
    services = probe
    admin, market = lookup.user("admin"), lookup.user("wjs_market1")
    inst_id = _start(services, lookup)
    task_id, _ = _fail_completion(services, lookup, inst_id)
    services.workflow.complete(task_id, {"divisor": 5}, market)  # the officer corrected it and went on
    [incident] = incidents_of(services, inst_id)
    assert incidents.retry(services.workflow, incident.id, admin) == incidents.TASK_GONE
    [incident] = incidents_of(services, inst_id)
    assert incident.status == IncidentStatus.RESOLVED and incident.resolution == incidents.TASK_GONE
    assert list(ready(services, inst_id)) == ["review"]  # nothing was run twice
    assert services.workflow.instance_view(inst_id).last_data["fine"] == 200


def test_a_failing_hook_is_an_incident_retried_once_the_hook_is_repaired(probe, lookup):
    from workflows.engine.hooks import ProcessHooks
    services = probe
    admin, market = lookup.user("admin"), lookup.user("wjs_market1")
    broken = {"yes": True}

    def after_complete(ctx, task, data):
        if broken["yes"]:
            raise KeyError("ledger_row")  # a domain's bug, not the officer's input
    services.workflow.hooks.register(ProcessHooks("incident_probe", after_complete=after_complete))
    inst_id = _start(services, lookup)
    task_id = ready(services, inst_id)["fill"]
    with pytest.raises(IncidentRaised):
        services.workflow.complete(task_id, {"divisor": 4}, market)
    [incident] = incidents_of(services, inst_id)
    assert incident.element_id == "" and "KeyError" in incident.error
    assert ready(services, inst_id) == {"fill": task_id}
    # Only a script task of the diagram can be skipped; a hook's failure must be fixed.
    with pytest.raises(WorkflowError, match="无法跳过"):
        incidents.skip(services.workflow, incident.id, admin, "跳过")

    broken["yes"] = False  # the hook repaired (a new release)
    incidents.retry(services.workflow, incident.id, admin)
    assert incidents_of(services, inst_id)[0].status == IncidentStatus.RESOLVED
    assert list(ready(services, inst_id)) == ["review"]


def test_a_suspended_case_raises_no_overdue_matter_until_it_is_resumed(services, lookup, clock):
    from engine_helpers import CaseDriver
    admin = lookup.user("admin")
    case_id = CaseDriver(services, lookup).start()
    incidents.suspend(services.workflow, case_id, admin, "复核")
    clock.advance(days=4)  # past the sweep step's three days
    assert services.workflow.run_worker_once()["overdue"] == 0
    incidents.resume(services.workflow, case_id, admin)
    assert services.workflow.run_worker_once()["overdue"] == 1
