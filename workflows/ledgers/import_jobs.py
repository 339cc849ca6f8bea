"""Ledger import jobs: a file is checked (with progress) and imported through ledger_io, its state kept in
a row so the page that shows it can be served by any web process while a thread does the work."""
from __future__ import annotations

from workflows.ledgers import spreadsheets as ledger_io
from workflows.exceptions import NotFound, PermissionDenied, WorkflowError
from workflows.org.models import User
from workflows.ledgers.models import LedgerImportJob

# Progress is written at most this often (rows), so a large file does not turn into a write per row.
PROGRESS_EVERY = 200


def create_job(services, actor_id: int, ledger: str, filename: str, content: bytes) -> int:
    """Store an uploaded file as a job waiting to be checked."""
    if ledger not in ledger_io.SPECS:
        raise NotFound(f"没有名为 {ledger} 的台账。")
    if not content:
        raise WorkflowError("上传的文件是空的。")
    with services.db.unit_of_work() as s:
        user = s.get(User, actor_id)
        if user is None or not user.active:
            raise PermissionDenied("请先登录。")
        job = LedgerImportJob(ledger=ledger, filename=(filename or "")[:200], content=content,
                              created_by_id=actor_id, created_at=services.workflow.now(), phase="check",
                              status="running", total=0, done=0, valid=0, imported=0, errors=[], error="")
        s.add(job)
        s.flush()
        return job.id


def get_job(services, job_id: int, viewer_id: int) -> LedgerImportJob:
    """A job, only to the officer who uploaded it (its errors quote the file's rows)."""
    with services.db.read() as s:
        job = s.get(LedgerImportJob, job_id)
        if job is None or job.created_by_id != viewer_id:
            raise NotFound("找不到该导入任务。")
        s.expunge(job)
        return job


def start_phase(services, job_id: int, viewer_id: int, import_good_rows: bool) -> None:
    """Mark a checked job as running again to import its good rows (the user's explicit choice)."""
    with services.db.unit_of_work() as s:
        job = s.get(LedgerImportJob, job_id, with_for_update=True)
        if job is None or job.created_by_id != viewer_id:
            raise NotFound("找不到该导入任务。")
        if job.status == "running":
            raise WorkflowError("该文件正在处理中，请稍候。")
        if job.imported or job.content is None:
            raise WorkflowError("该文件已经导入，不能重复导入。")
        if import_good_rows and not job.valid:
            raise WorkflowError("该文件没有可导入的正确行。")
        job.phase, job.status, job.done, job.error, job.finished_at = "import_good", "running", 0, "", None


def run_job(services, job_id: int, import_good_rows: bool = False) -> None:
    """Check (and import, when the file is clean or the user chose the good rows) one job's file."""
    with services.db.read() as s:
        job = s.get(LedgerImportJob, job_id)
        if job is None:
            raise NotFound("找不到该导入任务。")
        ledger, filename, content, actor_id = job.ledger, job.filename, job.content, job.created_by_id

    def progress(done: int, total: int) -> None:
        if done % PROGRESS_EVERY == 0 or done == total:
            with services.db.unit_of_work() as s:
                row = s.get(LedgerImportJob, job_id)
                row.done, row.total = done, total

    try:
        report = ledger_io.import_file(services, actor_id, ledger, filename, content or b"",
                                       import_good_rows=import_good_rows, progress=progress)
    except WorkflowError as exc:
        _finish(services, job_id, error=exc.message)
        return
    _finish(services, job_id, report=report)


def _finish(services, job_id: int, report=None, error: str = "") -> None:
    with services.db.unit_of_work() as s:
        job = s.get(LedgerImportJob, job_id)
        job.finished_at = services.workflow.now()
        if report is None:
            job.status, job.error = "failed", error[:500]
            return
        job.status = "done"
        job.total, job.done, job.valid, job.imported = report.total, report.total, report.valid, report.imported
        job.errors = [[e.line, e.column, e.message] for e in report.errors]
        if report.imported:
            job.content = None  # imported: the file is no longer needed


def fail(services, job_id: int, message: str) -> None:
    """End a job that broke unexpectedly in a state its page can show (the trace goes to the caller's log)."""
    _finish(services, job_id, error=message)
