"""无传销网络平台: the register (统一社会信用代码 checked), periodic reports, and the same lifecycle by platform type."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from engine_helpers import Lookup
from pf_helpers import PHOTO, Creation
from workflows import runtime
from workflows.exceptions import PermissionDenied, ValidationFailed
from workflows.pyramid_free import applications, platforms, watching
from workflows.pyramid_free.coverage import coverage
from workflows.vocabulary import NamingStatus

CODE = "91110000600037341L"
MANUAL = {"commitment": {"score": 15}, "keyword_filter": {"score": 15}, "complaint_entry": {"score": 10},
          "warning_column": {"score": 10}}


@pytest.fixture
def cw(db_url, clock):
    svc = runtime.build(db_url, clock=clock, settings_overrides={"pyramid_free": {"random_share": 0}})
    yield Creation(svc, Lookup(svc))
    svc.db.dispose()


def _register(cw, **changes) -> int:
    fields = dict(name="某某短视频", operator="某某网络科技有限公司", credit_code=CODE, platform_type="content",
                  icp_number="鄂ICP备12345678号", app_ids="某某短视频App", liaison_name="刘洋",
                  liaison_phone="13800001111")
    fields.update(changes)
    return platforms.save_platform(cw.services, cw.lookup.user("cw_namer"), **fields)


def test_the_register_checks_the_credit_code_and_registers_it_once(cw):
    with pytest.raises(ValidationFailed) as exc:
        _register(cw, credit_code="91110000600037341X")
    assert "credit_code" in exc.value.errors
    platform_id = _register(cw)
    with pytest.raises(ValidationFailed, match="已登记|有误"):
        _register(cw, name="另一个")
    with cw.services.db.read() as s:
        assert platforms.find_by_credit_code(s, " 9111 0000 6000 3734 1l ").id == platform_id
        assert platforms.find_by_credit_code(s, "bogus") is None
    with pytest.raises(PermissionDenied):
        platforms.save_platform(cw.services, cw.lookup.user("wjs_grid"), name="x", operator="y",
                                credit_code=CODE, platform_type="content")


def test_a_platform_is_named_against_its_type_checklist_and_watched(cw):
    platform_id = _register(cw)
    platforms.record_report(cw.services, cw.lookup.user("cw_namer"), platform_id, "2026Q3", date(2026, 10, 8),
                            items_removed=12, assistance_requests=2, assistance_hours=6)
    naming_id = applications.apply_platform(cw.services, cw.lookup.user("cw_namer"), platform_id, cw.year, MANUAL)
    inst = cw.naming(naming_id).instance_id
    assert set(cw.ready(inst)) == {"namer_review"}  # no street step for a platform
    cw.do(inst, "namer_review", {"accepted": True, "reasons": ""}, "cw_namer")
    cw.do(inst, "acceptance", {"inspector_ids": [cw.lookup.user("cw_police"), cw.lookup.user("cw_market")],
                               "entries": MANUAL, "findings": "平台检查", "evidence_files": PHOTO}, "cw_market")
    (inspection,) = cw.inspections(naming_id)
    codes = {i["code"]: i for i in inspection.items}
    assert "live_review" not in codes and "warning_column" in codes  # by type: a content platform
    assert codes["liaison"]["score"] == 10 and codes["assistance"]["score"] == 15
    assert inspection.passed
    cw.do(inst, "naming", {"naming_note": "同意"}, "cw_namer")
    naming = cw.naming(naming_id)
    assert naming.status == NamingStatus.NAMED
    assert cw.notice(naming.certificate_notice_id).notice_type == "platform_naming_certificate"
    with cw.services.db.read() as s:
        figures = coverage(s, "/", cw.year)
    assert (figures["platforms"].named, figures["platforms"].total) == (1, 1)
    # The online-clue domain calls this when a clue against a named platform is confirmed.
    with cw.services.db.unit_of_work() as s:
        watch = watching.open_reinspection(cw.services.workflow.context(s, None), subject="platform",
                                           subject_id=platform_id, reason="网络传销线索查证属实")
    assert watch == cw.watch(naming_id) and "reinspect" in cw.ready(watch)


def test_a_period_is_reported_once(cw):
    platform_id = _register(cw)
    platforms.record_report(cw.services, cw.lookup.user("cw_namer"), platform_id, "2026Q3", date(2026, 10, 8))
    with pytest.raises(ValidationFailed):
        platforms.record_report(cw.services, cw.lookup.user("cw_namer"), platform_id, "2026Q3", date(2026, 10, 9))
    with pytest.raises(ValidationFailed):
        platforms.record_report(cw.services, cw.lookup.user("cw_namer"), platform_id, "2026-3", date(2026, 10, 9))
    with cw.services.db.read() as s:
        assert s.scalar(sa.text("select count(*) from pf_platform_report")) == 1
