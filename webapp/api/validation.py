"""Check a request body against the schemas of the OpenAPI document (the subset of JSON Schema it uses)."""
from __future__ import annotations

import re
from functools import lru_cache

from workflows.idnumbers import is_valid_id_number

from .openapi import ID_NUMBER_FORMAT

FORMATS = {ID_NUMBER_FORMAT: is_valid_id_number}
TYPES = {"object": dict, "string": str, "boolean": bool}


@lru_cache(maxsize=None)
def _compiled(pattern: str) -> re.Pattern:
    # JSON Schema patterns are ECMAScript: "$" is the very end, which Python spells "\Z".
    return re.compile(pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern)


def _utf8(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a "\ud800" escape
        return False
    return True


def errors_in(value, schema: dict, path: str = "") -> dict[str, list[str]]:
    """{field path: [messages]} for every way `value` breaks `schema`; empty when it conforms."""
    name = path or "body"
    kind = schema.get("type")
    if kind and not (isinstance(value, TYPES[kind]) and not (kind != "boolean" and isinstance(value, bool))):
        return {name: [{"object": "应为对象", "string": "应为文字", "boolean": "应为 true 或 false"}[kind]]}
    out: dict[str, list[str]] = {}
    if "enum" in schema and value not in schema["enum"]:
        out.setdefault(name, []).append("取值应为：" + "、".join(map(str, schema["enum"])))
    if isinstance(value, str):
        if not _utf8(value):
            return {name: ["含有无法识别的字符"]}
        if len(value) < schema.get("minLength", 0):
            out.setdefault(name, []).append("必填")
        elif len(value) > schema.get("maxLength", len(value)):
            out.setdefault(name, []).append(f"不超过{schema['maxLength']}个字符")
        elif "pattern" in schema and not _compiled(schema["pattern"]).search(value):
            out.setdefault(name, []).append("必填，且不能只有空白或含有空字符" if "u0000" in schema["pattern"]
                                           else "格式不正确")
        elif "format" in schema and schema["format"] in FORMATS and not FORMATS[schema["format"]](value):
            out.setdefault(name, []).append("身份证号码校验不通过")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                out.setdefault(f"{path}.{key}" if path else key, []).append("必填")
        for key, item in value.items():
            sub = f"{path}.{key}" if path else key
            if key in properties:
                out.update(errors_in(item, properties[key], sub))
            elif schema.get("additionalProperties") is False:
                out.setdefault(sub, []).append("未知字段")
    return out
