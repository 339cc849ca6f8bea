"""Group 2 宣传教育 (3 points), scored from the office's records (workflows/office_records): publicity activities
each month in key areas, material in every community, boards and responsible-person plates in every compound,
and letters to the registration places of a sample of the persons caught. The two questionnaires (知晓率,
满意率) stay with the inspector, as do the unannounced visits (暗访巡查) that may add to the computed rows."""
from __future__ import annotations

import bisect
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from workflows.assessment.rules import common, records as shared
from workflows.assessment.rules.base import Finding, Method, Outcome, Scope, computed, manual
from workflows.assessment.rules.organisation import key_units
from workflows.assessment.settings import LAST_MONTH
from workflows.engine.models import ProcessInstance
from workflows.office_records import letters, publicity as records
from workflows.office_records.models import PublicityActivity
from workflows.org import areas
from workflows.org.models import Area

GROUP = SECOND = "宣传教育"
HALF = Decimal("0.5")
LETTER_SAMPLE = 10


def _months(start: date, end: date) -> list[tuple[date, date]]:
    """(first day, last day) of each calendar month the period touches, clipped to the period."""
    out, first = [], date(start.year, start.month, 1)
    while first <= end:
        after = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        out.append((max(first, start), min(date.fromordinal(after.toordinal() - 1), end)))
        first = after
    return out


def _days(scope: Scope, path: str, kind: str, start: date | None = None) -> list[date]:
    query = sa.select(PublicityActivity.held_on).where(areas.under(scope.session, PublicityActivity.area_path, path),
                                                       PublicityActivity.kind == kind,
                                                       PublicityActivity.held_on <= scope.end)
    if start is not None:
        query = query.where(PublicityActivity.held_on >= start)
    return list(scope.session.scalars(query))


def monthly_activities(scope: Scope) -> Outcome:
    """2.1.1: every key area (重点涉传街道、社区、写字楼) holds at least one activity each month; 0.5 per month without."""
    key = key_units(scope)
    findings, looked = [], 0
    for area in key:
        held = _days(scope, area.path, records.ACTIVITY, scope.start)
        looked += len(held)
        for first, last in _months(scope.start, scope.end):
            if not any(first <= d <= last for d in held):
                findings.append(Finding(area.kind, area.id, f"{area.full_name} {first.year}年{first.month}月无宣传活动", HALF))
    note = "" if key else "辖区内无重点涉传区域，本项不适用。"
    return Outcome(sum((f.deduction for f in findings), Decimal(0)), looked, tuple(findings), note=note)


def _each(area_kind: str, kind: str, in_period: bool, missing: str):
    """Every area of `area_kind` in the unit has a record of `kind` (in the period, or ever up to its end for what
    stays up: boards and plates); 0.5 for each without."""
    def compute(scope: Scope) -> Outcome:
        units = list(scope.session.scalars(sa.select(Area).where(shared.in_area(scope, Area.path),
                                                                 Area.kind == area_kind).order_by(Area.path)))
        # One statement for the whole unit, then each area's records counted by its subtree's path range (a
        # street holds hundreds of compounds: one statement each was most of the rule's time).
        query = sa.select(PublicityActivity.area_path).where(shared.in_area(scope, PublicityActivity.area_path),
                                                             PublicityActivity.kind == kind,
                                                             PublicityActivity.held_on <= scope.end)
        if in_period:
            query = query.where(PublicityActivity.held_on >= scope.start)
        paths = sorted(scope.session.scalars(query))
        findings, looked = [], 0
        for unit in units:
            found = bisect.bisect_left(paths, unit.path[:-1] + "0") - bisect.bisect_left(paths, unit.path)
            looked += found
            if not found:
                findings.append(Finding(area_kind, unit.id, f"{unit.full_name}{missing}", HALF))
        return Outcome(sum((f.deduction for f in findings), Decimal(0)), looked, tuple(findings))
    return compute


def letters_sent(scope: Scope) -> Outcome:
    """2.1.7: of 10 persons caught (drawn by lot in the sample month), each without a letter to their
    registration place costs 0.5. The persons caught are the ones other rules of the run read (with an ID
    number, as letters.caught_persons lists them); letters are looked up for the drawn ten only."""
    caught = [p for p in shared.persons(scope) if p.id_number]   # in person id order
    days = shared.case_days(scope, caught)
    window = common.sample_window(scope, [days[p.instance_id] for p in caught])
    month = ""
    if window is not None:
        caught = [p for p in caught if window[0] <= days[p.instance_id] <= window[1]]
        if scope.settings.sample_month == LAST_MONTH:
            month = f"{window[0].year}年{window[0].month}月"
    drawn = scope.lot.sample("2.1.7", caught, LETTER_SAMPLE)
    went = letters.letters_went(scope.session, [(p.id_number, p.instance_id, days[p.instance_id]) for p in drawn])
    owed = [p for p, sent in zip(drawn, went) if not sent]
    references = dict(scope.session.execute(sa.select(ProcessInstance.id, ProcessInstance.reference).where(
        ProcessInstance.id.in_({p.instance_id for p in owed}))).all()) if owed else {}
    findings = tuple(Finding("person", p.id, f"{p.name}（{references[p.instance_id]}，{days[p.instance_id]:%Y-%m-%d} "
                             "查获）未寄送致户籍地一封信", HALF, f"/cases/{p.instance_id}") for p in owed)
    note = (f"从{month or '期间内'}查获的 {len(caught)} 名涉传人员中抽取 {len(drawn)} 名。" if caught
            else "期间内没有查获涉传人员。")
    return Outcome(sum((f.deduction for f in findings), Decimal(0)), len(drawn), findings, note=note)


RULES = (
    computed("2.1.1", GROUP, SECOND, "3", "重点涉传街道、社区，商业写字楼每月宣传活动不少于 1 次。",
             "宣传活动少 1 次扣 0.5 分", "查阅台账 暗访巡查", monthly_activities, method=Method.BOTH),
    computed("2.1.2", GROUP, SECOND, "3", "社区有禁止传销宣传资料。", "社区无禁止传销宣传资料的每项扣 0.5 分",
             "查阅台账 暗访巡查", _each("community", records.MATERIAL, True, "期间内无禁止传销宣传资料"),
             method=Method.BOTH),
    computed("2.1.3", GROUP, SECOND, "3", "居民小区醒目位置有禁止传销宣传专栏（展板）。",
             "小区无禁止传销宣传专栏（展板）的每项扣 0.5 分", "暗访巡查",
             _each("compound", records.BOARD, False, "无禁止传销宣传专栏（展板）"), method=Method.BOTH),
    computed("2.1.4", GROUP, SECOND, "3", "悬挂打传责任人信息牌。", "小区未悬挂打传责任人信息牌的每项扣 0.5 分",
             "暗访巡查", _each("compound", records.PLATE, False, "未悬挂打传责任人信息牌"), method=Method.BOTH),
    manual("2.1.5", GROUP, SECOND, "3", "物业服务企业对打击传销知晓率达 100%。",
           "抽查小区物业管理人员 2 人，有不知晓的，1 人扣 0.5 分", "问卷调查", sample=2),
    manual("2.1.6", GROUP, SECOND, "3", "居民对打击传销的满意率达 100%。",
           "抽查小区居民 5 人，有不满意的，1 人扣 0.5 分", "问卷调查", sample=5),
    computed("2.1.7", GROUP, SECOND, "3", "“致传销人员户籍地基层组织一封信”寄送率 100%。",
             "抽查当月 10 个涉传人员，少寄送 1 封扣 0.5 分", "查阅台账", letters_sent, sample=LETTER_SAMPLE),
)
