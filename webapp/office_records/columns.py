"""What each kind's list shows beside the area: (header, value of a row)."""
from __future__ import annotations

from workflows.office_records import documents, organisation, publicity, reporting


def _state(due, done):
    return lambda row, today: reporting.STATE_NAMES[reporting.state(getattr(row, due), getattr(row, done), today)]


COLUMNS = {
    "publicity": [("日期", lambda r, t: r.held_on), ("类别", lambda r, t: publicity.KINDS.get(r.kind, r.kind)),
                  ("地点", lambda r, t: r.place), ("参与人数", lambda r, t: r.participants),
                  ("照片", lambda r, t: f"{len(r.photos or [])} 张")],
    "letters": [("寄送日期", lambda r, t: r.sent_on), ("姓名", lambda r, t: r.person_name),
                ("公民身份号码", lambda r, t: r.id_number), ("户籍地", lambda r, t: r.registration_place),
                ("信函编号", lambda r, t: r.letter_number)],
    "alerts": [("期间", lambda r, t: f"{r.period_start} 至 {r.period_end}"), ("110传销警情数", lambda r, t: r.alerts),
               ("来源", lambda r, t: r.source or "手工登记")],
    "filings": [("立案日期", lambda r, t: r.filed_on), ("立案文书编号", lambda r, t: r.case_reference),
                ("移送人员", lambda r, t: r.persons), ("回执", lambda r, t: "有" if r.receipt else "无")],
    "case-reports": [("案件", lambda r, t: r.case_label), ("类别", lambda r, t: reporting.CASE_KINDS.get(r.case_kind)),
                     ("应报备", lambda r, t: r.due_on), ("报备日期", lambda r, t: r.reported_on or ""),
                     ("状态", _state("due_on", "reported_on"))],
    "reports": [("类别", lambda r, t: reporting.REPORT_KINDS.get(r.kind)), ("所属期间", lambda r, t: r.period_label),
                ("应报送", lambda r, t: r.due_on), ("报送日期", lambda r, t: r.submitted_on or ""),
                ("状态", _state("due_on", "submitted_on"))],
    "groups": [("类别", lambda r, t: organisation.KINDS.get(r.kind)), ("名称", lambda r, t: r.name),
               ("成立日期", lambda r, t: r.formed_on), ("撤销日期", lambda r, t: r.dissolved_on or ""),
               ("成员人数", lambda r, t: len(r.members or []))],
    "documents": [("年度", lambda r, t: r.year), ("类别", lambda r, t: documents.KINDS.get(r.kind)),
                  ("标题", lambda r, t: r.title), ("印发日期", lambda r, t: r.approved_on),
                  ("金额（元）", lambda r, t: r.amount if r.amount is not None else "")],
}
