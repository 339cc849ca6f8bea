"""Driving penalty procedures through the service layer as the demo officers (market, 法制审核, 负责人)."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from engine_helpers import PERSONS, CaseDriver, comparison
from workflows.engine.models import HumanTask, ProcessInstance
from workflows.penalties.models import PenaltyCase
from workflows.penalties.service import PenaltyService

# Who does each step of the procedure.
OFFICER = {"approve_filing": "juzhang", "collective_discussion": "juzhang", "decide": "juzhang",
           "close_case": "juzhang", "legal_review": "fazhi"}
MARKET = "wjs_market1"
# Two persons caught, with valid ID numbers (the procedure checks them; the six-step service does not).
CORE = PERSONS[0]
PARTICIPANT = {**PERSONS[1], "id_number": "420106199001011231"}


class PenaltyDriver:
    def __init__(self, services, lookup, clock):
        self.services, self.lookup, self.clock = services, lookup, clock
        self.workflow = services.workflow
        self.penalties = PenaltyService(services)
        self.cases = CaseDriver(services, lookup)

    # ------------------------------------------------------------------ a six-step case with classified persons
    def classified_case(self) -> int:
        case = self.cases.start()
        self.cases.to_comparison(case)
        persons = [{**CORE, "classification": "core"}, {**PARTICIPANT, "classification": "participant"}]
        self.cases.do(case, "comparison", {**comparison(has_core=True, has_participants=True), "persons": persons})
        return case

    def start(self, case: int | None, person: dict = CORE, role: str = "introducer", **party) -> int:
        return self.penalties.start(self.lookup.user(MARKET), source_instance_id=case,
                                    party={"name": person["name"], "id_number": person["id_number"],
                                           "address": "湖北省武汉市东西湖区", **party},
                                    role=role, facts="介绍他人参加传销，收取入门费")

    # ------------------------------------------------------------------ steps
    def ready(self, instance_id: int) -> dict[str, str]:
        with self.services.db.read() as s:
            rows = s.execute(sa.select(HumanTask.task_name, HumanTask.id).where(
                HumanTask.instance_id == instance_id, HumanTask.state == "ready")).all()
        return {name: tid for name, tid in rows}

    def do(self, instance_id: int, task_name: str, data: dict, username: str | None = None):
        task_id = self.ready(instance_id)[task_name]
        return self.workflow.complete(task_id, data, self.lookup.user(username or OFFICER.get(task_name, MARKET)))

    def today(self) -> str:
        return (self.clock.now() + timedelta(hours=8)).date().isoformat()

    def to_notice(self, inst: int, fine: int = 100000, serious: bool = False, complex_: bool = False) -> None:
        self.do(inst, "approve_filing", {"filing_decision": "open", "filing_reason": "有传销违法线索，符合立案条件"})
        self.do(inst, "investigate", {"officers": ["赵晓明 42010001", "孙丽华 42010002"],
                                      "evidence": ["询问笔录", "课堂笔记", "收款记录"]})
        self.do(inst, "investigation_report", {"report": "经查，当事人介绍他人参加传销。", "proposed_fine": fine,
                                               "serious": serious, "complex": complex_,
                                               "conduct_form": "ban_7_2"})
        self.do(inst, "notify", {"notified_on": self.today()})

    def pass_reply_period(self) -> int:
        """Move past the 5 working days (28 Nov 2026 start: to the next Tuesday morning) and fire the timer."""
        self.clock.advance(days=8)
        return self.workflow.fire_due_timers()

    def decide(self, inst: int, fine: int = 100000):
        return self.do(inst, "decide", {"decision": "penalty", "fine": fine, "decision_number": "东市监罚〔2026〕1号",
                                        "conduct_form": "ban_7_2"})

    def serve(self, inst: int, method: str = "direct", **extra):
        data = {"service_method": method, "served_on": self.today(), "receipt_returned_on": self.today(), **extra}
        return self.do(inst, "serve", data)

    # ------------------------------------------------------------------ reading
    def row(self, instance_id: int) -> PenaltyCase:
        with self.services.db.read() as s:
            return s.scalar(sa.select(PenaltyCase).where(PenaltyCase.instance_id == instance_id))

    def overdue_matter(self, instance_id: int, task_name: str) -> int | None:
        """The five-contracts matter an overdue step raised, if any."""
        with self.services.db.read() as s:
            return s.scalar(sa.select(HumanTask.overdue_matter_id).where(
                HumanTask.instance_id == instance_id, HumanTask.task_name == task_name))

    def instance(self, instance_id: int) -> ProcessInstance:
        with self.services.db.read() as s:
            return s.get(ProcessInstance, instance_id)
