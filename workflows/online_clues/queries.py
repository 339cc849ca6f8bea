"""Reading the clue ledger: the list with its search and filters, one clue with its links and timeline, and the
XLSX export; all inside the viewer's area by the one access rule."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from workflows.audit.models import AuditEvent
from workflows.complaints.models import Complaint
from workflows.engine.models import HumanTask, ProcessInstance
from workflows.exceptions import ValidationFailed
from workflows.ledgers.spreadsheets import to_xlsx
from workflows.online_clues.hooks import RISKS
from workflows.online_clues.models import LINK_KINDS, SOURCES, STATUS_NAMES, TIERS, OnlineClue, OnlineClueLink
from workflows.online_clues.service import visible_clue
from workflows.org import access
from workflows.org.models import Area, User
from workflows.penalties.models import PenaltyCase
from workflows.pyramid_free.models import Naming
from workflows.vocabulary import ClueStatus, EventKind, TaskState, end_name

# What each audit event of a clue means on its timeline.
EVENT_NAMES = {EventKind.STARTED: "流程启动", EventKind.COMPLETED: "完成", EventKind.FINISHED: "办结",
               EventKind.REASSIGNED: "改派", EventKind.ESCALATED: "升级", "claimed": "认领", "released": "退回",
               "clue_recorded": "登记线索", "clue_updated": "修改台账", "clue_complaint_linked": "关联举报",
               "clue_link_made": "已关联", "clue_platform_not_named": "平台未命名",
               "timer_fired": "定时触发", EventKind.OVERDUE_RAISED: "逾期上报", "penalty_started": "启动行政处罚程序"}


@dataclass
class ClueFilters:
    """The list's search and filters, as the page and the export take them."""

    q: str = ""
    status: str = ""
    street_id: int | None = None
    year: int | None = None

    def check(self) -> "ClueFilters":
        errors = {}
        if self.status and self.status not in STATUS_NAMES:
            errors["status"] = ["请选择列表中的状态"]
        if self.year is not None and not 2000 <= self.year <= 2100:
            errors["year"] = ["年度应为 2000–2100 之间的四位数"]
        if len(self.q) > 100:
            errors["q"] = ["搜索内容不能超过 100 个字"]
        if errors:
            raise ValidationFailed(errors)
        return self


def _query(s, user: User, filters: ClueFilters):
    query = sa.select(OnlineClue).where(access.visible_clause(OnlineClue.area_path, user))
    if filters.q:
        q = filters.q.strip()
        query = query.where(sa.or_(*[column.contains(q, autoescape=True) for column in (
            OnlineClue.reference, OnlineClue.scheme_name, OnlineClue.aliases, OnlineClue.urls, OnlineClue.app_ids,
            OnlineClue.platform_name, OnlineClue.platform_credit_code)]))
    if filters.status:
        query = query.where(OnlineClue.status == filters.status)
    if filters.street_id is not None:
        street = s.get(Area, filters.street_id)
        # A street the viewer cannot see filters to nothing rather than widening the view.
        path = street.path if street is not None and access.sees(user, street.path) else None
        query = query.where(OnlineClue.area_path.startswith(path) if path else sa.false())
    if filters.year is not None:
        query = query.where(OnlineClue.received_on >= date(filters.year, 1, 1),
                            OnlineClue.received_on <= date(filters.year, 12, 31))
    return query.order_by(OnlineClue.received_on.desc(), OnlineClue.id.desc())


def _row(clue: OnlineClue, areas: dict) -> dict:
    return {"id": clue.id, "reference": clue.reference, "received_on": clue.received_on,
            "source": SOURCES.get(clue.source, clue.source), "scheme_name": clue.scheme_name,
            "aliases": clue.aliases.split("\n") if clue.aliases else [], "platform_name": clue.platform_name,
            "platform_credit_code": clue.platform_credit_code, "area": areas.get(clue.area_id, ""),
            "status": clue.status, "status_name": STATUS_NAMES.get(clue.status, clue.status),
            "tier": TIERS.get(clue.tier, ""), "member_count": clue.member_count, "levels": clue.levels,
            "criminal_threshold_reached": clue.criminal_threshold_reached, "victim_count": clue.victim_count,
            "mass_incident_risk": RISKS.get(clue.mass_incident_risk, ""), "urls": clue.urls, "app_ids": clue.app_ids}


def list_clues(services, viewer_id: int, filters: ClueFilters, limit: int = 50, offset: int = 0) -> list[dict]:
    """Clues in the viewer's area, newest first, matching the search and filters."""
    filters.check()
    with services.db.read() as s:
        user = access.active_user(s, viewer_id)
        access.visible_prefix(user, "网络传销线索")
        clues = list(s.scalars(_query(s, user, filters).limit(limit).offset(offset)))
        areas = dict(s.execute(sa.select(Area.id, Area.full_name)
                               .where(Area.id.in_({c.area_id for c in clues}))).all()) if clues else {}
        return [_row(c, areas) for c in clues]


def view(services, viewer_id: int, clue_id: int) -> dict:
    """One clue for its page: its facts, screenshots, links, open steps and timeline."""
    with services.db.read() as s:
        user = access.active_user(s, viewer_id)
        clue = visible_clue(s, user, clue_id)
        area = s.get(Area, clue.area_id)
        inst = s.get(ProcessInstance, clue.instance_id)
        links = list(s.scalars(sa.select(OnlineClueLink).where(OnlineClueLink.clue_id == clue.id)
                               .order_by(OnlineClueLink.id)))
        open_steps = list(s.scalars(sa.select(HumanTask).where(HumanTask.instance_id == clue.instance_id,
                                                               HumanTask.state == TaskState.READY)))
        events = s.execute(sa.select(AuditEvent, User.display_name).outerjoin(User, User.id == AuditEvent.actor_id)
                           .where(AuditEvent.instance_id == clue.instance_id).order_by(AuditEvent.id)).all()
        return {
            "clue": _row(clue, {area.id: area.full_name}), "summary": clue.summary,
            "screenshots": list(clue.screenshots or []), "instance_id": clue.instance_id,
            "ended": end_name(inst.process_id, inst.end_event) if inst.end_event else "",
            "finished": clue.status in (ClueStatus.CLOSED, ClueStatus.DISMISSED),
            "links": _link_rows(s, user, links),
            "open_steps": [{"id": t.id, "title": t.title, "role": t.role, "due_at": t.due_at,
                            "may_act": access.can_act(user, t)} for t in open_steps],
            "timeline": [{"at": e.at, "kind": e.kind, "what": _event_text(e), "who": who or "系统"}
                         for e, who in events],
        }


def clue_of_instance(services, viewer_id: int, instance_id: int) -> int:
    """The id of the clue a process instance carries (for pages that know only the instance, e.g. a penalty
    procedure's source), if the viewer may see it; NotFound otherwise."""
    with services.db.read() as s:
        user = access.active_user(s, viewer_id)
        clue_id = s.scalar(sa.select(OnlineClue.id).where(OnlineClue.instance_id == instance_id))
        return visible_clue(s, user, clue_id or 0).id


def _targets(s, links: list[OnlineClueLink], kind: str, model, column) -> dict:
    ids = [link.target_id for link in links if link.kind == kind and link.target_id is not None]
    return {getattr(row, column.key): row for row in s.scalars(sa.select(model).where(column.in_(ids)))} if ids else {}


def _link_rows(s, user, links: list[OnlineClueLink]) -> list[dict]:
    """Each link with what it leads to: the complaint, the platform's naming record (where its re-inspection
    runs) or the penalty procedure; `visible` only when the viewer's area holds that record (the one access
    rule), so the page offers no link the viewer could not follow."""
    complaints = _targets(s, links, "complaint", Complaint, Complaint.id)
    penalties = _targets(s, links, "penalty", PenaltyCase, PenaltyCase.instance_id)
    naming_ids = [link.payload.get("naming_id") for link in links if link.kind == "reinspection"]
    namings = {n.id: n for n in s.scalars(sa.select(Naming).where(Naming.id.in_(naming_ids)))} if naming_ids else {}
    instance_ids = [link.target_id for link in links if link.kind != "complaint"]
    references = dict(s.execute(sa.select(ProcessInstance.id, ProcessInstance.reference).where(
        ProcessInstance.id.in_(instance_ids))).all()) if instance_ids else {}
    rows = []
    for link in links:
        target = {"complaint": complaints, "penalty": penalties}.get(link.kind, namings).get(
            link.payload.get("naming_id") if link.kind == "reinspection" else link.target_id)
        rows.append({"kind": LINK_KINDS.get(link.kind, link.kind), "kind_code": link.kind,
                     "target_id": link.target_id, "reference": references.get(link.target_id, ""),
                     "complaint": complaints.get(link.target_id) if link.kind == "complaint" else None,
                     "naming_id": link.payload.get("naming_id"),
                     "visible": target is not None and access.sees(user, target.area_path),
                     "note": link.note, "at": link.created_at})
    return rows


def _event_text(event: AuditEvent) -> str:
    details = event.details or {}
    name = EVENT_NAMES.get(event.kind, event.kind)
    if event.kind == EventKind.COMPLETED:
        return f"{name}“{details.get('title', details.get('task', ''))}”"
    if event.kind == "clue_link_made":
        return f"{name}：{LINK_KINDS.get(details.get('link_kind'), details.get('link_kind'))}" + (
            f"（{details['note']}）" if details.get("note") else "")
    if event.kind == EventKind.OVERDUE_RAISED:
        return f"“{details.get('title', '')}”{name}（{details.get('matter_reference', '')}）"
    if event.kind == "penalty_started":
        return f"{name}：{details.get('party', '')}（{details.get('penalty_reference', '')}）"
    if event.kind == "clue_complaint_linked":
        return f"{name} {details.get('complaint_reference', '')}"
    if event.kind == "clue_updated":
        return f"{name}：" + "、".join(FIELD_NAMES.get(k, k) for k in details.get("changes", {}))
    return name


FIELD_NAMES = {"source": "来源", "received_on": "接收日期", "scheme_name": "项目名称", "aliases": "别名",
               "urls": "网址", "app_ids": "应用标识", "platform_name": "涉及平台", "platform_credit_code": "统一社会信用代码",
               "summary": "线索摘要", "screenshots": "截图"}
EXPORT_HEADERS = ["线索编号", "接收日期", "来源", "项目名称", "别名", "网址", "应用/小程序标识", "涉及平台",
                  "统一社会信用代码", "所属辖区", "状态", "人数", "层级", "达到刑事追诉标准", "处置措施", "受害人数",
                  "群体性事件风险"]


def export(services, viewer_id: int, filters: ClueFilters) -> bytes:
    """The list as an XLSX file, with the same search and filters and the same area."""
    rows = list_clues(services, viewer_id, filters, limit=100_000)
    return to_xlsx("网络传销线索台账", EXPORT_HEADERS, [[
        r["reference"], r["received_on"], r["source"], r["scheme_name"], "、".join(r["aliases"]),
        r["urls"].replace("\n", " "), r["app_ids"].replace("\n", " "), r["platform_name"],
        r["platform_credit_code"], r["area"], r["status_name"], r["member_count"], r["levels"],
        "是" if r["criminal_threshold_reached"] else "否", r["tier"], r["victim_count"], r["mass_incident_risk"]]
        for r in rows])
