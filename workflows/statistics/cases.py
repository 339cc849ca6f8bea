"""Six-step cases started in the period, by how they ended (or that they are still open) and by area one level
down (a district's streets, a street's communities).

One GROUP BY per area part, each reading that part's range of the instances' area index, so a district's twelve
streets are twelve small range counts rather than one pass that maps every case to its street in Python."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows.cases.hooks import PROCESS
from workflows.engine.models import ProcessInstance
from workflows.clock import office_bounds
from workflows.statistics.periods import in_part, parts_of
from workflows.vocabulary import END_EVENT_NAMES, InstanceStatus

RUNNING = InstanceStatus.RUNNING  # the outcome key of a case not yet ended
# Outcome keys in the order the table shows them: still open, then the end events of the diagram.
OUTCOMES = (RUNNING, *END_EVENT_NAMES[PROCESS])


def outcome_names() -> dict[str, str]:
    return {RUNNING: "办理中", **END_EVENT_NAMES[PROCESS]}


def cases_by_outcome(session: Session, area_path: str, start: date, end: date) -> list[dict]:
    """[{area, path, counts: {outcome key: n}, total}] per area part (parts without cases left out)."""
    lo, hi = office_bounds(start, end)
    out = []
    for part in parts_of(session, area_path):
        rows = session.execute(
            sa.select(ProcessInstance.status, ProcessInstance.end_event, sa.func.count())
            .where(ProcessInstance.process_id == PROCESS, ProcessInstance.created_at >= lo,
                   ProcessInstance.created_at < hi, in_part(session, ProcessInstance.area_path, part))
            .group_by(ProcessInstance.status, ProcessInstance.end_event)).all()
        if not rows:
            continue
        counts = dict.fromkeys(OUTCOMES, 0)
        for status, end_event, n in rows:
            key = RUNNING if status != InstanceStatus.COMPLETED else end_event
            counts[key] = counts.get(key, 0) + n
        out.append({"area": part.name, "path": part.path, "counts": counts, "total": sum(counts.values())})
    return out
