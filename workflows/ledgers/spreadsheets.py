"""Import ledgers from XLSX/CSV with per-row validation, and export them to XLSX with Chinese headers."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Callable

import sqlalchemy as sa
from openpyxl import load_workbook
from stdnum.cn import uscc

from workflows.engine.context import ActionContext
from workflows.exceptions import PermissionDenied, WorkflowError
from workflows.idnumbers import clean_digits, id_number_problem, registration_place
from workflows.ledgers.models import THREE_STOPS_STATES, BlacklistEntry, Intermediary, RentalHouse
from workflows.ledgers.registries import check_edit
from workflows.ledgers.registries import scope as visible_scope
from workflows.ledgers.registries import upsert_house
from workflows.ledgers.upload_limits import check_upload, too_many_rows
from workflows.org.models import Area, User
from workflows.tabular import to_xlsx
from workflows.vocabulary import CLASSIFICATIONS

YES, NO = {"是", "y", "yes", "true", "1", "√"}, {"否", "n", "no", "false", "0", "", "×"}
# A blacklisted person's role (the case's classification) as the sheet writes it -> its code.
ROLE_NAMES = {name: code for code, name in CLASSIFICATIONS.items()}
THREE_STOPS_BY_NAME = {v: k for k, v in THREE_STOPS_STATES.items()}


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str = "str"  # str | bool | date | int | id_number | credit_code | address | role | three_stops
    required: bool = False
    exported_only: bool = False


SPECS: dict[str, list[Column]] = {
    "houses": [
        Column("地址", "address", "address", required=True), Column("房东姓名", "owner_name", required=True),
        Column("房东身份证号", "owner_id_number", "id_number"), Column("房东电话", "owner_phone"),
        Column("房东是否党员", "owner_party_member", "bool"), Column("房东是否公职人员", "owner_public_official", "bool"),
        Column("房屋出租承诺书签订日期", "commitment_signed_on", "date"),
        Column("治安责任保证书签订日期", "security_pledge_signed_on", "date"),
        Column("租赁备案日期", "filed_on", "date"), Column("备案编号", "filing_number"),
        Column("是否涉传", "flagged", "bool"), Column("涉传次数", "catch_count", "int"),
        Column("回流次数", "reflux_count", "int", exported_only=True),
        Column("三停一换", "three_stops_state", "three_stops"), Column("三停一换日期", "three_stops_on", "date"),
        Column("备注", "note"),
    ],
    "intermediaries": [
        Column("名称", "name", required=True), Column("统一社会信用代码", "credit_code", "credit_code", required=True),
        Column("地址", "address", "address", required=True), Column("联系人", "contact_name"),
        Column("联系电话", "contact_phone"), Column("拒绝为传销人员提供房源承诺书签订日期", "pledge_signed_on", "date"),
        Column("违规次数", "violation_count", "int", exported_only=True), Column("备注", "note"),
    ],
    "blacklist": [
        Column("身份证号", "id_number", "id_number", required=True), Column("姓名", "name", required=True),
        Column("户籍地", "registration_place"), Column("角色", "last_role", "role"),
        Column("手机号", "phones"), Column("手机集团号", "group_numbers"), Column("银行卡号", "bank_cards"),
        Column("涉传次数", "catch_count", "int"), Column("首次查获日期", "first_caught_at", "date"),
        Column("最近查获日期", "last_caught_at", "date"),
    ],
}
KEYS = {"houses": "address", "intermediaries": "credit_code", "blacklist": "id_number"}
REGISTRY_NAMES = {"houses": "出租屋台账", "intermediaries": "房屋中介台账", "blacklist": "黑名单"}


@dataclass
class RowError:
    line: int  # the line (row) number as the user sees it in Excel, header = line 1
    column: str
    message: str

    def __str__(self):
        return f"第{self.line}行 {self.column}：{self.message}"


@dataclass
class ImportReport:
    total: int = 0
    valid: int = 0
    imported: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def committed(self) -> bool:
        return self.imported > 0


# ---------------------------------------------------------------- reading
def read_table(filename: str, content: bytes, max_rows: int | None = None) -> list[tuple[int, dict]]:
    """(line number, {header: text}) for each non-empty data row of an .xlsx or .csv file; rows are read one
    at a time and reading stops, refusing the file, past `max_rows` data rows."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises zipfile, KeyError and its own errors for damaged files
            raise WorkflowError(f"无法读取 Excel 文件：{exc}") from None
        try:
            return _rows_of(wb.worksheets[0].iter_rows(values_only=True), max_rows)
        finally:
            wb.close()
    if name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):  # Excel on Chinese Windows saves CSV as GBK
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise WorkflowError("CSV 文件编码无法识别，请另存为 UTF-8。")
        return _rows_of(csv.reader(io.StringIO(text)), max_rows)
    raise WorkflowError("只支持 .xlsx 或 .csv 文件。")


def _rows_of(rows, max_rows: int | None) -> list[tuple[int, dict]]:
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        raise WorkflowError("文件是空的。")
    headers = [str(h).strip() if h is not None else "" for h in first]
    out = []
    for number, row in enumerate(rows, start=2):
        if max_rows is not None and number - 1 > max_rows:
            raise too_many_rows(max_rows, max_rows)
        if row is None or all(v is None or str(v).strip() == "" for v in row):
            continue
        out.append((number, {h: row[i] if i < len(row) else None for i, h in enumerate(headers) if h}))
    return out


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores long digit strings typed as numbers as floats
    return str(value).strip()


def _convert(col: Column, value, areas: dict):
    """(value, error message or None) for one cell."""
    if isinstance(value, datetime) and col.kind == "date":
        return value.date(), None
    if isinstance(value, date) and col.kind == "date":
        return value, None
    text = _text(value)
    if not text:
        return (None, "必填") if col.required else ({"bool": False, "int": 0, "date": None,
                                                  "three_stops": "none"}.get(col.kind, ""), None)
    if col.kind == "bool":
        low = text.lower()
        return (True, None) if low in YES else (False, None) if low in NO else (None, "应填“是”或“否”")
    if col.kind == "int":
        # ASCII digits only ("²" passes isdigit), and small enough for the database's integer column.
        small = text.isascii() and text.isdigit() and len(text) <= 9
        return (int(text), None) if small else (None, "应为非负整数")
    if col.kind == "date":
        for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
            try:
                return datetime.strptime(text, fmt).date(), None
            except ValueError:
                continue
        return None, "日期格式应为 2026-11-23"
    if col.kind == "id_number":
        problem = id_number_problem(text)
        return (None, problem) if problem else (clean_digits(text).upper(), None)
    if col.kind == "credit_code":
        try:
            return uscc.validate(text), None
        except Exception:  # same family of stdnum errors
            return None, "统一社会信用代码校验不通过"
    if col.kind == "address":
        return (text, None) if text in areas else (None, f"地址“{text}”不在标准地址库中")
    if col.kind == "role":
        return (ROLE_NAMES[text], None) if text in ROLE_NAMES else (None, "应为：" + "、".join(ROLE_NAMES))
    if col.kind == "three_stops":
        return ((THREE_STOPS_BY_NAME[text], None) if text in THREE_STOPS_BY_NAME
                else (None, "应为：" + "、".join(THREE_STOPS_BY_NAME)))
    return text, None


def validate_rows(registry: str, rows: list[tuple[int, dict]], areas: dict, scope: str,
                  progress: Callable[[int, int], None] | None = None) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """Check every row; returns the good rows (as field dicts) and every error with its line number."""
    spec = [c for c in SPECS[registry] if not c.exported_only]
    key = KEYS[registry]
    good, errors, seen = [], [], {}
    if rows:
        missing = [c.header for c in spec if c.required and c.header not in rows[0][1]]
        if missing:
            raise WorkflowError("缺少必需的列：" + "、".join(missing))
    for done, (line, raw) in enumerate(rows, start=1):
        values, row_errors = {}, []
        for col in spec:
            value, problem = _convert(col, raw.get(col.header), areas)
            if problem:
                row_errors.append(RowError(line, col.header, problem))
            values[col.field] = value
        if "address" in values and values["address"] and not areas[values["address"]][1].startswith(scope):
            row_errors.append(RowError(line, "地址", "该地址不在您的辖区内"))
        if not row_errors:
            if values[key] in seen:
                row_errors.append(RowError(line, next(c.header for c in spec if c.field == key),
                                           f"与第{seen[values[key]]}行重复"))
            else:
                seen[values[key]] = line
        errors += row_errors
        if not row_errors:
            good.append((line, values))
        if progress and (done % 200 == 0 or done == len(rows)):
            progress(done, len(rows))
    return good, errors


# ---------------------------------------------------------------- importing
@dataclass
class CheckedFile:
    """A file read and checked row by row: its report so far, its good rows in file order, the address index."""
    report: ImportReport
    good: list[tuple[int, dict]]
    areas: dict


def check_file(services, actor_id: int, registry: str, filename: str, content: bytes,
               progress: Callable[[int, int], None] | None = None) -> CheckedFile:
    """Read and check every row of a file (nothing is written); the same file always gives the same good rows."""
    if registry not in SPECS:
        raise WorkflowError(f"没有名为 {registry} 的台账。")
    check_upload(filename, content, services.settings)
    rows = read_table(filename, content, services.settings.import_max_rows)
    with services.db.read() as s:
        user = s.get(User, actor_id)
        if user is None or not user.active:
            raise PermissionDenied("请先登录。")
        if registry == "blacklist" and not (user.role_set & {"police", "market", "admin"}):
            raise PermissionDenied("只有公安、市场监管或管理员可以导入黑名单。")
        scope = visible_scope(user)
        areas = {name: (aid, path) for aid, name, path in s.execute(sa.select(Area.id, Area.full_name, Area.path))}
    good, errors = validate_rows(registry, rows, areas, scope, progress)
    return CheckedFile(ImportReport(total=len(rows), valid=len(good), errors=errors), good, areas)


def import_rows(ctx: ActionContext, registry: str, rows: list[tuple[int, dict]], areas: dict) -> None:
    """Write checked rows in the action's transaction (a whole file, or one chunk of a background import)."""
    user = ctx.session.get(User, ctx.actor_id)
    for _line, values in rows:
        _IMPORTERS[registry](ctx, user, dict(values), areas)
    ctx.session.flush()


def import_file(services, actor_id: int, registry: str, filename: str, content: bytes,
                import_good_rows: bool = False, progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Validate a whole file; import all of it in one transaction, or nothing when any row is bad
    unless the user chose to import the good rows."""
    checked = check_file(services, actor_id, registry, filename, content, progress)
    report = checked.report
    if report.errors and not import_good_rows:
        return report
    with services.db.unit_of_work() as s:
        import_rows(services.workflow.context(s, actor_id), registry, checked.good, checked.areas)
    report.imported = len(checked.good)
    return report


def _import_house(ctx, user, values, areas):
    s = ctx.session
    area = s.get(Area, areas[values.pop("address")][0])
    check_edit(user, area.path)
    existing = s.scalar(sa.select(RentalHouse.catch_count).where(RentalHouse.area_id == area.id)) or 0
    # Historical catches may be imported, but a file never lowers what the system has counted itself.
    values["catch_count"] = max(values["catch_count"] or 0, existing)
    # An import can flag a house (starting its patrol) but never lifts a flag: that is the patrol's own step.
    flagged = values.pop("flagged") or None
    upsert_house(ctx, area, dict(values, flagged=flagged))


def _import_intermediary(ctx, user, values, areas):
    s = ctx.session
    area_id, path = areas[values.pop("address")]
    area = s.get(Area, area_id)
    check_edit(user, path)
    agency = s.scalar(sa.select(Intermediary).where(Intermediary.credit_code == values["credit_code"]))
    if agency is None:
        agency = Intermediary(credit_code=values["credit_code"], violation_count=0)
        s.add(agency)
    agency.area_id, agency.area_path, agency.address = area.id, area.path, area.full_name
    for key in ("name", "contact_name", "contact_phone", "pledge_signed_on", "note"):
        setattr(agency, key, values[key])
    agency.updated_at = ctx.now


def _import_blacklist(ctx, user, values, areas):
    s = ctx.session
    now = ctx.now
    entry = s.scalar(sa.select(BlacklistEntry).where(BlacklistEntry.id_number == values["id_number"]))
    if entry is None:
        entry = BlacklistEntry(id_number=values["id_number"], first_caught_at=now, last_caught_at=now)
        s.add(entry)
    entry.name = values["name"]
    entry.registration_place = values["registration_place"] or registration_place(values["id_number"])
    entry.last_role = values["last_role"] or ""
    entry.phones, entry.group_numbers, entry.bank_cards = values["phones"], values["group_numbers"], values["bank_cards"]
    entry.catch_count = max(values["catch_count"] or 1, 1)
    for key in ("first_caught_at", "last_caught_at"):
        if values[key]:
            setattr(entry, key, datetime.combine(values[key], datetime.min.time()))


_IMPORTERS = {"houses": _import_house, "intermediaries": _import_intermediary, "blacklist": _import_blacklist}


# ---------------------------------------------------------------- exporting
def _cell(col: Column, value):
    if col.kind == "bool":
        return "是" if value else "否"
    if col.kind == "role":
        return CLASSIFICATIONS.get(value, value or "")
    if col.kind == "three_stops":
        return THREE_STOPS_STATES.get(value, value or "")
    if isinstance(value, datetime) and col.kind == "date":
        return value.date()
    return value


def export_registry(services, viewer_id: int, registry: str) -> bytes:
    """The whole registry inside the viewer's area as XLSX; the same columns the import reads back."""
    from workflows.ledgers import registries
    spec = SPECS[registry]
    with services.db.read() as s:
        user = s.get(User, viewer_id)
        if user is None or not user.active:
            raise PermissionDenied("请先登录。")
        if registry == "blacklist":
            items = registries.list_blacklist(services, viewer_id, limit=None)
        else:
            model = RentalHouse if registry == "houses" else Intermediary
            items = list(s.scalars(sa.select(model).where(model.area_path.startswith(visible_scope(user)))
                                   .order_by(model.address)))
    rows = [[_cell(c, getattr(item, c.field)) for c in spec] for item in items]
    return to_xlsx(REGISTRY_NAMES[registry], [c.header for c in spec], rows)


def export_complaint_ledger(services, viewer_id: int, since=None, until=None) -> bytes:
    """The complaint ledger as XLSX (no complainant identities)."""
    from workflows.complaints.service import LEDGER_HEADERS, ledger
    rows = ledger(services, viewer_id, since, until)
    return to_xlsx("举报受理台账", LEDGER_HEADERS, [[r[h] for h in LEDGER_HEADERS] for r in rows])
