"""The stored workflow state is what SpiffWorkflow's own converter writes, although a save reuses the JSON
of the tasks that did not change since the last save (the live workflow kept in memory carries them).

Compared at every step of a whole six-step case (parallel branches, predicted and future tasks) and of patrol
rounds (a timer cycle, whose rounds are cut out into the history): the tasks of the stored state, read back,
against each task of the live workflow converted afresh.
"""
import json

from SpiffWorkflow.util.task import TaskState

from engine_helpers import PERSONS, CaseDriver
from test_patrol import Patrols
from workflows.engine import deployment, spiff, state_codec
from workflows.engine.models import ProcessInstance


def _stored_tasks(state: bytes) -> dict:
    return json.loads(state_codec.unpack(state))["tasks"]


def _fresh_tasks(rt: spiff.Runtime) -> dict:
    """Every task of a workflow as SpiffWorkflow's converter writes it, nothing reused."""
    convert = spiff.SERIALIZER.registry.convert
    return {str(task_id): json.loads(json.dumps(convert(task))) for task_id, task in rt.workflow.tasks.items()}


def _check(services, instance_id) -> set[str]:
    """The stored state against the live workflow (if kept) and a restored one; returns the states of the
    tasks whose JSON the live workflow reused."""
    with services.db.read() as s:
        inst = s.get(ProcessInstance, instance_id)
        restored = spiff.Runtime.restore(deployment.parsed(inst.process_version), inst.state)
    stored = _stored_tasks(inst.state)
    assert stored == _fresh_tasks(restored)
    live = services.workflow.recent.take(instance_id, inst.version)
    if live is None:
        return set()
    try:
        assert stored == _fresh_tasks(live)
        # Dumped again unchanged, the live workflow writes the same bytes (all from what it kept).
        assert live.dump() == inst.state
        kept = live.workflow.__dict__.get("_dachuan_task_dicts", {})
        return {TaskState.get_name(live.workflow.tasks[t].state) for t in kept if t in live.workflow.tasks}
    finally:
        services.workflow.recent.put(instance_id, inst.version, live)


def test_a_whole_case_stores_what_spiffworkflow_writes_at_every_step(services, lookup):
    cases = CaseDriver(services, lookup)
    case = cases.start()
    reused = _check(services, case)
    steps = [("sweep", {"suspicious": True, "house_type": "rental"}),
             ("entry", {"door_opened": False}), ("watch_house", {"note": "蹲守"}),
             ("entry", {"door_opened": True, "officers": ["王建国", "李卫东"], "persons": PERSONS}),
             ("initial_check", {"mlm_found": True}), ("evidence", {"evidence_summary": "账本"}),
             ("comparison", {"has_participants": True, "has_core": False, "has_crime": False,
                             "house_is_rental": True, "landlord_official": False, "house_prior_catches": 0}),
             ("handle_participants", {"result": "教育遣返"}), ("rectify_house", {"result": "三停一换"}),
             ("close_case", {"summary": "结案"})]
    for name, data in steps:
        cases.do(case, name, data)
        reused |= _check(services, case)
    assert cases.instance(case).end_event == "end_closed"
    # The reuse was exercised, for finished tasks and for future ones not yet reached.
    assert {"COMPLETED", "FUTURE"} <= reused


def test_patrol_rounds_store_what_spiffworkflow_writes(services, clock, lookup):
    patrols = Patrols(services, lookup)
    _house, patrol = patrols.flag()
    for _ in range(6):
        clock.advance(days=7, seconds=1)
        assert services.workflow.fire_due_timers() == 1
        _check(services, patrol)
        patrols.patrol(patrol)
        _check(services, patrol)


def test_a_future_task_given_data_in_place_is_written_afresh(services, lookup):
    """A task reused because it and its parent had no data is written again once either has some."""
    cases = CaseDriver(services, lookup)
    case = cases.start()
    with services.db.read() as s:
        inst = s.get(ProcessInstance, case)
        rt = spiff.Runtime.restore(deployment.parsed(inst.process_version), inst.state)
    rt.dump()
    settled = TaskState.COMPLETED | TaskState.CANCELLED | TaskState.PREDICTED_MASK
    # Reused only for having no data: the task or its parent is neither finished nor predicted.
    future = next(t for t in rt.workflow.tasks.values()
                  if t.parent is not None and not (t.state & settled and t.parent.state & settled)
                  and not t.parent.data and not t.data)
    assert future.id in rt.workflow.__dict__["_dachuan_task_dicts"]
    future.parent.data["x"] = 1
    future.data["y"] = 2
    assert _stored_tasks(rt.dump()) == _fresh_tasks(rt)
