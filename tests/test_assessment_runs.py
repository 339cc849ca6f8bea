"""Assessment runs: a numbered draft with every Annex 3 row, manual entries with evidence, overrides with a reason,
publishing freezes a run, and a re-run is the next version."""
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from workflows.assessment import service as assessment
from workflows.assessment.rules import RULES
from workflows.audit.models import AuditEvent
from workflows.vocabulary import AssessmentStatus

STREET = "吴家山街"
START, END = date(2026, 1, 1), date(2026, 12, 31)


def test_a_run_holds_every_annex_row_and_a_numbered_draft(services, lookup, clock):
    supervisor = lookup.user("dubanban")
    with services.db.unit_of_work() as s:
        run = assessment.run(s, area_id=lookup.area(STREET), start=START, end=END, actor_id=supervisor,
                             now=clock.now(), seed=7)
        run_id = run.id
    with services.db.read() as s:
        sheet = assessment.rows(s, run_id)
        run = assessment.get_run(s, run_id)
        assert [r["rule"].id for r in sheet] == [rule.id for rule in RULES]
        assert run.status == AssessmentStatus.DRAFT and run.version == 1 and run.seed == 7
        assert run.number.endswith("第1号") and "打传考评〔" in run.number
        assert run.total == Decimal(100) - sum(r["row"].deduction for r in sheet)
