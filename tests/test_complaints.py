"""Complaint intake (首接负责): every path of complaint_intake.bpmn, identities, repeat reports and the API."""
import json

import pytest
import sqlalchemy as sa

from engine_helpers import ROOM
from workflows.audit.models import AuditEvent
from workflows.complaints import service as complaints
from workflows.complaints.models import Complaint
from workflows.engine.models import HumanTask, ProcessInstance
from workflows.exceptions import PermissionDenied, ValidationFailed
from workflows.matters.hooks import raise_overdue_matters
from workflows.org.accounts import add_user
from workflows.org.models import Area

NAME, PHONE, ID_NUMBER = "举报人王小明", "13911112222", "420106199001011231"


def report(**kw):
    data = {"channel": "phone", "content": "某小区有外地人员聚集上课，疑似传销", "address": ROOM,
            "anonymous": False, "complainant_name": NAME, "complainant_phone": PHONE,
            "complainant_id_number": ID_NUMBER}
    data.update(kw)
    return data


class Driver:
    def __init__(self, services, lookup):
        self.services, self.lookup, self.workflow = services, lookup, services.workflow

    def record(self, username="wjs_market1", **kw) -> dict:
        return complaints.record(self.services, self.lookup.user(username), report(**kw))

    def ready(self, instance_id) -> dict:
        with self.services.db.read() as s:
            return {t.task_name: t for t in s.scalars(sa.select(HumanTask).where(
                HumanTask.instance_id == instance_id, HumanTask.state == "ready"))}

    def do(self, instance_id, task_name, data, username):
        task = self.ready(instance_id)[task_name]
        if task_name == "accept":
            return complaints.accept(self.services, task.id, data, self.lookup.user(username))
        return self.workflow.complete(task.id, data, self.lookup.user(username))

    def instance(self, instance_id) -> ProcessInstance:
        with self.services.db.read() as s:
            return s.get(ProcessInstance, instance_id)

    def row(self, complaint_id) -> Complaint:
        with self.services.db.read() as s:
            return s.get(Complaint, complaint_id)

    def audit(self, instance_id, kind):
        with self.services.db.read() as s:
            return list(s.scalars(sa.select(AuditEvent.details).where(
                AuditEvent.instance_id == instance_id, AuditEvent.kind == kind).order_by(AuditEvent.id)))


@pytest.fixture
def driver(services, lookup):
    return Driver(services, lookup)


def result(effective=False, reward=False, **kw):
    return dict({"result": "经查属实，已责令停止" if effective else "经查不属实", "effective": effective,
                 "reward_proposed": reward}, **kw)


def test_clear_jurisdiction_goes_to_the_unit_and_closes_with_a_reply(driver, lookup):
    c = driver.record()
    inst = c["instance_id"]
    accept = driver.ready(inst)["accept"]
    assert accept.assignee_id == lookup.user("wjs_market1")  # the recorder is the first receiver
    driver.do(inst, "accept", {"jurisdiction_clear": True, "responsible_unit": "market"}, "wjs_market1")
    task = driver.ready(inst)["investigate_market"]
    assert (task.role, task.assignee_id) == ("market", None)
    driver.do(inst, "investigate_market", {"finding": "现场已无人员", "open_case": False}, "wjs_market2")
    driver.do(inst, "result_market", result(), "wjs_market2")
    reply = driver.ready(inst)["reply"]
    assert reply.assignee_id == lookup.user("wjs_market1")  # 首接负责: the reply comes back to the first receiver
    with pytest.raises(PermissionDenied):
        driver.do(inst, "reply", {"reply": "x"}, "wjs_market2")
    driver.do(inst, "reply", {"reply": "已电话答复举报人"}, "wjs_market1")
    assert driver.instance(inst).end_event == "end_closed"
    status = complaints.status(driver.services, c["id"])
    assert status["status"] == "closed" and status["result"] == "经查不属实" and status["replied"]


def test_unclear_jurisdiction_first_handles_then_transfers_to_the_police(driver, services, lookup):
    c = driver.record(anonymous=True, complainant_name="", complainant_phone="", complainant_id_number="")
    inst = c["instance_id"]
    driver.do(inst, "accept", {"jurisdiction_clear": False, "responsible_unit": ""}, "wjs_market1")
    handling = driver.ready(inst)["first_handling"]
    assert handling.assignee_id == lookup.user("wjs_market1")
    driver.do(inst, "first_handling", {"handling": "先行到场劝散聚集人员", "responsible_unit": "police",
                                       "transfer_reason": "涉嫌组织领导传销活动罪"}, "wjs_market1")
    # The receiving unit sees it at once, and the hand-over is audited.
    police_inbox = {t.task_name for t in services.workflow.ready_tasks_for(lookup.user("wjs_police1"))}
    assert "investigate_police" in police_inbox
    [transfer] = driver.audit(inst, "transferred")
    assert transfer["to_unit"] == "police" and transfer["reason"] == "涉嫌组织领导传销活动罪"
    assert driver.row(c["id"]).responsible_unit == "police" and driver.row(c["id"]).transferred_at

    driver.do(inst, "investigate_police", {"finding": "发现窝点", "open_case": True}, "wjs_police1")
    complaint = driver.row(c["id"])
    case = driver.instance(complaint.linked_instance_id)
    assert case.process_id == "six_step_case" and case.parent_instance_id == inst
    assert case.area_id == lookup.area(ROOM)
    assert services.workflow.instance_view(case.id).data["complaint_reference"] == c["reference"]
    assert services.workflow.instance_view(inst).last_data["linked_case"]["reference"] == case.reference

    driver.do(inst, "result_police", result(effective=True), "wjs_police2")
    # Anonymous: no reply step, and nothing to reward.
    assert driver.instance(inst).end_event == "end_closed"
    kinds = [k for k in driver.audit(inst, "completed")]
    assert [k["task"] for k in kinds] == ["accept", "first_handling", "investigate_police", "result_police"]


def test_an_overdue_stage_raises_a_five_contracts_matter_for_the_address(driver, services, clock, lookup):
    c = driver.record()
    clock.advance(hours=23)
    assert raise_overdue_matters(services.workflow) == 0
    clock.advance(hours=1, minutes=1)  # acceptance has 24 hours
    assert raise_overdue_matters(services.workflow) == 1
    with services.db.read() as s:
        matter = s.scalar(sa.select(ProcessInstance).where(ProcessInstance.parent_instance_id == c["instance_id"]))
    assert matter.process_id == "five_contracts" and matter.area_id == lookup.area(ROOM) and matter.level == 1
    # The investigation stage has its own, longer deadline.
    driver.do(c["instance_id"], "accept", {"jurisdiction_clear": True, "responsible_unit": "market"}, "wjs_market1")
    clock.advance(days=14)
    assert raise_overdue_matters(services.workflow) == 0
    clock.advance(days=1, minutes=1)
    assert raise_overdue_matters(services.workflow) == 1


@pytest.mark.parametrize("approved, end, status, amount", [
    (True, "end_rewarded", "approved", 500), (False, "end_reward_rejected", "rejected", 0)])
def test_reward_is_approved_or_rejected_by_a_supervisor(driver, approved, end, status, amount):
    c = driver.record()
    inst = c["instance_id"]
    driver.do(inst, "accept", {"jurisdiction_clear": True, "responsible_unit": "market"}, "wjs_market1")
    driver.do(inst, "investigate_market", {"finding": "查实", "open_case": False}, "wjs_market2")
    driver.do(inst, "result_market", result(effective=True, reward=True, reward_amount=500), "wjs_market2")
    driver.do(inst, "reply", {"reply": "已答复"}, "wjs_market1")
    task = driver.ready(inst)["approve_reward"]
    assert task.role == "supervisor"
    with pytest.raises(PermissionDenied):
        driver.do(inst, "approve_reward", {"reward_approved": True, "approval_note": ""}, "wjs_market2")
    driver.do(inst, "approve_reward", {"reward_approved": approved, "approval_note": "依规"}, "wjs_leader")
    assert driver.instance(inst).end_event == end
    row = driver.row(c["id"])
    assert (row.reward_status, row.reward_amount) == (status, amount)
    [decision] = driver.audit(inst, "reward_decided")
    assert decision["approved"] is approved


def test_an_ineffective_report_is_not_offered_for_a_reward(driver):
    c = driver.record()
    inst = c["instance_id"]
    driver.do(inst, "accept", {"jurisdiction_clear": True, "responsible_unit": "market"}, "wjs_market1")
    driver.do(inst, "investigate_market", {"finding": "不实", "open_case": False}, "wjs_market2")
    driver.do(inst, "result_market", result(effective=False, reward=True), "wjs_market2")
    driver.do(inst, "reply", {"reply": "已答复"}, "wjs_market1")
    assert driver.instance(inst).end_event == "end_closed"


def test_anonymous_identity_is_stored_but_never_shown(driver, services, lookup):
    c = driver.record(anonymous=True)
    assert driver.row(c["id"]).complainant_name == NAME  # stored
    shown = complaints.view(services, c["id"], lookup.user("wjs_market1"), include_identity=True)
    assert shown["complainant"] == "匿名" and "complainant_name" not in shown
    assert NAME not in json.dumps(complaints.status(services, c["id"]), ensure_ascii=False)
    # Neither the workflow data nor the audit log ever held it.
    data = services.workflow.instance_view(c["instance_id"]).data
    assert NAME not in json.dumps(data, ensure_ascii=False) and PHONE not in json.dumps(data)
    with services.db.read() as s:
        logged = json.dumps(list(s.scalars(sa.select(AuditEvent.details))), ensure_ascii=False, default=str)
    assert NAME not in logged and PHONE not in logged and ID_NUMBER not in logged
    rows = complaints.ledger(services, lookup.user("wjs_leader"))
    assert NAME not in json.dumps(rows, ensure_ascii=False, default=str)
    with pytest.raises(PermissionDenied):
        complaints.reveal_anonymous(services, c["id"], lookup.user("wjs_market1"), "核实")
    revealed = complaints.reveal_anonymous(services, c["id"], lookup.user("wjs_leader"), "查证诬告")
    assert revealed["complainant_name"] == NAME
    assert driver.audit(c["instance_id"], "identity_viewed")[0]["reason"] == "查证诬告"


def test_real_name_identity_only_on_request_and_logged(driver, services, lookup):
    c = driver.record()
    viewer = lookup.user("wjs_market1")
    assert "complainant_phone" not in complaints.view(services, c["id"], viewer)
    assert complaints.view(services, c["id"], viewer, include_identity=True)["complainant_phone"] == PHONE
    assert len(driver.audit(c["instance_id"], "identity_viewed")) == 1
    with pytest.raises(Exception):  # another street's officer does not even see it exists
        complaints.view(services, c["id"], lookup.user("jyh_market"))


def test_repeated_online_reports_open_one_investigation_at_the_threshold(driver, services):
    assert services.settings.online_mlm_report_threshold == 3
    for name in ("XX优选商城", "xx 优选商城", "XX优选商城 "):
        driver.record(channel="online", online_mlm=True, subject_name=name, address="")
    with services.db.read() as s:
        auto = s.scalars(sa.select(Complaint).where(Complaint.content.like("%自动立案调查%"))).all()
    assert len(auto) == 1
    ready = driver.ready(auto[0].instance_id)
    assert set(ready) == {"investigate_market"}  # straight to the investigating unit
    driver.record(channel="online", online_mlm=True, subject_name="XX优选商城", address="")
    with services.db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Complaint)
                        .where(Complaint.content.like("%自动立案调查%"))) == 1


def test_bad_reports_are_refused_with_every_reason(driver):
    with pytest.raises(ValidationFailed) as info:
        driver.record(channel="fax", content=" ", complainant_name="", complainant_id_number="420106199001011234",
                      online_mlm=True, subject_name="")
    assert set(info.value.errors) == {"channel", "content", "complainant_name", "complainant_id_number",
                                      "subject_name"}


@pytest.fixture
def receiver(services, lookup):
    with services.db.unit_of_work() as s:
        street = s.get(Area, lookup.area("吴家山街"))
        return add_user(s, "wjs_receiver", "pw-receiver-1", "受理人 刘晓燕", "receiver", street).id


def test_api_submission_is_idempotent_and_the_accepting_officer_becomes_first_receiver(driver, services, lookup,
                                                                                        receiver):
    token = complaints.create_api_client(services, "12315平台", area_id=lookup.area("吴家山街"))
    client = complaints.authenticate(services, token)
    with pytest.raises(PermissionDenied):
        complaints.authenticate(services, "wrong-token")
    body = report(channel="12315", anonymous=True)
    first, created = complaints.submit(services, client.name, "12315-2026-0001", body)
    again, created_again = complaints.submit(services, client.name, "12315-2026-0001", body)
    assert created and not created_again and first["reference"] == again["reference"]
    with services.db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Complaint)) == 1
    with pytest.raises(complaints.IdempotencyConflict):
        complaints.submit(services, client.name, "12315-2026-0001", dict(body, content="另一件事"))
    with pytest.raises(ValidationFailed):
        complaints.submit(services, client.name, "", body)
    assert complaints.client_status(services, client.name, "12315-2026-0001")["status"] == "open"

    row = driver.row(1)
    accept = driver.ready(row.instance_id)["accept"]
    assert accept.assignee_id is None and accept.role == "receiver"
    complaints.accept(services, accept.id, {"jurisdiction_clear": False, "responsible_unit": ""}, receiver)
    assert driver.row(1).first_receiver_id == receiver
    assert driver.ready(row.instance_id)["first_handling"].assignee_id == receiver
    with pytest.raises(ValidationFailed):
        c2 = driver.record()
        complaints.accept(services, driver.ready(c2["instance_id"])["accept"].id,
                          {"jurisdiction_clear": True, "responsible_unit": ""}, lookup.user("wjs_market1"))


def test_over_long_text_is_refused_with_the_limit_not_a_database_error(driver, services):
    with pytest.raises(ValidationFailed) as info:
        driver.record(address="吴家山街" * 100, complainant_name="张" * 65, subject_name="平台" * 150,
                      online_mlm=True)
    assert info.value.errors["address"] == ["不能超过 300 个字"]
    assert info.value.errors["complainant_name"] == ["不能超过 64 个字"]
    assert "subject_name" in info.value.errors
    with services.db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Complaint)) == 0


def test_a_complainant_born_before_their_county_code_is_accepted(driver):
    created = driver.record(complainant_id_number="420106197801011230")
    assert created["reference"]
