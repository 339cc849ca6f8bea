"""What every office record kind shares: its description (`RecordKind`), and the one service that records,
changes, lists and reads any kind, scoped by the one access rule and audited.

A kind's own module says what its fields are and checks them (`clean`); this module finds the area, checks
who may see and change it, writes in one unit of work and records the change in the audit log.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows import audit
from workflows.audit.models import AuditEvent
from workflows.clock import office_date
from workflows.engine.models import ProcessInstance
from workflows.exceptions import NotFound, ValidationFailed
from workflows.org import access, areas
from workflows.org.models import AREA_KIND_NAMES, Area, User

# Who keeps the office's records: the district office and street leaders (supervisors), the three departments
# of the 241 task force, and the administrator; a kind may widen it (publicity is done by communities too).
RECORD_ROLES = frozenset({"supervisor", "market", "police", "housing", "admin"})
CREATED, UPDATED = "office_record_created", "office_record_updated"


@dataclass(frozen=True)
class RecordKind:
    """One kind of office record: its table, its Chinese name, who keeps it, where it may sit, its checks."""

    key: str                          # the URL and audit name: "publicity", "letters", ...
    model: type
    title: str                        # Chinese: 宣传活动
    clean: Callable[[Session, dict, date, Area | None], dict]   # raises ValidationFailed; returns column values
    date_column: str                  # the day lists sort and filter by year on
    area_kinds: tuple[str, ...] = ("district", "street", "community", "compound", "building")
    roles: frozenset = RECORD_ROLES
    label: Callable[[object], str] = field(default=lambda row: f"#{row.id}")
    # Checks that need the area and the other rows (a period counted twice); returns {field: [messages]}.
    check: Callable[[Session, Area, dict, int | None], dict] | None = None


def fail(errors: dict[str, list[str]], name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def text(data: dict, name: str, errors: dict, label: str, max_len: int, required: bool = True) -> str:
    value = (data.get(name) or "").strip()
    if required and not value:
        fail(errors, name, f"请填写{label}。")
    elif len(value) > max_len:
        fail(errors, name, f"{label}不超过{max_len}个字。")
    return value


def day(data: dict, name: str, errors: dict, label: str, today: date, required: bool = True,
        not_future: bool = False) -> date | None:
    value = data.get(name)
    if value is None or value == "":
        if required:
            fail(errors, name, f"请填写{label}。")
        return None
    if not isinstance(value, date):
        fail(errors, name, f"{label}不是有效的日期。")
        return None
    if not_future and value > today:
        fail(errors, name, f"{label}不能晚于今天（{today.isoformat()}）。")
    return value


def count(data: dict, name: str, errors: dict, label: str, low: int = 0, high: int = 1_000_000) -> int | None:
    value = data.get(name)
    if value is None or value == "":
        fail(errors, name, f"请填写{label}。")
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        fail(errors, name, f"{label}应为 {low}–{high} 之间的整数。")
        return None
    return value


def choice(data: dict, name: str, errors: dict, label: str, options: dict) -> str:
    value = data.get(name) or ""
    if value not in options:
        fail(errors, name, f"请选择{label}：" + "、".join(options.values()))
    return value


def case_in_area(s: Session, data: dict, name: str, errors: dict, label: str, area: Area | None,
                 above: bool = False) -> int | None:
    """The process instance whose reference is typed in `name` (optional), if it lies in the record's `area` (or,
    with `above`, in an area the record's area lies in); its id, or None with an error when there is none."""
    reference = (data.get(name) or "").strip()
    if not reference:
        return None
    inst = s.scalar(sa.select(ProcessInstance).where(ProcessInstance.reference == reference))
    if inst is None or (area is not None and not inst.area_path.startswith(area.path)
                        and not (above and area.path.startswith(inst.area_path))):
        fail(errors, name, f"找不到该{label}，或该案件不在登记的区域内。")
        return None
    return inst.id


def file_meta(value) -> dict | None:
    """An uploaded file's metadata as webapp.uploads.store returns it, or None."""
    if not value:
        return None
    if not isinstance(value, dict) or not {"sha256", "name", "content_type", "size"} <= set(value):
        raise ValidationFailed({"file": ["上传的文件信息不完整，请重新上传。"]})
    return {k: value[k] for k in ("sha256", "name", "content_type", "size")}


# ---------------------------------------------------------------- access
def scope(user: User, kind: RecordKind) -> str:
    return access.visible_prefix(user, kind.title)


def visible(s: Session, user: User, kind: RecordKind, record_id: int):
    """The record, or NotFound when it does not exist or lies outside the viewer's area (never says which)."""
    scope(user, kind)
    row = s.get(kind.model, record_id)
    if row is None or not access.sees(user, row.area_path):
        raise NotFound(f"{kind.title}记录 {record_id} 不存在或不在您的辖区内。")
    return row


def place(s: Session, kind: RecordKind, address: str, errors: dict) -> Area | None:
    area = areas.area_by_address(s, (address or "").strip())
    if area is None:
        fail(errors, "address", "找不到这个标准地址，请从提示中选择。")
    elif area.kind not in kind.area_kinds:
        fail(errors, "address", f"{kind.title}应登记到" + "、".join(AREA_KIND_NAMES[k] for k in kind.area_kinds) + "。")
        return None
    return area


def _audit_value(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float, str, bool, list, dict)) or value is None:
        return value
    return str(value)


# ---------------------------------------------------------------- writing
def save(services, actor_id: int, kind: RecordKind, address: str, data: dict, record_id: int | None = None) -> int:
    """Record a new row of `kind` (or change row `record_id`) at the area of `address`; one unit of work,
    audited with every field. Bad input raises ValidationFailed with every field's problem at once."""
    with services.db.unit_of_work() as s:
        user = access.active_user(s, actor_id)
        row = visible(s, user, kind, record_id) if record_id is not None else None
        if row is not None:
            # Changing a record needs the right to change it where it is now, not only where it goes.
            access.check_edit(user, row.area_path, kind.roles, f"您无权修改{kind.title}记录。", kind.title)
        now = services.workflow.now()
        errors: dict[str, list[str]] = {}
        area = place(s, kind, address, errors)
        try:
            values = kind.clean(s, data, office_date(now), area)
        except ValidationFailed as exc:
            for name, messages in exc.errors.items():
                errors.setdefault(name, []).extend(messages)
            values = {}
        if area is not None and not errors and kind.check is not None:
            for name, messages in kind.check(s, area, values, record_id).items():
                errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationFailed(errors)
        access.check_edit(user, area.path, kind.roles, f"您无权登记{kind.title}。", kind.title)
        if row is None:
            row = kind.model(area_id=area.id, area_path=area.path, recorded_by_id=user.id, recorded_at=now,
                             updated_at=now, **values)
            s.add(row)
            changed = {name: _audit_value(v) for name, v in values.items()}
        else:
            changed = {name: _audit_value(v) for name, v in values.items() if getattr(row, name) != v}
            if row.area_id != area.id:
                changed["area"] = area.full_name
            for name, value in values.items():
                setattr(row, name, value)
            row.area_id, row.area_path, row.updated_at = area.id, area.path, now
        s.flush()
        audit.record(s, now, UPDATED if record_id is not None else CREATED, user.id, None,
                     record=kind.key, record_id=row.id, area=area.full_name, fields=changed)
        return row.id


# ---------------------------------------------------------------- reading
def list_rows(services, viewer_id: int, kind: RecordKind, year: int | None = None, limit: int = 500) -> list[dict]:
    """The viewer's records of `kind`, newest first, with their area's name."""
    with services.db.read() as s:
        user = access.active_user(s, viewer_id)
        column = getattr(kind.model, kind.date_column)
        query = (sa.select(kind.model, Area.full_name).join(Area, Area.id == kind.model.area_id)
                 .where(access.visible_clause(kind.model.area_path, user)))
        scope(user, kind)
        if year:
            query = query.where(column >= date(year, 1, 1), column < date(year + 1, 1, 1))
        rows = s.execute(query.order_by(column.desc(), kind.model.id.desc()).limit(limit)).all()
        s.expunge_all()
        return [{"row": row, "area": name} for row, name in rows]


def get(services, viewer_id: int, kind: RecordKind, record_id: int) -> dict:
    """One record with its area and its history (who recorded and changed what, when)."""
    with services.db.read() as s:
        user = access.active_user(s, viewer_id)
        row = visible(s, user, kind, record_id)
        area = s.get(Area, row.area_id)
        events = s.execute(
            sa.select(AuditEvent.at, AuditEvent.kind, AuditEvent.details, User.display_name)
            .outerjoin(User, User.id == AuditEvent.actor_id)
            .where(AuditEvent.kind.in_((CREATED, UPDATED)),
                   AuditEvent.details["record"].as_string() == kind.key,
                   AuditEvent.details["record_id"].as_integer() == row.id)
            .order_by(AuditEvent.id)).all()
        s.expunge_all()
        return {"row": row, "area": area.full_name if area else "", "address": area.full_name if area else "",
                "history": [{"at": at, "created": k == CREATED, "fields": (d or {}).get("fields", {}), "by": who}
                            for at, k, d, who in events]}
