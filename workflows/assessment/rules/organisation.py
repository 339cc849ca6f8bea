"""Group 1 组织保障 (7 points), scored from the office's records (workflows/office_records): the 241 task force
and its make-up, the funding statement, the street's and communities' working groups, key areas' full-time
teams, and the year's work plan, emergency plan and assessment rules. What no record shows (the 工作格局, the
部署 and 落实 of the plan) an inspector adds by hand with evidence on the BOTH rows."""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from workflows.assessment.rules.base import Finding, Method, Outcome, Scope, computed
from workflows.office_records import documents, organisation as groups
from workflows.org import areas
from workflows.org.models import Area
from workflows.org.roles import ROLE_NAMES
from workflows.sweeps.service import is_key_area

GROUP = "组织保障"
LEAD, MECHANISM = "组织领导", "工作机制"
ONE, HALF = Decimal("1"), Decimal("0.5")


def _years(scope: Scope) -> range:
    return range(scope.start.year, scope.end.year + 1)


def _group_url(group) -> str:
    return f"/office-records/groups/{group.id}"


def task_force_and_funding(scope: Scope) -> Outcome:
    """1.1.1: a complete 241 task force (2 police, 4 market supervision, 1 housing) existing in the period, and a
    funding statement for each year of it; one point for each missing."""
    s, findings = scope.session, []
    forces = groups.groups_at(s, scope.area.path, groups.TASK_FORCE, scope.start, scope.end)
    complete = [g for g in forces if not groups.shortfall(s, g)]
    if not forces:
        findings.append(Finding("task_force", None, f"{scope.area.name}无“241”工作专班记录", ONE))
    elif not complete:
        lacking = groups.shortfall(s, forces[-1])
        findings.append(Finding("task_force", forces[-1].id, f"“241”工作专班“{forces[-1].name}”人员不足：" + "、".join(
            f"缺{ROLE_NAMES[role]} {n} 名" for role, n in lacking.items()), ONE, _group_url(forces[-1])))
    funding = 0
    for year in _years(scope):
        found = documents.documents_of(s, scope.area.path, documents.FUNDING, year)
        funding += len(found)
        if not found:
            findings.append(Finding("funding", None, f"{year}年无经费保障说明", ONE))
    return Outcome(sum((f.deduction for f in findings), Decimal(0)), len(forces) + funding, tuple(findings),
                   note="工作格局一项由考评人员查阅台账后人工录入。")


def working_groups(scope: Scope) -> Outcome:
    """1.1.2: the street has a working group, and so does each community inside it; one point for each missing."""
    s, area = scope.session, scope.area
    findings, looked = [], 0
    units = []
    if area.kind == "street":
        units.append((area, groups.STREET_GROUP))
    communities = s.scalars(sa.select(Area).where(areas.under(s, Area.path, area.path), Area.kind == "community")
                            .order_by(Area.path))
    units += [(c, groups.COMMUNITY_GROUP) for c in communities]
    for unit, kind in units:
        found = groups.groups_at(s, unit.path, kind, scope.start, scope.end)
        found = [g for g in found if g.area_id == unit.id]
        looked += len(found)
        if not found:
            findings.append(Finding(unit.kind, unit.id, f"{unit.full_name}无{groups.KINDS[kind]}", ONE))
    return Outcome(sum((f.deduction for f in findings), Decimal(0)), looked, tuple(findings))


def key_units(scope: Scope) -> list[Area]:
    """The key areas (重点区域) a row about them counts, read as the sweeps row 3.1.1 reads them: the unit itself
    when it lies in a key area, else the outermost key areas inside it. Read once per run (three rows ask)."""
    return list(scope.remembered("key_units", lambda: _read_key_units(scope)))


def _read_key_units(scope: Scope) -> list[Area]:
    if is_key_area(scope.session, scope.area):
        return [scope.area]
    marked = list(scope.session.scalars(sa.select(Area).where(
        Area.is_key_area.is_(True), areas.under(scope.session, Area.path, scope.area.path)).order_by(Area.path)))
    return [a for a in marked if not any(a is not b and a.path.startswith(b.path) for b in marked)]


def key_area_teams(scope: Scope) -> Outcome:
    """1.1.3: each key area (重点区域) has a full-time team inside it; one point for each without."""
    s, key = scope.session, key_units(scope)
    findings, looked = [], 0
    for area in key:
        found = groups.groups_at(s, area.path, groups.KEY_AREA_TEAM, scope.start, scope.end)
        looked += len(found)
        if not found:
            findings.append(Finding(area.kind, area.id, f"重点区域{area.full_name}无专职打传队伍", ONE))
    note = "" if key else "辖区内无重点涉传区域，本项不适用。"
    return Outcome(sum((f.deduction for f in findings), Decimal(0)), looked, tuple(findings), note=note)


def _document_rule(kind: str, deduction: Decimal, note: str = ""):
    def compute(scope: Scope) -> Outcome:
        findings, looked = [], 0
        for year in _years(scope):
            found = documents.documents_of(scope.session, scope.area.path, kind, year)
            looked += len(found)
            if not found:
                findings.append(Finding("document", None, f"{year}年无{documents.KINDS[kind]}", deduction))
        return Outcome(sum((f.deduction for f in findings), Decimal(0)), looked, tuple(findings), note=note)
    compute.__doc__ = f"A {kind} document of each year of the period, at the unit or above it."
    return compute


RULES = (
    computed("1.1.1", GROUP, LEAD, "5",
             "建立健全“党政主导、政法牵头、部门协同、公众参与、综合治理”的打击传销工作格局；有“241”工作专班；有足额经费保障。",
             "未落实一项扣 1 分", "查阅台账", task_force_and_funding, method=Method.BOTH),
    computed("1.1.2", GROUP, LEAD, "5", "街道、社区有打传工作小组。", "未落实一项扣 1 分", "查阅台账", working_groups),
    computed("1.1.3", GROUP, LEAD, "5", "重点区有专职打传队伍。", "未落实一项扣 1 分", "查阅台账", key_area_teams),
    computed("1.2.1", GROUP, MECHANISM, "2", "“长效机制”“打传创无”工作有方案、有部署、有落实。",
             "未落实一项扣 1 分", "查阅台账",
             _document_rule(documents.WORK_PLAN, ONE, "有部署、有落实两项由考评人员查阅台账后人工录入。"),
             method=Method.BOTH),
    # The system sees whether the plan and the rules exist; whether they are 完善 the inspector judges.
    computed("1.2.2", GROUP, MECHANISM, "2", "建立完善《处置传销突发事件应急预案》。", "未落实一项扣 0.5 分", "查阅台账",
             _document_rule(documents.EMERGENCY_PLAN, HALF, "预案是否完善由考评人员查阅后人工录入。"),
             method=Method.BOTH),
    computed("1.2.3", GROUP, MECHANISM, "2", "根据长效机制建立完善的考评制度。", "缺一项扣 0.5 分", "查阅台账",
             _document_rule(documents.ASSESSMENT_RULES, HALF, "制度是否完善由考评人员查阅后人工录入。"),
             method=Method.BOTH),
)
