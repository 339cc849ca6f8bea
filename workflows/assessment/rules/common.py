"""What several rules share: counting steps of a shortfall, the sampled month, the records' pages, the data an
officer submitted at a step (read from the audit trail, so no workflow is deserialized)."""
from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows.assessment.rules.base import Scope
from workflows.assessment.settings import LAST_MONTH, STARTED
from workflows.audit.models import AuditEvent
from workflows.engine.models import HumanTask
from workflows.vocabulary import EventKind, TaskState

ZERO = Decimal(0)


def steps(shortfall: Decimal, step: Decimal, scope: Scope) -> int:
    """How many steps of `step` a `shortfall` makes (a begun one counts unless the setting says whole only)."""
    if shortfall <= 0:
        return 0
    ratio = shortfall / step
    return math.ceil(ratio) if scope.settings.partial_step == STARTED else math.floor(ratio)


def percent(part: int, whole: int) -> Decimal:
    return Decimal(part * 100) / Decimal(whole) if whole else ZERO


def shown(value: Decimal) -> str:
    """A percentage or point figure as an officer reads it: at most one decimal, no trailing zeros."""
    text = f"{value.quantize(Decimal('0.1')):f}"
    return text[:-2] if text.endswith(".0") else text


def points(value) -> Decimal:
    return Decimal(str(value))


def month_of(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    after = (first + timedelta(days=32)).replace(day=1)
    return first, after - timedelta(days=1)


def sample_window(scope: Scope, days: list[date]) -> tuple[date, date] | None:
    """The period a "抽查当月" sample is drawn from: the last month of the period that has records (default), or
    the whole period; None when there are no records at all."""
    if not days:
        return None
    if scope.settings.sample_month != LAST_MONTH:
        return scope.start, scope.end
    first, last = month_of(max(days))
    return max(first, scope.start), min(last, scope.end)


def window_label(window: tuple[date, date]) -> str:
    start, end = window
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.year}年{start.month}月"
    return f"{start.isoformat()} 至 {end.isoformat()}"


def sample_note(scope: Scope, key: str, population: int, picked: int, what: str, window: str = "") -> str:
    where = f"{window}" if window else "考评期间"
    return (f"从{where}的 {population} {what}中按种子 {scope.lot.seed} 抽签抽取 {picked} 个（抽签键 {key}），"
            "同一种子可重复抽出相同结果。")


# ---------------------------------------------------------------- record pages
def case_url(instance_id: int | None) -> str:
    return f"/cases/{instance_id}" if instance_id else ""


def house_url(house_id: int) -> str:
    return f"/registries/houses/{house_id}"


def complaint_url(complaint_id: int) -> str:
    return f"/complaints/{complaint_id}"


def intermediary_url(intermediary_id: int) -> str:
    return f"/registries/intermediaries/{intermediary_id}"


# ---------------------------------------------------------------- shared queries
def submitted(session: Session, instance_ids, task_names: tuple[str, ...]) -> dict[int, list[dict]]:
    """instance id -> the data submitted at its completed steps named `task_names` (oldest first), read from the
    audit trail (the completion event of each step), so no workflow is deserialized."""
    ids = sorted(set(instance_ids))
    out: dict[int, list[dict]] = {}
    for i in range(0, len(ids), 500):
        steps = list(session.scalars(sa.select(HumanTask.id).where(
            HumanTask.instance_id.in_(ids[i:i + 500]), HumanTask.task_name.in_(task_names),
            HumanTask.state == TaskState.COMPLETED)))
        if not steps:
            continue
        for instance_id, details in session.execute(sa.select(AuditEvent.instance_id, AuditEvent.details).where(
                AuditEvent.instance_id.in_(ids[i:i + 500]), AuditEvent.kind == EventKind.COMPLETED,
                AuditEvent.task_id.in_(steps)).order_by(AuditEvent.id)):
            out.setdefault(instance_id, []).append((details or {}).get("data") or {})
    return out
