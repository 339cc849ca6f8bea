"""Notices from the case's step: prefilled from the case, back to the step after issuing, listed on the step."""
import pytest

from engine_helpers import PERSONS, CaseDriver, comparison
from notice_helpers import SAMPLES, flat
from test_notice_views import _form, login_as, text, web  # noqa: F401  (fixtures)

pytestmark = pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)


def _rental_case(services, lookup, prior: int):
    cases = CaseDriver(services, lookup)
    case = cases.start("花园小区1栋1单元101室")
    cases.to_comparison(case)
    cases.do(case, "comparison", comparison(house_is_rental=True, house_prior_catches=prior,
                                            landlord_name="房东刘大成", persons=PERSONS))
    task = cases.ready(case)["penalty_landlord" if prior else "rectify_house"]
    return case, task


def test_the_form_is_prefilled_from_the_case(services, lookup, login_as):
    case, task = _rental_case(services, lookup, prior=1)
    page = text(login_as("wjs_market1").get(
        f"/notices/new?type=rectification_order&instance_id={case}&task_id={task}"))
    assert 'value="房东刘大成"' in page  # the landlord entered at the comparison is the party
    assert 'value="武汉市东西湖区吴家山街第一社区花园小区1栋1单元101室"' in page


def test_after_issuing_the_officer_returns_to_the_step_which_lists_the_notice(services, lookup, login_as):
    case, task = _rental_case(services, lookup, prior=1)
    officer = login_as("wjs_market1")
    form = _form(SAMPLES["rectification_order"], type="rectification_order", instance_id=case, task_id=task)
    form["facts"] = "经查，" + form["facts"]
    issued = officer.post("/notices/new", data=dict(form, action="issue"))
    assert issued.status_code == 302
    shown = text(officer.get(issued.headers["Location"]))
    assert f'href="/tasks/{task}"' in shown and "返回“房东行政处罚”继续办理" in shown
    step = text(officer.get(f"/tasks/{task}"))
    assert "本环节已签发" in step and "东市监责改〔2026〕1号" in step and "责令改正通知书" in step
    # The fixed "经查，" of the notice is printed once even though the officer typed it too.
    sheet = flat(shown)
    assert "经查，经查" not in sheet and "经查，你将位于" in sheet
