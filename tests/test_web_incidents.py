"""The administrator's incident pages: the list with the error, retry with corrected data, skip with a reason,
suspend and resume a case; for administrators only, with CSRF on every form."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from wtforms import IntegerField

from forms import REGISTRY
from forms.base import TaskForm
from incident_helpers import deploy, incidents_of, instance, ready
from web_fixtures import ROOM, app, client, login_as, text  # noqa: F401  (fixtures)
from workflows.audit.models import AuditEvent
from workflows.exceptions import IncidentRaised
from workflows.vocabulary import IncidentStatus


@pytest.fixture
def failed(services, lookup):
    """A case whose 计算罚款 script failed when 赵晓明 submitted divisor 0: one open incident."""
    deploy(services)
    inst_id = services.workflow.start("incident_probe", {}, lookup.user("wjs_market1"), lookup.area(ROOM),
                                      "故障演示").instance_id
    with pytest.raises(IncidentRaised):
        services.workflow.complete(ready(services, inst_id)["fill"], {"divisor": 0, "basis": "第二十四条"},
                                   lookup.user("wjs_market1"))
    [incident] = incidents_of(services, inst_id)
    return inst_id, incident.id


class DivisorForm(TaskForm):
    divisor = IntegerField("除数")

    def to_data(self) -> dict:
        return {"divisor": self.divisor.data}


def test_the_officer_hears_the_failure_was_reported_and_loses_nothing(services, lookup, login_as, monkeypatch):
    monkeypatch.setitem(REGISTRY, "incident_probe", {"fill": DivisorForm})
    deploy(services)
    inst_id = services.workflow.start("incident_probe", {}, lookup.user("wjs_market1"), lookup.area(ROOM),
                                      "故障演示").instance_id
    officer = login_as("wjs_market1")
    task_id = ready(services, inst_id)["fill"]
    r = officer.post(f"/tasks/{task_id}", data={"divisor": "0"})
    assert r.status_code == 409 and "已记录为故障" in text(r) and "计算罚款" in text(r)
    [incident] = incidents_of(services, inst_id)
    assert incident.status == IncidentStatus.OPEN and incident.data == {"divisor": 0}
    assert ready(services, inst_id) == {"fill": task_id}


def test_admin_lists_incidents_and_retries_one_with_corrected_data(services, failed, login_as):
    inst_id, incident_id = failed
    admin = login_as("admin")
    page = text(admin.get("/admin/incidents"))
    assert instance(services, inst_id).reference in page and "计算罚款" in page and "ZeroDivisionError" in page
    detail = admin.get(f"/admin/incidents/{incident_id}")
    assert "第二十四条" in text(detail) and "重试" in text(detail)

    # Broken JSON: a clear message, the text kept, nothing run.
    r = admin.post(f"/admin/incidents/{incident_id}/retry", data={"submitted": '{"divisor": 4,'})
    assert r.status_code == 422 and "须为 JSON 对象" in text(r) and "{&#34;divisor&#34;: 4," in text(r)
    assert incidents_of(services, inst_id)[0].status == IncidentStatus.OPEN

    r = admin.post(f"/admin/incidents/{incident_id}/retry",
                   data={"submitted": '{"divisor": 4, "basis": "第二十四条"}'}, follow_redirects=True)
    assert r.status_code == 200 and "已重试成功" in text(r)
    assert incidents_of(services, inst_id)[0].status == IncidentStatus.RESOLVED
    assert list(ready(services, inst_id)) == ["review"]
    assert "没有待处理的故障" in text(admin.get("/admin/incidents"))


def test_admin_skips_with_a_reason_and_suspends_and_resumes_the_case(services, failed, login_as):
    inst_id, incident_id = failed
    admin = login_as("admin")
    r = admin.post(f"/admin/incidents/{incident_id}/skip", data={"reason": ""})
    assert r.status_code == 422 and "请填写理由" in text(r)

    r = admin.post(f"/admin/incidents/instances/{inst_id}/suspend", data={"reason": "核对数据", "back": incident_id},
                   follow_redirects=True)
    assert "已暂停办理" in text(r) and instance(services, inst_id).suspended_at is not None
    assert instance(services, inst_id).reference in text(admin.get("/admin/incidents"))  # listed as held
    r = admin.post(f"/admin/incidents/{incident_id}/retry", data={"submitted": '{"divisor": 5}'})
    assert r.status_code == 409 and "暂停办理" in text(r)
    r = admin.post(f"/admin/incidents/instances/{inst_id}/resume", data={"reason": ""}, follow_redirects=True)
    assert "已恢复办理" in text(r) and instance(services, inst_id).suspended_at is None

    r = admin.post(f"/admin/incidents/{incident_id}/skip", data={"reason": "改由人工计算"}, follow_redirects=True)
    assert "已跳过“计算罚款”" in text(r)
    assert list(ready(services, inst_id)) == ["review"]
    with services.db.read() as s:
        kinds = list(s.scalars(sa.select(AuditEvent.kind).where(AuditEvent.instance_id == inst_id)))
    assert {"instance_suspended", "instance_resumed", "incident_skipped"} <= set(kinds)


def test_incident_pages_are_for_administrators_only(services, failed, login_as, app):
    inst_id, incident_id = failed
    for username in ("wjs_market1", "dubanban"):
        officer = login_as(username)
        assert officer.get("/admin/incidents").status_code == 403
        assert officer.post(f"/admin/incidents/{incident_id}/skip", data={"reason": "x"}).status_code == 403
        assert officer.post(f"/admin/incidents/instances/{inst_id}/suspend", data={"reason": "x"}).status_code == 403
    assert incidents_of(services, inst_id)[0].status == IncidentStatus.OPEN
    assert instance(services, inst_id).suspended_at is None
    admin = login_as("admin")
    app.config["WTF_CSRF_ENABLED"] = True
    r = admin.post(f"/admin/incidents/{incident_id}/skip", data={"reason": "无令牌"})
    assert r.status_code == 400 and incidents_of(services, inst_id)[0].status == IncidentStatus.OPEN


def test_admin_suspends_any_case_by_its_number(services, lookup, login_as):
    from engine_helpers import CaseDriver
    case_id = CaseDriver(services, lookup).start()
    reference = instance(services, case_id).reference
    admin = login_as("admin")
    r = admin.post("/admin/incidents/suspend", data={"reference": "LC0000", "reason": "复核"})
    assert r.status_code == 422 and "找不到这个案件编号" in text(r) and 'value="复核"' in text(r)
    r = admin.post("/admin/incidents/suspend", data={"reference": reference, "reason": ""})
    assert r.status_code == 422 and "请填写理由" in text(r)
    r = admin.post("/admin/incidents/suspend", data={"reference": reference, "reason": "群众投诉办理不当，复核"},
                   follow_redirects=True)
    assert "已暂停办理" in text(r) and instance(services, case_id).suspended_at is not None
    assert "已由系统管理员" in text(login_as("wjs_grid").get(f"/cases/{case_id}"))


def test_odd_input_gets_a_clear_answer_not_a_server_error(services, failed, login_as):
    inst_id, incident_id = failed
    admin = login_as("admin")
    assert admin.get(f"/admin/incidents/{2**31 + 5}").status_code == 404
    assert admin.post(f"/admin/incidents/instances/{2**40}/suspend", data={"reason": "x"}).status_code == 404
    # A NUL byte is refused for every page before it reaches one (webapp/params.py).
    r = admin.post(f"/admin/incidents/{incident_id}/skip", data={"reason": "a\x00b"})
    assert r.status_code == 400 and "空字符" in text(r)
    r = admin.post("/admin/incidents/suspend", data={"reference": "LC\x00", "reason": "复核"})
    assert r.status_code == 400
    r = admin.post(f"/admin/incidents/{incident_id}/retry", data={"submitted": "[1, 2]"})
    assert r.status_code == 422 and "须为 JSON 对象" in text(r)
    r = admin.post(f"/admin/incidents/{incident_id}/retry", data={"submitted": '{"divisor": "四"}'})
    assert r.status_code < 500 and "重试仍未成功" in text(r)
    assert incidents_of(services, inst_id)[0].status == IncidentStatus.OPEN
