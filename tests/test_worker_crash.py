"""A real `dachuan worker` process killed (SIGKILL) in the middle of a ledger import and in the middle of a batch
print: the next worker takes both jobs over once their leases run out, the import ends with every row of the
file exactly once and the batch PDF holds every notice."""
import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from ledger_helpers import HEADERS, house_row
from notice_helpers import SAMPLES, flat, notices, pdf_info, pdf_text
from webapp import create_app
from webapp.notices import render
from workflows.audit.models import AuditEvent
from workflows.jobs import queue
from workflows.jobs.models import DONE
from workflows.ledgers import import_jobs
from workflows.ledgers.models import LedgerImportJob, RentalHouse
from workflows.notices.models import NoticeBatch
from workflows.org.areas import add_area
from workflows.org.models import Area

ROOT = Path(__file__).resolve().parent.parent
ROWS = 4000
NOTICES = 24
# A short lease, so the next worker takes a dead one's job over quickly; small chunks, so a kill lands mid-import.
WORKER_SETTINGS = {"job_lease_seconds": 2, "job_retry_seconds": 0, "import_chunk_rows": 100}


def _start_worker(db_url: str, tmp_path: Path, name: str) -> subprocess.Popen:
    config = tmp_path / "worker.json"
    config.write_text(json.dumps(WORKER_SETTINGS), encoding="utf-8")
    # PYTHONPATH and cwd: the worker runs this checkout's code, whatever the virtualenv's editable install says.
    env = dict(os.environ, DATABASE_URL=db_url, DACHUAN_CONFIG=str(config), PYTHONPATH=str(ROOT))
    log = open(tmp_path / f"worker-{name}.log", "w")
    return subprocess.Popen([sys.executable, "-m", "webapp.cli", "worker", "--interval", "0.2"], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def _wait_for(what: str, check, procs, tmp_path: Path, timeout: float = 240):
    """Poll the database until check() returns something true; fail with the workers' logs otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.01)
    logs = "\n".join(p.read_text() for p in sorted(tmp_path.glob("worker-*.log")))
    for proc in procs:
        _kill(proc)
    pytest.fail(f"gave up waiting for {what}\n{logs}")


def _rooms(services, n: int) -> list[str]:
    """n more standard addresses (rooms) in one unit of 吴家山街, as the address database would hold them."""
    with services.db.unit_of_work() as s:
        unit = s.scalar(sa.select(Area).where(Area.full_name == "吴家山街第一社区花园小区1栋1单元"))
        return [add_area(s, f"{1000 + i}室", "room", unit).full_name for i in range(n)]


def _csv(addresses: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(house_row(a) for a in addresses)
    return out.getvalue().encode("utf-8")


def _read(services, model, row_id):
    with services.db.read() as s:
        return s.get(model, row_id)


def test_killed_workers_leave_their_jobs_to_the_next_which_finishes_them_exactly_once(services, lookup, db_url,
                                                                                      tmp_path):
    housing, officer = lookup.user("wjs_housing"), lookup.user("wjs_market1")
    addresses = _rooms(services, ROWS)
    import_id = import_jobs.create_job(services, housing, "houses", "出租屋台账.csv", _csv(addresses))
    service = notices(services)
    issued = [service.issue("complaint_reply", SAMPLES["complaint_reply"], officer) for _ in range(NOTICES)]
    batch_id = service.start_batch([n.id for n in issued], officer)
    workers = []

    # Worker A dies with some chunks of the import committed and some not.
    workers.append(_start_worker(db_url, tmp_path, "a"))
    def imported_part() -> int:
        imported = _read(services, LedgerImportJob, import_id).imported
        return imported if 0 < imported < ROWS else 0

    killed_at = _wait_for("the import half-way", imported_part, workers, tmp_path)
    _kill(workers[-1])

    # Worker B dies half-way through rendering the batch (it may first finish the import, once A's lease ran out).
    workers.append(_start_worker(db_url, tmp_path, "b"))
    _wait_for("the batch half-way", lambda: 0 < _read(services, NoticeBatch, batch_id).done < NOTICES,
              workers, tmp_path)
    _kill(workers[-1])
    assert _read(services, NoticeBatch, batch_id).status == "running"

    # Worker C takes over whatever is left once the dead workers' leases have run out.
    workers.append(_start_worker(db_url, tmp_path, "c"))
    try:
        _wait_for("both jobs done", lambda: _read(services, NoticeBatch, batch_id).status == "done"
                  and _read(services, LedgerImportJob, import_id).status == "done", workers, tmp_path)
    finally:
        _kill(workers[-1])

    # The import: every row of the file exactly once, resumed after the rows A had committed.
    record = _read(services, LedgerImportJob, import_id)
    import_job = queue.get(services.db, record.job_id)
    assert (record.total, record.valid, record.imported, record.errors) == (ROWS, ROWS, ROWS, [])
    assert import_job.status == DONE and import_job.attempts >= 2
    assert killed_at <= import_job.result["resumed_from"] < ROWS
    with services.db.read() as s:
        houses = s.execute(sa.select(RentalHouse.address)).scalars().all()
    assert len(houses) == ROWS and sorted(houses) == sorted(addresses)

    # The batch: one PDF with every notice, and each print recorded once.
    batch = _read(services, NoticeBatch, batch_id)
    batch_job = queue.get(services.db, batch.job_id)
    assert batch_job.status == DONE and batch_job.attempts >= 2
    one = render.render_pdf(service.verified(issued[0]), "issued")
    assert int(pdf_info(batch.pdf)["Pages"]) == NOTICES * int(pdf_info(one)["Pages"])
    merged = flat(pdf_text(batch.pdf))
    assert all(n.number in merged for n in issued)
    with services.db.read() as s:
        printed = [d["notice_id"] for d in s.scalars(sa.select(AuditEvent.details)
                                                     .where(AuditEvent.kind == "notice_printed"))]
    assert sorted(printed) == sorted(n.id for n in issued)

    # What the officers see.
    web = create_app({"SERVICES": services, "TESTING": True, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "test"})
    pages = {}
    for username, url in (("wjs_housing", f"/registries/imports/{import_id}"),
                          ("wjs_market1", f"/notices/batch/{batch_id}")):
        client = web.test_client()
        client.post("/login", data={"username": username, "password": "dachuan2026"})
        pages[username] = client.get(url).get_data(as_text=True)
    assert f"全部 {ROWS} 行已导入" in pages["wjs_housing"]
    assert f"已生成 {NOTICES} 份通知书" in pages["wjs_market1"]
