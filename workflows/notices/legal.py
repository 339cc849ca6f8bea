"""The legal data file (laws, articles, notice types and their fields) and what is read from it."""
from __future__ import annotations

import functools
import json
from pathlib import Path

from workflows.exceptions import WorkflowError

LEGAL_FILE = Path(__file__).with_name("legal_texts.json")


@functools.cache
def legal_data(path: str | None = None) -> dict:
    """The legal data file, read once per process."""
    return json.loads(Path(path or LEGAL_FILE).read_text(encoding="utf-8"))


# ---------------------------------------------------------------------- the legal catalogue
def type_spec(notice_type: str, legal: dict | None = None) -> dict:
    legal = legal or legal_data()
    spec = legal["types"].get(notice_type)
    if spec is None:
        raise WorkflowError(f"没有“{notice_type}”这种通知书。")
    return spec


def form_fields(notice_type: str, legal: dict | None = None) -> list[dict]:
    """The fields an officer fills in for a type, contact fields included where the type prints them."""
    legal = legal or legal_data()
    spec = type_spec(notice_type, legal)
    return list(spec["fields"]) + (list(legal["contact_fields"]) if spec.get("contact") else [])


def choice_options(field: dict, legal: dict | None = None) -> dict[str, str]:
    legal = legal or legal_data()
    return {k: v["label"] for k, v in legal[field["options"]].items()}


def types_for_task(process_id: str, task_name: str, legal: dict | None = None) -> list[tuple[str, str]]:
    """(type, title) of the notices a task offers, e.g. rectify_house -> 责令改正, 解除租赁, 三停一换."""
    legal = legal or legal_data()
    per_process = legal["tasks"].get(process_id, {})
    entry = per_process.get(task_name) or per_process.get("*") or {}
    return [(t, legal["types"][t]["title"]) for t in entry.get("types", [])]


def basis_refs(keys: list[str], legal: dict | None = None) -> str:
    """《禁止传销条例》第二十四条第二款、第二十六条第一款: each law named once, its articles in order."""
    legal = legal or legal_data()
    out, last_law = [], None
    for key in keys:
        art = legal["articles"][key]
        if art["law"] == last_law:
            out[-1] += "、" + art["article"]
        else:
            out.append(legal["laws"][art["law"]] + art["article"])
        last_law = art["law"]
    return "、".join(out)
