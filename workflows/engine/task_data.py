"""A user task's data both ways: what its form starts from, and the engine's own check of what the task hands
back, whoever calls it (web form, CLI, API).

The forms package does the full, friendly validation; this guard makes sure no caller can push data that a
gateway downstream would choke on. Each domain registers its tasks' schemas with its process hooks.
"""
from __future__ import annotations

import copy

from workflows.engine import deployment, spiff
from workflows.exceptions import ValidationFailed

TYPE_NAMES = {bool: "是/否", str: "文字", int: "整数", list: "列表", dict: "对象"}


def check(schema: dict, data: dict) -> None:
    """Raise ValidationFailed listing every missing or mistyped field of `schema` (field -> type or choices)."""
    errors: dict[str, list[str]] = {}
    for field, kind in schema.items():
        if field not in data or data[field] is None:
            errors.setdefault(field, []).append("必填")
            continue
        value = data[field]
        if isinstance(kind, tuple):
            if value not in kind:
                errors.setdefault(field, []).append("取值应为：" + "、".join(kind))
        elif kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            errors.setdefault(field, []).append("应为整数")
        elif not isinstance(value, kind):
            errors.setdefault(field, []).append(f"应为{TYPE_NAMES.get(kind, kind.__name__)}")
    if "persons" in data and not isinstance(data["persons"], list):
        errors.setdefault("persons", []).append("应为列表")
    if errors:
        raise ValidationFailed(errors)


def for_form(recent, inst, task_id: str) -> dict:
    """The data of `inst`'s ready task `task_id` for its form, a copy the form may change: from the workflow
    this process saved last (`recent`) if still current, else read from the stored state with no restore (a
    form is rendered and validated by every web process, most of which did not save the case); restored only
    if the state does not hold the task as ready (e.g. completed meanwhile: the case's latest data)."""
    if not recent.holds(inst.id, inst.version):
        if (data := spiff.ready_task_data(inst.state, task_id)) is not None:
            return data
    with recent.borrowed(inst.id, inst.version, lambda: spiff.Runtime.restore(
            deployment.parsed(inst.process_version), inst.state)) as rt:
        data = next((t.data for t in rt.ready_tasks() if t.id == task_id), None)
        return copy.deepcopy(data if data is not None else rt.last_data())
