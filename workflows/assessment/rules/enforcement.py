"""Group 3 清查打击 (30 points): sweeps, registration of what they catch, criminal cases and penalties."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from workflows.assessment import figures
from workflows.assessment.rules import common, records
from workflows.assessment.rules.base import Finding, Findings, Outcome, Scope, computed
from workflows.assessment.rules.organisation import key_units
from workflows.complaints.models import Complaint, ComplaintSubject
from workflows.office_records import alerts, filings
from workflows.penalties.models import PenaltyCase
from workflows.sweeps.models import Sweep
from workflows.sweeps.service import is_key_area
from workflows.vocabulary import PenaltyOutcome, SweepStatus

GROUP = "清查打击"
SWEEPS, CRIMINAL, PENALTIES = "集中清理", "刑事案件打击追究", "行政处罚案件查办"
ZERO = Decimal(0)
SWEEP_MISS = Decimal(2)
MIN_SWEEPS = 2


# ---------------------------------------------------------------- 3.1 sweeps
def _done_sweeps(scope: Scope) -> list[tuple[int, date, str]]:
    """(id, day, area path) of the finished sweeps in the period that touch the area: inside it, or of an area
    that contains it (a district-wide sweep sweeps every street)."""
    ancestors = [p for p in _ancestor_paths(scope.area.path)]
    return list(scope.session.execute(sa.select(Sweep.id, Sweep.planned_on, Sweep.area_path).where(
        Sweep.status == SweepStatus.DONE, Sweep.planned_on >= scope.start, Sweep.planned_on <= scope.end,
        sa.or_(records.in_area(scope, Sweep.area_path), Sweep.area_path.in_(ancestors)))
        .order_by(Sweep.planned_on, Sweep.id)).all())


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts))]


def _touches(sweep_path: str, unit_path: str) -> bool:
    return sweep_path.startswith(unit_path) or unit_path.startswith(sweep_path)


def _quarters(start: date, end: date) -> list[tuple[str, date, date]]:
    out = []
    for year in range(start.year, end.year + 1):
        for q in range(1, 5):
            first = date(year, 3 * q - 2, 1)
            last = common.month_of(date(year, 3 * q, 1))[1]
            if first <= end and last >= start:
                out.append((f"{year}年第{q}季度", max(first, start), min(last, end)))
    return out


def key_area_sweeps(scope: Scope) -> Outcome:
    units = key_units(scope)
    if not units:
        return Outcome(ZERO, 0, note="辖区内无重点涉传区域，本项不适用。")
    sweeps = _done_sweeps(scope)
    found, looked = [], set()
    for unit in units:
        for key in figures.months(scope.start, scope.last):
            year, month = int(key[:4]), int(key[5:])
            ids = [i for i, day, path in sweeps if (day.year, day.month) == (year, month) and _touches(path, unit.path)]
            looked.update(ids)
            if len(ids) < MIN_SWEEPS:
                found.append(Finding("sweep_month", None, f"{year}年{month}月 {unit.full_name} 集中清理 {len(ids)} 次"
                                     f"（应 ≥{MIN_SWEEPS} 次）", SWEEP_MISS, f"/sweeps/assessment?year={year}"))
    return Outcome(SWEEP_MISS * len(found), len(looked), tuple(found),
                   note="重点区域：" + "、".join(u.full_name for u in units))


def other_area_sweeps(scope: Scope) -> Outcome:
    if is_key_area(scope.session, scope.area):
        return Outcome(ZERO, 0, note="本区域为重点涉传区域，按月考核（见 3.1.1），本项不适用。")
    sweeps = _done_sweeps(scope)
    found = []
    for label, first, last in _quarters(scope.start, scope.last):
        n = len([1 for _i, day, _p in sweeps if first <= day <= last])
        if n < MIN_SWEEPS:
            found.append(Finding("sweep_quarter", None, f"{label} {scope.area.full_name} 集中清理 {n} 次"
                                 f"（应 ≥{MIN_SWEEPS} 次）", SWEEP_MISS, f"/sweeps/assessment?year={first.year}"))
    return Outcome(SWEEP_MISS * len(found), len(sweeps), tuple(found))


# ---------------------------------------------------------------- 3.1.3 registration of persons caught
def _sampled_persons(scope: Scope, key: str, n: int):
    """A sample of the persons caught in the sampled month (their cases' opening day), with the window."""
    persons = records.persons(scope)
    days = records.case_days(scope, persons)
    window = common.sample_window(scope, list(days.values()))
    if window is None:
        return [], None, 0
    population = [p for p in persons if window[0] <= days[p.instance_id] <= window[1]]
    return scope.lot.sample(key, population, n), window, len(population)


def registration(scope: Scope) -> Outcome:
    sampled, window, population = _sampled_persons(scope, "3.1.3", 10)
    if window is None:
        return Outcome(ZERO, 0, note="考评期间未查获涉传人员，无可抽查记录。")
    entries = records.blacklist(scope)
    found = []
    for person in sampled:
        entry = entries.get(person.id_number) if person.id_number else None
        url = common.case_url(person.instance_id)
        if entry is None:
            found.append(Finding("person", person.id, f"{person.name}（{person.id_number or '无身份证号'}）"
                                 "未登记备案上报", Decimal(1), url))
            continue
        missing = [label for label, value in (("联系电话", entry.phones or person.phone),
                                              ("户籍地", entry.registration_place)) if not value]
        if missing:
            found.append(Finding("person", person.id, f"{person.name}（{person.id_number}）信息不全：缺"
                                 + "、".join(missing), Decimal("0.5") * len(missing), url))
    note = common.sample_note(scope, "3.1.3", population, len(sampled), "名涉传人员",
                              common.window_label(window))
    return Outcome(sum((f.deduction for f in found), ZERO), len(sampled), tuple(found), note=note)


# ---------------------------------------------------------------- 3.3 penalties
def penalty_rate(scope: Scope) -> Outcome:
    persons = records.persons(scope)
    by_key = {}
    for person in persons:
        by_key.setdefault(figures.person_key(person), person)
    if not by_key:
        return Outcome(ZERO, 0, note="考评期间未查获涉传人员，处罚率无从计算，不扣分。")
    outcomes = figures.penalty_outcomes(scope.settings.warning_counts_as_penalty)
    penalised = records.penalised(scope, outcomes)
    missing = [p for p in by_key.values() if not (p.id_number and p.id_number in penalised)]
    rate = common.percent(len(by_key) - len(missing), len(by_key))
    shortfall = Decimal(90) - rate
    n_steps = common.steps(shortfall, Decimal(10), scope) if rate <= 90 else 0
    deduction = Decimal(n_steps)
    if not (missing or deduction):
        return Outcome(deduction, len(by_key))
    head = Finding("penalty_rate", None, f"行政处罚率 {common.shown(rate)}%（{len(by_key) - len(missing)}/"
                   f"{len(by_key)}），应超过 90%，差 {n_steps} 档", deduction)
    # The persons not penalised cost nothing each (the rate does): labelled only when read, not on every run.
    return Outcome(deduction, len(by_key), Findings((head,), lambda: [
        Finding("person", p.id, f"{p.name}（{p.id_number or '无身份证号'}）未受行政处罚", ZERO,
                common.case_url(p.instance_id)) for p in missing]))


def _complaint_count(scope: Scope) -> int:
    return (len(figures.complaint_rows(scope.session, scope.area.path, scope.start, scope.end))
            + len(figures.clue_complaint_days(scope.session, scope.area.path, scope.start, scope.end)))


def cases_per_complaints(scope: Scope) -> Outcome:
    complaints = _complaint_count(scope)
    required = complaints // 10
    filed = list(scope.session.execute(sa.select(PenaltyCase.id, PenaltyCase.instance_id).where(
        records.in_area(scope, PenaltyCase.area_path), PenaltyCase.filed_on >= scope.start,
        PenaltyCase.filed_on <= scope.end)).all())
    short = max(0, required - len(filed))
    each = scope.settings.per_complaints_penalty_case_deduction
    found = (Finding("penalty_cases", None, f"投诉举报 {complaints} 起，应办一般程序行政处罚案件 {required} 件，"
                     f"实办 {len(filed)} 件，少 {short} 件", each * short),) if short else ()
    return Outcome(each * short, complaints, found,
                   note=f"每少 1 件扣 {each} 分（原表未列扣分办法，见设置 per_complaints_penalty_case_deduction）")


def repeat_persons_and_houses(scope: Scope) -> Outcome:
    threshold = scope.settings.repeat_threshold
    persons = records.persons(scope)
    entries = records.blacklist(scope)
    repeat = {}
    for person in persons:
        entry = entries.get(person.id_number)
        if entry is not None and entry.catch_count >= threshold:
            repeat.setdefault(person.id_number, person)
    decided = records.penalised(scope, (PenaltyOutcome.DECIDED,))
    found = [Finding("person", p.id, f"{p.name}（{p.id_number}）查获 {entries[p.id_number].catch_count} 次，"
                     "未实施一般程序行政处罚", Decimal(1), common.case_url(p.instance_id))
             for number, p in repeat.items() if number not in decided]
    houses = records.repeat_house_rows(scope)
    for house, catches in houses:
        if not records.landlord_penalised(scope, house, catches, ordinary_only=True):
            found.append(Finding("house", house.id, f"{house.address} 涉传 {len(catches)} 次，"
                                 "出租人未受一般程序行政处罚", Decimal(1), common.house_url(house.id)))
    return Outcome(Decimal(len(found)), len(repeat) + len(houses), tuple(found),
                   note=f"回流：查获 {threshold} 次及以上（见设置 repeat_threshold）")


def online_subjects(scope: Scope) -> Outcome:
    """Entities and platforms reported several times (as many as the setting) by complaints of the area, without
    an investigation opened."""
    first, after = figures.bounds(scope.start, scope.end)
    threshold = scope.settings.several_reports
    rows = scope.session.execute(sa.select(ComplaintSubject, sa.func.count(Complaint.id)).join(
        Complaint, Complaint.subject_id == ComplaintSubject.id).where(
        records.in_area(scope, Complaint.area_path), Complaint.received_at < after)
        .group_by(ComplaintSubject.id).order_by(ComplaintSubject.id)).all()
    recent = set(scope.session.scalars(sa.select(Complaint.subject_id).where(
        records.in_area(scope, Complaint.area_path), Complaint.received_at >= first,
        Complaint.received_at < after, Complaint.subject_id.is_not(None))))
    several = [(subject, n) for subject, n in rows if subject.id in recent and n >= threshold]
    found = [Finding("subject", subject.id, f"{subject.name} 被举报 {n} 次，未立案调查", Decimal(2))
             for subject, n in several if subject.investigation_instance_id is None]
    return Outcome(Decimal(2) * len(found), len(several), tuple(found),
                   note=f"多次被诉：被举报 {threshold} 次及以上（见设置 several_reports）")


_PENALTY_TEXT = "加大行政处罚力度，对查获的传销人员行政处罚率要超过 90%；确保每 10 起投诉举报办理 1 起一般程序行政处罚案件。"
_REPEAT_TEXT = ("两次以上的回流人员及出租屋一律实施一般程序行政处罚，对多次被诉网络传销的主体立案调查，"
                "有证据证实存在传销行为的，从重处罚。")

# ---------------------------------------------------------------- 3.2.1 criminal cases (office records)
ALERTS_PER_CASE = 20


def criminal_cases(scope: Scope) -> Outcome:
    """3.2.1: one criminal case filed by the police (立案回执 recorded) for every 20 police 110 alerts about MLM in
    the unit and period (whole twenties: 39 alerts ask one case); each case short costs 1 point."""
    counts = alerts.alerts_in(scope.session, scope.area.path, scope.start, scope.end)
    if not counts:
        return Outcome(Decimal(0), 0, note="无数据：期间内未导入公安110传销警情数。", no_data=True)
    total = sum(c.alerts for c in counts)
    filed = filings.filings_in(scope.session, scope.area.path, scope.start, scope.end)
    owed = total // ALERTS_PER_CASE
    short = max(owed - len(filed), 0)
    findings = tuple(Finding("criminal_case", None, f"110传销警情 {total} 起，应查办刑事案件 {owed} 起，"
                             f"实际立案 {len(filed)} 起：缺第 {len(filed) + i} 起", Decimal(1))
                     for i in range(1, short + 1))
    return Outcome(Decimal(short), len(counts) + len(filed), findings,
                   note=f"警情数来自 {len(counts)} 条公安导入记录；刑事立案以登记的立案回执为准。")


RULES = (
    computed("3.1.1", GROUP, SWEEPS, "10", "集中打击清理行动，重点涉传街道、社区、写字楼每月不少于 2 次。",
             "集中清理行动每月少于 2 次扣 2 分", "查阅台账", key_area_sweeps),
    computed("3.1.2", GROUP, SWEEPS, "10", "集中打击清理行动，非重点涉传街道、社区每季度不少于 2 次。",
             "非重点涉传街道、社区集中清理行动每季度少于 2 次扣 2 分", "查阅台账", other_area_sweeps),
    computed("3.1.3", GROUP, SWEEPS, "10", "对清查出的涉传人员、出租屋及业主一律登记备案并及时上报。",
             "抽查当月 10 条涉传人员，未登记备案上报的，1 人扣 1 分，信息不全的一项扣 0.5 分", "查阅台账",
             registration, sample=10),
    # Read from the police's alert counts and criminal filings (office-records' records).
    computed("3.2.1", GROUP, CRIMINAL, "10", "加大刑事打击力度，确保每 20 起 110 传销警情查办 1 起刑事案件。",
             "每少 1 件的，扣 1 分", "查阅台账 数据调取", criminal_cases),
    computed("3.3.1a", GROUP, PENALTIES, "10", _PENALTY_TEXT, "行政处罚率每差 10%，扣 1 分", "查阅台账 数据调取",
             penalty_rate),
    # The table prints no deduction for the second half of the row: the setting
    # per_complaints_penalty_case_deduction says what a missing case costs.
    computed("3.3.1b", GROUP, PENALTIES, "10", _PENALTY_TEXT,
             "（原表未列扣分办法）每少 1 件一般程序行政处罚案件，按设置扣分（默认 1 分）", "查阅台账 数据调取",
             cases_per_complaints),
    computed("3.3.2a", GROUP, PENALTIES, "10", _REPEAT_TEXT, "异地传销：未实施一般程序行政处罚的，发现一人扣 1 分",
             "查阅台账 数据调取", repeat_persons_and_houses),
    computed("3.3.2b", GROUP, PENALTIES, "10", _REPEAT_TEXT, "网络传销：未立案调查和依法定性传销处罚的每次扣 2 分。",
             "查阅台账 数据调取", online_subjects),
)
