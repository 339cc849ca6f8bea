"""Concentrated sweeps (集中清查行动): plan one for an area and a day, record the houses checked one by one,
open a six-step case (already past its sweep step) for each suspicious house, and count sweeps for the
assessment: every month in key areas, every quarter elsewhere (seed 000, 二(六) and Annex 3)."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows import audit
from workflows.engine.context import ActionContext
from workflows.engine.models import ProcessInstance
from workflows.exceptions import NotFound, ValidationFailed, WorkflowError
from workflows.org import access, areas
from workflows.org.models import Area, User
from workflows.sweeps.models import Sweep, SweepCheck
from workflows.vocabulary import HOUSE_TYPES, SWEEP_FLAGS, SweepStatus

CASE_PROCESS = "six_step_case"
# Who may plan a sweep and record what it found; everyone with an area may read the sweeps inside it.
SWEEP_ROLES = {"grid", "police", "market", "housing", "supervisor", "admin"}
STATUS_NAMES = {SweepStatus.PLANNED: "进行中", SweepStatus.DONE: "已完成"}
CASE_SOURCE = "集中清查行动"


# ---------------------------------------------------------------- access
def _user(s: Session, user_id: int) -> User:
    return access.active_user(s, user_id)


def _scope(user: User) -> str:
    return access.visible_prefix(user, "集中清查行动")


def _check_edit(user: User, area_path: str) -> None:
    access.check_edit(user, area_path, SWEEP_ROLES, "您无权组织或登记集中清查行动。", "集中清查行动")


def _visible_sweep(s: Session, user: User, sweep_id: int) -> Sweep:
    _scope(user)  # a user without an area is told so, rather than shown "not found"
    sweep = s.get(Sweep, sweep_id)
    if sweep is None or not access.sees(user, sweep.area_path):
        raise NotFound(f"集中清查行动 {sweep_id} 不存在或不在您的辖区内。")
    return sweep


def is_key_area(s: Session, area: Area) -> bool:
    """An area lies in a key area when it or any area above it is marked key (重点区域)."""
    ids = [int(p) for p in area.path.strip("/").split("/") if p.isdigit()]
    return bool(s.scalar(sa.select(sa.func.count()).select_from(Area)
                         .where(Area.id.in_(ids), Area.is_key_area.is_(True))))


# ---------------------------------------------------------------- planning and recording
def plan_sweep(services, actor_id: int, address: str, planned_on: date | None, title: str, note: str = "") -> int:
    """Plan a concentrated sweep of an area (street, community, compound or building) on a day."""
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = ["请填写行动名称。"]
    elif len(title) > 200:
        errors["title"] = ["行动名称不超过200个字。"]
    if not isinstance(planned_on, date):
        errors["planned_on"] = ["请填写清查日期。"]
    if len(note or "") > 500:
        errors["note"] = ["说明不超过500个字。"]
    with services.db.unit_of_work() as s:
        user = _user(s, actor_id)
        area = areas.area_by_address(s, address)
        if area is None:
            errors["address"] = ["找不到这个标准地址，请从提示中选择。"]
        elif area.kind in ("unit", "room"):
            errors["address"] = ["集中清查的范围应为街道、社区、小区或楼栋；单户请直接登记六步工作法案件。"]
        if errors:
            raise ValidationFailed(errors)
        _check_edit(user, area.path)
        now = services.workflow.now()
        sweep = Sweep(title=title, area_id=area.id, area_path=area.path, key_area=is_key_area(s, area),
                      planned_on=planned_on, status=SweepStatus.PLANNED, note=(note or "").strip(),
                      planned_by_id=user.id, planned_at=now, summary="")
        s.add(sweep)
        s.flush()
        audit.record(s, now, "sweep_planned", actor_id, None, sweep_id=sweep.id, title=title, area=area.full_name,
                     planned_on=planned_on.isoformat())
        return sweep.id


def record_check(services, actor_id: int, sweep_id: int, address: str, *, house_type: str, suspicious: bool,
                 occupants: int | None = 0, flags=(), note: str = "", checked_on: date | None = None) -> dict:
    """Record one house checked in a sweep; a suspicious house gets a six-step case at its entry step.

    Returns {check_id, case_id, case_reference} (the case keys are None when nothing was suspicious).
    """
    flags = list(flags or [])
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if house_type not in HOUSE_TYPES:
        errors["house_type"] = ["请选择房屋类别。"]
    if not isinstance(suspicious, bool):
        errors["suspicious"] = ["请选择是否可疑。"]
    if occupants is not None and (isinstance(occupants, bool) or not isinstance(occupants, int)
                                  or not 0 <= occupants <= 200):
        errors["occupants"] = ["居住人数应在 0–200 之间。"]
    if any(f not in SWEEP_FLAGS for f in flags):
        errors["flags"] = ["可疑情况应为：" + "、".join(SWEEP_FLAGS.values())]
    if suspicious is True and not note:
        errors["note"] = ["认定可疑时请写明情况说明，供入户民警参考。"]
    if len(note) > 1000:
        errors["note"] = ["情况说明不超过1000个字。"]
    with services.db.unit_of_work() as s, s.no_autoflush:
        user = _user(s, actor_id)
        sweep = _visible_sweep(s, user, sweep_id)
        _check_edit(user, sweep.area_path)
        if sweep.status != SweepStatus.PLANNED:
            raise WorkflowError("该集中清查行动已完成，不能再登记。")
        area = areas.area_by_address(s, address)
        if area is None:
            errors["address"] = ["找不到这个标准地址，请从提示中选择。"]
        elif not area.path.startswith(sweep.area_path) or area.id == sweep.area_id:
            errors["address"] = ["该房屋不在本次清查范围内。"]
        elif s.scalar(sa.select(SweepCheck.id).where(SweepCheck.sweep_id == sweep.id,
                                                     SweepCheck.area_id == area.id)) is not None:
            errors["address"] = ["本次清查已登记过这户。"]
        if errors:
            raise ValidationFailed(errors)
        now = services.workflow.now()
        day = checked_on or sweep.planned_on
        check = SweepCheck(sweep_id=sweep.id, area_id=area.id, area_path=area.path, address=area.full_name,
                           checked_on=day, house_type=house_type, occupants=occupants or 0, flags=flags,
                           suspicious=suspicious, note=note, recorded_by_id=user.id, recorded_at=now)
        s.add(check)
        s.flush()
        case = None
        if suspicious:
            case = _open_case_past_sweep(services.workflow.context(s, user.id), area, sweep, {
                "suspicious": True, "house_type": house_type, "swept_on": day.isoformat(),
                "occupants": occupants, "sweep_flags": flags, "sweep_note": note})
            check.case_instance_id = case.id
        audit.record(s, now, "sweep_checked", actor_id, case.id if case else None, sweep_id=sweep.id,
                     address=area.full_name, suspicious=suspicious)
        s.flush()
        return {"check_id": check.id, "case_id": case.id if case else None,
                "case_reference": case.reference if case else None}


def _open_case_past_sweep(ctx: ActionContext, area: Area, sweep: Sweep, sweep_data: dict) -> ProcessInstance:
    """Start a six-step case and complete its 摸排 step with what the sweep found, in the caller's transaction.

    The officer who recorded the house completes the step (it is audited as theirs), whatever their role:
    the sweep team did the 摸排 together, so the case goes straight on to the police's 入户.
    """
    started = ctx.engine.start_within(ctx, CASE_PROCESS, {
        "source": CASE_SOURCE, "sweep_id": sweep.id, "sweep_title": sweep.title,
    }, area.id, f"集中清查发现可疑：{area.full_name}", None, ctx.actor_id)
    task = next((t for t in started.ready if t.name == "sweep"), None)
    if task is None:
        raise WorkflowError("六步工作法流程当前版本没有“摸排”环节，无法登记清查结果。")
    ctx.engine.complete_within(ctx, task.id, sweep_data, ctx.actor_id)
    return started.instance


def finish_sweep(services, actor_id: int, sweep_id: int, summary: str = "") -> None:
    """Close a sweep: it then counts for the assessment and takes no more checks."""
    if len(summary or "") > 1000:
        raise ValidationFailed({"summary": ["总结不超过1000个字。"]})
    with services.db.unit_of_work() as s:
        user = _user(s, actor_id)
        sweep = _visible_sweep(s, user, sweep_id)
        _check_edit(user, sweep.area_path)
        if sweep.status == SweepStatus.DONE:
            raise WorkflowError("该集中清查行动已经完成。")
        now = services.workflow.now()
        sweep.status, sweep.finished_at, sweep.finished_by_id = SweepStatus.DONE, now, user.id
        sweep.summary = (summary or "").strip()
        audit.record(s, now, "sweep_finished", actor_id, None, sweep_id=sweep.id)


# ---------------------------------------------------------------- reading
def list_sweeps(services, viewer_id: int, year: int | None = None, limit: int = 200, offset: int = 0) -> list[dict]:
    """Sweeps inside the viewer's area, newest first, with their area and counts of checks and cases."""
    with services.db.read() as s:
        user = _user(s, viewer_id)
        checks = (sa.select(SweepCheck.sweep_id, sa.func.count().label("n"),
                            sa.func.count(SweepCheck.case_instance_id).label("cases"))
                  .group_by(SweepCheck.sweep_id).subquery())
        query = (sa.select(Sweep, Area.full_name, checks.c.n, checks.c.cases)
                 .join(Area, Area.id == Sweep.area_id)
                 .outerjoin(checks, checks.c.sweep_id == Sweep.id)
                 .where(Sweep.area_path.startswith(_scope(user))))
        if year:
            query = query.where(Sweep.planned_on >= date(year, 1, 1), Sweep.planned_on < date(year + 1, 1, 1))
        rows = s.execute(query.order_by(Sweep.planned_on.desc(), Sweep.id.desc()).limit(limit).offset(offset)).all()
        return [{"sweep": sw, "area": name, "checks": n or 0, "cases": cases or 0} for sw, name, n, cases in rows]


def get_sweep(services, viewer_id: int, sweep_id: int) -> dict:
    """One sweep with its checks (and the case each suspicious house opened); 404 outside the viewer's area."""
    with services.db.read() as s:
        user = _user(s, viewer_id)
        sweep = _visible_sweep(s, user, sweep_id)
        area = s.get(Area, sweep.area_id)
        rows = s.execute(sa.select(SweepCheck, ProcessInstance.reference, User.display_name)
                         .outerjoin(ProcessInstance, ProcessInstance.id == SweepCheck.case_instance_id)
                         .join(User, User.id == SweepCheck.recorded_by_id)
                         .where(SweepCheck.sweep_id == sweep.id).order_by(SweepCheck.id)).all()
        names = dict(s.execute(sa.select(User.id, User.display_name).where(
            User.id.in_([i for i in (sweep.planned_by_id, sweep.finished_by_id) if i]))).all())
        return {"sweep": sweep, "area": area.full_name if area else "",
                "planned_by": names.get(sweep.planned_by_id, ""), "finished_by": names.get(sweep.finished_by_id, ""),
                "checks": [{"check": c, "case_reference": ref, "recorded_by": who} for c, ref, who in rows]}


def _periods(year: int, key: bool) -> list[tuple[str, date, date]]:
    """(label, first day, day after) of each month (key areas) or quarter (elsewhere) of a year."""
    if key:
        return [(f"{m}月", date(year, m, 1), date(year + (m == 12), m % 12 + 1, 1)) for m in range(1, 13)]
    return [(f"第{q}季度", date(year, 3 * q - 2, 1), date(year + (q == 4), (3 * q) % 12 + 1, 1)) for q in range(1, 5)]


def sweep_counts(services, year: int, viewer_id: int | None = None, today: date | None = None) -> list[dict]:
    """For the assessment (Annex 3): finished sweeps per street, per month in key areas and per quarter elsewhere.

    Each row: {area_id, name, key_area, period ("month" | "quarter"), counts [(label, n)], missing [labels of
    periods already begun with no sweep]}. A sweep counts for every street that contains its area.
    """
    today = today or services.workflow.now().date()
    with services.db.read() as s:
        scope = "/"
        if viewer_id is not None:
            scope = _scope(_user(s, viewer_id))
        streets = [a for a in s.scalars(sa.select(Area).where(Area.kind == "street").order_by(Area.path))
                   if a.path.startswith(scope) or scope.startswith(a.path)]
        done = s.execute(sa.select(Sweep.area_path, Sweep.planned_on).where(
            Sweep.status == SweepStatus.DONE, Sweep.planned_on >= date(year, 1, 1),
            Sweep.planned_on < date(year + 1, 1, 1))).all()
        out = []
        for street in streets:
            key = is_key_area(s, street)
            days = [d for path, d in done if path.startswith(street.path)]
            counts, missing = [], []
            for label, start, end in _periods(year, key):
                n = sum(1 for d in days if start <= d < end)
                counts.append((label, n))
                if n == 0 and start <= today:
                    missing.append(label)
            out.append({"area_id": street.id, "name": street.full_name, "key_area": key,
                        "period": "month" if key else "quarter", "counts": counts, "missing": missing,
                        "total": len(days)})
        return out
