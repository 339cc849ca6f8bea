"""Helpers for the assessment tests: compute one rule over the demo database, run and read score sheets."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from workflows.assessment import service
from workflows.assessment.rules import BY_ID
from workflows.assessment.rules.base import Lot, Scope
from workflows.assessment.settings import AssessmentSettings
from workflows.org.accounts import add_user
from workflows.org.models import Area

STREET = "吴家山街"          # a key street in the demo district
OTHER_STREET = "长青街"      # not a key street


def outcome(services, rule_id: str, area_name: str = STREET, start=date(2026, 1, 1), end=date(2026, 12, 31),
            seed: int = 1, **settings):
    """The rule's outcome for the area and period, with its lot (to see what was drawn)."""
    with services.db.read() as s:
        area = s.scalar(sa.select(Area).where(Area.full_name == area_name))
        lot = Lot(seed)
        scope = Scope(session=s, area=area, start=start, end=end, settings=AssessmentSettings(**settings), lot=lot)
        return BY_ID[rule_id].compute(scope), lot


def run(services, lookup, clock, area_name: str = STREET, username: str = "dubanban", start=date(2026, 1, 1),
        end=date(2026, 12, 31), seed: int = 1, **kw) -> int:
    with services.db.unit_of_work() as s:
        return service.run(s, area_id=lookup.area(area_name), start=start, end=end, actor_id=lookup.user(username),
                           now=clock.now(), seed=seed, **kw).id


def sheet(services, run_id: int) -> dict:
    """rule id -> its row."""
    with services.db.read() as s:
        return {r["rule"].id: r["row"] for r in service.rows(s, run_id)}


def add_assessor(services, username: str = "kaoping", area_name: str | None = None) -> int:
    with services.db.unit_of_work() as s:
        area = s.scalar(sa.select(Area).where(Area.full_name == area_name)) if area_name else \
            s.scalar(sa.select(Area).where(Area.parent_id.is_(None)))
        return add_user(s, username, "Kaoping-2026!x", "考评人员 郑敏", "assessor", area).id


def caught_case(cases, persons: list[dict], close: bool = True, title: str = "测试窝点", **flags) -> int:
    """A six-step case that finds `persons` in the demo room; closing it enters them in the blacklist."""
    from engine_helpers import comparison

    case = cases.start(title)
    cases.do(case, "sweep", {"suspicious": True, "house_type": "rental"})
    cases.do(case, "entry", {"door_opened": True, "officers": ["王建国", "李卫东"], "persons": persons})
    cases.do(case, "initial_check", {"mlm_found": True})
    cases.do(case, "evidence", {"evidence_summary": "课堂笔记、账本"})
    cases.do(case, "comparison", comparison(has_participants=True, **flags))
    if close:
        for task in sorted(cases.ready(case)):
            cases.do(case, task, {"result": "已处置"})
        cases.do(case, "close_case", {"summary": "处置完毕"})
    return case
