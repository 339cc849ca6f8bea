"""The service layer: every user or worker action is one method here and one transaction."""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value
from SpiffWorkflow.exceptions import WorkflowException

from workflows import audit
from workflows.ledgers import blacklist
from workflows.engine import spiff as engine, linking, task_data
from workflows.org import areas as orgs
from workflows.clock import SystemClock, using_clock, utcnow_naive
from workflows.cases.comparison import compare_persons
from workflows.config import Settings
from workflows.database.session import Database
from workflows.exceptions import ConcurrentUpdate, InvalidDiagram, PermissionDenied, TaskAlreadyCompleted, TaskNotReady, UnknownInstance, UnknownProcess, UnknownTask, WorkflowError
from workflows.org.models import FIVE_CONTRACT_LEVEL_NAMES, Area, User
from workflows.cases.models import CasePerson
from workflows.engine.models import HumanTask, ProcessInstance, ProcessVersion
from workflows.org.roles import role_for_lane

REFERENCE_PREFIX = {"six_step_case": "AJ", "five_contracts": "WB", "complaint_intake": "JB"}
MATTER_PROCESS = "five_contracts"
# (content hash, process id) -> parsed spec. Specs are immutable once deployed, so this cache
# can never be stale, and it is safe to share between requests and threads.
_PARSED: dict[tuple[str, str], engine.ParsedProcess] = {}


class RecentWorkflows:
    """Workflows this process saved last, keyed by instance and checked against the stored version.

    Restoring a workflow from JSON costs more than running a task, and the next action on a case
    usually comes to the same process. An entry is used only if the database still holds exactly
    the version we saved (so any other writer invalidates it), is taken out while in use (so two
    threads never share one), and is put back only after its transaction committed.
    """

    def __init__(self, size: int = 512):
        self.size, self._items, self._lock = size, OrderedDict(), threading.Lock()

    def take(self, key, version: int):
        with self._lock:
            item = self._items.pop(key, None)
        return item[1] if item is not None and item[0] == version else None

    def put(self, key, version: int, runtime) -> None:
        with self._lock:
            self._items[key] = (version, runtime)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


@dataclass
class ActionResult:
    instance_id: int
    reference: str
    status: str
    ready_task_ids: list[str] = field(default_factory=list)


def duration_after(start: datetime, iso: str) -> datetime:
    """start + an ISO 8601 duration such as P3D or PT24H."""
    parsed = engine.spiff_timer.TimerEventDefinition.parse_iso_duration(iso)
    return start + engine.spiff_timer.TimerEventDefinition.get_timedelta_from_start(parsed, start)


def task_holder_message(session: Session, task: HumanTask) -> str:
    if task.state == "completed":
        who = session.get(User, task.completed_by_id) if task.completed_by_id else None
        name = who.display_name if who else "他人"
        when = task.completed_at.strftime("%Y-%m-%d %H:%M") if task.completed_at else ""
        return f"该任务已由{name}于{when}完成，您的提交未保存。请查看案件的最新进展。"
    return "该任务已不再需要办理（流程已转入其他环节），您的提交未保存。请查看案件的最新进展。"


class WorkflowService:
    """Start processes, complete and route tasks, fire timers; each call is one unit of work."""

    def __init__(self, db: Database, settings: Settings | None = None, clock=None):
        self.db = db
        self.settings = settings or Settings.load()
        self.clock = clock or SystemClock()
        self.recent = RecentWorkflows()

    def now(self) -> datetime:
        return utcnow_naive(self.clock)

    # ------------------------------------------------------------------ deployment
    def deploy_directory(self, directory: Path | None = None, actor_id: int | None = None) -> list[ProcessVersion]:
        """Deploy every diagram in bpmn/ whose content is new; unchanged files deploy nothing."""
        directory = Path(directory or self.settings.bpmn_dir)
        deployed = []
        for path in sorted(directory.glob("*.bpmn")):
            deployed += self.deploy_xml(path.read_bytes(), path.name, actor_id)
        return deployed

    def deploy_xml(self, xml: bytes, file_name: str, actor_id: int | None = None) -> list[ProcessVersion]:
        """Check a diagram and store each of its processes once per content hash."""
        from workflows.engine.bpmn_check import check_xml
        problems = check_xml(xml, file_name)
        if problems:
            raise InvalidDiagram(problems)
        digest = engine.content_hash(xml)
        out = []
        with self.db.unit_of_work() as s:
            for process_id, name in engine.executable_processes(xml):
                exists = s.scalar(sa.select(ProcessVersion).where(
                    ProcessVersion.process_id == process_id, ProcessVersion.content_hash == digest))
                if exists:
                    continue
                version = ProcessVersion(process_id=process_id, name=name, content_hash=digest,
                                         bpmn_xml=xml.decode("utf-8"), file_name=file_name,
                                         deployed_at=self.now(), deployed_by_id=actor_id)
                s.add(version)
                s.flush()
                audit.record(s, self.now(), "process_deployed", actor_id, process_id=process_id,
                             version_id=version.id, content_hash=digest)
                out.append(version)
        return out

    @staticmethod
    def current_version(session: Session, process_id: str) -> ProcessVersion:
        version = session.scalar(sa.select(ProcessVersion).where(ProcessVersion.process_id == process_id)
                                 .order_by(ProcessVersion.id.desc()).limit(1))
        if version is None:
            raise UnknownProcess(process_id)
        return version

    @staticmethod
    def parsed(version: ProcessVersion) -> engine.ParsedProcess:
        """The parsed spec of a version, from the per-hash cache (the XML is loaded only on a miss)."""
        key = (version.content_hash, version.process_id)
        parsed = _PARSED.get(key)
        if parsed is None:
            parsed = _PARSED[key] = engine.parse(version.bpmn_xml.encode("utf-8"), version.process_id)
        return parsed

    # ------------------------------------------------------------------ running
    def _run(self, session: Session, fn):
        """Run engine code with our clock and script functions bound; turn engine failures into clear errors."""
        token = engine.bind_script_functions({
            "compare_persons": lambda persons: compare_persons(
                session, self._current_instance_id, persons or [], self.settings.local_id_prefix),
            **linking.script_functions(self, session),
        })
        try:
            with using_clock(self.clock):
                return fn()
        except WorkflowException as exc:
            raise WorkflowError(f"流程无法继续：{exc}") from exc
        finally:
            engine.unbind_script_functions(token)

    def _restore(self, session: Session, inst: ProcessInstance, reuse: bool = False) -> engine.Runtime:
        """The instance's workflow: the one this process saved last if still current, else from its state."""
        self._current_instance_id = inst.id
        if reuse:
            rt = self.recent.take(inst.id, inst.version)
            if rt is not None:
                return rt
        parsed = self.parsed(inst.process_version)
        return self._run(session, lambda: engine.Runtime.restore(parsed, inst.state))

    def _lock_instance(self, session: Session, instance_id: int) -> ProcessInstance:
        inst = session.scalar(sa.select(ProcessInstance).where(ProcessInstance.id == instance_id)
                              .options(joinedload(ProcessInstance.process_version, innerjoin=True))
                              .with_for_update(of=ProcessInstance))
        if inst is None:
            raise UnknownInstance(instance_id)
        return inst

    def start(self, process_id: str, data: dict | None = None, actor_id: int | None = None,
              area_id: int | None = None, title: str = "", parent_instance_id: int | None = None) -> ActionResult:
        """Start a process at the current version of its diagram."""
        with self.db.unit_of_work() as s, s.no_autoflush:
            inst, rt, ready = self._start(s, process_id, dict(data or {}), actor_id, area_id, title,
                                          parent_instance_id)
            result = ActionResult(inst.id, inst.reference, inst.status, [t.id for t in ready])
            saved_version = inst.version
        if result.status == "running":
            self.recent.put(inst.id, saved_version, rt)
        return result

    def _start(self, s: Session, process_id, data, actor_id, area_id, title, parent_instance_id):
        version = self.current_version(s, process_id)
        area = s.get(Area, area_id) if area_id else None
        if area_id and area is None:
            raise WorkflowError(f"地址 {area_id} 不存在。")
        now = self.now()
        data.setdefault("persons", [])
        if process_id == MATTER_PROCESS:
            data.setdefault("level", orgs.first_level(s, area) if area else 5)
            data.setdefault("deadlines", self.settings.five_contract_deadlines)
            data.setdefault("escalations", 0)
        inst = ProcessInstance(version_id=version.id, process_id=process_id, reference="", title=title,
                               area_id=area.id if area else None, area_path=area.path if area else "",
                               status="running", state=b"", created_at=now, updated_at=now,
                               created_by_id=actor_id, parent_instance_id=parent_instance_id,
                               level=data.get("level") if process_id == MATTER_PROCESS else None)
        inst.process_version = version
        s.add(inst)
        s.flush()
        inst.reference = f"{REFERENCE_PREFIX.get(process_id, 'LC')}{now.year}{inst.id:06d}"
        self._current_instance_id = inst.id
        parsed = self.parsed(version)
        rt = self._run(s, lambda: engine.Runtime.start(parsed, data))
        audit.record(s, now, "started", actor_id, inst.id, process_id=process_id, version_id=version.id,
                     data=data, title=title)
        ready = self._save(s, inst, rt, actor_id)
        return inst, rt, ready

    def complete(self, task_id: str, data: dict, actor_id: int) -> ActionResult:
        """Validate and complete one user task, run the engine on, save; all or nothing."""
        data = dict(data)
        with self.db.unit_of_work() as s, s.no_autoflush:
            # Lock the task and its instance together: a second officer waits here until the first
            # commits, then reads the task as completed (PostgreSQL re-reads locked rows).
            # The acting user (and their area) comes with the same statement: one round trip fewer.
            row = s.execute(sa.select(HumanTask, ProcessInstance, User)
                            .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
                            .outerjoin(User, User.id == actor_id)
                            .options(joinedload(ProcessInstance.process_version, innerjoin=True),
                                     joinedload(User.area))
                            .where(HumanTask.id == task_id)
                            .with_for_update(of=[HumanTask, ProcessInstance])).first()
            if row is None:
                raise UnknownTask(task_id)
            task, inst, actor = row
            if task.state != "ready":
                raise TaskAlreadyCompleted(task_holder_message(s, task), inst.id)
            if actor is None:
                raise PermissionDenied("请先登录。")
            if not self.can_act(actor, task):
                raise PermissionDenied(f"您无权办理“{task.title}”：该任务属于{self._holder(s, task)}。")
            task_data.check(inst.process_id, task.task_name, data)
            rt = self._restore(s, inst, reuse=True)
            # The mirror holds exactly the workflow's ready tasks (both are written together), so the
            # open rows are known without reading them back.
            open_before = {t.id for t in rt.ready_tasks()} - {task_id}
            try:
                self._run(s, lambda: rt.complete(task_id, data))
            except LookupError:
                raise TaskNotReady(f"任务“{task.title}”当前不可办理，请刷新后查看。") from None
            now = self.now()
            done = {"state": "completed", "completed_at": now, "completed_by_id": actor_id}
            s.execute(sa.update(HumanTask).where(HumanTask.id == task.id).values(**done)
                      .execution_options(synchronize_session=False))
            for key, value in done.items():
                set_committed_value(task, key, value)
            audit.record(s, now, "completed", actor_id, inst.id, task_id, task=task.task_name,
                         title=task.title, data=data)
            if "persons" in data:
                self._mirror_persons(s, inst.id, data["persons"])
            ready = self._save(s, inst, rt, actor_id, open_before)
            result = ActionResult(inst.id, inst.reference, inst.status, [t.id for t in ready])
            saved_version = inst.version
        # Committed: keep the live workflow for the next action on this case.
        if result.status == "running":
            self.recent.put(inst.id, saved_version, rt)
        return result

    def claim(self, task_id: str, actor_id: int) -> None:
        """Take an unassigned task of one's role, so colleagues see it is being handled."""
        with self.db.unit_of_work() as s:
            task = self._ready_task(s, task_id)
            actor = self._user(s, actor_id)
            if task.assignee_id is not None and task.assignee_id != actor_id:
                raise TaskNotReady(f"该任务已由{self._holder(s, task)}认领。")
            if not self.can_act(actor, task):
                raise PermissionDenied(f"您无权认领“{task.title}”。")
            task.assignee_id = actor_id
            audit.record(s, self.now(), "claimed", actor_id, task.instance_id, task.id, title=task.title)

    def release(self, task_id: str, actor_id: int) -> None:
        """Give a claimed task back to the role's shared inbox."""
        with self.db.unit_of_work() as s:
            task = self._ready_task(s, task_id)
            if task.assignee_id != actor_id:
                raise PermissionDenied("只能退回自己认领的任务。")
            if task.process_id == MATTER_PROCESS:
                raise PermissionDenied("五包责任事项须由督办领导改派，不能自行退回。")
            task.assignee_id = None
            audit.record(s, self.now(), "released", actor_id, task.instance_id, task.id, title=task.title)

    def reassign(self, task_ids: list[str], actor_id: int, reason: str,
                 to_user_id: int | None = None, to_level: int | None = None) -> int:
        """A supervisor moves tasks to a person or (five-contracts matters) to a level of the chain."""
        if not (reason or "").strip():
            raise WorkflowError("改派须填写理由。")
        if (to_user_id is None) == (to_level is None):
            raise WorkflowError("请选择改派给某人或某一层级（二者选一）。")
        if to_level is not None and to_level not in FIVE_CONTRACT_LEVEL_NAMES:
            raise WorkflowError("层级应为 1 至 5。")
        with self.db.unit_of_work() as s:
            actor = self._user(s, actor_id)
            if not actor.has_role("supervisor"):
                raise PermissionDenied("只有督办领导可以改派。")
            target = self._user(s, to_user_id) if to_user_id is not None else None
            if target is not None and not target.active:
                raise WorkflowError(f"{target.display_name} 的账号已停用，不能接收任务。")
            for task_id in task_ids:
                task = self._ready_task(s, task_id)
                if actor.area is None or not task.area_path.startswith(actor.area.path):
                    raise PermissionDenied(f"“{task.title}”不在您的辖区内。")
                before = {"assignee_id": task.assignee_id, "level": task.level}
                if target is not None:
                    task.assignee_id = target.id
                else:
                    if task.process_id != MATTER_PROCESS:
                        raise WorkflowError("只有五包责任事项可以按层级改派。")
                    self._move_matter_to_level(s, task, to_level)
                audit.record(s, self.now(), "reassigned", actor_id, task.instance_id, task.id, reason=reason,
                             before=before, to_user_id=task.assignee_id, to_level=task.level)
            return len(task_ids)

    def _move_matter_to_level(self, s: Session, task: HumanTask, level: int) -> None:
        inst = self._lock_instance(s, task.instance_id)
        rt = self._restore(s, inst)
        deadline = self.settings.five_contract_deadlines[str(level)]
        self._run(s, lambda: rt.update_open_data({"level": level, "deadline": deadline}, restart_timers=True))
        area, user_id = orgs.responsible(s, inst.area, level) if inst.area else (None, None)
        task.level, task.assignee_id = level, user_id
        if area is not None:
            task.area_id, task.area_path = area.id, area.path
        self._save(s, inst, rt, None)
        task.due_at = inst.next_timer_at

    # ------------------------------------------------------------------ the worker
    def fire_due_timers(self, limit: int = 500) -> int:
        """Fire every timer that is due, one instance per transaction; safe with several workers."""
        fired, seen = 0, set()
        while fired < limit:
            with self.db.unit_of_work() as s:
                query = (sa.select(ProcessInstance)
                         .where(ProcessInstance.status == "running",
                                ProcessInstance.next_timer_at <= self.now(),
                                ProcessInstance.id.not_in(seen) if seen else sa.true())
                         .order_by(ProcessInstance.next_timer_at).limit(1))
                if self.db.is_postgres:
                    query = query.with_for_update(skip_locked=True)
                inst = s.scalar(query)
                if inst is None:
                    return fired
                seen.add(inst.id)
                rt = self._restore(s, inst)
                level_before = inst.level
                self._run(s, rt.fire_timers)
                audit.record(s, self.now(), "timer_fired", None, inst.id, due=str(inst.next_timer_at))
                self._save(s, inst, rt, None)
                if inst.process_id == MATTER_PROCESS and inst.level != level_before:
                    audit.record(s, self.now(), "escalated", None, inst.id, from_level=level_before,
                                 to_level=inst.level, reason="超过本级处置时限")
                fired += 1
        return fired

    def raise_overdue_matters(self, limit: int = 500) -> int:
        """An overdue step raises a five-contracts matter for its address instead of waiting silently."""
        raised = 0
        while raised < limit:
            with self.db.unit_of_work() as s:
                query = (sa.select(HumanTask)
                         .where(HumanTask.state == "ready", HumanTask.due_at <= self.now(),
                                HumanTask.overdue_matter_id.is_(None),
                                HumanTask.process_id.in_(self.settings.escalate_overdue_processes))
                         .order_by(HumanTask.due_at).limit(1))
                if self.db.is_postgres:
                    query = query.with_for_update(skip_locked=True)
                task = s.scalar(query)
                if task is None:
                    return raised
                inst = s.get(ProcessInstance, task.instance_id)
                matter, _rt, _ready = self._start(s, MATTER_PROCESS, {
                    "subject": f"{inst.reference}“{task.title}”逾期未办",
                    "source_reference": inst.reference, "source_task": task.task_name,
                }, None, inst.area_id, f"{inst.reference} {task.title} 逾期", inst.id)
                task.overdue_matter_id = matter.id
                audit.record(s, self.now(), "overdue_raised", None, inst.id, task.id, title=task.title,
                             matter_id=matter.id, matter_reference=matter.reference, level=matter.level)
                raised += 1
        return raised

    def run_worker_once(self) -> dict:
        return {"timers": self.fire_due_timers(), "overdue": self.raise_overdue_matters()}

    # ------------------------------------------------------------------ saving
    def _save(self, s: Session, inst: ProcessInstance, rt: engine.Runtime, actor_id,
              open_before: set[str] | None = None) -> list:
        """Write the state and bring the task mirror in line, in the caller's transaction; returns ready tasks.

        The state is written by one UPDATE guarded by the version this action read: if anyone saved
        the instance in between, nothing is written and the whole action rolls back.
        """
        now = self.now()
        values = {"state": rt.dump(), "updated_at": now, "next_timer_at": rt.next_timer(),
                  "version": inst.version + 1}
        ready = rt.ready_tasks()
        if inst.process_id == MATTER_PROCESS:
            levels = [t.data.get("level") for t in ready if t.data.get("level")]
            if levels:
                values["level"] = levels[0]
        if rt.completed:
            values.update(status="completed", completed_at=now, end_event=rt.end_event())
        if s.new or s.dirty:
            s.flush()  # e.g. the reference of an instance started in this action
        written = s.execute(sa.update(ProcessInstance)
                            .where(ProcessInstance.id == inst.id, ProcessInstance.version == inst.version)
                            .values(**values).execution_options(synchronize_session=False))
        if written.rowcount != 1:
            raise ConcurrentUpdate()
        for key, value in values.items():
            set_committed_value(inst, key, value)
        if rt.completed:
            audit.record(s, now, "finished", actor_id, inst.id, end_event=inst.end_event)
            if inst.process_id == "six_step_case" and inst.end_event == "end_closed":
                entered = blacklist.enter_caught_persons(s, inst.id, now)
                audit.record(s, now, "blacklisted", actor_id, inst.id, persons=entered)
        self._sync_mirror(s, inst, ready, now, open_before)
        return ready

    def _sync_mirror(self, s: Session, inst: ProcessInstance, ready: list, now: datetime,
                     open_before: set[str] | None = None) -> None:
        """Cancel mirror rows whose task is no longer ready; insert rows for newly ready tasks."""
        if open_before is None:
            open_before = set(s.scalars(sa.select(HumanTask.id).where(
                HumanTask.instance_id == inst.id, HumanTask.state == "ready")))
        ready_ids = {t.id for t in ready}
        gone = open_before - ready_ids
        if gone:
            s.execute(sa.update(HumanTask).where(HumanTask.id.in_(gone), HumanTask.state == "ready")
                      .values(state="cancelled", completed_at=now).execution_options(synchronize_session=False))
        rows = []
        for t in ready:
            if t.id in open_before:
                continue
            row = dict(id=t.id, instance_id=inst.id, process_id=inst.process_id, task_name=t.name,
                       title=t.title, lane=t.lane, role=role_for_lane(t.lane), area_id=inst.area_id,
                       area_path=inst.area_path, state="ready", created_at=now, assignee_id=None, level=None)
            if inst.process_id == MATTER_PROCESS:
                row["level"] = t.data.get("level")
                area, user_id = orgs.responsible(s, inst.area, row["level"]) if inst.area else (None, None)
                if area is not None:
                    row["area_id"], row["area_path"] = area.id, area.path
                row["assignee_id"] = user_id
                row["due_at"] = inst.next_timer_at
            else:
                row["due_at"] = duration_after(now, self.settings.task_deadline(inst.process_id, t.name))
                # 首接负责: a process may pin a lane's tasks to one person (the first receiver of a complaint).
                row["assignee_id"] = (t.data.get("lane_assignees") or {}).get(t.lane)
            rows.append(row)
        if rows:
            # Plain INSERTs: new mirror rows are not used again in this action.
            s.execute(sa.insert(HumanTask), rows)

    def _mirror_persons(self, s: Session, instance_id: int, persons: list) -> None:
        s.execute(sa.delete(CasePerson).where(CasePerson.instance_id == instance_id))
        for p in persons:
            if isinstance(p, dict) and p.get("name"):
                s.add(CasePerson(instance_id=instance_id, name=p.get("name", "")[:64],
                                 id_number=(p.get("id_number") or "")[:18], phone=(p.get("phone") or "")[:32],
                                 bank_card=(p.get("bank_card") or "")[:32],
                                 classification=p.get("classification") or ""))

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def can_act(user: User, task: HumanTask) -> bool:
        """Whether `user` may complete `task`: its assignee, or a holder of its role over its area."""
        if not user.active:
            return False
        if task.assignee_id is not None:
            return task.assignee_id == user.id
        return (task.role in user.role_set and user.area is not None
                and task.area_path.startswith(user.area.path))

    def _user(self, s: Session, user_id) -> User:
        user = s.get(User, user_id, options=[joinedload(User.area)]) if user_id is not None else None
        if user is None:
            raise PermissionDenied("请先登录。")
        return user

    def _ready_task(self, s: Session, task_id: str) -> HumanTask:
        task = s.get(HumanTask, task_id)
        if task is None:
            raise UnknownTask(task_id)
        if task.state != "ready":
            raise TaskAlreadyCompleted(task_holder_message(s, task), task.instance_id)
        return task

    def _holder(self, s: Session, task: HumanTask) -> str:
        if task.assignee_id:
            user = s.get(User, task.assignee_id)
            return user.display_name if user else "他人"
        from workflows.org.models import ROLE_NAMES
        return f"{ROLE_NAMES.get(task.role, task.role)}岗位"

    # ------------------------------------------------------------------ reading
    def instance_runtime(self, instance_id: int) -> engine.Runtime:
        """The live workflow of an instance, read-only (for the case page)."""
        with self.db.read() as s:
            inst = s.get(ProcessInstance, instance_id)
            if inst is None:
                raise UnknownInstance(instance_id)
            return self._restore(s, inst)

    def ready_tasks_for(self, user_id: int) -> list[HumanTask]:
        """My tasks, then my roles' unassigned tasks in my area; overdue first."""
        with self.db.read() as s:
            user = self._user(s, user_id)
            conditions = [HumanTask.assignee_id == user.id]
            if user.area is not None and user.role_set:
                conditions.append(sa.and_(HumanTask.assignee_id.is_(None), HumanTask.role.in_(user.role_set),
                                          HumanTask.area_path.startswith(user.area.path)))
            return list(s.scalars(sa.select(HumanTask).where(HumanTask.state == "ready", sa.or_(*conditions))
                                  .order_by(HumanTask.due_at, HumanTask.created_at)))
