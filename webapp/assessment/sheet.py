"""A run as the score sheet the page, the XLSX export and the PDF report all show: the six groups with their second
levels and rows in Annex order, each row's computed, manual and overridden figures side by side, its source, its
records and evidence, and the settings and seed the run was computed with. Plain dicts, built once per request."""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows.assessment.models import AssessmentEvidence, AssessmentFinding, AssessmentRow, AssessmentRun
from workflows.assessment.rules import BY_ID, GROUP_WEIGHTS, TOTAL, Method, second_levels
from workflows.assessment.service import settings_of
from workflows.org.models import Area, User
from workflows.vocabulary import AssessmentStatus, EvidenceKind

from ..timefmt import fmt

STATUS_NAMES = {AssessmentStatus.DRAFT: "草稿", AssessmentStatus.PUBLISHED: "已发布"}
SOURCES = {Method.COMPUTED: "计算", Method.MANUAL: "录入", Method.BOTH: "两者"}
NO_DATA_PREFIX = "无数据："


def period_text(start: date, end: date) -> str:
    return f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"


def points(value) -> str:
    """2 -> "2", 1.50 -> "1.5": the way the Annex prints its points."""
    if value is None:
        return ""
    text = f"{Decimal(value):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _names(session: Session, user_ids) -> dict[int, str]:
    ids = {i for i in user_ids if i}
    if not ids:
        return {}
    return dict(session.execute(sa.select(User.id, User.display_name).where(User.id.in_(ids))).all())


def run_summary(run: AssessmentRun, area_name: str) -> dict:
    """What a list or a ranking shows of a run."""
    return {"id": run.id, "number": run.number, "area_name": area_name, "version": run.version,
            "status": run.status, "status_name": STATUS_NAMES.get(run.status, run.status),
            "period_text": period_text(run.period_start, run.period_end), "total": points(run.total),
            "created_at": run.created_at, "published": run.status == AssessmentStatus.PUBLISHED}


def settings_shown(run: AssessmentRun) -> list[dict]:
    """The seed-flaw choices the run was computed with, each with its explanation."""
    return [{"label": item["label"], "value": {True: "是", False: "否"}[item["value"]]
             if isinstance(item["value"], bool) else str(item["value"])} for item in settings_of(run)]


def _row(rule_id: str, row: AssessmentRow | None, evidence: list[AssessmentEvidence], findings: int,
         names: dict[int, str]) -> dict:
    rule = BY_ID.get(rule_id)
    manual = [e for e in evidence if e.kind == EvidenceKind.MANUAL]
    overrides = [e for e in evidence if e.kind == EvidenceKind.OVERRIDE]
    note = row.note if row else ""
    no_data = bool(row and row.no_data)
    return {
        "rule_id": rule_id, "group": rule.group if rule else "", "second": rule.second if rule else "",
        "text": rule.text if rule else rule_id, "scoring": rule.scoring if rule else "",
        "check": rule.check if rule else "", "sample": rule.sample if rule else None,
        "cap": points(rule.cap) if rule else "", "method": rule.method if rule else "",
        "source": SOURCES.get(rule.method, "") if rule else "",
        "enterable": bool(rule and rule.method in (Method.MANUAL, Method.BOTH)),
        "overridable": bool(rule and rule.method != Method.MANUAL),
        "computed": points(row.computed_deduction) if row and row.computed_deduction is not None else None,
        "manual": points(row.manual_deduction) if row and row.manual_deduction is not None else None,
        "override": points(row.override_deduction) if row and row.override_deduction is not None else None,
        "override_reason": row.override_reason if row else "",
        "override_by": names.get(overrides[-1].entered_by_id, "") if overrides else "",
        "manual_note": manual[-1].note if manual else "",
        "manual_by": names.get(manual[-1].entered_by_id, "") if manual else "",
        "evidence_files": [{"id": e.id, "name": e.file_name or "佐证材料"} for e in manual if e.file],
        "deduction": points(row.deduction if row else 0), "score": points(row.score if row else 0),
        # A hand-scored row looks at no records of the system.
        "count": row.count if row and rule and rule.method != Method.MANUAL else None, "no_data": no_data,
        "no_data_reason": note.removeprefix(NO_DATA_PREFIX) if no_data else "",
        "note": note, "findings": findings,
    }


def build(session: Session, run: AssessmentRun) -> dict:
    """The whole score sheet of `run` (the caller has checked the user may see it)."""
    rows = {r.rule_id: r for r in session.scalars(sa.select(AssessmentRow).where(AssessmentRow.run_id == run.id))}
    evidence: dict[str, list] = defaultdict(list)
    for e in session.scalars(sa.select(AssessmentEvidence).where(AssessmentEvidence.run_id == run.id)
                             .order_by(AssessmentEvidence.entered_at, AssessmentEvidence.id)):
        evidence[e.rule_id].append(e)
    finding_counts = dict(session.execute(
        sa.select(AssessmentFinding.rule_id, sa.func.count()).where(AssessmentFinding.run_id == run.id)
        .group_by(AssessmentFinding.rule_id)).all())
    names = _names(session, [run.created_by_id, run.published_by_id]
                   + [e.entered_by_id for items in evidence.values() for e in items])
    levels = second_levels()
    groups: dict[str, dict] = {}
    seconds: dict[str, dict] = {}
    # Annex order: the rules' order, then any stored row a newer rule list no longer has.
    order = [rule_id for rule_id in BY_ID if rule_id in rows or not rows]
    order += sorted(set(rows) - set(order), key=lambda rid: rows[rid].position)
    for rule_id in order:
        line = _row(rule_id, rows.get(rule_id), evidence.get(rule_id, []), finding_counts.get(rule_id, 0), names)
        rule = BY_ID.get(rule_id)
        group_name = rule.group if rule else "其他"
        group = groups.setdefault(group_name, {"name": group_name, "weight": GROUP_WEIGHTS.get(group_name, Decimal(0)),
                                               "deduction": Decimal(0), "seconds": []})
        key = rule.second_key if rule else rule_id
        if key not in seconds:
            name, weight = levels.get(key, (line["second"], Decimal(0)))
            seconds[key] = {"name": name, "weight": weight, "deduction": Decimal(0), "rows": []}
            group["seconds"].append(seconds[key])
        seconds[key]["rows"].append(line)
        row = rows.get(rule_id)
        if row is not None:
            seconds[key]["deduction"] += row.deduction
            group["deduction"] += row.deduction
    for group in groups.values():
        group["score"] = points(max(group["weight"] - group["deduction"], Decimal(0)))
        group["weight"], group["deduction"] = points(group["weight"]), points(group["deduction"])
        for second in group["seconds"]:
            second["weight"], second["deduction"] = points(second["weight"]), points(second["deduction"])
    published = run.status == AssessmentStatus.PUBLISHED
    area = session.get(Area, run.area_id)
    supersedes = session.get(AssessmentRun, run.supersedes_id) if run.supersedes_id else None
    return {
        **run_summary(run, area.full_name if area else ""),
        "title": f"{area.name if area else ''}打击传销工作检查考评计分表",
        "area_id": run.area_id, "area_path": run.area_path, "start": run.period_start, "end": run.period_end,
        "seed": run.seed, "settings": settings_shown(run),
        "draws": [{"key": key, "items": items} for key, items in sorted((run.draws or {}).items())],
        "full_marks": points(TOTAL), "deducted": points(TOTAL - Decimal(run.total)),
        "groups": list(groups.values()),
        "created_text": fmt(run.created_at), "created_by": names.get(run.created_by_id, ""),
        "published_text": fmt(run.published_at) if published else "",
        "published_by": names.get(run.published_by_id, "") if published else "",
        "supersedes_id": run.supersedes_id, "supersedes_number": supersedes.number if supersedes else "",
    }


def rule_rows(sheet: dict) -> dict[str, dict]:
    """rule id -> its row of the sheet."""
    return {r["rule_id"]: r for g in sheet["groups"] for sec in g["seconds"] for r in sec["rows"]}


def group_scores(session: Session, run_ids: list[int]) -> dict[int, dict[str, str]]:
    """run id -> {一级指标: score} for several runs at once (the ranking's columns)."""
    lost: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    if run_ids:
        for run_id, rule_id, deduction in session.execute(
                sa.select(AssessmentRow.run_id, AssessmentRow.rule_id, AssessmentRow.deduction)
                .where(AssessmentRow.run_id.in_(run_ids))):
            rule = BY_ID.get(rule_id)
            if rule is not None:
                lost[run_id][rule.group] += deduction
    return {run_id: {name: points(weight - lost[run_id][name]) for name, weight in GROUP_WEIGHTS.items()}
            for run_id in run_ids}
