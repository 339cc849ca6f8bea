"""What the engine's actions hand back: plain data, never SpiffWorkflow's objects."""
from __future__ import annotations

from dataclasses import dataclass, field

from workflows.engine import spiff
from workflows.engine.models import ProcessInstance


@dataclass
class ActionResult:
    instance_id: int
    reference: str
    status: str
    ready_task_ids: list[str] = field(default_factory=list)


@dataclass
class Started:
    """An instance started inside a running action, with its ready tasks (plain data)."""

    instance: ProcessInstance
    ready: list[spiff.ReadyTask]


@dataclass
class InstanceView:
    """What pages read of a live workflow, as plain data."""

    data: dict
    last_data: dict
    completed_steps: list[str]
    ready: list[spiff.ReadyTask]  # each with a copy of the data that task sees
    end_event: str
