"""Ledger imports within caps: the file's bytes, an XLSX's unzipped size and the number of rows are checked
before anything parses the file (configurable settings), reading stops at the row cap when the sheet declares
no size, and the error report comes a page at a time."""
from __future__ import annotations

import csv
import io
import re
import zipfile

import sqlalchemy as sa
from openpyxl import Workbook

from ledger_helpers import HEADERS, house_row
from web_fixtures import app, client, login_as, text  # noqa: F401  (fixtures)
from workflows.ledgers.models import LedgerImportJob

ROOM = "吴家山街第一社区花园小区1栋1单元101室"


def xlsx(rows) -> bytes:
    wb = Workbook()
    wb.active.append(HEADERS)
    for r in rows:
        wb.active.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def upload(c, content, name="houses.xlsx"):
    return c.post("/registries/houses/import", data={"file": (io.BytesIO(content), name)},
                  content_type="multipart/form-data")


def jobs(services) -> int:
    with services.db.read() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(LedgerImportJob))


def caps(services, **values):
    for key, value in values.items():
        setattr(services.settings, key, value)


def test_files_past_the_caps_are_refused_before_parsing(services, login_as):
    housing = login_as("wjs_housing")
    caps(services, import_max_rows=50, import_max_bytes=200_000, import_max_unzipped_bytes=1_000_000)
    rows = [house_row(ROOM, owner=f"房东{i}") for i in range(60)]
    r = upload(housing, xlsx(rows))
    assert r.status_code == 422 and "超过单次导入上限 50 行" in text(r)
    r = upload(housing, csv_bytes(rows), "houses.csv")
    assert r.status_code == 422 and "超过单次导入上限 50 行" in text(r)
    r = upload(housing, b"x" * 200_001, "houses.csv")
    assert r.status_code == 422 and "文件大小" in text(r) and "拆分" in text(r)
    # A zip bomb: 5 MB of zeros inflate from a few kilobytes; the zip's own directory gives it away.
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * 5_000_000)
    assert len(bomb.getvalue()) < 200_000
    r = upload(housing, bomb.getvalue())
    assert r.status_code == 422 and "解压后" in text(r)
    r = upload(housing, b"PK\x03\x04 not really a zip")
    assert r.status_code == 422 and "不是有效的 .xlsx 文件" in text(r)
    assert jobs(services) == 0  # nothing stored


def test_reading_stops_at_the_row_cap_when_the_sheet_declares_nothing(services, login_as):
    housing = login_as("wjs_housing")
    caps(services, import_max_rows=50)
    data = io.BytesIO(xlsx([house_row(ROOM, owner=f"房东{i}") for i in range(60)]))
    lying = io.BytesIO()
    with zipfile.ZipFile(data) as src, zipfile.ZipFile(lying, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = re.sub(rb'<dimension ref="[^"]+"\s*/>', b"", body)  # openpyxl then reads every row
            dst.writestr(item, body)
    r = upload(housing, lying.getvalue())
    page = text(housing.get(r.headers["Location"])) if r.status_code == 302 else text(r)
    assert "超过单次导入上限 50 行" in page
    assert "全部" not in page or "已导入" not in page


def test_the_error_report_comes_a_page_at_a_time(services, login_as):
    housing = login_as("wjs_housing")
    rows = [house_row(ROOM, owner=f"房东{i}", id_number="420102198505052011") for i in range(250)]
    r = upload(housing, csv_bytes(rows), "houses.csv")
    assert r.status_code == 302
    url = r.headers["Location"]
    first = text(housing.get(url))
    assert first.count("<td data-label=\"行号\">") == 100 and "共 250 处" in first and "下一页" in first
    assert "第2行" in first and "第102行" not in first
    last = text(housing.get(url + "?page=3"))
    assert last.count("<td data-label=\"行号\">") == 50 and "第251行" in last and "下一页" not in last
