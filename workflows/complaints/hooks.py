"""The complaint process's hooks: its task fields, the first receiver keeping the receiver's steps (首接负责),
and the script functions its diagram calls (transfer on record, the linked six-step case, the reward)."""
from __future__ import annotations

import sqlalchemy as sa

from workflows import audit
from workflows.complaints.models import RESPONSIBLE_UNITS, Complaint
from workflows.engine.context import ActionContext
from workflows.engine.hooks import HookRegistry, ProcessHooks
from workflows.exceptions import ValidationFailed, WorkflowError
from workflows.org.areas import area_by_address

PROCESS = "complaint_intake"
CASE_PROCESS = "six_step_case"
RECEIVER_LANE = "受理人"
INVESTIGATION = {"finding": str, "open_case": bool}
RESULT = {"result": str, "effective": bool, "reward_proposed": bool}
TASK_SCHEMAS = {
    # An empty unit is allowed only when jurisdiction is unclear: the first receiver then transfers it.
    "accept": {"jurisdiction_clear": bool, "responsible_unit": ("market", "police", "")},
    "first_handling": {"handling": str, "responsible_unit": ("market", "police"), "transfer_reason": str},
    "investigate_market": INVESTIGATION, "investigate_police": INVESTIGATION,
    "result_market": RESULT, "result_police": RESULT,
    "reply": {"reply": str},
    "approve_reward": {"reward_approved": bool, "approval_note": str},
}


def complaint_of(session, instance_id: int) -> Complaint:
    complaint = session.scalar(sa.select(Complaint).where(Complaint.instance_id == instance_id))
    if complaint is None:
        raise WorkflowError("该举报没有登记台账，无法继续。")
    return complaint


def _assign(ctx: ActionContext, inst, task, row: dict) -> None:
    # 首接负责: the first receiver keeps every 受理人 step of the complaint.
    row["assignee_id"] = (task.data.get("lane_assignees") or {}).get(task.lane)


def _before_complete(ctx: ActionContext, task, data: dict) -> None:
    """受理研判: a clear jurisdiction names its unit; whoever accepts a complaint nobody received yet (one from
    the API) becomes its first receiver, in the same transaction as the step."""
    if task.task_name != "accept":
        return
    if data.get("jurisdiction_clear") is True and data.get("responsible_unit") not in RESPONSIBLE_UNITS:
        raise ValidationFailed({"responsible_unit": ["管辖明确时须选择责任单位"]})
    complaint = complaint_of(ctx.session, ctx.instance.id)
    if complaint.first_receiver_id is None and ctx.actor_id is not None:
        data["lane_assignees"] = {RECEIVER_LANE: ctx.actor_id}
        complaint.first_receiver_id = ctx.actor_id


def _record_transfer(ctx: ActionContext, unit, reason):
    inst = ctx.instance
    complaint = complaint_of(ctx.session, inst.id)
    complaint.responsible_unit, complaint.transferred_at = unit, ctx.now
    # 先处置再移送: the hand-over gets its own audit event so the ledger can show who moved what when.
    audit.record(ctx.session, ctx.now, "transferred", None, inst.id, to_unit=unit,
                 to_unit_name=RESPONSIBLE_UNITS.get(unit, unit), reason=reason)
    return {"unit": unit, "unit_name": RESPONSIBLE_UNITS.get(unit, unit), "at": ctx.now.isoformat(timespec="minutes")}


def _open_six_step_case(ctx: ActionContext, case_address=""):
    inst = ctx.instance
    complaint = complaint_of(ctx.session, inst.id)
    area_id = complaint.area_id
    if case_address:
        area = area_by_address(ctx.session, case_address)
        if area is None:
            raise WorkflowError(f"地址“{case_address}”不在标准地址库中，无法立案。")
        area_id = area.id
    if area_id is None:
        raise WorkflowError("该举报没有标准地址，无法立六步工作法案件；请在调查结果中填写立案地址。")
    case = ctx.engine.start_within(ctx, CASE_PROCESS, {
        "source": "complaint", "complaint_instance_id": inst.id, "complaint_reference": inst.reference,
    }, area_id, f"举报线索 {inst.reference}", inst.id).instance
    complaint.linked_instance_id = case.id
    audit.record(ctx.session, ctx.now, "case_linked", None, inst.id, case_id=case.id, case_reference=case.reference)
    return {"instance_id": case.id, "reference": case.reference}


def _record_reward(ctx: ActionContext, approved, amount=0):
    inst = ctx.instance
    complaint = complaint_of(ctx.session, inst.id)
    try:
        amount = int(amount or 0)
    except (TypeError, ValueError):
        raise WorkflowError("奖励金额应为整数（元）。") from None
    complaint.reward_status = "approved" if approved else "rejected"
    complaint.reward_amount = amount if approved else 0
    complaint.reward_decided_at = ctx.now
    audit.record(ctx.session, ctx.now, "reward_decided", None, inst.id, approved=bool(approved),
                 amount=complaint.reward_amount)
    return {"status": complaint.reward_status, "amount": complaint.reward_amount}


def register(registry: HookRegistry) -> None:
    registry.register(ProcessHooks(PROCESS, reference_prefix="JB", task_schemas=TASK_SCHEMAS, assign=_assign,
                                   before_complete=_before_complete))
    registry.script_function("record_transfer", _record_transfer)
    registry.script_function("open_six_step_case", _open_six_step_case)
    registry.script_function("record_reward", _record_reward)
