"""The action context: everything one user or worker action needs, passed explicitly and never shared.

One `WorkflowService` serves every thread of a web process, so it must hold no per-action state. Each action
(a completion, a start, a timer firing) gets its own `ActionContext`: the database session of its unit of work,
the acting user, the time it runs at and the instance whose engine code is running. Script functions and
hooks receive it as their first argument; while engine code runs, it is also the value of a context variable
(per thread, so two requests never see each other's), which is how a script called from inside SpiffWorkflow
finds it.
"""
from __future__ import annotations

import contextvars
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class ActionContext:
    """One action: its session (one transaction), who acts, when, and the instance being run (if any)."""

    engine: object  # the WorkflowService running the action
    session: Session
    actor_id: int | None
    now: datetime
    instance: object | None = None  # the ProcessInstance whose engine code runs
    # A diagram element an administrator chose to skip in this action (a failing script task of an incident).
    skip_element: str = ""

    @property
    def settings(self):
        return self.engine.settings

    def for_instance(self, instance) -> "ActionContext":
        """The same action, running another instance's engine code (a child started from a script)."""
        return replace(self, instance=instance)


_running: contextvars.ContextVar[ActionContext] = contextvars.ContextVar("dachuan_action")


def running_action() -> ActionContext:
    """The context of the engine code running on this thread (for script functions called by SpiffWorkflow)."""
    try:
        return _running.get()
    except LookupError:
        raise RuntimeError("script functions run only inside an engine action") from None


class running:
    """`with running(ctx):` makes `ctx` the running action for the block; nested blocks restore the outer one."""

    def __init__(self, ctx: ActionContext):
        self.ctx = ctx

    def __enter__(self) -> ActionContext:
        self._token = _running.set(self.ctx)
        return self.ctx

    def __exit__(self, *exc):
        _running.reset(self._token)
