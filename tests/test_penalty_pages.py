"""The penalty pages: the area-scoped list with filters, a procedure's page with its steps, deadlines and lights,
the head's extension (CSRF-protected form), and a procedure step completed through its web form."""
from __future__ import annotations

from datetime import date

import pytest

from penalty_helpers import PenaltyDriver
from web_fixtures import app, client, errors_in, login_as, submit, text  # noqa: F401  (fixtures)


@pytest.fixture
def pen(services, lookup, clock):
    return PenaltyDriver(services, lookup, clock)


def test_the_list_is_area_scoped_and_filtered_and_the_page_shows_steps_and_lights(pen, login_as, clock):
    case = pen.classified_case()
    inst = pen.start(case)
    market = login_as("wjs_market1")
    page = text(market.get("/penalties"))
    assert "张三" in page and "介绍、诱骗、胁迫他人参加传销" in page
    assert "张三" not in text(market.get("/penalties?outcome=education"))
    assert "张三" not in text(login_as("jyh_market").get("/penalties"))   # another street sees nothing of it
    assert login_as("jyh_market").get(f"/penalties/{inst}").status_code == 403
    clock.advance(days=22)
    page = text(market.get(f"/penalties/{inst}"))
    assert "立案审批" in page and "报警" in page and "由来源案件中的人员分类确定" in page
    assert f"/cases/{case}" in page
    assert "张三" in text(market.get(f"/cases/{case}"))  # the case lists its procedures
    assert "立案审批" in text(market.get(f"/cases/{inst}"))  # the procedure also reads as a case


def test_a_step_is_done_through_its_form_and_bad_input_keeps_what_was_typed(pen, services, login_as):
    inst = pen.start(pen.classified_case())
    head = login_as("juzhang")
    task = pen.ready(inst)["approve_filing"]
    r = submit(head, task, {"filing_decision": "open", "filing_reason": ""})
    assert r.status_code == 422 and "请填写理由。" in errors_in(text(r))
    r = submit(head, task, {"filing_decision": "open", "filing_reason": "符合立案条件"})
    assert r.status_code == 302
    market = login_as("wjs_market1")
    task = pen.ready(inst)["investigate"]
    r = submit(market, task, {"officers": "赵晓明", "evidence": "询问笔录"})
    assert r.status_code == 422 and "不得少于两人" in text(r) and "询问笔录" in text(r)


def test_only_the_head_extends_the_time_to_decide(pen, login_as):
    inst = pen.start(pen.classified_case())
    pen.do(inst, "approve_filing", {"filing_decision": "open", "filing_reason": "符合立案条件"})
    r = login_as("wjs_market1").post(f"/penalties/{inst}/extend", data={"reason": "案情复杂"})
    assert r.status_code == 403
    head = login_as("juzhang")
    assert "批准延长" in text(head.get(f"/penalties/{inst}"))
    r = head.post(f"/penalties/{inst}/extend", data={"reason": ""})
    assert r.status_code == 422 and "请填写延长办案期限的理由。" in text(r)
    r = head.post(f"/penalties/{inst}/extend", data={"reason": "案情复杂"}, follow_redirects=True)
    assert "办案期限已延长至 2027-03-23" in text(r)
    assert "延长办案期限（案情复杂）" in text(r)  # on the procedure's record


def _row_of(page: str, step_title: str) -> str:
    """The table row (or inbox entry) that names a step."""
    import re
    rows = [r for r in re.findall(r"<tr\b.*?</tr>|<li\b.*?</li>", page, re.S) if step_title in r]
    assert rows, f"{step_title} not listed"
    return rows[0]


def test_the_procedures_steps_show_the_same_lights_as_every_other_step(pen, login_as, clock):
    inst = pen.start(pen.classified_case())
    head, market = login_as("juzhang"), login_as("wjs_market1")
    assert "light-" not in _row_of(text(market.get(f"/penalties/{inst}")), "立案审批")
    clock.advance(days=15)  # 8 Dec: 11 of the 15 working days to open the case used
    assert '<span class="badge light-remind" title="办理时限">提醒</span>' in _row_of(text(head.get("/")), "立案审批")
    assert "提醒" in _row_of(text(market.get(f"/penalties/{inst}")), "立案审批")
    clock.advance(days=6)  # 14 Dec, the last day
    assert "light-warn" in _row_of(text(head.get("/")), "立案审批")
    clock.advance(days=1)  # 15 Dec: passed
    assert "报警 · 已逾期" in _row_of(text(head.get("/")), "立案审批")
    assert "报警 · 已逾期" in _row_of(text(login_as("wjs_leader").get("/board")), "立案审批")
    page = text(market.get(f"/penalties/{inst}"))
    assert '<span class="badge overdue light-alarm" title="办理时限">报警 · 已逾期</span>' in _row_of(page, "立案审批")
    # Opened late, the step keeps its red light once done; the 90 days to decide start with none.
    pen.do(inst, "approve_filing", {"filing_decision": "open", "filing_reason": "符合立案条件"})
    page = text(market.get(f"/penalties/{inst}"))
    assert "light-alarm" in _row_of(page, "立案审批") and "light-" not in _decision_due(page)
    due = pen.row(inst).decision_due
    clock.advance(days=(due - date(2026, 12, 15)).days)  # the last of the 90 days to decide
    assert "light-warn" in _decision_due(text(market.get(f"/penalties/{inst}")))


def _decision_due(page: str) -> str:
    import re
    return re.search(r"<dt>作出决定期限</dt><dd>(.*?)</dd>", page, re.S).group(1)
