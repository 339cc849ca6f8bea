"""The page's charts computed from the records, and the worker's job kind "statistics" that stores them: the page
itself reads the stored figures (workflows.statistics.snapshots), so no request counts a district's year."""
from __future__ import annotations

import dataclasses
import time
from datetime import date, datetime

from sqlalchemy.orm import Session

from workflows.assessment.settings import AssessmentSettings
from workflows.jobs.worker import Handler, JobContext
from workflows.statistics import snapshots
from workflows.statistics.models import StatisticsSnapshot

from .assessed import complaints_chart, handling_chart, persons_chart, reflux_chart, sweeps_chart
from .charts import Chart, cases_chart, compliance_chart, coverage_chart

# The page's charts in order: key -> builder(session, area_path, start, end, now, assessment settings).
BUILDERS = {
    "complaints": lambda s, path, start, end, at, cfg: complaints_chart(s, path, start, end),
    "handling": lambda s, path, start, end, at, cfg: handling_chart(s, path, start, end),
    "sweeps": lambda s, path, start, end, at, cfg: sweeps_chart(s, path, start, end),
    "cases": lambda s, path, start, end, at, cfg: cases_chart(s, path, start, end),
    "persons": lambda s, path, start, end, at, cfg: persons_chart(s, path, start, end, cfg),
    "reflux": lambda s, path, start, end, at, cfg: reflux_chart(s, path, start, end, cfg),
    "time_limits": lambda s, path, start, end, at, cfg: compliance_chart(s, path, start, end, at),
    "coverage": lambda s, path, start, end, at, cfg: coverage_chart(s, path, start, end),
}


def live_charts(session: Session, area_path: str, start: date, end: date, now: datetime,
                settings: AssessmentSettings) -> list[Chart]:
    """Every chart counted from the records now (the worker's computation, and the tests' yardstick)."""
    return [build(session, area_path, start, end, now, settings) for build in BUILDERS.values()]


def to_stored(chart: Chart) -> dict:
    return dataclasses.asdict(chart)


def from_stored(data: dict) -> Chart:
    return Chart(**data)


def run(ctx: JobContext) -> dict:
    """Compute each asked-for area and period, and store it in its own transaction."""
    settings = AssessmentSettings.from_settings(ctx.services.settings)
    ids = list(ctx.payload.get("snapshot_ids") or [])
    for done, snapshot_id in enumerate(ids, start=1):
        began, now = time.perf_counter(), ctx.now()
        with ctx.services.db.read() as s:
            snapshot = s.get(StatisticsSnapshot, snapshot_id)
            if snapshot is None:
                continue
            charts = [to_stored(c) for c in live_charts(s, snapshot.area_path, snapshot.period_start,
                                                        snapshot.period_end, now, settings)]
        with ctx.transaction() as s:
            snapshots.store(s, snapshot_id, charts, now=now, seconds=time.perf_counter() - began)
            ctx.progress(s, done, len(ids))
    return {"snapshots": len(ids)}


HANDLER = Handler(run)
