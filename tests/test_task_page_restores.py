"""The task page reads the live workflow: opening and submitting a task restores nothing when the workflow
this process saved last is still current, and a stale one is never used."""
import pytest

import web_fixtures
from engine_helpers import CaseDriver
from web_fixtures import STEP_DATA, ready_task, submit
from workflows.engine import spiff

# The web fixtures this module uses (pytest finds fixtures by their name in the module).
app, login_as = web_fixtures.app, web_fixtures.login_as


@pytest.fixture
def restores(monkeypatch):
    """Counts the workflows restored from their stored state."""
    calls = []
    original = spiff.Runtime.restore.__func__

    def counting(cls, parsed, state):
        calls.append(1)
        return original(cls, parsed, state)
    monkeypatch.setattr(spiff.Runtime, "restore", classmethod(counting))
    return calls


def test_opening_and_submitting_a_task_restores_no_workflow(services, lookup, login_as, restores):
    cases = CaseDriver(services, lookup)
    case = cases.start()
    client = login_as("wjs_grid")
    task_id = ready_task(services, case, "sweep")
    assert client.get(f"/tasks/{task_id}").status_code == 200
    response = submit(client, task_id, STEP_DATA["sweep"])
    assert response.status_code == 302, response.status_code
    assert restores == []
    assert "entry" in cases.ready(case)


def test_after_another_process_saved_the_case_only_the_completion_restores_it(services, lookup, login_as,
                                                                             restores, db_url):
    from workflows import runtime

    cases = CaseDriver(services, lookup)
    case = cases.start()
    other = runtime.build(db_url, clock=services.workflow.clock)  # another web process or worker
    try:
        other.workflow.complete(cases.ready(case)["sweep"], {"suspicious": True, "house_type": "rental"},
                                lookup.user("wjs_grid"))
    finally:
        other.db.dispose()
    restores.clear()
    client = login_as("wjs_police1")
    task_id = ready_task(services, case, "entry")
    page = client.get(f"/tasks/{task_id}")
    assert page.status_code == 200
    # Our copy is older than the stored state: the form's data is read from the stored state, with no
    # restore; the completion, which runs the workflow, restores it once.
    assert restores == []
    response = submit(client, task_id, STEP_DATA["entry"])
    assert response.status_code == 302 and len(restores) == 1
    assert "initial_check" in cases.ready(case)
