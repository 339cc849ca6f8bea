"""The organisation behind the work (seed 000, 二(一) and Annex 3 group 1): the 241 task force (2 police, 4
market supervision, 1 housing officer), the street's and communities' working groups, and key areas' full-time
teams; members are the system's users, each group has the day it was formed (and dissolved)."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows.exceptions import ValidationFailed
from workflows.office_records.common import RecordKind, choice, day, fail, text
from workflows.office_records.models import WorkingGroup
from workflows.org.models import Area, User

TASK_FORCE, STREET_GROUP, COMMUNITY_GROUP, KEY_AREA_TEAM = "task_force_241", "street_group", "community_group", \
    "key_area_team"
KINDS = {TASK_FORCE: "“241”工作专班", STREET_GROUP: "街道打传工作小组", COMMUNITY_GROUP: "社区打传工作小组",
         KEY_AREA_TEAM: "重点区域专职打传队伍"}
# Where each kind of group sits in the address tree.
KIND_AREAS = {TASK_FORCE: ("district", "street"), STREET_GROUP: ("street",), COMMUNITY_GROUP: ("community",),
              KEY_AREA_TEAM: ("street", "community", "compound", "building")}
# "241": two police officers, four market supervision officers, one housing officer.
TASK_FORCE_NEEDS = {"police": 2, "market": 4, "housing": 1}
MAX_MEMBERS = 100


def clean(s: Session, data: dict, today: date, area: Area | None) -> dict:
    errors: dict[str, list[str]] = {}
    kind = choice(data, "kind", errors, "类别", KINDS)
    formed = day(data, "formed_on", errors, "成立日期", today, not_future=True)
    dissolved = day(data, "dissolved_on", errors, "撤销日期", today, required=False, not_future=True)
    if formed and dissolved and dissolved < formed:
        fail(errors, "dissolved_on", "撤销日期不能早于成立日期。")
    if area is not None and kind in KIND_AREAS and area.kind not in KIND_AREAS[kind]:
        fail(errors, "address", f"{KINDS[kind]}应登记在" + "或".join(
            {"district": "区", "street": "街道", "community": "社区", "compound": "小区", "building": "楼栋"}[k]
            for k in KIND_AREAS[kind]) + "。")
    ids = []
    for raw in data.get("members") or []:
        try:
            ids.append(int(raw))
        except (TypeError, ValueError):
            fail(errors, "members", "成员选择有误，请重新选择。")
    ids = list(dict.fromkeys(ids))
    if not ids:
        fail(errors, "members", "请选择成员。")
    elif len(ids) > MAX_MEMBERS:
        fail(errors, "members", f"成员不超过 {MAX_MEMBERS} 人。")
    else:
        users = {u.id: u for u in s.scalars(sa.select(User).where(User.id.in_(ids)))}
        if len(users) != len(ids):
            fail(errors, "members", "所选成员中有不存在的账号。")
        elif area is not None:
            outside = [u.display_name for u in users.values()
                       if u.area is not None and not (u.area.path.startswith(area.path)
                                                      or area.path.startswith(u.area.path))]
            if outside:
                fail(errors, "members", "以下成员不在该区域工作：" + "、".join(outside))
    values = {"kind": kind, "name": text(data, "name", errors, "名称", 200), "formed_on": formed,
              "dissolved_on": dissolved, "members": ids, "note": text(data, "note", errors, "说明", 500, required=False)}
    if errors:
        raise ValidationFailed(errors)
    return values


KIND = RecordKind(key="groups", model=WorkingGroup, title="打传工作机构", clean=clean, date_column="formed_on",
                  area_kinds=("district", "street", "community", "compound", "building"),
                  roles=frozenset({"supervisor", "admin"}),
                  label=lambda row: f"{KINDS.get(row.kind, row.kind)}：{row.name}")


def composition(s: Session, group: WorkingGroup) -> dict[str, int]:
    """How many active members hold each role of the 241 task force."""
    users = s.scalars(sa.select(User).where(User.id.in_(group.members or []), User.active.is_(True)))
    found = dict.fromkeys(TASK_FORCE_NEEDS, 0)
    for user in users:
        for role in TASK_FORCE_NEEDS:
            if user.has_role(role):
                found[role] += 1
                break
    return found


def shortfall(s: Session, group: WorkingGroup) -> dict[str, int]:
    """What a 241 task force lacks, role by role ({} when it is complete)."""
    found = composition(s, group)
    return {role: need - found[role] for role, need in TASK_FORCE_NEEDS.items() if found[role] < need}


def groups_at(s: Session, area_path: str, kind: str, start: date, end: date) -> list[WorkingGroup]:
    """The groups of `kind` inside `area_path` in existence at some time between `start` and `end`."""
    return list(s.scalars(sa.select(WorkingGroup).where(
        WorkingGroup.kind == kind, WorkingGroup.area_path.startswith(area_path), WorkingGroup.formed_on <= end,
        sa.or_(WorkingGroup.dissolved_on.is_(None), WorkingGroup.dissolved_on >= start))
        .order_by(WorkingGroup.id)))
