"""The penalty procedure's hooks: its task fields, each step's checks, the statutory deadline of each step (so an
overdue step raises a five-contracts matter), and the party's record kept in step with the workflow."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from workflows.engine.context import ActionContext
from workflows.engine.hooks import HookRegistry, ProcessHooks
from workflows.exceptions import WorkflowError
from workflows.penalties import legal_terms as terms
from workflows.penalties import steps
from workflows.penalties.models import PenaltyCase
from workflows.vocabulary import SERVICE_METHODS, PenaltyOutcome

PROCESS = "penalty_procedure"
TASK_SCHEMAS = {
    "participant_disposal": {"disposal": ("education", "warning", "summary_fine", "ordinary")},
    "approve_filing": {"filing_decision": ("open", "not_open", "extend"), "filing_reason": str},
    "investigate": {"officers": list, "evidence": list},
    "investigation_report": {"report": str, "proposed_fine": int, "serious": bool, "complex": bool},
    "notify": {"notified_on": str},
    "record_response": {"response": ("silent", "statement", "hearing")},
    "review_statement": {"review_note": str, "fine_after_review": int},
    "hearing_notice": {"notice_served_on": str, "hearing_date": str},
    "hearing_record": {"hearing_minutes": str, "hearing_report": str, "fine_after_hearing": int},
    "legal_review": {"legal_review_passed": bool, "legal_opinion": str},
    "collective_discussion": {"discussion_conclusion": str},
    "decide": {"decision": ("penalty", "no_penalty")},
    "serve": {"service_method": tuple(SERVICE_METHODS), "served_on": str},
    "execute": {"execution": ("paid", "enforcement")},
    "close_case": {"closing_approved": bool},
}
# Which record date each step's deadline comes from (steps not listed get the configured default).
DEADLINE_OF = {
    "approve_filing": "filing_due",
    "investigate": "decision_due", "investigation_report": "decision_due", "notify": "decision_due",
    "review_statement": "decision_due", "legal_review": "decision_due", "collective_discussion": "decision_due",
    "decide": "decision_due", "hearing_record": "decision_due",
    "serve": "service_due", "execute": "payment_due",
}
# What the party's record keeps in its columns (for lists and counts), by the key the steps hand in.
DATE_COLUMNS = ("filed_on", "decision_due", "notified_on", "decided_on", "served_on", "receipt_returned_on",
                "paid_on", "enforcement_applied_on", "closed_on", "filing_due")
OUTCOME_OF_DISPOSAL = {"education": PenaltyOutcome.EDUCATION, "warning": PenaltyOutcome.WARNING,
                       "summary_fine": PenaltyOutcome.SUMMARY_FINE}


def penalty_case(session, instance_id: int) -> PenaltyCase:
    row = session.scalar(sa.select(PenaltyCase).where(PenaltyCase.instance_id == instance_id))
    if row is None:
        raise WorkflowError("该处罚程序没有当事人记录，无法继续。")
    return row


def _before_complete(ctx: ActionContext, task, data: dict) -> None:
    row = penalty_case(ctx.session, ctx.instance.id)
    steps.check(ctx, task.task_name, dict(row.record or {}), data)


def _after_complete(ctx: ActionContext, task, data: dict) -> None:
    """Keep the party's record in step: the submitted data, the dates it implied, the outcome so far."""
    row = penalty_case(ctx.session, ctx.instance.id)
    row.record = {**(row.record or {}), **data}
    for key in DATE_COLUMNS:
        if data.get(key):
            setattr(row, key, date.fromisoformat(data[key]))
    name = task.task_name
    if name == "participant_disposal":
        row.outcome = OUTCOME_OF_DISPOSAL.get(data["disposal"], PenaltyOutcome.PENDING)
        if data["disposal"] == "summary_fine":
            row.fine = data["fine"]
    elif name == "approve_filing" and data["filing_decision"] == "not_open":
        row.outcome = PenaltyOutcome.NOT_OPENED
    elif name == "investigation_report":
        row.proposed_fine = data["proposed_fine"]
    elif name == "record_response":
        row.response = data["response"]
    elif name == "hearing_notice":
        row.hearing_on = date.fromisoformat(data["hearing_date"])
    elif name == "decide":
        if data["decision"] == "penalty":
            row.outcome, row.fine = PenaltyOutcome.DECIDED, data["fine"]
            row.decision_number = data["decision_number"].strip()
        else:
            row.outcome = PenaltyOutcome.NO_PENALTY
    elif name == "serve":
        row.service_method = data["service_method"]
    elif name == "execute":
        row.surcharge = data.get("surcharge")
        row.paid_amount = data.get("paid_amount") if data["execution"] == "paid" else None


def _assign(ctx: ActionContext, inst, task, row: dict) -> None:
    """A step is due on the last day of its statutory period (the end of that day at the office)."""
    key = DEADLINE_OF.get(task.name)
    due = task.data.get(key) if key else None
    if due:
        row["due_at"] = terms.end_of_local_day_utc(date.fromisoformat(due))


def register(registry: HookRegistry) -> None:
    registry.register(ProcessHooks(PROCESS, reference_prefix="CF", task_schemas=TASK_SCHEMAS,
                                   before_complete=_before_complete, after_complete=_after_complete,
                                   assign=_assign))
