"""A run's score sheet as an XLSX workbook (through workflows.tabular, so no cell is ever a formula) and as a PDF
report in the notices' print style (WeasyPrint, system fonts)."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response

from workflows.tabular import to_xlsx

from ..notices.render import TEMPLATES, environment

ISSUER = "东西湖区打击传销工作领导小组办公室"
HEADERS = ["序号", "一级指标", "二级指标", "二级指标分值", "三级指标", "计分办法", "检查方法", "本项最多扣分", "来源",
           "计算扣分", "录入扣分", "核定扣分", "核定理由", "最终扣分", "得分", "核查记录数", "扣分记录数", "无数据", "说明",
           "录入说明"]
FINDING_HEADERS = ["序", "记录", "扣分", "系统内地址"]


def _number(value):
    """Decimals as numbers the spreadsheet can sum; None stays an empty cell."""
    return None if value is None else float(value)


def xlsx(sheet: dict) -> bytes:
    """One line per row in Annex order, then the totals and the settings the run was computed with."""
    lines = []
    for g in sheet["groups"]:
        for sec in g["seconds"]:
            for r in sec["rows"]:
                lines.append([r["rule_id"], g["name"], sec["name"], _number(sec["weight"]), r["text"], r["scoring"],
                              r["check"], _number(r["cap"]), r["source"], _number(r["computed"]),
                              _number(r["manual"]), _number(r["override"]), r["override_reason"] or "",
                              _number(r["deduction"]), _number(r["score"]), r["count"], r["findings"],
                              "是" if r["no_data"] else "", r["no_data_reason"] if r["no_data"] else r["note"],
                              r["manual_note"]])
    blank = [None] * len(HEADERS)
    lines.append(blank)
    lines.append(_label_row("总得分", _number(sheet["total"])))
    lines.append(_label_row("共扣分", _number(sheet["deducted"])))
    for g in sheet["groups"]:
        lines.append(_label_row(f"{g['name']}（{g['weight']} 分）得分", _number(g["score"])))
    lines.append(_label_row("编号", sheet["number"]))
    lines.append(_label_row("考评对象", sheet["area_name"]))
    lines.append(_label_row("考评期间", sheet["period_text"]))
    lines.append(_label_row("版本", f"第 {sheet['version']} 版（{sheet['status_name']}）"))
    for item in sheet["settings"]:
        lines.append(_label_row(item["label"], item["value"]))
    lines.append(_label_row("抽样随机种子", str(sheet["seed"])))
    return to_xlsx("考评计分表", HEADERS, lines)


def findings_xlsx(sheet: dict, row: dict, findings) -> bytes:
    """The records behind one row's deduction, for the street to work through."""
    lines = [[n, f.label, _number(f.deduction), f.url] for n, f in enumerate(findings, start=1)]
    return to_xlsx(f"{row['rule_id']}扣分记录", FINDING_HEADERS, lines)


def _label_row(label: str, value) -> list:
    return [None, label, value] + [None] * (len(HEADERS) - 3)


def report_html(sheet: dict, printed_on: str) -> str:
    return environment().get_template("assessment/report.html").render(s=sheet, issuer=ISSUER, printed_on=printed_on)


def report_pdf(sheet: dict, printed_on: str) -> bytes:
    from weasyprint import HTML  # imported late, as the notices do: the web app starts without paying for it
    return HTML(string=report_html(sheet, printed_on), base_url=str(TEMPLATES)).write_pdf()


def pdf_response(pdf: bytes, filename: str) -> Response:
    """Shown in the browser's viewer (to print), saved under the run's number; never cached."""
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename, safe='')}"
    response.headers["Cache-Control"] = "private, no-store"
    return response
