"""The five-contracts matter's hooks: the level a matter starts at, who holds it at each level, the escalation
record when its timer moves it up, a supervisor moving it to a level, and the worker raising matters for the
overdue steps of other processes."""
from __future__ import annotations

import sqlalchemy as sa

from workflows import audit
from workflows.engine.context import ActionContext
from workflows.engine.hooks import HookRegistry, ProcessHooks
from workflows.engine.models import HumanTask, ProcessInstance
from workflows.exceptions import WorkflowError
from workflows.org import areas
from workflows.org.models import FIVE_CONTRACT_LEVEL_NAMES
from workflows.vocabulary import EventKind, TaskState

PROCESS = "five_contracts"
TASK_SCHEMAS = {"handle_matter": {"resolved": bool, "result": str}}


def _prepare_start(ctx: ActionContext, data: dict, area) -> None:
    data.setdefault("level", areas.first_level(ctx.session, area) if area else 5)
    data.setdefault("deadlines", ctx.settings.five_contract_deadlines)
    data.setdefault("escalations", 0)


def _instance_values(ctx: ActionContext, inst, ready) -> dict:
    """The instance row carries the matter's current level (for the board), read from its open task."""
    levels = [t.data.get("level") for t in ready if t.data.get("level")]
    return {"level": levels[0]} if levels else {}


def _assign(ctx: ActionContext, inst, task, row: dict) -> None:
    """A matter's task goes to the person answering for the address at its level, due when the level's timer fires."""
    row["level"] = task.data.get("level")
    area, user_id = areas.responsible(ctx.session, inst.area, row["level"]) if inst.area else (None, None)
    if area is not None:
        row["area_id"], row["area_path"] = area.id, area.path
    row["assignee_id"] = user_id
    row["due_at"] = inst.next_timer_at


def _after_timers(ctx: ActionContext, inst, before: dict) -> None:
    if inst.level != before["level"]:
        audit.record(ctx.session, ctx.now, EventKind.ESCALATED, None, inst.id, from_level=before["level"],
                     to_level=inst.level, reason="超过本级处置时限")


def _move_to_level(ctx: ActionContext, task: HumanTask, level: int) -> None:
    """A supervisor moves a matter to a level: its data and timer restart there, its task goes to that level's holder."""
    if level not in FIVE_CONTRACT_LEVEL_NAMES:
        raise WorkflowError("层级应为 1 至 5。")
    deadline = ctx.settings.five_contract_deadlines[str(level)]
    inst = ctx.engine.update_open_data(ctx, task.instance_id, {"level": level, "deadline": deadline},
                                       restart_timers=True)
    area, user_id = areas.responsible(ctx.session, inst.area, level) if inst.area else (None, None)
    task.level, task.assignee_id = level, user_id
    if area is not None:
        task.area_id, task.area_path = area.id, area.path
    task.due_at = inst.next_timer_at


def raise_overdue_matters(engine, limit: int = 500) -> int:
    """An overdue step raises a five-contracts matter for its address instead of waiting silently."""
    raised = 0
    while raised < limit:
        with engine.db.unit_of_work() as s:
            ctx = engine.context(s)
            query = (sa.select(HumanTask)
                     .where(HumanTask.state == TaskState.READY, HumanTask.due_at <= ctx.now,
                            HumanTask.overdue_matter_id.is_(None),
                            HumanTask.process_id.in_(ctx.settings.escalate_overdue_processes),
                            # A case an administrator holds: its officers cannot act, so nothing is overdue.
                            HumanTask.instance_id.not_in(sa.select(ProcessInstance.id).where(
                                ProcessInstance.suspended_at.is_not(None))))
                     .order_by(HumanTask.due_at).limit(1))
            task = s.scalar(engine.db.claimable(query))
            if task is None:
                return raised
            inst = s.get(ProcessInstance, task.instance_id)
            matter = engine.start_within(ctx, PROCESS, {
                "subject": f"{inst.reference}“{task.title}”逾期未办",
                "source_reference": inst.reference, "source_task": task.task_name,
            }, inst.area_id, f"{inst.reference} {task.title} 逾期", inst.id).instance
            task.overdue_matter_id = matter.id
            audit.record(s, ctx.now, EventKind.OVERDUE_RAISED, None, inst.id, task.id, title=task.title,
                         matter_id=matter.id, matter_reference=matter.reference, level=matter.level)
            raised += 1
    return raised


def register(registry: HookRegistry) -> None:
    registry.register(ProcessHooks(PROCESS, reference_prefix="WB", task_schemas=TASK_SCHEMAS,
                                   prepare_start=_prepare_start, instance_values=_instance_values,
                                   assign=_assign, after_timers=_after_timers, move_to_level=_move_to_level))
    registry.periodic_duty("overdue", raise_overdue_matters)
