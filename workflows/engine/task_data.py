"""The engine's own check of what a user task hands back, whoever calls it (web form, CLI, API).

The forms package does the full, friendly validation; this guard makes sure no caller can push data that a
gateway downstream would choke on. Each domain registers its tasks' schemas with its process hooks.
"""
from __future__ import annotations

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
