"""Rows of a rental-house ledger file, as an officer would fill one in."""
from workflows.ledgers import spreadsheets

HEADERS = [c.header for c in spreadsheets.SPECS["houses"] if not c.exported_only]


def house_row(address, owner="房东甲", id_number="420102198505052010", **kw):
    row = {"地址": address, "房东姓名": owner, "房东身份证号": id_number, "房东电话": "13800001111",
           "房东是否党员": "否", "房东是否公职人员": "否", "房屋出租承诺书签订日期": "2026-03-01",
           "治安责任保证书签订日期": "2026/03/01", "租赁备案日期": "2026-03-05", "备案编号": "BA-001",
           "是否涉传": "否", "涉传次数": "", "三停一换": "未实施", "三停一换日期": "", "备注": ""}
    row.update(kw)
    return [row[h] for h in HEADERS]
