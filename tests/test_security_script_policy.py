"""A diagram is code: its scripts and expressions may only call the engine's registered functions and do
simple things with task data. Anything else is refused when the diagram is deployed, with the reason."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from web_fixtures import app, client, login_as, text  # noqa: F401  (fixtures)
from workflows.audit.models import AuditEvent
from workflows.engine import script_policy, spiff
from workflows.engine.models import ProcessVersion
from workflows.exceptions import InvalidDiagram

BPMN = Path(__file__).resolve().parent.parent / "bpmn"
COMPLAINT = (BPMN / "complaint_intake.bpmn").read_text(encoding="utf-8")
HONEST = "transfer = record_transfer(responsible_unit, transfer_reason)"
ATTACKS = {
    'transfer = __import__("os").system("touch /tmp/owned")': "不允许",
    "transfer = open('/etc/passwd').read()": "不允许",
    "import os": "不允许使用 import",
    "transfer = ().__class__.__bases__[0].__subclasses__()": "不允许访问属性",
    "transfer = eval('1+1')": "不允许调用 eval()",
    "transfer = getattr(record_transfer, '__globals__')": "不允许调用 getattr()",
    "_x = 1": "下划线",
    "transfer = (lambda: 1)()": "不允许使用 lambda",
}


def versions(services) -> int:
    with services.db.read() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(ProcessVersion))


def test_every_diagram_of_the_project_passes(services):
    functions = set(spiff.SCRIPT_GLOBALS)
    for path in sorted(BPMN.glob("*.bpmn")):
        assert script_policy.diagram_problems(path.read_bytes(), functions, path.name) == [], path.name


def test_an_uploaded_diagram_that_runs_python_is_refused_with_the_reason(services, login_as):
    assert HONEST in COMPLAINT
    admin = login_as("admin")
    before = versions(services)
    for script, reason in ATTACKS.items():
        xml = COMPLAINT.replace(HONEST, script).encode()
        r = admin.post("/admin/processes", data={"diagram": (io.BytesIO(xml), "complaint_intake.bpmn")},
                       content_type="multipart/form-data")
        assert r.status_code == 422 and "未通过检查" in text(r), script
        assert reason in text(r) and "record_transfer_1" not in text(r), script
    condition = COMPLAINT.replace(">not anonymous<", ">open('/etc/passwd').read()<").encode()
    r = admin.post("/admin/processes", data={"diagram": (io.BytesIO(condition), "complaint_intake.bpmn")},
                   content_type="multipart/form-data")
    assert r.status_code == 422 and "不允许" in text(r)
    assert versions(services) == before
    with services.db.read() as s:
        refused = list(s.scalars(sa.select(AuditEvent).where(AuditEvent.kind == "diagram_refused")))
    assert len(refused) == len(ATTACKS) + 1 and all(e.actor_id is not None for e in refused)
    # The honest diagram, changed harmlessly, still deploys.
    xml = COMPLAINT.replace(HONEST, "transfer = record_transfer(responsible_unit, transfer_reason.strip())").encode()
    r = admin.post("/admin/processes", data={"diagram": (io.BytesIO(xml), "complaint_intake.bpmn")},
                   content_type="multipart/form-data")
    assert r.status_code == 302 and versions(services) == before + 1


def test_deploying_a_directory_refuses_the_same(services, tmp_path):
    (tmp_path / "evil.bpmn").write_text(COMPLAINT.replace(HONEST, "transfer = exec('import os')"), encoding="utf-8")
    with pytest.raises(InvalidDiagram) as caught:
        services.workflow.deploy_directory(tmp_path)
    assert "不允许调用 exec()" in caught.value.message and "evil.bpmn" in caught.value.message


def test_simple_data_handling_stays_allowed():
    ok = ["deadline = deadlines[str(level)]", "x = a if b else len(c)", "total = sum([p.get('fine', 0) for p in persons])",
          "names = ', '.join(sorted(n.strip() for n in people))", "count += 1", "flag = not (a and b) or c >= 3"]
    for code in ok:
        assert script_policy.script_problem(code, {"record_transfer"}) is None, code
