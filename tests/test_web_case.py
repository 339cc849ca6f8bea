"""The case page: summary, persons, evidence, diagram with progress, timeline; and registering a case."""
from __future__ import annotations

import json
import re

from lxml import etree

from web_fixtures import (ID_A, ID_B, ROOM, STEP_DATA, app, client, complete_step,  # noqa: F401  (fixtures)
                          instance, login_as, ready_task, start_case, submit, text)


def diagram_marks(page: str) -> tuple[list[str], list[str]]:
    done = re.search(r'data-done="([^"]*)"', page).group(1).replace("&#34;", '"')
    current = re.search(r'data-current="([^"]*)"', page).group(1).replace("&#34;", '"')
    return json.loads(done), json.loads(current)


def test_register_a_case(services, login_as):
    grid = login_as("wjs_grid")
    page = text(grid.get("/cases/new"))
    assert "登记类型" in page and f'<option value="{ROOM}">' in page
    case_id = start_case(grid, title="举报的窝点")
    inst = instance(services, case_id)
    assert inst.process_id == "six_step_case" and inst.title == "举报的窝点" and inst.reference.startswith("AJ")
    page = text(grid.get(f"/cases/{case_id}"))
    assert f"已登记 {inst.reference}" in page and ROOM in page and "网格摸排发现" in page


def test_register_validation(login_as):
    grid = login_as("wjs_grid")
    r = grid.post("/cases/new", data={"kind": "six_step_case", "address": "", "title": "", "source": "sweep"})
    assert r.status_code == 422 and "请填写地址。" in text(r) and "请填写标题。" in text(r)
    r = grid.post("/cases/new", data={"kind": "six_step_case", "address": "不存在的地址", "title": "x"})
    assert r.status_code == 422 and "找不到这个标准地址" in text(r) and "不存在的地址" in text(r)
    r = grid.post("/cases/new", data={"kind": "five_contracts", "address": ROOM, "title": "事项", "note": ""})
    assert r.status_code == 422 and "登记五包责任事项须写明要处置的问题。" in text(r)


def test_the_case_page_shows_progress_on_the_diagram(services, login_as):
    case_id = start_case(login_as("wjs_grid"))
    complete_step(services, login_as, case_id, "sweep")
    market = login_as("wjs_market1")
    page = text(market.get(f"/cases/{case_id}"))
    done, current = diagram_marks(page)
    assert "sweep" in done and "start" in done and "gw_sweep" in done
    assert current == ["entry"] and "entry" not in done
    assert "bpmn-navigated-viewer.production.min.js" in page and "js/diagram.js" in page
    assert "当前环节" in page and "入户" in page and "公安岗位待认领" in page


def test_the_diagram_is_the_cases_own_version(services, login_as):
    case_id = start_case(login_as("wjs_grid"))
    r = login_as("wjs_grid").get(f"/cases/{case_id}/diagram.bpmn")
    assert r.status_code == 200 and r.mimetype == "application/xml"
    root = etree.fromstring(r.data)
    assert root.find(".//{http://www.omg.org/spec/BPMN/20100524/MODEL}process").get("id") == "six_step_case"


def test_persons_classification_steps_and_timeline(services, login_as):
    case_id = start_case(login_as("wjs_grid"))
    for step in ("sweep", "entry", "initial_check", "evidence", "comparison"):
        complete_step(services, login_as, case_id, step)
    page = text(login_as("wjs_market2").get(f"/cases/{case_id}"))
    # persons with their classification
    assert ID_A in page and ID_B in page and "普通参与者" in page and "骨干成员" in page
    # what each step recorded, labelled in Chinese
    assert "多名外地青年合租" in page and "王建国（420001）、李卫东（420002）" in page
    assert "要求缴纳 69800 元入门费" in page and "入门费、聚集授课" in page
    # the timeline, oldest first, with who did it
    timeline = page[page.index("时间线"):]
    assert timeline.index("立案") < timeline.index("摸排") < timeline.index("入户")
    assert "网格员 陈小红" in timeline and "民警 王建国" in timeline
    done, current = diagram_marks(page)
    assert {"auto_compare", "comparison"} <= set(done)
    assert set(current) == {"handle_participants", "penalty_core", "rectify_house"}


def test_the_case_page_offers_the_task_to_whoever_may_act(services, login_as):
    case_id = start_case(login_as("wjs_grid"))
    sweep = ready_task(services, case_id, "sweep")
    assert f'href="/tasks/{sweep}"' in text(login_as("wjs_grid").get(f"/cases/{case_id}"))
    assert f'href="/tasks/{sweep}"' not in text(login_as("wjs_police1").get(f"/cases/{case_id}"))


def test_a_matter_raised_by_an_overdue_step_is_linked_both_ways(services, login_as, clock):
    case_id = start_case(login_as("wjs_grid"))
    clock.advance(days=4)
    services.workflow.run_worker_once()
    leader = login_as("wjs_leader")
    page = text(leader.get(f"/cases/{case_id}"))
    assert "逾期上报" in page and "逾期产生的五包责任事项" in page
    matter_id = int(re.search(r'href="/cases/(\d+)">WB', page).group(1))
    matter_page = text(leader.get(f"/cases/{matter_id}"))
    assert "来源案件" in matter_page and instance(services, case_id).reference in matter_page


def test_evidence_uploads_are_stored_by_content_hash(services, login_as, app):
    import hashlib
    import io
    from pathlib import Path
    case_id = start_case(login_as("wjs_grid"))
    for step in ("sweep", "entry", "initial_check"):
        complete_step(services, login_as, case_id, step)
    jpeg = b"\xff\xd8\xff\xe0" + b"evidence" * 10
    r = submit(login_as("wjs_market1"), ready_task(services, case_id, "evidence"), STEP_DATA["evidence"],
               {"files": [(io.BytesIO(jpeg), "现场.jpg")]})
    assert r.status_code == 302
    digest = hashlib.sha256(jpeg).hexdigest()
    stored = Path(app.config["UPLOAD_FOLDER"]) / digest[:2] / digest
    assert stored.read_bytes() == jpeg
    assert not str(stored).startswith(app.static_folder)
