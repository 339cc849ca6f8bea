"""The notice pages as an officer uses them: preview, issue, print, correct, void, batch print."""
import pytest
import sqlalchemy as sa

from engine_helpers import CaseDriver, comparison
from job_helpers import run_jobs
from notice_helpers import (ID_JIANGXI, ID_WUCHANG_F, SAMPLES, add_persons, count, flat, notices, pdf_text,
                            start_case)
from webapp import create_app
from workflows.audit.models import AuditEvent
from workflows.notices.models import Notice

# The pages do not depend on the database engine; the service tests run on both.
pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def web(services):
    return create_app({"SERVICES": services, "TESTING": True, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "test"})


@pytest.fixture
def login_as(web):
    """login_as("wjs_market1") -> a test client logged in as that demo officer."""
    def _login(username: str):
        client = web.test_client()
        assert client.post("/login", data={"username": username, "password": "dachuan2026"}).status_code == 302
        return client
    return _login


def text(response) -> str:
    return response.get_data(as_text=True)


def _form(fields: dict, **extra) -> dict:
    data = {k: "\n".join(v) if isinstance(v, list) else v for k, v in fields.items()}
    data.update(extra)
    return data


def test_officer_previews_then_issues_and_prints_a_rectification_order(services, lookup, login_as):
    case = start_case(services, lookup)
    officer = login_as("wjs_market1")
    form = _form(SAMPLES["rectification_order"], type="rectification_order", instance_id=case)

    page = officer.get(f"/notices/new?type=rectification_order&instance_id={case}")
    assert page.status_code == 200 and "签发责令改正通知书" in text(page)
    assert 'value="武汉市东西湖区吴家山街第一社区花园小区1栋1单元101室"' in text(page)  # the full case address

    preview = officer.post("/notices/new", data=dict(form, action="preview"))
    assert preview.status_code == 200
    assert "预览稿" in text(preview) and "东市监责改〔2026〕　号" in text(preview)
    assert count(services, Notice) == 0

    issued = officer.post("/notices/new", data=dict(form, action="issue"))
    assert issued.status_code == 302
    shown = officer.get(issued.headers["Location"])
    assert "东市监责改〔2026〕1号" in text(shown) and "2026年12月8日前改正" in text(shown)

    notice_id = int(issued.headers["Location"].rsplit("/", 1)[1])
    pdf = officer.get(f"/notices/{notice_id}.pdf")
    assert pdf.mimetype == "application/pdf"
    assert "东市监责改〔2026〕1号" in flat(pdf_text(pdf.data))
    reprint = officer.get(f"/notices/{notice_id}/reprint.pdf")
    assert pdf_text(reprint.data) == pdf_text(pdf.data)
    with services.db.read() as s:
        kinds = list(s.scalars(sa.select(AuditEvent.kind).where(AuditEvent.kind.like("notice_%"))
                               .order_by(AuditEvent.id)))
    assert kinds == ["notice_issued", "notice_printed", "notice_reprinted"]


def test_a_form_missing_fields_comes_back_with_the_list_and_no_number(services, lookup, login_as):
    officer = login_as("wjs_market1")
    form = _form(SAMPLES["lease_termination"], type="lease_termination", landlord_name="", deadline="",
                 action="issue")

    page = officer.post("/notices/new", data=form)

    assert page.status_code == 422
    assert "通知书缺少必填内容：出租人（房主）、停止违法行为期限" in text(page)
    assert count(services, Notice) == 0


def test_an_officer_of_another_street_cannot_open_the_notice(services, lookup, login_as):
    case = start_case(services, lookup)
    notice = notices(services).issue("complaint_reply", SAMPLES["complaint_reply"], lookup.user("wjs_market1"),
                                     case)
    other = login_as("jyh_market")
    assert other.get(f"/notices/{notice.id}").status_code == 403
    assert other.get(f"/notices/{notice.id}.pdf").status_code == 403
    assert other.get(f"/notices/case/{case}").status_code == 403


def test_the_rectify_task_offers_its_two_notices_and_no_three_stops(services, lookup, login_as):
    cases = CaseDriver(services, lookup)
    case = cases.start()
    cases.to_comparison(case)
    cases.do(case, "comparison", comparison(house_is_rental=True))
    task = cases.ready(case)["rectify_house"]

    page = text(login_as("wjs_housing").get(f"/notices/new?instance_id={case}&task_id={task}"))

    assert "责令改正通知书" in page and "责令停止违法行为通知书" in page
    assert "三停一换" not in page and "解除租赁合同通知书" not in page and "行政处罚决定书" not in page


def test_letters_go_one_per_selected_person(services, lookup, login_as):
    case = start_case(services, lookup)
    people = add_persons(services, case, [("张三", ID_JIANGXI), ("王芳", ID_WUCHANG_F)])
    fields = {k: v for k, v in SAMPLES["registration_letter"].items() if k not in ("person_name", "id_number")}
    officer = login_as("wjs_market1")

    done = officer.post("/notices/new", data=_form(fields, type="registration_letter", instance_id=case,
                                                   person_id=people, action="issue"))

    assert done.status_code == 302
    listing = text(officer.get(done.headers["Location"]))
    assert "东市监致函〔2026〕1号" in listing and "东市监致函〔2026〕2号" in listing
    assert "江西省九江市德安县有关乡镇人民政府" in listing and "湖北省武汉市武昌区有关乡镇人民政府" in listing


def test_correct_and_void_from_the_notice_page(services, lookup, login_as):
    case = start_case(services, lookup)
    old = notices(services).issue("lease_termination", SAMPLES["lease_termination"], lookup.user("wjs_market1"),
                                  case)
    officer = login_as("wjs_market1")

    form = officer.get(f"/notices/{old.id}/correct")
    assert "更正 东市监责停〔2026〕1号" in text(form) and 'value="刘大成"' in text(form)
    corrected = officer.post(f"/notices/{old.id}/correct", data=_form(
        SAMPLES["lease_termination"], landlord_name="刘大城", reason="出租人姓名写错", action="issue"))
    assert corrected.status_code == 302
    new_page = text(officer.get(corrected.headers["Location"]))
    assert "东市监责停〔2026〕2号" in new_page and "刘大城" in new_page and "更正了" in new_page
    old_page = text(officer.get(f"/notices/{old.id}"))
    assert "已作废" in old_page and "出租人姓名写错" in old_page

    new_id = int(corrected.headers["Location"].rsplit("/", 1)[1])
    officer.post(f"/notices/{new_id}/void", data={"reason": "房屋已由业主自行收回"})
    listing = text(officer.get(f"/notices/case/{case}"))
    assert listing.count("<td>已作废</td>") == 2 and "<td>有效</td>" not in listing


def test_a_large_batch_runs_as_a_job_with_progress_then_gives_one_pdf(services, lookup, web, login_as):
    svc, actor = notices(services), lookup.user("wjs_market1")
    ids = [svc.issue("complaint_reply", SAMPLES["complaint_reply"], actor).id for _ in range(3)]
    web.config["NOTICES_BATCH_SYNC_LIMIT"] = 1
    officer = login_as("wjs_market1")

    started = officer.post("/notices/batch", data={"notice_id": ids})
    assert started.status_code == 302
    page = text(officer.get(started.headers["Location"]))
    assert "正在生成" in page and "<progress" in page and 'http-equiv="refresh"' in page
    assert officer.get(started.headers["Location"] + ".pdf").status_code == 409
    assert run_jobs(services) == 1
    page = text(officer.get(started.headers["Location"]))
    assert "已生成 3 份通知书" in page
    pdf = officer.get(started.headers["Location"] + ".pdf")
    merged = flat(pdf_text(pdf.data))
    assert all(f"东市监举复〔2026〕{i}号" in merged for i in (1, 2, 3))


def test_a_small_batch_prints_at_once(services, lookup, login_as):
    svc, actor = notices(services), lookup.user("wjs_market1")
    ids = [svc.issue(t, SAMPLES[t], actor).id for t in ("complaint_reply", "lease_termination")]

    pdf = login_as("wjs_market1").post("/notices/batch", data={"notice_id": ids})

    assert pdf.mimetype == "application/pdf"
    merged = flat(pdf_text(pdf.data))
    assert "东市监举复〔2026〕1号" in merged and "东市监责停〔2026〕1号" in merged
