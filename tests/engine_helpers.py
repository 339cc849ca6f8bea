"""Small helpers for driving cases through the service layer as the demo officers."""
from __future__ import annotations

import threading

import sqlalchemy as sa

from workflows.audit.models import AuditEvent
from workflows.engine.models import HumanTask, ProcessInstance
from workflows.org.models import Area, User

ROOM = "吴家山街第一社区花园小区1栋1单元101室"
PERSONS = [{"name": "张三", "id_number": "11010519491231002X", "phone": "13912345678"},
           {"name": "李四", "id_number": "420106199001011234", "phone": "13812345678"}]

class Lookup:
    """Find demo users and addresses by name."""

    def __init__(self, services):
        self.services = services

    def user(self, username: str) -> int:
        with self.services.db.read() as s:
            return s.scalar(sa.select(User.id).where(User.username == username))

    def area(self, full_name: str) -> int:
        with self.services.db.read() as s:
            return s.scalar(sa.select(Area.id).where(Area.full_name == full_name))


# Which demo officer does each step of the six-step case.
OFFICER = {
    "sweep": "wjs_grid", "watch_house": "wjs_grid", "entry": "wjs_police1", "transfer_police": "wjs_police1",
    "rectify_house": "wjs_housing",
}
OFFICER_DEFAULT = "wjs_market1"

BRANCH_TASKS = {"has_participants": "handle_participants", "has_core": "penalty_core",
                "has_crime": "transfer_police", "landlord_official": "transfer_discipline"}


class CaseDriver:
    def __init__(self, services, lookup):
        self.services, self.lookup = services, lookup
        self.workflow = services.workflow

    def start(self, title="测试窝点") -> int:
        return self.workflow.start("six_step_case", {}, self.lookup.user("wjs_grid"),
                                   self.lookup.area(ROOM), title).instance_id

    def ready(self, instance_id: int) -> dict[str, str]:
        """task name -> task id of the ready tasks of an instance."""
        with self.services.db.read() as s:
            rows = s.execute(sa.select(HumanTask.task_name, HumanTask.id).where(
                HumanTask.instance_id == instance_id, HumanTask.state == "ready")).all()
        return {name: tid for name, tid in rows}

    def do(self, instance_id: int, task_name: str, data: dict, username: str | None = None):
        task_id = self.ready(instance_id)[task_name]
        user = username or OFFICER.get(task_name, OFFICER_DEFAULT)
        return self.workflow.complete(task_id, data, self.lookup.user(user))

    def instance(self, instance_id: int) -> ProcessInstance:
        with self.services.db.read() as s:
            return s.get(ProcessInstance, instance_id)

    def audit_kinds(self, instance_id: int) -> list[str]:
        with self.services.db.read() as s:
            return list(s.scalars(sa.select(AuditEvent.kind).where(AuditEvent.instance_id == instance_id)
                                  .order_by(AuditEvent.id)))

    def to_comparison(self, instance_id: int, door_closed_times: int = 0):
        self.do(instance_id, "sweep", {"suspicious": True, "house_type": "rental"})
        for _ in range(door_closed_times):
            self.do(instance_id, "entry", {"door_opened": False})
            self.do(instance_id, "watch_house", {"note": "蹲守，人员已回"})
        self.do(instance_id, "entry", {"door_opened": True, "officers": ["王建国", "李卫东"], "persons": PERSONS})
        self.do(instance_id, "initial_check", {"mlm_found": True})
        self.do(instance_id, "evidence", {"evidence_summary": "课堂笔记、账本"})


def comparison(**flags) -> dict:
    data = {"has_participants": False, "has_core": False, "has_crime": False, "house_is_rental": False,
            "landlord_official": False, "house_prior_catches": 0}
    data.update(flags)
    return data


def release_together(action, count: int) -> None:
    """Run action(i) for i in range(count), each in its own thread, all released at the same moment."""
    barrier = threading.Barrier(count)

    def start(i):
        barrier.wait()
        action(i)

    threads = [threading.Thread(target=start, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
