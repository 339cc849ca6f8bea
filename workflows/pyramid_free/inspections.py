"""An inspection step (acceptance, re-inspection, re-check): who inspected, the scored checklist, serious
problems found; stored with the households drawn by lot for it."""
from __future__ import annotations

import sqlalchemy as sa

from workflows import audit
from workflows.engine.context import ActionContext
from workflows.exceptions import ValidationFailed
from workflows.org.access import sees
from workflows.org.models import User
from workflows.pyramid_free import checklist, lots
from workflows.pyramid_free.models import Inspection, LotDraw, Naming
from workflows.pyramid_free.options import options

INSPECTOR_ROLE = "pf_inspector"
# 禁止传销条例 第十五条 asks at least two officers for on-site measures; the acceptance is done jointly by the
# police and market supervision (seed 000, Annex 2).
REQUIRED_UNITS = {"police": "公安", "market": "市场监管"}


def inspector_choices(session, area_path: str) -> list[dict]:
    """The inspectors who may inspect a place: {id, name}, for the form's choices."""
    users = session.scalars(sa.select(User).where(User.active.is_(True), User.roles.contains(INSPECTOR_ROLE))
                            .order_by(User.id)).all()
    return [{"id": u.id, "name": u.display_name} for u in users if u.has_role(INSPECTOR_ROLE) and sees(u, area_path)]


def check_inspectors(ctx: ActionContext, naming: Naming, inspector_ids: list) -> list[int]:
    ids = sorted({int(i) for i in inspector_ids if str(i).isdigit()})
    users = ctx.session.scalars(sa.select(User).where(User.id.in_(ids))).all() if ids else []
    problems = []
    if len(users) < 2:
        problems.append("验收须由至少两名验收人员共同进行")
    for u in users:
        if not (u.active and u.has_role(INSPECTOR_ROLE) and sees(u, naming.area_path)):
            problems.append(f"{u.display_name} 不是该地的验收人员")
    for role, label in REQUIRED_UNITS.items():
        if not any(u.has_role(role) for u in users):
            problems.append(f"验收人员中须有{label}人员")
    if ctx.actor_id is not None and ctx.actor_id not in ids:
        problems.append("提交人须为验收人员之一")
    if problems:
        raise ValidationFailed({"inspector_ids": problems})
    return ids


def latest_sample(session, naming_id: int) -> LotDraw | None:
    return session.scalar(sa.select(LotDraw).where(LotDraw.purpose == lots.SAMPLE, LotDraw.key == str(naming_id))
                          .order_by(LotDraw.id.desc()).limit(1))


def inspect(ctx: ActionContext, naming: Naming, kind: str, data: dict) -> Inspection:
    """Score and store one inspection; tells the diagram whether it passed and whether it found a serious problem."""
    opts = options(ctx.settings)
    ids = check_inspectors(ctx, naming, data.get("inspector_ids") or [])
    result = checklist.score(ctx.session, opts, naming, data.get("entries") or {}, ctx.now)
    serious = [p for p in data.get("serious_problems") or []]
    unknown = [p for p in serious if p not in opts["serious_problems"]]
    if unknown:
        raise ValidationFailed({"serious_problems": ["未知的重大问题类型：" + "、".join(unknown)]})
    manual = [i for i in result["items"] if i["mode"] == checklist.MANUAL]
    if manual and not data.get("evidence_files"):
        raise ValidationFailed({"files": ["人工评分的项目须上传现场照片或台账文件作为依据"]})
    draw = latest_sample(ctx.session, naming.id)
    row = Inspection(naming_id=naming.id, instance_id=ctx.instance.id, kind=kind, items=result["items"],
                     inspector_ids=ids, score=result["score"], pass_score=result["pass_score"],
                     passed=result["passed"], serious_problems=serious, draw_id=draw.id if draw else None,
                     at=ctx.now, by_id=ctx.actor_id)
    ctx.session.add(row)
    ctx.session.flush()
    audit.record(ctx.session, ctx.now, "pf_inspected", ctx.actor_id, ctx.instance.id, naming_id=naming.id,
                 inspection_id=row.id, inspection_kind=kind, score=row.score, passed=row.passed, serious=serious)
    data.update(passed=row.passed, score=row.score, serious=bool(serious), inspection_id=row.id)
    return row
