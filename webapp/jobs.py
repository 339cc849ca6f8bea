"""The background jobs `dachuan worker` runs, by kind: ledger imports (all in workflows) and batch prints, whose
handler lives here because rendering needs the web app's templates (workflows knows nothing of WeasyPrint)."""
from __future__ import annotations

from workflows.assessment import jobs as assessment_jobs
from workflows.jobs.worker import Handler, JobContext, JobWorker
from workflows.ledgers import import_jobs
from workflows.notices.models import NoticeBatch
from workflows.notices.service import BATCH_JOB_KIND, NoticeService

from .notices import render
from .statistics import compute as statistics_compute


def run_notice_batch(ctx: JobContext) -> dict:
    """Render a batch into one PDF; a worker that takes it over after a crash simply renders it again."""
    service = NoticeService.for_services(ctx.services)
    batch_id = ctx.payload["batch_id"]
    with ctx.services.db.read() as s:
        batch = s.get(NoticeBatch, batch_id)
        ids, actor_id, total = list(batch.notice_ids), batch.created_by_id, batch.total

    def progress(done: int) -> None:
        with ctx.transaction() as s:
            ctx.progress(s, done, total)
            service.batch_progress(s, batch_id, done)

    items = [(content, n.status, render.note_for(service, n)) for n, content in service.contents(ids, actor_id)]
    pdf = render.render_batch(items, progress=progress, every=1)
    with ctx.transaction() as s:
        service.finish_batch(s, batch_id, pdf)
        ctx.complete(s, {"notices": total, "bytes": len(pdf)})
    return {"notices": total}


def handlers() -> dict[str, Handler]:
    """Every kind of job this release knows, with its handler."""
    return {import_jobs.KIND: import_jobs.HANDLER,
            BATCH_JOB_KIND: Handler(run_notice_batch, NoticeService.batch_failed),
            assessment_jobs.KIND: assessment_jobs.HANDLER,
            statistics_compute.snapshots.JOB_KIND: statistics_compute.HANDLER}


def worker(services) -> JobWorker:
    """A job worker over `services` with every handler: `dachuan worker`, small jobs in a request, the tests."""
    return JobWorker(services, handlers())
