"""Assessment runs: compute a street's score sheet for a period (a new numbered draft version), take manual entries
and overrides with their evidence, publish (freeze) it, read its rows and findings, and rank the streets.

Each function is one user action: the caller runs it inside one unit of work (`with db.unit_of_work() as s:`),
so the run, its rows, findings and audit events commit together or not at all."""
from __future__ import annotations

import secrets
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workflows import audit
from workflows.assessment import scoring
from workflows.assessment.models import AssessmentEvidence, AssessmentFinding, AssessmentRow, AssessmentRun
from workflows.assessment.rules import BY_ID, RULES
from workflows.assessment.rules.base import Lot, Method, Outcome, Rule, Scope, costly
from workflows.assessment.settings import AssessmentSettings
from workflows.clock import office_date
from workflows.engine.references import next_reference
from workflows.exceptions import AssessmentConflict, AssessmentFrozen, NotFound, ValidationFailed
from workflows.org import access
from workflows.org.models import Area, User
from workflows.org.roles import ADMIN, SUPERVISOR
from workflows.vocabulary import AssessmentStatus, EvidenceKind

ASSESSOR = "assessor"
# Who may compute a score sheet and enter the hand-scored rows; who may override a computed figure and publish.
RUN_ROLES = {SUPERVISOR, ADMIN, ASSESSOR}
ENTER_ROLES = {SUPERVISOR, ADMIN, ASSESSOR}
OVERRIDE_ROLES = {SUPERVISOR, ADMIN}
PUBLISH_ROLES = {SUPERVISOR, ADMIN}
REFERENCE_PREFIX = "KP"
WHAT = "考评结果"


# The errors this module raises, under the names its callers know.
RunFrozen = AssessmentFrozen


# ---------------------------------------------------------------- access
def _actor(session: Session, actor_id: int, roles: set[str], refused: str, area_path: str) -> User:
    user = access.active_user(session, actor_id)
    access.check_edit(user, area_path, roles, refused, WHAT)
    return user


def get_run(session: Session, run_id: int, viewer_id: int | None = None) -> AssessmentRun:
    """The run, if it exists and (when `viewer_id` is given) lies in the viewer's area."""
    run = session.get(AssessmentRun, run_id)
    if run is not None and viewer_id is not None:
        if not access.sees(access.active_user(session, viewer_id), run.area_path):
            run = None
    if run is None:
        raise NotFound(f"考评 {run_id} 不存在或不在您的辖区内。")
    return run


def _draft(session: Session, run_id: int) -> AssessmentRun:
    run = session.get(AssessmentRun, run_id, with_for_update=True)
    if run is None:
        raise NotFound(f"考评 {run_id} 不存在。")
    if run.status != AssessmentStatus.DRAFT:
        raise RunFrozen(run.number)
    return run


# ---------------------------------------------------------------- running
def _rule_outcome(rule: Rule, scope: Scope) -> Outcome | None:
    if rule.method == Method.MANUAL:
        return None
    if rule.compute is None:
        return Outcome(Decimal(0), 0, note="无数据：本项的数据来源尚未接入系统，请人工核查。", no_data=True)
    return rule.compute(scope)


def _number(session: Session, area: Area, year: int) -> str:
    district = area
    while district.parent is not None:
        district = district.parent
    sequence = int(next_reference(session, REFERENCE_PREFIX, year)[-6:])
    return f"{district.name}打传考评〔{year}〕第{sequence}号"


def _draw_ids(draws: dict) -> dict:
    """The sampled records, stored by id (or as text for things without one) in draw order."""
    return {key: [getattr(item, "id", item) if isinstance(getattr(item, "id", item), (int, str)) else str(item)
                  for item in items] for key, items in draws.items()}


def compute(session: Session, area: Area, start: date, end: date, settings: AssessmentSettings,
            seed: int, today: date | None = None) -> tuple[list[tuple[Rule, Outcome | None]], Lot]:
    """Every rule's outcome for `area` and the period (nothing is written): for the run and for checking."""
    lot = Lot(seed)
    scope = Scope(session=session, area=area, start=start, end=end, settings=settings, lot=lot, today=today)
    return [(rule, _rule_outcome(rule, scope)) for rule in RULES], lot


def run(session: Session, *, area_id: int, start: date, end: date, actor_id: int | None, now: datetime,
        seed: int | None = None, settings: AssessmentSettings | None = None,
        job_id: int | None = None) -> AssessmentRun:
    """Score `area` for the period as a new DRAFT version (the previous version's manual entries carry over).

    `actor_id` None is the system (the worker acting for the user who queued the job checks access there)."""
    area = session.get(Area, area_id)
    if area is None:
        raise NotFound(f"区域 {area_id} 不存在。")
    if actor_id is not None:
        _actor(session, actor_id, RUN_ROLES, "您无权进行考评。", area.path)
    if start > end:
        raise ValidationFailed({"start": ["考评期间的开始日期不能晚于结束日期。"]})
    settings = settings or AssessmentSettings()
    seed = seed if seed is not None else secrets.randbelow(2 ** 31)
    previous = session.scalar(sa.select(AssessmentRun).where(
        AssessmentRun.area_id == area.id, AssessmentRun.period_start == start, AssessmentRun.period_end == end)
        .order_by(AssessmentRun.version.desc()).limit(1))
    outcomes, lot = compute(session, area, start, end, settings, seed, office_date(now))
    run_row = AssessmentRun(number=_number(session, area, now.year), area_id=area.id, area_path=area.path,
                            period_start=start, period_end=end, version=(previous.version + 1) if previous else 1,
                            status=AssessmentStatus.DRAFT, seed=seed, settings_snapshot=settings.snapshot(),
                            draws=_draw_ids(lot.draws), total=Decimal(0), created_by_id=actor_id, created_at=now,
                            supersedes_id=previous.id if previous else None, job_id=job_id)
    session.add(run_row)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        # Someone made this version of the area's assessment at the same moment: theirs stands.
        raise AssessmentConflict() from None
    carried = _manual_entries(session, previous.id) if previous else {}
    rows: list[AssessmentRow] = []
    findings_rows: list[dict] = []
    for position, (rule, outcome) in enumerate(outcomes):
        row = AssessmentRow(run_id=run_row.id, rule_id=rule.id, position=position, override_reason="",
                            computed_deduction=outcome.deduction if outcome else None,
                            count=outcome.count if outcome else 0, no_data=bool(outcome and outcome.no_data),
                            note=(outcome.note if outcome else "")[:2000])
        if rule.id in carried and rule.method != Method.COMPUTED:
            row.manual_deduction = carried[rule.id].deduction
            session.add(AssessmentEvidence(run_id=run_row.id, rule_id=rule.id, kind=EvidenceKind.MANUAL,
                                           deduction=carried[rule.id].deduction, note=carried[rule.id].note,
                                           file=carried[rule.id].file, file_name=carried[rule.id].file_name,
                                           file_type=carried[rule.id].file_type,
                                           entered_by_id=carried[rule.id].entered_by_id,
                                           entered_at=carried[rule.id].entered_at))
        rows.append(row)
        # Only the records that cost points are kept: the drill-down lists exactly those; how many records the
        # rule looked at stays in the row's count (a street's year holds thousands of blameless ones).
        findings_rows += [{"run_id": run_row.id, "rule_id": rule.id, "kind": f.kind, "record_id": f.record_id,
                           "label": f.label[:500], "deduction": f.deduction, "url": f.url}
                          for f in (costly(outcome.findings) if outcome else ())]
    session.add_all(rows)
    if findings_rows:
        # One executemany: a district's run can find thousands of records.
        session.execute(sa.insert(AssessmentFinding), findings_rows)
    run_row.total = scoring.settle(rows)
    session.flush()
    audit.record(session, now, "assessment_run", actor_id, None, None, run_id=run_row.id, number=run_row.number,
                 area_id=area.id, start=start.isoformat(), end=end.isoformat(), version=run_row.version,
                 seed=seed, total=str(run_row.total))
    return run_row


def _manual_entries(session: Session, run_id: int) -> dict[str, AssessmentEvidence]:
    """The latest manual entry per rule of a run."""
    latest: dict[str, AssessmentEvidence] = {}
    for evidence in session.scalars(sa.select(AssessmentEvidence).where(
            AssessmentEvidence.run_id == run_id, AssessmentEvidence.kind == EvidenceKind.MANUAL)
            .order_by(AssessmentEvidence.id)):
        latest[evidence.rule_id] = evidence
    return latest


# ---------------------------------------------------------------- hand entries
def _points(rule: Rule, value, field: str) -> Decimal:
    try:
        points = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationFailed({field: ["扣分须为数字，如 0.5。"]}) from None
    if not points.is_finite() or points < 0 or points > rule.cap:
        raise ValidationFailed({field: [f"扣分须在 0 至 {rule.cap} 分之间（本项最多扣 {rule.cap} 分）。"]})
    if points != points.quantize(scoring.CENT):
        raise ValidationFailed({field: ["扣分最多保留两位小数。"]})
    return points


def _rule(rule_id: str) -> Rule:
    rule = BY_ID.get(rule_id)
    if rule is None:
        raise NotFound(f"考评细则 {rule_id} 不存在。")
    return rule


def _row(session: Session, run_id: int, rule_id: str) -> AssessmentRow:
    return session.scalars(sa.select(AssessmentRow).where(AssessmentRow.run_id == run_id,
                                                          AssessmentRow.rule_id == rule_id)).one()


def _settle_with_evidence(session: Session, run: AssessmentRun, rule: Rule, kind: EvidenceKind, points: Decimal,
                          note: str, actor_id: int, now: datetime, stored: dict | None = None) -> None:
    """Keep who entered what and why (with the file webapp.uploads.store returned, if any) beside the row, and
    settle the run's total again."""
    stored = stored or {}
    session.add(AssessmentEvidence(run_id=run.id, rule_id=rule.id, kind=kind, deduction=points, note=note[:2000],
                                   file=stored.get("sha256", ""), file_name=stored.get("name", "")[:255],
                                   file_type=stored.get("content_type", "")[:100], entered_by_id=actor_id,
                                   entered_at=now))
    run.total = scoring.settle(list(session.scalars(sa.select(AssessmentRow).where(AssessmentRow.run_id == run.id))))
    session.flush()


def enter_manual(session: Session, run_id: int, rule_id: str, *, deduction, note: str, evidence: dict | None = None,
                 actor_id: int, now: datetime) -> AssessmentRow:
    """An inspector's entry for a hand-scored (MANUAL or BOTH) row of a draft, with a note and optionally a file
    (`evidence` = what webapp.uploads.store returned: {"sha256", "name", "content_type", ...}); a later entry
    replaces the earlier one."""
    rule = _rule(rule_id)
    run = _draft(session, run_id)
    _actor(session, actor_id, ENTER_ROLES, "您无权录入考评结果。", run.area_path)
    if rule.method == Method.COMPUTED:
        raise ValidationFailed({"deduction": ["本项由系统计算，不能人工录入；如计算有误，请由督办领导更正并说明理由。"]})
    points = _points(rule, deduction, "deduction")
    note = (note or "").strip()
    if not note:
        raise ValidationFailed({"note": ["请说明扣分依据（查阅台账、暗访巡查或问卷的情况）。"]})
    row = _row(session, run.id, rule.id)
    row.manual_deduction = points
    stored = evidence or {}
    _settle_with_evidence(session, run, rule, EvidenceKind.MANUAL, points, note, actor_id, now, stored)
    audit.record(session, now, "assessment_manual_entry", actor_id, None, None, run_id=run.id, rule_id=rule.id,
                 deduction=str(points), note=note, file=stored.get("sha256", ""))
    return row


def override(session: Session, run_id: int, rule_id: str, *, deduction, reason: str, actor_id: int,
             now: datetime) -> AssessmentRow:
    """A supervisor replaces a computed figure of a draft; the reason is required and shown beside the figure."""
    rule = _rule(rule_id)
    run = _draft(session, run_id)
    _actor(session, actor_id, OVERRIDE_ROLES, "只有督办领导可以更正系统计算的扣分。", run.area_path)
    if rule.method == Method.MANUAL:
        raise ValidationFailed({"deduction": ["本项为人工录入项，请直接录入扣分。"]})
    points = _points(rule, deduction, "deduction")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": ["更正系统计算的扣分必须说明理由。"]})
    row = _row(session, run.id, rule.id)
    before = row.override_deduction if row.override_deduction is not None else row.computed_deduction
    row.override_deduction, row.override_reason = points, reason[:1000]
    _settle_with_evidence(session, run, rule, EvidenceKind.OVERRIDE, points, reason, actor_id, now)
    audit.record(session, now, "assessment_override", actor_id, None, None, run_id=run.id, rule_id=rule.id,
                 computed=str(row.computed_deduction), before=str(before), deduction=str(points), reason=reason)
    return row


def publish(session: Session, run_id: int, *, actor_id: int, now: datetime) -> AssessmentRun:
    """Freeze a draft: from now on it is the numbered document and never changes."""
    run = _draft(session, run_id)
    _actor(session, actor_id, PUBLISH_ROLES, "只有督办领导可以发布考评结果。", run.area_path)
    run.status, run.published_by_id, run.published_at = AssessmentStatus.PUBLISHED, actor_id, now
    session.flush()
    audit.record(session, now, "assessment_published", actor_id, None, None, run_id=run.id, number=run.number,
                 total=str(run.total))
    return run


# ---------------------------------------------------------------- reading
def rows(session: Session, run_id: int, viewer_id: int | None = None) -> list[dict]:
    """The score sheet in Annex order: {"rule": Rule, "row": AssessmentRow, "evidence": [AssessmentEvidence]}."""
    run = get_run(session, run_id, viewer_id)
    evidence: dict[str, list[AssessmentEvidence]] = {}
    for item in session.scalars(sa.select(AssessmentEvidence).where(AssessmentEvidence.run_id == run.id)
                                .order_by(AssessmentEvidence.id)):
        evidence.setdefault(item.rule_id, []).append(item)
    out = []
    for row in session.scalars(sa.select(AssessmentRow).where(AssessmentRow.run_id == run.id)
                               .order_by(AssessmentRow.position)):
        rule = BY_ID.get(row.rule_id)
        if rule is not None:
            out.append({"rule": rule, "row": row, "evidence": evidence.get(row.rule_id, [])})
    return out


def findings(session: Session, run_id: int, rule_id: str, viewer_id: int | None = None) -> list[AssessmentFinding]:
    """The records behind one row's computed deduction, in the order the rule found them."""
    run = get_run(session, run_id, viewer_id)
    return list(session.scalars(sa.select(AssessmentFinding).where(
        AssessmentFinding.run_id == run.id, AssessmentFinding.rule_id == rule_id).order_by(AssessmentFinding.id)))


def versions(session: Session, area_id: int, start: date, end: date) -> list[AssessmentRun]:
    """Every version of one area's assessment for one period, newest first."""
    return list(session.scalars(sa.select(AssessmentRun).where(
        AssessmentRun.area_id == area_id, AssessmentRun.period_start == start, AssessmentRun.period_end == end)
        .order_by(AssessmentRun.version.desc())))


def streets(session: Session, district_area_id: int) -> list[Area]:
    """The streets under an area (the district), in address order."""
    district = session.get(Area, district_area_id)
    if district is None:
        raise NotFound(f"区域 {district_area_id} 不存在。")
    return list(session.scalars(sa.select(Area).where(Area.kind == "street", Area.path.startswith(district.path))
                                .order_by(Area.path)))


def ranking(session: Session, *, district_area_id: int, start: date, end: date,
            viewer_id: int | None = None) -> list[tuple[Area, AssessmentRun | None]]:
    """The streets with their latest run for the period (published or draft), best total first; streets not yet
    assessed come last. With `viewer_id`, only the streets the viewer sees."""
    viewer = access.active_user(session, viewer_id) if viewer_id is not None else None
    out = []
    for street in streets(session, district_area_id):
        if viewer is not None and not access.sees(viewer, street.path):
            continue
        latest = session.scalar(sa.select(AssessmentRun).where(
            AssessmentRun.area_id == street.id, AssessmentRun.period_start == start,
            AssessmentRun.period_end == end).order_by(AssessmentRun.version.desc()).limit(1))
        out.append((street, latest))
    return sorted(out, key=lambda pair: (pair[1] is None, -(pair[1].total if pair[1] else 0), pair[0].path))


def settings_of(run: AssessmentRun) -> list[dict]:
    """The readings of the table the run was scored with, explained, for the score sheet."""
    return AssessmentSettings.from_dict(run.settings_snapshot or {}).described()
