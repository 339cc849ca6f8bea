"""The human-task mirror: one indexed row per user task, written with the workflow state it mirrors."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows.database.driver import DriverStatement
from workflows.engine import spiff
from workflows.engine.context import ActionContext
from workflows.engine.models import HumanTask, ProcessInstance
from workflows.exceptions import WorkflowError
from workflows.org.models import User
from workflows.org.roles import ROLE_NAMES, role_for_lane
from workflows.vocabulary import TaskState


def sync(ctx: ActionContext, inst: ProcessInstance, ready: list, open_before: set[str] | None = None) -> None:
    """Cancel mirror rows whose task is no longer ready; insert rows for newly ready tasks."""
    s, now = ctx.session, ctx.now
    if open_before is None:
        open_before = set(s.scalars(sa.select(HumanTask.id).where(
            HumanTask.instance_id == inst.id, HumanTask.state == TaskState.READY)))
    ready_ids = {t.id for t in ready}
    gone = open_before - ready_ids
    if gone:
        _CANCEL.write_many(s, [{"b_id": task_id, "completed_at": now} for task_id in gone])
    assign = ctx.engine.hooks.of(inst.process_id).assign
    rows = []
    for t in ready:
        if t.id in open_before:
            continue
        row = dict(id=t.id, instance_id=inst.id, process_id=inst.process_id, task_name=t.name,
                   title=t.title, lane=t.lane, role=role_for_lane(t.lane), area_id=inst.area_id,
                   area_path=inst.area_path, state=TaskState.READY, created_at=now, assignee_id=None, level=None,
                   due_at=spiff.duration_after(now, ctx.settings.task_deadline(inst.process_id, t.name)))
        if assign is not None:
            assign(ctx, inst, t, row)
        rows.append(row)
    if rows:
        # Plain INSERTs: new mirror rows are not used again in this action.
        _INSERT.write_many(s, rows)


# Built once (see service): plain statements on the mirror's table, straight to the driver
# (workflows.database.driver).
_TABLE = HumanTask.__table__
_INSERT = DriverStatement(_TABLE.insert())
_CANCEL = DriverStatement(_TABLE.update().where(_TABLE.c.id == sa.bindparam("b_id"),
                                                _TABLE.c.state == TaskState.READY)
                          .values(state=TaskState.CANCELLED))


def reassign(ctx: ActionContext, task: HumanTask, target: User | None, to_level: int | None, move, reason: str,
             due_at: datetime | None = None) -> dict:
    """Move one open task to `target` or (with the process's `move` hook) to `to_level`; returns what it was.

    The time limit starts again (a matter's level timer too), so the new holder has all of it to act, unless
    the supervisor sets the deadline (`due_at`); who moved it, when and why stay on the row for the new
    holder's task page and inbox.
    """
    before = {"assignee_id": task.assignee_id, "level": task.level, "due_at": str(task.due_at)}
    if due_at is not None and (move is not None or due_at <= ctx.now):
        raise WorkflowError("五包责任事项按层级重新计时，不能另设截止时间。" if move is not None
                            else "新的截止时间须晚于现在。")
    if move is not None:
        move(ctx, task, to_level or task.level)
    else:
        task.due_at = due_at or spiff.duration_after(ctx.now, ctx.settings.task_deadline(task.process_id,
                                                                                       task.task_name))
    if target is not None:
        task.assignee_id = target.id
    task.reassigned_at, task.reassigned_by_id, task.reassign_reason = ctx.now, ctx.actor_id, reason[:500]
    return before


def on_behalf(session: Session, task: HumanTask, actor_id: int | None) -> dict:
    """Audit details for a task done by someone other than its assignee (a substitute): both are kept."""
    if task.assignee_id in (None, actor_id):
        return {}
    return {"on_behalf_of": task.assignee_id, "on_behalf_of_name": holder(session, task)}


def holder(session: Session, task: HumanTask) -> str:
    """Who holds a task, for messages: the assignee's name, or the role's pool."""
    if task.assignee_id:
        user = session.get(User, task.assignee_id)
        return user.display_name if user else "他人"
    return f"{ROLE_NAMES.get(task.role, task.role)}岗位"


def task_holder_message(session: Session, task: HumanTask) -> str:
    """Why a submission for a task that is no longer ready was not saved."""
    if task.state == TaskState.COMPLETED:
        who = session.get(User, task.completed_by_id) if task.completed_by_id else None
        name = who.display_name if who else "他人"
        when = task.completed_at.strftime("%Y-%m-%d %H:%M") if task.completed_at else ""
        return f"该任务已由{name}于{when}完成，您的提交未保存。请查看案件的最新进展。"
    return "该任务已不再需要办理（流程已转入其他环节），您的提交未保存。请查看案件的最新进展。"
