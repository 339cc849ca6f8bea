"""查封 pages: asked for from a case's step, approved by the head, served, listed by area, released; bad input is
shown with what was typed kept."""
import sqlalchemy as sa

from engine_helpers import CaseDriver, Lookup, comparison
from web_fixtures import app, client, forms_without_token, login_as, text  # noqa: F401  (fixtures)
from workflows.seizures.models import Seizure

FORM = {"party_name": "刘大成", "party_id": "", "party_address": "吴家山街第一社区花园小区1栋1单元101室",
        "premises": "吴家山街第一社区花园小区1栋1单元101室", "reasons": "该房屋被用于传销人员聚集、培训。",
        "items": "房屋一套\n授课白板1块"}


def _case(services):
    lookup = Lookup(services)
    cases = CaseDriver(services, lookup)
    case = cases.start()
    cases.to_comparison(case)
    cases.do(case, "comparison", comparison(has_participants=True, house_is_rental=True))
    return case, cases.ready(case)["rectify_house"]


def _seizure(services) -> Seizure:
    with services.db.read() as s:
        return s.scalar(sa.select(Seizure))


def test_a_seizure_from_the_case_step_through_approval_service_and_release(services, login_as):
    case, step = _case(services)
    housing = login_as("wjs_housing")
    assert "申请查封" in text(housing.get(f"/tasks/{step}"))

    market = login_as("wjs_market1")
    page = text(market.get(f"/seizures/new?instance_id={case}&task_id={step}"))
    assert "吴家山街第一社区花园小区1栋1单元101室" in page and "事先经机关主要负责人书面批准" in page
    r = market.post("/seizures/new", data=dict(FORM, instance_id=case, task_id=step, party_id="420106198808080023"))
    assert r.status_code == 422 and "校验不通过" in text(r) and "授课白板1块" in text(r)
    r = market.post("/seizures/new", data=dict(FORM, instance_id=case, task_id=step))
    assert r.status_code == 302
    seizure = _seizure(services)
    assert "待负责人批准" in text(market.get(f"/seizures/{seizure.id}"))
    assert market.get(f"/seizures/{seizure.id}/step").status_code == 403  # the head's step

    head = login_as("sj_head")
    step_page = text(head.get(f"/seizures/{seizure.id}/step"))
    assert step_page.count('method="post"') >= 2 and forms_without_token(step_page) == []  # the step carries the token
    r = head.post(f"/seizures/{seizure.id}/step", data={"approved": "yes", "approval_note": "同意查封"})
    assert r.status_code == 302
    market = login_as("wjs_market1")
    r = market.post(f"/seizures/{seizure.id}/step", data={"served_on": "2026-11-23", "officers": "赵晓明",
                                                           "witnesses": "钱桂英", "water": "东西湖区自来水公司",
                                                           "power": "", "gas": "", "lock": ""})
    assert r.status_code == 422 and "不得少于2人" in text(r) and "东西湖区自来水公司" in text(r)
    r = market.post(f"/seizures/{seizure.id}/step", data={"served_on": "2026-11-23", "officers": "赵晓明、孙丽华",
                                                           "witnesses": "钱桂英",
                                                           "water": "东西湖区自来水公司", "power": "", "gas": "",
                                                           "lock": ""})
    assert r.status_code == 302
    page = text(market.get(f"/seizures/{seizure.id}"))
    assert "查封中" in page and "东市监封决〔2026〕1号 查封决定书" in page and "东市监封协〔2026〕1号 协助执行通知书" in page
    assert "东西湖区自来水公司" in page and "进行中" in page
    assert "吴家山街第一社区花园小区" in text(market.get("/seizures/"))
    assert "吴家山街第一社区花园小区" not in text(login_as("jyh_market").get("/seizures/"))
    assert login_as("jyh_market").get(f"/seizures/{seizure.id}").status_code == 403

    market = login_as("wjs_market1")
    r = market.post(f"/seizures/{seizure.id}/step", data={"action": "extend", "reason": "案情复杂",
                                                           "extension_days": "20"})
    assert r.status_code == 422 and "延长天数应为1至15日" in text(r) and "案情复杂" in text(r)
    r = market.post(f"/seizures/{seizure.id}/step", data={"action": "release", "reason": "已作出处理决定，不再需要查封。"})
    assert r.status_code == 302
    page = text(market.get(f"/seizures/{seizure.id}"))
    assert "已解除" in page and "解除查封决定书" in page and "解除协助执行通知书" in page and "已终止" in page
    assert "查封" in text(market.get(f"/cases/{case}")) and f"/seizures/{seizure.id}" in text(market.get(f"/cases/{case}"))


def test_the_free_notice_page_no_longer_offers_the_three_stops_notice(services, login_as):
    market = login_as("wjs_market1")
    page = text(market.get("/notices/new"))
    assert "三停一换" not in page and "查封决定书" not in page
    r = market.get("/notices/new?type=utility_cutoff")
    assert r.status_code == 404
