"""The ledgers' hooks: the rental-house patrol's task fields, and the script functions the six-step and patrol
diagrams call (a catch at a house, the flag lifted, reflux found on patrol)."""
from __future__ import annotations

from workflows.engine.context import ActionContext
from workflows.engine.hooks import HookRegistry, ProcessHooks
from workflows.ledgers import catches, registries

PATROL_PROCESS = registries.PATROL_PROCESS
TASK_SCHEMAS = {
    "patrol": {"door_opened": bool, "three_stops_in_place": bool, "people_back": bool},
    "lift_flag": {"unflag_reason": str},
}


def _record_house_catch(ctx: ActionContext) -> dict:
    return catches.record_catch(ctx, ctx.instance)


def _house_unflagged(ctx: ActionContext, house_id, reason=""):
    return registries.mark_unflagged(ctx, house_id, reason, ctx.instance)


def _open_reflux_case(ctx: ActionContext, house_id):
    return registries.open_reflux_case(ctx, house_id, ctx.instance)


def register(registry: HookRegistry) -> None:
    registry.register(ProcessHooks(PATROL_PROCESS, task_schemas=TASK_SCHEMAS))
    registry.script_function("record_house_catch", _record_house_catch)
    registry.script_function("house_unflagged", _house_unflagged)
    registry.script_function("open_reflux_case", _open_reflux_case)
