"""The office's documents of a year: the work plan (长效机制、打传创无 方案), the 处置传销突发事件应急预案, the
assessment rules (考评制度) and the funding statement (经费保障), each uploaded with the day it was approved."""
from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows.exceptions import ValidationFailed
from workflows.office_records.common import RecordKind, choice, day, fail, file_meta, text
from workflows.office_records.models import OfficeDocument
from workflows.org.models import Area

WORK_PLAN, EMERGENCY_PLAN, ASSESSMENT_RULES, FUNDING = "work_plan", "emergency_plan", "assessment_rules", "funding"
KINDS = {WORK_PLAN: "工作方案（长效机制、打传创无）", EMERGENCY_PLAN: "处置传销突发事件应急预案",
         ASSESSMENT_RULES: "考评制度", FUNDING: "经费保障说明"}


def clean(s: Session, data: dict, today: date, area: Area | None) -> dict:
    errors: dict[str, list[str]] = {}
    kind = choice(data, "kind", errors, "类别", KINDS)
    year = data.get("year")
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= today.year + 1:
        fail(errors, "year", f"年度应在 2000–{today.year + 1} 之间。")
    amount = data.get("amount")
    if amount in (None, ""):
        amount = None
        if kind == FUNDING:
            fail(errors, "amount", "经费保障说明请填写保障金额。")
    else:
        try:
            amount = Decimal(str(amount)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            amount = None
            fail(errors, "amount", "金额应为数字（单位：元）。")
        else:
            if not 0 <= amount < Decimal("1e12"):
                fail(errors, "amount", "金额应为不小于 0 的数字（单位：元）。")
    try:
        file = file_meta(data.get("file"))
    except ValidationFailed:
        file = None
        fail(errors, "file", "文件信息不完整，请重新上传。")
    if file is None:
        fail(errors, "file", "请上传文件（PDF 或图片）。")
    values = {"kind": kind, "year": year, "title": text(data, "title", errors, "标题", 200),
              "approved_on": day(data, "approved_on", errors, "印发（批准）日期", today, not_future=True),
              "amount": amount, "file": file, "note": text(data, "note", errors, "说明", 500, required=False)}
    if errors:
        raise ValidationFailed(errors)
    return values


KIND = RecordKind(key="documents", model=OfficeDocument, title="方案预案制度", clean=clean, date_column="approved_on",
                  area_kinds=("district", "street", "community"), roles=frozenset({"supervisor", "market", "admin"}),
                  label=lambda row: f"{row.year}年 {KINDS.get(row.kind, row.kind)}：{row.title}")


def documents_of(s: Session, area_path: str, kind: str, year: int) -> list[OfficeDocument]:
    """The documents of `kind` and `year` at the area `area_path` itself or above it (a district plan binds its
    streets)."""
    parts = [p for p in area_path.split("/") if p]
    paths = ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]
    return list(s.scalars(sa.select(OfficeDocument).where(
        OfficeDocument.kind == kind, OfficeDocument.year == year, OfficeDocument.area_path.in_(paths))
        .order_by(OfficeDocument.id)))
