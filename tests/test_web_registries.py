"""Ledger pages: rental houses (两书一备案, flag → patrol, 三停一换, lifting the flag), intermediaries with their
pledge and violations, the blacklist, imports with bad rows (line numbers, nothing imported unless chosen, a
background job with progress for large files), XLSX exports read back, and area scoping by URL, post, download."""
import io

import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from job_helpers import run_jobs
from ledger_helpers import HEADERS, house_row
from web_fixtures import JYH_ROOM, ROOM, app, client, login_as, make_id, text  # noqa: F401  (fixtures)
from workflows.ledgers.models import BlacklistEntry, Intermediary, LedgerImportJob, RentalHouse

ROOM2 = "吴家山街第一社区花园小区1栋1单元102室"
OWNER_ID = make_id("420102", "19850505", "201")
TENANT_ID = make_id("360426", "19950612", "456")
CREDIT_CODE = "91420112MA4KXXXX0X"


def valid_uscc() -> str:
    from stdnum.cn import uscc
    body = "91420112MA4K12345"
    return body + uscc.calc_check_digit(body)


HOUSE = {"address": ROOM, "owner_name": "王房东", "owner_id_number": OWNER_ID, "owner_phone": "13800001111",
         "tenants": f"张三 {TENANT_ID} 13912345678", "commitment_signed_on": "2026-03-01",
         "security_pledge_signed_on": "2026-03-01", "filed_on": "2026-03-05", "filing_number": "BA-001", "note": ""}


def count(services, model):
    with services.db.read() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(model))


def house_id(response) -> int:
    assert response.status_code == 302, text(response)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def xlsx(rows) -> bytes:
    wb = Workbook()
    wb.active.append(HEADERS)
    for r in rows:
        wb.active.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(c, content, name="houses.xlsx", ledger="houses"):
    return c.post(f"/registries/{ledger}/import", data={"file": (io.BytesIO(content), name)},
                  content_type="multipart/form-data")


def test_register_a_house_flag_it_and_lift_the_flag(services, login_as):
    housing = login_as("wjs_housing")
    hid = house_id(housing.post("/registries/houses/new", data=dict(HOUSE, flagged="y")))
    page = text(housing.get(f"/registries/houses/{hid}"))
    assert "王房东" in page and "齐全" in page and "涉传出租屋" in page and "张三" in page
    with services.db.read() as s:
        house = s.get(RentalHouse, hid)
    assert house.flagged and house.patrol_instance_id and house.tenants[0]["id_number"] == TENANT_ID
    assert "花园小区1栋1单元101室" in text(housing.get("/registries/houses?flagged=1"))
    assert "花园小区1栋1单元101室" not in text(housing.get("/registries/houses?flagged=0"))
    assert "花园小区1栋1单元101室" in text(housing.get("/registries/houses?q=王房东"))
    r = housing.post(f"/registries/houses/{hid}/three-stops", data={"state": "in_place", "on": "2026-11-20"})
    assert r.status_code == 302
    assert "已实施" in text(housing.get(f"/registries/houses/{hid}"))
    # Only housing officers lift a flag, and with a reason.
    market = login_as("wjs_market1")
    assert market.post(f"/registries/houses/{hid}/unflag", data={"reason": "整改到位"}).status_code == 403
    r = housing.post(f"/registries/houses/{hid}/unflag", data={"reason": ""}, follow_redirects=True)
    assert "请填写解除涉传标记的理由" in text(r)
    r = housing.post(f"/registries/houses/{hid}/unflag", data={"reason": "房东已整改，租客已更换"})
    assert r.status_code == 302
    with services.db.read() as s:
        assert not s.get(RentalHouse, hid).flagged


def test_house_form_errors_are_shown_in_chinese(services, login_as):
    housing = login_as("wjs_housing")
    r = housing.post("/registries/houses/new", data=dict(HOUSE, address="吴家山街不存在的小区", owner_name=" ",
                                                          owner_id_number="420102198505052011",
                                                          tenants="李四 123"))
    assert r.status_code == 422
    page = text(r)
    assert "请填写房东姓名" in page and "校验位不正确" in page and "第1行" in page
    r = housing.post("/registries/houses/new", data=dict(HOUSE, address="吴家山街不存在的小区"))
    assert r.status_code == 422 and "不在标准地址库中" in text(r)
    r = housing.post("/registries/houses/new", data=dict(HOUSE, address=JYH_ROOM))
    assert r.status_code == 422 and "不在您的辖区内" in text(r)
    assert count(services, RentalHouse) == 0


def test_another_streets_officer_cannot_see_edit_or_download_a_house(services, login_as):
    hid = house_id(login_as("wjs_housing").post("/registries/houses/new", data=HOUSE))
    jyh = login_as("jyh_market")
    for url in (f"/registries/houses/{hid}", f"/registries/houses/{hid}/edit"):
        assert jyh.get(url).status_code == 404, url
    assert jyh.post(f"/registries/houses/{hid}/edit", data=HOUSE).status_code == 404
    assert jyh.post(f"/registries/houses/{hid}/three-stops", data={"state": "in_place"}).status_code == 404
    assert "花园小区1栋1单元101室" not in text(jyh.get("/registries/houses?q=王房东"))
    ws = load_workbook(io.BytesIO(jyh.get("/registries/houses/export.xlsx").data)).active
    assert [r for r in ws.iter_rows(values_only=True)][1:] == []
    with services.db.read() as s:
        assert s.get(RentalHouse, hid).three_stops_state == "none"


def test_house_export_opens_in_excel_with_chinese_headers(services, login_as):
    housing = login_as("wjs_housing")
    house_id(housing.post("/registries/houses/new", data=dict(HOUSE, owner_party_member="y")))
    r = housing.get("/registries/houses/export.xlsx")
    assert r.status_code == 200 and "attachment" in r.headers["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(r.data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "地址" and "房东是否党员" in rows[0]
    assert rows[1][0] == ROOM and rows[1][rows[0].index("房东是否党员")] == "是"
    assert housing.get("/registries/nothing/export.xlsx").status_code == 404


def test_an_import_with_bad_rows_reports_lines_and_imports_the_good_rows_only_when_chosen(services, login_as):
    housing = login_as("wjs_housing")
    content = xlsx([house_row(ROOM), house_row(ROOM2, id_number="420102198505052011"),
                    house_row("吴家山街不存在的小区9栋"), house_row(JYH_ROOM)])
    r = upload(housing, content)
    assert r.status_code == 302
    page = text(housing.get(r.headers["Location"]))
    assert "未导入任何数据" in page and "第3行" in page and "第4行" in page and "第5行" in page
    assert "校验位不正确" in page and "不在标准地址库中" in page and "辖区" in page
    assert count(services, RentalHouse) == 0
    job_id = int(r.headers["Location"].rsplit("/", 1)[1])
    assert "只导入正确的 1 行" in page
    # Another officer cannot see the report (it quotes the file) nor import it.
    assert login_as("wjs_housing").get(f"/registries/imports/{job_id}").status_code == 200  # same user, new login
    assert login_as("wjs_grid").get(f"/registries/imports/{job_id}").status_code == 404
    assert login_as("wjs_grid").post(f"/registries/imports/{job_id}/import-good").status_code == 404
    r = housing.post(f"/registries/imports/{job_id}/import-good")
    assert r.status_code == 302
    page = text(housing.get(r.headers["Location"]))
    assert "已导入正确的 1 行" in page
    assert count(services, RentalHouse) == 1
    # Importing the same job twice is refused, clearly.
    r = housing.post(f"/registries/imports/{job_id}/import-good")
    assert r.status_code == 400 and "已经导入" in text(r)


def test_a_clean_csv_imports_at_once_and_a_broken_file_is_refused_clearly(services, login_as):
    housing = login_as("wjs_housing")
    lines = [",".join(HEADERS), ",".join(str(v) for v in house_row(ROOM))]
    r = upload(housing, ("\r\n".join(lines) + "\r\n").encode("gb18030"), "houses.csv")
    assert "全部 1 行已导入" in text(housing.get(r.headers["Location"]))
    # A file that is no workbook is refused on the upload page itself, before any job is made.
    r = upload(housing, b"not a workbook", "houses.xlsx")
    assert r.status_code == 422 and "无法读取 Excel 文件" in text(r)
    r = upload(housing, b"a,b", "houses.pdf")
    assert "只支持 .xlsx 或 .csv 文件" in text(housing.get(r.headers["Location"]))
    r = housing.post("/registries/houses/import", data={}, content_type="multipart/form-data")
    assert r.status_code == 422 and "请选择要导入的" in text(r)


def test_a_large_import_runs_in_the_background_with_progress(services, app, login_as):
    app.config["REGISTRY_IMPORT_SYNC_BYTES"] = 0  # every file becomes a background job
    housing = login_as("wjs_housing")
    rooms = [f"吴家山街第一社区花园小区{b}栋{u}单元{r}室" for b in (1, 2) for u in (1, 2) for r in (101, 102, 201, 202)]
    content = xlsx([house_row(room, id_number=make_id("420102", "19850505", f"{i:03d}")) for i, room in enumerate(rooms)])
    r = upload(housing, content)
    job_url = r.headers["Location"]
    # Queued for the worker: the page refreshes itself and shows progress.
    page = text(housing.get(job_url))
    assert "正在逐行检查" in page and 'http-equiv="refresh"' in page and "已处理" in page
    assert count(services, RentalHouse) == 0
    assert run_jobs(services) == 1
    page = text(housing.get(job_url))
    assert "正在" not in page and f"全部 {len(rooms)} 行已导入" in page
    assert count(services, RentalHouse) == len(rooms)
    with services.db.read() as s:
        job = s.scalar(sa.select(LedgerImportJob))
    assert (job.status, job.total, job.done, job.content) == ("done", len(rooms), len(rooms), None)


def test_intermediary_with_its_pledge_and_a_violation(services, login_as):
    housing = login_as("wjs_housing")
    code = valid_uscc()
    r = housing.post("/registries/intermediaries/new", data={
        "name": "安居房屋中介", "credit_code": code, "address": ROOM, "contact_name": "刘经理",
        "contact_phone": "13800002222", "pledge_signed_on": "2026-04-01", "note": ""})
    assert r.status_code == 302, text(r)
    agency_id = int(r.headers["Location"].rsplit("/", 1)[1])
    page = text(housing.get(f"/registries/intermediaries/{agency_id}"))
    assert "拒绝为传销人员提供房源承诺书" in page and "2026-04-01" in page
    r = housing.post(f"/registries/intermediaries/{agency_id}/violations",
                     data={"description": "为传销人员介绍房源", "case_reference": "AJ0000"})
    assert r.status_code == 422 and "找不到该案件编号" in text(r)
    r = housing.post(f"/registries/intermediaries/{agency_id}/violations",
                     data={"description": "为传销人员介绍房源", "case_reference": ""})
    assert r.status_code == 302
    page = text(housing.get(f"/registries/intermediaries/{agency_id}"))
    assert "为传销人员介绍房源" in page
    assert "安居房屋中介" in text(housing.get("/registries/intermediaries?q=安居"))
    r = housing.post("/registries/intermediaries/new", data={"name": "x", "credit_code": CREDIT_CODE, "address": ROOM})
    assert r.status_code == 422 and "校验不通过" in text(r)
    jyh = login_as("jyh_market")
    assert jyh.get(f"/registries/intermediaries/{agency_id}").status_code == 404
    assert jyh.post(f"/registries/intermediaries/{agency_id}/violations",
                    data={"description": "越权登记"}).status_code == 404
    assert "安居房屋中介" not in text(jyh.get("/registries/intermediaries"))
    r = jyh.post("/registries/intermediaries/new", data={"name": "抢注", "credit_code": code, "address": JYH_ROOM})
    assert r.status_code == 422 and "其他辖区" in text(r)
    with services.db.read() as s:
        agency = s.get(Intermediary, agency_id)
    assert agency.violation_count == 1 and agency.name == "安居房屋中介"


def test_blacklist_search_and_export(services, login_as):
    with services.db.unit_of_work() as s:
        s.add(BlacklistEntry(id_number=TENANT_ID, name="李四", registration_place="江西省", phones="13912345678",
                             group_numbers="600123", bank_cards="6222021234567890123", catch_count=2,
                             last_role="core", first_caught_at=services.workflow.now(),
                             last_caught_at=services.workflow.now()))
    jyh = login_as("jyh_police")  # the blacklist is district-wide
    page = text(jyh.get("/registries/blacklist?q=600123"))
    assert "李四" in page and "回流" in page and "骨干成员" in page
    assert "李四" not in text(jyh.get("/registries/blacklist?q=13000000000"))
    rows = list(load_workbook(io.BytesIO(jyh.get("/registries/blacklist/export.xlsx").data)).active
                .iter_rows(values_only=True))
    assert rows[0][:2] == ("身份证号", "姓名") and rows[1][1] == "李四"
    # Only police, market supervision or the administrator import blacklist files.
    grid = login_as("wjs_grid")
    r = upload(grid, b"x", "b.csv", ledger="blacklist")
    assert "只有公安、市场监管或管理员可以导入黑名单" in text(grid.get(r.headers["Location"]))
