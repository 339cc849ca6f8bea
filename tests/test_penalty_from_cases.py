"""The six-step case's penalty steps start one procedure per party, linked both ways; the role comes from the
person's classification."""
from __future__ import annotations

import pytest

from penalty_helpers import CORE, PARTICIPANT, PenaltyDriver
from workflows.exceptions import ValidationFailed
from workflows.penalties.hooks import penalty_case
from workflows.vocabulary import PenaltyOutcome


@pytest.fixture
def pen(services, lookup, clock):
    return PenaltyDriver(services, lookup, clock)


def test_the_sorted_handling_steps_start_one_procedure_per_party_linked_both_ways(pen, services):
    case = pen.classified_case()
    pen.cases.do(case, "penalty_core", {"result": "启动处罚程序", "penalty_parties": [
        {"name": CORE["name"], "id_number": CORE["id_number"], "role": "organiser"}]})
    pen.cases.do(case, "handle_participants", {"result": "教育遣返", "participant_measures": ["education"],
                                               "penalty_parties": [{"name": PARTICIPANT["name"],
                                                                    "id_number": PARTICIPANT["id_number"],
                                                                    "role": "participant"}]})
    procedures = pen.penalties.for_case(case)
    assert [(p.party_name, p.role, p.source_task) for p in procedures] == [
        ("张三", "organiser", "penalty_core"), ("李四", "participant", "handle_participants")]
    for p in procedures:
        assert pen.instance(p.instance_id).parent_instance_id == case
        assert p.outcome == PenaltyOutcome.PENDING
    assert "penalty_started" in pen.cases.audit_kinds(case)
    view = pen.penalties.view(procedures[0].instance_id, pen.lookup.user("wjs_market1"))
    assert view.source.id == case and [s.task.task_name for s in view.steps] == ["approve_filing"]


def test_a_participant_listed_as_an_organiser_on_a_case_step_is_refused_and_nothing_is_started(pen):
    case = pen.classified_case()
    with pytest.raises(ValidationFailed) as err:
        pen.cases.do(case, "penalty_core", {"result": "启动处罚程序", "penalty_parties": [
            {"name": PARTICIPANT["name"], "id_number": PARTICIPANT["id_number"], "role": "organiser"}]})
    assert "只能按“参加传销（普通参与者）”处罚" in err.value.errors["role"][0]
    assert pen.penalties.for_case(case) == [] and "penalty_core" in pen.cases.ready(case)


def test_a_party_the_case_never_listed_cannot_be_penalised_from_it(pen, services):
    case = pen.classified_case()
    with pytest.raises(ValidationFailed) as err:
        pen.start(case, {"name": "王五", "id_number": "110105194912310038"}, role="introducer")
    assert "不在来源案件的人员名单中" in err.value.errors["role"][0]
    # An intermediary or landlord is not a caught person: their role needs no classification.
    inst = pen.start(case, {"name": "王房东", "id_number": "110105194912310038"}, role="premises")
    with services.db.read() as s:
        assert penalty_case(s, inst).role == "premises"


def test_the_public_starter_takes_exactly_its_documented_arguments_and_other_sources_name_the_role(pen, services):
    import inspect

    from workflows.penalties.starting import start_for_party
    params = inspect.signature(start_for_party).parameters
    assert list(params) == ["ctx", "source_instance_id", "party", "role", "facts"]
    assert all(params[p].kind == inspect.Parameter.KEYWORD_ONLY for p in ("source_instance_id", "party", "role", "facts"))
    # A source that does not classify persons (here a five-contracts matter about an online clue) names the role.
    complaint = services.workflow.start("five_contracts", {"subject": "网络传销线索"}, pen.lookup.user("wjs_market1"),
                                        pen.lookup.area("吴家山街第一社区花园小区1栋1单元101室"), "网络传销线索").instance_id
    with services.db.unit_of_work() as s:
        ctx = services.workflow.context(s, pen.lookup.user("wjs_market1"))
        inst = start_for_party(ctx, source_instance_id=complaint, party={"name": "某网络科技有限公司",
                               "kind": "organisation", "id_number": "91420100MA4K0000XJ"}, role="organiser",
                               facts="利用网络平台组织策划传销")
        with pytest.raises(ValidationFailed) as err:
            start_for_party(ctx, source_instance_id=complaint, party={"name": "某公司", "kind": "organisation",
                            "id_number": "91420100MA4K0000X0"}, role="organiser", facts="……")
        assert "统一社会信用代码无效" in err.value.errors["id_number"][0]
        with pytest.raises(ValidationFailed) as err:
            start_for_party(ctx, source_instance_id=complaint, party={"name": "王五",
                            "id_number": "420106199001011234"}, role="organiser", facts="……")
        assert "校验位" in err.value.errors["id_number"][0]
    row = pen.row(inst)
    assert row.party_kind == "organisation" and row.role == "organiser" and row.source_instance_id == complaint
