"""The penalty procedure's service: start a procedure as a user action, extend the time to decide, and read
procedures (area-scoped lists, one procedure with its steps, deadlines and lights) for pages."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from workflows import audit
from workflows.audit.models import AuditEvent
from workflows.clock import office_date
from workflows.engine.models import HumanTask, ProcessInstance
from workflows.exceptions import NotFound, PermissionDenied, WorkflowError
from workflows.org import access
from workflows.penalties import legal_terms as terms
from workflows.penalties.hooks import penalty_case
from workflows.penalties.models import PenaltyCase
from workflows.penalties.starting import start_for_party
from workflows.time_limits import Light, Thresholds, light
from workflows.vocabulary import PenaltyOutcome, TaskState

HEAD_ROLE = "head"


@dataclass
class StepDeadline:
    """An open or finished step, with its deadline and light (as a page shows it)."""

    task: HumanTask
    light: Light


@dataclass
class ProcedureView:
    case: PenaltyCase
    instance: ProcessInstance
    source: ProcessInstance | None
    steps: list[StepDeadline]
    events: list[AuditEvent]
    decision_light: Light
    accrued_surcharge: int | None = None  # 第七十二条: what is owed on top of the fine if paid today


class PenaltyService:
    """Each public method is one unit of work (or one read)."""

    def __init__(self, services):
        self.services = services
        self.db, self.engine = services.db, services.workflow

    # ------------------------------------------------------------------ actions
    def start(self, actor_id: int, *, source_instance_id: int | None, party: dict, role: str, facts: str) -> int:
        """Start a procedure against one party (a page's 发起处罚程序); one transaction."""
        with self.db.unit_of_work() as s:
            actor = access.active_user(s, actor_id)
            if source_instance_id is not None:
                source = s.get(ProcessInstance, source_instance_id)
                if source is None:
                    raise NotFound(f"找不到案件 {source_instance_id}。")
                access.check_sees(actor, source.area_path)
            return start_for_party(self.engine.context(s, actor_id), source_instance_id=source_instance_id,
                                   party=party, role=role, facts=facts)

    def extend_decision(self, instance_id: int, actor_id: int, reason: str) -> date:
        """The head extends the 90 days to decide by 30 (once, before they run out); open steps move with it."""
        if not (reason or "").strip():
            raise WorkflowError("延长办案期限须填写理由。")
        with self.db.unit_of_work() as s:
            actor = access.active_user(s, actor_id)
            if not actor.has_role(HEAD_ROLE):
                raise PermissionDenied("延长办案期限须经负责人批准。")
            row = penalty_case(s, instance_id)
            access.check_sees(actor, row.area_path)
            now = self.engine.now()
            if row.filed_on is None or row.decided_on is not None or row.outcome != PenaltyOutcome.PENDING:
                raise WorkflowError("只有已立案、尚未作出决定的案件可以延长办案期限。")
            if row.decision_extended:
                raise WorkflowError("办案期限已延长过一次。")
            if office_date(now) > row.decision_due:
                raise WorkflowError("办案期限已届满，不能再延长。")
            row.decision_extended = True
            row.decision_due = terms.Terms.decision_due(row.filed_on, extended=True)
            row.record = {**row.record, "decision_due": row.decision_due.isoformat(), "decision_extended": True}
            self.engine.update_open_data(self.engine.context(s, actor_id), instance_id,
                                         {"decision_due": row.decision_due.isoformat()})
            due_at = terms.end_of_local_day_utc(row.decision_due)
            s.execute(sa.update(HumanTask).where(HumanTask.instance_id == instance_id,
                                                 HumanTask.state == TaskState.READY,
                                                 HumanTask.task_name.in_(DECISION_STEPS))
                      .values(due_at=due_at).execution_options(synchronize_session=False))
            audit.record(s, now, "penalty_deadline_extended", actor_id, instance_id, reason=reason.strip(),
                         decision_due=row.decision_due.isoformat())
            return row.decision_due

    # ------------------------------------------------------------------ reading
    def list(self, actor_id: int, outcome: str | None = None, role: str | None = None,
             source_instance_id: int | None = None, limit: int = 200) -> list[tuple[PenaltyCase, ProcessInstance]]:
        """The procedures the actor may see, newest first, with filters."""
        with self.db.read() as s:
            actor = access.active_user(s, actor_id)
            access.visible_prefix(actor, "行政处罚案件")
            query = (sa.select(PenaltyCase, ProcessInstance)
                     .join(ProcessInstance, ProcessInstance.id == PenaltyCase.instance_id)
                     .where(access.visible_clause(PenaltyCase.area_path, actor))
                     .order_by(PenaltyCase.created_at.desc(), PenaltyCase.id.desc()).limit(limit))
            if outcome:
                query = query.where(PenaltyCase.outcome == outcome)
            if role:
                query = query.where(PenaltyCase.role == role)
            if source_instance_id is not None:
                query = query.where(PenaltyCase.source_instance_id == source_instance_id)
            return [(row, inst) for row, inst in s.execute(query).all()]

    def view(self, instance_id: int, actor_id: int) -> ProcedureView:
        """One procedure: the party's record, its steps with deadlines and lights, its timeline, its source case."""
        with self.db.read() as s:
            actor = access.active_user(s, actor_id)
            row = penalty_case(s, instance_id)
            access.check_sees(actor, row.area_path)
            inst = s.get(ProcessInstance, instance_id)
            source = s.get(ProcessInstance, row.source_instance_id) if row.source_instance_id else None
            now, thresholds = self.engine.now(), Thresholds.from_settings(self.services.settings)
            tasks = s.scalars(sa.select(HumanTask).where(HumanTask.instance_id == instance_id)
                              .order_by(HumanTask.created_at, HumanTask.completed_at)).all()
            # A finished step keeps the light it had when it was done (late or not); a cancelled one has none.
            steps = [StepDeadline(t, light(t.completed_at if t.state != TaskState.READY else now, t.created_at,
                                           t.due_at, thresholds)
                                  if t.state != TaskState.CANCELLED else Light.NONE) for t in tasks]
            events = list(s.scalars(sa.select(AuditEvent).where(AuditEvent.instance_id == instance_id)
                                    .order_by(AuditEvent.id)))
            accrued = None
            if row.served_on and row.fine and row.paid_on is None and row.enforcement_applied_on is None:
                accrued = terms.surcharge(row.fine, row.served_on, office_date(now))
            return ProcedureView(row, inst, source, steps, events, self.decision_light(row, now), accrued)

    def decision_light(self, row: PenaltyCase, now: datetime) -> Light:
        """The light of the 90 days to decide (第六十条), while no decision is made."""
        if row.filed_on is None or row.decided_on is not None or row.outcome != PenaltyOutcome.PENDING:
            return Light.NONE
        start = terms.end_of_local_day_utc(row.filed_on)
        return light(now, start, terms.end_of_local_day_utc(row.decision_due),
                     Thresholds.from_settings(self.services.settings))

    def for_case(self, source_instance_id: int) -> list[PenaltyCase]:
        """The procedures a case started (its page lists them); the case page checked the reader's sight."""
        with self.db.read() as s:
            return list(s.scalars(sa.select(PenaltyCase).where(PenaltyCase.source_instance_id == source_instance_id)
                                  .order_by(PenaltyCase.id)))

    def counts(self, area_prefix: str = "/") -> dict[str, int]:
        """Procedures by outcome within an area (the assessment's penalty rate counts every path)."""
        with self.db.read() as s:
            rows = s.execute(sa.select(PenaltyCase.outcome, sa.func.count())
                             .where(PenaltyCase.area_path.startswith(area_prefix))
                             .group_by(PenaltyCase.outcome)).all()
            return {outcome: n for outcome, n in rows}


DECISION_STEPS = ("investigate", "investigation_report", "notify", "review_statement", "hearing_record",
                  "legal_review", "collective_discussion", "decide")
