"""Checklist items this system's own records can score: each source answers (share met, records behind it), or
no data (the item then does not score, rather than scoring nothing)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows.cases.models import CasePerson
from workflows.clock import OFFICE_UTC_OFFSET
from workflows.complaints.models import Complaint
from workflows.engine.models import HumanTask, ProcessInstance
from workflows.ledgers.models import RentalHouse
from workflows.org.models import Area, FiveContractAssignment
from workflows.pyramid_free.models import Naming, Platform, PlatformReport
from workflows.vocabulary import TaskState

CASE_PROCESS = "six_step_case"


@dataclass
class Measure:
    """What the records say about one item: the share met (None: no data) and the records behind it."""

    share: float | None
    records: list[str] = field(default_factory=list)
    summary: str = ""


def quarter_of(at: datetime) -> str:
    """The quarter of a moment at the office (UTC+8), e.g. 2026Q4."""
    local = at + OFFICE_UTC_OFFSET
    return f"{local.year}Q{(local.month - 1) // 3 + 1}"


def _inside(column, naming: Naming):
    return column.startswith(naming.area_path)


def _late_instances(session: Session, instance_ids: list[int], now: datetime, task_name: str | None = None) -> set:
    """Instances with a step done after its due time, or still open past it."""
    if not instance_ids:
        return set()
    query = sa.select(HumanTask.instance_id).where(
        HumanTask.instance_id.in_(instance_ids), HumanTask.due_at.is_not(None),
        sa.or_(sa.and_(HumanTask.state == TaskState.READY, HumanTask.due_at < now),
               sa.and_(HumanTask.state == TaskState.COMPLETED, HumanTask.completed_at > HumanTask.due_at)))
    if task_name:
        query = query.where(HumanTask.task_name == task_name)
    return set(session.scalars(query))


def rental_filings(session: Session, naming: Naming, now: datetime, opts: dict) -> Measure:
    houses = session.scalars(sa.select(RentalHouse).where(_inside(RentalHouse.area_path, naming))
                             .order_by(RentalHouse.address)).all()
    if not houses:
        return Measure(None, [], "辖区内没有出租房屋台账记录")
    complete = [h for h in houses if h.two_letters_one_filing]
    records = [f"{h.address}：{'两书一备案齐全' if h.two_letters_one_filing else '两书一备案不全'}" for h in houses]
    return Measure(len(complete) / len(houses), records, f"{len(complete)}/{len(houses)} 户齐全")


def flagged_patrols(session: Session, naming: Naming, now: datetime, opts: dict) -> Measure:
    houses = session.scalars(sa.select(RentalHouse).where(_inside(RentalHouse.area_path, naming),
                                                          RentalHouse.flagged.is_(True))).all()
    if not houses:
        return Measure(None, [], "辖区内没有涉传重点房屋")
    late = _late_instances(session, [h.patrol_instance_id for h in houses if h.patrol_instance_id], now, "patrol")
    on_time = [h for h in houses if h.patrol_instance_id not in late]
    records = [f"{h.address}：{'按期巡查' if h in on_time else '巡查逾期'}" for h in houses]
    return Measure(len(on_time) / len(houses), records, f"{len(on_time)}/{len(houses)} 户按期巡查")


def five_contracts(session: Session, naming: Naming, now: datetime, opts: dict) -> Measure:
    levels = {"building": 2, "unit": 1}
    areas = session.scalars(sa.select(Area).where(_inside(Area.path, naming), Area.kind.in_(levels))
                            .order_by(Area.path)).all()
    if not areas:
        return Measure(None, [], "该社区在标准地址库中没有楼栋、单元")
    held = set(session.execute(sa.select(FiveContractAssignment.area_id, FiveContractAssignment.level).where(
        FiveContractAssignment.area_id.in_([a.id for a in areas]))).all())
    missing = [a for a in areas if (a.id, levels[a.kind]) not in held]
    records = [f"{a.full_name}：{'未落实包保责任人' if a in missing else '已落实包保责任人'}" for a in areas]
    return Measure((len(areas) - len(missing)) / len(areas), records,
                   f"{len(areas) - len(missing)}/{len(areas)} 个楼栋、单元已落实")


def complaints_in_time(session: Session, naming: Naming, now: datetime, opts: dict) -> Measure:
    rows = session.execute(sa.select(Complaint.reference, Complaint.instance_id).where(
        _inside(Complaint.area_path, naming), Complaint.instance_id.is_not(None))).all()
    if not rows:
        return Measure(None, [], "辖区内没有涉传举报记录")
    late = _late_instances(session, [r.instance_id for r in rows], now)
    records = [f"举报 {r.reference}：{'超时' if r.instance_id in late else '按时'}" for r in rows]
    return Measure((len(rows) - len(late)) / len(rows), records, f"{len(rows) - len(late)}/{len(rows)} 件按时办结")


def no_den(session: Session, naming: Naming, now: datetime, opts: dict) -> Measure:
    since = now - timedelta(days=int(opts["den_lookback_days"]))
    dens = session.execute(sa.select(ProcessInstance.reference, ProcessInstance.title).where(
        ProcessInstance.process_id == CASE_PROCESS, _inside(ProcessInstance.area_path, naming),
        ProcessInstance.created_at >= since,
        sa.exists().where(CasePerson.instance_id == ProcessInstance.id))).all()
    reflux = session.scalars(sa.select(RentalHouse.address).where(
        _inside(RentalHouse.area_path, naming), RentalHouse.last_reflux_at >= since)).all()
    records = [f"传销窝点案件 {r.reference} {r.title}" for r in dens] + [f"回流：{a}" for a in reflux]
    return Measure(0.0 if records else 1.0, records, "未发现" if not records else f"发现 {len(records)} 起")


def publicity_activities(session: Session, naming: Naming, now: datetime, opts: dict) -> Measure:
    # The system keeps no ledger of publicity activities yet: say so instead of scoring the item zero.
    return Measure(None, [], "本系统尚无宣传活动记录，暂不计分")


def _platform(session: Session, naming: Naming) -> Platform:
    return session.get(Platform, naming.platform_id)


def cleanup_reports(session: Session, naming: Naming, now: datetime, opts: dict) -> Measure:
    platform = _platform(session, naming)
    expected, at = [], now
    while len(expected) < 4 and at >= platform.created_at - timedelta(days=92):
        key = quarter_of(at)
        if key not in expected:
            expected.append(key)
        at -= timedelta(days=31)
    # The quarter under way is not due yet, unless it was already reported.
    reported = set(session.scalars(sa.select(PlatformReport.period).where(PlatformReport.platform_id == platform.id)))
    due = [q for q in expected[1:] if q >= quarter_of(platform.created_at)]
    if not due:
        return Measure(None, [], "登记未满一个季度，尚无应报送的期间")
    met = [q for q in due if q in reported]
    records = [f"{q}：{'已报送' if q in reported else '未报送'}" for q in due]
    return Measure(len(met) / len(due), records, f"{len(met)}/{len(due)} 期已报送")


def liaison(session: Session, naming: Naming, now: datetime, opts: dict) -> Measure:
    platform = _platform(session, naming)
    ok = bool(platform.liaison_name.strip() and platform.liaison_phone.strip())
    record = f"联络员：{platform.liaison_name} {platform.liaison_phone}" if ok else "登记册中未填写联络员及电话"
    return Measure(1.0 if ok else 0.0, [record], "已指定" if ok else "未指定")


def assistance(session: Session, naming: Naming, now: datetime, opts: dict) -> Measure:
    rows = session.scalars(sa.select(PlatformReport).where(PlatformReport.platform_id == naming.platform_id,
                                                           PlatformReport.assistance_requests > 0)
                           .order_by(PlatformReport.period)).all()
    if not rows:
        return Measure(None, [], "尚无协查记录")
    quick = [r for r in rows if r.assistance_hours is not None and r.assistance_hours <= 24]
    records = [f"{r.period}：协查 {r.assistance_requests} 次，平均 {r.assistance_hours if r.assistance_hours is not None else '—'} 小时响应"
               for r in rows]
    return Measure(len(quick) / len(rows), records, f"{len(quick)}/{len(rows)} 期在24小时内响应")


SOURCES = {"rental_filings": rental_filings, "flagged_patrols": flagged_patrols, "five_contracts": five_contracts,
           "complaints_in_time": complaints_in_time, "no_den": no_den, "publicity_activities": publicity_activities,
           "cleanup_reports": cleanup_reports, "liaison": liaison, "assistance": assistance}


def measure(session: Session, source: str, naming: Naming, now: datetime, opts: dict) -> Measure:
    return SOURCES[source](session, naming, now, opts)
