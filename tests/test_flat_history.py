"""Long-lived instances stay one round long: finished rounds move to the history table on save.

What is asserted is what a user or an operator would notice: the stored state and the bytes written per
completion do not grow with the number of rounds, the case page's progress (completed steps) and the audit
trail still show every round, a restored workflow is the same workflow, and a stale write still fails.
"""
import sqlalchemy as sa

from engine_helpers import PERSONS, CaseDriver, release_together
from test_patrol import QUIET, Patrols
from workflows import runtime
from workflows.audit.models import AuditEvent
from workflows.engine import deployment, history, spiff
from workflows.engine.models import HumanTask, ProcessInstance, WorkflowHistory
from workflows.exceptions import ConcurrentUpdate, TaskAlreadyCompleted
from workflows.ledgers import registries


def _stored(services, instance_id) -> tuple[int, int, int]:
    """(stored state bytes, history rows, history bytes) of one instance."""
    with services.db.read() as s:
        state = s.scalar(sa.select(sa.func.length(ProcessInstance.state))
                         .where(ProcessInstance.id == instance_id))
        size = sa.func.coalesce(sa.func.sum(sa.func.length(WorkflowHistory.tasks)), 0)
        rows, size = s.execute(sa.select(sa.func.count(), size)
                               .where(WorkflowHistory.instance_id == instance_id)).one()
    return state, rows, size


def _live_tasks(services, instance_id) -> int:
    with services.db.read() as s:
        inst = s.get(ProcessInstance, instance_id)
        return len(spiff.Runtime.restore(deployment.parsed(inst.process_version), inst.state).workflow.tasks)


def _patrol_rounds(services, clock, patrols, patrol, rounds, found=None):
    """Run `rounds` patrol cycles; returns per cycle (state bytes, history bytes written by the cycle)."""
    out = []
    for _ in range(rounds):
        before = _stored(services, patrol)
        clock.advance(days=7, seconds=1)
        assert services.workflow.fire_due_timers() == 1
        patrols.patrol(patrol, **(found or {}))
        after = _stored(services, patrol)
        out.append((after[0], after[2] - before[2]))
    return out


def test_a_patrol_of_many_rounds_stores_and_writes_what_one_round_does(services, clock, lookup):
    patrols = Patrols(services, lookup)
    _house, patrol = patrols.flag()
    cycles = _patrol_rounds(services, clock, patrols, patrol, 500)
    early, late = cycles[4], cycles[-1]
    # The state stays one round long; each round moves one round's worth to the history, no more.
    assert late[0] <= early[0] + 64, (early, late)
    assert max(size for size, _ in cycles[4:]) <= early[0] + 64
    assert late[1] <= early[1] + 64, (early, late)
    assert _live_tasks(services, patrol) <= 25
    # Progress and audit trail after 500 rounds are what they are after a few.
    steps = set(services.workflow.instance_view(patrol).completed_steps)
    assert {"start", "patrol", "gw_reflux", "end_patrol"} <= steps
    with services.db.read() as s:
        kinds = list(s.scalars(sa.select(AuditEvent.kind).where(AuditEvent.instance_id == patrol)))
    assert kinds.count("timer_fired") == 500 and kinds.count("completed") == 500
    # Still a working patrol: the next round comes when due, and its task is in the inbox.
    clock.advance(days=7, seconds=1)
    assert services.workflow.fire_due_timers() == 1
    assert "patrol" in patrols.ready(patrol)


def test_after_many_rounds_progress_audit_and_history_still_show_every_round(services, clock, lookup):
    patrols = Patrols(services, lookup)
    _house, patrol = patrols.flag()
    _patrol_rounds(services, clock, patrols, patrol, 40)
    view = services.workflow.instance_view(patrol)
    # The diagram highlights the patrol steps although their rounds were cut out of the live tree.
    assert {"start", "patrol", "gw_reflux", "end_patrol"} <= set(view.completed_steps)
    with services.db.read() as s:
        kinds = list(s.scalars(sa.select(AuditEvent.kind).where(AuditEvent.instance_id == patrol)))
        cut = history.archived_tasks(s, patrol)
    assert kinds.count("timer_fired") == 40 and kinds.count("completed") == 40
    # Every finished round is kept whole in the history (the newest still in the live tree).
    patrol_rounds = [t for t in cut if t["bpmn_id"] == "patrol" and t["state"] == "COMPLETED"]
    assert len(patrol_rounds) >= 38
    assert all(t["data"]["door_opened"] is True for t in patrol_rounds)


def test_a_pruned_patrol_restores_to_the_same_workflow(services, clock, lookup):
    patrols = Patrols(services, lookup)
    _house, patrol = patrols.flag()
    _patrol_rounds(services, clock, patrols, patrol, 25)
    clock.advance(days=7, seconds=1)
    services.workflow.fire_due_timers()
    with services.db.read() as s:
        inst = s.get(ProcessInstance, patrol)
        parsed = deployment.parsed(inst.process_version)
        first = spiff.Runtime.restore(parsed, inst.state)
        # save -> restore -> save gives the same state, and the same picture of the workflow
        again = spiff.Runtime.restore(parsed, first.dump())
    assert again.dump() == first.dump()
    # The live workflow kept in memory (which reuses the dicts of its unchanged tasks) writes that same state.
    live = services.workflow.recent.take(patrol, inst.version)
    assert live is not None and live.dump() == first.dump()
    services.workflow.recent.put(patrol, inst.version, live)
    assert [(t.name, t.id) for t in again.ready_tasks()] == [(t.name, t.id) for t in first.ready_tasks()]
    assert again.completed_steps() == first.completed_steps() and again.next_timer() == first.next_timer()
    # A restore from the stored state (no workflow kept in memory) carries on exactly like the live one.
    services.workflow.recent = type(services.workflow.recent)()
    patrols.patrol(patrol, people_back=True)
    assert len(patrols.children(patrol)) == 1  # the reflux case was opened
    assert set(patrols.ready(patrol)) == {"lift_flag"}


def test_unflagging_a_long_patrol_still_ends_it(services, clock, lookup):
    patrols = Patrols(services, lookup)
    house, patrol = patrols.flag()
    _patrol_rounds(services, clock, patrols, patrol, 30)
    clock.advance(days=7, seconds=1)
    services.workflow.fire_due_timers()  # a round is open when the flag is lifted
    open_round = patrols.ready(patrol)["patrol"].id
    registries.unflag_house(services, lookup.user("wjs_housing"), house, "已整改，房东已解除租赁")
    inst = patrols.instance(patrol)
    assert (inst.status, inst.end_event, inst.next_timer_at) == ("completed", "end_unflagged", None)
    with services.db.read() as s:
        assert s.get(HumanTask, open_round).state == "cancelled"
    assert patrols.ready(patrol) == {}


def test_the_door_not_opened_loop_stays_flat_and_the_case_still_closes(services, lookup):
    cases = CaseDriver(services, lookup)
    case = cases.start()
    cases.do(case, "sweep", {"suspicious": True, "house_type": "rental"})
    sizes = []
    for _ in range(60):
        cases.do(case, "entry", {"door_opened": False})
        cases.do(case, "watch_house", {"note": "蹲守，人员已回"})
        sizes.append(_stored(services, case)[0])
    assert sizes[-1] <= sizes[3] + 64, (sizes[3], sizes[-1])
    assert _live_tasks(services, case) <= 30
    cases.do(case, "entry", {"door_opened": True, "officers": ["王建国", "李卫东"], "persons": PERSONS})
    cases.do(case, "initial_check", {"mlm_found": False})
    inst = cases.instance(case)
    assert inst.status == "completed" and inst.end_event == "end_no_mlm_check"
    view = services.workflow.instance_view(case)
    assert {"sweep", "gw_entry_merge", "entry", "gw_door", "watch_house", "initial_check",
            "end_no_mlm_check"} <= set(view.completed_steps)
    kinds = cases.audit_kinds(case)
    assert kinds.count("completed") == 1 + 60 * 2 + 2 and kinds[-1] == "finished"


def test_two_officers_on_a_long_patrol_at_once_one_wins_and_history_is_written_once(services, clock, lookup,
                                                                                      db_url):
    patrols = Patrols(services, lookup)
    _house, patrol = patrols.flag()
    _patrol_rounds(services, clock, patrols, patrol, 20)
    clock.advance(days=7, seconds=1)
    services.workflow.fire_due_timers()
    task_id = patrols.ready(patrol)["patrol"].id
    before = _stored(services, patrol)
    officers = [runtime.build(db_url, clock=clock) for _ in range(2)]
    outcomes = [None, None]

    def submit(i):
        try:
            officers[i].workflow.complete(task_id, dict(QUIET, note=f"officer {i}"), lookup.user("wjs_grid"))
            outcomes[i] = "ok"
        except (TaskAlreadyCompleted, ConcurrentUpdate) as exc:
            outcomes[i] = exc.message

    try:
        release_together(submit, 2)
    finally:
        for officer in officers:
            officer.db.dispose()
    assert outcomes.count("ok") == 1 and all(outcomes)
    after = _stored(services, patrol)
    with services.db.read() as s:
        notes = s.scalars(sa.select(AuditEvent.details).where(
            AuditEvent.task_id == task_id, AuditEvent.kind == "completed")).all()
    assert len(notes) == 1
    # Only the winner's action wrote: one history row at most, as for any single completion.
    assert after[1] - before[1] <= 1


def test_the_migration_cuts_the_rounds_out_of_instances_stored_before_it(services, clock, lookup):
    """An instance saved whole by the previous version (here grown in memory without cutting) is cut by
    the migration, keeps working, and loses none of its rounds."""
    from alembic import command

    from workflows.clock import using_clock
    from workflows.database import migrate

    patrols = Patrols(services, lookup)
    _house, patrol = patrols.flag()
    with services.db.read() as s:
        inst = s.get(ProcessInstance, patrol)
        rt = spiff.Runtime.restore(deployment.parsed(inst.process_version), inst.state)
    with using_clock(clock):
        for _ in range(30):
            clock.advance(days=7, seconds=1)
            rt.fire_timers()
            task = next(t for t in rt.ready_tasks() if t.name == "patrol")
            rt.complete(task.id, dict(QUIET))
    grown = rt.dump()
    assert len(rt.workflow.tasks) > 100
    with services.db.unit_of_work() as s:
        s.execute(sa.update(ProcessInstance).where(ProcessInstance.id == patrol)
                  .values(state=grown, next_timer_at=rt.next_timer()))
    cfg = migrate.alembic_config()
    with services.db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0015_flat_history")
        command.downgrade(cfg, "-1")
    migrate.upgrade(services.db)
    state, rows, _size = _stored(services, patrol)
    assert state < len(grown) / 3 and rows == 1
    assert _live_tasks(services, patrol) <= 25
    assert patrols.instance(patrol).version == inst.version + 1  # a workflow held in memory is not reused
    with services.db.read() as s:
        cut = history.archived_tasks(s, patrol)
    assert len([t for t in cut if t["bpmn_id"] == "patrol" and t["state"] == "COMPLETED"]) >= 29
    assert {"patrol", "end_patrol"} <= set(services.workflow.instance_view(patrol).completed_steps)
    clock.advance(days=7, seconds=1)
    assert services.workflow.fire_due_timers() == 1
    patrols.patrol(patrol)
    assert set(patrols.ready(patrol)) == {"lift_flag"}


def test_the_live_workflow_writes_what_a_restored_one_would_at_every_step(services, lookup):
    """save -> restore -> same state, step by step through a whole six-step case (with a door-closed loop)."""
    cases = CaseDriver(services, lookup)
    case = cases.start()

    def same_as_restored():
        with services.db.read() as s:
            inst = s.get(ProcessInstance, case)
            restored = spiff.Runtime.restore(deployment.parsed(inst.process_version), inst.state)
        assert restored.dump() == inst.state
        live = services.workflow.recent.take(case, inst.version)
        if live is not None:
            assert live.dump() == inst.state
            services.workflow.recent.put(case, inst.version, live)

    cases.do(case, "sweep", {"suspicious": True, "house_type": "rental"})
    same_as_restored()
    for _ in range(3):
        cases.do(case, "entry", {"door_opened": False})
        same_as_restored()
        cases.do(case, "watch_house", {"note": "蹲守"})
        same_as_restored()
    cases.do(case, "entry", {"door_opened": True, "officers": ["王建国", "李卫东"], "persons": PERSONS})
    same_as_restored()
    for name, data in [("initial_check", {"mlm_found": True}), ("evidence", {"evidence_summary": "账本"})]:
        cases.do(case, name, data)
        same_as_restored()


def test_a_matter_sent_back_and_escalated_many_times_stays_flat(services, lookup, clock):
    """Five contracts: a supervisor moves the matter down a level, its deadline passes, it climbs again."""
    from test_five_contracts import DEADLINE_HOURS, open_matter, start_matter

    matter = start_matter(services, lookup)
    for level in range(1, 5):
        clock.advance(hours=DEADLINE_HOURS[level], seconds=1)
        assert services.workflow.fire_due_timers() == 1
    supervisor, sizes = lookup.user("wjs_leader"), []
    for _ in range(60):
        task, inst = open_matter(services, matter)
        assert inst.level == 5
        services.workflow.reassign([task.id], supervisor, "退回区职能部门重办", to_level=4)
        clock.advance(hours=DEADLINE_HOURS[4], seconds=1)
        assert services.workflow.fire_due_timers() == 1
        sizes.append(_stored(services, matter)[0])
    assert sizes[-1] <= sizes[3] + 64, (sizes[3], sizes[-1])
    assert _live_tasks(services, matter) <= 20
    task, inst = open_matter(services, matter)
    assert (task.level, inst.level, task.assignee_id) == (5, 5, lookup.user("quji"))
    with services.db.read() as s:
        kinds = list(s.scalars(sa.select(AuditEvent.kind).where(AuditEvent.instance_id == matter)))
    assert kinds.count("escalated") == 4 + 60 and kinds.count("reassigned") == 60
    # Every round ended by its deadline (the handling itself was cancelled each time, so it is not "passed").
    assert {"set_deadline", "gw_merge", "matter_overdue", "escalate"} <= set(
        services.workflow.instance_view(matter).completed_steps)
    # Still resolvable after all that.
    services.workflow.complete(task.id, {"resolved": True, "result": "已清退"}, lookup.user("quji"))
    assert open_matter(services, matter)[1].end_event == "end_resolved"
