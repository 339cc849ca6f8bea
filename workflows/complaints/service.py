"""Complaints (投诉举报) with first-receiver responsibility: record from any channel, API intake, ledger, status."""
from __future__ import annotations

import hashlib
import json
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows import audit
from workflows.audit.models import AuditEvent
from workflows.complaints.hooks import PROCESS, RECEIVER_LANE
from workflows.complaints.models import (CHANNELS, RESPONSIBLE_UNITS, ApiClient, Complaint, ComplaintSubject,
                                         subject_key)
from workflows.engine.context import ActionContext
from workflows.engine.models import HumanTask, ProcessInstance
from workflows.exceptions import NotFound, PermissionDenied, ValidationFailed, WorkflowError
from workflows.idnumbers import id_number_problem
from workflows.online_clues import reports as online_clue_reports
from workflows.org import access, areas
from workflows.org.models import Area, User
from workflows.vocabulary import END_EVENT_NAMES, INSTANCE_STATUS_NAMES, EventKind, InstanceStatus, TaskState

IDENTITY_FIELDS = ("complainant_name", "complainant_phone", "complainant_id_number", "complainant_contact")
STAGES = {"accept": "受理研判", "first_handling": "先行处置", "investigate_market": "调查核实（市场监管）",
          "investigate_police": "调查核实（公安）", "result_market": "反馈结果（市场监管）",
          "result_police": "反馈结果（公安）", "reply": "举报答复", "approve_reward": "奖励审批"}


class IdempotencyConflict(WorkflowError):
    """The same client reference was submitted before with different content."""

    status = 409


# Longest text each field may hold: the column sizes, so an over-long value is a message, not a database error.
TEXT_LIMITS = {"address": Complaint.address_text.type.length,
               "complainant_name": Complaint.complainant_name.type.length,
               "complainant_phone": Complaint.complainant_phone.type.length,
               "complainant_contact": Complaint.complainant_contact.type.length,
               "complainant_id_number": Complaint.complainant_id_number.type.length,
               "subject_name": ComplaintSubject.name.type.length}


def _validate(report: dict) -> dict:
    """The fields of a report, checked; raises ValidationFailed naming every bad field."""
    errors: dict[str, list[str]] = {}
    channel = report.get("channel")
    if channel not in CHANNELS:
        errors["channel"] = ["取值应为：" + "、".join(CHANNELS)]
    content = (report.get("content") or "").strip() if isinstance(report.get("content"), str) else ""
    if not content:
        errors["content"] = ["必填"]
    anonymous = report.get("anonymous", False)
    if not isinstance(anonymous, bool):
        errors["anonymous"] = ["应为是/否"]
    if anonymous is False and not (report.get("complainant_name") or "").strip():
        errors["complainant_name"] = ["实名举报须填写举报人姓名"]
    if report.get("online_mlm") and not (report.get("subject_name") or "").strip():
        errors["subject_name"] = ["网络传销举报须填写被举报的主体或平台名称"]
    number = (report.get("complainant_id_number") or "").strip()
    if number:
        problem = id_number_problem(number)
        if problem:
            errors["complainant_id_number"] = [problem]
    for key, limit in TEXT_LIMITS.items():
        value = report.get(key)
        if value is not None and not isinstance(value, str):
            errors[key] = ["应为文字"]
        elif value and len(value.strip()) > limit:
            errors.setdefault(key, []).append(f"不能超过 {limit} 个字")
    if errors:
        raise ValidationFailed(errors)
    return {
        "channel": channel, "content": content, "anonymous": anonymous,
        "address": (report.get("address") or "").strip(), "online_mlm": bool(report.get("online_mlm")),
        "subject_name": (report.get("subject_name") or "").strip(),
        "subject_kind": report.get("subject_kind") if report.get("subject_kind") in ("entity", "platform") else "platform",
        **{k: (report.get(k) or "").strip() for k in IDENTITY_FIELDS},
    }


def _start_data(complaint: Complaint, lane_assignees: dict, **extra) -> dict:
    """Workflow data: never the complainant's identity (data and the audit log are widely visible)."""
    data = {"complaint_id": complaint.id, "channel": complaint.channel, "anonymous": complaint.anonymous,
            "online_mlm": complaint.online_mlm, "address": complaint.address_text,
            "auto_investigation": False, "jurisdiction_clear": False, "responsible_unit": "",
            "transfer_reason": "", "open_case": False, "case_address": "", "linked_case": None,
            "effective": False, "reward_proposed": False, "reward_amount": 0, "reward_approved": False,
            "lane_assignees": lane_assignees}
    data.update(extra)
    return data


def _record(ctx: ActionContext, report: dict, actor: User | None, fallback_area: Area | None,
            client: tuple[str, str, str] | None = None) -> Complaint:
    s, now = ctx.session, ctx.now
    area = areas.area_by_address(s, report["address"])
    # A report without a standard address is routed within the first receiver's (or client's) area.
    route_area = area or fallback_area
    if route_area is None:
        raise ValidationFailed({"address": ["地址不在标准地址库中，且无法确定受理辖区"]})
    complaint = Complaint(channel=report["channel"], content=report["content"], address_text=report["address"],
                          area_id=area.id if area else None, area_path=route_area.path,
                          online_mlm=report["online_mlm"], anonymous=report["anonymous"],
                          first_receiver_id=actor.id if actor else None, received_at=now,
                          responsible_unit="", reward_status="", reward_amount=0, payload_digest="",
                          **{k: report[k] for k in IDENTITY_FIELDS})
    if client:
        complaint.client_system, complaint.client_reference, complaint.payload_digest = client
    s.add(complaint)
    s.flush()
    # The first receiver keeps every 受理人 step of this complaint (首接负责).
    lanes = {RECEIVER_LANE: actor.id} if actor else {}
    inst = ctx.engine.start_within(ctx, PROCESS, _start_data(complaint, lanes), route_area.id,
                                   f"举报 {CHANNELS[complaint.channel]} {report['content'][:30]}", None,
                                   actor.id if actor else None).instance
    complaint.instance_id, complaint.reference = inst.id, inst.reference
    if report["online_mlm"]:
        _count_subject(ctx, complaint, report["subject_name"], report["subject_kind"], route_area)
    return complaint


def _count_subject(ctx: ActionContext, complaint: Complaint, name: str, kind: str, area: Area) -> None:
    """Count reports of one entity/platform; at the threshold open an investigation once (Annex 3 row 3)."""
    s, now = ctx.session, ctx.now
    key = subject_key(name)
    subject = s.scalar(sa.select(ComplaintSubject).where(ComplaintSubject.key == key).with_for_update())
    if subject is None:
        subject = ComplaintSubject(key=key, name=name, kind=kind, report_count=0, first_reported_at=now,
                                   last_reported_at=now)
        s.add(subject)
    subject.report_count += 1
    subject.last_reported_at = now
    s.flush()
    complaint.subject_id = subject.id
    if subject.investigation_instance_id is None and subject.report_count >= ctx.settings.online_mlm_report_threshold:
        auto = Complaint(channel="online", content=f"“{name}”被举报涉嫌网络传销 {subject.report_count} 次，依规自动立案调查。",
                         address_text="", area_id=None, area_path=area.path, online_mlm=True, subject_id=subject.id,
                         anonymous=True, received_at=now, responsible_unit="market", reward_status="",
                         reward_amount=0, payload_digest="")
        s.add(auto)
        s.flush()
        inst = ctx.engine.start_within(ctx, PROCESS, _start_data(
            auto, {}, auto_investigation=True, jurisdiction_clear=True, responsible_unit="market",
            subject_name=name, report_count=subject.report_count), area.id,
            f"网络传销多次被举报：{name}（{subject.report_count}次）", None).instance
        auto.instance_id, auto.reference = inst.id, inst.reference
        subject.investigation_instance_id = inst.id
        audit.record(s, now, "auto_investigation", None, inst.id, subject=name, report_count=subject.report_count)
    # From the threshold on, the subject's complaints also join its online MLM clue (opened if there is none).
    online_clue_reports.on_subject_reported(ctx, subject, area)


def record(services, actor_id: int, report: dict) -> dict:
    """Any officer records a report from any channel and becomes its first receiver (有诉必接).

    Returns {id, reference, instance_id}: never the stored row, which holds the complainant's identity.
    """
    report = _validate(report)
    with services.db.unit_of_work() as s:
        actor = s.get(User, actor_id)
        if actor is None or not actor.active or not actor.role_set:
            raise PermissionDenied("只有在岗执法人员可以登记举报。")
        complaint = _record(services.workflow.context(s, actor_id), report, actor, actor.area)
        return {"id": complaint.id, "reference": complaint.reference, "instance_id": complaint.instance_id}


# ---------------------------------------------------------------- the API for other systems
def create_api_client(services, name: str, area_id: int | None = None) -> str:
    """Register a client system; returns its token once (only a hash is stored)."""
    token = secrets.token_urlsafe(32)
    with services.db.unit_of_work() as s:
        s.add(ApiClient(name=name, token_hash=_hash(token), area_id=area_id, active=True,
                        created_at=services.workflow.now()))
    return token


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def authenticate(services, token: str) -> ApiClient:
    """The active client system holding `token`, or PermissionDenied (answer 401)."""
    with services.db.read() as s:
        client = s.scalar(sa.select(ApiClient).where(ApiClient.token_hash == _hash(token or "")))
    if client is None or not client.active:
        raise PermissionDenied("无效的接口令牌。")
    return client


def submit(services, client_name: str, client_reference: str, report: dict) -> tuple[dict, bool]:
    """Idempotent intake: (status, created). The same reference returns the first complaint's status."""
    if not (client_reference or "").strip() or len(client_reference) > 100:
        raise ValidationFailed({"client_reference": ["必填，且不超过100个字符"]})
    report = _validate(report)
    digest = hashlib.sha256(json.dumps(report, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    existing = _by_reference(services, client_name, client_reference)
    if existing is None:
        try:
            with services.db.unit_of_work() as s:
                client = s.scalar(sa.select(ApiClient).where(ApiClient.name == client_name))
                if client is None or not client.active:
                    raise PermissionDenied("无效的接口客户端。")
                area = s.get(Area, client.area_id) if client.area_id else None
                complaint = _record(services.workflow.context(s), report, None, area,
                                    (client_name, client_reference, digest))
                complaint_id = complaint.id
            return status(services, complaint_id), True
        except sa.exc.IntegrityError:
            # Two submissions of one reference raced; the other one won, so answer with it.
            existing = _by_reference(services, client_name, client_reference)
            if existing is None:
                raise
    if existing.payload_digest != digest:
        raise IdempotencyConflict(f"参考号 {client_reference} 已提交过内容不同的举报。")
    return status(services, existing.id), False


def _by_reference(services, client_name: str, client_reference: str) -> Complaint | None:
    with services.db.read() as s:
        return s.scalar(sa.select(Complaint).where(Complaint.client_system == client_name,
                                                   Complaint.client_reference == client_reference))


def client_status(services, client_name: str, client_reference: str) -> dict:
    """Status of one of a client's own complaints (404 for anyone else's)."""
    complaint = _by_reference(services, client_name, client_reference)
    if complaint is None:
        raise NotFound(f"没有参考号为 {client_reference} 的举报。")
    return status(services, complaint.id)


def status(services, complaint_id: int) -> dict:
    """Public status of a complaint: stage, result and reply, never the complainant's identity."""
    with services.db.read() as s:
        c = s.get(Complaint, complaint_id)
        if c is None:
            raise NotFound(f"举报 {complaint_id} 不存在。")
        inst = s.get(ProcessInstance, c.instance_id)
        open_tasks = list(s.scalars(sa.select(HumanTask.task_name).where(
            HumanTask.instance_id == c.instance_id, HumanTask.state == TaskState.READY)))
        done = _completed_data(s, c.instance_id)
        return {
            "reference": c.reference, "client_reference": c.client_reference, "channel": c.channel,
            "received_at": c.received_at.isoformat(timespec="seconds"),
            "status": "closed" if inst.status == InstanceStatus.COMPLETED else "open",
            "stage": ("、".join(STAGES.get(t, t) for t in open_tasks)
                      or END_EVENT_NAMES[PROCESS].get(inst.end_event, "")),
            "responsible_unit": c.responsible_unit or done.get("responsible_unit", ""),
            "result": done.get("result", ""), "replied": "reply" in done.get("_tasks", ()),
            "closed_at": inst.completed_at.isoformat(timespec="seconds") if inst.completed_at else None,
        }


def _completed_data(s: Session, instance_id: int) -> dict:
    """Submitted data of the complaint's completed steps, merged oldest first (from the audit log)."""
    merged: dict = {"_tasks": []}
    for details in s.scalars(sa.select(AuditEvent.details).where(
            AuditEvent.instance_id == instance_id, AuditEvent.kind == EventKind.COMPLETED)
            .order_by(AuditEvent.id)):
        merged.update(details.get("data") or {})
        merged["_tasks"].append(details.get("task"))
    return merged


# ---------------------------------------------------------------- officers' views
def accept(services, task_id: str, data: dict, actor_id: int):
    """Complete 受理研判 (one unit of work); an API complaint's accepting officer becomes its first receiver
    (the process's before-complete hook, so the web form and every other caller get the same)."""
    with services.db.read() as s:
        task = s.get(HumanTask, task_id)
        if task is None or task.process_id != PROCESS or task.task_name != "accept":
            raise NotFound("找不到该举报的受理任务。")
    return services.workflow.complete(task_id, dict(data), actor_id)


def _can_see(user: User, c: Complaint) -> bool:
    """The one access rule, plus 首接负责: the first receiver keeps sight of what they received."""
    return user.active and (c.first_receiver_id == user.id or access.sees(user, c.area_path))


def view(services, complaint_id: int, viewer_id: int, include_identity: bool = False) -> dict:
    """A complaint for an officer. The identity of a real-name complainant only on request (for the reply);
    an anonymous complainant's identity never (see reveal_anonymous)."""
    with services.db.read() as s:
        c = s.get(Complaint, complaint_id)
        user = s.get(User, viewer_id)
        if c is None or user is None or not _can_see(user, c):
            raise NotFound(f"举报 {complaint_id} 不存在或不在您的辖区内。")
        out = {"id": c.id, "reference": c.reference, "instance_id": c.instance_id, "channel": c.channel,
               "channel_name": CHANNELS.get(c.channel, c.channel), "content": c.content, "address": c.address_text,
               "area_id": c.area_id, "anonymous": c.anonymous, "online_mlm": c.online_mlm,
               "received_at": c.received_at, "first_receiver_id": c.first_receiver_id,
               "responsible_unit": c.responsible_unit, "transferred_at": c.transferred_at,
               "linked_instance_id": c.linked_instance_id, "reward_status": c.reward_status,
               "reward_amount": c.reward_amount, "complainant": "匿名" if c.anonymous else "实名（已隐去）"}
        if include_identity and not c.anonymous:
            out.update({k: getattr(c, k) for k in IDENTITY_FIELDS})
            out["complainant"] = c.complainant_name
    if include_identity and not c.anonymous:
        with services.db.unit_of_work() as s:
            audit.record(s, services.workflow.now(), "identity_viewed", viewer_id, c.instance_id)
    return out


def reveal_anonymous(services, complaint_id: int, actor_id: int, reason: str) -> dict:
    """A supervisor may look up an anonymous complainant's stored identity, with a reason, and it is logged."""
    if not (reason or "").strip():
        raise WorkflowError("查看匿名举报人信息须填写理由。")
    with services.db.unit_of_work() as s:
        user = s.get(User, actor_id)
        c = s.get(Complaint, complaint_id)
        if c is None or user is None or not _can_see(user, c):
            raise NotFound(f"举报 {complaint_id} 不存在或不在您的辖区内。")
        if not user.has_role("supervisor"):
            raise PermissionDenied("只有督办领导可以查看匿名举报人信息。")
        audit.record(s, services.workflow.now(), "identity_viewed", actor_id, c.instance_id, reason=reason,
                     anonymous=True)
        return {k: getattr(c, k) for k in IDENTITY_FIELDS}


LEDGER_HEADERS = ["受理编号", "受理时间", "渠道", "举报内容", "地址", "实名/匿名", "首接受理人", "责任单位",
                  "移送时间", "关联案件", "状态", "办理结果", "答复", "奖励"]


def ledger_search(q: str):
    """A ledger row matches its number, a name reported in it (the subject, or the report's text) or its address.

    Complainants' own names are not searched: finding a complaint by the complainant's name would tell who
    complained, which the ledger never shows (举报人信息保密)."""
    like = f"%{q}%"
    subjects = sa.select(ComplaintSubject.id).where(ComplaintSubject.name.like(like))
    return sa.or_(Complaint.reference == q.upper(), Complaint.address_text.like(like), Complaint.content.like(like),
                  Complaint.subject_id.in_(subjects))


def ledger(services, viewer_id: int, since=None, until=None, q: str = "") -> list[dict]:
    """The complaint ledger (受理、办理、答复台账) inside the viewer's area; no complainant identities."""
    with services.db.read() as s:
        user = access.active_user(s, viewer_id)
        access.visible_prefix(user, "举报台账")
        query = (sa.select(Complaint, ProcessInstance).join(ProcessInstance, ProcessInstance.id == Complaint.instance_id)
                 .where(access.visible_clause(Complaint.area_path, user)).order_by(Complaint.received_at))
        if since is not None:
            query = query.where(Complaint.received_at >= since)
        if until is not None:
            query = query.where(Complaint.received_at < until)
        if q:
            query = query.where(ledger_search(q))
        names = dict(s.execute(sa.select(User.id, User.display_name)).all())
        cases = dict(s.execute(sa.select(ProcessInstance.id, ProcessInstance.reference)
                               .where(ProcessInstance.process_id == "six_step_case")).all())
        rows = []
        for c, inst in s.execute(query).all():
            done = _completed_data(s, inst.id)
            receiver = c.first_receiver_id
            rows.append({
                "受理编号": c.reference, "受理时间": c.received_at, "渠道": CHANNELS.get(c.channel, c.channel),
                "举报内容": c.content, "地址": c.address_text, "实名/匿名": "匿名" if c.anonymous else "实名",
                "首接受理人": names.get(receiver, "") if receiver else "",
                "责任单位": RESPONSIBLE_UNITS.get(c.responsible_unit or done.get("responsible_unit", ""), ""),
                "移送时间": c.transferred_at, "关联案件": cases.get(c.linked_instance_id, ""),
                "状态": INSTANCE_STATUS_NAMES[inst.status], "办理结果": done.get("result", ""),
                "答复": done.get("reply", ""),
                "奖励": {"approved": f"已奖励 {c.reward_amount} 元", "rejected": "不予奖励"}.get(c.reward_status, ""),
            })
        return rows
