"""What each user task must hand back to the engine, whoever calls it (web form, CLI, API).

The forms package does the full, friendly validation; this is the engine's own guard so that no
caller can push data that a gateway downstream would choke on.
"""
from __future__ import annotations

from workflows.exceptions import ValidationFailed

HANDLING = {"result": str}
INVESTIGATION = {"finding": str, "open_case": bool}
RESULT = {"result": str, "effective": bool, "reward_proposed": bool}

SCHEMAS: dict[str, dict[str, dict]] = {
    "six_step_case": {
        "sweep": {"suspicious": bool, "house_type": ("rental", "vacant", "resident")},
        "entry": {"door_opened": bool},
        "watch_house": {"note": str},
        "initial_check": {"mlm_found": bool},
        "evidence": {"evidence_summary": str},
        "comparison": {"has_participants": bool, "has_core": bool, "has_crime": bool,
                       "house_is_rental": bool, "landlord_official": bool, "house_prior_catches": int},
        "handle_participants": HANDLING, "penalty_core": HANDLING, "transfer_police": HANDLING,
        "rectify_house": HANDLING, "penalty_landlord": HANDLING, "transfer_discipline": HANDLING,
        "close_case": {"summary": str},
    },
    "five_contracts": {
        "handle_matter": {"resolved": bool, "result": str},
    },
    "complaint_intake": {
        # An empty unit is allowed only when jurisdiction is unclear: the first receiver then transfers it.
        "accept": {"jurisdiction_clear": bool, "responsible_unit": ("market", "police", "")},
        "first_handling": {"handling": str, "responsible_unit": ("market", "police"), "transfer_reason": str},
        "investigate_market": INVESTIGATION, "investigate_police": INVESTIGATION,
        "result_market": RESULT, "result_police": RESULT,
        "reply": {"reply": str},
        "approve_reward": {"reward_approved": bool, "approval_note": str},
    },
    "rental_patrol": {
        "patrol": {"door_opened": bool, "three_stops_in_place": bool, "people_back": bool},
        "lift_flag": {"unflag_reason": str},
    },
}

TYPE_NAMES = {bool: "是/否", str: "文字", int: "整数", list: "列表", dict: "对象"}


def check(process_id: str, task_name: str, data: dict) -> None:
    """Raise ValidationFailed listing every missing or mistyped field."""
    schema = SCHEMAS.get(process_id, {}).get(task_name, {})
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
