"""Per-process hooks: what a domain adds to the generic engine for its own processes.

The engine core knows no process by name. A domain registers, for each of its processes, the reference prefix of
its instances, the fields its user tasks must hand back, and functions the engine calls at fixed points of an
action (all inside the action's transaction, with its `ActionContext`):

- `prepare_start(ctx, data, area)`: fill in start data before the workflow starts;
- `before_complete(ctx, task, data)`: check or add to a task's submitted data before the engine runs it;
- `after_complete(ctx, task, data)`: record what the completed task's data means for the domain's tables;
- `instance_values(ctx, instance, ready)`: extra instance columns to write with each save;
- `assign(ctx, instance, task, row)`: fill a new human-task mirror row (assignee, level, due time, area);
- `after_timers(ctx, instance, before)`: react to fired timers (the instance's columns before the firing);
- `on_end(ctx, instance)`: the instance has just finished;
- `move_to_level(ctx, task, level)`: a supervisor moves an open task to a level of the process's chain.

Observers (`observe`) hear of every process's starts and completions, whatever its domain.

Script functions, called by name from script tasks in the diagrams, are registered the same way and receive the
action context first. Periodic duties (e.g. raising matters for overdue steps) run in every round of the worker.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from workflows.engine import spiff


@dataclass
class ProcessHooks:
    process_id: str
    reference_prefix: str = "LC"
    # task name -> {field: type or tuple of allowed values}; see workflows.engine.task_data
    task_schemas: dict = field(default_factory=dict)
    prepare_start: Callable | None = None
    before_complete: Callable | None = None
    after_complete: Callable | None = None
    instance_values: Callable | None = None
    assign: Callable | None = None
    after_timers: Callable | None = None
    on_end: Callable | None = None
    # (ctx, task, level): move an open task to another level of the process's own chain (reassignment by level)
    move_to_level: Callable | None = None


_NONE = ProcessHooks(process_id="")


class HookRegistry:
    """Hooks and script functions of every registered process; filled once when the services are built, before
    any thread uses them, and only read afterwards (so it needs no lock)."""

    def __init__(self):
        self.processes: dict[str, ProcessHooks] = {}
        self.script_functions: dict[str, Callable] = {}
        self.periodic: dict[str, Callable] = {}  # name -> duty(engine) -> count, run by each worker round
        # Functions told of every process's starts and completions, for domains that watch other domains'
        # processes (e.g. a case inside a named pyramid-free community): "started" -> fn(ctx, instance, data),
        # "completed" -> fn(ctx, task, data); called inside the action's transaction.
        self.observers: dict[str, list[Callable]] = {"started": [], "completed": []}

    def register(self, hooks: ProcessHooks) -> None:
        self.processes[hooks.process_id] = hooks

    def script_function(self, name: str, fn: Callable) -> None:
        """Make `fn(ctx, *args)` callable as `name(*args)` from the diagrams' script tasks."""
        self.script_functions[name] = fn
        spiff.expose_script_function(name)

    def periodic_duty(self, name: str, duty: Callable) -> None:
        self.periodic[name] = duty

    def observe(self, event: str, fn: Callable) -> None:
        self.observers[event].append(fn)

    def notify(self, event: str, *args) -> None:
        for fn in self.observers[event]:
            fn(*args)

    def of(self, process_id: str) -> ProcessHooks:
        return self.processes.get(process_id, _NONE)
