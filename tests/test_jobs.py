"""The jobs queue: a failing job ends failed with its error and the worker goes on; a job whose workers keep
dying ends failed too; two workers never take one job; a worker whose lease was taken over commits nothing;
the worker loop outlives a lost database; the migration matches the models."""
import io
import logging
import threading

import pytest
import sqlalchemy as sa
from alembic import command

from engine_helpers import release_together
from job_helpers import run_jobs
from ledger_helpers import HEADERS, house_row
from web_fixtures import ROOM, app, login_as, text  # noqa: F401  (fixtures)
from workflows import runtime
from workflows.database import migrate
from workflows.exceptions import LeaseLost
from workflows.jobs import queue
from workflows.jobs.models import DONE, FAILED, QUEUED, Job
from workflows.jobs.worker import Handler, JobContext, JobWorker, run_worker
from workflows.ledgers import import_jobs, spreadsheets
from workflows.ledgers.models import RentalHouse


def enqueue(services, kind: str, n: int = 1, **payload) -> list[int]:
    with services.db.unit_of_work() as s:
        return [queue.enqueue(s, kind, dict(payload, n=i), now=services.workflow.now(),
                              max_attempts=services.settings.job_max_attempts).id for i in range(n)]


def job(services, job_id: int) -> Job:
    return queue.get(services.db, job_id)


def csv_file(*addresses) -> bytes:
    lines = [",".join(HEADERS)] + [",".join(str(v) for v in house_row(a)) for a in addresses]
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_a_job_that_keeps_failing_ends_failed_with_its_error_and_the_worker_goes_on(services, clock):
    tries = []

    def broken(ctx: JobContext):
        tries.append(ctx.claim.attempt)
        raise RuntimeError("打印机驱动崩溃")

    worker = JobWorker(services, {"broken": Handler(broken), "fine": Handler(lambda ctx: {"ok": True})})
    [bad] = enqueue(services, "broken")
    [good] = enqueue(services, "fine")

    assert worker.run_until_idle() == 2
    # The first failure queues the job again, after a wait; the next job is done meanwhile.
    first = job(services, bad)
    assert (first.status, first.attempts) == (QUEUED, 1) and "打印机驱动崩溃" in first.error
    assert (job(services, good).status, job(services, good).result) == (DONE, {"ok": True})
    for _ in range(services.settings.job_max_attempts - 1):
        assert worker.run_until_idle() == 0  # still waiting before its next try
        clock.advance(seconds=services.settings.job_retry_seconds)
        assert worker.run_until_idle() == 1

    failed = job(services, bad)
    assert failed.status == FAILED and failed.attempts == services.settings.job_max_attempts == len(tries)
    assert "打印机驱动崩溃" in failed.error and f"已尝试 {len(tries)} 次" in failed.error
    clock.advance(days=1)
    assert worker.run_until_idle() == 0 and len(tries) == services.settings.job_max_attempts  # not tried again


def test_an_import_that_keeps_failing_shows_its_error_on_its_page(services, app, login_as, clock, monkeypatch):
    def disk_full(*_args):
        raise OSError("磁盘已满")

    monkeypatch.setitem(spreadsheets._IMPORTERS, "houses", disk_full)
    app.config["REGISTRY_IMPORT_SYNC_BYTES"] = 0
    housing = login_as("wjs_housing")
    r = housing.post("/registries/houses/import", data={"file": (io.BytesIO(csv_file(ROOM)), "h.csv")},
                     content_type="multipart/form-data")
    page_url = r.headers["Location"]
    for _ in range(services.settings.job_max_attempts):
        assert "正在" in text(housing.get(page_url))
        assert run_jobs(services) == 1
        clock.advance(seconds=services.settings.job_retry_seconds)

    page = text(housing.get(page_url))
    assert "导入失败" in page and "磁盘已满" in page and "未导入任何数据" in page
    assert f"已尝试 {services.settings.job_max_attempts} 次" in page
    assert 'http-equiv="refresh"' not in page
    assert run_jobs(services) == 0


def test_a_job_whose_workers_keep_dying_ends_failed_instead_of_running_forever(services, lookup, clock):
    record_id = import_jobs.create_job(services, lookup.user("wjs_housing"), "houses", "h.csv", csv_file(ROOM))
    lease = services.settings.job_lease_seconds
    for attempt in range(1, services.settings.job_max_attempts + 1):
        dead = queue.claim(services.db, f"worker-{attempt}", now=services.workflow.now(), lease_seconds=lease)
        assert dead.attempt == attempt  # claimed, then its worker vanished without a word
        assert queue.claim(services.db, "eager", now=services.workflow.now(), lease_seconds=lease) is None
        clock.advance(seconds=lease + 1)

    assert run_jobs(services) == 1
    record = import_jobs.get_job(services, record_id, lookup.user("wjs_housing"))
    assert record.status == "failed" and f"已中断 {services.settings.job_max_attempts} 次" in record.error
    assert job(services, record.job_id).status == FAILED
    with services.db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(RentalHouse)) == 0


def test_a_worker_whose_lease_was_taken_over_commits_nothing(services, lookup, clock):
    [job_id] = enqueue(services, "slow")
    lease = services.settings.job_lease_seconds
    stale = queue.claim(services.db, "stalled", now=services.workflow.now(), lease_seconds=lease)
    clock.advance(seconds=lease + 1)
    fresh = queue.claim(services.db, "fresh", now=services.workflow.now(), lease_seconds=lease)
    assert (fresh.id, fresh.attempt) == (job_id, 2)

    with pytest.raises(LeaseLost):
        with JobContext(services, stale).transaction() as s:
            s.execute(sa.update(Job).where(Job.id == job_id).values(result={"written_by": "stalled"}))
    with pytest.raises(LeaseLost):
        with services.db.unit_of_work() as s:
            queue.finish(s, stale, now=services.workflow.now(), result={"written_by": "stalled"})
    ctx = JobContext(services, fresh)
    with ctx.transaction() as s:
        ctx.complete(s, {"written_by": "fresh"})
    done = job(services, job_id)
    assert (done.status, done.result, done.attempts) == (DONE, {"written_by": "fresh"}, 2)


def test_a_worker_stopped_cleanly_hands_its_job_back_at_once(services):
    [job_id] = enqueue(services, "long")

    def stopped(_ctx):
        raise SystemExit(0)  # what SIGTERM becomes in `dachuan worker`

    with pytest.raises(SystemExit):
        JobWorker(services, {"long": Handler(stopped)}).run_one()
    back = job(services, job_id)
    assert (back.status, back.attempts, back.lease_owner) == (QUEUED, 0, None)
    assert JobWorker(services, {"long": Handler(lambda ctx: None)}).run_until_idle() == 1  # no lease to wait out
    assert job(services, job_id).status == DONE


def _race(workers, action) -> None:
    """action(i) for each worker in its own thread, all released at the same moment."""
    release_together(action, len(workers))


def test_two_workers_racing_claim_each_job_exactly_once(services, db_url):
    # Each worker has its own engine and connections, as two worker processes would.
    workers = [runtime.build(db_url, clock=services.workflow.clock) for _ in range(2)]
    try:
        [single] = enqueue(services, "count")
        claims = [None, None]

        def claim_one(i):
            claims[i] = queue.claim(workers[i].db, f"w{i}", now=services.workflow.now(), lease_seconds=60)

        _race(workers, claim_one)
        assert [c.id for c in claims if c is not None] == [single]

        many = enqueue(services, "count", 30)
        ran, lock = [], threading.Lock()

        def count(ctx: JobContext):
            with lock:
                ran.append(ctx.job_id)

        _race(workers, lambda i: JobWorker(workers[i], {"count": Handler(count)}).run_until_idle())
        assert sorted(ran) == many
        with services.db.read() as s:
            rows = s.execute(sa.select(Job.status, Job.attempts).where(Job.id.in_(many))).all()
        assert set(rows) == {(DONE, 1)}
    finally:
        for w in workers:
            w.db.dispose()


class _Stop(Exception):
    pass


def test_the_worker_loop_outlives_a_lost_database_and_a_failing_job(services, monkeypatch, caplog):
    [bad] = enqueue(services, "broken")
    [good] = enqueue(services, "fine")
    real_round, rounds = services.workflow.run_worker_once, []

    def flaky_round():
        rounds.append(1)
        if len(rounds) <= 2:
            raise sa.exc.OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))
        return real_round()

    def sleep(_seconds):
        if job(services, good).status == DONE:
            raise _Stop()

    def broken(_ctx):
        raise RuntimeError("模板缺失")

    monkeypatch.setattr(services.workflow, "run_worker_once", flaky_round)
    handlers = {"broken": Handler(broken), "fine": Handler(lambda ctx: None)}
    with caplog.at_level(logging.ERROR, logger="dachuan.worker"), pytest.raises(_Stop):
        run_worker(services, handlers, interval=0.01, sleep=sleep)

    assert len([r for r in caplog.records if "worker round failed" in r.getMessage()]) == 2
    assert job(services, good).status == DONE
    assert job(services, bad).status == QUEUED and "模板缺失" in job(services, bad).error


def test_the_jobs_migration_ends_interrupted_work(services, db_url):
    """(That the migrated schema matches the models is tests/test_schema_drift.py's.)"""
    from workflows.database.session import Database
    db = Database(db_url)
    try:
        cfg = migrate.alembic_config()
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0006")
        with db.engine.begin() as conn:
            user = conn.exec_driver_sql("SELECT min(id) FROM user_account").scalar()
            conn.execute(sa.text(
                "INSERT INTO notice_batch (created_at, created_by_id, notice_ids, total, done, status, error) "
                "VALUES (:at, :user, '[]', 5, 2, 'running', '')"), {"at": "2026-11-23 09:00:00", "user": user})
        migrate.upgrade(db)
        with db.engine.connect() as conn:
            status, error = conn.exec_driver_sql("SELECT status, error FROM notice_batch").one()
        assert status == "failed" and "重新提交" in error
    finally:
        migrate.upgrade(db)
        db.dispose()


def test_the_worker_loop_ends_on_a_stop_whose_exit_was_swallowed(services):
    """A stop signal's SystemExit raised inside a garbage-collector finalizer is printed and dropped by Python;
    the worker must still end at its next round, leaving the jobs it did not start queued for the next worker."""
    first, second = enqueue(services, "fine", n=2)
    stop = threading.Event()

    def run(_ctx):
        stop.set()  # as the signal handler does before its exit is lost

    run_worker(services, {"fine": Handler(run)}, interval=0.01, sleep=lambda _s: None, stopping=stop.is_set)
    assert job(services, first).status == DONE
    assert job(services, second).status == QUEUED
