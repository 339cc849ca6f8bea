"""Incidents: actions that failed inside the engine, kept for an administrator to retry, skip or hold.

A completion whose script task or hook fails, or a timer whose firing fails, rolls back as a whole (nothing
is half-run); the failure is then written in a transaction of its own, with the error, the task, the data
that was submitted and the time. The administrator retries it once the cause is fixed (the data corrected,
a hook repaired), skips the failing script task with a reason, or suspends the instance (its tasks cannot
be completed, its timers do not fire) and resumes it later. Every one of these is audited. Nothing here
knows a process by name.
"""
from __future__ import annotations

import logging
import traceback
from dataclasses import replace

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows import audit
from workflows.engine.models import HumanTask, Incident, ProcessInstance
from workflows.exceptions import (ConcurrentUpdate, EngineFailure, IncidentRaised, PermissionDenied,
                                  ValidationFailed, WorkflowError)
from workflows.org.access import active_user, check_sees
from workflows.org.roles import ADMIN
from workflows.vocabulary import IncidentKind, IncidentStatus, InstanceStatus, TaskState

log = logging.getLogger("dachuan.incidents")

RAISED, RETRIED, RETRY_FAILED, SKIPPED = "incident_raised", "incident_retried", "incident_retry_failed", \
    "incident_skipped"
SUSPENDED, RESUMED = "instance_suspended", "instance_resumed"
ERROR_CHARS = 8000
TASK_GONE = "该任务已不在待办（已由他人办理或流程已改道），无须重试，故障关闭。"


def is_incident(exc: BaseException, timer: bool = False) -> bool:
    """Whether a failed action is an incident rather than a refusal the user can act on.

    The engine's own refusals (invalid data, no permission, a stale page) are the user's to fix and stay
    plain errors; the database being away is the operator's. A failure of engine code is an incident, and so
    is any other exception of a hook. The worker has nobody to show a refusal to, so for a timer every
    refusal but a concurrent update (which passes in the next round) is an incident too.
    """
    if isinstance(exc, EngineFailure):
        return True
    if isinstance(exc, WorkflowError):
        return timer and not isinstance(exc, ConcurrentUpdate)
    return isinstance(exc, Exception) and not isinstance(exc, sa.exc.SQLAlchemyError)


def describe(exc: BaseException) -> str:
    """The error for the administrator: the message, then the end of the trace (where it failed)."""
    message = exc.message if isinstance(exc, WorkflowError) else f"{type(exc).__name__}: {exc}"
    trace = "".join(traceback.format_exception(exc))
    return (message + "\n\n" + trace[-(ERROR_CHARS - len(message) - 2):])[:ERROR_CHARS]


def record_failure(engine, kind: IncidentKind, exc: BaseException, *, task_id: str | None = None,
                   data: dict | None = None, actor_id: int | None = None,
                   instance_id: int | None = None, event: str = RAISED) -> IncidentRaised:
    """Write the failure in its own transaction (the action's own rolled back): a new incident, or one more
    failure of the open incident of the same instance and action. Returns the error to raise to the caller."""
    now = engine.now()
    with engine.db.unit_of_work() as s:
        task = s.get(HumanTask, task_id) if task_id else None
        if task is not None:
            instance_id = task.instance_id
        same = sa.select(Incident).where(Incident.instance_id == instance_id, Incident.kind == kind,
                                         Incident.status == IncidentStatus.OPEN,
                                         Incident.task_id == task_id if task_id else Incident.task_id.is_(None))
        incident = s.scalar(same.with_for_update())
        values = {"error": describe(exc), "failed_at": now, "data": dict(data or {}),
                  "element_id": getattr(exc, "element_id", ""), "element_name": getattr(exc, "element_name", "")}
        if incident is None:
            incident = Incident(instance_id=instance_id, kind=kind, status=IncidentStatus.OPEN, task_id=task_id,
                                task_title=task.title if task is not None else "", actor_id=actor_id,
                                attempts=1, created_at=now, resolution="", **values)
            s.add(incident)
        else:
            for key, value in values.items():
                setattr(incident, key, value)
            incident.attempts += 1
        s.flush()
        audit.record(s, now, event, actor_id, instance_id, task_id, incident_id=incident.id, action=str(kind),
                     element=incident.element_id, error=values["error"][:500])
        step = incident.element_name or incident.task_title or "定时器"
        incident_id = incident.id
    log.error("incident %s on instance %s (%s at %s): %s", incident_id, instance_id, kind, step,
              values["error"].split("\n", 1)[0])
    return IncidentRaised(incident_id, step)


# ---------------------------------------------------------------------- the administrator's actions
def _admin(s: Session, actor_id: int, area_path: str):
    actor = active_user(s, actor_id)
    if not actor.has_role(ADMIN):
        raise PermissionDenied("只有系统管理员可以处理故障、暂停或恢复案件。")
    check_sees(actor, area_path)
    return actor


def _open_incident(s: Session, incident_id: int) -> Incident:
    incident = s.scalar(sa.select(Incident).where(Incident.id == incident_id).with_for_update())
    if incident is None:
        raise WorkflowError(f"找不到故障 {incident_id}。")
    if incident.status != IncidentStatus.OPEN:
        raise WorkflowError(f"故障 {incident_id} 已处理，无须再处理。")
    return incident


def retry(engine, incident_id: int, actor_id: int, data: dict | None = None) -> str:
    """Run the failed action again, as the user who did it (with corrected data, if given); returns a note
    when there was nothing left to run (the task is no longer open), else ""."""
    return _run_again(engine, incident_id, actor_id, data=data)


def skip(engine, incident_id: int, actor_id: int, reason: str) -> None:
    """Run the failed action again, passing over the failing script task without its effect."""
    if not (reason or "").strip():
        raise ValidationFailed({"reason": ["跳过出错的步骤须填写理由。"]})
    _run_again(engine, incident_id, actor_id, reason=reason.strip(), skipping=True)


def _run_again(engine, incident_id: int, actor_id: int, data: dict | None = None, reason: str = "",
               skipping: bool = False) -> str:
    kind, task_id, submitted = None, None, None
    try:
        with engine.db.unit_of_work() as s:
            incident = _open_incident(s, incident_id)
            _admin(s, actor_id, incident.instance.area_path)
            if skipping and not incident.element_id:
                raise WorkflowError("出错的不是流程图中的脚本任务（而是程序的处理环节），无法跳过；请排除原因后重试。")
            kind, task_id = incident.kind, incident.task_id
            submitted = dict(incident.data) if data is None else dict(data)
            ctx = replace(engine.context(s, incident.actor_id),
                          skip_element=incident.element_id if skipping else "")
            task = s.get(HumanTask, task_id) if kind == IncidentKind.COMPLETION else None
            if task is not None and task.state != TaskState.READY:
                # Done by someone else meanwhile, or the process went another way: nothing left to run.
                reason = reason or TASK_GONE
            elif kind == IncidentKind.COMPLETION:
                engine.complete_within(ctx, task_id, submitted, incident.actor_id)
            else:
                engine.fire_timers_within(ctx, incident.instance_id)
            incident.status = IncidentStatus.SKIPPED if skipping else IncidentStatus.RESOLVED
            incident.resolved_at, incident.resolved_by_id, incident.resolution = ctx.now, actor_id, reason
            incident.data = submitted
            audit.record(s, ctx.now, SKIPPED if skipping else RETRIED, actor_id, incident.instance_id, task_id,
                         incident_id=incident.id, reason=reason, element=incident.element_id, data=submitted)
            return reason if reason == TASK_GONE else ""
    except Exception as exc:
        if kind is None or not is_incident(exc, timer=kind == IncidentKind.TIMER):
            raise
        failed = record_failure(engine, kind, exc, task_id=task_id, data=submitted, actor_id=actor_id,
                                instance_id=_instance_of(engine, incident_id), event=RETRY_FAILED)
        raise WorkflowError(f"重试仍未成功（故障 {failed.incident_id} 已更新）：{describe(exc).split(chr(10))[0]}") \
            from exc


def _instance_of(engine, incident_id: int) -> int:
    with engine.db.read() as s:
        return s.scalar(sa.select(Incident.instance_id).where(Incident.id == incident_id))


def suspend(engine, instance_id: int, actor_id: int, reason: str) -> None:
    """Hold an instance: its tasks cannot be completed and its timers do not fire until it is resumed."""
    if not (reason or "").strip():
        raise ValidationFailed({"reason": ["暂停案件须填写理由。"]})
    _hold(engine, instance_id, actor_id, reason.strip(), suspending=True)


def resume(engine, instance_id: int, actor_id: int, reason: str = "") -> None:
    """Let a suspended instance go on; timers that fell due meanwhile fire in the worker's next round."""
    _hold(engine, instance_id, actor_id, (reason or "").strip(), suspending=False)


def _hold(engine, instance_id: int, actor_id: int, reason: str, suspending: bool) -> None:
    with engine.db.unit_of_work() as s:
        inst = s.scalar(sa.select(ProcessInstance).where(ProcessInstance.id == instance_id).with_for_update())
        if inst is None:
            raise WorkflowError(f"找不到案件 {instance_id}。")
        _admin(s, actor_id, inst.area_path)
        now = engine.now()
        if suspending:
            if inst.status != InstanceStatus.RUNNING or inst.suspended_at is not None:
                raise WorkflowError(f"案件 {inst.reference} 不在办理中或已暂停，无法暂停。")
            inst.suspended_at = now
        else:
            if inst.suspended_at is None:
                raise WorkflowError(f"案件 {inst.reference} 未暂停。")
            inst.suspended_at = None
        # The version guard: an action that read the instance before the hold must not save over it.
        inst.version += 1
        audit.record(s, now, SUSPENDED if suspending else RESUMED, actor_id, inst.id, reason=reason)
