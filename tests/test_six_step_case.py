"""Every path through the six-step case, driven through the service layer on SQLite and PostgreSQL."""

import pytest

from engine_helpers import BRANCH_TASKS, CaseDriver, comparison
from workflows.engine import deployment, spiff
from workflows.engine.models import ProcessInstance


@pytest.fixture
def cases(services, lookup):
    return CaseDriver(services, lookup)


def test_sweep_finds_nothing_closes_the_case_with_a_result(cases):
    case = cases.start()
    cases.do(case, "sweep", {"suspicious": False, "house_type": "resident"})
    inst = cases.instance(case)
    assert (inst.status, inst.end_event) == ("completed", "end_no_mlm_sweep")
    assert cases.ready(case) == {}
    assert cases.audit_kinds(case) == ["started", "completed", "finished"]


def test_initial_check_finds_nothing_closes_the_case(cases):
    case = cases.start()
    cases.do(case, "sweep", {"suspicious": True, "house_type": "rental"})
    cases.do(case, "entry", {"door_opened": True, "officers": ["王建国", "李卫东"]})
    cases.do(case, "initial_check", {"mlm_found": False})
    assert cases.instance(case).end_event == "end_no_mlm_check"


def test_door_not_opened_loops_through_watching_until_entry(cases):
    case = cases.start()
    cases.do(case, "sweep", {"suspicious": True, "house_type": "rental"})
    cases.do(case, "entry", {"door_opened": False})
    assert set(cases.ready(case)) == {"watch_house"}
    cases.do(case, "watch_house", {"note": "再次上门"})
    assert set(cases.ready(case)) == {"entry"}
    cases.do(case, "entry", {"door_opened": True, "officers": ["王建国", "李卫东"]})
    assert set(cases.ready(case)) == {"initial_check"}


def test_automatic_comparison_reads_registration_place_before_the_officer_confirms(cases, services):
    case = cases.start()
    cases.to_comparison(case)
    assert set(cases.ready(case)) == {"comparison"}
    result = services.workflow.instance_view(case).last_data["comparison"]
    by_name = {p["name"]: p for p in result["persons"]}
    assert by_name["张三"]["registration_place"].startswith("北京")
    assert by_name["张三"]["non_local"] is True
    assert by_name["李四"]["non_local"] is False  # 42: Hubei, the local province


def _close(cases, case):
    cases.do(case, "close_case", {"summary": "处置完毕"})
    inst = cases.instance(case)
    assert (inst.status, inst.end_event) == ("completed", "end_closed")


@pytest.mark.parametrize("flag", sorted(BRANCH_TASKS))
def test_each_sorted_handling_branch_alone(cases, flag):
    case = cases.start()
    cases.to_comparison(case)
    cases.do(case, "comparison", comparison(**{flag: True}))
    assert set(cases.ready(case)) == {BRANCH_TASKS[flag]}
    cases.do(case, BRANCH_TASKS[flag], {"result": "已处置"})
    assert set(cases.ready(case)) == {"close_case"}
    _close(cases, case)


@pytest.mark.parametrize("prior, task", [(0, "rectify_house"), (1, "penalty_landlord"), (3, "penalty_landlord")])
def test_rental_house_first_time_is_rectified_repeat_is_a_landlord_penalty(cases, prior, task):
    case = cases.start()
    cases.to_comparison(case)
    cases.do(case, "comparison", comparison(house_is_rental=True, house_prior_catches=prior))
    assert set(cases.ready(case)) == {task}
    cases.do(case, task, {"result": "已处置"})
    _close(cases, case)


def test_nothing_to_handle_goes_straight_to_closing(cases):
    case = cases.start()
    cases.to_comparison(case)
    cases.do(case, "comparison", comparison())
    assert set(cases.ready(case)) == {"close_case"}
    _close(cases, case)


def test_all_branches_must_have_a_result_before_the_case_closes(cases):
    case = cases.start()
    cases.to_comparison(case, door_closed_times=1)
    cases.do(case, "comparison", comparison(has_participants=True, has_core=True, has_crime=True,
                                            house_is_rental=True, landlord_official=True))
    branches = ["handle_participants", "penalty_core", "transfer_police", "rectify_house", "transfer_discipline"]
    assert set(cases.ready(case)) == set(branches)
    for done, name in enumerate(branches, 1):
        cases.do(case, name, {"result": "已处置"})
        if done < len(branches):
            assert "close_case" not in cases.ready(case)
    assert set(cases.ready(case)) == {"close_case"}
    _close(cases, case)


def test_serialize_and_restore_mid_case_continues_identically(services, lookup, cases):
    """Run the same case twice in memory: once straight through, once saved and restored at each step."""
    case = cases.start()
    cases.to_comparison(case)
    with services.db.read() as s:
        inst = s.get(ProcessInstance, case)
        parsed = deployment.parsed(inst.process_version)
        saved = inst.state
    steps = [("comparison", comparison(has_core=True, house_is_rental=True)),
             ("penalty_core", {"result": "罚款"}), ("rectify_house", {"result": "三停一换"}),
             ("close_case", {"summary": "结案"})]

    def run(restore_each_step):
        rt = spiff.Runtime.restore(parsed, saved)
        trail = []
        for name, data in steps:
            if restore_each_step:
                rt = spiff.Runtime.restore(parsed, rt.dump())
            task = next(t for t in rt.ready_tasks() if t.name == name)
            rt.complete(task.id, data)
            trail.append(sorted(t.name for t in rt.ready_tasks()))
        return trail, rt.completed, rt.end_event(), rt.last_data().get("summary")

    straight, restored = run(False), run(True)
    assert straight == restored
    assert straight[1:] == (True, "end_closed", "结案")


def test_closing_a_case_enters_everyone_caught_in_the_blacklist_and_counts_returns(cases, services):
    import sqlalchemy as sa

    from engine_helpers import PERSONS
    from workflows.ledgers.models import BlacklistEntry

    for round_ in (1, 2):
        case = cases.start(f"第{round_}次")
        cases.to_comparison(case)
        if round_ == 2:
            seen = services.workflow.instance_view(case).last_data["comparison"]["persons"]
            assert all(p["blacklisted"] and p["catch_count"] == 1 for p in seen)  # 回流 shows at comparison
        cases.do(case, "comparison", comparison(has_participants=True))
        cases.do(case, "handle_participants", {"result": "教育遣返"})
        _close(cases, case)
    with services.db.read() as s:
        entries = {e.id_number: e for e in s.scalars(sa.select(BlacklistEntry))}
    assert set(entries) == {p["id_number"] for p in PERSONS}
    zhang = entries["11010519491231002X"]
    assert (zhang.name, zhang.catch_count, zhang.phones) == ("张三", 2, "13912345678")
    assert zhang.registration_place.startswith("北京")


def test_a_case_ended_at_the_sweep_enters_nobody(cases, services):
    import sqlalchemy as sa

    from workflows.ledgers.models import BlacklistEntry

    case = cases.start()
    cases.do(case, "sweep", {"suspicious": False, "house_type": "resident"})
    with services.db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(BlacklistEntry)) == 0
