"""The 查封 process's hooks: its task fields, the approval recorded before anything is decided, the decision
and the requests to utilities issued as the decision is served, and the script functions that extend and end
a 查封 (by decision or at its time limit), ending every measure that hangs off it."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import sqlalchemy as sa

from workflows import audit
from workflows.engine.context import ActionContext
from workflows.engine.hooks import HookRegistry, ProcessHooks
from workflows.exceptions import ValidationFailed, WorkflowError
from workflows.ledgers.registries import house_at
from workflows.notices.formatting import plain_date
from workflows.notices.legal import legal_data
from workflows.notices.service import NoticeService
from workflows.org import access
from workflows.org.models import User
from workflows.seizures.models import Seizure, SeizureMeasure
from workflows.vocabulary import MEASURE_KINDS, MeasureStatus, SeizureStatus

PROCESS = "seizure"
TASK_SCHEMAS = {
    "approve_seizure": {"approved": bool, "approval_note": str},
    "serve_decision": {"served_on": str, "officers": list, "witnesses": str, "assist": dict},
    "in_force": {"action": ("release", "extend"), "reason": str, "extension_days": int},
    "approve_extension": {"extension_approved": bool, "approval_note": str},
}


def rules() -> dict:
    """Time limit, extension and the wording of the utility measures (legal_texts.json, "seizure")."""
    return legal_data()["seizure"]


def seizure_of(session, instance_id: int) -> Seizure:
    seizure = session.scalar(sa.select(Seizure).where(Seizure.instance_id == instance_id).with_for_update())
    if seizure is None:
        raise WorkflowError("该查封没有登记，无法继续。")
    return seizure


def local_date(ctx: ActionContext) -> date:
    return (ctx.now + timedelta(hours=legal_data().get("utc_offset_hours", 8))).date()


def limit_at(ends_on: date) -> str:
    """The timer's moment: the end of the 查封's last day at the office (the next day 00:00, UTC+8)."""
    offset = timezone(timedelta(hours=legal_data().get("utc_offset_hours", 8)))
    return datetime.combine(ends_on + timedelta(days=1), time(0), offset).isoformat()


def _contact(s, user_id: int) -> dict:
    user = s.get(User, user_id)
    name = user.display_name.split()[-1] if user.display_name else ""
    return {"contact_person": name, "contact_phone": user.phone}


# ---------------------------------------------------------------------- before each step
def _before_complete(ctx: ActionContext, task, data: dict) -> None:
    seizure = seizure_of(ctx.session, ctx.instance.id)
    step = {"approve_seizure": _approve, "serve_decision": _serve, "in_force": _request_end_or_extension,
            "approve_extension": _approve_extension}.get(task.task_name)
    if step is not None:
        step(ctx, seizure, data)


def _approve(ctx: ActionContext, seizure: Seizure, data: dict) -> None:
    """The head's written approval (or refusal), recorded before any decision exists."""
    note = data["approval_note"].strip()
    if not note:
        raise ValidationFailed({"approval_note": ["请填写书面批准（或不予批准）意见"]})
    seizure.approved_by_id, seizure.approved_at, seizure.approval_note = ctx.actor_id, ctx.now, note[:500]
    if not data["approved"]:
        seizure.status, seizure.ended_at, seizure.end_reason = SeizureStatus.REFUSED, ctx.now, note[:1000]
    audit.record(ctx.session, ctx.now, "seizure_approved" if data["approved"] else "seizure_refused",
                 ctx.actor_id, ctx.instance.id, seizure_id=seizure.id, note=note)


def _serve(ctx: ActionContext, seizure: Seizure, data: dict) -> None:
    """The 查封决定书 with its 清单, and a request for assistance to each utility named, in one step."""
    if seizure.approved_by_id is None or seizure.status != SeizureStatus.REQUESTED:
        raise WorkflowError("查封须经机关负责人事先书面批准，未经批准不得作出查封决定。")
    officers = [str(o).strip() for o in data["officers"] if str(o).strip()]
    if len(officers) < 2:
        raise ValidationFailed({"officers": ["实施查封的执法人员不得少于2人（《禁止传销条例》第十五条）"]})
    s, svc = ctx.session, NoticeService.for_action(ctx)
    starts_on = local_date(ctx)
    ends_on = starts_on + timedelta(days=rules()["limit_days"])
    unknown = set(data["assist"]) - set(MEASURE_KINDS)
    if unknown:
        raise ValidationFailed({"assist": ["未知的协助事项：" + "、".join(sorted(unknown))]})
    contact = _contact(s, ctx.actor_id)
    decision = svc.issue_within(s, ctx.now, "seizure_decision", dict(
        contact, party_name=seizure.party_name, party_id=seizure.party_id, party_address=seizure.party_address,
        premises=seizure.premises, reasons=seizure.reasons, items=seizure.items,
        approval_note=seizure.approval_note, starts_on=starts_on.isoformat(), ends_on=ends_on.isoformat()),
        ctx.actor_id, area_path=seizure.area_path)
    seizure.status, seizure.decided_by_id = SeizureStatus.IN_FORCE, ctx.actor_id
    seizure.starts_on, seizure.ends_on, seizure.decision_notice_id = starts_on, ends_on, decision.id
    for kind, supplier in sorted(data["assist"].items()):
        supplier = (supplier or "").strip()
        if supplier:
            _start_measure(ctx, seizure, decision.number, kind, supplier, contact)
    if any((v or "").strip() for v in data["assist"].values()):
        _mark_house(ctx, seizure, "in_place")
    data["limit_at"] = limit_at(ends_on)
    data["decision_number"] = decision.number
    audit.record(s, ctx.now, "seizure_decided", ctx.actor_id, ctx.instance.id, seizure_id=seizure.id,
                 number=decision.number, starts_on=starts_on.isoformat(), ends_on=ends_on.isoformat(),
                 served_on=data["served_on"], officers=officers, witnesses=data["witnesses"])


def _start_measure(ctx, seizure: Seizure, decision_number: str, kind: str, supplier: str, contact: dict) -> None:
    words = rules()["utilities"][kind]
    notice = NoticeService.for_action(ctx).issue_within(ctx.session, ctx.now, "seizure_assist", dict(
        contact, supplier=supplier, measure=words[0], premises=seizure.premises, decision_number=decision_number,
        starts_on=seizure.starts_on.isoformat(), ends_on=seizure.ends_on.isoformat()),
        ctx.actor_id, area_path=seizure.area_path)
    ctx.session.add(SeizureMeasure(seizure_id=seizure.id, kind=kind, supplier=supplier, started_at=ctx.now,
                                   status=MeasureStatus.ACTIVE, assist_notice_id=notice.id))
    audit.record(ctx.session, ctx.now, "seizure_measure_started", ctx.actor_id, ctx.instance.id,
                 seizure_id=seizure.id, measure=kind, supplier=supplier, number=notice.number)


def _request_end_or_extension(ctx: ActionContext, seizure: Seizure, data: dict) -> None:
    reason = data["reason"].strip()
    if not reason:
        raise ValidationFailed({"reason": ["请填写解除或延长的理由"]})
    if data["action"] != "extend":
        return
    most = rules()["extension_max_days"]
    if seizure.extension_days:
        raise ValidationFailed({"action": ["查封期限已延长过一次，不能再延长（《禁止传销条例》第十八条）"]})
    if not 1 <= data["extension_days"] <= most:
        raise ValidationFailed({"extension_days": [f"延长期限应为1至{most}日（《禁止传销条例》第十八条）"]})
    seizure.extension_reason = reason[:1000]
    audit.record(ctx.session, ctx.now, "seizure_extension_requested", ctx.actor_id, ctx.instance.id,
                 seizure_id=seizure.id, days=data["extension_days"], reason=reason)


def _approve_extension(ctx: ActionContext, seizure: Seizure, data: dict) -> None:
    note = data["approval_note"].strip()
    if not note:
        raise ValidationFailed({"approval_note": ["请填写批准（或不予批准）延长的意见"]})
    if data["extension_approved"]:
        seizure.extension_approved_by_id = ctx.actor_id
    audit.record(ctx.session, ctx.now, "seizure_extension_approved" if data["extension_approved"]
                 else "seizure_extension_refused", ctx.actor_id, ctx.instance.id, seizure_id=seizure.id, note=note)


# ---------------------------------------------------------------------- script functions
def _extend(ctx: ActionContext, days, approval_note):
    """Apply an approved extension and tell the party in writing (行政强制法 第二十五条第二款); returns the new
    moment of the time-limit timer."""
    s = ctx.session
    seizure = seizure_of(s, ctx.instance.id)
    days = int(days)
    old_end = seizure.ends_on
    seizure.extension_days, seizure.ends_on = days, old_end + timedelta(days=days)
    decision_number = _number(s, seizure.decision_notice_id)
    issuer = _issuer(s, seizure)
    notice = NoticeService.for_action(ctx).issue_within(s, ctx.now, "seizure_extension", dict(
        _contact(s, issuer), party_name=seizure.party_name, decision_number=decision_number,
        premises=seizure.premises, reasons=seizure.extension_reason, approval_note=approval_note,
        old_ends_on=old_end.isoformat(), ends_on=seizure.ends_on.isoformat()),
        issuer, area_path=seizure.area_path)
    seizure.extension_notice_id = notice.id
    audit.record(s, ctx.now, "seizure_extended", None, ctx.instance.id, seizure_id=seizure.id, days=days,
                 ends_on=seizure.ends_on.isoformat(), number=notice.number)
    return limit_at(seizure.ends_on)


def _end(ctx: ActionContext, how: str, reason: str = ""):
    """Release a 查封 (by decision, or at its time limit) with a 解除查封决定书, and end every measure hanging off
    it with a notice to the third party to restore what it cut off."""
    s = ctx.session
    seizure = seizure_of(s, ctx.instance.id)
    if how == "expired":
        reason = (f"查封期限已于{plain_date(seizure.ends_on)}届满（《禁止传销条例》第十八条、"
                  "《中华人民共和国行政强制法》第二十八条第一款第四项），依法解除查封。")
    issuer = _issuer(s, seizure)
    contact = _contact(s, issuer)
    measures = list(s.scalars(sa.select(SeizureMeasure).where(SeizureMeasure.seizure_id == seizure.id,
                                                              SeizureMeasure.status == MeasureStatus.ACTIVE)
                              .order_by(SeizureMeasure.id)))
    words = rules()["utilities"]
    decision_number = _number(s, seizure.decision_notice_id)
    released_on = local_date(ctx)
    release = NoticeService.for_action(ctx).issue_within(s, ctx.now, "seizure_release", dict(
        contact, party_name=seizure.party_name, decision_number=decision_number, premises=seizure.premises,
        starts_on=seizure.starts_on.isoformat(), reason=reason, released_on=released_on.isoformat(),
        measures_ended=[f"{m.supplier}：{words[m.kind][1]}" for m in measures]), issuer, area_path=seizure.area_path)
    for m in measures:
        restore = NoticeService.for_action(ctx).issue_within(s, ctx.now, "seizure_restore", dict(
            contact, supplier=m.supplier, measure=words[m.kind][0], restore=words[m.kind][1],
            premises=seizure.premises, decision_number=decision_number,
            assist_number=_number(s, m.assist_notice_id), release_number=release.number,
            released_on=released_on.isoformat()), issuer, area_path=seizure.area_path)
        m.status, m.ended_at, m.restore_notice_id = MeasureStatus.ENDED, ctx.now, restore.id
    if measures:
        _mark_house(ctx, seizure, "lifted")
    seizure.status = SeizureStatus.EXPIRED if how == "expired" else SeizureStatus.RELEASED
    seizure.ended_at, seizure.end_reason, seizure.release_notice_id = ctx.now, reason[:1000], release.id
    audit.record(s, ctx.now, f"seizure_{seizure.status}", ctx.actor_id, ctx.instance.id, seizure_id=seizure.id,
                 number=release.number, measures_ended=len(measures), reason=reason)
    return {"status": str(seizure.status), "release_number": release.number}


def _issuer(s, seizure: Seizure) -> int:
    """Who signs a document the 查封 issues without an officer at the keyboard (its extension, its end at the
    limit): the officer who decided it, or, if that account was closed since, the one who asked for it, or else
    any active officer of the same bureau who sees the place; the time limit must never wait for an account."""
    decider = s.get(User, seizure.decided_by_id)
    for user_id in (seizure.decided_by_id, seizure.requested_by_id):
        user = s.get(User, user_id)
        if user is not None and user.active and "market" in user.role_set:
            return user.id
    for user in s.scalars(sa.select(User).where(User.active.is_(True),
                                                User.department_id == decider.department_id).order_by(User.id)):
        if "market" in user.role_set and access.sees(user, seizure.area_path):
            return user.id
    raise WorkflowError("查封所属机关没有在职的市场监管执法人员，无法签发解除（延长）查封文书。")


def _mark_house(ctx: ActionContext, seizure: Seizure, state: str) -> None:
    """The rental-house ledger's 三停一换 follows the 查封: in place while the utilities assist it, lifted when it
    ends (the patrol counts a closed door without it in place as reflux)."""
    house = house_at(ctx.session, ctx.instance.area_id) if ctx.instance.area_id else None
    if house is None:
        return
    day = local_date(ctx)
    house.three_stops_state, house.updated_at = state, ctx.now
    if state == "in_place":
        house.three_stops_on = day
    else:
        house.three_stops_lifted_on = day
    audit.record(ctx.session, ctx.now, "three_stops", ctx.actor_id, None, house_id=house.id, state=state,
                 on=day.isoformat(), seizure_id=seizure.id)


def _number(s, notice_id) -> str:
    from workflows.notices.models import Notice
    return s.scalar(sa.select(Notice.number).where(Notice.id == notice_id)) or ""


def register(registry: HookRegistry) -> None:
    registry.register(ProcessHooks(PROCESS, reference_prefix="CF", task_schemas=TASK_SCHEMAS,
                                   before_complete=_before_complete))
    registry.script_function("end_seizure", _end)
    registry.script_function("extend_seizure", _extend)
