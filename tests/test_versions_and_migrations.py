"""Schema migrations from an empty database; a changed diagram never disturbs running cases."""
import pytest
import sqlalchemy as sa

from engine_helpers import CaseDriver
from workflows.audit.models import AuditEvent
from workflows.config import Settings
from workflows.database import migrate
from workflows.database.session import Database
from workflows.engine.models import HumanTask, ProcessInstance, ProcessVersion
from workflows.exceptions import InvalidDiagram

EXPECTED_TABLES = {"area", "department", "user_account", "five_contract_assignment", "process_version",
                   "process_instance", "human_task", "audit_event", "case_person", "blacklist_entry"}


def _migrate_from_empty(url):
    db = Database(url)
    assert sa.inspect(db.engine).get_table_names() == [], "the database must start empty"
    migrate.upgrade(db)
    names = set(sa.inspect(db.engine).get_table_names())
    with db.engine.connect() as conn:
        head = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    migrate.upgrade(db)  # a second run is a no-op
    db.dispose()
    return names, head


def test_migrations_build_the_schema_from_an_empty_sqlite_file(tmp_path):
    names, head = _migrate_from_empty(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    assert EXPECTED_TABLES <= names and head


def test_migrations_build_the_schema_from_an_empty_postgres_database(empty_pg_url):
    names, head = _migrate_from_empty(empty_pg_url)
    assert EXPECTED_TABLES <= names and head


def test_audit_log_refuses_updates_and_deletes(services, lookup):
    CaseDriver(services, lookup).start()
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        with services.db.unit_of_work() as s:
            s.execute(sa.update(AuditEvent).values(kind="tampered"))
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        with services.db.unit_of_work() as s:
            s.execute(sa.delete(AuditEvent))


def test_changed_diagram_leaves_running_cases_on_their_version(services, lookup):
    cases = CaseDriver(services, lookup)
    old_case = cases.start("旧版本案件")
    xml = (Settings().bpmn_dir / "six_step_case.bpmn").read_text(encoding="utf-8")
    changed = xml.replace('name="摸排"', 'name="摸排（新版）"', 1)
    assert changed != xml
    deployed = services.workflow.deploy_xml(changed.encode(), "six_step_case.bpmn")
    assert [v.process_id for v in deployed] == ["six_step_case"]
    assert services.workflow.deploy_xml(changed.encode(), "six_step_case.bpmn") == []  # stored once per hash

    new_case = cases.start("新版本案件")
    with services.db.read() as s:
        titles = dict(s.execute(sa.select(HumanTask.instance_id, HumanTask.title)
                                .where(HumanTask.task_name == "sweep")).all())
        versions = dict(s.execute(sa.select(ProcessInstance.id, ProcessInstance.version_id)).all())
        count = s.scalar(sa.select(sa.func.count()).select_from(ProcessVersion)
                         .where(ProcessVersion.process_id == "six_step_case"))
    assert titles == {old_case: "摸排", new_case: "摸排（新版）"}
    assert versions[old_case] != versions[new_case] and count == 2
    # The old case still runs to its end on the old diagram.
    cases.do(old_case, "sweep", {"suspicious": False, "house_type": "vacant"})
    assert cases.instance(old_case).end_event == "end_no_mlm_sweep"


def test_a_broken_diagram_is_refused_with_its_problems(services):
    xml = (Settings().bpmn_dir / "five_contracts.bpmn").read_text(encoding="utf-8")
    broken = xml.replace("<bpmndi:BPMNShape", "<bpmndi:BPMNShapeX", 1).replace("</bpmndi:BPMNShape>", "</bpmndi:BPMNShapeX>", 1)
    with pytest.raises(InvalidDiagram) as info:
        services.workflow.deploy_xml(broken.encode(), "five_contracts.bpmn")
    assert "BPMN" in info.value.message
