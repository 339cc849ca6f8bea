"""Official notices: what an officer holds in hand (the PDF), its number, and the record behind it."""
import copy
import threading
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
import sqlalchemy as sa

from engine_helpers import CaseDriver, comparison
from notice_helpers import (ID_BEIJING, ID_JIANGXI, ID_WUCHANG_F, SAMPLES, add_persons, classify, count, flat,
                            notices, pdf_fonts, pdf_info, pdf_text, start_case)
from webapp.notices import render
from workflows.audit.models import AuditEvent
from workflows.exceptions import PermissionDenied, ValidationFailed, WorkflowError
from workflows.notices.legal import legal_data, types_for_task
from workflows.notices.models import Notice, NoticeCounter
from workflows.notices.service import NoticeService
from workflows.notices.validation import NoticeRejected, validate
from workflows.penalties.documents import STEP_OF_TYPE

CJK_HINTS = ("CJK", "Han", "Song", "Hei", "Kai", "Fang")


def _issue(services, lookup, notice_type, fields=None, user="wjs_market1", **kw):
    return notices(services).issue(notice_type, SAMPLES[notice_type] if fields is None else fields,
                                   lookup.user(user), **kw)


def _pdf(services, notice_id: int) -> bytes:
    svc = notices(services)
    notice = svc.get(notice_id)
    return render.render_pdf(svc.verified(notice), notice.status,
                             render.void_note(notice.status, **svc.void_details(notice)))


# ---------------------------------------------------------------------- every type prints right
# Rendering does not depend on the database; the other tests cover storing and reprinting on both.
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
# The penalty procedure's documents are issued only at their steps (tests/test_penalty_documents.py); the
# 三停一换 notice is withdrawn.
@pytest.mark.parametrize("notice_type", [t for t in SAMPLES if t != "utility_cutoff" and t not in STEP_OF_TYPE])
def test_each_type_prints_an_a4_pdf_with_its_title_number_addressee_and_legal_basis(services, lookup,
                                                                                     notice_type):
    case = start_case(services, lookup)
    if notice_type == "crime_transfer":  # the suspects come from the case, with their classification
        classify(services, add_persons(services, case, [("王五", ID_BEIJING), ("赵六", ID_JIANGXI)]), "crime")
    notice = _issue(services, lookup, notice_type, instance_id=case)
    pdf = _pdf(services, notice.id)

    text = pdf_text(pdf)
    content = notice.data
    assert "\ufffd" not in text, "a glyph came out as the replacement character"
    for phrase in (content["title"], notice.number, content["addressee"], content["basis_refs"],
                   content["issuer"]["name"], "2026年11月23日"):
        assert phrase and flat(phrase) in flat(text), phrase
    assert notice.number.startswith("东市监") and "〔2026〕1号" in notice.number

    fonts = pdf_fonts(pdf)
    assert fonts and all(f["emb"] == "yes" for f in fonts), fonts
    assert any(any(h in f["name"] for h in CJK_HINTS) for f in fonts), fonts
    assert "(A4)" in pdf_info(pdf)["Page size"]


def test_letter_is_addressed_from_the_id_number_one_letter_per_person(services, lookup):
    case = start_case(services, lookup)
    people = add_persons(services, case, [("张三", ID_JIANGXI), ("王芳", ID_WUCHANG_F)])
    common = {k: v for k, v in SAMPLES["registration_letter"].items() if k not in ("person_name", "id_number")}

    letters = notices(services).issue_letters(case, people, common, lookup.user("wjs_market1"))

    assert [n.number for n in letters] == ["东市监致函〔2026〕1号", "东市监致函〔2026〕2号"]
    first, second = (flat(pdf_text(_pdf(services, n.id))) for n in letters)
    assert "江西省九江市德安县有关乡镇人民政府（街道办事处）、村（居）民委员会：" in first and "张三（男" in first
    assert "湖北省武汉市武昌区有关乡镇人民政府" in second and "王芳（女，1988年8月8日出生" in second


def test_a_bad_id_number_refuses_every_letter_of_the_batch_and_numbers_none(services, lookup):
    case = start_case(services, lookup)
    people = add_persons(services, case, [("张三", ID_JIANGXI), ("李四", "420106199001011234")])
    common = {k: v for k, v in SAMPLES["registration_letter"].items() if k not in ("person_name", "id_number")}

    with pytest.raises(NoticeRejected) as refused:
        notices(services).issue_letters(case, people, common, lookup.user("wjs_market1"))

    assert "李四·id_number" in refused.value.errors
    assert "公民身份号码无效" in refused.value.message
    assert count(services, Notice) == 0 and count(services, NoticeCounter) == 0


# ---------------------------------------------------------------------- numbering
def test_numbers_run_per_issuer_type_and_year_without_gaps(services, lookup, clock):
    for _ in range(3):
        _issue(services, lookup, "rectification_order")
    lease = _issue(services, lookup, "lease_termination")
    housing = _issue(services, lookup, "rectification_order", user="wjs_housing")
    # 23:59 on 31 December in Beijing is still 2026; one minute later the series restarts.
    clock.advance(seconds=(datetime(2026, 12, 31, 15, 59, tzinfo=timezone.utc) - clock.now()).total_seconds())
    last_2026 = _issue(services, lookup, "rectification_order", fields=dict(SAMPLES["rectification_order"],
                                                                            deadline="2027-01-15"))
    clock.advance(minutes=1)
    first_2027 = _issue(services, lookup, "rectification_order", fields=dict(SAMPLES["rectification_order"],
                                                                             deadline="2027-01-15"))

    with services.db.read() as s:
        numbers = list(s.scalars(sa.select(Notice.number).order_by(Notice.id)))
    assert numbers[:3] == ["东市监责改〔2026〕1号", "东市监责改〔2026〕2号", "东市监责改〔2026〕3号"]
    assert lease.number == "东市监责停〔2026〕1号"
    assert housing.number == "东房责改〔2026〕1号"
    assert last_2026.number == "东市监责改〔2026〕4号"
    assert first_2027.number == "东市监责改〔2027〕1号"
    assert "2027年1月1日" in flat(pdf_text(_pdf(services, first_2027.id)))


def test_concurrent_issuing_gives_consecutive_unique_numbers(services, lookup, db_url):
    """Eight officers issue at the same instant, each through their own engine (as separate web processes)."""
    from workflows import runtime
    officers = [runtime.build(db_url, clock=services.workflow.clock) for _ in range(8)]
    actor = lookup.user("wjs_market1")
    barrier, issued, failures = threading.Barrier(8), [], []

    def officer(i):
        svc = NoticeService.for_services(officers[i])
        barrier.wait()
        try:
            for _ in range(5):
                issued.append(svc.issue("complaint_reply", SAMPLES["complaint_reply"], actor).number)
        except Exception as exc:  # collected so the assertion shows it
            failures.append(repr(exc))

    threads = [threading.Thread(target=officer, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for o in officers:
        o.db.dispose()

    assert failures == []
    assert sorted(issued, key=lambda n: int(n.split("〕")[1][:-1])) == \
        [f"东市监举复〔2026〕{i}号" for i in range(1, 41)]
    with services.db.read() as s:
        assert s.scalar(sa.select(NoticeCounter.last_number)) == 40


# ---------------------------------------------------------------------- refusals
def test_missing_fields_are_listed_and_no_number_is_taken(services, lookup):
    fields = dict(SAMPLES["rectification_order"], facts="  ", deadline="")
    del fields["party_address"]

    with pytest.raises(NoticeRejected) as refused:
        _issue(services, lookup, "rectification_order", fields=fields)

    assert refused.value.missing == ["当事人地址", "经查明的事实", "改正期限"]
    assert refused.value.message.startswith("通知书缺少必填内容：当事人地址、经查明的事实、改正期限")
    assert refused.value.status == 422
    assert count(services, Notice) == 0 and count(services, NoticeCounter) == 0
    assert _issue(services, lookup, "rectification_order").number == "东市监责改〔2026〕1号"


def test_a_deadline_on_or_before_the_issue_date_is_refused(services, lookup):
    with pytest.raises(NoticeRejected) as refused:
        _issue(services, lookup, "lease_termination",
               fields=dict(SAMPLES["lease_termination"], deadline="2026-11-23"))
    assert "应晚于签发日期（2026年11月23日）" in refused.value.message


@pytest.mark.parametrize("role, amount, accepted", [
    ("participant", "2000", True), ("participant", "2000.01", False), ("participant", "0", False),
    ("introducer", "99999", False), ("introducer", "100000", True), ("introducer", "500000", True),
    ("organiser", "2000001", False), ("organiser", "500000", True),
    ("premises", "50000", True), ("premises", "49999.99", False), ("premises", "500001", False),
])
def test_fine_ranges_follow_the_regulation_for_each_role(role, amount, accepted):
    fields = dict(SAMPLES["penalty_decision"], role=role, fine_yuan=amount)
    if accepted:
        assert validate("penalty_decision", fields, date(2026, 11, 23))["fine_yuan"] == f"{Decimal(amount):.2f}"
        return
    with pytest.raises(NoticeRejected) as refused:
        validate("penalty_decision", fields, date(2026, 11, 23))
    assert list(refused.value.errors) == ["fine_yuan"]
    if Decimal(amount) > 0:
        assert legal_data()["fine_ranges"][role]["label"] in refused.value.message
        assert "超出该范围" in refused.value.message


def test_sorted_handling_tasks_offer_their_notices_and_the_penalty_roles_of_their_branch(services, lookup):
    assert [t for t, _ in types_for_task("six_step_case", "rectify_house")] == \
        ["rectification_order", "lease_termination"]
    cases = CaseDriver(services, lookup)
    case = cases.start()
    cases.to_comparison(case)
    cases.do(case, "comparison", comparison(has_core=True, house_is_rental=True))
    tasks = cases.ready(case)
    svc, officer = notices(services), lookup.user("wjs_market1")

    with pytest.raises(WorkflowError, match="不签发涉嫌犯罪案件移送书"):
        svc.issue("crime_transfer", SAMPLES["crime_transfer"], officer, case, tasks["penalty_core"])
    # A penalty decision is issued only by the party's own penalty procedure, never from a sorted-handling step.
    with pytest.raises(WorkflowError, match="不签发行政处罚决定书"):
        svc.issue("penalty_decision", SAMPLES["penalty_decision"], officer, case, tasks["penalty_core"])
    order = svc.issue("rectification_order", SAMPLES["rectification_order"], lookup.user("wjs_housing"), case,
                      tasks["rectify_house"])
    assert [n.number for n in svc.list_for_case(case)] == [order.number]


def test_officers_outside_the_area_or_role_cannot_issue(services, lookup):
    case = start_case(services, lookup)
    with pytest.raises(PermissionDenied, match="不在您的辖区内"):
        _issue(services, lookup, "rectification_order", user="jyh_market", instance_id=case)
    with pytest.raises(PermissionDenied, match="不能签发行政处罚决定书"):
        _issue(services, lookup, "penalty_decision", user="wjs_police1", instance_id=case)
    assert count(services, Notice) == 0


# ---------------------------------------------------------------------- immutability
def test_reprint_gives_the_same_text_even_after_the_legal_data_changes(services, lookup):
    notice = _issue(services, lookup, "rectification_order")
    first = pdf_text(_pdf(services, notice.id))

    edited = copy.deepcopy(legal_data())
    edited["appeal"] = "新的救济途径表述{doc}{review_body}"
    edited["issuers"]["东市监"]["review_body"] = "另一机关"
    later = NoticeService(services.db, services.workflow.clock, legal=edited)
    newer = later.issue("rectification_order", SAMPLES["rectification_order"], lookup.user("wjs_market1"))

    assert pdf_text(_pdf(services, notice.id)) == first
    assert "武汉市东西湖区人民政府申请行政复议" in flat(first)
    assert "另一机关" in flat(pdf_text(_pdf(services, newer.id)))


def test_the_database_refuses_to_change_or_delete_an_issued_notice(services, lookup):
    notice = _issue(services, lookup, "complaint_reply")
    for statement in (sa.update(Notice).where(Notice.id == notice.id).values(content="{}"),
                      sa.update(Notice).where(Notice.id == notice.id).values(number="东市监举复〔2026〕99号"),
                      sa.delete(Notice).where(Notice.id == notice.id)):
        with pytest.raises(sa.exc.DatabaseError):
            with services.db.unit_of_work() as s:
                s.execute(statement)
    assert notices(services).get(notice.id).content == notice.content


def test_correction_issues_a_new_notice_voids_the_old_keeps_both_and_audits_both(services, lookup):
    case = start_case(services, lookup)
    svc, officer = notices(services), lookup.user("wjs_market1")
    old = svc.issue("rectification_order", SAMPLES["rectification_order"], officer, case)

    with pytest.raises(ValidationFailed):
        svc.correct(old.id, SAMPLES["rectification_order"], officer, reason=" ")
    new = svc.correct(old.id, dict(SAMPLES["rectification_order"], deadline="2026-12-15"), officer,
                      reason="改正期限写错")

    old, new = svc.get(old.id), svc.get(new.id)
    assert (old.status, old.replaced_by_id, old.void_reason) == ("voided", new.id, "改正期限写错")
    assert (new.status, new.replaces_id, new.number) == ("issued", old.id, "东市监责改〔2026〕2号")
    assert [n.number for n in svc.list_for_case(case)] == ["东市监责改〔2026〕1号", "东市监责改〔2026〕2号"]

    voided_text = flat(pdf_text(_pdf(services, old.id)))
    assert "作废" in voided_text and "更正后的文书为东市监责改〔2026〕2号" in voided_text
    assert "2026年12月8日前改正" in voided_text  # the old content is kept as it was
    assert "2026年12月15日前改正" in flat(pdf_text(_pdf(services, new.id)))

    with services.db.read() as s:
        events = [(e.kind, e.details.get("number"), e.actor_id) for e in s.scalars(
            sa.select(AuditEvent).where(AuditEvent.kind.like("notice_%")).order_by(AuditEvent.id))]
    assert events == [("notice_issued", "东市监责改〔2026〕1号", officer),
                      ("notice_issued", "东市监责改〔2026〕2号", officer),
                      ("notice_voided", "东市监责改〔2026〕1号", officer)]

    with pytest.raises(WorkflowError, match="已作废"):
        svc.correct(old.id, SAMPLES["rectification_order"], officer, reason="再改一次")
    with pytest.raises(WorkflowError, match="已作废"):
        svc.void(old.id, officer, reason="再作废一次")


# ---------------------------------------------------------------------- batch
def test_a_batch_merges_several_notices_into_one_pdf_each_on_its_own_pages(services, lookup):
    svc, officer = notices(services), lookup.user("wjs_market1")
    ids = [svc.issue(t, SAMPLES[t], officer).id for t in ("complaint_reply", "lease_termination", "naming_certificate")]
    singles = [int(pdf_info(_pdf(services, i))["Pages"]) for i in ids]
    progress = []

    pdf = render.render_batch([(c, n.status, "") for n, c in svc.contents(ids, officer)], progress.append, every=1)

    text = flat(pdf_text(pdf))
    assert int(pdf_info(pdf)["Pages"]) == sum(singles)
    assert all(n in text for n in ("东市监举复〔2026〕1号", "东市监责停〔2026〕1号", "东市监创无〔2026〕1号"))
    assert progress[-1] == 3
