"""The six-step case's penalty steps (penalty_core, penalty_landlord, handle_participants) start one procedure
per party: the step hands in its parties, each with the role its classification allows, and the decision is
then made only in the party's own procedure."""
from __future__ import annotations

from workflows.engine.context import ActionContext
from workflows.penalties.starting import start_for_party

PENALTY_STEPS = ("penalty_core", "penalty_landlord", "handle_participants")


def start_for_case_step(ctx: ActionContext, task, data: dict) -> list[int]:
    """Start the procedures a completed penalty step of a six-step case asks for; their instance ids."""
    if task.task_name not in PENALTY_STEPS:
        return []
    started = []
    for party in data.get("penalty_parties") or []:
        started.append(start_for_party(ctx, source_instance_id=ctx.instance.id,
                                       party={**party, "source_task": task.task_name}, role=party.get("role", ""),
                                       facts=data.get("result", "")))
    return started
