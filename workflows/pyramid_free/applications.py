"""申报: a community (a node of the address tree) or a registered platform applies for a year with its
self-assessment; the naming process then runs (street, namer, inspectors). Each call is one unit of work."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows import audit
from workflows.engine.context import ActionContext
from workflows.engine.models import ProcessInstance
from workflows.exceptions import NotFound, PermissionDenied, ValidationFailed, WorkflowError
from workflows.org.access import active_user, check_sees
from workflows.org.models import Area
from workflows.pyramid_free import checklist, lots
from workflows.pyramid_free.models import Naming, Platform
from workflows.pyramid_free.options import COMMUNITY, PLATFORM, SUBJECT_NAMES, options
from workflows.vocabulary import InstanceStatus, NamingStatus

NAMING_PROCESS = "pyramid_free_naming"
# Who may file an application: the community itself, or (for a platform) the namer or market supervision.
APPLICANT_ROLES = {COMMUNITY: {"pf_community", "pf_namer"}, PLATFORM: {"pf_namer", "market"}}
OPEN = (NamingStatus.APPLIED, NamingStatus.NAMED, NamingStatus.RECTIFYING)


def naming_id_of(session: Session, inst: ProcessInstance) -> int | None:
    """The naming an instance of either 创无 process works on."""
    return session.scalar(sa.select(Naming.id).where(sa.or_(Naming.instance_id == inst.id,
                                                            Naming.watch_instance_id == inst.id)))


def _check_may_apply(session: Session, ctx_now, opts: dict, subject: str, column, subject_id: int, year: int):
    if not ctx_now.year - 1 <= year <= ctx_now.year + 1:
        raise ValidationFailed({"year": [f"申报年度应为 {ctx_now.year - 1} 至 {ctx_now.year + 1} 年"]})
    earlier = session.scalars(sa.select(Naming).where(Naming.subject == subject, column == subject_id)
                              .order_by(Naming.id.desc())).all()
    for naming in earlier:
        if naming.status in OPEN:
            raise WorkflowError("该对象已有正在办理的申报或有效命名，不能重复申报。")
        if naming.status == NamingStatus.REVOKED:
            again = naming.revoked_at + timedelta(days=int(opts["reapply_after_days"]))
            if ctx_now < again:
                raise WorkflowError(f"该对象的命名已于 {naming.revoked_at:%Y-%m-%d} 撤销，"
                                    f"{again:%Y-%m-%d} 以后方可重新申报。")
            break


def _self_assessment(session: Session, opts: dict, naming: Naming, entries: dict, now) -> dict:
    """The applicant's own scores for the manual items (the records score the others)."""
    result = checklist.score(session, opts, naming, entries or {}, now)
    return {"entries": entries, "score": result["score"], "passed": result["passed"]}


def _start(services, s: Session, actor, naming: Naming, title: str) -> Naming:
    ctx = services.workflow.context(s, actor.id)
    s.add(naming)
    s.flush()
    started = services.workflow.start_within(ctx, NAMING_PROCESS, {
        "subject": naming.subject, "naming_id": naming.id, "year": naming.year,
        "self_score": naming.self_assessment.get("score")}, naming.area_id, title, actor_id=actor.id)
    naming.instance_id = started.instance.id
    audit.record(s, ctx.now, "pf_applied", actor.id, started.instance.id, naming_id=naming.id,
                 subject=naming.subject, year=naming.year, self_score=naming.self_assessment.get("score"))
    return naming


def apply_community(services, actor_id: int, area_id: int, year: int, entries: dict) -> int:
    """A community applies for `year` with its self-assessment (item code -> {score, note})."""
    with services.db.unit_of_work() as s:
        actor = active_user(s, actor_id)
        area = s.get(Area, area_id)
        if area is None or area.kind != "community":
            raise NotFound("请选择申报的社区（村）。")
        if not actor.role_set & APPLICANT_ROLES[COMMUNITY]:
            raise PermissionDenied("只有创建社区或命名单位可以提交社区（村）创建申报。")
        check_sees(actor, area.path)
        now, opts = services.workflow.now(), options(services.settings)
        _check_may_apply(s, now, opts, COMMUNITY, Naming.area_id, area.id, year)
        naming = Naming(subject=COMMUNITY, area_id=area.id, area_path=area.path, year=year,
                        status=NamingStatus.APPLIED, applied_at=now, applied_by_id=actor.id, updated_at=now)
        naming.self_assessment = _self_assessment(s, opts, naming, entries, now)
        return _start(services, s, actor, naming, f"{area.full_name} {year}年{SUBJECT_NAMES[COMMUNITY]}创建").id


def apply_platform(services, actor_id: int, platform_id: int, year: int, entries: dict | None = None) -> int:
    """A registered platform applies for `year` (filed by the namer or market supervision on its behalf); without
    `entries` its statement is that it meets every duty, which the acceptance inspection then scores."""
    with services.db.unit_of_work() as s:
        actor = active_user(s, actor_id)
        platform = s.get(Platform, platform_id)
        if platform is None:
            raise NotFound("找不到该网络平台。")
        if not actor.role_set & APPLICANT_ROLES[PLATFORM]:
            raise PermissionDenied("只有命名单位或市场监管人员可以提交网络平台创建申报。")
        check_sees(actor, platform.area_path)
        now, opts = services.workflow.now(), options(services.settings)
        _check_may_apply(s, now, opts, PLATFORM, Naming.platform_id, platform.id, year)
        naming = Naming(subject=PLATFORM, area_id=platform.area_id, area_path=platform.area_path,
                        platform_id=platform.id, year=year, status=NamingStatus.APPLIED, applied_at=now,
                        applied_by_id=actor.id, updated_at=now)
        if entries is None:
            entries = {i["code"]: {"score": i["weight"], "note": "平台自评"}
                       for i in checklist.items_for(s, opts, naming) if i["mode"] == checklist.MANUAL}
        naming.self_assessment = _self_assessment(s, opts, naming, entries, now)
        return _start(services, s, actor, naming, f"{platform.name} {year}年{SUBJECT_NAMES[PLATFORM]}创建").id


def draw_sample_within(ctx: ActionContext, naming: Naming, seed: str | None = None):
    """Draw the households (rooms of the community) the acceptance visits; platforms have none."""
    if naming.subject != COMMUNITY:
        return None
    rooms = list(ctx.session.scalars(sa.select(Area.id).where(Area.kind == "room",
                                                              Area.path.startswith(naming.area_path))))
    return lots.draw(ctx.session, ctx.now, lots.SAMPLE, str(naming.id), rooms,
                     int(options(ctx.settings)["sample_size"]), ctx.actor_id, seed, naming_id=naming.id)


def households(session: Session, draw) -> list[str]:
    """The drawn households' addresses, in the order drawn (for the inspectors' form)."""
    if draw is None:
        return []
    names = dict(session.execute(sa.select(Area.id, Area.full_name).where(Area.id.in_(draw.picked))).all())
    return [names.get(i, str(i)) for i in draw.picked]


def inspection_under_way(session: Session, naming: Naming) -> int | None:
    """The instance whose inspection the households are drawn for: the acceptance or a re-inspection."""
    for instance_id in (naming.watch_instance_id, naming.instance_id if naming.status == NamingStatus.APPLIED else None):
        inst = session.get(ProcessInstance, instance_id) if instance_id else None
        if inst is not None and inst.status == InstanceStatus.RUNNING:
            return inst.id
    return None


def redraw_sample(services, actor_id: int, naming_id: int) -> int:
    """Draw the households again (a new seed, kept beside the earlier draws, which stay verifiable); the open
    inspection's form then shows the new households."""
    with services.db.unit_of_work() as s:
        actor = active_user(s, actor_id)
        naming = s.get(Naming, naming_id)
        if naming is None or naming.subject != COMMUNITY:
            raise NotFound("找不到该社区（村）创建申报。")
        if not actor.role_set & {"pf_namer", "pf_inspector"}:
            raise PermissionDenied("只有命名单位或验收人员可以重新抽签。")
        check_sees(actor, naming.area_path)
        instance_id = inspection_under_way(s, naming)
        if instance_id is None:
            raise WorkflowError("当前没有进行中的验收或复查，不能重新抽签。")
        ctx = services.workflow.context(s, actor_id)
        draw = draw_sample_within(ctx, naming)
        services.workflow.update_open_data(ctx, instance_id, {"sample_households": households(s, draw)})
        return draw.id
