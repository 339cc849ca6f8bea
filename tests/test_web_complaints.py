"""Complaint pages: recording (首接负责), the ledger and its export, the accept step through the task page,
the reply page with the (logged) complainant, the supervisor's logged look-up of an anonymous one, area scoping."""
import io
import re

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from web_fixtures import (ROOM, app, client, forms_without_token, login_as, make_id, ready_task,  # noqa: F401
                          submit, text, user_id)
from workflows.audit.models import AuditEvent
from workflows.complaints import service as complaints
from workflows.complaints.models import Complaint
from workflows.engine.models import HumanTask

NAME, PHONE = "举报人王小明", "13911112222"
ID_NUMBER = make_id("420106", "19900101", "123")
REPORT = {"channel": "phone", "content": "花园小区有外地人员聚集上课，疑似传销", "address": ROOM,
          "complainant_name": NAME, "complainant_phone": PHONE, "complainant_id_number": ID_NUMBER,
          "complainant_contact": "", "subject_name": "", "subject_kind": "platform"}


def record(c, **overrides) -> int:
    r = c.post("/complaints/new", data=dict(REPORT, **overrides))
    assert r.status_code == 302, text(r)
    return int(r.headers["Location"].rsplit("/", 1)[1])


def row(services, complaint_id) -> Complaint:
    with services.db.read() as s:
        return s.get(Complaint, complaint_id)


def audit(services, instance_id, kind):
    with services.db.read() as s:
        return list(s.scalars(sa.select(AuditEvent).where(AuditEvent.instance_id == instance_id,
                                                          AuditEvent.kind == kind)))


def test_an_officer_records_a_complaint_and_becomes_its_first_receiver(services, login_as):
    market = login_as("wjs_market1")
    page = text(market.get("/complaints/new"))
    assert "受理举报" in page
    complaint_id = record(market)
    c = row(services, complaint_id)
    assert c.first_receiver_id == user_id(services, "wjs_market1") and c.complainant_name == NAME
    page = text(market.get(f"/complaints/{complaint_id}"))
    assert c.reference in page and "实名（已隐去）" in page
    assert NAME not in page and PHONE not in page and ID_NUMBER not in page
    assert "受理登记与管辖研判" in page  # the open step, linked for the first receiver
    ledger = text(market.get("/complaints"))
    assert c.reference in ledger and "市场监管 赵晓明" in ledger and NAME not in ledger


def test_bad_input_is_shown_in_chinese_and_nothing_is_recorded(services, login_as):
    market = login_as("wjs_market1")
    r = market.post("/complaints/new", data=dict(REPORT, content=" ", complainant_name="",
                                                  complainant_id_number="420106199001011234", online_mlm="y"))
    assert r.status_code == 422
    page = text(r)
    for message in ("请填写举报内容", "实名举报须填写举报人姓名", "校验位不正确", "网络传销举报须填写"):
        assert message in page
    with services.db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Complaint)) == 0


def test_accept_from_the_task_page_and_reply_with_the_logged_complainant(services, login_as):
    market = login_as("wjs_market1")
    complaint_id = record(market)
    inst = row(services, complaint_id).instance_id
    r = submit(market, ready_task(services, inst, "accept"),
               {"jurisdiction_clear": "yes", "responsible_unit": "market", "accept_note": "辖区明确，交市场监管"})
    assert r.status_code == 302
    other = login_as("wjs_market2")
    r = submit(other, ready_task(services, inst, "investigate_market"),
               {"finding": "现场已无人员", "open_case": "no", "case_address": ""})
    assert r.status_code == 302
    r = submit(other, ready_task(services, inst, "result_market"), {"result": "经查不属实", "effective": "no"})
    assert r.status_code == 302
    # Only the first receiver answers the complainant, and only the reply page shows who that is.
    assert "答复举报人" in text(market.get(f"/complaints/{complaint_id}"))
    assert other.get(f"/complaints/{complaint_id}/reply").status_code == 403
    task_page = text(market.get(f"/tasks/{ready_task(services, inst, 'reply')}"))
    assert f"/complaints/{complaint_id}/reply" in task_page and NAME not in task_page
    assert audit(services, inst, "identity_viewed") == []
    page = text(market.get(f"/complaints/{complaint_id}/reply"))
    assert NAME in page and PHONE in page and ID_NUMBER not in page
    assert forms_without_token(page) == []  # the reply's form carries the token
    [viewed] = audit(services, inst, "identity_viewed")
    assert viewed.actor_id == user_id(services, "wjs_market1")
    task_id = re.search(r'action="/tasks/([0-9a-f-]{36})"', page).group(1)
    r = submit(market, task_id, {"replied_on": "2026-11-23", "reply_method": "phone", "reply": "已电话答复"})
    assert r.status_code == 302
    assert complaints.status(services, complaint_id)["status"] == "closed"
    assert market.get(f"/complaints/{complaint_id}/reply").status_code == 404


def test_an_api_complaint_is_accepted_through_the_task_page_by_the_intake_desk(services, login_as, lookup):
    token = complaints.create_api_client(services, "12315平台", lookup.area("吴家山街"))
    client_name = complaints.authenticate(services, token).name
    status, _ = complaints.submit(services, client_name, "A-1", {"channel": "12315", "content": "有人拉人头",
                                                                "anonymous": True})
    with services.db.read() as s:
        c = s.scalar(sa.select(Complaint).where(Complaint.client_reference == "A-1"))
    intake = login_as("wjs_intake")
    r = submit(intake, ready_task(services, c.instance_id, "accept"),
               {"jurisdiction_clear": "no", "responsible_unit": "", "accept_note": "地址不明，先行处置"})
    assert r.status_code == 302
    assert row(services, c.id).first_receiver_id == user_id(services, "wjs_intake")
    with services.db.read() as s:
        handling = s.scalar(sa.select(HumanTask).where(HumanTask.instance_id == c.instance_id,
                                                       HumanTask.task_name == "first_handling"))
    assert handling.assignee_id == user_id(services, "wjs_intake")


def test_an_anonymous_complainant_is_revealed_only_to_a_supervisor_with_a_reason(services, login_as):
    market = login_as("wjs_market1")
    complaint_id = record(market, anonymous="y", complainant_name="", complainant_phone="13700001111",
                          complainant_id_number="")
    inst = row(services, complaint_id).instance_id
    assert "13700001111" not in text(market.get(f"/complaints/{complaint_id}"))
    assert market.post(f"/complaints/{complaint_id}/reveal", data={"reason": "办案需要"}).status_code == 403
    leader = login_as("wjs_leader")
    page = text(leader.get(f"/complaints/{complaint_id}"))
    assert "查看匿名举报人信息" in page and "13700001111" not in page
    r = leader.post(f"/complaints/{complaint_id}/reveal", data={"reason": ""})
    assert r.status_code == 422 and "请填写查看理由" in text(r)
    assert audit(services, inst, "identity_viewed") == []
    r = leader.post(f"/complaints/{complaint_id}/reveal", data={"reason": "核实是否为利害关系人"})
    assert r.status_code == 200 and "记入审计日志" in text(r)
    [event] = audit(services, inst, "identity_viewed")
    assert event.details["reason"] == "核实是否为利害关系人" and event.actor_id == user_id(services, "wjs_leader")


def test_ledger_export_reads_back_with_chinese_headers_and_a_period(services, login_as, clock):
    market = login_as("wjs_market1")
    record(market)
    clock.advance(days=3)
    record(market, content="第二件举报：网络平台拉人头")
    r = market.get("/complaints/export.xlsx")
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in r.headers["Content-Disposition"] and "UTF-8''" in r.headers["Content-Disposition"]
    ws = load_workbook(io.BytesIO(r.data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("受理编号", "受理时间", "渠道", "举报内容") and len(rows) == 3
    assert all(NAME not in str(v) for r_ in rows for v in r_)
    today = (clock.now().date()).isoformat()
    r = market.get(f"/complaints/export.xlsx?since={today}&until={today}")
    assert len(list(load_workbook(io.BytesIO(r.data)).active.iter_rows())) == 2
    page = text(market.get(f"/complaints?since={today}"))
    assert "第二件举报" in page and "花园小区有外地人员" not in page
    assert market.get("/complaints?since=not-a-date").status_code == 200


def test_another_streets_officer_sees_nothing_by_url_post_or_download(services, login_as):
    complaint_id = record(login_as("wjs_market1"), anonymous="y", complainant_name="")
    jyh = login_as("jyh_market")
    reference = row(services, complaint_id).reference
    assert jyh.get(f"/complaints/{complaint_id}").status_code == 404
    assert jyh.get(f"/complaints/{complaint_id}/reply").status_code == 404
    assert reference not in text(jyh.get("/complaints"))
    ws = load_workbook(io.BytesIO(jyh.get("/complaints/export.xlsx").data)).active
    assert len(list(ws.iter_rows())) == 1  # headers only
    jyh_police = login_as("jyh_police")
    assert jyh_police.post(f"/complaints/{complaint_id}/reveal", data={"reason": "x"}).status_code == 403
    with pytest.raises(Exception):
        complaints.view(services, complaint_id, user_id(services, "jyh_market"))


def test_admin_creates_an_api_client_and_sees_its_token_once(services, login_as):
    admin = login_as("admin")
    r = admin.post("/admin/api-clients", data={"name": "12315平台", "area": "东西湖区"})
    assert r.status_code == 200
    token = re.search(r'<code class="token"[^>]*>([^<]+)</code>', text(r)).group(1)
    assert complaints.authenticate(services, token).name == "12315平台"
    page = text(admin.get("/admin/api-clients"))
    assert "12315平台" in page and token not in page
    r = admin.post("/admin/api-clients", data={"name": "12315平台", "area": "东西湖区"})
    assert r.status_code == 422 and "已有同名" in text(r)
    assert login_as("wjs_market1").get("/admin/api-clients").status_code == 403
