"""Ledgers: import with per-row validation (all or nothing unless chosen), XLSX export, area scoping, catches."""
import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from engine_helpers import PERSONS, ROOM, CaseDriver, comparison
from ledger_helpers import HEADERS, house_row
from workflows.complaints import service as complaints
from workflows.exceptions import PermissionDenied, WorkflowError
from workflows.ledgers import registries, spreadsheets
from workflows.ledgers.models import BlacklistEntry, Intermediary, RentalHouse

ROOM2 = "吴家山街第一社区花园小区1栋1单元102室"
ROOM3 = "吴家山街第一社区花园小区1栋1单元201室"
OTHER_STREET = "金银湖街第一社区花园小区1栋1单元101室"


def xlsx(headers, rows) -> bytes:
    wb = Workbook()
    wb.active.append(headers)
    for r in rows:
        wb.active.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def count(services, model):
    with services.db.read() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(model))


def test_an_import_with_bad_rows_reports_each_line_and_imports_nothing(services, lookup):
    rows = [house_row(ROOM),                                                # line 2: good
            house_row(ROOM2, id_number="420102198505052011"),              # line 3: wrong check digit
            house_row("吴家山街不存在的小区9栋"),                              # line 4: unknown address
            house_row(ROOM3, **{"房东是否党员": "也许"}),                     # line 5: not yes/no
            house_row(ROOM),                                                # line 6: same house twice
            house_row(OTHER_STREET)]                                        # line 7: outside the officer's area
    content = xlsx(HEADERS, rows)
    seen = []
    report = spreadsheets.import_file(services, lookup.user("wjs_housing"), "houses", "houses.xlsx", content,
                                   progress=lambda done, total: seen.append((done, total)))
    assert [(e.line, e.column) for e in report.errors] == [
        (3, "房东身份证号"), (4, "地址"), (5, "房东是否党员"), (6, "地址"), (7, "地址")]
    assert "校验位不正确" in report.errors[0].message and "不在标准地址库中" in report.errors[1].message
    assert "与第2行重复" in report.errors[3].message and "辖区" in report.errors[4].message
    assert str(report.errors[0]).startswith("第3行")
    assert (report.total, report.valid, report.imported, report.committed) == (6, 1, 0, False)
    assert seen[-1] == (6, 6)
    assert count(services, RentalHouse) == 0  # all or nothing

    report = spreadsheets.import_file(services, lookup.user("wjs_housing"), "houses", "houses.xlsx", content,
                                   import_good_rows=True)
    assert report.imported == 1 and count(services, RentalHouse) == 1
    [house] = registries.list_houses(services, lookup.user("wjs_housing"))
    assert house.address == ROOM and house.two_letters_one_filing and not house.flagged


def test_a_gbk_csv_imports_and_a_flagged_row_starts_its_patrol(services, lookup):
    lines = [",".join(HEADERS), ",".join(str(v) for v in house_row(ROOM, **{"是否涉传": "是", "涉传次数": "1"}))]
    content = ("\r\n".join(lines) + "\r\n").encode("gb18030")
    report = spreadsheets.import_file(services, lookup.user("wjs_housing"), "houses", "houses.csv", content)
    assert report.errors == [] and report.imported == 1
    [house] = registries.list_houses(services, lookup.user("wjs_housing"), flagged=True)
    assert house.catch_count == 1 and house.patrol_instance_id is not None


def test_missing_columns_and_wrong_file_types_are_refused(services, lookup):
    with pytest.raises(WorkflowError, match="缺少必需的列"):
        spreadsheets.import_file(services, lookup.user("wjs_housing"), "houses", "h.xlsx",
                              xlsx(["备注"], [["x"]]))
    with pytest.raises(WorkflowError, match="xlsx"):
        spreadsheets.import_file(services, lookup.user("wjs_housing"), "houses", "h.txt", b"abc")


def test_export_opens_with_chinese_headers_and_reads_back(services, lookup):
    spreadsheets.import_file(services, lookup.user("wjs_housing"), "houses", "h.xlsx",
                          xlsx(HEADERS, [house_row(ROOM), house_row(ROOM2, owner="房东乙")]))
    data = spreadsheets.export_registry(services, lookup.user("wjs_housing"), "houses")
    ws = load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("地址", "房东姓名", "房东身份证号") and "三停一换" in rows[0]
    assert [r[1] for r in rows[1:]] == ["房东甲", "房东乙"]
    assert rows[1][rows[0].index("房东是否党员")] == "否"
    assert rows[1][rows[0].index("租赁备案日期")].date().isoformat() == "2026-03-05"
    # What we export imports again unchanged (same columns, no errors).
    again = spreadsheets.import_file(services, lookup.user("wjs_housing"), "houses", "again.xlsx", data)
    assert again.errors == [] and again.imported == 2


def test_registries_are_scoped_to_the_officers_area(services, lookup):
    registries.save_house(services, lookup.user("wjs_housing"), ROOM, owner_name="房东甲")
    assert len(registries.list_houses(services, lookup.user("wjs_housing"))) == 1
    assert registries.list_houses(services, lookup.user("jyh_market")) == []
    assert len(registries.list_houses(services, lookup.user("dubanban"), q="房东甲")) == 1  # the district sees all
    house_id = registries.list_houses(services, lookup.user("wjs_housing"))[0].id
    with pytest.raises(WorkflowError):
        registries.get_house(services, lookup.user("jyh_market"), house_id)
    with pytest.raises(PermissionDenied):
        registries.save_house(services, lookup.user("jyh_market"), ROOM, owner_name="改名")
    data = spreadsheets.export_registry(services, lookup.user("jyh_market"), "houses")
    assert len(list(load_workbook(io.BytesIO(data)).active.iter_rows())) == 1  # header only


def test_blacklist_and_intermediary_imports_validate_their_numbers(services, lookup):
    bl_headers = [c.header for c in spreadsheets.SPECS["blacklist"] if not c.exported_only]
    good = ["420111198807071117", "赵六", "", "骨干成员", "13700001111", "6100", "6222020000000000", "2",
            "2025-05-01", "2026-01-02"]
    bad = ["420111198807071118", "钱七", "", "头目", "", "", "", "", "", ""]
    report = spreadsheets.import_file(services, lookup.user("wjs_police1"), "blacklist", "bl.xlsx",
                                   xlsx(bl_headers, [good, bad]), import_good_rows=True)
    assert [(e.line, e.column) for e in report.errors] == [(3, "身份证号"), (3, "角色")]
    with services.db.read() as s:
        entry = s.scalar(sa.select(BlacklistEntry))
    assert (entry.name, entry.last_role, entry.catch_count, entry.group_numbers) == ("赵六", "core", 2, "6100")
    assert entry.registration_place.startswith("湖北省")
    with pytest.raises(PermissionDenied):
        spreadsheets.import_file(services, lookup.user("wjs_grid"), "blacklist", "bl.xlsx", xlsx(bl_headers, [good]))

    im_headers = [c.header for c in spreadsheets.SPECS["intermediaries"] if not c.exported_only]
    rows = [["安居房产中介", "91420112MA4KL1230M", ROOM, "孙经理", "13600001111", "2026-02-01", ""],
            ["乐居中介", "91420112MA4KL1230X", ROOM2, "", "", "", ""]]
    report = spreadsheets.import_file(services, lookup.user("wjs_housing"), "intermediaries", "im.xlsx",
                                   xlsx(im_headers, rows))
    assert [(e.line, e.column) for e in report.errors] == [(3, "统一社会信用代码")] and count(services, Intermediary) == 0
    agency_id = registries.save_intermediary(services, lookup.user("wjs_housing"), "91420112MA4KL1230M",
                                             "安居房产中介", ROOM, pledge_signed_on=None)
    registries.record_violation(services, lookup.user("wjs_housing"), agency_id, "向传销人员出租房屋")
    [agency] = registries.list_intermediaries(services, lookup.user("wjs_housing"), q="安居")
    assert agency.violation_count == 1
    ws = load_workbook(io.BytesIO(spreadsheets.export_registry(services, lookup.user("wjs_housing"),
                                                            "intermediaries"))).active
    assert ws["B1"].value == "统一社会信用代码" and ws["B2"].value == "91420112MA4KL1230M"


def run_to_comparison(services, lookup):
    cases = CaseDriver(services, lookup)
    case = cases.start()
    cases.to_comparison(case)
    return cases, case


def test_a_second_catch_of_the_same_house_sends_the_case_to_the_landlord_penalty(services, lookup):
    house_id = registries.save_house(services, lookup.user("wjs_housing"), ROOM, owner_name="房东甲")
    cases, first = run_to_comparison(services, lookup)
    facts = services.workflow.instance_view(first).last_data["house"]
    assert facts["registered"] and facts["prior_catches"] == 0
    with services.db.read() as s:
        house = s.get(RentalHouse, house_id)
        assert house.catch_count == 1 and house.flagged and house.patrol_instance_id  # caught: flagged and patrolled
        assert registries.house_prior_catches(s, house.area_id, first) == 0
    cases.do(first, "comparison", comparison(house_is_rental=True, house_prior_catches=facts["prior_catches"]))
    assert "rectify_house" in cases.ready(first)

    _cases, second = run_to_comparison(services, lookup)
    facts = services.workflow.instance_view(second).last_data["house"]
    assert facts["prior_catches"] >= 1
    with services.db.read() as s:
        area_id = s.get(RentalHouse, house_id).area_id
        assert registries.house_prior_catches(s, area_id, second) == 1
        assert registries.house_facts(s, area_id, second)["prior_catches"] == 1
    cases.do(second, "comparison", comparison(house_is_rental=True, house_prior_catches=facts["prior_catches"]))
    assert "penalty_landlord" in cases.ready(second)
    detail = registries.get_house(services, lookup.user("wjs_housing"), house_id)
    assert [c["instance_id"] for c in detail["catches"]] == [first, second]
    assert PERSONS  # the case drove real persons through the comparison


def test_three_stops_state_is_recorded_with_its_date(services, lookup):
    house_id = registries.save_house(services, lookup.user("wjs_housing"), ROOM, owner_name="房东甲")
    registries.set_three_stops(services, lookup.user("wjs_housing"), house_id, "in_place")
    house = registries.get_house(services, lookup.user("wjs_housing"), house_id)["house"]
    assert house.three_stops_state == "in_place" and house.three_stops_on.isoformat() == "2026-11-23"
    with pytest.raises(WorkflowError):
        registries.set_three_stops(services, lookup.user("wjs_housing"), house_id, "half")


def test_complaint_ledger_exports_without_identities(services, lookup):
    complaints.record(services, lookup.user("wjs_market1"), {
        "channel": "visit", "content": "来访举报传销窝点", "address": ROOM, "anonymous": False,
        "complainant_name": "来访人张某", "complainant_phone": "13500000000"})
    data = spreadsheets.export_complaint_ledger(services, lookup.user("wjs_leader"))
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[0] == tuple(complaints.LEDGER_HEADERS)
    assert rows[1][2] == "来访" and rows[1][5] == "实名" and rows[1][10] == "办理中"
    assert "来访人张某" not in str(rows)
