"""The office records the assessment reads: each kind's checks, area scoping across streets, the audit trail,
the persons caught still without a letter, and the police's 110 alert XLSX import (good file, bad rows by row
number, nothing half-imported)."""
import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from engine_helpers import PERSONS, CaseDriver
from notice_helpers import ID_JIANGXI, ID_WUCHANG_F, SAMPLES, add_persons, notices, start_case
from workflows.audit.models import AuditEvent
from workflows.exceptions import NotFound, PermissionDenied, ValidationFailed
from workflows.office_records import alerts, letters, organisation
from workflows.office_records.catalogue import KINDS
from workflows.office_records.common import get, list_rows, save
from workflows.office_records.models import PoliceAlertCount

STREET = "吴家山街"
COMMUNITY = "吴家山街第一社区"
COMPOUND = "吴家山街第一社区花园小区"
JYH = "金银湖街"
TODAY = date(2026, 11, 23)  # the demo clock's office day
PHOTO = {"sha256": "a" * 64, "name": "活动.jpg", "content_type": "image/jpeg", "size": 1234}


def publicity(**kw):
    data = {"held_on": date(2026, 11, 20), "kind": "activity", "place": "花园小区广场", "participants": 40,
            "photos": [PHOTO], "note": ""}
    data.update(kw)
    return data


def test_publicity_is_checked_scoped_and_audited(services, lookup):
    market = lookup.user("wjs_market1")
    kind = KINDS["publicity"]
    with pytest.raises(ValidationFailed) as info:
        save(services, market, kind, "不存在的地址", publicity(held_on=TODAY + timedelta(days=1), kind="party",
                                                          place="", participants=-1))
    assert set(info.value.errors) == {"address", "held_on", "kind", "place", "participants"}
    assert "不能晚于今天" in info.value.errors["held_on"][0]
    record_id = save(services, market, kind, COMPOUND, publicity())
    save(services, market, kind, COMPOUND, publicity(place="花园小区东门", participants=55), record_id=record_id)
    detail = get(services, market, kind, record_id)
    assert (detail["row"].place, detail["row"].participants, detail["row"].photos) == ("花园小区东门", 55, [PHOTO])
    assert [h["created"] for h in detail["history"]] == [True, False]
    assert detail["history"][1]["fields"] == {"place": "花园小区东门", "participants": 55}
    # Another street neither sees nor changes it, and cannot record inside 吴家山街.
    other = lookup.user("jyh_market")
    assert list_rows(services, other, kind) == []
    with pytest.raises(NotFound):
        get(services, other, kind, record_id)
    with pytest.raises(NotFound):
        save(services, other, kind, JYH, publicity(), record_id=record_id)
    with pytest.raises(PermissionDenied):
        save(services, other, kind, COMPOUND, publicity())
    assert [r["row"].id for r in list_rows(services, lookup.user("dubanban"), kind)] == [record_id]
    with services.db.read() as s:
        kinds = list(s.scalars(sa.select(AuditEvent.kind).where(AuditEvent.kind.like("office_record%"))
                               .order_by(AuditEvent.id)))
    assert kinds == ["office_record_created", "office_record_updated"]


def test_persons_caught_without_a_letter(services, lookup):
    driver = CaseDriver(services, lookup)
    case_id = driver.start()
    driver.to_comparison(case_id)
    market = lookup.user("wjs_market1")
    missing = letters.persons_without_letter(services, market, TODAY, TODAY)
    assert sorted(p.id_number for p in missing) == sorted(p["id_number"] for p in PERSONS)
    kind = KINDS["letters"]
    with pytest.raises(ValidationFailed) as info:
        save(services, market, kind, STREET, {"id_number": "420106199001011235", "person_name": "李四",
                                              "sent_on": TODAY, "letter_number": "", "case_reference": "无此案"})
    assert set(info.value.errors) == {"id_number", "letter_number", "case_reference"}
    reference = driver.instance(case_id).reference
    letter_id = save(services, market, kind, STREET, {
        "id_number": PERSONS[0]["id_number"], "person_name": "张三", "sent_on": TODAY, "letter_number": "东市监致函〔2026〕1号",
        "case_reference": reference})
    row = get(services, market, kind, letter_id)["row"]
    assert row.registration_place.startswith("北京市")  # from the ID number, since none was typed
    assert row.case_instance_id == case_id
    assert [p.name for p in letters.persons_without_letter(services, market, TODAY, TODAY)] == ["李四"]
    # Outside the viewer's area nobody is listed.
    assert letters.persons_without_letter(services, lookup.user("jyh_market"), TODAY, TODAY) == []


def test_a_task_force_lacking_officers_is_recorded_and_its_shortfall_shown(services, lookup):
    leader = lookup.user("wjs_leader")
    kind = KINDS["groups"]
    members = [lookup.user(u) for u in ("wjs_police1", "wjs_police2", "wjs_market1", "wjs_market2", "wjs_housing")]
    with pytest.raises(ValidationFailed) as info:
        save(services, leader, kind, COMMUNITY, {"kind": "street_group", "name": "工作小组", "formed_on": TODAY,
                                                 "members": [lookup.user("jyh_market")]})
    assert set(info.value.errors) == {"address", "members"}
    group_id = save(services, leader, kind, STREET, {"kind": "task_force_241", "name": "吴家山街241专班",
                                                     "formed_on": date(2026, 3, 1), "members": members})
    with services.db.read() as s:
        group = s.get(KINDS["groups"].model, group_id)
        assert organisation.shortfall(s, group) == {"market": 2}
    # A police officer may not set up the street's groups.
    with pytest.raises(PermissionDenied):
        save(services, lookup.user("wjs_police1"), kind, STREET, {"kind": "street_group", "name": "小组",
                                                                  "formed_on": TODAY, "members": members})


def test_documents_reports_and_filings_are_checked(services, lookup):
    market = lookup.user("wjs_market1")
    with pytest.raises(ValidationFailed) as info:
        save(services, market, KINDS["documents"], STREET, {"kind": "funding", "year": 1999, "title": "经费",
                                                            "approved_on": TODAY, "amount": "很多"})
    assert set(info.value.errors) == {"year", "amount", "file"}
    with pytest.raises(ValidationFailed) as info:
        save(services, market, KINDS["reports"], STREET, {"kind": "statistics", "period_label": "2026年10月",
                                                          "due_on": date(2026, 11, 5),
                                                          "submitted_on": TODAY + timedelta(days=2)})
    assert set(info.value.errors) == {"submitted_on"}
    save(services, market, KINDS["filings"], STREET, {"case_reference": "东公（刑）立字〔2026〕18号",
                                                      "filed_on": date(2026, 6, 1), "receipt": PHOTO})
    with pytest.raises(ValidationFailed) as info:
        save(services, market, KINDS["filings"], STREET, {"case_reference": "东公（刑）立字〔2026〕18号",
                                                          "filed_on": date(2026, 6, 2)})
    assert "已登记过" in info.value.errors["case_reference"][0]


# ---------------------------------------------------------------- the police's XLSX
def workbook(rows, headers=alerts.HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def alert_rows(services):
    with services.db.read() as s:
        return s.execute(sa.select(PoliceAlertCount.area_path, PoliceAlertCount.period_start,
                                   PoliceAlertCount.alerts).order_by(PoliceAlertCount.period_start)).all()


def test_the_template_is_what_the_import_reads(services, lookup):
    ws = load_workbook(io.BytesIO(alerts.template())).active
    assert [c.value for c in ws[1]] == alerts.HEADERS
    police = lookup.user("wjs_police1")
    result = alerts.import_file(services, police, "警情.xlsx", workbook([
        [STREET, date(2026, 1, 1), date(2026, 6, 30), 45, "上半年"],
        [COMMUNITY, "2026-07-01", "2026-09-30", 12.0, None]]))
    assert result == {"created": 2, "replaced": 0}
    # The police's later figure for a period replaces the earlier one.
    assert alerts.import_file(services, police, "更正.xlsx", workbook([[STREET, "2026-01-01", "2026-06-30", 47]])) \
        == {"created": 0, "replaced": 1}
    assert [r.alerts for r in alert_rows(services)] == [47, 12]
    with services.db.read() as s:
        imports = list(s.scalars(sa.select(AuditEvent.details).where(AuditEvent.kind == "police_alerts_imported")
                                 .order_by(AuditEvent.id)))
    assert [(d["file"], d["created"], d["replaced"]) for d in imports] == [("警情.xlsx", 2, 0), ("更正.xlsx", 0, 1)]


def test_one_bad_row_refuses_the_whole_file_with_row_numbers(services, lookup):
    police = lookup.user("wjs_police1")
    content = workbook([
        [STREET, "2026-01-01", "2026-03-31", 20],          # row 2: good
        ["火星街", "2026-04-01", "2026-06-30", 3],           # row 3: unknown area
        [STREET, "2026-13-01", "2026-06-30", "许多"],        # row 4: bad date and count
        [JYH, "2026-04-01", "2026-06-30", 5],              # row 5: another street
        [STREET, "2026-01-01", "2026-03-31", 8],           # row 6: repeats row 2
    ])
    with pytest.raises(alerts.ImportRefused) as info:
        alerts.import_file(services, police, "警情.xlsx", content)
    assert [n for n, _ in info.value.problems] == [3, 4, 5, 6]
    messages = dict(info.value.problems)
    assert "火星街" in messages[3] and "不是日期" in messages[4] and "整数" in messages[4]
    assert "不在您的辖区内" in messages[5] and "第2行" in messages[6]
    assert alert_rows(services) == []  # nothing half-imported
    with pytest.raises(ValidationFailed) as info:
        alerts.import_file(services, police, "警情.xlsx", workbook([[STREET]], headers=["地址", "数量"]))
    assert "表头" in info.value.errors["file"][0]
    with pytest.raises(ValidationFailed):
        alerts.import_file(services, police, "警情.xlsx", b"not a zip")
    with pytest.raises(ValidationFailed) as info:
        alerts.import_file(services, lookup.user("wjs_grid"), "警情.xlsx", workbook([[STREET, "2026-01-01",
                                                                                     "2026-03-31", 1]]))
    assert "无权" in info.value.errors["file"][0]


def test_the_import_is_capped_like_the_ledgers(db_url, clock):
    from workflows import runtime
    services = runtime.build(db_url, settings_overrides={"import_max_rows": 3}, clock=clock)
    try:
        with services.db.read() as s:
            police = s.scalar(sa.select(organisation.User.id).where(organisation.User.username == "wjs_police1"))
        rows = [[STREET, date(2026, m, 1), date(2026, m, 28), m] for m in range(1, 6)]
        with pytest.raises(ValidationFailed) as info:
            alerts.import_file(services, police, "警情.xlsx", workbook(rows))
        assert "超过单次导入上限 3 行" in info.value.errors["file"][0]
    finally:
        services.db.dispose()


def test_a_letter_issued_in_the_case_is_offered_for_recording_but_not_counted_as_sent(services, lookup):
    case = start_case(services, lookup)
    people = add_persons(services, case, [("张三", ID_JIANGXI), ("王芳", ID_WUCHANG_F)])
    common = {k: v for k, v in SAMPLES["registration_letter"].items() if k not in ("person_name", "id_number")}
    [issued] = notices(services).issue_letters(case, people[:1], common, lookup.user("wjs_market1"))
    owed = {p.name: p for p in letters.persons_without_letter(services, lookup.user("wjs_market1"), TODAY, TODAY)}
    # Issued (签发) is not sent (寄送): both are still owed, and 张三's letter number is there to record.
    assert (owed["张三"].notice_number, owed["王芳"].notice_number) == (issued.number, "")
