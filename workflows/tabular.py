"""Spreadsheet and CSV output that a spreadsheet program cannot mistake for formulas.

Every export (XLSX or CSV) goes through `to_xlsx` / `to_csv`. A cell whose text begins with "=", "+", "-",
"@", a tab or a carriage return would be run as a formula by Excel or WPS when the file is opened
(formula injection, e.g. =HYPERLINK(...) in an owner's name typed into a form). In XLSX such a value is
stored as a plain string cell marked "quote prefix", so it shows exactly as typed; in CSV, which has no
cell types, it gets a leading apostrophe, the spreadsheet programs' own sign for "this is text".
"""
from __future__ import annotations

import csv
import io
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Font

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def risky(value) -> bool:
    """Whether a spreadsheet program could read `value` as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def csv_cell(value):
    """A value for a CSV cell: risky text gets a leading apostrophe."""
    return "'" + value if risky(value) else value


def to_csv(headers: list[str], rows: list[list]) -> bytes:
    """CSV with a BOM (so Excel reads it as UTF-8), every risky cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_cell(h) for h in headers])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(title: str, headers: list[str], rows: list[list]) -> bytes:
    """One sheet with a bold, frozen Chinese header row; dates as real Excel dates; text never a formula."""
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    ws.freeze_panes = "A2"
    for i, header in enumerate(headers, start=1):
        width = max([len(str(header)) * 2] + [len(str(r[i - 1])) * 1.6 for r in rows[:200] if r[i - 1] is not None])
        ws.column_dimensions[ws.cell(1, i).column_letter].width = min(max(width, 8), 60)
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, (date, datetime)):
                cell.number_format = "yyyy-mm-dd"
            elif risky(cell.value):
                # openpyxl turns text starting with "=" into a formula cell; make it a string again.
                cell.data_type = "s"
                cell.quotePrefix = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
