"""The engine service: every user or worker action is one method here and one transaction.

A `WorkflowService` is shared by every thread of a process and holds no per-action state: each action builds
its own `ActionContext`. The `*_within` methods run inside an action that is already under way (a script task
starting a linked case, a sweep opening a case): they take that action's context instead of opening a unit of
work of their own, so everything commits or rolls back together.
"""
from __future__ import annotations

import copy
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from workflows import audit
from workflows.clock import SystemClock, using_clock, utcnow_naive
from workflows.config import Settings
from workflows.database.driver import DriverStatement
from workflows.database.session import Database
from workflows.engine import deployment, history, incidents, mirror, references, spiff, task_data
from workflows.engine.context import ActionContext, running
from workflows.engine.hooks import HookRegistry
from workflows.engine.models import HumanTask, Incident, ProcessInstance, ProcessVersion
from workflows.engine.recent import RecentWorkflows
from workflows.engine.results import ActionResult, InstanceView, Started
from workflows.exceptions import (ConcurrentUpdate, InstanceSuspended, PermissionDenied, TaskAlreadyCompleted,
                                  TaskNotReady, UnknownInstance, UnknownTask, WorkflowError)
from workflows.org.access import can_act, may_reassign, receive_problem, visible_clause
from workflows.org.actors import ACTOR_COLUMNS, Actor
from workflows.org.models import Area, User
from workflows.org.roles import SUPERVISOR
from workflows.substitutes import service as substitutes
from workflows.vocabulary import EventKind, IncidentKind, IncidentStatus, InstanceStatus, TaskState


# The hot path's statements, built once (building one costs more than SQLite takes to run it). Lock task
# and instance together: a second officer waits until the first commits, then reads the task as completed
# (PostgreSQL re-reads locked rows). The actor and their area come in the same round trip, as the columns
# the access rule reads (loading them as entities cost more than the query); the process version loads
# only for a restore.
_LOCK_TASK = (sa.select(HumanTask, ProcessInstance, *ACTOR_COLUMNS)
              .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
              .outerjoin(User, User.id == sa.bindparam("actor_id"))
              .outerjoin(Area, Area.id == User.area_id)
              .where(HumanTask.id == sa.bindparam("task_id"))
              .with_for_update(of=[HumanTask, ProcessInstance]))
_TASK_DONE = DriverStatement(HumanTask.__table__.update().where(HumanTask.__table__.c.id == sa.bindparam("b_id")))
# Both straight to the driver (database.driver); SET from the parameters given, the guard from b_id/b_version.
_SAVE_INSTANCE = DriverStatement(ProcessInstance.__table__.update().where(
    ProcessInstance.__table__.c.id == sa.bindparam("b_id"),
    ProcessInstance.__table__.c.version == sa.bindparam("b_version")))


class WorkflowService:
    """Start processes, complete and route tasks, fire timers; each public call is one unit of work."""

    def __init__(self, db: Database, settings: Settings | None = None, clock=None, hooks: HookRegistry | None = None):
        self.db = db
        self.settings = settings or Settings.load()
        self.clock = clock or SystemClock()
        self.hooks = hooks or HookRegistry()
        self.recent = RecentWorkflows()

    def now(self) -> datetime:
        return utcnow_naive(self.clock)

    def context(self, session: Session, actor_id: int | None = None) -> ActionContext:
        """A new action's context in `session` (the action's unit of work)."""
        return ActionContext(self, session, actor_id, self.now())

    # ------------------------------------------------------------------ deployment
    def deploy_directory(self, directory: Path | None = None, actor_id: int | None = None) -> list[ProcessVersion]:
        """Deploy every diagram of a directory whose content changed."""
        return deployment.deploy_directory(self.db, self.now(), Path(directory or self.settings.bpmn_dir), actor_id)

    def deploy_xml(self, xml: bytes, file_name: str, actor_id: int | None = None,
                   has_form=None) -> list[ProcessVersion]:
        """Check a diagram and store each of its processes once per content hash."""
        return deployment.deploy_xml(self.db, self.now(), xml, file_name, actor_id, has_form)

    @staticmethod
    def step_titles(version: ProcessVersion) -> dict[str, str]:
        """task name -> its name in the diagram, for one deployed version."""
        return {name: title for name, (title, _) in deployment.parsed(version).user_tasks.items()}

    # ------------------------------------------------------------------ running engine code
    def _run(self, ctx: ActionContext, fn):
        """Run engine code for `ctx.instance` with our clock; scripts find `ctx` as the running action."""
        with running(ctx), using_clock(self.clock):
            return spiff.run_engine_code(fn, ctx.skip_element)

    def _restore(self, ctx: ActionContext, inst: ProcessInstance, reuse: bool = False) -> spiff.Runtime:
        """The instance's workflow: the one this process saved last if still current, else from its state."""
        if reuse:
            rt = self.recent.take(inst.id, inst.version)
            if rt is not None:
                return rt
        parsed = deployment.parsed(inst.process_version)
        return self._run(ctx.for_instance(inst), lambda: spiff.Runtime.restore(parsed, inst.state))

    @staticmethod
    def _lock_instance(session: Session, instance_id: int) -> ProcessInstance:
        inst = session.scalar(sa.select(ProcessInstance).where(ProcessInstance.id == instance_id)
                              .options(joinedload(ProcessInstance.process_version, innerjoin=True))
                              .with_for_update(of=ProcessInstance))
        if inst is None:
            raise UnknownInstance(instance_id)
        return inst

    # ------------------------------------------------------------------ starting
    def start(self, process_id: str, data: dict | None = None, actor_id: int | None = None,
              area_id: int | None = None, title: str = "", parent_instance_id: int | None = None) -> ActionResult:
        """Start a process at the current version of its diagram."""
        with self.db.unit_of_work() as s, s.no_autoflush:
            ctx = self.context(s, actor_id)
            inst, rt, ready = self._start(ctx, process_id, dict(data or {}), area_id, title, parent_instance_id)
            result = ActionResult(inst.id, inst.reference, inst.status, [t.id for t in ready])
            saved_version = inst.version
        if result.status == InstanceStatus.RUNNING:
            self.recent.put(inst.id, saved_version, rt)
        return result

    def start_within(self, ctx: ActionContext, process_id: str, data: dict, area_id: int | None = None,
                     title: str = "", parent_instance_id: int | None = None,
                     actor_id: int | None = None) -> Started:
        """Start a process inside the running action `ctx` (a linked case, a patrol, a complaint's workflow)."""
        inner = ActionContext(self, ctx.session, actor_id, ctx.now)
        inst, _rt, ready = self._start(inner, process_id, dict(data), area_id, title, parent_instance_id)
        return Started(inst, ready)

    def _start(self, ctx: ActionContext, process_id, data, area_id, title, parent_instance_id):
        s, now = ctx.session, ctx.now
        version = deployment.current_version(s, process_id)
        area = s.get(Area, area_id) if area_id else None
        if area_id and area is None:
            raise WorkflowError(f"地址 {area_id} 不存在。")
        hooks = self.hooks.of(process_id)
        if hooks.prepare_start is not None:
            hooks.prepare_start(ctx, data, area)
        inst = ProcessInstance(version_id=version.id, process_id=process_id, reference="", title=title,
                               area_id=area.id if area else None, area_path=area.path if area else "",
                               status=InstanceStatus.RUNNING, state=b"", created_at=now, updated_at=now,
                               created_by_id=ctx.actor_id, parent_instance_id=parent_instance_id)
        inst.process_version = version
        s.add(inst)
        s.flush()
        inst.reference = references.next_reference(s, hooks.reference_prefix, now.year)
        ctx = ctx.for_instance(inst)
        parsed = deployment.parsed(version)
        rt = self._run(ctx, lambda: spiff.Runtime.start(parsed, data))
        audit.record(s, now, EventKind.STARTED, ctx.actor_id, inst.id, process_id=process_id,
                     version_id=version.id, data=data, title=title)
        ready = self._save(ctx, rt)
        self.hooks.notify("started", ctx, inst, data)
        return inst, rt, ready

    # ------------------------------------------------------------------ completing
    def complete(self, task_id: str, data: dict, actor_id: int) -> ActionResult:
        """Validate and complete one user task, run the engine on, save; all or nothing. A failure inside
        the engine (a script task, a hook) rolls the action back and is recorded as an incident."""
        data = dict(data)
        try:
            return self._complete_action(task_id, data, actor_id)
        except Exception as exc:
            if not incidents.is_incident(exc):
                raise
            raise incidents.record_failure(self, IncidentKind.COMPLETION, exc, task_id=task_id, data=data,
                                           actor_id=actor_id) from exc

    def _complete_action(self, task_id: str, data: dict, actor_id: int) -> ActionResult:
        with self.db.unit_of_work() as s, s.no_autoflush:
            row = s.execute(_LOCK_TASK, {"task_id": task_id, "actor_id": actor_id}).first()
            if row is None:
                raise UnknownTask(task_id)
            task, inst = row[0], row[1]
            if task.state != TaskState.READY:
                raise TaskAlreadyCompleted(mirror.task_holder_message(s, task), inst.id)
            if row[2] is None:
                raise PermissionDenied("请先登录。")
            actor = Actor(*row[2:])
            if not can_act(actor, task) and not substitutes.stands_in(s, actor_id, task.assignee_id, self.now()):
                raise PermissionDenied(f"您无权办理“{task.title}”：该任务属于{mirror.holder(s, task)}。")
            if inst.suspended_at is not None:
                raise InstanceSuspended(inst.reference)
            ctx = self.context(s, actor_id).for_instance(inst)
            rt, ready = self._complete(ctx, task, data, reuse=True)
            result = ActionResult(inst.id, inst.reference, inst.status, [t.id for t in ready])
            saved_version = inst.version
        # Committed: keep the live workflow for the next action on this case.
        if result.status == InstanceStatus.RUNNING:
            self.recent.put(inst.id, saved_version, rt)
        return result

    def complete_within(self, ctx: ActionContext, task_id: str, data: dict, actor_id: int | None) -> None:
        """Complete a ready task inside the running action `ctx`, as `actor_id`, without the inbox's rights
        check: the calling domain decided who does the step (e.g. the sweep team did the 摸排 together)."""
        s = ctx.session
        task = self._ready_task(s, task_id)
        inst = s.get(ProcessInstance, task.instance_id)
        if inst.suspended_at is not None:
            raise InstanceSuspended(inst.reference)
        self._complete(replace(ctx, actor_id=actor_id, instance=inst), task, dict(data), reuse=False)

    def _complete(self, ctx: ActionContext, task: HumanTask, data: dict, reuse: bool) -> tuple[spiff.Runtime, list]:
        """Run one ready task in the action `ctx`; returns the live workflow and its ready tasks after the step."""
        s, inst = ctx.session, ctx.instance
        hooks = self.hooks.of(inst.process_id)
        task_data.check(hooks.task_schemas.get(task.task_name, {}), data)
        if hooks.before_complete is not None:
            hooks.before_complete(ctx, task, data)
        rt = self._restore(ctx, inst, reuse=reuse)
        # The mirror holds exactly the workflow's ready tasks (both are written together), so the
        # open rows are known without reading them back.
        open_before = {t.id for t in rt.ready_tasks()} - {task.id}
        try:
            self._run(ctx, lambda: rt.complete(task.id, data))
        except LookupError:
            raise TaskNotReady(f"任务“{task.title}”当前不可办理，请刷新后查看。") from None
        done = {"state": TaskState.COMPLETED, "completed_at": ctx.now, "completed_by_id": ctx.actor_id}
        _TASK_DONE.write(s, dict(done, b_id=task.id))
        for key, value in done.items():
            set_committed_value(task, key, value)
        audit.record(s, ctx.now, EventKind.COMPLETED, ctx.actor_id, inst.id, task.id, task=task.task_name,
                     title=task.title, data=data, **mirror.on_behalf(s, task, ctx.actor_id))
        if hooks.after_complete is not None:
            hooks.after_complete(ctx, task, data)
        self.hooks.notify("completed", ctx, task, data)
        return rt, self._save(ctx, rt, open_before)

    # ------------------------------------------------------------------ inbox actions
    def claim(self, task_id: str, actor_id: int) -> None:
        """Take an unassigned task of one's role, so colleagues see it is being handled."""
        with self.db.unit_of_work() as s:
            task = self._ready_task(s, task_id)
            actor = self._user(s, actor_id)
            if task.assignee_id is not None and task.assignee_id != actor_id:
                raise TaskNotReady(f"该任务已由{mirror.holder(s, task)}认领。")
            if not can_act(actor, task):
                raise PermissionDenied(f"您无权认领“{task.title}”。")
            task.assignee_id = actor_id
            audit.record(s, self.now(), "claimed", actor_id, task.instance_id, task.id, title=task.title)

    def release(self, task_id: str, actor_id: int) -> None:
        """Give a claimed task back to the role's shared inbox."""
        with self.db.unit_of_work() as s:
            task = self._ready_task(s, task_id)
            if task.assignee_id != actor_id:
                raise PermissionDenied("只能退回自己认领的任务。")
            if self.hooks.of(task.process_id).move_to_level is not None:
                raise PermissionDenied("五包责任事项须由督办领导改派，不能自行退回。")
            task.assignee_id = None
            audit.record(s, self.now(), "released", actor_id, task.instance_id, task.id, title=task.title)

    def reassign(self, task_ids: list[str], actor_id: int, reason: str, to_user_id: int | None = None,
                 to_level: int | None = None, due_at: datetime | None = None) -> int:
        """A supervisor moves tasks to a person or (processes that have levels) to a level; the time limit starts
        again, or ends at `due_at` when the supervisor sets it (not for levels, whose timers set it)."""
        if not (reason or "").strip():
            raise WorkflowError("改派须填写理由。")
        if (to_user_id is None) == (to_level is None):
            raise WorkflowError("请选择改派给某人或某一层级（二者选一）。")
        with self.db.unit_of_work() as s:
            ctx = self.context(s, actor_id)
            actor = self._user(s, actor_id)
            if not actor.has_role(SUPERVISOR):
                raise PermissionDenied("只有督办领导可以改派。")
            target = self._user(s, to_user_id) if to_user_id is not None else None
            for task_id in task_ids:
                task = self._ready_task(s, task_id)
                if not may_reassign(actor, task.area_path):
                    raise PermissionDenied(f"“{task.title}”不在您的辖区内。")
                if target is not None and (problem := receive_problem(target, task.role, task.area_path)):
                    raise PermissionDenied(f"“{task.title}”未改派：{problem}")
                move = self.hooks.of(task.process_id).move_to_level
                if target is None and move is None:
                    raise WorkflowError("只有五包责任事项可以按层级改派。")
                before = mirror.reassign(ctx, task, target, to_level, move, reason.strip(), due_at)
                audit.record(s, ctx.now, EventKind.REASSIGNED, actor_id, task.instance_id, task.id, reason=reason,
                             before=before, to_user_id=task.assignee_id, to_level=task.level, due_at=str(task.due_at))
            return len(task_ids)

    def update_open_data(self, ctx: ActionContext, instance_id: int, updates: dict,
                         restart_timers: bool = False) -> ProcessInstance:
        """Change data on every unfinished task inside `ctx` (a matter moved up), maybe restarting timers."""
        inst = self._lock_instance(ctx.session, instance_id)
        ctx = ctx.for_instance(inst)
        rt = self._restore(ctx, inst)
        self._run(ctx, lambda: rt.update_open_data(updates, restart_timers=restart_timers))
        self._save(ctx, rt)
        return inst

    # ------------------------------------------------------------------ the worker
    def fire_due_timers(self, limit: int = 500) -> int:
        """Fire every timer that is due, one instance per transaction; safe with several workers. An instance
        whose firing fails becomes an incident and waits for an administrator; the others fire on."""
        fired, seen = 0, set()
        while fired < limit:
            instance_id = None
            try:
                with self.db.unit_of_work() as s:
                    ctx = self.context(s)
                    open_timer_incident = sa.exists().where(Incident.instance_id == ProcessInstance.id,
                                                            Incident.status == IncidentStatus.OPEN,
                                                            Incident.kind == IncidentKind.TIMER)
                    query = (sa.select(ProcessInstance)
                             .where(ProcessInstance.status == InstanceStatus.RUNNING,
                                    ProcessInstance.next_timer_at <= ctx.now, ProcessInstance.suspended_at.is_(None),
                                    ~open_timer_incident, ProcessInstance.id.not_in(seen) if seen else sa.true())
                             .order_by(ProcessInstance.next_timer_at).limit(1))
                    inst = s.scalar(self.db.claimable(query))
                    if inst is None:
                        return fired
                    seen.add(instance_id := inst.id)
                    rt, saved = self._fire(ctx.for_instance(inst), reuse=True), (inst.version, inst.status)
            except Exception as exc:
                if instance_id is None or not incidents.is_incident(exc, timer=True):
                    raise
                incidents.record_failure(self, IncidentKind.TIMER, exc, instance_id=instance_id)
                continue
            if saved[1] == InstanceStatus.RUNNING:  # committed: the officer who opens the new task needs it
                self.recent.put(instance_id, saved[0], rt)
            fired += 1
        return fired

    def fire_timers_within(self, ctx: ActionContext, instance_id: int) -> None:
        """Fire the due timers of one instance inside the running action `ctx` (an incident's retry)."""
        inst = self._lock_instance(ctx.session, instance_id)
        if inst.suspended_at is not None:
            raise InstanceSuspended(inst.reference)
        self._fire(ctx.for_instance(inst))

    def _fire(self, ctx: ActionContext, reuse: bool = False) -> spiff.Runtime:
        s, inst = ctx.session, ctx.instance
        rt = self._restore(ctx, inst, reuse=reuse)
        before = {"level": inst.level}
        self._run(ctx, rt.fire_timers)
        audit.record(s, ctx.now, "timer_fired", ctx.actor_id, inst.id, due=str(inst.next_timer_at))
        self._save(ctx, rt)
        after_timers = self.hooks.of(inst.process_id).after_timers
        if after_timers is not None:
            after_timers(ctx, inst, before)
        return rt

    def run_worker_once(self) -> dict:
        """One round of the worker: due timers, then every domain's periodic duty (e.g. overdue steps)."""
        counts = {"timers": self.fire_due_timers()}
        for name, duty in self.hooks.periodic.items():
            counts[name] = duty(self)
        return counts

    # ------------------------------------------------------------------ saving
    def _save(self, ctx: ActionContext, rt: spiff.Runtime, open_before: set[str] | None = None) -> list:
        """Write the state and bring the task mirror in line, in the action's transaction; returns ready tasks.

        The state is written by one UPDATE guarded by the version this action read: if anyone saved
        the instance in between, nothing is written and the whole action rolls back.
        """
        s, inst, now = ctx.session, ctx.instance, ctx.now
        history.archive(s, inst.id, now, rt.prune())
        values = {"state": rt.dump(), "updated_at": now, "next_timer_at": rt.next_timer(),
                  "version": inst.version + 1}
        ready = rt.ready_tasks()
        hooks = self.hooks.of(inst.process_id)
        if hooks.instance_values is not None:
            values.update(hooks.instance_values(ctx, inst, ready))
        if finished := rt.completed:
            values.update(status=InstanceStatus.COMPLETED, completed_at=now, end_event=rt.end_event())
        if s.new or s.dirty:
            s.flush()  # e.g. the reference of an instance started in this action
        if _SAVE_INSTANCE.write(s, dict(values, b_id=inst.id, b_version=inst.version)) != 1:
            raise ConcurrentUpdate()
        for key, value in values.items():
            set_committed_value(inst, key, value)
        if finished:
            audit.record(s, now, EventKind.FINISHED, ctx.actor_id, inst.id, end_event=inst.end_event)
            if hooks.on_end is not None:
                hooks.on_end(ctx, inst)
        mirror.sync(ctx, inst, ready, open_before)
        return ready

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _user(s: Session, user_id) -> User:
        user = s.get(User, user_id, options=[joinedload(User.area)]) if user_id is not None else None
        if user is None:
            raise PermissionDenied("请先登录。")
        return user

    @staticmethod
    def _ready_task(s: Session, task_id: str) -> HumanTask:
        task = s.get(HumanTask, task_id)
        if task is None:
            raise UnknownTask(task_id)
        if task.state != TaskState.READY:
            raise TaskAlreadyCompleted(mirror.task_holder_message(s, task), task.instance_id)
        return task

    # ------------------------------------------------------------------ reading
    def instance_view(self, instance_id: int) -> InstanceView:
        """What a page shows of an instance's live workflow (data, progress), as plain data."""
        with self.db.read() as s:
            inst = s.get(ProcessInstance, instance_id)
            if inst is None:
                raise UnknownInstance(instance_id)
            restore = lambda: self._restore(self.context(s), inst)  # noqa: E731
            with self.recent.borrowed(inst.id, inst.version, restore) as rt:  # a copy: the page may change it
                return copy.deepcopy(InstanceView(
                    data=rt.data, last_data=rt.last_data(), completed_steps=rt.completed_steps(),
                    ready=rt.ready_tasks(), end_event=rt.end_event()))

    def task_context(self, inst: ProcessInstance, task_id: str) -> dict:
        """A ready task's data for its form (`inst` as the caller just read it), a copy the form may change."""
        return task_data.for_form(self.recent, inst, task_id)

    def ready_tasks_for(self, user_id: int) -> list[HumanTask]:
        """My tasks, then my roles' unassigned tasks in my area; overdue first."""
        with self.db.read() as s:
            user = self._user(s, user_id)
            conditions = [HumanTask.assignee_id == user.id]
            if user.role_set:
                conditions.append(sa.and_(HumanTask.assignee_id.is_(None), HumanTask.role.in_(user.role_set),
                                          visible_clause(HumanTask.area_path, user)))
            return list(s.scalars(sa.select(HumanTask).where(HumanTask.state == TaskState.READY,
                                                             sa.or_(*conditions))
                                  .order_by(HumanTask.due_at, HumanTask.created_at)))
