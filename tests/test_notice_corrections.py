"""Every printed notice as GB/T 9704-2012 and the law want it: Arabic dates, no seal placeholder on an issued copy,
28 characters a line, the document number under the issuer's mark, items cited as 第一项, quotations that end
“…”的规定 with nested ‘…’, the crime transfer's basis, 3 days and 回执, a review body per issuer, and bad input
refused with a clear message and no number taken."""
from datetime import date

import pytest
import sqlalchemy as sa

from notice_helpers import (ID_BEIJING, ID_JIANGXI, SAMPLES, add_persons, classify, count, flat, notices,
                            pdf_text, start_case)
from penalty_helpers import PenaltyDriver
from web_fixtures import app, login_as, text  # noqa: F401  (fixtures)
from webapp.notices import render
from workflows.exceptions import WorkflowError
from workflows.notices.formatting import quoted
from workflows.notices.legal import legal_data
from workflows.notices.models import Notice, NoticeCounter
from workflows.notices.validation import NoticeRejected, validate

ISSUED_ON = date(2026, 11, 23)  # the test clock's day in Beijing
CREDIT_CODE = "91110000600037341L"  # a 统一社会信用代码 whose check character is right


def _pdf_text(services, notice, layout=False) -> str:
    svc = notices(services)
    pdf = render.render_pdf(svc.verified(notice), notice.status)
    if not layout:
        return pdf_text(pdf)
    from notice_helpers import _poppler
    return _poppler(pdf, "pdftotext", "-layout", "PDF", "-")


def _issue(services, lookup, notice_type, user="wjs_market1", **changes):
    return notices(services).issue(notice_type, dict(SAMPLES[notice_type], **changes), lookup.user(user))


# ---------------------------------------------------------------------- layout
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_an_issued_notice_has_arabic_dates_no_seal_placeholder_and_its_number_under_the_issuer(services, lookup):
    notice = _issue(services, lookup, "rectification_order")
    lines = [line.strip() for line in _pdf_text(services, notice).splitlines() if line.strip()]

    assert "2026年11月23日" in lines and not any("二〇" in line for line in lines)
    assert not any("印章" in line for line in lines)
    assert lines[:3] == ["东西湖区市场监督管理局", "东市监责改〔2026〕1号", "责令改正通知书"]


def test_the_seal_placeholder_shows_on_a_preview_only(services, lookup):
    content = notices(services).preview("rectification_order", SAMPLES["rectification_order"],
                                        lookup.user("wjs_market1"))
    assert "（印章）" in render.render_html(content, status="preview")
    assert "（印章）" not in render.render_html(content, status="issued")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_body_lines_hold_28_characters(services, lookup):
    notice = _issue(services, lookup, "rectification_order", facts="甲" * 200)
    lines = [line.strip() for line in _pdf_text(services, notice, layout=True).splitlines()]
    body = [line for line in lines if line and set(line) == {"甲"}]
    assert len(body) >= 6
    # Every line of the paragraph but its last (the first begins with "经查，") holds exactly 28 characters.
    assert all(len(line) == 28 for line in body[:-1]), [len(x) for x in body]


# ---------------------------------------------------------------------- citations and quotations
def test_items_are_cited_as_the_statutes_write_them():
    refs = [a["article"] for a in legal_data()["articles"].values()]
    assert not [r for r in refs if "第（" in r]
    assert legal_data()["articles"]["penalty_72"]["article"] == "第七十二条第一款第一项"


def test_a_quotation_drops_its_full_stop_and_nests_its_quotes():
    assert quoted("构成犯罪的，依法追究刑事责任。") == "构成犯罪的，依法追究刑事责任"
    assert quoted("实行“首接负责”制。") == "实行‘首接负责’制"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_printed_quotations_end_before_the_closing_mark(services, lookup):
    # The penalty decision's quotation is checked where it is issued, in its procedure (test_penalty_documents).
    reply = flat(_pdf_text(services, _issue(services, lookup, "complaint_reply",
                                            complaint_summary="花园小区有人以“资本运作”为名聚集授课")))
    assert "“花园小区有人以‘资本运作’为名聚集授课”一事" in reply


# ---------------------------------------------------------------------- crime transfer
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_crime_transfer_cites_its_basis_asks_for_3_days_carries_a_receipt_and_each_role(services, lookup):
    case = start_case(services, lookup)
    organiser, core = add_persons(services, case, [("王五", ID_BEIJING), ("赵六", ID_JIANGXI)])
    classify(services, [organiser], "crime")
    classify(services, [core], "core")
    notice = notices(services).issue("crime_transfer", SAMPLES["crime_transfer"], lookup.user("wjs_market1"), case)

    text_ = flat(_pdf_text(services, notice))
    assert "《中华人民共和国行政处罚法》第二十七条第一款" in text_
    assert "《禁止传销条例》第十三条" in text_
    assert "《行政执法机关移送涉嫌犯罪案件的规定》（国务院令第310号）" in text_
    assert "3日内进行审查，决定是否立案" in text_
    assert "1．王五，涉嫌组织、领导传销活动；" in text_ and "2．赵六，骨干成员，涉嫌参与组织、领导传销活动；" in text_
    assert "涉嫌犯罪案件移送书回执" in text_ and "接收人签名" in text_ and notice.number in text_


def test_a_crime_transfer_names_only_classified_persons_of_its_case(services, lookup):
    case = start_case(services, lookup)
    classify(services, add_persons(services, case, [("王五", ID_BEIJING)]), "")  # not classified yet
    svc, officer = notices(services), lookup.user("wjs_market1")
    with pytest.raises(NoticeRejected) as refused:
        svc.issue("crime_transfer", SAMPLES["crime_transfer"], officer, case)
    assert refused.value.errors["suspects"] == ["“王五”在本案中尚未分类，请先在信息比对环节确定其分类",
                                                "“赵六”不是本案登记的人员"]
    with pytest.raises(WorkflowError, match="须在案件中签发"):
        svc.issue("crime_transfer", SAMPLES["crime_transfer"], officer)
    assert count(services, Notice) == 0 and count(services, NoticeCounter) == 0


# ---------------------------------------------------------------------- review body
def test_an_issuer_without_a_review_body_issues_nothing(services, lookup):
    # The street office (吴街) has no review body configured.
    with pytest.raises(WorkflowError, match="未配置复议机关"):
        _issue(services, lookup, "discipline_transfer", user="wjs_leader")
    assert count(services, Notice) == 0 and count(services, NoticeCounter) == 0


# ---------------------------------------------------------------------- bad input
@pytest.mark.parametrize("notice_type, changes, field, message", [
    ("rectification_order", {"party_id": "420106198808080023"}, "party_id", "既不是有效的身份证号码"),
    ("rectification_order", {"party_id": "91110000600037341A"}, "party_id", "也不是有效的统一社会信用代码"),
    ("rectification_order", {"party_id": "12345"}, "party_id", "应为18位"),
    ("rectification_order", {"contact_phone": "12345678"}, "contact_phone", "应为手机号码（11位）或带区号的固定电话"),
    ("complaint_reply", {"received_on": "2026-11-24"}, "received_on", "是已经发生的事，不能晚于签发日期"),
    ("registration_letter", {"caught_on": "2026-12-01"}, "caught_on", "不能晚于签发日期"),
    ("rectification_order", {"deadline": "2027-01-23"}, "deadline", "不能超过签发之日起60日"),
    ("lease_termination", {"deadline": "2026-12-24"}, "deadline", "不能超过签发之日起30日"),
    ("penalty_decision", {"role": "boss"}, "role", "违法行为类别应为"),
])
def test_bad_input_is_refused_with_a_clear_message(notice_type, changes, field, message):
    with pytest.raises(NoticeRejected) as refused:
        validate(notice_type, dict(SAMPLES[notice_type], **changes), ISSUED_ON)
    assert field in refused.value.errors and message in refused.value.message, refused.value.message


def test_an_effective_date_before_the_issue_date_is_refused():
    fields = {"party_name": "刘大成", "decision_number": "东市监封决〔2026〕1号", "premises": "101室",
              "starts_on": "2026-11-01", "reason": "不再需要查封。", "released_on": "2026-11-22",
              "contact_person": "赵晓明", "contact_phone": "13800000000"}
    with pytest.raises(NoticeRejected) as refused:
        validate("seizure_release", fields, ISSUED_ON)
    assert "解除日期不能早于签发日期（2026年11月23日）" in refused.value.message


def test_good_identifiers_and_numbers_pass():
    clean = validate("rectification_order", dict(SAMPLES["rectification_order"], party_id=CREDIT_CODE,
                                                 contact_phone="13912345678"), ISSUED_ON)
    assert clean["party_id"] == CREDIT_CODE and clean["contact_phone"] == "13912345678"


def test_an_unknown_role_is_refused_by_the_checks_with_a_message():
    fields = dict(SAMPLES["penalty_decision"], role="boss")
    with pytest.raises(NoticeRejected) as refused:
        validate("penalty_decision", fields, ISSUED_ON)
    assert "违法行为类别应为" in str(refused.value.errors["role"])


def test_a_role_posted_on_the_page_is_never_the_one_printed(services, lookup, login_as, clock):
    # The documents with a role are the penalty procedure's: the role is the party's, fixed from their
    # classification when the procedure started, whatever (even an unknown value) the page sends.
    pen = PenaltyDriver(services, lookup, clock)
    inst = pen.start(pen.classified_case())
    pen.do(inst, "approve_filing", {"filing_decision": "open", "filing_reason": "有传销违法线索，符合立案条件"})
    pen.do(inst, "investigate", {"officers": ["赵晓明 42010001", "孙丽华 42010002"], "evidence": ["询问笔录"]})
    pen.do(inst, "investigation_report", {"report": "经查属实", "proposed_fine": 100000, "serious": False,
                                          "complex": False, "conduct_form": "ban_7_2"})
    officer = login_as("wjs_market1")
    for role in ("boss", "organiser"):
        form = dict(SAMPLES["penalty_decision"], type="penalty_notice", role=role, action="issue",
                    instance_id=str(inst), task_id=pen.ready(inst)["notify"], hearing_right="none",
                    conduct_form="ban_7_2", contact_person="赵晓明", contact_phone="027-83891234",
                    evidence="\n".join(SAMPLES["penalty_decision"]["evidence"]))
        assert officer.post("/notices/new", data=form).status_code == 302
    with services.db.read() as s:
        printed = [n.data["fields"]["role"] for n in s.scalars(sa.select(Notice).order_by(Notice.id))]
    assert printed == ["introducer", "introducer"]  # the party's own role both times
