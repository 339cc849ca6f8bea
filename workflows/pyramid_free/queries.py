"""What the 创无 pages and exports read: the namings in the viewer's area with filters, one naming's record and
timeline, the platform register, coverage for the viewer's area. Every read goes through the one access rule."""
from __future__ import annotations

import sqlalchemy as sa

from workflows.audit.models import AuditEvent
from workflows.engine.models import ProcessInstance
from workflows.exceptions import NotFound
from workflows.org.access import active_user, check_sees, visible_clause, visible_prefix
from workflows.org.models import Area, User
from workflows.pyramid_free import coverage as coverage_figures
from workflows.pyramid_free import lots
from workflows.pyramid_free.lifecycle import subject_name
from workflows.pyramid_free.models import Inspection, LotDraw, Naming, Platform, PlatformReport
from workflows.pyramid_free.options import COMMUNITY, PLATFORM_TYPES, SUBJECT_NAMES, options
from workflows.vocabulary import NAMED_STATUSES, NAMING_STATUS_NAMES, NamingStatus

# The audit events that make up a naming's timeline, in words.
EVENT_NAMES = {"pf_applied": "提交创建申报", "pf_status": "状态变更", "pf_inspected": "检查评分",
               "pf_reinspection_opened": "启动复查", "pf_reinspection_cause": "复查事由追加", "started": "流程开始",
               "completed": "办理环节", "finished": "流程结束", "timer_fired": "期限届满", "notice_issued": "签发文书",
               "claimed": "认领", "released": "退回", "reassigned": "改派", "notice_printed": "打印文书",
               "notice_reprinted": "补打文书", "pf_lot_drawn": "随机抽签"}


def _street_of(session, path: str) -> str:
    ids = [int(x) for x in path.strip("/").split("/") if x]
    return session.scalar(sa.select(Area.name).where(Area.id.in_(ids), Area.kind == "street")) or ""


def list_namings(services, viewer_id: int, *, q: str = "", status: str = "", street_id: int | None = None,
                 year: int | None = None, subject: str = "", limit: int = 500) -> list[dict]:
    """Namings the viewer may see, newest first, as plain rows (also what the XLSX export writes)."""
    with services.db.read() as s:
        viewer = active_user(s, viewer_id)
        visible_prefix(viewer, "创建记录")
        query = sa.select(Naming).where(visible_clause(Naming.area_path, viewer)).order_by(Naming.id.desc())
        if status == NamingStatus.NAMED:
            query = query.where(Naming.status.in_(NAMED_STATUSES))  # under rectification still holds the name
        elif status in NAMING_STATUS_NAMES:
            query = query.where(Naming.status == status)
        if subject in SUBJECT_NAMES:
            query = query.where(Naming.subject == subject)
        if year:
            query = query.where(Naming.year == year)
        if street_id:
            street = s.get(Area, street_id)
            query = query.where(Naming.area_path.startswith(street.path)) if street else query.where(sa.false())
        if q.strip():
            # A community by its address name, a platform by its name or operator.
            query = (query.join(Area, Area.id == Naming.area_id).outerjoin(Platform, Platform.id == Naming.platform_id)
                     .where(sa.or_(sa.and_(Naming.subject == COMMUNITY, Area.full_name.contains(q.strip())),
                                   Platform.name.contains(q.strip()), Platform.operator.contains(q.strip()))))
        rows = []
        for naming in s.scalars(query.limit(limit)):
            name = subject_name(s, naming)
            rows.append({"id": naming.id, "subject": SUBJECT_NAMES[naming.subject], "name": name,
                         "street": _street_of(s, naming.area_path) if naming.subject == COMMUNITY else "",
                         "year": naming.year, "status": naming.status,
                         "status_name": NAMING_STATUS_NAMES[naming.status], "applied_at": naming.applied_at,
                         "named_at": naming.named_at, "revoked_at": naming.revoked_at,
                         "revoke_reason": naming.revoke_reason})
        return rows


def streets(services, viewer_id: int) -> list[Area]:
    with services.db.read() as s:
        viewer = active_user(s, viewer_id)
        return list(s.scalars(sa.select(Area).where(Area.kind == "street", visible_clause(Area.path, viewer))
                              .order_by(Area.path)))


def naming_record(services, viewer_id: int, naming_id: int) -> dict:
    """One naming: its facts, inspections (with the records behind computed items), draws and timeline."""
    with services.db.read() as s:
        viewer = active_user(s, viewer_id)
        naming = s.get(Naming, naming_id)
        if naming is None:
            raise NotFound("找不到该创建记录。")
        check_sees(viewer, naming.area_path)
        inspections = list(s.scalars(sa.select(Inspection).where(Inspection.naming_id == naming.id)
                                     .order_by(Inspection.id)))
        draws = list(s.scalars(sa.select(LotDraw).where(LotDraw.purpose == lots.SAMPLE,
                                                        LotDraw.key == str(naming.id)).order_by(LotDraw.id)))
        rooms = {a.id: a.full_name for a in s.scalars(sa.select(Area).where(
            Area.id.in_([i for d in draws for i in d.picked])))}
        opened = sa.select(AuditEvent.instance_id).where(AuditEvent.kind == "pf_reinspection_opened",
                                                         AuditEvent.details["naming_id"].as_integer() == naming.id)
        instances = list(s.scalars(sa.select(ProcessInstance).where(sa.or_(
            ProcessInstance.id == naming.instance_id, ProcessInstance.id.in_(opened))).order_by(ProcessInstance.id)))
        events = s.execute(sa.select(AuditEvent, User.display_name).outerjoin(User, User.id == AuditEvent.actor_id)
                           .where(sa.or_(AuditEvent.instance_id.in_([i.id for i in instances]),
                                         AuditEvent.details["naming_id"].as_integer() == naming.id))
                           .order_by(AuditEvent.at, AuditEvent.id)).all()
        users = {u.id: u.display_name for u in s.scalars(sa.select(User).where(
            User.id.in_([i for x in inspections for i in x.inspector_ids])))}
        timeline, seen = [], set()
        for event, actor in events:
            if event.id in seen:
                continue
            seen.add(event.id)
            timeline.append({"at": event.at, "kind": EVENT_NAMES.get(event.kind, event.kind), "actor": actor or "系统",
                             "details": _describe(event)})
        platform = s.get(Platform, naming.platform_id) if naming.platform_id else None
        return {"naming": naming, "name": subject_name(s, naming), "subject_name": SUBJECT_NAMES[naming.subject],
                "status_name": NAMING_STATUS_NAMES[naming.status], "inspections": inspections, "users": users,
                "draws": [{"draw": d, "verified": lots.verify(d), "rooms": [rooms.get(i, i) for i in d.picked]}
                          for d in draws],
                "instances": instances, "timeline": timeline, "platform": platform,
                "serious_names": options(services.settings)["serious_problems"],
                "may_redraw": naming.status == NamingStatus.APPLIED
                and bool(viewer.role_set & {"pf_namer", "pf_inspector"})}


def _describe(event: AuditEvent) -> str:
    d = event.details or {}
    if event.kind == "pf_status":
        text = f"{NAMING_STATUS_NAMES.get(d.get('before'), d.get('before'))} → {NAMING_STATUS_NAMES.get(d.get('after'), d.get('after'))}"
        extra = d.get("reason") or d.get("outcome") or d.get("certificate") or ""
        return f"{text}　{extra}".strip()
    if event.kind in ("pf_reinspection_opened", "pf_reinspection_cause"):
        return d.get("reason", "")
    if event.kind == "pf_inspected":
        return f"得分 {d.get('score')}，{'达标' if d.get('passed') else '未达标'}"
    if event.kind in ("completed", "started"):
        return d.get("title", "")
    if event.kind == "pf_lot_drawn":
        return f"种子 {d.get('seed', '')}，抽取 {len(d.get('picked') or [])} 户"
    if event.kind in ("notice_issued", "notice_printed", "notice_reprinted"):
        return f"{d.get('title', '')} {d.get('number', '')}"
    return ""


def list_platforms(services, viewer_id: int, q: str = "") -> list[dict]:
    with services.db.read() as s:
        viewer = active_user(s, viewer_id)
        visible_prefix(viewer, "网络平台")
        query = sa.select(Platform).where(visible_clause(Platform.area_path, viewer)).order_by(Platform.id)
        if q.strip():
            query = query.where(sa.or_(Platform.name.contains(q.strip()), Platform.operator.contains(q.strip()),
                                       Platform.credit_code == q.strip().upper()))
        out = []
        for p in s.scalars(query):
            naming = s.scalar(sa.select(Naming).where(Naming.platform_id == p.id).order_by(Naming.id.desc()).limit(1))
            reports = s.scalar(sa.select(sa.func.count()).where(PlatformReport.platform_id == p.id))
            out.append({"platform": p, "type_name": PLATFORM_TYPES.get(p.platform_type, p.platform_type),
                        "naming": naming, "status_name": NAMING_STATUS_NAMES[naming.status] if naming else "未申报",
                        "reports": reports})
        return out


def platform_record(services, viewer_id: int, platform_id: int) -> dict:
    """A platform's entry, its periodic reports and its applications (each with its own record and timeline)."""
    with services.db.read() as s:
        viewer = active_user(s, viewer_id)
        platform = s.get(Platform, platform_id)
        if platform is None:
            raise NotFound("找不到该网络平台。")
        check_sees(viewer, platform.area_path)
        reports = list(s.scalars(sa.select(PlatformReport).where(PlatformReport.platform_id == platform_id)
                                 .order_by(PlatformReport.period)))
        namings = [{"id": n.id, "year": n.year, "status_name": NAMING_STATUS_NAMES[n.status]}
                   for n in s.scalars(sa.select(Naming).where(Naming.platform_id == platform_id)
                                      .order_by(Naming.id.desc()))]
        return {"platform": platform, "reports": reports, "namings": namings}


def coverage_for(services, viewer_id: int, year: int) -> dict:
    """Coverage for the viewer's own area (the district for district-wide users)."""
    with services.db.read() as s:
        viewer = active_user(s, viewer_id)
        return coverage_figures.coverage(s, visible_prefix(viewer, "创建覆盖率"), year)
