"""One service object shared by many threads, as waitress shares it: page reads interleaved with completions
that run script functions (the comparison) and cross-process links (a complaint opening its case) must give
exactly the results a single-threaded run gives."""
import random
import sys
import threading

import sqlalchemy as sa
from stdnum.cn import ric

from engine_helpers import ROOM, CaseDriver
from workflows.complaints import service as complaints
from workflows.complaints.models import Complaint
from workflows.engine.models import HumanTask, ProcessInstance

CASES, COMPLAINTS, READERS = 16, 8, 6


def id_number(serial: int) -> str:
    """A valid resident ID number nobody else in the test holds (Wuhan, born 1990)."""
    body = f"42010619900101{serial:03d}"
    return body + ric.calc_check_digit(body)


def ready_task(services, instance_id, name) -> str:
    with services.db.read() as s:
        return s.scalar(sa.select(HumanTask.id).where(HumanTask.instance_id == instance_id,
                                                      HumanTask.task_name == name, HumanTask.state == "ready"))


def cases_at_evidence(services, lookup, cases: CaseDriver) -> dict[int, list[str]]:
    """Six-step cases waiting at 证据收集, each with two first-time persons of its own."""
    out = {}
    for i in range(CASES):
        case = cases.start(f"窝点{i}")
        persons = [{"name": f"甲{i}", "id_number": id_number(2 * i + 1), "phone": "13912345678"},
                   {"name": f"乙{i}", "id_number": id_number(2 * i + 2), "phone": "13812345678"}]
        cases.do(case, "sweep", {"suspicious": True, "house_type": "rental"})
        cases.do(case, "entry", {"door_opened": True, "officers": ["王建国", "李卫东"], "persons": persons})
        cases.do(case, "initial_check", {"mlm_found": True})
        out[case] = [p["id_number"] for p in persons]
    return out


def complaints_at_investigation(services, lookup) -> dict[int, int]:
    """Complaints waiting for the market officers' investigation: instance id -> complaint id."""
    out = {}
    officer = lookup.user("wjs_market1")
    for i in range(COMPLAINTS):
        c = complaints.record(services, officer, {
            "channel": "phone", "content": f"第{i}号举报：小区有人聚集上课", "address": ROOM, "anonymous": True})
        complaints.accept(services, ready_task(services, c["instance_id"], "accept"),
                          {"jurisdiction_clear": True, "responsible_unit": "market"}, officer)
        out[c["instance_id"]] = c["id"]
    return out


def test_page_reads_never_change_what_a_concurrent_completion_computes(services, lookup):
    cases = CaseDriver(services, lookup)
    evidence_cases = cases_at_evidence(services, lookup, cases)
    open_complaints = complaints_at_investigation(services, lookup)
    readable = list(evidence_cases) + list(open_complaints)
    inbox_users = [lookup.user(u) for u in ("wjs_market1", "wjs_market2", "wjs_police1", "wjs_grid")]
    market = lookup.user("wjs_market1")

    work = [("evidence", case) for case in evidence_cases] + [("investigate", inst) for inst in open_complaints]
    random.Random(7).shuffle(work)
    lock, done, errors = threading.Lock(), threading.Event(), []
    barrier = threading.Barrier(READERS + 4)

    def complete_next():
        barrier.wait()
        while True:
            with lock:
                if not work:
                    return
                kind, instance_id = work.pop()
            if kind == "evidence":
                services.workflow.complete(ready_task(services, instance_id, "evidence"),
                                           {"evidence_summary": "课堂笔记、账本"}, market)
            else:
                services.workflow.complete(ready_task(services, instance_id, "investigate_market"),
                                           {"finding": "发现窝点", "open_case": True}, market)

    def read_pages(seed):
        rnd = random.Random(seed)
        barrier.wait()
        while not done.is_set():
            services.workflow.instance_view(rnd.choice(readable))  # the case page
            services.workflow.ready_tasks_for(rnd.choice(inbox_users))  # an inbox

    def guarded(fn, *args):
        try:
            fn(*args)
        except Exception as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)

    # Switch threads far more often than the default 5 ms, so reads land inside completions.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        readers = [threading.Thread(target=guarded, args=(read_pages, i)) for i in range(READERS)]
        writers = [threading.Thread(target=guarded, args=(complete_next,)) for _ in range(4)]
        for t in readers + writers:
            t.start()
        for t in writers:
            t.join()
        done.set()
        for t in readers:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert not errors, errors

    # What a single-threaded run gives: every person is seen for the first time, nobody is reflux...
    for case, numbers in evidence_cases.items():
        rows = services.workflow.instance_view(case).last_data["comparison"]["persons"]
        assert [r["id_number"] for r in rows] == numbers
        assert [(r["earlier_cases"], r["reflux"], r["blacklisted"]) for r in rows] == [(0, False, False)] * 2, case
    # ...and each complaint's new case is linked to that complaint, both ways.
    with services.db.read() as s:
        for inst_id, complaint_id in open_complaints.items():
            complaint = s.get(Complaint, complaint_id)
            case = s.get(ProcessInstance, complaint.linked_instance_id)
            assert case.parent_instance_id == inst_id
            assert services.workflow.instance_view(case.id).data["complaint_instance_id"] == inst_id
            assert services.workflow.instance_view(inst_id).last_data["linked_case"]["instance_id"] == case.id
        linked = s.scalars(sa.select(Complaint.linked_instance_id).where(Complaint.id.in_(open_complaints.values())))
        assert len(set(linked)) == COMPLAINTS
