"""Reporting upward: 报备 of each illegal direct-selling or MLM case, and the periodic statistical reports
(统计报表、工作动态、重大信息、总结), each with the day it was due and the day it went (late and missing ones
show as such)."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows.exceptions import ValidationFailed
from workflows.office_records.common import RecordKind, case_in_area, choice, day, text
from workflows.office_records.models import CaseReport, StatisticalReport
from workflows.org.models import Area

CASE_KINDS = {"direct_selling": "违法直销", "pyramid": "传销"}
REPORT_KINDS = {"statistics": "统计报表", "briefing": "工作动态", "major": "重大信息", "summary": "总结"}
ON_TIME, LATE, MISSING, PENDING = "on_time", "late", "missing", "pending"
STATE_NAMES = {ON_TIME: "按时", LATE: "迟报", MISSING: "漏报", PENDING: "未到期"}


def state(due_on: date, done_on: date | None, today: date) -> str:
    """On time, late, missing (due and not sent) or not yet due."""
    if done_on is not None:
        return ON_TIME if done_on <= due_on else LATE
    return MISSING if today > due_on else PENDING


def clean_case_report(s: Session, data: dict, today: date, area: Area | None) -> dict:
    errors: dict[str, list[str]] = {}
    values = {"case_label": text(data, "case_label", errors, "案件名称", 200),
              "case_kind": choice(data, "case_kind", errors, "案件类别", CASE_KINDS),
              "due_on": day(data, "due_on", errors, "应报备日期", today),
              "reported_on": day(data, "reported_on", errors, "报备日期", today, required=False, not_future=True),
              "note": text(data, "note", errors, "说明", 500, required=False),
              "instance_id": case_in_area(s, data, "case_reference", errors, "案件编号", area)}
    if errors:
        raise ValidationFailed(errors)
    return values


def clean_statistical_report(s: Session, data: dict, today: date, area: Area | None) -> dict:
    errors: dict[str, list[str]] = {}
    values = {"kind": choice(data, "kind", errors, "报送类别", REPORT_KINDS),
              "period_label": text(data, "period_label", errors, "所属期间", 40),
              "due_on": day(data, "due_on", errors, "应报送日期", today),
              "submitted_on": day(data, "submitted_on", errors, "报送日期", today, required=False, not_future=True),
              "note": text(data, "note", errors, "说明", 500, required=False)}
    if errors:
        raise ValidationFailed(errors)
    return values


CASE_REPORTS = RecordKind(key="case-reports", model=CaseReport, title="案件报备", clean=clean_case_report,
                          date_column="due_on",
                          label=lambda row: f"{CASE_KINDS.get(row.case_kind, '')}案件报备：{row.case_label}")
STATISTICAL_REPORTS = RecordKind(
    key="reports", model=StatisticalReport, title="信息报送", clean=clean_statistical_report, date_column="due_on",
    label=lambda row: f"{REPORT_KINDS.get(row.kind, row.kind)}（{row.period_label}）")


def due_in(s: Session, model, area_path: str, start: date, end: date) -> list:
    """The case reports or statistical reports inside `area_path` due between `start` and `end`, oldest first."""
    return list(s.scalars(sa.select(model).where(model.area_path.startswith(area_path), model.due_on >= start,
                                                 model.due_on <= end).order_by(model.due_on, model.id)))
