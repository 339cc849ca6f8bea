"""The scored checklist: the items that apply to a naming, and the score of one inspection.

Manual items are scored by the inspectors (0 to the item's weight, with a note); computed items are scored from
the records (weight × share met) and keep the records behind them; items without data do not count. The score
is out of 100 over the items that have data, and passes at the checklist's pass score."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from workflows.exceptions import ValidationFailed
from workflows.pyramid_free import records
from workflows.pyramid_free.models import Naming, Platform
from workflows.pyramid_free.options import PLATFORM

MANUAL, COMPUTED = "manual", "computed"


def definition(opts: dict, subject: str) -> dict:
    return opts["checklists"][subject]


def items_for(session: Session, opts: dict, naming: Naming) -> list[dict]:
    """The checklist items that apply to this naming (a platform's depend on its type)."""
    items = definition(opts, naming.subject)["items"]
    if naming.subject == PLATFORM:
        kind = session.get(Platform, naming.platform_id).platform_type
        items = [i for i in items if kind in i.get("types", [kind])]
    return [dict(i) for i in items]


def score(session: Session, opts: dict, naming: Naming, entries: dict, now: datetime) -> dict:
    """Score one inspection. `entries`: item code -> {"score": number, "note": text} for the manual items.

    Returns {"items": [...], "score": x, "pass_score": y, "passed": bool}; ValidationFailed names every manual
    item left unscored or scored outside 0..weight."""
    errors: dict[str, list[str]] = {}
    out, got, possible = [], 0.0, 0.0
    for item in items_for(session, opts, naming):
        row = {**item, "no_data": False, "records": [], "summary": "", "note": ""}
        if item["mode"] == COMPUTED:
            found = records.measure(session, item["source"], naming, now, opts)
            row.update(records=found.records, summary=found.summary)
            if found.share is None:
                row.update(no_data=True, score=None)
            else:
                row["score"] = round(item["weight"] * found.share, 2)
        else:
            entry = entries.get(item["code"]) or {}
            value = entry.get("score")
            try:
                value = float(value)
            except (TypeError, ValueError):
                errors[item["code"]] = [f"请为“{item['title']}”评分（0 至 {item['weight']} 分）"]
                continue
            if not 0 <= value <= item["weight"]:
                errors[item["code"]] = [f"“{item['title']}”的得分应在 0 至 {item['weight']} 分之间"]
                continue
            row.update(score=value, note=str(entry.get("note") or "").strip()[:500])
        if not row["no_data"]:
            got += row["score"]
            possible += item["weight"]
        out.append(row)
    if errors:
        raise ValidationFailed(errors)
    total = round(got * 100 / possible, 1) if possible else 0.0
    pass_score = float(definition(opts, naming.subject)["pass_score"])
    return {"items": out, "score": total, "pass_score": pass_score, "passed": total >= pass_score}
