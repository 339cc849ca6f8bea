"""Engine benchmark: complete six-step cases through the service layer, against SpiffWorkflow in memory.

Usage: python bench/spiff.py [--cases 200] [--pg postgresql+psycopg://...]
Prints tasks completed per second, the median time of one completion, bytes stored per instance,
and the ratio to running the same cases in memory with SpiffWorkflow alone (measured in this run).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import types
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workflows import runtime  # noqa: E402
from workflows.engine import deployment  # noqa: E402
from workflows.engine import spiff  # noqa: E402
from workflows.engine.context import ActionContext, running  # noqa: E402
from workflows.engine.hooks import HookRegistry  # noqa: E402
from workflows.engine.models import HumanTask, ProcessInstance  # noqa: E402
from workflows.idnumbers import registration_place  # noqa: E402
from workflows.org.models import Area, User  # noqa: E402

ROOM = "吴家山街第一社区花园小区1栋1单元101室"
PERSONS = [{"name": f"人员{i}", "id_number": "11010519491231002X", "phone": "13912345678"} for i in range(3)]
STEPS = [
    ("sweep", "wjs_grid", {"suspicious": True, "house_type": "rental"}),
    ("entry", "wjs_police1", {"door_opened": True, "officers": ["王建国", "李卫东"], "persons": PERSONS}),
    ("initial_check", "wjs_market1", {"mlm_found": True}),
    ("evidence", "wjs_market1", {"evidence_summary": "账本、课堂笔记"}),
    ("comparison", "wjs_market1", {"has_participants": True, "has_core": False, "has_crime": False,
                                   "house_is_rental": True, "landlord_official": False, "house_prior_catches": 0}),
    ("handle_participants", "wjs_market1", {"result": "教育遣返"}),
    ("rectify_house", "wjs_housing", {"result": "三停一换"}),
    ("close_case", "wjs_market1", {"summary": "结案"}),
]


def run_service(url: str, cases: int) -> dict:
    services = runtime.build(url)
    runtime.prepare(services, with_demo=True)
    with services.db.read() as s:
        users = dict(s.execute(sa.select(User.username, User.id)).all())
        room = s.scalar(sa.select(Area.id).where(Area.full_name == ROOM))
    wf = services.workflow
    timings, started = [], []
    t0 = time.perf_counter()
    for _ in range(cases):
        result = wf.start("six_step_case", {}, users["wjs_grid"], room, "基准案件")
        started.append(result.instance_id)
        for name, user, data in STEPS:
            with services.db.read() as s:
                task_id = s.scalar(sa.select(HumanTask.id).where(
                    HumanTask.instance_id == result.instance_id, HumanTask.task_name == name,
                    HumanTask.state == "ready"))
            t = time.perf_counter()
            wf.complete(task_id, data, users[user])
            timings.append(time.perf_counter() - t)
    elapsed = time.perf_counter() - t0
    with services.db.read() as s:
        sizes = s.scalars(sa.select(sa.func.length(ProcessInstance.state))
                          .where(ProcessInstance.id.in_(started))).all()
        done = s.scalar(sa.select(sa.func.count()).select_from(ProcessInstance)
                        .where(ProcessInstance.id.in_(started), ProcessInstance.end_event == "end_closed"))
    services.db.dispose()
    assert done == cases, f"only {done} of {cases} cases closed"
    return {"tasks": len(timings), "completion_s": sum(timings), "elapsed_s": elapsed,
            "median_ms": statistics.median(timings) * 1000, "bytes": statistics.mean(sizes)}


def run_memory(url: str, cases: int) -> float:
    """The same cases with SpiffWorkflow alone, in memory: no database, no serialization."""
    services = runtime.build(url)
    with services.db.read() as s:
        version = deployment.current_version(s, "six_step_case")
        parsed = deployment.parsed(version)
    services.db.dispose()
    # The same comparison work minus the database look-ups (registration place, non-local flag).
    hooks = HookRegistry()
    hooks.script_function("compare_persons", lambda _ctx, persons: {"persons": [
        dict(p, registration_place=registration_place(p["id_number"]), non_local=not p["id_number"].startswith("42"))
        for p in persons]})
    hooks.script_function("record_house_catch", lambda _ctx: {
        "registered": False, "house_id": None, "prior_catches": 0, "landlord_official": False,
        "two_letters_one_filing": False})
    in_memory = ActionContext(engine=types.SimpleNamespace(hooks=hooks), session=None, actor_id=None,
                              now=services.workflow.now())
    total = 0.0
    with running(in_memory):
        for _ in range(cases):
            rt = spiff.Runtime.start(parsed, {"persons": []})
            for name, _user, data in STEPS:
                task = next(t for t in rt.ready_tasks() if t.name == name)
                t = time.perf_counter()
                rt.complete(task.id, dict(data))
                total += time.perf_counter() - t
            assert rt.end_event() == "end_closed"
    return total


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cases", type=int, default=200)
    ap.add_argument("--pg", help="also run on this PostgreSQL URL (its tables are used as they are)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        results = {"sqlite": run_service(sqlite_url, args.cases)}
        memory_s = run_memory(sqlite_url, args.cases)
        if args.pg:
            results["postgresql"] = run_service(args.pg, args.cases)
    for name, r in results.items():
        print(f"{name:10s} tasks={r['tasks']} tasks_per_s={r['tasks'] / r['completion_s']:.0f} "
              f"median_ms={r['median_ms']:.2f} bytes_per_instance={r['bytes']:.0f} "
              f"ratio_vs_memory={r['completion_s'] / memory_s:.1f}")
    print(f"memory     tasks={results['sqlite']['tasks']} tasks_per_s={results['sqlite']['tasks'] / memory_s:.0f}")
    r = results["sqlite"]
    print(f"engine: tasks_per_s={r['tasks'] / r['completion_s']:.0f} median_ms={r['median_ms']:.2f} "
          f"bytes_per_instance={r['bytes']:.0f} ratio_vs_memory={r['completion_s'] / memory_s:.1f}")


if __name__ == "__main__":
    main()
