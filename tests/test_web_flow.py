"""A six-step case carried from registration to a closed case through the web forms, by each role in turn."""
from __future__ import annotations

import io

from web_fixtures import (ID_A, ID_B, STEP_DATA, app, client, complete_step,  # noqa: F401  (fixtures)
                          errors_in, instance, login_as, ready_names, ready_task, start_case, submit, text)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_case_goes_from_registration_to_closed(services, login_as):
    grid = login_as("wjs_grid")
    case_id = start_case(grid)
    assert ready_names(services, case_id) == {"sweep"}

    # The grid worker sees the sweep in the inbox, opens the form and sends it.
    inbox = text(grid.get("/"))
    assert "摸排" in inbox and "吴家山街第一社区花园小区1栋1单元101室" in inbox
    sweep_id = ready_task(services, case_id, "sweep")
    page = grid.get(f"/tasks/{sweep_id}")
    assert page.status_code == 200 and "房屋类别" in text(page)
    r = submit(grid, sweep_id, STEP_DATA["sweep"])
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/cases/{case_id}?done={sweep_id}")
    assert "已完成“摸排”" in text(grid.get(r.headers["Location"]))

    complete_step(services, login_as, case_id, "entry")
    complete_step(services, login_as, case_id, "initial_check")

    # Evidence with two files; both are then listed on the case page and can be opened.
    market = login_as("wjs_market1")
    r = submit(market, ready_task(services, case_id, "evidence"), STEP_DATA["evidence"],
               {"files": [(io.BytesIO(PNG), "现场照片.png"), (io.BytesIO(PDF), "询问笔录.pdf")]})
    assert r.status_code == 302, errors_in(text(r))
    case_page = text(market.get(f"/cases/{case_id}"))
    assert "现场照片.png" in case_page and "询问笔录.pdf" in case_page

    # The comparison page shows the automatic comparison and each person to classify.
    comparison_id = ready_task(services, case_id, "comparison")
    page = text(market.get(f"/tasks/{comparison_id}"))
    assert "自动比对结果" in page and ID_A in page and ID_B in page and "外省" in page
    r = submit(market, comparison_id, STEP_DATA["comparison"])
    assert r.status_code == 302, errors_in(text(r))
    # Participants, a core member and a first-time rental house: three branches at once.
    assert ready_names(services, case_id) == {"handle_participants", "penalty_core", "rectify_house"}

    for step in ("handle_participants", "penalty_core", "rectify_house"):
        complete_step(services, login_as, case_id, step)
    closer = login_as("wjs_market1")
    r = submit(closer, ready_task(services, case_id, "close_case"), STEP_DATA["close_case"])
    page = text(closer.get(r.headers["Location"]))
    assert "已完成“结案审核”。案件已办结。" in page

    inst = instance(services, case_id)
    assert inst.status == "completed" and inst.end_event == "end_closed"
    page = text(market.get(f"/cases/{case_id}"))
    assert "已办结" in page and "结案" in page
    assert "普通参与者" in page and "骨干成员" in page  # classification shown per person
    assert "已对骨干成员启动行政处罚程序" in page     # what each step recorded
    assert "行政处罚程序" in page and "（介绍、诱骗、胁迫他人参加传销）" in page  # the procedures it started
    assert page.count("<li><strong>办理</strong>") == 9  # the timeline lists every completed step


def test_door_not_opened_goes_to_watch_and_back_to_entry(services, login_as):
    case_id = start_case(login_as("wjs_grid"))
    complete_step(services, login_as, case_id, "sweep")
    closed = {"entered_at": "2026-11-23T10:00", "officers-0-name": "王建国", "officers-0-badge": "420001",
              "officers-1-name": "李卫东", "officers-1-badge": "420002", "door_opened": "no",
              "persons-0-name": "", "persons-0-id_number": ""}
    complete_step(services, login_as, case_id, "entry", closed)
    assert ready_names(services, case_id) == {"watch_house"}
    complete_step(services, login_as, case_id, "watch_house")
    assert ready_names(services, case_id) == {"entry"}


def test_sweep_not_suspicious_ends_the_case(services, login_as):
    case_id = start_case(login_as("wjs_grid"))
    complete_step(services, login_as, case_id, "sweep", {**STEP_DATA["sweep"], "suspicious": "no", "note": ""})
    inst = instance(services, case_id)
    assert inst.status == "completed" and inst.end_event == "end_no_mlm_sweep"
    assert "摸排未发现传销" in text(login_as("wjs_grid").get(f"/cases/{case_id}"))


def test_a_conflicting_save_keeps_what_was_typed(services, login_as, monkeypatch):
    from workflows.exceptions import ConcurrentUpdate

    case_id = start_case(login_as("wjs_grid"))
    grid = login_as("wjs_grid")

    def busy(*args, **kwargs):
        raise ConcurrentUpdate()

    monkeypatch.setattr(services.workflow, "complete", busy)
    r = submit(grid, ready_task(services, case_id, "sweep"), STEP_DATA["sweep"])
    assert r.status_code == 409
    page = text(r)
    assert "该案件刚被他人更新，您的提交未保存" in page and "多名外地青年合租，白天聚集上课" in page
    assert ready_names(services, case_id) == {"sweep"}
