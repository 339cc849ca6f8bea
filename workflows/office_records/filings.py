"""Criminal cases the police filed after a transfer (移送 → 立案回执): their filing number, the day, the case
transferred and the persons in it, the receipt. The assessment asks one per 20 police 110 alerts."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows.exceptions import ValidationFailed
from workflows.office_records.common import RecordKind, case_in_area, day, fail, file_meta, text
from workflows.office_records.models import CriminalFiling
from workflows.org.models import Area

ROLES = frozenset({"police", "market", "supervisor", "admin"})


def clean(s: Session, data: dict, today: date, area: Area | None) -> dict:
    errors: dict[str, list[str]] = {}
    values = {"case_reference": text(data, "case_reference", errors, "立案文书编号", 64),
              "filed_on": day(data, "filed_on", errors, "立案日期", today, not_future=True),
              "persons": text(data, "persons", errors, "移送人员", 500, required=False),
              "note": text(data, "note", errors, "说明", 500, required=False),
              "transfer_instance_id": case_in_area(s, data, "transfer_reference", errors, "移送案件编号", area)}
    try:
        values["receipt"] = file_meta(data.get("receipt"))
    except ValidationFailed:
        fail(errors, "receipt", "回执文件信息不完整，请重新上传。")
    if errors:
        raise ValidationFailed(errors)
    return values


def check(s: Session, area: Area, values: dict, record_id: int | None) -> dict:
    other = s.scalar(sa.select(CriminalFiling.id).where(CriminalFiling.case_reference == values["case_reference"]))
    if other is not None and other != record_id:
        return {"case_reference": ["该立案文书编号已登记过。"]}
    return {}


KIND = RecordKind(key="filings", model=CriminalFiling, title="刑事立案回执", clean=clean, check=check,
                  date_column="filed_on", roles=ROLES,
                  label=lambda row: f"{row.filed_on:%Y-%m-%d} 刑事立案 {row.case_reference}")


def filings_in(s: Session, area_path: str, start: date, end: date) -> list[CriminalFiling]:
    """The criminal filings inside `area_path` filed between `start` and `end` (inclusive), oldest first."""
    return list(s.scalars(sa.select(CriminalFiling).where(
        CriminalFiling.area_path.startswith(area_path), CriminalFiling.filed_on >= start,
        CriminalFiling.filed_on <= end).order_by(CriminalFiling.filed_on, CriminalFiling.id)))
