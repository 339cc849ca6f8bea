"""One form per user task, one module per process; `form_for` finds the form of a task."""
from __future__ import annotations

from . import (complaint_intake, five_contracts, online_clue, penalty_procedure, pyramid_free_naming, pyramid_free_watch,
               rental_patrol, seizure, six_step_case)
from .base import TaskForm

REGISTRY: dict[str, dict[str, type[TaskForm]]] = {
    "six_step_case": six_step_case.FORMS,
    "five_contracts": five_contracts.FORMS,
    "complaint_intake": complaint_intake.FORMS,
    "rental_patrol": rental_patrol.FORMS,
    "online_clue": online_clue.FORMS,
    "seizure": seizure.FORMS,
    "pyramid_free_naming": pyramid_free_naming.FORMS,
    "pyramid_free_watch": pyramid_free_watch.FORMS,
    "penalty_procedure": penalty_procedure.FORMS,
}


def form_for(process_id: str, task_name: str) -> type[TaskForm]:
    """The form class for a user task; LookupError when a diagram has a task without one."""
    try:
        return REGISTRY[process_id][task_name]
    except KeyError:
        raise LookupError(f"no form for {process_id}.{task_name}") from None


__all__ = ["form_for", "REGISTRY", "TaskForm"]
