"""The writes sent straight to the driver (workflows.database.driver: the completed task, the version-guarded
state save, the audit event, the task mirror's new and cancelled rows) store what SQLAlchemy's own Core
statement stores for the same values, column for column, as read back and as the database holds it (times,
NULLs, JSON with Chinese text), on both databases; and the version guard still refuses a stale save."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from engine_helpers import CaseDriver
from workflows import audit
from workflows.audit.models import AuditEvent
from workflows.engine import mirror, service
from workflows.engine.models import HumanTask, ProcessInstance
from workflows.exceptions import ConcurrentUpdate
from workflows.vocabulary import EventKind, InstanceStatus, TaskState

AT = datetime(2026, 3, 5, 9, 30, 15, 123456)


def _stored(s, table, key_column, key, columns):
    """A row as SQLAlchemy reads it back and as the database holds it (each column cast to text; binary
    columns as they are)."""
    typed = s.execute(sa.select(*[table.c[c] for c in columns]).where(key_column == key)).one()
    raw = s.execute(sa.select(*[table.c[c] if isinstance(table.c[c].type, sa.LargeBinary)
                                else sa.cast(table.c[c], sa.Text) for c in columns])
                    .where(key_column == key)).one()
    return tuple(typed), tuple(raw)


def _same(left, right):
    assert left == right
    assert [type(v) for v in left[0]] == [type(v) for v in right[0]]


def test_the_audit_event_is_the_core_insert(services, lookup):
    actor = lookup.user("wjs_grid")
    table = AuditEvent.__table__
    details = {"task": "entry", "title": "入户核查", "data": {"persons": [{"name": "张三", "note": None}],
                                                           "door_opened": True, "count": 3, "地址": "吴家山街"}}
    columns = [c.name for c in table.c if c.name != "id"]
    for params in ({"at": AT, "kind": EventKind.COMPLETED, "actor_id": actor, "task_id": "t-1", "instance_id": None,
                    "details": details},
                   {"at": AT, "kind": EventKind.FINISHED, "actor_id": None, "task_id": None, "instance_id": None,
                    "details": {}}):
        with services.db.unit_of_work() as s:
            audit._INSERT.write(s, params)
            s.connection().execute(audit._INSERT.statement, params)
        with services.db.read() as s:
            driver_id, core_id = s.scalars(sa.select(table.c.id).order_by(table.c.id.desc()).limit(2)).all()[::-1]
            driver = _stored(s, table, table.c.id, driver_id, columns)
            core = _stored(s, table, table.c.id, core_id, columns)
        _same(driver, core)
        assert driver[0][columns.index("details")] == params["details"]  # the Chinese text as it was given


def test_the_mirror_rows_are_the_core_rows(services, lookup):
    case = CaseDriver(services, lookup).start()
    table = HumanTask.__table__
    with services.db.read() as s:
        inst = s.get(ProcessInstance, case)
        area_id, area_path = inst.area_id, inst.area_path
    rows = [dict(instance_id=case, process_id="six_step_case", task_name="entry", title="入户核查", lane="公安",
                 role="police", area_id=area_id, area_path=area_path, state=TaskState.READY, created_at=AT,
                 assignee_id=lookup.user("wjs_police1"), level=2, due_at=AT + timedelta(days=3)),
            dict(instance_id=case, process_id="six_step_case", task_name="sweep", title="摸排", lane="",
                 role="grid", area_id=None, area_path="", state=TaskState.READY, created_at=AT,
                 assignee_id=None, level=None, due_at=None)]
    columns = [c.name for c in table.c if c.name != "id"]
    with services.db.unit_of_work() as s:
        mirror._INSERT.write_many(s, [dict(row, id=f"driver-{i}") for i, row in enumerate(rows)])
        s.connection().execute(mirror._INSERT.statement, [dict(row, id=f"core-{i}") for i, row in enumerate(rows)])
    with services.db.read() as s:
        for i in range(len(rows)):
            _same(_stored(s, table, table.c.id, f"driver-{i}", columns),
                  _stored(s, table, table.c.id, f"core-{i}", columns))
        assert s.scalar(sa.select(table.c.reassign_reason).where(table.c.id == "driver-1")) == ""  # its default
    later = AT + timedelta(hours=1)
    with services.db.unit_of_work() as s:  # the first row done meanwhile: a cancel leaves it as it is
        s.execute(sa.update(table).where(table.c.id.in_(["driver-0", "core-0"])).values(state=TaskState.COMPLETED))
        mirror._CANCEL.write_many(s, [{"b_id": f"driver-{i}", "completed_at": later} for i in range(len(rows))])
        s.connection().execute(mirror._CANCEL.statement,
                               [{"b_id": f"core-{i}", "completed_at": later} for i in range(len(rows))])
    with services.db.read() as s:
        for i in range(len(rows)):
            _same(_stored(s, table, table.c.id, f"driver-{i}", columns),
                  _stored(s, table, table.c.id, f"core-{i}", columns))
        states = dict(s.execute(sa.select(table.c.id, table.c.state).where(table.c.id.like("driver-%"))).all())
    assert states == {"driver-0": TaskState.COMPLETED, "driver-1": TaskState.CANCELLED}


def test_the_completion_updates_are_the_core_updates(services, lookup):
    cases = CaseDriver(services, lookup)
    first, second = cases.start("甲"), cases.start("乙")
    tasks, instances = HumanTask.__table__, ProcessInstance.__table__
    task_ids = [cases.ready(first)["sweep"], cases.ready(second)["sweep"]]
    actor = lookup.user("wjs_grid")
    with services.db.read() as s:
        versions = [s.scalar(sa.select(instances.c.version).where(instances.c.id == i)) for i in (first, second)]
    assert versions[0] == versions[1]
    for values in ({"state": b"\x28\xb5\x2f\xfd\x00state", "updated_at": AT, "next_timer_at": None,
                    "version": versions[0] + 1},
                   {"state": b"\x00\x01\x02", "updated_at": AT, "next_timer_at": AT + timedelta(days=7),
                    "version": versions[0] + 2, "status": InstanceStatus.COMPLETED, "completed_at": AT,
                    "end_event": "结束"}):
        done = {"state": TaskState.COMPLETED, "completed_at": AT, "completed_by_id": actor}
        with services.db.unit_of_work() as s:
            assert service._TASK_DONE.write(s, dict(done, b_id=task_ids[0])) == 1
            s.connection().execute(service._TASK_DONE.statement, dict(done, b_id=task_ids[1]))
            guard = values["version"] - 1
            assert service._SAVE_INSTANCE.write(s, dict(values, b_id=first, b_version=guard)) == 1
            assert s.connection().execute(service._SAVE_INSTANCE.statement,
                                          dict(values, b_id=second, b_version=guard)).rowcount == 1
        with services.db.read() as s:
            columns = list(done)
            _same(_stored(s, tasks, tasks.c.id, task_ids[0], columns),
                  _stored(s, tasks, tasks.c.id, task_ids[1], columns))
            columns = list(values)
            _same(_stored(s, instances, instances.c.id, first, columns),
                  _stored(s, instances, instances.c.id, second, columns))
        # A save guarded by a version the row no longer has matches nothing.
        with services.db.unit_of_work() as s:
            assert service._SAVE_INSTANCE.write(s, dict(values, b_id=first, b_version=guard)) == 0


def test_a_stale_save_is_refused_and_nothing_is_kept(services, lookup):
    cases = CaseDriver(services, lookup)
    case = cases.start()
    sweep = cases.ready(case)["sweep"]
    actor = lookup.user("wjs_grid")
    instances = ProcessInstance.__table__
    with services.db.read() as s:
        version, state = s.execute(sa.select(instances.c.version, instances.c.state)
                                   .where(instances.c.id == case)).one()
    with pytest.raises(ConcurrentUpdate):
        with services.db.unit_of_work() as s:
            ctx = services.workflow.context(s, actor)
            read = s.get(ProcessInstance, case)  # read at `version` (held: the session keeps what is referenced)
            # ... then saved by someone else before this action saves
            s.connection().execute(sa.update(instances).where(instances.c.id == case).values(version=version + 1))
            assert read.version == version
            services.workflow.complete_within(ctx, sweep, {"suspicious": True, "house_type": "rental"}, actor)
    with services.db.read() as s:
        assert s.execute(sa.select(instances.c.version, instances.c.state)
                         .where(instances.c.id == case)).one() == (version, state)
    assert cases.ready(case) == {"sweep": sweep}
    assert EventKind.COMPLETED not in cases.audit_kinds(case)


def test_a_default_sqlalchemy_would_compute_is_refused(services):
    # The audit row's details default to a new dict (a callable): the driver path does not imitate it.
    with pytest.raises(ValueError, match="details"):
        with services.db.unit_of_work() as s:
            audit._INSERT.write(s, {"at": AT, "kind": EventKind.COMPLETED, "actor_id": None, "task_id": None,
                                    "instance_id": None})
