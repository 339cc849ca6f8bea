"""Group 6 创建工作 (10 points): 创无 (no new affected compounds or platforms, creation activity, coverage) and
case filing up (报备) and reports (报送); the latter two are office-records' rows, entered by hand until they land."""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from workflows.assessment import figures
from workflows.assessment.rules import common, records
from workflows.assessment.rules.base import Finding, Outcome, Scope, computed
from workflows.cases.models import CasePerson
from workflows.engine.models import ProcessInstance
from workflows.office_records import reporting
from workflows.office_records.models import CaseReport, StatisticalReport
from workflows.ledgers.models import HouseCatch, RentalHouse
from workflows.online_clues.models import OnlineClue
from workflows.org.models import Area
from workflows.pyramid_free import coverage as pf_coverage
from workflows.pyramid_free.models import Naming
from workflows.vocabulary import ClueStatus

GROUP = "创建工作"
PYRAMID_FREE, REPORTING = "“创无”工作全面开展", "传销案件报备和信息报送"
ZERO = Decimal(0)
TARGET = Decimal("95")


def _affected_paths(scope: Scope, before_start: bool) -> list[str]:
    """Area paths where MLM was found (a house caught, or a case that found persons): in the period, or before."""
    first, after = figures.bounds(scope.start, scope.end)
    when_catch = HouseCatch.caught_at < first if before_start else sa.and_(HouseCatch.caught_at >= first,
                                                                          HouseCatch.caught_at < after)
    when_case = (ProcessInstance.created_at < first if before_start
                 else sa.and_(ProcessInstance.created_at >= first, ProcessInstance.created_at < after))
    houses = scope.session.scalars(sa.select(RentalHouse.area_path).join(
        HouseCatch, HouseCatch.house_id == RentalHouse.id).where(
        records.in_area(scope, RentalHouse.area_path), when_catch))
    cases = scope.session.scalars(sa.select(ProcessInstance.area_path).where(
        ProcessInstance.process_id == figures.CASE_PROCESS, records.in_area(scope, ProcessInstance.area_path),
        when_case, sa.exists().where(CasePerson.instance_id == ProcessInstance.id)))
    return sorted(set(houses) | set(cases))


def _compounds_of(paths: list[str], compounds: dict[str, Area]) -> set[str]:
    """The paths of the compounds the given area paths lie in (one look-up per level of each path)."""
    found = set()
    for path in paths:
        parts = [p for p in path.strip("/").split("/") if p]
        for i in range(1, len(parts) + 1):
            prefix = "/" + "/".join(parts[:i]) + "/"
            if prefix in compounds:
                found.add(prefix)
                break
    return found


def new_compounds(scope: Scope) -> Outcome:
    compounds = {c.path: c for c in scope.session.scalars(sa.select(Area).where(
        Area.kind == "compound", records.in_area(scope, Area.path)))}
    now = _compounds_of(_affected_paths(scope, False), compounds)
    before = _compounds_of(_affected_paths(scope, True), compounds)
    new = sorted(now - before)
    found = [Finding("compound", compounds[p].id, f"{compounds[p].full_name} 新增涉传小区", Decimal(1)) for p in new]
    return Outcome(Decimal(len(found)), len(compounds), tuple(found))


def _platform_key(clue: OnlineClue) -> str:
    return clue.platform_credit_code or clue.platform_name.strip()


def new_platforms(scope: Scope) -> Outcome:
    clues = list(scope.session.scalars(sa.select(OnlineClue).where(
        records.in_area(scope, OnlineClue.area_path), OnlineClue.received_on <= scope.end,
        OnlineClue.status != ClueStatus.DISMISSED).order_by(OnlineClue.received_on, OnlineClue.id)))
    first_seen: dict[str, OnlineClue] = {}
    for clue in clues:
        if _platform_key(clue):
            first_seen.setdefault(_platform_key(clue), clue)
    new = [c for c in first_seen.values() if c.received_on >= scope.start]
    each = scope.settings.new_platform_deduction
    found = [Finding("online_clue", c.id, f"{c.platform_name or c.platform_credit_code} 新增涉传网络平台（线索 "
                     f"{c.reference}）", each, f"/online-clues/{c.id}") for c in new]
    return Outcome(each * len(found), len(first_seen), tuple(found),
                   note=f"每个扣 {each} 分（原表未列扣分办法，见设置 new_platform_deduction）")


def creation_activity(scope: Scope) -> Outcome:
    first, after = figures.bounds(scope.start, scope.end)
    active = scope.session.scalar(sa.select(sa.func.count()).select_from(Naming).where(
        records.in_area(scope, Naming.area_path), sa.or_(
            sa.and_(Naming.applied_at >= first, Naming.applied_at < after),
            sa.and_(Naming.named_at >= first, Naming.named_at < after)))) or 0
    if active:
        return Outcome(ZERO, active)
    return Outcome(Decimal(3), 0, (Finding("pyramid_free", None, "考评期间未开展“创无”创建活动（无申报、无命名）",
                                           Decimal(3), "/pyramid-free"),))


def _coverage_row(scope: Scope, which: str, what: str) -> Outcome:
    # Both coverage rows read the same figures: once per run.
    figure = scope.remembered("pf_coverage", lambda: pf_coverage.coverage(
        scope.session, scope.area.path, scope.end.year))[which]
    if not figure.total:
        return Outcome(ZERO, 0, note=f"无数据：辖区内无{what}记录，创建率无从计算。", no_data=True)
    rate = common.percent(figure.named, figure.total)
    short = common.steps(TARGET - rate, Decimal(1), scope)
    deduction = Decimal("0.5") * short
    label = (f"{scope.end.year}年{what}创建率 {common.shown(rate)}%（{figure.named}/{figure.total}），"
             f"应 ≥95%" + (f"，低 {short} 个百分点" if short else ""))
    found = (Finding("coverage", None, label, deduction, "/pyramid-free/coverage"),) if deduction else ()
    return Outcome(deduction, figure.total, found, note=label)


def community_coverage(scope: Scope) -> Outcome:
    return _coverage_row(scope, "communities", "“无传销社区（村）”")


def platform_coverage(scope: Scope) -> Outcome:
    return _coverage_row(scope, "platforms", "“无传销网络平台”")


# ---------------------------------------------------------------- 6.2 报备 and 报送 (office records)
HALF = Decimal("0.5")


def _reporting_rule(model, key: str, label):
    """Each report due in the period that went late, or had not gone by the period's end, costs 0.5."""
    def compute(scope: Scope) -> Outcome:
        due = reporting.due_in(scope.session, model, scope.area.path, scope.start, scope.end)
        findings = []
        for row in due:
            sent = getattr(row, "reported_on", None) or getattr(row, "submitted_on", None)
            state = reporting.state(row.due_on, sent, scope.end)
            if state in (reporting.LATE, reporting.MISSING):
                findings.append(Finding(key, row.id, f"{label(row)}：{reporting.STATE_NAMES[state]}"
                                        f"（应于 {row.due_on:%Y-%m-%d} 前）", HALF, f"/office-records/{key}/{row.id}"))
        return Outcome(sum((f.deduction for f in findings), Decimal(0)), len(due), tuple(findings),
                       note="期间末仍未报送的计为漏报。")
    return compute


_TEXT = ("无新增涉传小区和涉传网络平台；辖区内“无传销社区（村）”创建覆盖率 95% 以上；"
         "“无传销网络平台”创建率达 95% 以上。")

RULES = (
    computed("6.1.1a", GROUP, PYRAMID_FREE, "5", _TEXT, "新增涉传小区的，1 个扣 1 分", "查阅台账", new_compounds),
    # No deduction is printed for a new affected platform: the setting new_platform_deduction says what one costs.
    computed("6.1.1b", GROUP, PYRAMID_FREE, "5", _TEXT,
             "（原表未列扣分办法）新增涉传网络平台的，1 个按设置扣分（默认 1 分）", "查阅台账", new_platforms),
    computed("6.1.1c", GROUP, PYRAMID_FREE, "5", _TEXT, "未开展创建活动的，扣 3 分", "查阅台账", creation_activity,
             cap="3"),
    computed("6.1.1d", GROUP, PYRAMID_FREE, "5", _TEXT,
             "年底创建率未达标的，每低 1 个百分点扣 0.5 分（“无传销社区（村）”覆盖率 95%）", "查阅台账",
             community_coverage),
    computed("6.1.1e", GROUP, PYRAMID_FREE, "5", _TEXT,
             "年底创建率未达标的，每低 1 个百分点扣 0.5 分（“无传销网络平台”创建率 95%）", "查阅台账",
             platform_coverage),
    computed("6.2.1", GROUP, REPORTING, "5", "违法直销和传销案件按规定报备。", "案件未按规定报备的，1 次扣 0.5 分",
             "查阅台账", _reporting_rule(CaseReport, reporting.CASE_REPORTS.key, reporting.CASE_REPORTS.label)),
    computed("6.2.2", GROUP, REPORTING, "5",
             "按时上报打击传销、规范直销工作各类统计报表、工作动态、重大信息、总结等。",
             "漏报、迟报统计报表、工作动态、重大信息等，每次扣 0.5 分", "查阅台账",
             _reporting_rule(StatisticalReport, reporting.STATISTICAL_REPORTS.key,
                             reporting.STATISTICAL_REPORTS.label)),
)
