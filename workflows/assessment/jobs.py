"""The background job kind "assessment": score every street of an area (the district) for a period, one street per
transaction with the job's progress, so a year for all streets never runs in a request."""
from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows import audit
from workflows.assessment import service
from workflows.assessment.models import AssessmentRun
from workflows.assessment.settings import AssessmentSettings
from workflows.exceptions import NotFound, ValidationFailed
from workflows.jobs import queue
from workflows.jobs.models import Job
from workflows.jobs.worker import Handler, JobContext
from workflows.org import access
from workflows.org.models import Area

KIND = "assessment"


def assess_all(session: Session, *, district_area_id: int, start: date, end: date, actor_id: int, now: datetime,
               settings: AssessmentSettings | None = None, seed: int | None = None,
               max_attempts: int = queue.DEFAULT_MAX_ATTEMPTS) -> Job:
    """Queue the assessment of every street under `district_area_id` (in the caller's unit of work)."""
    district = session.get(Area, district_area_id)
    if district is None:
        raise NotFound(f"区域 {district_area_id} 不存在。")
    user = access.active_user(session, actor_id)
    access.check_edit(user, district.path, service.RUN_ROLES, "您无权进行考评。", service.WHAT)
    if start > end:
        raise ValidationFailed({"start": ["考评期间的开始日期不能晚于结束日期。"]})
    streets = service.streets(session, district.id)
    job = queue.enqueue(session, KIND, {
        "district_area_id": district.id, "start": start.isoformat(), "end": end.isoformat(), "actor_id": actor_id,
        "seed": seed, "settings": (settings or AssessmentSettings()).snapshot(),
        "area_ids": [s.id for s in streets]}, now=now, created_by_id=actor_id, max_attempts=max_attempts)
    audit.record(session, now, "assessment_queued", actor_id, None, None, job_id=job.id, area_id=district.id,
                 start=start.isoformat(), end=end.isoformat(), streets=len(streets))
    return job


def run(ctx: JobContext) -> dict:
    """Score each street in its own transaction; a street this job already scored (before a crash) is skipped."""
    payload = ctx.payload
    start, end = date.fromisoformat(payload["start"]), date.fromisoformat(payload["end"])
    settings = AssessmentSettings.from_dict(payload.get("settings") or {})
    area_ids = list(payload["area_ids"])
    streets = []
    for done, area_id in enumerate(area_ids, start=1):
        with ctx.transaction() as s:
            made = s.scalar(sa.select(AssessmentRun).where(AssessmentRun.job_id == ctx.job_id,
                                                           AssessmentRun.area_id == area_id))
            if made is None:
                made = service.run(s, area_id=area_id, start=start, end=end, actor_id=payload["actor_id"],
                                   now=ctx.now(), seed=payload.get("seed"), settings=settings, job_id=ctx.job_id)
            streets.append({"area_id": area_id, "run_id": made.id, "number": made.number, "total": str(made.total)})
            ctx.progress(s, done, len(area_ids))
    return {"streets": streets}


HANDLER = Handler(run)
