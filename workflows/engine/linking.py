"""Script functions for the complaint, patrol and six-step diagrams: they write ledgers and open linked cases.

Each runs inside the action that reached the script task, with that action's session, so a ledger row,
a linked case and the workflow step commit or roll back together.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session
from SpiffWorkflow.exceptions import WorkflowException

from workflows import audit
from workflows.ledgers import registries
from workflows.complaints.models import RESPONSIBLE_UNITS, Complaint
from workflows.org.models import Area
from workflows.engine.models import ProcessInstance


def start_child(service, session: Session, process_id: str, data: dict, area_id: int | None, title: str,
                parent_instance_id: int | None, actor_id: int | None = None) -> ProcessInstance:
    """Start another process in the current transaction, keeping the caller's current instance."""
    saved = getattr(service, "_current_instance_id", None)
    try:
        inst, _rt, _ready = service._start(session, process_id, dict(data), actor_id, area_id, title,
                                           parent_instance_id)
    finally:
        service._current_instance_id = saved
    return inst


def _complaint(session: Session, instance_id: int) -> Complaint:
    complaint = session.scalar(sa.select(Complaint).where(Complaint.instance_id == instance_id))
    if complaint is None:
        raise WorkflowException("该举报没有登记台账，无法继续。")
    return complaint


def script_functions(service, session: Session) -> dict:
    """The functions the diagrams call, bound to one action's service and session."""
    def current() -> ProcessInstance:
        return session.get(ProcessInstance, service._current_instance_id)

    def record_house_catch():
        return registries.record_catch(service, session, current())

    def record_transfer(unit, reason):
        inst = current()
        complaint = _complaint(session, inst.id)
        complaint.responsible_unit, complaint.transferred_at = unit, service.now()
        # 先处置再移送: the hand-over gets its own audit event so the ledger can show who moved what when.
        audit.record(session, service.now(), "transferred", None, inst.id, to_unit=unit,
                     to_unit_name=RESPONSIBLE_UNITS.get(unit, unit), reason=reason)
        return {"unit": unit, "unit_name": RESPONSIBLE_UNITS.get(unit, unit),
                "at": service.now().isoformat(timespec="minutes")}

    def open_six_step_case(case_address=""):
        inst = current()
        complaint = _complaint(session, inst.id)
        area_id = complaint.area_id
        if case_address:
            area_id = session.scalar(sa.select(Area.id).where(Area.full_name == case_address))
            if area_id is None:
                raise WorkflowException(f"地址“{case_address}”不在标准地址库中，无法立案。")
        if area_id is None:
            raise WorkflowException("该举报没有标准地址，无法立六步工作法案件；请在调查结果中填写立案地址。")
        case = start_child(service, session, "six_step_case", {
            "source": "complaint", "complaint_instance_id": inst.id, "complaint_reference": inst.reference,
        }, area_id, f"举报线索 {inst.reference}", inst.id)
        complaint.linked_instance_id = case.id
        audit.record(session, service.now(), "case_linked", None, inst.id, case_id=case.id,
                     case_reference=case.reference)
        return {"instance_id": case.id, "reference": case.reference}

    def record_reward(approved, amount=0):
        inst = current()
        complaint = _complaint(session, inst.id)
        try:
            amount = int(amount or 0)
        except (TypeError, ValueError):
            raise WorkflowException("奖励金额应为整数（元）。") from None
        complaint.reward_status = "approved" if approved else "rejected"
        complaint.reward_amount = amount if approved else 0
        complaint.reward_decided_at = service.now()
        audit.record(session, service.now(), "reward_decided", None, inst.id, approved=bool(approved),
                     amount=complaint.reward_amount)
        return {"status": complaint.reward_status, "amount": complaint.reward_amount}

    def house_unflagged(house_id, reason=""):
        return registries.mark_unflagged(service, session, house_id, reason, current())

    def open_reflux_case(house_id):
        return registries.open_reflux_case(service, session, house_id, current())

    return {"record_house_catch": record_house_catch, "record_transfer": record_transfer,
            "open_six_step_case": open_six_step_case, "record_reward": record_reward,
            "house_unflagged": house_unflagged, "open_reflux_case": open_reflux_case}
