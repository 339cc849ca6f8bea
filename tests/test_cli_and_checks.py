"""The dachuan command line and the diagram check, as an administrator would use them."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine_helpers import CaseDriver
from webapp.cli import main
from workflows.engine.bpmn_check import check_paths, check_xml
from workflows.exceptions import PermissionDenied, UnknownTask, ValidationFailed

ROOT = Path(__file__).resolve().parent.parent


def test_every_shipped_diagram_passes_the_check():
    files, processes, problems = check_paths([ROOT / "bpmn"])
    assert problems == []
    assert files >= 2 and processes >= 2


def test_the_check_reports_a_user_task_outside_any_lane():
    xml = (ROOT / "bpmn" / "five_contracts.bpmn").read_text(encoding="utf-8")
    without_lane = xml.replace("<bpmn:flowNodeRef>handle_matter</bpmn:flowNodeRef>", "", 1)
    assert without_lane != xml
    assert any("handle_matter" in p and "泳道" in p for p in check_xml(without_lane.encode(), "x.bpmn"))


def test_shared_checker_agrees_when_present():
    shared = ROOT.parent / "shared" / "tools" / "check_bpmn.py"
    if not shared.exists():
        pytest.fail("../shared/tools/check_bpmn.py is expected beside the project in CI")
    out = subprocess.run([sys.executable, str(shared), str(ROOT / "bpmn")], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert " 0 problems" in out.stdout


def test_cli_walks_a_case_from_start_to_a_result(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    runner = CliRunner()
    base = ["--database-url", url]
    assert runner.invoke(main, base + ["migrate"]).exit_code == 0
    first = runner.invoke(main, base + ["load-demo"])
    assert first.exit_code == 0 and "已载入" in first.output
    assert "已存在" in runner.invoke(main, base + ["load-demo"]).output

    started = runner.invoke(main, base + ["start", "six_step_case", "--user", "wjs_grid", "--title", "命令行案件",
                                          "--area", "吴家山街第一社区花园小区1栋1单元101室"])
    assert started.exit_code == 0, started.output
    result = json.loads(started.output)
    listed = runner.invoke(main, base + ["tasks", "--user", "wjs_grid"])
    assert "摸排" in listed.output and result["ready_task_ids"][0] in listed.output

    bad = runner.invoke(main, base + ["complete", result["ready_task_ids"][0], "--user", "wjs_grid",
                                      "--data", '{"suspicious": "maybe"}'])
    assert bad.exit_code != 0 and "house_type" in bad.output
    done = runner.invoke(main, base + ["complete", result["ready_task_ids"][0], "--user", "wjs_grid",
                                       "--data", '{"suspicious": false, "house_type": "resident"}'])
    assert done.exit_code == 0 and json.loads(done.output)["status"] == "completed"

    check = runner.invoke(main, base + ["check-bpmn"])
    assert check.exit_code == 0 and "0 problems" in check.output


def test_bad_data_and_wrong_roles_change_nothing(services, lookup):
    cases = CaseDriver(services, lookup)
    case = cases.start()
    task_id = cases.ready(case)["sweep"]
    with pytest.raises(ValidationFailed) as info:
        services.workflow.complete(task_id, {"suspicious": "yes"}, lookup.user("wjs_grid"))
    assert set(info.value.errors) == {"suspicious", "house_type"}
    with pytest.raises(PermissionDenied):
        services.workflow.complete(task_id, {"suspicious": True, "house_type": "rental"}, lookup.user("wjs_police1"))
    # An officer of another street holds the right role but not the area.
    with pytest.raises(PermissionDenied):
        services.workflow.complete(task_id, {"suspicious": True, "house_type": "rental"}, lookup.user("jyh_market"))
    with pytest.raises(UnknownTask, match="找不到任务"):
        services.workflow.complete("no-such-task", {"suspicious": True, "house_type": "rental"},
                                   lookup.user("wjs_grid"))
    assert cases.ready(case) == {"sweep": task_id}
    assert cases.audit_kinds(case) == ["started"]


@pytest.mark.parametrize("bad", ["PT0S", "P0D", "三天", ""])
def test_a_zero_or_malformed_deadline_is_refused_at_start_up(bad):
    from workflows.config import Settings
    deadlines = {"1": bad, "2": "PT48H", "3": "PT72H", "4": "P5D", "5": "P7D"}
    with pytest.raises(ValueError, match="five_contract_deadlines\\[1\\]"):
        Settings.load({"five_contract_deadlines": deadlines})
