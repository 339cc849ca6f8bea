"""Exports never carry a formula: text typed into a form that begins with =, +, -, @, a tab or a carriage
return comes back out of every XLSX/CSV export as the same text, never as something Excel would run."""
from __future__ import annotations

import csv
import io
import zipfile

from openpyxl import load_workbook

from web_fixtures import ROOM, app, client, login_as, make_id, text  # noqa: F401  (fixtures)
from workflows import tabular

PAYLOADS = ['=HYPERLINK("http://evil.example","点我")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)",
            "\t=1+1", "\r=1+1"]


def formulas_in(xlsx: bytes) -> list[str]:
    """The formula elements of every sheet, read from the file's XML (what Excel would evaluate)."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        return [name for name in z.namelist() if name.startswith("xl/worksheets/") and b"<f>" in z.read(name)]


def cells(xlsx: bytes) -> list:
    ws = load_workbook(io.BytesIO(xlsx)).active
    return [c for row in ws.iter_rows() for c in row]


def test_house_export_writes_a_formula_like_owner_name_as_text(services, login_as):
    housing = login_as("wjs_housing")
    for i, payload in enumerate(PAYLOADS[:4]):
        address = ROOM.replace("101室", ("101室", "102室", "201室", "202室")[i])
        r = housing.post("/registries/houses/new", data={"address": address, "owner_name": payload, "note": payload})
        assert r.status_code == 302, text(r)
    data = housing.get("/registries/houses/export.xlsx").data
    assert formulas_in(data) == []
    written = {c.value for c in cells(data) if c.data_type == "s"}
    assert set(PAYLOADS[:4]) <= written
    assert all(c.data_type != "f" for c in cells(data))


def test_complaint_ledger_export_writes_formula_like_content_as_text(services, login_as):
    market = login_as("wjs_market1")
    r = market.post("/complaints/new", data={"channel": "phone", "content": "=1+1 花园小区有人聚集上课", "address": ROOM,
                                             "complainant_name": "@王小明", "complainant_phone": "13911112222",
                                             "complainant_id_number": make_id(), "complainant_contact": "",
                                             "subject_name": "", "subject_kind": "platform"})
    assert r.status_code == 302, text(r)
    data = market.get("/complaints/export.xlsx").data
    assert formulas_in(data) == []
    assert "=1+1 花园小区有人聚集上课" in {c.value for c in cells(data)}


def test_the_shared_helpers_neutralise_every_trigger():
    rows = [[p, 5, -5, "普通文字"] for p in PAYLOADS]
    xlsx = tabular.to_xlsx("t", ["a", "b", "c", "d"], rows)
    assert formulas_in(xlsx) == []
    ws = load_workbook(io.BytesIO(xlsx)).active
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == PAYLOADS
    assert [r[2] for r in ws.iter_rows(min_row=2, values_only=True)] == [-5] * len(PAYLOADS)  # numbers stay numbers
    read = list(csv.reader(io.StringIO(tabular.to_csv(["=a"], [[p] for p in PAYLOADS]).decode("utf-8-sig"))))
    assert [r[0] for r in read] == ["'=a"] + ["'" + p for p in PAYLOADS]
