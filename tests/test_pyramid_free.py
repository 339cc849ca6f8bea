"""创无 communities through the services: application, acceptance, naming, watching, rectification, revocation."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from engine_helpers import CaseDriver
from pf_helpers import COMMUNITY, FULL, ZERO, Creation
from workflows import runtime
from workflows.audit.models import AuditEvent
from workflows.exceptions import ValidationFailed, WorkflowError
from workflows.pyramid_free import applications, lots, watching
from workflows.pyramid_free.coverage import coverage
from workflows.pyramid_free.models import LotDraw
from workflows.vocabulary import InstanceStatus, NamingStatus


@pytest.fixture
def pf_services(db_url, clock):
    """The demo database with 创无 options of the test's choosing (no random draw unless asked)."""
    made = []

    def build(**overrides):
        svc = runtime.build(db_url, clock=clock, settings_overrides={
            "pyramid_free": {"random_share": 0, **overrides}})
        made.append(svc)
        return svc

    yield build
    for svc in made:
        svc.db.dispose()


@pytest.fixture
def cw(pf_services, lookup):
    svc = pf_services()
    return Creation(svc, type(lookup)(svc))


def test_the_street_returns_an_application_with_its_reasons(cw):
    naming_id = cw.apply()
    inst = cw.naming(naming_id).instance_id
    with pytest.raises(ValidationFailed):
        cw.do(inst, "street_forward", {"forwarded": False, "opinion": ""}, "cw_street")
    cw.do(inst, "street_forward", {"forwarded": False, "opinion": "自评材料不全"}, "cw_street")
    naming = cw.naming(naming_id)
    assert naming.status == NamingStatus.REFUSED and "自评材料不全" in naming.decision_reason
    assert cw.instance(inst).end_event == "end_returned"


def test_the_namer_refuses_an_application_with_reasons(cw):
    naming_id = cw.apply()
    inst = cw.naming(naming_id).instance_id
    cw.do(inst, "street_forward", {"forwarded": True, "opinion": "同意"}, "cw_street")
    assert cw.ready(inst) == {"namer_review": cw.ready(inst)["namer_review"]}
    cw.do(inst, "namer_review", {"accepted": False, "reasons": "未建立五项基本机制"}, "cw_namer")
    naming = cw.naming(naming_id)
    assert naming.status == NamingStatus.REFUSED and "未建立五项基本机制" in naming.decision_reason
    assert cw.instance(inst).end_event == "end_refused"


def test_a_second_application_while_one_is_open_is_refused(cw):
    cw.apply()
    with pytest.raises(WorkflowError, match="不能重复申报"):
        cw.apply()


def test_acceptance_needs_two_inspectors_from_police_and_market(cw):
    naming_id = cw.apply()
    inst = cw.to_acceptance(naming_id)
    only_police = cw.inspection(FULL, inspector_ids=[cw.lookup.user("cw_police")])
    with pytest.raises(ValidationFailed) as exc:
        cw.do(inst, "acceptance", only_police, "cw_police")
    assert "inspector_ids" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        cw.do(inst, "acceptance", cw.inspection(FULL, evidence_files=[]), "cw_police")
    assert "files" in exc.value.errors
    assert cw.naming(naming_id).status == NamingStatus.APPLIED  # nothing recorded by the refused submissions


def test_failed_acceptance_scores_and_lists_the_records(cw):
    naming_id = cw.apply()
    inst = cw.to_acceptance(naming_id)
    cw.do(inst, "acceptance", cw.inspection(ZERO), "cw_police")
    naming = cw.naming(naming_id)
    assert naming.status == NamingStatus.FAILED and cw.instance(inst).end_event == "end_failed"
    (inspection,) = cw.inspections(naming_id)
    items = {i["code"]: i for i in inspection.items}
    # The demo community has its five contracts complete and no den: those score from the records; it has no
    # rental houses, flagged houses or complaints, and the system keeps no publicity ledger: no data, no score.
    assert items["five_contracts"]["score"] == 15 and items["no_den"]["score"] == 15
    assert items["publicity_activities"]["no_data"] and items["rental_filings"]["no_data"]
    assert inspection.score == pytest.approx(30 * 100 / 55, abs=0.1) and not inspection.passed


def test_passed_acceptance_names_the_community_with_a_numbered_certificate(cw):
    naming_id = cw.named()
    naming = cw.naming(naming_id)
    assert naming.status == NamingStatus.NAMED and naming.accepted_on is not None
    certificate = cw.notice(naming.certificate_notice_id)
    assert certificate.notice_type == "naming_certificate"
    assert certificate.number == f"东打传办创无〔{cw.year}〕1号"
    assert certificate.data["fields"]["community_name"] == COMMUNITY
    assert cw.instance(naming.instance_id).end_event == "end_named"


def test_the_household_sample_is_drawn_by_lot_and_reproducible_from_its_seed(cw):
    naming_id = cw.apply()
    cw.to_acceptance(naming_id)
    with cw.services.db.read() as s:
        draw = s.scalar(sa.select(LotDraw).where(LotDraw.key == str(naming_id)))
    assert len(draw.picked) == 10 and len(draw.population) == 32  # 2 compounds x 2 buildings x 2 units x 4 rooms
    assert lots.verify(draw)
    assert lots.pick(draw.seed, list(reversed(draw.population)), draw.size) == draw.picked
    from workflows.pyramid_free.applications import redraw_sample
    again = redraw_sample(cw.services, cw.lookup.user("cw_namer"), naming_id)
    with cw.services.db.read() as s:
        second = s.get(LotDraw, again)
    assert second.seed != draw.seed and lots.verify(second)


def test_periodic_reinspection_falls_due_after_the_interval(cw, clock):
    naming_id = cw.named()
    assert cw.services.workflow.run_worker_once()["pyramid_free_watch"] == 0
    clock.advance(days=366)
    assert cw.services.workflow.run_worker_once()["pyramid_free_watch"] == 1
    watch = cw.watch(naming_id)
    assert watch is not None and "reinspect" in cw.ready(watch)
    cw.do(watch, "reinspect", cw.inspection(FULL, serious_problems=[]), "cw_market")
    assert cw.instance(watch).end_event == "end_kept"
    assert cw.naming(naming_id).status == NamingStatus.NAMED and cw.watch(naming_id) is None


def test_random_reinspection_draws_a_share_each_quarter_reproducibly(pf_services, lookup, clock):
    svc = pf_services(random_share=0.5)
    cw = Creation(svc, type(lookup)(svc))
    first, second = cw.named(), cw.named("吴家山街第二社区")
    assert svc.workflow.run_worker_once()["pyramid_free_watch"] == 1
    assert svc.workflow.run_worker_once()["pyramid_free_watch"] == 0  # once a quarter
    with svc.db.read() as s:
        draw = s.scalar(sa.select(LotDraw).where(LotDraw.purpose == lots.RANDOM))
    assert draw.population == sorted([first, second]) and lots.verify(draw)
    (picked,) = draw.picked
    assert cw.watch(picked) is not None and cw.watch(({first, second} - {picked}).pop()) is None


def test_a_six_step_case_inside_a_named_community_opens_a_reinspection_at_once(cw):
    naming_id = cw.named()
    case = CaseDriver(cw.services, cw.lookup).start()
    watch = cw.watch(naming_id)
    assert watch is not None and "reinspect" in cw.ready(watch)
    with cw.services.db.read() as s:
        opened = s.scalar(sa.select(AuditEvent).where(AuditEvent.kind == "pf_reinspection_opened"))
    assert opened.details["trigger"] == "event" and cw.instance(case).reference in opened.details["reason"]
    # A second case joins the re-inspection under way instead of opening another.
    CaseDriver(cw.services, cw.lookup).start("第二个窝点")
    assert cw.watch(naming_id) == watch


def test_a_case_outside_named_communities_opens_nothing(cw):
    cw.named("吴家山街第二社区")
    CaseDriver(cw.services, cw.lookup).start()
    with cw.services.db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).where(AuditEvent.kind == "pf_reinspection_opened")) == 0


def _failed_reinspection(cw, naming_id: int) -> int:
    with cw.services.db.unit_of_work() as s:
        watch = watching.open_reinspection(cw.services.workflow.context(s, None), subject="community",
                                           subject_id=cw.lookup.area(COMMUNITY), reason="群众反映")
    cw.do(watch, "reinspect", cw.inspection(ZERO, serious_problems=[]), "cw_police")
    cw.do(watch, "order_rectification", {"deadline_days": 30, "requirements": "更新宣传栏"}, "cw_namer")
    assert cw.naming(naming_id).status == NamingStatus.RECTIFYING
    return watch


def test_rectification_passed_keeps_the_name(cw):
    naming_id = cw.named()
    watch = _failed_reinspection(cw, naming_id)
    cw.do(watch, "report_rectification", {"rectified": True, "report": "已更新"}, "cw_namer")
    cw.do(watch, "recheck", cw.inspection(FULL), "cw_market")
    assert cw.instance(watch).end_event == "end_rectified"
    assert cw.naming(naming_id).status == NamingStatus.NAMED


def _assert_revoked(cw, naming_id: int, end_event: str, watch: int):
    naming = cw.naming(naming_id)
    assert naming.status == NamingStatus.REVOKED and cw.instance(watch).end_event == end_event
    notice = cw.notice(naming.revocation_notice_id)
    assert notice.notice_type == "naming_revocation" and notice.number.startswith("东打传办撤名〔")
    assert notice.data["fields"]["subject_name"] == COMMUNITY
    return naming


def test_rectification_failed_revokes_the_name_with_a_notice(cw):
    naming_id = cw.named()
    watch = _failed_reinspection(cw, naming_id)
    cw.do(watch, "report_rectification", {"rectified": True, "report": "已整改"}, "cw_namer")
    cw.do(watch, "recheck", cw.inspection(ZERO), "cw_police")
    naming = _assert_revoked(cw, naming_id, "end_recheck_revoked", watch)
    assert "复查，仍不符合创建标准" in naming.revoke_reason


def test_rectification_refused_revokes_the_name(cw):
    naming_id = cw.named()
    watch = _failed_reinspection(cw, naming_id)
    cw.do(watch, "report_rectification", {"rectified": False, "report": "社区拒绝整改"}, "cw_namer")
    naming = _assert_revoked(cw, naming_id, "end_refused_revoked", watch)
    assert "社区拒绝整改" in naming.revoke_reason


def test_the_deadline_passing_without_rectification_revokes_the_name(cw, clock):
    naming_id = cw.named()
    watch = _failed_reinspection(cw, naming_id)
    clock.advance(days=29)
    cw.services.workflow.fire_due_timers()
    assert cw.naming(naming_id).status == NamingStatus.RECTIFYING
    clock.advance(days=2)
    assert cw.services.workflow.fire_due_timers() == 1
    _assert_revoked(cw, naming_id, "end_overdue_revoked", watch)


def test_a_serious_problem_revokes_the_name_at_once_and_blocks_reapplying(cw, clock):
    naming_id = cw.named()
    with cw.services.db.unit_of_work() as s:
        watch = watching.open_reinspection(cw.services.workflow.context(s, None), subject="community",
                                           subject_id=cw.lookup.area(COMMUNITY), reason="发生群体性事件")
    cw.do(watch, "reinspect", cw.inspection(FULL, serious_problems=["mass_incident"]), "cw_police")
    assert set(cw.ready(watch)) == {"decide_revocation"}
    cw.do(watch, "decide_revocation", {"revoke": True, "reason": "因传销引发群体性事件"}, "cw_namer")
    _assert_revoked(cw, naming_id, "end_revoked", watch)
    with pytest.raises(WorkflowError, match="方可重新申报"):
        cw.apply()
    clock.advance(days=366)
    assert cw.apply()


def test_open_reinspection_of_a_community_not_named_returns_none(cw):
    with cw.services.db.unit_of_work() as s:
        assert watching.open_reinspection(cw.services.workflow.context(s, None), subject="community",
                                          subject_id=cw.lookup.area(COMMUNITY), reason="x") is None


def test_coverage_counts_named_communities_per_street_and_revoked_ones_against_it(cw):
    naming_id = cw.named()
    with cw.services.db.read() as s:
        figures = coverage(s, "/", cw.year)
    street = next(f for f in figures["streets"] if f.label == "吴家山街")
    assert (street.named, street.total, street.rate) == (1, 2, 50.0)
    assert (figures["communities"].named, figures["communities"].total) == (1, 24)
    assert not figures["communities"].meets_target
    with cw.services.db.unit_of_work() as s:
        watch = watching.open_reinspection(cw.services.workflow.context(s, None), subject="community",
                                           subject_id=cw.lookup.area(COMMUNITY), reason="x")
    cw.do(watch, "reinspect", cw.inspection(FULL, serious_problems=["criminal_case"]), "cw_police")
    cw.do(watch, "decide_revocation", {"revoke": True, "reason": "刑事案件"}, "cw_namer")
    assert cw.naming(naming_id).status == NamingStatus.REVOKED
    with cw.services.db.read() as s:
        assert coverage(s, "/", cw.year)["communities"].named == 0
    assert cw.instance(watch).status == InstanceStatus.COMPLETED


def test_a_substantiated_complaint_inside_a_named_community_opens_a_reinspection(cw):
    from test_complaints import Driver, result
    naming_id = cw.named()
    complaints = Driver(cw.services, cw.lookup)
    inst = complaints.record()["instance_id"]
    complaints.do(inst, "accept", {"jurisdiction_clear": True, "responsible_unit": "market"}, "wjs_market1")
    complaints.do(inst, "investigate_market", {"finding": "查实", "open_case": False}, "wjs_market2")
    assert cw.watch(naming_id) is None
    complaints.do(inst, "result_market", result(effective=True), "wjs_market2")
    watch = cw.watch(naming_id)
    assert watch is not None and "涉传举报查证属实" in cw.instance(watch).title


def test_an_unfounded_complaint_opens_nothing(cw):
    from test_complaints import Driver, result
    naming_id = cw.named()
    complaints = Driver(cw.services, cw.lookup)
    inst = complaints.record()["instance_id"]
    complaints.do(inst, "accept", {"jurisdiction_clear": True, "responsible_unit": "market"}, "wjs_market1")
    complaints.do(inst, "investigate_market", {"finding": "不实", "open_case": False}, "wjs_market2")
    complaints.do(inst, "result_market", result(effective=False), "wjs_market2")
    assert cw.watch(naming_id) is None


def test_reflux_found_on_patrol_is_named_as_such(cw):
    from engine_helpers import ROOM
    naming_id = cw.named()
    cw.workflow.start("six_step_case", {"source": "patrol"}, cw.lookup.user("wjs_grid"), cw.lookup.area(ROOM),
                      "回流")
    assert "发现人员回流" in cw.instance(cw.watch(naming_id)).title


def test_each_reinspection_draws_its_own_households(cw):
    naming_id = cw.named()
    CaseDriver(cw.services, cw.lookup).start()
    with cw.services.db.read() as s:
        draws = s.scalars(sa.select(LotDraw).where(LotDraw.key == str(naming_id)).order_by(LotDraw.id)).all()
    assert len(draws) == 2 and all(lots.verify(d) for d in draws)
    view = cw.workflow.instance_view(cw.watch(naming_id))
    (task,) = view.ready
    assert len(task.data["sample_households"]) == 10


def test_the_namer_level_is_configuration(pf_services, lookup):
    svc = pf_services(namer_level={"community": "street", "platform": "district"})
    cw = Creation(svc, type(lookup)(svc))
    naming_id = cw.apply()
    cw.do(cw.naming(naming_id).instance_id, "street_forward", {"forwarded": True, "opinion": "同意"}, "cw_street")
    from workflows.engine.models import HumanTask
    from workflows.org.models import Area
    with svc.db.read() as s:
        task = s.scalar(sa.select(HumanTask).where(HumanTask.task_name == "namer_review"))
        street = s.scalar(sa.select(Area).where(Area.name == "吴家山街"))
    assert (task.area_id, task.area_path) == (street.id, street.path)


def test_two_workers_make_one_random_draw_a_quarter(pf_services, lookup):
    from engine_helpers import release_together
    svc = pf_services(random_share=1.0)
    cw = Creation(svc, type(lookup)(svc))
    naming_id = cw.named()
    counts = []
    release_together(lambda i: counts.append(watching.due_reinspections(svc.workflow)), 2)
    assert sorted(counts) == [0, 1]
    with svc.db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).where(LotDraw.purpose == lots.RANDOM)) == 1
        opened = s.scalars(sa.select(AuditEvent).where(AuditEvent.kind == "pf_reinspection_opened")).all()
    assert [e.instance_id for e in opened] == [cw.watch(naming_id)]


def test_the_checklist_and_its_pass_score_are_configuration(pf_services, lookup, tmp_path):
    import json
    custom = {"community": {"pass_score": 50, "items": [
        {"code": "hotline", "mechanism": "部门互动", "title": "公布举报电话", "weight": 40, "mode": "manual"},
        {"code": "no_den", "mechanism": "监管打击", "title": "近12个月未发现窝点", "weight": 60, "mode": "computed",
         "source": "no_den"}]}, "platform": {"pass_score": 85, "items": []}}
    path = tmp_path / "checklists.json"
    path.write_text(json.dumps(custom, ensure_ascii=False), encoding="utf-8")
    svc = pf_services(checklists=str(path))
    cw = Creation(svc, type(lookup)(svc))
    naming_id = applications.apply_community(svc, cw.lookup.user("cw_community"), cw.lookup.area(COMMUNITY),
                                             cw.year, {"hotline": {"score": 0}})
    inst = cw.to_acceptance(naming_id)
    cw.do(inst, "acceptance", cw.inspection({"hotline": {"score": 0, "note": "未公布"}}), "cw_police")
    (inspection,) = cw.inspections(naming_id)
    assert [i["code"] for i in inspection.items] == ["hotline", "no_den"]
    assert inspection.score == 60.0 and inspection.passed  # 60 of 100 against a pass score of 50


def test_unworkable_settings_are_refused_when_loaded():
    from workflows.config import Settings
    with pytest.raises(ValueError, match="random_share"):
        Settings.load({"pyramid_free": {"random_share": 1.5}})
    with pytest.raises(ValueError, match="periodic_interval"):
        Settings.load({"pyramid_free": {"periodic_interval": "yearly"}})


def test_a_serious_problem_the_namer_does_not_revoke_for_goes_to_rectification(cw):
    naming_id = cw.named()
    with cw.services.db.unit_of_work() as s:
        watch = watching.open_reinspection(cw.services.workflow.context(s, None), subject="community",
                                           subject_id=cw.lookup.area(COMMUNITY), reason="刑事案件线索")
    cw.do(watch, "reinspect", cw.inspection(FULL, serious_problems=["criminal_case"]), "cw_police")
    with pytest.raises(ValidationFailed):
        cw.do(watch, "decide_revocation", {"revoke": False, "reason": " "}, "cw_namer")
    cw.do(watch, "decide_revocation", {"revoke": False, "reason": "案件与社区管理无关，限期整改"}, "cw_namer")
    assert set(cw.ready(watch)) == {"order_rectification"}
    with pytest.raises(ValidationFailed):
        cw.do(watch, "order_rectification", {"deadline_days": 0, "requirements": "x"}, "cw_namer")
    cw.do(watch, "order_rectification", {"deadline_days": 15, "requirements": "加强排查"}, "cw_namer")
    cw.do(watch, "report_rectification", {"rectified": True, "report": "已加强排查"}, "cw_namer")
    cw.do(watch, "recheck", cw.inspection(FULL), "cw_police")
    assert cw.naming(naming_id).status == NamingStatus.NAMED
    assert [i.kind for i in cw.inspections(naming_id)] == ["acceptance", "reinspection", "recheck"]


def test_computed_items_score_from_the_ledgers_and_list_them(cw, clock):
    from datetime import date

    from engine_helpers import ROOM
    from workflows.ledgers import registries
    housing = cw.lookup.user("wjs_housing")
    room2 = ROOM.replace("101室", "102室")
    registries.save_house(cw.services, housing, ROOM, commitment_signed_on=date(2026, 3, 1),
                          security_pledge_signed_on=date(2026, 3, 1), filed_on=date(2026, 3, 5))
    registries.save_house(cw.services, housing, room2, commitment_signed_on=date(2026, 3, 1), flagged=True)
    clock.advance(days=10)  # the flagged house's first patrol falls due and nobody goes
    cw.services.workflow.fire_due_timers()
    clock.advance(days=3)
    naming_id = cw.apply()
    inst = cw.to_acceptance(naming_id)
    cw.do(inst, "acceptance", cw.inspection(FULL), "cw_police")
    items = {i["code"]: i for i in cw.inspections(naming_id)[0].items}
    assert items["rental_filings"]["score"] == 7.5
    assert f"{ROOM}：两书一备案齐全" in items["rental_filings"]["records"]
    assert f"{room2}：两书一备案不全" in items["rental_filings"]["records"]
    assert items["flagged_patrols"]["score"] == 0 and items["flagged_patrols"]["records"] == [f"{room2}：巡查逾期"]


def test_a_den_found_in_the_last_twelve_months_scores_nothing_and_is_listed(cw, clock):
    cases = CaseDriver(cw.services, cw.lookup)
    case = cases.start("花园小区窝点")
    cases.to_comparison(case)
    naming_id = cw.apply()
    inst = cw.to_acceptance(naming_id)
    cw.do(inst, "acceptance", cw.inspection(FULL), "cw_police")
    items = {i["code"]: i for i in cw.inspections(naming_id)[0].items}
    assert items["no_den"]["score"] == 0
    assert items["no_den"]["records"] == [f"传销窝点案件 {cw.instance(case).reference} 花园小区窝点"]
    clock.advance(days=366)  # a year on, the den no longer counts
    naming_id = cw.apply("吴家山街第二社区", "cw_namer")
    with cw.services.db.read() as s:
        from workflows.pyramid_free import records
        from workflows.pyramid_free.models import Naming
        from workflows.pyramid_free.options import options
        first = s.scalar(sa.select(Naming).order_by(Naming.id))
        measure = records.no_den(s, first, cw.workflow.now(), options(cw.services.settings))
    assert measure.share == 1.0
