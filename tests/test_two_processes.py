"""Two officers, each served by a separate OS process with its own service stack, submit the same task at once.

Both open the task page first (the task and its case as the page reads them), then both submit at the
same moment: one completion is saved, the other officer is told who was first and that nothing of
theirs was saved, and the case moved on exactly one step.
"""
import multiprocessing
import traceback

import sqlalchemy as sa

import workflows
from engine_helpers import CaseDriver
from workflows import runtime
from workflows.audit.models import AuditEvent
from workflows.clock import MovableClock
from workflows.engine.models import HumanTask
from workflows.exceptions import ConcurrentUpdate, TaskAlreadyCompleted
from workflows.org.access import can_act
from workflows.org.models import User

ENTRY = {"door_opened": True, "officers": ["王建国", "李卫东"]}
WAIT = 120  # seconds; a stuck officer fails the test instead of hanging the run


def officer(url, now, task_id, user_id, note, both_loaded, results):
    """One officer's process: open the task page, wait for the other officer, submit."""
    report = {"workflows": workflows.__file__, "user_id": user_id}
    services = None
    try:
        services = runtime.build(url, clock=MovableClock(now))
        # What the task page reads before showing the form: the task, its case, whether I may act,
        # and the data the task sees in the engine.
        with services.db.read() as s:
            task = s.get(HumanTask, task_id)
            me = s.get(User, user_id)
            report.update(task_state=task.state, may_act=can_act(me, task),
                          version_read=task.instance.version, case_title=task.instance.title)
        report["form_context"] = next(t.data for t in services.workflow.instance_view(task.instance_id).ready
                                      if t.id == task_id)
        both_loaded.wait(timeout=WAIT)
        try:
            services.workflow.complete(task_id, {**ENTRY, "note": note}, user_id)
            report["outcome"] = "completed"
        except (TaskAlreadyCompleted, ConcurrentUpdate) as exc:
            report.update(outcome=type(exc).__name__, message=exc.message)
    except BaseException:
        report["outcome"] = "error"
        report["error"] = traceback.format_exc()
    finally:
        if services is not None:
            services.db.dispose()
        results.put(report)


def run_officers(url, now, task_id, officers):
    """Run `officer` in one spawned process per (user id, note); their reports in that order."""
    ctx = multiprocessing.get_context("spawn")
    both_loaded, results = ctx.Barrier(len(officers)), ctx.Queue()
    processes = [ctx.Process(target=officer, args=(url, now, task_id, user_id, note, both_loaded, results),
                             daemon=True) for user_id, note in officers]
    for p in processes:
        p.start()
    try:
        reports = [results.get(timeout=WAIT) for _ in processes]
    finally:
        for p in processes:
            p.join(timeout=WAIT)
            if p.is_alive():
                p.terminate()
                p.join()
    by_user = {r["user_id"]: r for r in reports}
    return [by_user[user_id] for user_id, _ in officers]


def test_two_service_processes_complete_the_same_task_at_once(services, lookup, db_url, clock):
    cases = CaseDriver(services, lookup)
    case = cases.start()
    cases.do(case, "sweep", {"suspicious": True, "house_type": "rental"})
    task_id = cases.ready(case)["entry"]
    version_before = cases.instance(case).version
    names = {lookup.user("wjs_police1"): "民警 王建国", lookup.user("wjs_police2"): "民警 李卫东"}
    officers = [(user_id, f"officer {user_id}") for user_id in names]

    reports = run_officers(db_url, clock.now(), task_id, officers)

    assert not [r["error"] for r in reports if r["outcome"] == "error"]
    # Each process ran this checkout's code, and both had the same open task on screen.
    assert {r["workflows"] for r in reports} == {workflows.__file__}
    assert all(r["task_state"] == "ready" and r["may_act"] and r["version_read"] == version_before
               and r["case_title"] == "测试窝点" for r in reports)
    assert reports[0]["form_context"] == reports[1]["form_context"]

    winners = [r for r in reports if r["outcome"] == "completed"]
    losers = [r for r in reports if r["outcome"] != "completed"]
    assert len(winners) == 1 and len(losers) == 1, reports
    winner, loser = winners[0]["user_id"], losers[0]
    with services.db.read() as s:
        entry = s.get(HumanTask, task_id)
        completions = s.execute(sa.select(AuditEvent.actor_id, AuditEvent.details).where(
            AuditEvent.kind == "completed", AuditEvent.task_id == task_id)).all()
        mirror = s.execute(sa.select(HumanTask.id, HumanTask.task_name, HumanTask.state, HumanTask.completed_at,
                                     HumanTask.completed_by_id).where(HumanTask.instance_id == case)).all()
    if loser["outcome"] == "TaskAlreadyCompleted":
        assert loser["message"].startswith(
            f"该任务已由{names[winner]}于{entry.completed_at:%Y-%m-%d %H:%M}完成，您的提交未保存。"), loser["message"]
    else:
        assert loser["outcome"] == "ConcurrentUpdate" and "您的提交未保存" in loser["message"], loser

    # One completion, the winner's; the case moved on by exactly one saved version.
    assert entry.state == "completed" and entry.completed_by_id == winner
    assert [(actor, details["data"]["note"]) for actor, details in completions] == [(winner, f"officer {winner}")]
    assert cases.instance(case).version == version_before + 1
    assert services.workflow.instance_view(case).last_data["note"] == f"officer {winner}"
    # The task mirror holds exactly the workflow's ready tasks; every closed row says when (and who, if done).
    workflow_ready = {t.id: t.name for t in services.workflow.instance_view(case).ready}
    assert {tid: name for tid, name, state, _, _ in mirror if state == "ready"} == workflow_ready
    assert set(workflow_ready.values()) == {"initial_check"}
    assert sorted((name, state) for _, name, state, _, _ in mirror if state != "ready") == [
        ("entry", "completed"), ("sweep", "completed")]
    assert all(at is not None and by is not None for _, _, state, at, by in mirror if state == "completed")
