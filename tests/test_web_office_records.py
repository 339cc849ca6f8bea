"""The office records' pages as an officer uses them: recording with photos, bad input kept with Chinese
messages, changes with history, files, other streets refused, the 110 alert import and its template."""
import hashlib
import io
from datetime import date

from openpyxl import Workbook, load_workbook

from web_fixtures import app, client, login_as, text, user_id  # noqa: F401  (fixtures)
from workflows.office_records import alerts

COMPOUND = "吴家山街第一社区花园小区"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"0" * 64


def publicity_form(**kw):
    data = {"address": COMPOUND, "held_on": "2026-11-20", "kind": "activity", "place": "花园小区广场",
            "participants": "40", "note": "发放宣传册"}
    data.update(kw)
    return data


def test_record_change_and_see_a_publicity_activity(login_as):
    market = login_as("wjs_market1")
    assert "宣传活动" in text(market.get("/office-records"))
    r = market.post("/office-records/publicity/new", data=dict(publicity_form(), photos=(io.BytesIO(JPEG), "现场.jpg")),
                    content_type="multipart/form-data")
    assert r.status_code == 302
    page_url = r.headers["Location"]
    page = text(market.get(page_url))
    assert "花园小区广场" in page and "现场.jpg" in page
    listing = text(market.get("/office-records/publicity?year=2026"))
    assert "花园小区广场" in listing and "1 张" in listing
    record_id = int(page_url.rstrip("/").split("/")[-1])
    sha = hashlib.sha256(JPEG).hexdigest()
    photo = market.get(f"/office-records/publicity/{record_id}/files/{sha}")
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    # A change keeps the photo and shows in the history.
    assert market.post(page_url, data=publicity_form(place="花园小区东门")).status_code == 302
    page = text(market.get(page_url))
    assert "花园小区东门" in page and "修改" in page and "现场.jpg" in page
    # Another street sees none of it.
    other = login_as("jyh_market")
    assert "花园小区" not in text(other.get("/office-records/publicity"))
    assert other.get(page_url).status_code == 404
    assert other.post(page_url, data=publicity_form(place="改掉")).status_code == 404
    assert other.get(f"/office-records/publicity/{record_id}/files/{sha}").status_code == 404
    assert "花园小区东门" in text(market.get(page_url))


def test_bad_input_is_kept_with_chinese_messages(login_as):
    market = login_as("wjs_market1")
    r = market.post("/office-records/publicity/new", data=publicity_form(place="", participants="40"))
    assert r.status_code == 422
    page = text(r)
    assert "请填写地点" in page and 'value="40"' in page and "发放宣传册" in page
    r = market.post("/office-records/publicity/new", data=publicity_form(held_on="2099-01-01"))
    assert r.status_code == 422
    page = text(r)
    assert "不能晚于今天" in page and 'value="2099-01-01"' in page and 'value="花园小区广场"' in page
    r = market.post("/office-records/publicity/new", data=dict(publicity_form(),
                                                               photos=(io.BytesIO(b"MZ not an image"), "a.jpg")),
                    content_type="multipart/form-data")
    assert r.status_code == 422 and "文件内容与扩展名不符" in text(r)
    # Somebody else's street: refused on the form, nothing recorded.
    other = login_as("jyh_market")
    r = other.post("/office-records/publicity/new", data=publicity_form())
    assert r.status_code == 422 and "不在您的辖区内" in text(r)
    assert "花园小区广场" not in text(market.get("/office-records/publicity"))
    assert market.get("/office-records/nonsense").status_code == 404


def test_groups_and_documents_forms(login_as, services):
    leader = login_as("wjs_leader")
    members = [user_id(services, u) for u in ("wjs_police1", "wjs_police2", "wjs_housing")]
    r = leader.post("/office-records/groups/new", data={"address": "吴家山街", "kind": "task_force_241",
                                                        "name": "吴家山街241专班", "formed_on": "2026-03-01",
                                                        "members": members})
    assert r.status_code == 302
    page = text(leader.get(r.headers["Location"]))
    assert "缺市场监管 4 名" in page and "民警 王建国" in page
    r = leader.post("/office-records/documents/new", data={"address": "吴家山街", "kind": "funding", "year": "2026",
                                                           "title": "经费", "approved_on": "2026-01-05"})
    assert r.status_code == 422
    page = text(r)
    assert "请上传文件" in page and "请填写保障金额" in page
    r = leader.post("/office-records/documents/new", data={
        "address": "吴家山街", "kind": "funding", "year": "2026", "title": "2026年经费保障", "approved_on": "2026-01-05",
        "amount": "200000", "file": (io.BytesIO(PDF), "经费.pdf")}, content_type="multipart/form-data")
    assert r.status_code == 302
    page_url = r.headers["Location"]
    # A change without a new file keeps the old one.
    assert leader.post(page_url, data={"address": "吴家山街", "kind": "funding", "year": "2026",
                                       "title": "2026年经费保障（修订）", "approved_on": "2026-01-05",
                                       "amount": "250000"}).status_code == 302
    page = text(leader.get(page_url))
    assert "经费.pdf" in page and "（修订）" in page
    # A market officer may not set up the street's groups.
    r = login_as("wjs_market1").post("/office-records/groups/new", data={
        "address": "吴家山街", "kind": "street_group", "name": "小组", "formed_on": "2026-03-01", "members": members})
    assert r.status_code == 422 and "无权" in text(r)


def xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(alerts.HEADERS)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_110_alert_import_page(login_as):
    police = login_as("wjs_police1")
    template = police.get("/office-records/alerts/template.xlsx")
    assert template.status_code == 200
    assert [c.value for c in load_workbook(io.BytesIO(template.data)).active[1]] == alerts.HEADERS
    bad = xlsx([["吴家山街", "2026-01-01", "2026-03-31", 20], ["吴家山街", "2026-04-01", "2026-03-01", 5]])
    r = police.post("/office-records/alerts/import", data={"file": (io.BytesIO(bad), "警情.xlsx")},
                    content_type="multipart/form-data")
    assert r.status_code == 422
    assert "第3行：截止日期不能早于起始日期" in text(r) and "未导入任何数据" in text(r)
    assert "2026-01-01 至 2026-03-31" not in text(police.get("/office-records/alerts"))
    good = xlsx([["吴家山街", date(2026, 1, 1), date(2026, 3, 31), 20]])
    r = police.post("/office-records/alerts/import", data={"file": (io.BytesIO(good), "警情.xlsx")},
                    content_type="multipart/form-data")
    assert r.status_code == 302
    listing = text(police.get("/office-records/alerts"))
    assert "2026-01-01 至 2026-03-31" in listing and "警情.xlsx" in listing
    exported = load_workbook(io.BytesIO(police.get("/office-records/alerts/export.xlsx?year=2026").data)).active
    assert [c.value for c in exported[2]][:3] == ["吴家山街", "2026-01-01 至 2026-03-31", 20]
    other = load_workbook(io.BytesIO(login_as("jyh_police").get("/office-records/alerts/export.xlsx").data)).active
    assert other.max_row == 1  # another street's officer exports nothing of 吴家山街
    r = police.post("/office-records/alerts/import", data={"file": (io.BytesIO(b"junk"), "警情.xlsx")},
                    content_type="multipart/form-data")
    assert r.status_code == 422 and "无法读取 Excel 文件" in text(r)


def test_persons_owed_a_letter_page(login_as):
    market = login_as("wjs_market1")
    r = market.get("/office-records/letters/owed?from=2026-01-01&to=2026-11-23")
    assert r.status_code == 200 and "均已寄送" in text(r)
    assert market.get("/office-records/letters/owed?from=yesterday").status_code == 200
    form = text(market.get("/office-records/letters/new?id_number=11010519491231002X&person_name=张三"))
    assert 'value="11010519491231002X"' in form and 'value="张三"' in form
