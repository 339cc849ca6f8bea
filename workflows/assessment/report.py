"""The score sheet as plain rows (for `dachuan assess`, scripts and checks): computed now, nothing stored."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows.assessment import scoring, service
from workflows.assessment.models import AssessmentRow
from workflows.assessment.rules.base import METHOD_LABELS, Method
from workflows.assessment.settings import AssessmentSettings
from workflows.exceptions import NotFound, ValidationFailed
from workflows.org.models import Area


def find_area(session: Session, name: str) -> Area:
    """The area named `name` (its name or full name); refused when none or several match."""
    matches = list(session.scalars(sa.select(Area).where(sa.or_(Area.name == name, Area.full_name == name))
                                   .order_by(Area.path)))
    if not matches:
        raise NotFound(f"没有名为“{name}”的区域。")
    if len(matches) > 1:
        raise ValidationFailed({"area": ["“{}”有多处：{}，请写全称。".format(
            name, "、".join(a.full_name for a in matches[:5]))]})
    return matches[0]


def _source(method: Method, no_data: bool) -> str:
    if no_data:
        return "无数据"
    return METHOD_LABELS[method] + ("（待录入）" if method == Method.MANUAL else "")


def sheet(session: Session, area: Area, start: date, end: date, settings: AssessmentSettings | None = None,
          seed: int = 0, today: date | None = None) -> dict:
    """{area, from, to, seed, rows: [{id, title, weight, deduction, score, source, count, note}], total}."""
    if start > end:
        raise ValidationFailed({"start": ["考评期间的开始日期不能晚于结束日期。"]})
    settings = settings or AssessmentSettings()
    outcomes, _lot = service.compute(session, area, start, end, settings, seed, today)
    rows = [AssessmentRow(rule_id=rule.id, position=i, computed_deduction=o.deduction if o else None,
                          manual_deduction=None, override_deduction=None)
            for i, (rule, o) in enumerate(outcomes)]
    total = scoring.settle(rows)
    out = []
    for (rule, outcome), row in zip(outcomes, rows):
        no_data = bool(outcome and outcome.no_data)
        # A row printed with several deduction lines is told apart by its line.
        title = rule.scoring if rule.id[-1].isalpha() else rule.text
        out.append({"id": rule.id, "title": title, "weight": str(rule.cap),
                    "deduction": str(row.deduction), "score": str(row.score),
                    "source": _source(rule.method, no_data), "count": outcome.count if outcome else 0,
                    "note": outcome.note if outcome else ""})
    return {"area": area.full_name, "from": start.isoformat(), "to": end.isoformat(), "seed": seed,
            "settings": settings.snapshot(), "rows": out, "total": str(total)}


def text_lines(result: dict, width: int = 30) -> list[str]:
    """One line per row (id, title, weight, deduction, score, source, count) and the total, tab-separated."""
    lines = ["\t".join(("序号", "指标", "分值", "扣分", "得分", "来源", "记录数"))]
    for row in result["rows"]:
        title = row["title"] if len(row["title"]) <= width else row["title"][:width - 1] + "…"
        lines.append("\t".join((row["id"], title, row["weight"], row["deduction"], row["score"], row["source"],
                                str(row["count"]))))
    lines.append(f"合计\t{result['area']} {result['from']} 至 {result['to']}\t100\t"
                 f"{Decimal(100) - Decimal(result['total'])}\t{result['total']}")
    return lines
