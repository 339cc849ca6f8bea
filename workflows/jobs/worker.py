"""The worker: claims jobs of the kinds it has handlers for and runs them one at a time, beside the timers."""
from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator, Mapping

from sqlalchemy.orm import Session

from workflows.exceptions import ConcurrentUpdate, LeaseLost, WorkflowError
from workflows.jobs import queue
from workflows.jobs.models import Job
from workflows.operations import health

log = logging.getLogger("dachuan.worker")


@dataclass(frozen=True)
class Handler:
    """What runs one kind of job, and what tells its domain record that the job failed for good."""

    run: Callable[["JobContext"], dict | None]
    # Called in the transaction that marks the job failed, so the record a page shows never stays "running".
    on_failure: Callable[[Session, Job], None] | None = None


class JobContext:
    """What a handler gets: the services, the job's payload, and transactions fenced by the worker's claim."""

    def __init__(self, services, claim: queue.Claim):
        self.services, self.claim = services, claim
        self.job_id, self.payload = claim.id, claim.payload
        self.completed = False

    def now(self):
        return self.services.workflow.now()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A unit of work that first renews this worker's lease: if another worker has taken the job over,
        it raises LeaseLost before anything is written, and the writes made in it commit only as this job's."""
        with self.services.db.unit_of_work() as s:
            queue.heartbeat(s, self.claim, now=self.now(), lease_seconds=self.services.settings.job_lease_seconds)
            yield s

    def progress(self, session: Session, done: int, total: int) -> None:
        """Record progress in a transaction of this context (it commits with the work it counts)."""
        queue.heartbeat(session, self.claim, now=self.now(), lease_seconds=self.services.settings.job_lease_seconds,
                        done=done, total=total)

    def complete(self, session: Session, result: dict | None = None) -> None:
        """Mark the job done in a transaction of this context, together with the handler's last writes."""
        queue.finish(session, self.claim, now=self.now(), result=result)
        self.completed = True


def default_worker_id() -> str:
    """Unique per worker object: a lease names the process (host, pid) that holds it, for whoever reads the row."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:120]


class JobWorker:
    """Runs jobs of the kinds in `handlers`; the same code path serves `dachuan worker`, small jobs run inside a
    request, and the tests."""

    def __init__(self, services, handlers: Mapping[str, Handler], worker_id: str | None = None):
        self.services, self.handlers = services, dict(handlers)
        self.worker_id = worker_id or default_worker_id()

    def run_one(self, job_id: int | None = None) -> queue.Claim | None:
        """Claim one job (or the job `job_id`, if it is still free) and run it to done, a retry or failed."""
        settings = self.services.settings
        claim = queue.claim(self.services.db, self.worker_id, now=self.services.workflow.now(),
                            lease_seconds=settings.job_lease_seconds, kinds=self.handlers, job_id=job_id)
        if claim is None:
            return None
        handler = self.handlers[claim.kind]
        if claim.exhausted:
            self._fail(claim, handler, f"处理该任务的进程已中断 {claim.attempt} 次，已停止重试", final=True)
            return claim
        ctx = JobContext(self.services, claim)
        try:
            result = handler.run(ctx)
            if not ctx.completed:
                with ctx.transaction() as s:
                    ctx.complete(s, result)
        except LeaseLost:
            log.warning("job %s (%s): another worker took it over; this attempt's work is dropped",
                        claim.id, claim.kind)
        except (KeyboardInterrupt, SystemExit):
            queue.release(self.services.db, claim)  # stopped, not failed: another worker starts it at once
            raise
        except WorkflowError as exc:
            # The engine's refusals say what is wrong with the job itself (a damaged file, no permission):
            # trying again would only say it again. A concurrent update is the exception: it may pass next time.
            retry = isinstance(exc, ConcurrentUpdate)
            self._fail(claim, handler, exc.message, final=not retry)
        except Exception as exc:  # any other failure of a handler is tried again; the trace goes to the log
            log.exception("job %s (%s) attempt %s of %s failed", claim.id, claim.kind, claim.attempt,
                          claim.max_attempts)
            self._fail(claim, handler, f"{type(exc).__name__}: {exc}")
        return claim

    def _fail(self, claim: queue.Claim, handler: Handler, error: str, final: bool = False) -> None:
        if not final and claim.attempt >= claim.max_attempts:
            error = f"已尝试 {claim.attempt} 次仍出错（{error}），请联系系统管理员"
        try:
            queue.fail(self.services.db, claim, error, now=self.services.workflow.now(),
                       retry_seconds=self.services.settings.job_retry_seconds, final=final,
                       on_failure=handler.on_failure)
        except LeaseLost:
            log.warning("job %s (%s): taken over by another worker before its failure was recorded",
                        claim.id, claim.kind)

    def run_until_idle(self, limit: int = 10_000) -> int:
        """Run jobs until none is claimable (or `limit` ran); returns how many ran."""
        ran = 0
        while ran < limit and self.run_one() is not None:
            ran += 1
        return ran


def run_worker(services, handlers: Mapping[str, Handler], *, interval: float = 5.0, once: bool = False,
               report: Callable[[dict], None] | None = None, sleep: Callable[[float], None] = time.sleep,
               max_backoff: float = 60.0, stopping: Callable[[], bool] = lambda: False) -> None:
    """The `dachuan worker` loop: fire due timers, raise overdue matters, run one job; repeat, sleeping only
    when there was nothing to do.

    A failing job is recorded on its row by JobWorker. Anything else (the database gone, a timer that will
    not fire) is logged and the loop backs off, doubling the wait up to `max_backoff`, then goes on: one
    bad night must not leave the district without its deadlines. `once` runs the timers once and the jobs
    until none is left, and lets errors through so a cron-style caller sees them. `stopping` is asked before
    each round: a stop signal's exception can be swallowed where Python cannot raise it (a finalizer run by the
    garbage collector), and the loop must end all the same.
    """
    jobs = JobWorker(services, handlers)
    failures = 0
    while not stopping():
        try:
            counts = services.workflow.run_worker_once()
            counts["jobs"] = jobs.run_until_idle() if once else int(jobs.run_one() is not None)
            # A sign of life for the health check, after a round that went through.
            health.beat(services.db, jobs.worker_id, services.workflow.now())
        except Exception:
            if once:
                raise
            failures += 1
            delay = min(interval * 2 ** failures, max_backoff)
            log.exception("worker round failed (%s in a row); next try in %.0f s", failures, delay)
            sleep(delay)
            continue
        failures = 0
        if report is not None:
            report(counts)
        if once:
            return
        if not counts["jobs"]:
            sleep(interval)
