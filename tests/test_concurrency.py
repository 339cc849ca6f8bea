"""Two officers on one task, two workers on many timers: exactly one wins each time."""
import sqlalchemy as sa

from engine_helpers import ROOM, CaseDriver, release_together
from workflows import runtime
from workflows.audit.models import AuditEvent
from workflows.engine.models import HumanTask, ProcessInstance
from workflows.exceptions import ConcurrentUpdate, TaskAlreadyCompleted


def run_together(action, services_list):
    """Run action(i) for each service object in its own thread, released at the same moment; then dispose."""
    release_together(action, len(services_list))
    for svc in services_list:
        svc.db.dispose()


def test_two_officers_complete_the_same_task_at_once(services, lookup, db_url):
    cases = CaseDriver(services, lookup)
    case = cases.start()
    cases.do(case, "sweep", {"suspicious": True, "house_type": "rental"})
    task_id = cases.ready(case)["entry"]
    # Each officer is served by a separate process in production: give each its own engine.
    officers = [runtime.build(db_url, clock=services.workflow.clock) for _ in range(2)]
    users = [lookup.user("wjs_police1"), lookup.user("wjs_police2")]
    outcomes = [None, None]

    def submit(i):
        try:
            officers[i].workflow.complete(task_id, {"door_opened": True, "officers": ["甲", "乙"],
                                                    "note": f"officer {i}"}, users[i])
            outcomes[i] = "ok"
        except (TaskAlreadyCompleted, ConcurrentUpdate) as exc:
            outcomes[i] = exc.message

    run_together(submit, officers)
    assert sorted(outcomes, key=lambda o: o != "ok")[0] == "ok"
    loser = [o for o in outcomes if o != "ok"]
    assert len(loser) == 1 and ("已由" in loser[0] or "他人" in loser[0])
    winner = outcomes.index("ok")
    with services.db.read() as s:
        entry = s.get(HumanTask, task_id)
        completions = s.scalars(sa.select(AuditEvent.details).where(
            AuditEvent.instance_id == case, AuditEvent.kind == "completed", AuditEvent.task_id == task_id)).all()
        inst = s.get(ProcessInstance, case)
    assert entry.state == "completed" and entry.completed_by_id == users[winner]
    assert len(completions) == 1 and completions[0]["data"]["note"] == f"officer {winner}"
    # The loser's data went nowhere; the case moved on exactly one step.
    assert set(cases.ready(case)) == {"initial_check"}
    assert services.workflow.instance_view(case).last_data["note"] == f"officer {winner}"
    assert inst.version >= 3


def test_the_loser_is_told_who_completed_the_task(services, lookup):
    cases = CaseDriver(services, lookup)
    case = cases.start()
    task_id = cases.ready(case)["sweep"]
    services.workflow.complete(task_id, {"suspicious": False, "house_type": "resident"}, lookup.user("wjs_grid"))
    try:
        services.workflow.complete(task_id, {"suspicious": True, "house_type": "rental"}, lookup.user("wjs_grid"))
    except TaskAlreadyCompleted as exc:
        assert "网格员 陈小红" in exc.message and exc.instance_id == case
    else:
        raise AssertionError("a second completion must be refused")
    assert cases.instance(case).end_event == "end_no_mlm_sweep"


def test_two_workers_fire_each_due_timer_exactly_once(services, lookup, clock, db_url):
    matters = [services.workflow.start("five_contracts", {"subject": f"事项{i}"}, None, lookup.area(ROOM)).instance_id
               for i in range(24)]
    clock.advance(hours=25)
    workers = [runtime.build(db_url, clock=clock) for _ in range(2)]
    counts = [0, 0]

    def work(i):
        counts[i] = workers[i].workflow.fire_due_timers()

    run_together(work, workers)
    assert sum(counts) == len(matters)
    with services.db.read() as s:
        fired = s.execute(sa.select(AuditEvent.instance_id, sa.func.count()).where(AuditEvent.kind == "timer_fired")
                          .group_by(AuditEvent.instance_id)).all()
        levels = s.scalars(sa.select(ProcessInstance.level).where(ProcessInstance.id.in_(matters))).all()
    assert sorted(i for i, _ in fired) == sorted(matters)
    assert {n for _, n in fired} == {1}
    assert set(levels) == {2}
