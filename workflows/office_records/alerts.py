"""The police's 110 alert counts about MLM per area and period: typed in one by one, or imported from the XLSX
the police provide (every row checked, errors reported by row number, nothing half-imported), with a template
to fill in. The assessment asks one criminal case per 20 of them."""
from __future__ import annotations

import io
from datetime import date, datetime

import sqlalchemy as sa
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from workflows import audit
from workflows.clock import office_date
from workflows.exceptions import ValidationFailed
from workflows.ledgers.upload_limits import check_upload, refused, too_many_rows
from workflows.office_records.common import RecordKind, count, day, fail, text
from workflows.office_records.models import PoliceAlertCount
from workflows.org import access, areas
from workflows.org.models import Area
from workflows.tabular import to_xlsx

ROLES = frozenset({"police", "market", "supervisor", "admin"})
HEADERS = ["区域（标准地址）", "起始日期", "截止日期", "110传销警情数", "说明"]
AREA_KINDS = ("district", "street", "community")


def clean(s: Session, data: dict, today: date, area: Area | None) -> dict:
    errors: dict[str, list[str]] = {}
    start = day(data, "period_start", errors, "起始日期", today, not_future=True)
    end = day(data, "period_end", errors, "截止日期", today)
    if start and end and end < start:
        fail(errors, "period_end", "截止日期不能早于起始日期。")
    values = {"period_start": start, "period_end": end,
              "alerts": count(data, "alerts", errors, "警情数", 0, 1_000_000),
              "note": text(data, "note", errors, "说明", 500, required=False),
              "source": (data.get("source") or "")[:200]}
    if errors:
        raise ValidationFailed(errors)
    return values


def check(s: Session, area: Area, values: dict, record_id: int | None) -> dict:
    other = s.scalar(sa.select(PoliceAlertCount.id).where(
        PoliceAlertCount.area_id == area.id, PoliceAlertCount.period_start == values["period_start"],
        PoliceAlertCount.period_end == values["period_end"]))
    if other is not None and other != record_id:
        return {"period_start": ["该区域这一期间的警情数已登记，请修改原记录。"]}
    return {}


KIND = RecordKind(key="alerts", model=PoliceAlertCount, title="110传销警情", clean=clean, check=check,
                  date_column="period_start", area_kinds=AREA_KINDS, roles=ROLES,
                  label=lambda row: f"{row.period_start}—{row.period_end} 110传销警情 {row.alerts} 起")


def template() -> bytes:
    """The XLSX the police fill in: the columns the import reads, in order."""
    return to_xlsx("110传销警情", HEADERS, [])


def _cell_date(value) -> date | None | str:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip().replace("/", "-"))
    except ValueError:
        return "bad"


def _cell_int(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return value


def read_rows(content: bytes, settings) -> list[tuple[int, list]]:
    """(row number as Excel shows it, cells) of each non-empty data row; refuses an unreadable file."""
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file; the officer needs one answer
        raise refused("无法读取 Excel 文件：不是有效的 .xlsx 文件，请用模板填写后重试。") from None
    try:
        ws = wb.worksheets[0]
        rows = []
        for number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
            if number == 1:
                if [str(c or "").strip() for c in cells[:4]] != HEADERS[:4]:
                    raise refused("表头与模板不一致：第1行应为“" + "”“".join(HEADERS[:4]) + "”，请下载模板填写。")
                continue
            cells = list(cells) + [None] * (len(HEADERS) - len(cells))
            if all(c is None or str(c).strip() == "" for c in cells):
                continue
            if len(rows) >= settings.import_max_rows:
                raise too_many_rows(len(rows) + 1, settings.import_max_rows)
            rows.append((number, cells[:len(HEADERS)]))
        return rows
    finally:
        wb.close()


class ImportRefused(ValidationFailed):
    """The file had bad rows: each listed as (row number, message); nothing was imported."""

    def __init__(self, problems: list[tuple[int, str]]):
        super().__init__({"file": [f"第{n}行：{m}" for n, m in problems]})
        self.problems = problems
        self.message = f"文件中有 {len(problems)} 处错误，未导入任何数据，请改正后重新导入。"


def import_file(services, actor_id: int, filename: str, content: bytes) -> dict:
    """Import the police's XLSX in one unit of work: every row is checked first, and one bad row refuses the
    whole file (ImportRefused lists them by row number). A period already recorded for an area is replaced
    (the police's later figure stands). Returns {created, replaced}."""
    if not (filename or "").lower().endswith(".xlsx"):
        raise refused("请上传 .xlsx 格式的文件（可先下载模板）。")
    check_upload(filename, content, services.settings)
    rows = read_rows(content, services.settings)
    if not rows:
        raise refused("文件中没有数据行。")
    with services.db.unit_of_work() as s:
        user = access.active_user(s, actor_id)
        access.visible_prefix(user, KIND.title)
        if not user.role_set & ROLES:
            raise refused("您无权导入110传销警情数。")
        now = services.workflow.now()
        today = office_date(now)
        problems: list[tuple[int, str]] = []
        good, seen = [], {}
        for number, (address, start, end, alerts, note) in rows:
            errors: dict[str, list[str]] = {}
            area = areas.area_by_address(s, str(address or "").strip())
            if area is None:
                fail(errors, "area", f"找不到区域“{address or ''}”，请填写标准地址全称（如：吴家山街）。")
            elif area.kind not in AREA_KINDS:
                fail(errors, "area", "区域应为区、街道或社区。")
            elif not access.sees(user, area.path):
                fail(errors, "area", f"“{area.full_name}”不在您的辖区内。")
            data = {"period_start": _cell_date(start), "period_end": _cell_date(end), "alerts": _cell_int(alerts),
                    "note": str(note or ""), "source": filename}
            for key, label in (("period_start", "起始日期"), ("period_end", "截止日期")):
                if data[key] == "bad":
                    fail(errors, key, f"{label}“{start if key == 'period_start' else end}”不是日期（应为 2026-01-01）。")
                    data[key] = None
            try:
                values = clean(s, data, today, area)
            except ValidationFailed as exc:
                for messages in exc.errors.values():
                    for m in messages:
                        if m not in sum(errors.values(), []):
                            errors.setdefault("row", []).append(m)
                values = None
            if area is not None and values is not None and not errors:
                key = (area.id, values["period_start"], values["period_end"])
                if key in seen:
                    fail(errors, "row", f"与第{seen[key]}行的区域和期间重复。")
                seen[key] = number
            if errors:
                problems.append((number, "；".join(sum(errors.values(), []))))
            else:
                good.append((area, values))
        if problems:
            raise ImportRefused(problems)
        created = replaced = 0
        for area, values in good:
            row = s.scalar(sa.select(PoliceAlertCount).where(
                PoliceAlertCount.area_id == area.id, PoliceAlertCount.period_start == values["period_start"],
                PoliceAlertCount.period_end == values["period_end"]))
            if row is None:
                s.add(PoliceAlertCount(area_id=area.id, area_path=area.path, recorded_by_id=user.id,
                                       recorded_at=now, updated_at=now, **values))
                created += 1
            else:
                for name, value in values.items():
                    setattr(row, name, value)
                row.updated_at = now
                replaced += 1
        s.flush()
        audit.record(s, now, "police_alerts_imported", user.id, None, file=filename, rows=len(good),
                     created=created, replaced=replaced)
        return {"created": created, "replaced": replaced}


def alerts_in(s: Session, area_path: str, start: date, end: date) -> list[PoliceAlertCount]:
    """The counts of periods lying inside [start, end] for areas inside `area_path`, oldest first. A district-
    or street-wide count is not split among the areas below it: the rule reads the counts of its own area."""
    return list(s.scalars(sa.select(PoliceAlertCount).where(
        PoliceAlertCount.area_path.startswith(area_path), PoliceAlertCount.period_start >= start,
        PoliceAlertCount.period_end <= end).order_by(PoliceAlertCount.period_start, PoliceAlertCount.id)))
