"""XLSX exports of the 创无 lists: namings (e.g. the named communities per street), platforms, coverage."""
from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook

from workflows.pyramid_free.options import SUBJECT_NAMES


def _book(title: str, header: list[str], rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(header)
    for row in rows:
        ws.append(["" if v is None else v for v in row])
    for column, width in zip("ABCDEFGHIJ", (8, 16, 40, 14, 8, 12, 18, 18, 18, 40)):
        ws.column_dimensions[column].width = width
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _when(value) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def namings_xlsx(rows: list[dict]) -> bytes:
    """By street, then name: the named communities of each street together."""
    rows = sorted(rows, key=lambda r: (r["subject"], r["street"], r["name"], r["year"]))
    return _book("创建命名", ["序号", "类别", "名称", "街道", "年度", "状态", "申报日期", "命名日期", "撤销日期", "撤销理由"],
                 [[i, r["subject"], r["name"], r["street"], r["year"], r["status_name"], _when(r["applied_at"]),
                   _when(r["named_at"]), _when(r["revoked_at"]), r["revoke_reason"]] for i, r in enumerate(rows, 1)])


def platforms_xlsx(rows: list[dict]) -> bytes:
    return _book("网络平台", ["序号", "平台名称", "运营主体", "统一社会信用代码", "类型", "ICP备案号", "应用/小程序",
                          "联络员", "命名状态", "报告期数"],
                 [[i, r["platform"].name, r["platform"].operator, r["platform"].credit_code, r["type_name"],
                   r["platform"].icp_number, r["platform"].app_ids, r["platform"].liaison_name, r["status_name"],
                   r["reports"]] for i, r in enumerate(rows, 1)])


def coverage_xlsx(figures: dict, year: int) -> bytes:
    rows = [[f.label, SUBJECT_NAMES["community"], f.named, f.total, f.rate, "是" if f.meets_target else "否"]
            for f in figures["streets"]]
    for f, kind in ((figures["communities"], "community"), (figures["platforms"], "platform")):
        rows.append([f.label, SUBJECT_NAMES[kind], f.named, f.total, f.rate, "是" if f.meets_target else "否"])
    return _book(f"{year}年创建覆盖率", ["范围", "类别", "已命名", "总数", "覆盖率（%）", f"达到{figures['target']:.0f}%"], rows)


def reports_xlsx(platform, reports: list) -> bytes:
    return _book("平台定期报告", ["报送期间", "报送日期", "清理信息", "处置账号", "受理投诉", "报送线索", "协查次数",
                            "平均响应（小时）", "说明"],
                 [[r.period, r.reported_on.isoformat(), r.items_removed, r.accounts_closed, r.complaints_received,
                   r.clues_reported, r.assistance_requests, r.assistance_hours, r.note] for r in reports])
