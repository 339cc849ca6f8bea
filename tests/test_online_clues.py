"""Online MLM clues (四步工作法): every path of online_clue.bpmn, the criminal threshold, the ledger's checks,
the links to platforms and penalties, repeated complaints joining their clue, access and the export."""
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from engine_helpers import Lookup
from pf_helpers import Creation, name_platform
from workflows.audit.models import AuditEvent
from workflows.complaints import service as complaints
from workflows.config import Settings
from workflows.engine.models import HumanTask, ProcessInstance
from workflows.exceptions import NotFound, PermissionDenied, ValidationFailed
from workflows.online_clues import queries
from workflows.online_clues import service as clues
from workflows.online_clues.hooks import reaches_threshold
from workflows.online_clues.models import OnlineClue, OnlineClueLink
from workflows.org.models import Area
from workflows.penalties.models import PenaltyCase
from workflows.penalties.steps import terms_for

CREDIT_CODE = "91110000600037341L"  # a well-formed 统一社会信用代码 (check digit correct)


def penalty_procedures(services) -> list[PenaltyCase]:
    with services.db.read() as s:
        return list(s.scalars(sa.select(PenaltyCase).order_by(PenaltyCase.id)))


def overdue_matter(services, instance_id: int, task_name: str) -> int | None:
    with services.db.read() as s:
        return s.scalar(sa.select(HumanTask.overdue_matter_id).where(
            HumanTask.instance_id == instance_id, HumanTask.task_name == task_name))


def clue_fields(**kw):
    data = {"source": "monitoring", "received_on": "2026-01-05", "scheme_name": "百富优选",
            "aliases": "百富商城\n百富 优选\n百富商城", "urls": "https://baifu.example.cn/invite?code=1",
            "app_ids": "wx1234567890abcdef", "platform_name": "某某短视频平台", "platform_credit_code": CREDIT_CODE,
            "summary": "直播间宣传“拉三人回本、三级返利”，疑似网络传销。"}
    data.update(kw)
    return data


class ClueDriver:
    def __init__(self, services, lookup):
        self.services, self.lookup = services, lookup

    def record(self, username="wjs_market1", **kw) -> dict:
        return clues.record(self.services, self.lookup.user(username), clue_fields(**kw))

    def ready(self, instance_id) -> dict:
        with self.services.db.read() as s:
            return {t.task_name: t for t in s.scalars(sa.select(HumanTask).where(
                HumanTask.instance_id == instance_id, HumanTask.state == "ready"))}

    def do(self, instance_id, task_name, data, username):
        task = self.ready(instance_id)[task_name]
        return self.services.workflow.complete(task.id, data, self.lookup.user(username))

    def clue(self, clue_id) -> OnlineClue:
        with self.services.db.read() as s:
            return s.get(OnlineClue, clue_id)

    def instance(self, instance_id) -> ProcessInstance:
        with self.services.db.read() as s:
            return s.get(ProcessInstance, instance_id)

    def links(self, clue_id) -> list[OnlineClueLink]:
        with self.services.db.read() as s:
            return list(s.scalars(sa.select(OnlineClueLink).where(OnlineClueLink.clue_id == clue_id)
                                  .order_by(OnlineClueLink.id)))

    def audit_kinds(self, instance_id) -> list[str]:
        with self.services.db.read() as s:
            return list(s.scalars(sa.select(AuditEvent.kind).where(AuditEvent.instance_id == instance_id)
                                  .order_by(AuditEvent.id)))

    def to_report(self, c, members=12, levels=2):
        """线上监测 and 线下实证 of a clue that is confirmed."""
        inst = c["instance_id"]
        self.do(inst, "monitor", {"suspected": True, "monitoring_note": "直播间宣传拉人头返利"}, "wjs_market1")
        self.do(inst, "verify", {"confirmed": True, "verification_note": "走访核实，查获上线名单",
                                 "member_count": members, "levels": levels}, "wjs_market2")

    def report(self, c, tier, **kw):
        data = {"tier": tier, "report_note": "已逐级上报区打传办", "party_kind": "organisation", "party_name": "",
                "party_code": "", "penalty_facts": ""}
        data.update(kw)
        return self.do(c["instance_id"], "report_up", data, "wjs_leader")

    def aftermath(self, c, risk="low"):
        self.do(c["instance_id"], "aftermath", {"victim_count": 8, "victims_note": "逐一回访，劝返 3 人",
                                                "mass_incident_risk": risk}, "wjs_market1")


@pytest.fixture
def driver(services, lookup):
    return ClueDriver(services, lookup)


# ---------------------------------------------------------------- every path of the diagram
def test_a_clue_starts_at_monitoring_and_can_be_set_aside(driver):
    c = driver.record()
    assert c["reference"].startswith("XS")
    task = driver.ready(c["instance_id"])["monitor"]
    assert (task.role, task.title) == ("market", "线上监测")
    assert driver.clue(c["id"]).status == "monitoring"
    driver.do(c["instance_id"], "monitor", {"suspected": False, "monitoring_note": "正常分销，不涉传"}, "wjs_market1")
    assert driver.instance(c["instance_id"]).end_event == "end_dismissed"
    clue = driver.clue(c["id"])
    assert clue.status == "dismissed" and clue.closed_at is not None


def test_offline_verification_that_finds_nothing_ends_the_clue(driver):
    c = driver.record()
    driver.do(c["instance_id"], "monitor", {"suspected": True, "monitoring_note": "疑似"}, "wjs_market1")
    assert driver.clue(c["id"]).status == "verifying"
    driver.do(c["instance_id"], "verify", {"confirmed": False, "verification_note": "查无实据",
                                           "member_count": 0, "levels": 0}, "wjs_market2")
    assert driver.instance(c["instance_id"]).end_event == "end_not_confirmed"
    assert driver.clue(c["id"]).status == "dismissed"


def test_interview_tier_then_aftermath_closes_the_clue(driver):
    c = driver.record()
    driver.to_report(c, members=12, levels=2)
    clue = driver.clue(c["id"])
    assert (clue.member_count, clue.levels, clue.criminal_threshold_reached) == (12, 2, False)
    report = driver.ready(c["instance_id"])["report_up"]
    assert report.role == "supervisor"  # reporting up: the street's supervisor decides the tier
    driver.report(c, "interview")
    assert driver.clue(c["id"]).status == "handling"
    driver.do(c["instance_id"], "interview", {"measure": "warning", "counterpart": "平台运营负责人",
                                              "interview_note": "责令下架相关直播间"}, "wjs_market1")
    assert driver.clue(c["id"]).status == "aftermath"
    driver.aftermath(c, "low")
    inst = driver.instance(c["instance_id"])
    assert (inst.status, inst.end_event) == ("completed", "end_closed")
    clue = driver.clue(c["id"])
    assert (clue.status, clue.tier, clue.victim_count, clue.mass_incident_risk) == ("closed", "interview", 8, "low")


def test_penalty_tier_opens_the_penalty_procedure_against_the_organisation(driver, services):
    c = driver.record()
    driver.to_report(c)
    with pytest.raises(ValidationFailed) as info:
        driver.report(c, "penalty")
    assert "party_name" in info.value.errors
    with pytest.raises(ValidationFailed) as info:  # a company's code that fails its check digit
        driver.report(c, "penalty", party_name="某某科技有限公司", party_code="91110000600037341X")
    assert "统一社会信用代码" in info.value.errors["party_code"][0]
    assert penalty_procedures(services) == []  # nothing was opened by the refused attempts
    driver.report(c, "penalty", party_name="某某科技有限公司", party_code=CREDIT_CODE,
                  penalty_facts="以拉人头计酬，发展下线 12 人")
    (link,) = [link for link in driver.links(c["id"]) if link.kind == "penalty"]
    (row,) = penalty_procedures(services)
    assert link.target_id == row.instance_id and row.source_instance_id == c["instance_id"]
    assert (row.party_name, row.party_kind, row.party_id_number, row.role) == (
        "某某科技有限公司", "organisation", CREDIT_CODE, "organiser")
    assert row.facts == "以拉人头计酬，发展下线 12 人"
    procedure = driver.instance(row.instance_id)
    assert procedure.process_id == "penalty_procedure" and procedure.parent_instance_id == c["instance_id"]
    assert procedure.area_id == driver.instance(c["instance_id"]).area_id  # the clue's street handles it
    # The penalty procedure applies the organisations' hearing threshold to it.
    with services.db.read() as s:
        terms = terms_for(services.workflow.context(s))
        assert terms.hearing_threshold(row.party_kind) == services.settings.hearing_threshold_organisation
    assert "approve_filing" in driver.ready(row.instance_id)  # 立案 is the head's to decide
    assert "clue_link_made" in driver.audit_kinds(c["instance_id"])
    assert "penalty_started" in driver.audit_kinds(c["instance_id"])
    timeline = [e["what"] for e in queries.view(services, driver.lookup.user("wjs_market1"), c["id"])["timeline"]]
    assert f"启动行政处罚程序：某某科技有限公司（{procedure.reference}）" in timeline
    assert set(driver.ready(c["instance_id"])) == {"aftermath"}
    driver.aftermath(c)
    assert driver.clue(c["id"]).status == "closed"


def test_a_person_behind_the_scheme_is_the_party_by_their_id_number(driver, services):
    c = driver.record()
    driver.to_report(c)
    with pytest.raises(ValidationFailed) as info:  # a company's code is not a person's ID number
        driver.report(c, "penalty", party_kind="person", party_name="王某", party_code=CREDIT_CODE)
    assert "party_code" in info.value.errors
    driver.report(c, "penalty", party_kind="person", party_name="王某", party_code="420106199001011231")
    (row,) = penalty_procedures(services)
    assert (row.party_name, row.party_kind, row.party_id_number) == ("王某", "person", "420106199001011231")
    assert row.facts == driver.clue(c["id"]).summary  # without facts of its own, the clue's summary


def test_at_the_criminal_threshold_the_organisation_goes_to_the_police(driver):
    c = driver.record()
    driver.to_report(c, members=30, levels=3)  # "以上" includes the number
    assert driver.clue(c["id"]).criminal_threshold_reached
    with pytest.raises(ValidationFailed) as info:
        driver.report(c, "interview")
    assert "应移送公安机关" in info.value.errors["tier"][0]
    driver.report(c, "criminal")
    driver.do(c["instance_id"], "transfer_police", {"transfer_letter_no": "东市监移〔2026〕1号",
                                                    "transferred_on": "2026-01-06", "materials": "调查报告、名单"},
              "wjs_market1")
    receipt = driver.ready(c["instance_id"])["police_receipt"]
    assert receipt.role == "police"
    driver.do(c["instance_id"], "police_receipt", {"police_accepted": True, "police_case_no": "东公刑〔2026〕8号",
                                                   "receipt_note": "已立案侦查"}, "wjs_police1")
    driver.aftermath(c, "high")
    plan = driver.ready(c["instance_id"])["stability_plan"]  # a high risk of mass incidents needs a plan
    assert plan.role == "supervisor"
    driver.do(c["instance_id"], "stability_plan", {"stability_plan": "成立工作专班，分批约谈受害人"}, "wjs_leader")
    clue = driver.clue(c["id"])
    assert (clue.status, clue.tier, clue.mass_incident_risk) == ("closed", "criminal", "high")


@pytest.mark.parametrize("members,levels", [(29, 3), (30, 2)])
def test_below_the_threshold_the_police_transfer_is_refused(driver, members, levels):
    c = driver.record()
    driver.to_report(c, members=members, levels=levels)
    assert not driver.clue(c["id"]).criminal_threshold_reached
    with pytest.raises(ValidationFailed) as info:
        driver.report(c, "criminal")
    assert "未达刑事追诉标准" in info.value.errors["tier"][0]
    assert set(driver.ready(c["instance_id"])) == {"report_up"}  # nothing was saved


def test_the_threshold_is_configuration():
    assert reaches_threshold(Settings.load(), 30, 3) and not reaches_threshold(Settings.load(), 29, 5)
    lower = Settings.load({"criminal_threshold_members": 20})
    assert reaches_threshold(lower, 20, 3)
    with pytest.raises(ValueError):
        Settings.load({"criminal_threshold_levels": 0})


# ---------------------------------------------------------------- platform re-inspection
def test_a_confirmed_clue_against_a_named_platform_opens_its_reinspection(driver, services, lookup):
    platform_id, naming_id = name_platform(services, lookup, CREDIT_CODE)
    c = driver.record(platform_credit_code="9111 0000 6000 3734 1l")  # as typed: spaced, lower case
    driver.to_report(c)
    (link,) = driver.links(c["id"])
    assert (link.kind, link.payload["platform_id"], link.payload["naming_id"]) == (
        "reinspection", platform_id, naming_id)
    watch = driver.instance(link.target_id)
    assert watch.process_id == "pyramid_free_watch" and Creation(services, lookup).watch(naming_id) == watch.id
    assert c["reference"] in watch.title  # the namer sees why
    assert "reinspect" in driver.ready(watch.id)
    assert "clue_link_made" in driver.audit_kinds(c["instance_id"])
    # A second confirmed clue against the same platform joins the re-inspection under way.
    other = driver.record(scheme_name="另一个项目")
    driver.to_report(other)
    assert driver.links(other["id"])[0].target_id == watch.id


def test_a_code_not_named_in_the_register_opens_no_reinspection(driver, services, lookup):
    c = driver.record()  # the register is empty
    driver.to_report(c)
    assert driver.links(c["id"]) == []
    assert "clue_platform_not_named" in driver.audit_kinds(c["instance_id"])
    name_platform(services, lookup, CREDIT_CODE, named=False)  # registered, never named: no namer answers
    registered = driver.record()
    driver.to_report(registered)
    assert driver.links(registered["id"]) == []
    assert "clue_platform_not_named" in driver.audit_kinds(registered["instance_id"])
    other = driver.record(platform_name="", platform_credit_code="")
    driver.to_report(other)
    assert driver.links(other["id"]) == []  # no platform named: nothing to re-inspect
    assert "clue_platform_not_named" not in driver.audit_kinds(other["instance_id"])


def test_an_overdue_clue_step_raises_a_five_contracts_matter(driver, services, clock):
    c = driver.record()
    clock.advance(days=2)
    services.workflow.run_worker_once()
    assert overdue_matter(services, c["instance_id"], "monitor") is None  # 3 days to monitor
    clock.advance(days=1, hours=1)
    services.workflow.run_worker_once()
    matter = overdue_matter(services, c["instance_id"], "monitor")
    assert matter is not None
    inst = driver.instance(matter)
    assert inst.process_id == "five_contracts" and c["reference"] in inst.title
    assert "overdue_raised" in driver.audit_kinds(c["instance_id"])
    (event,) = [e for e in queries.view(services, driver.lookup.user("wjs_market1"), c["id"])["timeline"]
                if e["kind"] == "overdue_raised"]
    assert event["what"] == f"“线上监测”逾期上报（{inst.reference}）"  # the clue's timeline says where it went


# ---------------------------------------------------------------- the ledger's checks
def test_bad_credit_code_and_future_date_are_refused_with_clear_messages(driver, services):
    today = clues.local_today(services.workflow.now())
    with pytest.raises(ValidationFailed) as info:
        driver.record(platform_credit_code="91110000600037341X",
                      received_on=(today + timedelta(days=1)).isoformat(), scheme_name=" ")
    errors = info.value.errors
    assert errors["platform_credit_code"] == ["统一社会信用代码校验位不正确，请核对是否抄错"]
    assert errors["received_on"] == [f"接收日期不能晚于今天（{today.isoformat()}）"]
    assert "scheme_name" in errors
    with pytest.raises(ValidationFailed) as info:
        driver.record(platform_credit_code="1234", received_on="2026/01/05")
    assert info.value.errors["platform_credit_code"] == ["统一社会信用代码应为 18 位"]
    assert info.value.errors["received_on"] == ["日期格式应为 2026-11-23"]
    with services.db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(OnlineClue)) == 0
    c = driver.record(received_on=today.isoformat(), platform_credit_code="9111 0000 6000 3734 1l")
    assert driver.clue(c["id"]).platform_credit_code == CREDIT_CODE  # spaces and case forgiven


def test_only_clue_officers_record_and_every_change_is_audited(driver, services, lookup):
    with pytest.raises(PermissionDenied):
        driver.record(username="wjs_grid")
    c = driver.record()
    assert driver.clue(c["id"]).aliases == "百富商城\n百富 优选"  # each alias once
    clues.update(services, lookup.user("wjs_market2"), c["id"], clue_fields(aliases="百富商城\n百富会员"),
                 [{"sha256": "a" * 64, "name": "截图1.png", "content_type": "image/png", "size": 10}])
    with services.db.read() as s:
        details = s.scalars(sa.select(AuditEvent.details).where(AuditEvent.kind == "clue_updated")).one()
    assert details["changes"]["aliases"] == {"before": "百富商城\n百富 优选", "after": "百富商城\n百富会员"}
    assert details["changes"]["screenshots"]["after"] == ["截图1.png"]


# ---------------------------------------------------------------- repeated complaints
def report(name):
    return {"channel": "online", "content": f"{name}拉人头返利", "address": "", "anonymous": True,
            "online_mlm": True, "subject_name": name, "subject_kind": "platform"}


def test_repeated_complaints_open_a_clue_at_the_threshold_and_join_it(services, lookup, driver):
    market = lookup.user("wjs_market1")
    assert services.settings.online_mlm_report_threshold == 3
    for _ in range(2):
        complaints.record(services, market, report("金元宝商城"))
    with services.db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(OnlineClue)) == 0  # below the threshold
    complaints.record(services, market, report("金元宝 商城"))
    with services.db.read() as s:
        (clue,) = s.scalars(sa.select(OnlineClue)).all()
    assert (clue.source, clue.scheme_name, clue.platform_name, clue.status) == (
        "complaint", "金元宝商城", "金元宝商城", "monitoring")
    assert {link.kind for link in driver.links(clue.id)} == {"complaint"}
    first = len(driver.links(clue.id))
    assert first == 4  # the three reports and the automatic investigation the complaints domain opened
    complaints.record(services, market, report("金元宝商城"))
    assert len(driver.links(clue.id)) == first + 1
    with services.db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(OnlineClue)) == 1


def test_repeated_complaints_join_an_existing_clue_by_its_alias(services, lookup, driver):
    c = driver.record(scheme_name="百富优选", aliases="百富商城")
    for _ in range(3):
        complaints.record(services, lookup.user("wjs_market1"), report("百富 商城"))
    with services.db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(OnlineClue)) == 1
    assert len(driver.links(c["id"])) == 4
    view = queries.view(services, lookup.user("wjs_market1"), c["id"])
    assert [e["what"] for e in view["timeline"]].count("关联举报 " + view["links"][0]["complaint"].reference) == 1


# ---------------------------------------------------------------- access, list and export
def test_another_street_cannot_see_a_clue(driver, services, lookup):
    c = driver.record()
    other = lookup.user("jyh_market")
    with pytest.raises(NotFound):
        queries.view(services, other, c["id"])
    assert queries.list_clues(services, other, queries.ClueFilters()) == []
    with pytest.raises(NotFound):
        clues.update(services, other, c["id"], clue_fields())
    assert [r["id"] for r in queries.list_clues(services, lookup.user("dubanban"), queries.ClueFilters())] == [c["id"]]
    jyh = lookup.area("金银湖街")
    with pytest.raises(PermissionDenied):  # nor record one in a street that is not theirs
        clues.record(services, lookup.user("wjs_market1"), clue_fields(area_id=jyh))


def test_list_filters_and_export(driver, services, lookup):
    a = driver.record(received_on="2025-12-30", scheme_name="甲项目", aliases="", platform_name="",
                      platform_credit_code="")
    b = driver.record(scheme_name="乙项目", aliases="乙商城")
    driver.do(b["instance_id"], "monitor", {"suspected": False, "monitoring_note": "排除"}, "wjs_market1")
    me = lookup.user("wjs_market1")

    def ids(**kw):
        return [r["id"] for r in queries.list_clues(services, me, queries.ClueFilters(**kw))]
    assert ids() == [b["id"], a["id"]]
    assert ids(year=2025) == [a["id"]]
    assert ids(status="dismissed") == [b["id"]]
    assert ids(q="乙商城") == [b["id"]]
    assert ids(street_id=lookup.area("吴家山街")) == [b["id"], a["id"]]
    assert ids(street_id=lookup.area("金银湖街")) == []
    with pytest.raises(ValidationFailed):
        ids(status="nonsense")
    data = queries.export(services, me, queries.ClueFilters(year=2026))
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("线索编号", "接收日期", "来源", "项目名称")
    assert [r[3] for r in rows[1:]] == ["乙项目"]
    assert rows[1][10] == "已排除"
    assert queries.export(services, lookup.user("jyh_market"), queries.ClueFilters()) and \
        len(list(load_workbook(io.BytesIO(queries.export(services, lookup.user("jyh_market"),
                                                         queries.ClueFilters()))).active.iter_rows())) == 1


def test_clue_area_defaults_to_the_recorders_area(driver, services):
    c = driver.record()
    with services.db.read() as s:
        area = s.get(Area, driver.clue(c["id"]).area_id)
    assert area.full_name == "吴家山街"


def test_reports_after_a_finished_clue_open_a_new_one(services, lookup, driver):
    market = lookup.user("wjs_market1")
    for _ in range(3):
        complaints.record(services, market, report("金元宝商城"))
    with services.db.read() as s:
        (first,) = s.scalars(sa.select(OnlineClue)).all()
    driver.do(first.instance_id, "monitor", {"suspected": False, "monitoring_note": "已排除"}, "wjs_market1")
    complaints.record(services, market, report("金元宝商城"))
    with services.db.read() as s:
        second = s.scalars(sa.select(OnlineClue).where(OnlineClue.id != first.id)).one()
    assert len(driver.links(first.id)) == 4 and len(driver.links(second.id)) == 1


def test_a_clue_goes_on_after_a_restart_midway(driver, services, lookup, db_url, clock):
    """Another process (a second web worker, or after a restart) restores the clue from its stored state."""
    from workflows import runtime
    c = driver.record()
    driver.to_report(c, members=31, levels=4)
    other = runtime.build(db_url, clock=clock)
    try:
        again = ClueDriver(other, Lookup(other))
        again.report(c, "criminal")
        assert set(again.ready(c["instance_id"])) == {"transfer_police"}
    finally:
        other.db.dispose()
    assert driver.clue(c["id"]).tier == "criminal" and driver.clue(c["id"]).status == "handling"


def test_reports_from_another_system_open_the_clue_too(services, lookup, driver):
    street = lookup.area("吴家山街")
    complaints.create_api_client(services, "12315平台", street)
    for n in range(3):
        complaints.submit(services, "12315平台", f"R{n}", report("金元宝商城"))
    with services.db.read() as s:
        (clue,) = s.scalars(sa.select(OnlineClue)).all()
    assert clue.created_by_id is None and clue.area_id == street
    assert len(driver.links(clue.id)) == 4
    assert [r["id"] for r in queries.list_clues(services, lookup.user("wjs_market1"), queries.ClueFilters())] == [clue.id]
