"""Ledger import jobs: a file is checked (with progress) and imported through ledgers.spreadsheets by the background
worker, its state kept in a row so the page that shows it can be served by any web process.

The import is exactly-once in effect: rows are written in chunks, each chunk together with the row's
`imported` counter and the job's progress in one transaction, and a worker that takes the job over after a
crash checks the file again (checking writes nothing) and resumes after the last committed row."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from workflows.exceptions import NotFound, PermissionDenied, WorkflowError
from workflows.jobs import queue
from workflows.jobs.models import Job
from workflows.jobs.worker import Handler, JobContext
from workflows.ledgers import spreadsheets
from workflows.ledgers.models import LedgerImportJob
from workflows.ledgers.upload_limits import check_upload
from workflows.org.models import User
from workflows.vocabulary import JobStatus

KIND = "ledger_import"
# Check progress is written at most this often (rows), so a large file does not turn into a write per row.
PROGRESS_EVERY = 200


def _enqueue(services, s: Session, record: LedgerImportJob, import_good_rows: bool) -> None:
    job = queue.enqueue(s, KIND, {"import_id": record.id, "import_good_rows": import_good_rows},
                        now=services.workflow.now(), created_by_id=record.created_by_id,
                        max_attempts=services.settings.job_max_attempts)
    record.job_id = job.id


def create_job(services, actor_id: int, ledger: str, filename: str, content: bytes) -> int:
    """Store an uploaded file as a job waiting to be checked (queued for the worker in the same transaction)."""
    if ledger not in spreadsheets.SPECS:
        raise NotFound(f"没有名为 {ledger} 的台账。")
    if not content:
        raise WorkflowError("上传的文件是空的。")
    check_upload(filename or "", content, services.settings)  # before the file is stored or parsed
    with services.db.unit_of_work() as s:
        user = s.get(User, actor_id)
        if user is None or not user.active:
            raise PermissionDenied("请先登录。")
        record = LedgerImportJob(ledger=ledger, filename=(filename or "")[:200], content=content,
                                 created_by_id=actor_id, created_at=services.workflow.now(), phase="check",
                                 status=JobStatus.RUNNING, total=0, done=0, valid=0, imported=0, errors=[], error="")
        s.add(record)
        s.flush()
        _enqueue(services, s, record, import_good_rows=False)
        return record.id


def get_job(services, job_id: int, viewer_id: int) -> LedgerImportJob:
    """A job, only to the officer who uploaded it (its errors quote the file's rows)."""
    with services.db.read() as s:
        job = s.get(LedgerImportJob, job_id)
        if job is None or job.created_by_id != viewer_id:
            raise NotFound("找不到该导入任务。")
        s.expunge(job)
        return job


def start_phase(services, job_id: int, viewer_id: int, import_good_rows: bool) -> int:
    """Queue a checked file again to import its good rows (the user's explicit choice); returns the job id."""
    with services.db.unit_of_work() as s:
        record = s.get(LedgerImportJob, job_id, with_for_update=True)
        if record is None or record.created_by_id != viewer_id:
            raise NotFound("找不到该导入任务。")
        if record.status == JobStatus.RUNNING:
            raise WorkflowError("该文件正在处理中，请稍候。")
        if record.imported or record.content is None:
            raise WorkflowError("该文件已经导入，不能重复导入。")
        if import_good_rows and not record.valid:
            raise WorkflowError("该文件没有可导入的正确行。")
        record.phase, record.status, record.done, record.error, record.finished_at = \
            "import_good", JobStatus.RUNNING, 0, "", None
        _enqueue(services, s, record, import_good_rows)
        return record.job_id


def run(ctx: JobContext) -> dict:
    """The worker's handler: check the file, then import it chunk by chunk (resuming after a crash)."""
    services, record_id = ctx.services, ctx.payload["import_id"]
    with services.db.read() as s:
        record = s.get(LedgerImportJob, record_id)
        if record is None:
            raise NotFound("找不到该导入任务。")
        ledger, filename, content, actor_id = record.ledger, record.filename, record.content, record.created_by_id
        resumed_from = record.imported  # rows an earlier attempt committed before its worker stopped

    def progress(done: int, total: int) -> None:
        if done % PROGRESS_EVERY == 0 or done == total:
            with ctx.transaction() as s:
                ctx.progress(s, done, total)
                s.execute(sa.update(LedgerImportJob).where(LedgerImportJob.id == record_id)
                          .values(done=done, total=total))

    checked = spreadsheets.check_file(services, actor_id, ledger, filename, content or b"", progress)
    report = checked.report
    if not report.errors or ctx.payload.get("import_good_rows"):
        chunk = services.settings.import_chunk_rows
        while True:
            with ctx.transaction() as s:
                record = s.get(LedgerImportJob, record_id)
                # The counter committed with the last chunk, by this attempt or by one that died.
                rows = checked.good[record.imported:record.imported + chunk]
                if not rows:
                    break
                spreadsheets.import_rows(services.workflow.context(s, actor_id), ledger, rows, checked.areas)
                record.imported += len(rows)
                record.valid = report.valid  # the page shows "imported / valid" while the chunks run
                ctx.progress(s, record.imported, len(checked.good))
        report.imported = len(checked.good)
    with ctx.transaction() as s:
        _record_report(s, record_id, report, services.workflow.now())
        result = {"total": report.total, "valid": report.valid, "imported": report.imported,
                  "errors": len(report.errors), "resumed_from": resumed_from}
        ctx.complete(s, result)
    return result


def _record_report(s: Session, record_id: int, report: spreadsheets.ImportReport, now) -> None:
    record = s.get(LedgerImportJob, record_id)
    record.status, record.finished_at = JobStatus.DONE, now
    record.total, record.done, record.valid, record.imported = report.total, report.total, report.valid, report.imported
    record.errors = [[e.line, e.column, e.message] for e in report.errors]
    if report.imported:
        record.content = None  # imported: the file is no longer needed


def on_failure(s: Session, job: Job) -> None:
    """The job failed for good: its import page says why (rows already committed stay, and the page says so)."""
    record = s.get(LedgerImportJob, job.payload["import_id"])
    if record is not None and record.job_id == job.id:
        record.status, record.error, record.finished_at = JobStatus.FAILED, job.error[:500], job.finished_at


HANDLER = Handler(run, on_failure)
