"""The procedure's documents (告知书, 听证通知书, 决定书, 送达回证, 当场决定书) are issued only at their own step of the
party's procedure, and what the law fixes is taken from the procedure, not typed: the party, the role its
classification gives, the amount notified (never exceeded), the date of the 告知 and what the party said."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows.engine.models import HumanTask
from workflows.exceptions import WorkflowError
from workflows.notices.legal import legal_data
from workflows.notices.validation import NoticeRejected
from workflows.penalties.models import PenaltyCase
from workflows.vocabulary import TaskState

PROCESS = "penalty_procedure"
# notice type -> the step it is issued at
STEP_OF_TYPE = {"summary_penalty_decision": "participant_disposal", "penalty_notice": "notify",
                "hearing_notice": "hearing_notice", "penalty_decision": "decide", "service_receipt": "serve"}
STEP_TITLES = {"participant_disposal": "普通参与者处置", "notify": "行政处罚告知", "hearing_notice": "听证通知",
               "decide": "行政处罚决定审批", "serve": "送达"}
RESPONSE_TEXT = {"silent": "当事人在法定期限内未提出陈述、申辩，也未要求听证。"}


def _money(value) -> Decimal | None:
    try:
        return Decimal(str(value).replace(",", "")) if value not in (None, "") else None
    except InvalidOperation:
        return None


def bind(session: Session, notice_type: str, inst, task_id: str | None, fields: dict, title: str) -> dict:
    """The fields to issue with: refused unless at the type's step; the procedure's own facts filled in."""
    step = STEP_OF_TYPE.get(notice_type)
    if step is None:
        return fields
    task = session.get(HumanTask, task_id) if task_id else None
    if (inst is None or inst.process_id != PROCESS or task is None or task.instance_id != inst.id
            or task.task_name != step or task.state != TaskState.READY):
        raise WorkflowError(f"{title}只能在当事人行政处罚程序的“{STEP_TITLES[step]}”环节签发。")
    row = session.scalar(sa.select(PenaltyCase).where(PenaltyCase.instance_id == inst.id))
    record = row.record or {}
    bound = {**fields, "party_name": row.party_name}
    if notice_type != "service_receipt":
        bound.update(party_id=row.party_id_number or fields.get("party_id", ""),
                     party_address=row.party_address or fields.get("party_address", ""))
    if notice_type in ("penalty_notice", "penalty_decision"):
        # The role is the party's, fixed when the procedure started from their classification in the case.
        bound["role"] = row.role
        bound.setdefault("conduct_form", record.get("conduct_form", ""))
        if not bound.get("facts"):
            bound["facts"] = row.facts
    errors: dict[str, list[str]] = {}
    if notice_type == "penalty_notice":
        bound["fine_yuan"] = str(record.get("proposed_fine", fields.get("fine_yuan", "")))
        bound["hearing_right"] = "yes" if record.get("hearing_right") else "no"
    elif notice_type == "penalty_decision":
        amount, ceiling = _money(fields.get("fine_yuan")), record.get("fine_ceiling")
        if amount is not None and ceiling is not None and amount > ceiling:
            errors["fine_yuan"] = [f"罚款不能高于告知（及复核、听证后）的 {ceiling} 元（《中华人民共和国行政处罚法》第四十五条）"]
        if "没收" in _penalty_kind(row.role) and not (fields.get("confiscation") or "").strip():
            errors["confiscation"] = ["该违法行为依法应当没收违法所得、非法财物，请写明没收的内容（没有的写“无”并说明）"]
        bound["notified_on"] = record.get("notified_on", "")
        bound["party_said"] = _party_said(record)
        bound.setdefault("adopted", record.get("review_note") or record.get("hearing_report") or "")
    elif notice_type == "hearing_notice":
        bound["requested_on"] = record.get("hearing_requested_on", fields.get("requested_on", ""))
    elif notice_type == "summary_penalty_decision":
        amount = _money(fields.get("fine_yuan"))
        if fields.get("summary_kind") == "fine" and (amount is None or not 0 < amount <= 200):
            errors["fine_yuan"] = ["当场罚款对公民为 200 元以下（《中华人民共和国行政处罚法》第五十一条）"]
    if errors:
        raise NoticeRejected(errors, [])
    return bound


def prefill(session: Session, inst) -> dict:
    """What a document form of a procedure starts from: the party, the findings and amounts recorded so far."""
    if inst is None or inst.process_id != PROCESS:
        return {}
    row = session.scalar(sa.select(PenaltyCase).where(PenaltyCase.instance_id == inst.id))
    if row is None:
        return {}
    record = row.record or {}
    fine = record.get("fine", record.get("fine_ceiling"))
    return {"party_name": row.party_name, "party_id": row.party_id_number, "party_address": row.party_address,
            "role": row.role, "facts": row.facts, "evidence": record.get("evidence") or [],
            "conduct_form": record.get("conduct_form", ""), "fine_yuan": "" if fine is None else str(fine),
            "hearing_right": "yes" if record.get("hearing_right") else "no",
            "requested_on": record.get("hearing_requested_on", ""), "hearing_date": record.get("hearing_date", ""),
            "hearing_place": record.get("hearing_place", ""),
            "document": f"{record.get('decision_number', '')} 行政处罚决定书" if record.get("decision_number") else ""}


def _penalty_kind(role: str) -> str:
    return legal_data()["fine_ranges"].get(role, {}).get("penalty_kind", "")


def _party_said(record: dict) -> str:
    response = record.get("response")
    if response == "statement":
        return f"当事人提出陈述、申辩：{record.get('statement', '')}"
    if response == "hearing":
        return f"当事人要求听证，本机关依法举行了听证。听证报告：{record.get('hearing_report', '')}"
    return RESPONSE_TEXT.get(response or "silent", "")
