"""The six-step case's hooks: its reference prefix and task fields, the comparison script, the persons mirror,
a caught rental house entering the ledger, and everyone caught entering the blacklist when the case closes."""
from __future__ import annotations

import sqlalchemy as sa

from workflows import audit
from workflows.cases.comparison import compare_persons
from workflows.cases.models import CasePerson
from workflows.engine.context import ActionContext
from workflows.engine.hooks import HookRegistry, ProcessHooks
from workflows.ledgers import blacklist, catches
from workflows.penalties import case_steps
from workflows.vocabulary import HOUSE_TYPES

PROCESS = "six_step_case"
CLOSED_END_EVENT = "end_closed"
HANDLING = {"result": str}
TASK_SCHEMAS = {
    "sweep": {"suspicious": bool, "house_type": tuple(HOUSE_TYPES)},
    "entry": {"door_opened": bool},
    "watch_house": {"note": str},
    "initial_check": {"mlm_found": bool},
    "evidence": {"evidence_summary": str},
    "comparison": {"has_participants": bool, "has_core": bool, "has_crime": bool,
                   "house_is_rental": bool, "landlord_official": bool, "house_prior_catches": int},
    "handle_participants": HANDLING, "penalty_core": HANDLING, "transfer_police": HANDLING,
    "rectify_house": HANDLING, "penalty_landlord": HANDLING, "transfer_discipline": HANDLING,
    "close_case": {"summary": str},
}


def _prepare_start(ctx: ActionContext, data: dict, area) -> None:
    data.setdefault("persons", [])


def _before_complete(ctx: ActionContext, task, data: dict) -> None:
    # A penalty step decides nothing itself: it starts one penalty procedure per party. Done before the engine
    # runs the step, because joining the parallel branches afterwards merges their data into the submitted lists.
    case_steps.start_for_case_step(ctx, task, data)


def _after_complete(ctx: ActionContext, task, data: dict) -> None:
    _mirror_persons(ctx, task, data)
    if task.task_name == "comparison":
        catches.register_caught_house(ctx, data)


def _mirror_persons(ctx: ActionContext, task, data: dict) -> None:
    """Persons found in the case, mirrored so searches and the comparison never deserialize workflows."""
    if "persons" not in data:
        return
    conn, instance_id = ctx.session.connection(), ctx.instance.id
    rows = [{"instance_id": instance_id, "name": p.get("name", "")[:64],
             "id_number": (p.get("id_number") or "")[:18], "phone": (p.get("phone") or "")[:32], "bank_card": (p.get("bank_card") or "")[:32],
             "classification": p.get("classification") or ""}
            for p in data["persons"] if isinstance(p, dict) and p.get("name")]
    # Set-based: one DELETE and one INSERT for all persons, whatever their number.
    conn.execute(_DELETE_PERSONS, {"b_instance_id": instance_id})
    if rows:
        conn.execute(_INSERT_PERSON, rows)


_DELETE_PERSONS = CasePerson.__table__.delete().where(
    CasePerson.__table__.c.instance_id == sa.bindparam("b_instance_id"))
_INSERT_PERSON = CasePerson.__table__.insert()


def _on_end(ctx: ActionContext, inst) -> None:
    """Closing a case enters everyone caught in the blacklist (Annex 3 scores the entry rate at 100%)."""
    if inst.end_event == CLOSED_END_EVENT:
        entered = blacklist.enter_caught_persons(ctx.session, inst.id, ctx.now)
        audit.record(ctx.session, ctx.now, "blacklisted", ctx.actor_id, inst.id, persons=entered)


def _compare_persons(ctx: ActionContext, persons) -> dict:
    return compare_persons(ctx.session, ctx.instance.id, persons or [], ctx.settings.local_id_prefix)


def register(registry: HookRegistry) -> None:
    registry.register(ProcessHooks(PROCESS, reference_prefix="AJ", task_schemas=TASK_SCHEMAS,
                                   prepare_start=_prepare_start, before_complete=_before_complete,
                                   after_complete=_after_complete, on_end=_on_end))
    registry.script_function("compare_persons", _compare_persons)
