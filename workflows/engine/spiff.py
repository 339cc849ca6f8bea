"""SpiffWorkflow behind a small interface: parse, start, restore, run, save.

Everything that touches SpiffWorkflow's classes lives here, so the rest of the code deals in
plain data: task ids, names, lanes and dictionaries.
"""
from __future__ import annotations

import contextvars
import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from uuid import UUID

from lxml import etree
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.specs.defaults import EndEvent
from SpiffWorkflow.bpmn.specs.event_definitions import timer as spiff_timer
from SpiffWorkflow.exceptions import WorkflowException
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.deep_merge import DeepMerge
from SpiffWorkflow.util.task import TaskState

from workflows.clock import active_clock
from workflows.engine import pruning
from workflows.engine.context import running_action
from workflows.engine.state_codec import ORJSON_SAFE, encode, pack, read
from workflows.exceptions import EngineFailure, WorkflowError

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"


# SpiffWorkflow's timers read datetime.now() directly; route that through our clock so a test
# (or a replay) can move time forward and see exactly the timers a real day would fire.
class _ClockDatetime(datetime):
    @classmethod
    def now(cls, tz=None):
        now = active_clock().now()
        return now.astimezone(tz) if tz is not None else now.astimezone(timezone.utc).replace(tzinfo=None)


spiff_timer.datetime = _ClockDatetime


def content_hash(xml: bytes) -> str:
    return hashlib.sha256(xml).hexdigest()


def executable_processes(xml: bytes) -> list[tuple[str, str]]:
    """(id, name) of each executable process in a BPMN file."""
    root = etree.fromstring(xml)
    return [(p.get("id"), p.get("name") or p.get("id"))
            for p in root.iter(f"{{{BPMN_NS}}}process") if p.get("isExecutable") == "true"]


@dataclass(frozen=True)
class ParsedProcess:
    spec: object
    subprocess_specs: dict
    user_tasks: dict  # task name -> (title, lane)


@lru_cache(maxsize=64)
def parse(xml: bytes, process_id: str) -> ParsedProcess:
    """Parse once per (file content, process); the spec objects are never mutated, so sharing is safe."""
    parser = SpiffBpmnParser()
    parser.add_bpmn_str(xml)
    spec = parser.get_spec(process_id)
    subprocess_specs = parser.get_subprocess_specs(process_id)
    user_tasks = {name: (ts.bpmn_name or name, ts.lane or "")
                  for name, ts in spec.task_specs.items() if getattr(ts, "manual", False)}
    return ParsedProcess(spec, subprocess_specs, user_tasks)


# Functions that scripts in the diagrams may call (e.g. compare_persons in the six-step case). Each name is a
# proxy that finds the running action (set per thread by the service) and calls the implementation its
# domain registered, with that action's context: no state of one action is ever seen by another.
SCRIPT_ENGINE = PythonScriptEngine(environment=TaskDataEnvironment())
SCRIPT_GLOBALS: dict = SCRIPT_ENGINE.environment.globals  # the environment's own dict (it copies an empty one)


def expose_script_function(name: str) -> None:
    """Let scripts call `name`; idempotent, done while the services are built."""
    if name in SCRIPT_GLOBALS:
        return

    def proxy(*args, **kwargs):
        ctx = running_action()
        fn = ctx.engine.hooks.script_functions.get(name)
        if fn is None:
            raise WorkflowException(f"script function {name} is not available here")
        return fn(ctx, *args, **kwargs)
    proxy.__name__ = name
    SCRIPT_GLOBALS[name] = proxy


def run_engine_code(fn, skip_element: str = ""):
    """Run SpiffWorkflow code; a script that refused with our own error keeps its message, anything else
    the engine raises becomes an EngineFailure naming the element that failed.

    `skip_element`: an administrator chose to skip that element (a failing script task) once: when it
    fails, it is marked completed without its effect and the workflow runs on.
    """
    while True:
        try:
            return fn()
        except WorkflowException as exc:
            inner = getattr(exc, "exception", None)
            if isinstance(inner, WorkflowError):
                raise inner from exc
            task = getattr(exc, "task", None)
            spec = getattr(task, "task_spec", None) or getattr(exc, "task_spec", None)
            element_id = getattr(spec, "bpmn_id", None) or ""
            if skip_element and element_id == skip_element and task is not None and task.state == TaskState.ERROR:
                skip_element = ""  # once: a second failure of the same element is a new incident
                task.complete()
                top = getattr(task.workflow, "top_workflow", task.workflow)
                fn = top.do_engine_steps
                continue
            name = getattr(spec, "bpmn_name", None) or element_id
            raise EngineFailure(f"流程无法继续：{exc}", element_id, name or "") from exc


# The spec is stored once per version, so an instance's state leaves it out; restoring takes the
# already-parsed spec from the cache instead of rebuilding it from JSON every time.
_restoring: contextvars.ContextVar[ParsedProcess] = contextvars.ContextVar("dachuan_restoring")


# Tasks whose data changes only together with their state: finished ones and predicted ones (LIKELY, MAYBE).
_CACHEABLE = TaskState.COMPLETED | TaskState.CANCELLED | TaskState.PREDICTED_MASK


class _SpeclessWorkflowConverter(BpmnWorkflowConverter):
    def to_dict(self, workflow):
        tasks, workflow.tasks = workflow.tasks, {}
        try:
            dct = WorkflowConverter.to_dict(self, workflow)
        finally:
            workflow.tasks = tasks
        dct["tasks"] = self._tasks_to_dict(workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def _tasks_to_dict(self, workflow) -> tuple[list[bytes], bool]:
        """Each task as its `"id":{...}` JSON member (Runtime.dump joins them), reusing the one written last
        time when nothing it is made of can have changed since. The key holds the task's state, time of
        last change, triggered flag, parent and children, and its parent's state and time; beyond that a
        member is reused only when
        - the task and its parent are both finished or predicted (LIKELY, MAYBE): their data, and so the
          task's delta against its parent, change only with a state change; or
        - the task has no data nor internal data and its parent no data (a FUTURE task not yet reached):
          its delta is empty whatever its state, and the key records the emptiness (of every task), so
          the first datum either of them gets makes the member be written afresh.
        Others are written afresh (a waiting join re-inherits its data in place, a timer keeps its value in
        internal data, a ready task's data is the form's context). The cache lives on the workflow
        object; Runtime drops it when it rewrites open tasks' data. Also returns whether orjson reads
        every member back exactly (see state_codec.encode)."""
        cache = workflow.__dict__.setdefault("_dachuan_task_dicts", {})
        tasks, convert = workflow.tasks, self.registry.convert
        out, exact = [], True
        for task_id, task in tasks.items():
            parent_id = task._parent
            parent = tasks.get(parent_id) if parent_id is not None else None
            state = task._state  # the `state` property's own field: read ~20 times a save
            if parent is None:
                parent_state = parent_change = None
                empty = not (task.data or task.internal_data)
                reusable = empty or state & _CACHEABLE
            else:
                parent_state, parent_change = parent._state, parent.last_state_change
                empty = not (task.data or task.internal_data or parent.data)
                reusable = empty or (state & _CACHEABLE and parent_state & _CACHEABLE)
            if reusable:
                key = (state, task.last_state_change, task.triggered, parent_id, tuple(task._children),
                       parent_state, parent_change, empty)
                hit = cache.get(task_id)
                if hit is not None and hit[0] == key:
                    out.append(hit[1])
                    exact = exact and hit[2]
                    continue
            # A UUID's text needs no escaping: quoting it is what json.dumps would write.
            body, body_exact = encode(convert(task))
            member = b'"%s":%s' % (str(task_id).encode(), body)
            if reusable:
                cache[task_id] = (key, member, body_exact)
            out.append(member)
            exact = exact and body_exact
        return out, exact

    def from_dict(self, dct):
        parsed = _restoring.get()
        workflow = self.target_class(parsed.spec, parsed.subprocess_specs, deserializing=True,
                                     script_engine=SCRIPT_ENGINE)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


# Kept next to SpiffWorkflow's own keys in the stored state; restore takes it out before SpiffWorkflow reads.
ARCHIVED_STEPS_KEY = "dachuan_archived_steps"

_config = dict(SPIFF_CONFIG)
_config[BpmnWorkflow] = _SpeclessWorkflowConverter
SERIALIZER = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(_config))


@dataclass
class ReadyTask:
    id: str
    name: str
    title: str
    lane: str
    data: dict


def ready_task_data(state: bytes, task_id: str) -> dict | None:
    """The data of the ready task `task_id`, read from a stored state without building the workflow (a form's
    context needs nothing else); None when the state does not hold it as a ready task of the top workflow
    (then restore). The state keeps each task's data as its changes against its parent's: the data is
    rebuilt along the task's ancestors exactly as SpiffWorkflow's TaskConverter.from_dict does."""
    tasks = read(state).get("tasks", {})
    task = tasks.get(task_id)
    if task is None or task.get("state") != TaskState.READY:
        return None
    chain = [task]
    while (parent := chain[-1].get("parent")) is not None:
        if parent not in tasks:
            return None
        chain.append(tasks[parent])
    restore = SERIALIZER.registry.restore
    data: dict = {}
    for index, t in enumerate(reversed(chain)):
        delta = t.get("delta")
        if delta and index > 0:
            data = DeepMerge.merge({}, data)
            data.update(restore(delta.get("updates", {})))
            for key in delta.get("deletions", {}):
                data.pop(key, None)
        else:
            data = restore(t["data"])
    return data


class Runtime:
    """One workflow in memory: start or restore it, run tasks, read what is ready, dump it."""

    def __init__(self, parsed: ParsedProcess, workflow: BpmnWorkflow, archived_steps=()):
        self.parsed = parsed
        self.workflow = workflow
        # BPMN ids of steps passed in rounds already cut out of the tree (pruning), for the diagram.
        self.archived_steps: set[str] = set(archived_steps)

    @classmethod
    def start(cls, parsed: ParsedProcess, data: dict) -> "Runtime":
        wf = BpmnWorkflow(parsed.spec, parsed.subprocess_specs, script_engine=SCRIPT_ENGINE)
        wf.data.update(data)
        # Start data also goes on the start task so that scripts and conditions see it.
        wf.get_tasks(state=TaskState.READY)[0].data.update(data)
        rt = cls(parsed, wf)
        rt.workflow.do_engine_steps()
        return rt

    @classmethod
    def restore(cls, parsed: ParsedProcess, state: bytes) -> "Runtime":
        dct = read(state)
        dct.pop(BpmnWorkflowSerializer.VERSION_KEY, None)
        archived = dct.pop(ARCHIVED_STEPS_KEY, ())
        token = _restoring.set(parsed)
        try:
            wf = SERIALIZER.from_dict(dct)
        finally:
            _restoring.reset(token)
        return cls(parsed, wf, archived)

    def dump(self) -> bytes:
        dct = SERIALIZER.to_dict(self.workflow)
        dct[BpmnWorkflowSerializer.VERSION_KEY] = SERIALIZER.VERSION
        if self.archived_steps:
            dct[ARCHIVED_STEPS_KEY] = sorted(self.archived_steps)
        # The tasks come as JSON members (most of them kept from the last dump): joined, not encoded again.
        members, exact = dct.pop("tasks")
        head, head_exact = encode(dct)
        text = b'%s%s,"tasks":{%s}}' % (ORJSON_SAFE if exact and head_exact else b"", head[:-1],
                                        b",".join(members))
        return pack(text)

    def prune(self) -> list[dict]:
        """Cut finished rounds out of the tree (see pruning); returns the cut tasks as plain data, parents
        first, for the history table. The live tree and the saved state then stay the size of one round."""
        if len(self.workflow.tasks) <= len(self.parsed.spec.task_specs):
            return []  # at most about one task per element: no second round yet, nothing worth a walk
        removed = pruning.prune(self.workflow)
        out = []
        for t in removed:
            bpmn_id = getattr(t.task_spec, "bpmn_id", None)
            if bpmn_id and t.state == TaskState.COMPLETED:
                self.archived_steps.add(bpmn_id)
            out.append({"id": str(t.id), "parent": str(t._parent) if t._parent else None,
                        "task_spec": t.task_spec.name, "bpmn_id": bpmn_id or "",
                        "state": TaskState.get_name(t.state),
                        "last_state_change": t.last_state_change,
                        "data": SERIALIZER.registry.convert(t.data)})
        return out

    def ready_tasks(self) -> list[ReadyTask]:
        out = []
        # A scan of the task table costs a fraction of SpiffWorkflow's tree walk; subprocesses need the walk.
        if self.workflow.subprocesses:
            tasks = self.workflow.get_tasks(state=TaskState.READY, manual=True)
        else:
            tasks = [t for t in self.workflow.tasks.values() if t.state == TaskState.READY and t.task_spec.manual]
        for t in tasks:
            title, lane = self.parsed.user_tasks.get(t.task_spec.name, (t.task_spec.name, ""))
            out.append(ReadyTask(str(t.id), t.task_spec.name, title, lane, t.data))
        return out

    def complete(self, task_id: str, data: dict) -> None:
        task = self.workflow.get_task_from_id(UUID(task_id))
        if task is None or task.state != TaskState.READY or not task.task_spec.manual:
            raise LookupError(task_id)
        task.data.update(data)
        task.run()
        self.workflow.do_engine_steps()

    def fire_timers(self) -> None:
        self.workflow.refresh_timers()
        self.workflow.do_engine_steps()

    def update_open_data(self, updates: dict, restart_timers: bool = False) -> None:
        """Change data on every unfinished task (e.g. a reassigned level); optionally restart waiting timers."""
        self.workflow.__dict__.pop("_dachuan_task_dicts", None)  # finished parents' data change below
        for t in self.workflow.get_tasks(state=TaskState.NOT_FINISHED_MASK):
            t.data.update(updates)
            if t.state == TaskState.WAITING and t.parent is not None:
                # A waiting event re-inherits its parent's data whenever it is refreshed.
                t.parent.data.update(updates)
            if restart_timers and t.state == TaskState.WAITING:
                t.internal_data.pop("event_value", None)
                t.internal_data.pop("event_fired", None)
        self.workflow.refresh_timers()

    def next_timer(self) -> datetime | None:
        """Earliest pending timer, as naive UTC, or None."""
        times = []
        for ev in self.workflow.waiting_events():
            value = ev.value
            if isinstance(value, dict):
                value = value.get("next")
            if isinstance(value, str):
                try:
                    times.append(spiff_timer.TimerEventDefinition.get_datetime(value))
                except ValueError:
                    continue
        if not times:
            return None
        return min(times).astimezone(timezone.utc).replace(tzinfo=None)

    @property
    def completed(self) -> bool:
        return self.workflow.is_completed()

    @property
    def data(self) -> dict:
        return self.workflow.data

    def last_data(self) -> dict:
        """Data of the most recently completed task: the case's current picture."""
        last = self.workflow.last_task
        return last.data if last is not None else self.workflow.data

    def end_event(self) -> str:
        for t in self.workflow.get_tasks(state=TaskState.COMPLETED):
            if isinstance(t.task_spec, EndEvent) and t.task_spec.bpmn_id:
                return t.task_spec.bpmn_id
        return ""

    def completed_steps(self) -> list[str]:
        """BPMN ids of the flow nodes already passed (for highlighting the diagram)."""
        return sorted(self.archived_steps | {t.task_spec.bpmn_id for t in self.workflow.get_tasks(
            state=TaskState.COMPLETED) if getattr(t.task_spec, "bpmn_id", None)})


def duration_after(start: datetime, iso: str) -> datetime:
    """start + an ISO 8601 duration such as P3D or PT24H (SpiffWorkflow's own reading of timer durations)."""
    # A copy: SpiffWorkflow pops the parts it has used from the dict it is given.
    return start + spiff_timer.TimerEventDefinition.get_timedelta_from_start(dict(_iso_duration(iso)), start)


@lru_cache(maxsize=256)
def _iso_duration(iso: str) -> dict:
    # A handful of configured deadlines, otherwise parsed again for every new task.
    return spiff_timer.TimerEventDefinition.parse_iso_duration(iso)
