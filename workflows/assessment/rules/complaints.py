"""Group 4 投诉举报 (20 points): complaints accepted, handled and replied to under 首接负责, and their fall year on
year."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from workflows.assessment import figures
from workflows.assessment.rules import common, records
from workflows.assessment.rules.base import Finding, Outcome, Scope, computed, manual
from workflows.clock import office_date
from workflows.complaints.models import Complaint
from workflows.engine.models import HumanTask, ProcessInstance
from workflows.vocabulary import InstanceStatus, TaskState

GROUP = "投诉举报"
HANDLING, DECREASE = "投诉举报受理及处置", "涉传投诉举报下降"
ZERO = Decimal(0)
RECEIVER_LANE = "受理人"
TARGET_DECREASE = Decimal(60)


def _complaints(scope: Scope) -> list:
    """The complaints received in the area and period (rows), read once per run."""
    first, after = figures.bounds(scope.start, scope.end)
    return scope.remembered("complaints", lambda: list(scope.session.execute(sa.select(
        Complaint.id, Complaint.instance_id, Complaint.reference, Complaint.received_at, Complaint.area_id,
        Complaint.anonymous, Complaint.complainant_name, Complaint.complainant_phone, Complaint.complainant_contact,
        Complaint.responsible_unit, Complaint.first_receiver_id).where(
        records.in_area(scope, Complaint.area_path), Complaint.received_at >= first,
        Complaint.received_at < after).order_by(Complaint.id)).all()))


def _all_tasks(scope: Scope) -> dict[int, list]:
    """instance id -> the steps of the period's complaints (rows), read once per run."""
    def read() -> dict[int, list]:
        out: dict[int, list] = {}
        for chunk in records.chunks(c.instance_id for c in _complaints(scope) if c.instance_id):
            for task in scope.session.execute(sa.select(
                    HumanTask.instance_id, HumanTask.task_name, HumanTask.title, HumanTask.lane, HumanTask.state,
                    HumanTask.due_at, HumanTask.completed_at, HumanTask.completed_by_id).where(
                    HumanTask.instance_id.in_(chunk)).order_by(HumanTask.created_at)):
                out.setdefault(task.instance_id, []).append(task)
        return out
    return scope.remembered("complaint_tasks", read)


def _tasks(scope: Scope, complaints: list) -> dict[int, list]:
    every = _all_tasks(scope)
    return {c.instance_id: every.get(c.instance_id, []) for c in complaints if c.instance_id}


def _label(c: Complaint) -> str:
    return f"{c.reference or '举报'}（{office_date(c.received_at).isoformat()}）"


def ledger(scope: Scope) -> Outcome:
    complaints = _complaints(scope)
    statuses = {}
    for chunk in records.chunks(c.instance_id for c in complaints if c.instance_id):
        statuses.update(scope.session.execute(sa.select(ProcessInstance.id, ProcessInstance.status).where(
            ProcessInstance.id.in_(chunk))).all())
    tasks = _tasks(scope, complaints)
    found = []
    for c in complaints:
        done = {t.task_name for t in tasks.get(c.instance_id, []) if t.state == TaskState.COMPLETED}
        missing = []
        if c.area_id is None:
            missing.append("地址")
        if not c.anonymous and not (c.complainant_name and (c.complainant_phone or c.complainant_contact)):
            missing.append("举报人联系方式")
        if statuses.get(c.instance_id) == InstanceStatus.COMPLETED:
            # A closed complaint's ledger shows who handled it, what came of it and the reply.
            if not c.responsible_unit:
                missing.append("责任单位")
            if not done & set(figures.RESULT_TASKS):
                missing.append("办理结果")
            if not c.anonymous and figures.REPLY_TASK not in done:
                missing.append("答复")
        if missing:
            found.append(Finding("complaint", c.id, f"{_label(c)} 台账缺：" + "、".join(missing), ZERO,
                                 common.complaint_url(c.id)))
    if not found:
        return Outcome(ZERO, len(complaints))
    head = Finding("ledger", None, f"投诉举报台账不完善：{len(found)} 件记录不全", Decimal("0.5"))
    return Outcome(Decimal("0.5"), len(complaints), (head, *found))


def handling_sample(scope: Scope) -> Outcome:
    complaints = _complaints(scope)
    if not complaints:
        return Outcome(ZERO, 0, note="考评期间无投诉举报，无可抽查记录。")
    sampled = scope.lot.sample("4.1.3", complaints, 10)
    tasks = _tasks(scope, sampled)
    _first, cutoff = figures.bounds(scope.start, scope.end)
    found = []
    for c in sampled:
        late = [t.title for t in tasks.get(c.instance_id, []) if figures.late(t.state, t.due_at, t.completed_at, cutoff)]
        if late:
            found.append(Finding("complaint", c.id, f"{_label(c)} 处置不规范：" + "、".join(late) + " 超过时限",
                                 Decimal("0.5"), common.complaint_url(c.id)))
    note = common.sample_note(scope, "4.1.3", len(complaints), len(sampled), "件投诉举报")
    return Outcome(Decimal("0.5") * len(found), len(sampled), tuple(found), note=note)


def first_receiver(scope: Scope) -> Outcome:
    """首接负责: a receiver's step done by someone other than the first receiver (推诿), or no result by the time
    its step was due (不到位)."""
    complaints = _complaints(scope)
    tasks = _tasks(scope, complaints)
    _first, cutoff = figures.bounds(scope.start, scope.end)
    found = []
    for c in complaints:
        steps = tasks.get(c.instance_id, [])
        passed = [t.title for t in steps if t.lane == RECEIVER_LANE and t.state == TaskState.COMPLETED
                  and c.first_receiver_id is not None and t.completed_by_id != c.first_receiver_id]
        unresolved = [t.title for t in steps if t.task_name in figures.RESULT_TASKS and t.state == TaskState.READY
                      and t.due_at is not None and t.due_at < cutoff]
        reasons = ([f"“{passed[0]}”非首接受理人办理"] if passed else []) + (["逾期无办理结果"] if unresolved else [])
        if reasons:
            found.append(Finding("complaint", c.id, f"{_label(c)} 未落实首接负责：" + "；".join(reasons),
                                 Decimal(2), common.complaint_url(c.id)))
    return Outcome(Decimal(2) * len(found), len(complaints), tuple(found))


def no_entry(scope: Scope) -> Outcome:
    """Results that give "could not enter" (进不了门) as the reason there is no result."""
    complaints = _complaints(scope)
    results = common.submitted(scope.session, [c.instance_id for c in complaints if c.instance_id],
                               figures.RESULT_TASKS)
    found = [Finding("complaint", c.id, f"{_label(c)} 以进不了门为由无处置结果", Decimal(2),
                     common.complaint_url(c.id))
             for c in complaints if any(d.get("no_entry") for d in results.get(c.instance_id, []))]
    return Outcome(Decimal(2) * len(found), len(complaints), tuple(found))


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _count(scope: Scope, start: date, end: date) -> int:
    return sum(figures.complaints_per_month(scope.session, scope.area.path, start, end).values())


def year_on_year(scope: Scope) -> Outcome:
    before_start, before_end = _year_before(scope.start), _year_before(scope.end)
    now, before = _count(scope, scope.start, scope.end), _count(scope, before_start, before_end)
    compared = f"本期 {now} 件，上年同期（{before_start} 至 {before_end}）{before} 件"
    if before == 0:
        if now == 0:
            return Outcome(ZERO, 0, note=f"{compared}，无可比较的增减。")
        finding = Finding("complaints_year", None, f"{compared}：同比增长（上年同期为零，增幅无法按百分点计），扣 5 分",
                          Decimal(5))
        return Outcome(Decimal(5), now, (finding,))
    change = common.percent(now - before, before)
    if change > 0:
        over = common.steps(change, Decimal(1), scope)
        deduction = Decimal(5) + Decimal("0.1") * over
        label = f"{compared}：同比增长 {common.shown(change)}%，扣 5 分，另 {over} 个百分点×0.1 分"
    else:
        short = common.steps(TARGET_DECREASE + change, Decimal(1), scope)
        deduction = Decimal("0.1") * short
        label = (f"{compared}：同比下降 {common.shown(-change)}%（应 ≥60%），差 {short} 个百分点×0.1 分")
    found = (Finding("complaints_year", None, label, deduction),) if deduction else ()
    return Outcome(deduction, now + before, found, note=label if not deduction else "")


_HANDLING_TEXT = "按照“首接负责”原则，做到“有警（诉）必接，接警（诉）必查，查必有果”，处置率 100%。"

RULES = (
    manual("4.1.1", GROUP, HANDLING, "10", "公布打击传销举报电话（电子邮箱）。", "未公布举报电话的扣 0.5 分",
           "查阅台账 暗访巡查", cap="0.5"),
    computed("4.1.2", GROUP, HANDLING, "10", "按照“首接负责”原则，建立投诉举报受理、处理、回复工作台账。",
             "投诉举报工作台账不完善的扣 0.5 分", "查阅台账", ledger, cap="0.5"),
    computed("4.1.3", GROUP, HANDLING, "10", "按照“首接负责”原则，及时受理，妥善处置。",
             "抽查投诉举报 10 件，处置不规范的每件扣 0.5 分", "查阅台账", handling_sample, sample=10),
    computed("4.1.4a", GROUP, HANDLING, "10", _HANDLING_TEXT,
             "未落实“首接负责”、有反映处置推诿或不到位的，每件扣 2 分", "查阅台账", first_receiver),
    computed("4.1.4b", GROUP, HANDLING, "10", _HANDLING_TEXT, "以进不了门为由无处置结果的 1 件扣 2 分", "查阅台账",
             no_entry),
    computed("4.2.1", GROUP, DECREASE, "10", "传销投诉举报（含网络传销）数量不断下降，与上年同期相比下降 60% 以上。",
             "与去年同比增长的扣 5 分，另每增长 1 个百分点扣 0.1 分 投诉举报下降但幅度不达标每差一个百分点扣 0.1 分",
             "数据调取", year_on_year),
)
