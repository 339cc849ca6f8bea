"""查封: the head's prior written approval, the decision served with its 清单, the time limit as a timer, the
extension, the release, and the utility measures that end with the 查封."""
from datetime import date

import pytest
import sqlalchemy as sa

from engine_helpers import CaseDriver, comparison
from notice_helpers import ROOM, flat, notices, pdf_text
from webapp.notices import render
from workflows.audit.models import AuditEvent
from workflows.engine.models import ProcessInstance
from workflows.exceptions import PermissionDenied, ValidationFailed, WorkflowError
from workflows.ledgers import registries
from workflows.ledgers.models import RentalHouse
from workflows.notices.models import Notice
from workflows.org.models import User
from workflows.seizures.models import Seizure, SeizureMeasure
from workflows.seizures.service import SeizureService

REQUEST = {"party_name": "刘大成", "party_id": "420106198808080022",
           "party_address": "吴家山街第一社区花园小区1栋1单元101室", "premises": "吴家山街第一社区花园小区1栋1单元101室",
           "reasons": "该房屋被用作传销人员聚集、居住和培训的场所，现场查获传销人员8名。",
           "items": ["房屋一套（101室）", "授课用白板1块", "传销资料12册"]}
SERVE = {"served_on": "2026-11-23", "officers": ["赵晓明", "孙丽华"], "witnesses": "钱桂英（楼栋长）",
         "assist": {"water": "东西湖区自来水公司", "power": "国网武汉市东西湖区供电公司", "lock": "吴家山街第一社区居委会"}}


@pytest.fixture
def seizures(services):
    return SeizureService(services)


def _case_at_rectify_house(services, lookup):
    cases = CaseDriver(services, lookup)
    case = cases.start()
    cases.to_comparison(case)
    cases.do(case, "comparison", comparison(has_participants=True, house_is_rental=True))
    return case, cases.ready(case)["rectify_house"]


def _in_force(services, lookup, seizures):
    # The house is in the rental-house ledger, whose 三停一换 follows the 查封.
    registries.save_house(services, lookup.user("wjs_housing"), ROOM, owner_name="刘大成")
    case, step = _case_at_rectify_house(services, lookup)
    seizure = seizures.request(lookup.user("wjs_market1"), REQUEST, case, step)
    seizures.act(seizure.id, lookup.user("sj_head"), "approve_seizure",
                 {"approved": True, "approval_note": "同意查封，2026年11月23日"})
    seizures.act(seizure.id, lookup.user("wjs_market1"), "serve_decision", SERVE)
    return seizure.id


def _load(services, seizure_id):
    with services.db.read() as s:
        seizure = s.get(Seizure, seizure_id)
        measures = list(s.scalars(sa.select(SeizureMeasure).where(SeizureMeasure.seizure_id == seizure_id)
                                  .order_by(SeizureMeasure.id)))
        inst = s.get(ProcessInstance, seizure.instance_id)
        return seizure, measures, inst


def _house_three_stops(services, inst):
    """The rental-house ledger's 三停一换 at the 查封's address: (state, put in place on, lifted on)."""
    with services.db.read() as s:
        house = s.scalar(sa.select(RentalHouse).where(RentalHouse.area_id == inst.area_id))
        return house.three_stops_state, house.three_stops_on, house.three_stops_lifted_on


def _numbers(services, notice_type):
    with services.db.read() as s:
        return list(s.scalars(sa.select(Notice.number).where(Notice.notice_type == notice_type).order_by(Notice.id)))


def _text(services, notice_id) -> str:
    svc = notices(services)
    notice = svc.get(notice_id)
    return flat(pdf_text(render.render_pdf(svc.verified(notice), notice.status)))


def test_no_decision_without_the_heads_prior_written_approval(services, lookup, seizures):
    case, step = _case_at_rectify_house(services, lookup)
    officer, head = lookup.user("wjs_market1"), lookup.user("sj_head")
    seizure = seizures.request(officer, REQUEST, case, step)

    with pytest.raises(WorkflowError, match="没有这一步"):
        seizures.act(seizure.id, officer, "serve_decision", SERVE)
    with pytest.raises(PermissionDenied):  # the approval is the head's lane
        seizures.act(seizure.id, officer, "approve_seizure", {"approved": True, "approval_note": "自己批准"})
    with pytest.raises(WorkflowError, match="只能在查封程序中签发"):
        notices(services).issue("seizure_decision", {}, officer, case)
    seizures.act(seizure.id, head, "approve_seizure", {"approved": False, "approval_note": "证据不足，不予批准"})

    row, measures, inst = _load(services, seizure.id)
    assert (row.status, row.approved_by_id, inst.status, inst.parent_instance_id) == ("refused", head, "completed", case)
    assert row.decision_notice_id is None and measures == []
    assert _numbers(services, "seizure_decision") == []


def test_the_three_stops_notice_can_no_longer_be_issued(services, lookup):
    with pytest.raises(WorkflowError, match="行政强制法》第十条、第四十三条"):
        notices(services).issue("utility_cutoff", {}, lookup.user("wjs_market1"))


def test_a_request_with_a_bad_party_id_or_no_list_is_refused(services, lookup, seizures):
    case, step = _case_at_rectify_house(services, lookup)
    with pytest.raises(ValidationFailed) as refused:
        seizures.request(lookup.user("wjs_market1"), dict(REQUEST, party_id="420106198808080023", items=[]), case, step)
    assert set(refused.value.errors) == {"party_id", "items"}
    with services.db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Seizure)) == 0


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_decision_states_what_article_24_requires_and_the_utilities_are_asked_naming_it(services, lookup,
                                                                                          seizures):
    seizure_id = _in_force(services, lookup, seizures)
    row, measures, _inst = _load(services, seizure_id)

    assert (row.status, row.starts_on, row.ends_on) == ("in_force", date(2026, 11, 23), date(2026, 12, 23))
    decision = _numbers(services, "seizure_decision")[0]
    text = _text(services, row.decision_notice_id)
    assert "当事人：刘大成" in text and "地址：吴家山街第一社区花园小区1栋1单元101室" in text           # (一)
    assert "现场查获传销人员8名" in text and "《禁止传销条例》第十四条第一款第六项、第二款" in text      # (二)
    assert "《中华人民共和国行政强制法》第二十四条" in text and "查封期限至2026年12月23日止" in text  # (二)
    assert "查封清单" in text and "授课用白板1块" in text and "一式二份" in text                      # (三)
    assert "六十日内向武汉市东西湖区人民政府申请行政复议" in text                                    # (四)
    assert "东西湖区市场监督管理局" in text and "2026年11月23日" in text and "（印章）" not in text    # (五)
    assert "同意查封" in text  # the prior written approval is recited

    assert [(m.kind, m.status) for m in measures] == [("lock", "active"), ("power", "active"), ("water", "active")]
    assert _house_three_stops(services, _inst)[:2] == ("in_place", date(2026, 11, 23))
    water = _text(services, measures[2].assist_notice_id)
    assert "东西湖区自来水公司：" in water and decision in water and "停止供水" in water
    assert "2026年12月23日止" in water


def test_release_ends_the_seizure_and_every_measure_with_a_notice_to_restore(services, lookup, seizures):
    seizure_id = _in_force(services, lookup, seizures)
    seizures.act(seizure_id, lookup.user("wjs_market2"), "in_force",
                 {"action": "release", "reason": "已作出行政处罚决定，不再需要查封。", "extension_days": 0})

    row, measures, inst = _load(services, seizure_id)
    assert (row.status, inst.status, inst.end_event) == ("released", "completed", "end_released")
    assert _house_three_stops(services, inst) == ("lifted", date(2026, 11, 23), date(2026, 11, 23))
    assert [m.status for m in measures] == ["ended"] * 3 and all(m.restore_notice_id for m in measures)
    assert len(_numbers(services, "seizure_release")) == 1
    assert _numbers(services, "seizure_restore") == [f"东市监封复〔2026〕{i}号" for i in (1, 2, 3)]
    with services.db.read() as s:
        kinds = list(s.scalars(sa.select(AuditEvent.kind).where(AuditEvent.instance_id == inst.id)
                               .order_by(AuditEvent.id)))
    assert {"seizure_requested", "seizure_approved", "seizure_decided", "seizure_measure_started",
            "seizure_released"} <= set(kinds)


def test_at_its_time_limit_the_seizure_ends_by_itself_with_its_measures(services, lookup, seizures, clock):
    seizure_id = _in_force(services, lookup, seizures)
    clock.advance(days=30)  # 2026-12-23 17:00 in Beijing: the last day of the 查封
    services.workflow.fire_due_timers()
    assert _load(services, seizure_id)[0].status == "in_force"

    clock.advance(hours=8)  # 2026-12-24 01:00 in Beijing
    services.workflow.fire_due_timers()

    row, measures, inst = _load(services, seizure_id)
    assert (row.status, inst.end_event) == ("expired", "end_expired")
    assert [m.status for m in measures] == ["ended"] * 3
    text = _text(services, row.release_notice_id)
    assert "查封期限已于2026年12月23日届满" in text and "解除查封决定书" in text
    assert "国网武汉市东西湖区供电公司：恢复供电" in text


def test_an_approved_extension_moves_the_limit_once_and_by_at_most_15_days(services, lookup, seizures, clock):
    seizure_id = _in_force(services, lookup, seizures)
    officer, head = lookup.user("wjs_market1"), lookup.user("sj_head")
    with pytest.raises(ValidationFailed) as refused:
        seizures.act(seizure_id, officer, "in_force", {"action": "extend", "reason": "案情复杂", "extension_days": 16})
    assert refused.value.errors == {"extension_days": ["延长期限应为1至15日（《禁止传销条例》第十八条）"]}
    seizures.act(seizure_id, officer, "in_force", {"action": "extend", "reason": "涉案人员多，需进一步核查资金流向",
                                                   "extension_days": 15})
    seizures.act(seizure_id, head, "approve_extension", {"extension_approved": True, "approval_note": "同意延长15日"})

    row = _load(services, seizure_id)[0]
    assert (row.ends_on, row.extension_days) == (date(2027, 1, 7), 15)
    assert _numbers(services, "seizure_extension") == ["东市监延封〔2026〕1号"]
    with pytest.raises(ValidationFailed) as refused:
        seizures.act(seizure_id, officer, "in_force", {"action": "extend", "reason": "再延", "extension_days": 5})
    assert "已延长过一次" in refused.value.errors["action"][0]

    clock.advance(days=31)  # past the first limit: still in force
    services.workflow.fire_due_timers()
    assert _load(services, seizure_id)[0].status == "in_force"
    clock.advance(days=15)  # past the extended limit
    services.workflow.fire_due_timers()
    assert _load(services, seizure_id)[0].status == "expired"


def test_the_limit_runs_while_the_head_has_not_decided_on_an_extension(services, lookup, seizures, clock):
    seizure_id = _in_force(services, lookup, seizures)
    seizures.act(seizure_id, lookup.user("wjs_market1"), "in_force",
                 {"action": "extend", "reason": "案情复杂", "extension_days": 10})
    clock.advance(days=31)
    services.workflow.fire_due_timers()

    row, measures, _inst = _load(services, seizure_id)
    assert row.status == "expired" and [m.status for m in measures] == ["ended"] * 3


def test_officers_see_only_the_seizures_of_their_area(services, lookup, seizures):
    seizure_id = _in_force(services, lookup, seizures)
    assert [s.id for s in seizures.list_visible(lookup.user("wjs_market1"))] == [seizure_id]
    assert seizures.list_visible(lookup.user("jyh_market")) == []
    with pytest.raises(PermissionDenied):
        seizures.get(seizure_id, lookup.user("jyh_market"))


def test_a_seizure_is_carried_out_by_at_least_two_officers(services, lookup, seizures):
    case, step = _case_at_rectify_house(services, lookup)
    seizure = seizures.request(lookup.user("wjs_market1"), REQUEST, case, step)
    seizures.act(seizure.id, lookup.user("sj_head"), "approve_seizure", {"approved": True, "approval_note": "同意"})
    with pytest.raises(ValidationFailed) as refused:
        seizures.act(seizure.id, lookup.user("wjs_market1"), "serve_decision", dict(SERVE, officers=["赵晓明"]))
    assert "不得少于2人" in refused.value.errors["officers"][0]
    assert _load(services, seizure.id)[0].status == "requested" and _numbers(services, "seizure_decision") == []


def test_the_limit_does_not_wait_for_a_closed_account(services, lookup, seizures, clock):
    seizure_id = _in_force(services, lookup, seizures)
    with services.db.unit_of_work() as s:  # the deciding officer has left the bureau
        s.get(User, lookup.user("wjs_market1")).active = False
    clock.advance(days=31)
    services.workflow.fire_due_timers()

    row = _load(services, seizure_id)[0]
    assert row.status == "expired"
    assert notices(services).get(row.release_notice_id).issued_by_id == lookup.user("wjs_market2")


def test_a_seizure_on_its_own_needs_a_standard_address_in_the_officers_area(services, lookup, seizures):
    officer = lookup.user("wjs_market1")
    with pytest.raises(ValidationFailed) as refused:
        seizures.request(officer, REQUEST, address="不存在的地址")
    assert "address" in refused.value.errors
    with pytest.raises(PermissionDenied):
        seizures.request(lookup.user("jyh_market"), REQUEST, address=ROOM)
    with pytest.raises(PermissionDenied, match="只有市场监管执法人员"):
        seizures.request(lookup.user("wjs_housing"), REQUEST, address=ROOM)
    seizure = seizures.request(officer, REQUEST, address=ROOM)
    assert seizure.case_instance_id is None and seizure.status == "requested"


def test_only_the_house_steps_of_a_case_ask_for_a_seizure(services, lookup, seizures):
    cases = CaseDriver(services, lookup)
    case = cases.start()
    cases.to_comparison(case)
    cases.do(case, "comparison", comparison(has_participants=True, house_is_rental=True, house_prior_catches=1))
    ready = cases.ready(case)
    officer = lookup.user("wjs_market1")
    with pytest.raises(WorkflowError, match="只能在"):
        seizures.request(officer, REQUEST, case, ready["handle_participants"])
    assert seizures.request(officer, REQUEST, case, ready["penalty_landlord"]).case_instance_id == case
