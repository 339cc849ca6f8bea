"""A task's form gets the data the engine holds for the task, also in a web process that did not save the
case itself (several processes serve the site): read from the stored state, without restoring the workflow,
and equal to what a restored workflow gives."""
import pytest

from engine_helpers import PERSONS, CaseDriver, comparison
from test_patrol import Patrols
from workflows.engine import deployment, spiff
from workflows.engine.models import ProcessInstance


def _restored_ready_data(inst) -> dict:
    rt = spiff.Runtime.restore(deployment.parsed(inst.process_version), inst.state)
    return {t.id: t.data for t in rt.ready_tasks()}


def _forget_and_forbid_restore(services, monkeypatch):
    """As in a process that did not save the case: nothing kept in memory, and a restore would fail."""
    services.workflow.recent = type(services.workflow.recent)()

    def no_restore(*_args, **_kwargs):
        raise AssertionError("the form's data was taken by restoring the whole workflow")
    monkeypatch.setattr(spiff.Runtime, "restore", no_restore)


def _check_every_ready_task(services, instance_id, monkeypatch):
    with services.db.read() as s:
        inst = s.get(ProcessInstance, instance_id)
        expected = _restored_ready_data(inst)
        assert expected, "a ready task to check"
        with monkeypatch.context() as m:
            _forget_and_forbid_restore(services, m)
            for task_id, data in expected.items():
                assert spiff.ready_task_data(inst.state, task_id) == data
                assert services.workflow.task_context(inst, task_id) == data


def test_every_step_of_a_case_reads_the_same_data_as_a_restored_workflow(services, lookup, monkeypatch):
    cases = CaseDriver(services, lookup)
    case = cases.start()
    cases.do(case, "sweep", {"suspicious": True, "house_type": "rental"})
    _check_every_ready_task(services, case, monkeypatch)
    for _ in range(2):  # the door-not-opened loop: the rounds are cut out of the stored state
        cases.do(case, "entry", {"door_opened": False})
        _check_every_ready_task(services, case, monkeypatch)
        cases.do(case, "watch_house", {"note": "蹲守"})
    cases.do(case, "entry", {"door_opened": True, "officers": ["王建国", "李卫东"], "persons": PERSONS})
    _check_every_ready_task(services, case, monkeypatch)
    cases.do(case, "initial_check", {"mlm_found": True})
    cases.do(case, "evidence", {"evidence_summary": "账本"})
    # The comparison's form shows each person's blacklist and earlier-case findings from the script step.
    task_id = cases.ready(case)["comparison"]
    with services.db.read() as s, monkeypatch.context() as m:
        _forget_and_forbid_restore(services, m)
        found = services.workflow.task_context(s.get(ProcessInstance, case), task_id)["comparison"]
    assert [p["name"] for p in found["persons"]] == ["张三", "李四"]
    assert found["persons"][1]["registration_place"]
    _check_every_ready_task(services, case, monkeypatch)
    # Two parallel branches: both ready tasks read their own data.
    cases.do(case, "comparison", comparison(has_participants=True, house_is_rental=True))
    assert {"handle_participants", "rectify_house"} <= set(cases.ready(case))
    _check_every_ready_task(services, case, monkeypatch)


def test_a_long_patrol_reads_its_round_s_data_without_a_restore(services, lookup, clock, monkeypatch):
    patrols = Patrols(services, lookup)
    _house, patrol = patrols.flag()
    for _ in range(4):
        clock.advance(days=7, seconds=1)
        services.workflow.fire_due_timers()
        _check_every_ready_task(services, patrol, monkeypatch)
        patrols.patrol(patrol)


def test_the_form_of_a_task_completed_meanwhile_falls_back_to_the_workflow(services, lookup):
    """The stored state no longer holds the task as ready (someone completed it): the form still gets the
    case's current data rather than an error, and the submission is then refused by the engine."""
    cases = CaseDriver(services, lookup)
    case = cases.start()
    task_id = cases.ready(case)["sweep"]
    cases.do(case, "sweep", {"suspicious": True, "house_type": "rental"})
    services.workflow.recent = type(services.workflow.recent)()
    with services.db.read() as s:
        inst = s.get(ProcessInstance, case)
        assert spiff.ready_task_data(inst.state, task_id) is None
        assert services.workflow.task_context(inst, task_id)["suspicious"] is True


@pytest.mark.parametrize("missing", ["00000000-0000-0000-0000-000000000000"])
def test_an_unknown_task_reads_nothing_from_the_state(services, lookup, missing):
    cases = CaseDriver(services, lookup)
    inst = cases.instance(cases.start())
    assert spiff.ready_task_data(inst.state, missing) is None
