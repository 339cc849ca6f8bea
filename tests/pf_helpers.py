"""Driving 创无 applications and re-inspections through the services as the demo officers."""
from __future__ import annotations

import sqlalchemy as sa

from workflows.engine.models import HumanTask, ProcessInstance
from workflows.notices.models import Notice
from workflows.pyramid_free import applications, platforms
from workflows.pyramid_free.models import Inspection, Naming
from workflows.vocabulary import NamingStatus

COMMUNITY = "吴家山街第一社区"
FULL = {"hotline": {"score": 10, "note": "举报电话已公布"}, "ledger": {"score": 5, "note": "台账齐全"},
        "publicity_board": {"score": 5, "note": "宣传栏已更新"}, "screening": {"score": 5, "note": "排查制度已建立"}}
# What a content platform's inspectors enter by hand (the rest of its checklist is computed).
PLATFORM_ITEMS = {"commitment": {"score": 15}, "keyword_filter": {"score": 15}, "complaint_entry": {"score": 10},
                  "warning_column": {"score": 10}}
ZERO = {code: {"score": 0, "note": "未落实"} for code in FULL}
PHOTO = [{"sha256": "a" * 64, "name": "现场.jpg", "content_type": "image/jpeg", "size": 10}]


class Creation:
    def __init__(self, services, lookup):
        self.services, self.lookup, self.workflow = services, lookup, services.workflow

    @property
    def year(self) -> int:
        return self.workflow.now().year

    def apply(self, community: str = COMMUNITY, user: str = "cw_community") -> int:
        return applications.apply_community(self.services, self.lookup.user(user), self.lookup.area(community),
                                            self.year, FULL)

    def naming(self, naming_id: int) -> Naming:
        with self.services.db.read() as s:
            return s.get(Naming, naming_id)

    def ready(self, instance_id: int) -> dict[str, str]:
        with self.services.db.read() as s:
            return dict(s.execute(sa.select(HumanTask.task_name, HumanTask.id).where(
                HumanTask.instance_id == instance_id, HumanTask.state == "ready")).all())

    def do(self, instance_id: int, task_name: str, data: dict, user: str):
        return self.workflow.complete(self.ready(instance_id)[task_name], data, self.lookup.user(user))

    def inspection(self, entries: dict, **extra) -> dict:
        return {"inspector_ids": [self.lookup.user("cw_police"), self.lookup.user("cw_market")],
                "entries": entries, "findings": "现场检查", "evidence_files": PHOTO, **extra}

    def to_acceptance(self, naming_id: int) -> int:
        inst = self.naming(naming_id).instance_id
        self.do(inst, "street_forward", {"forwarded": True, "opinion": "同意转报"}, "cw_street")
        self.do(inst, "namer_review", {"accepted": True, "reasons": ""}, "cw_namer")
        return inst

    def named(self, community: str = COMMUNITY) -> int:
        # The demo community's own account applies for it; the namer files for the others.
        naming_id = self.apply(community, "cw_community" if community == COMMUNITY else "cw_namer")
        inst = self.to_acceptance(naming_id)
        self.do(inst, "acceptance", self.inspection(FULL), "cw_police")
        self.do(inst, "naming", {"naming_note": "同意命名"}, "cw_namer")
        return naming_id

    def watch(self, naming_id: int) -> int:
        return self.naming(naming_id).watch_instance_id

    def instance(self, instance_id: int) -> ProcessInstance:
        with self.services.db.read() as s:
            return s.get(ProcessInstance, instance_id)

    def notice(self, notice_id: int) -> Notice:
        with self.services.db.read() as s:
            return s.get(Notice, notice_id)

    def inspections(self, naming_id: int) -> list[Inspection]:
        with self.services.db.read() as s:
            return list(s.scalars(sa.select(Inspection).where(Inspection.naming_id == naming_id)
                                  .order_by(Inspection.id)))


def name_platform(services, lookup, code: str, named: bool = True) -> tuple[int, int]:
    """Register a platform (and name it) through the 创无 services as their officers do; (platform, naming)."""
    cw = Creation(services, lookup)
    platform_id = platforms.save_platform(
        services, lookup.user("cw_namer"), name="某某短视频", operator="某某网络科技有限公司", credit_code=code,
        platform_type="content", icp_number="鄂ICP备12345678号", app_ids="某某短视频App", liaison_name="刘洋",
        liaison_phone="13800001111")
    if not named:
        return platform_id, 0
    naming_id = applications.apply_platform(services, lookup.user("cw_namer"), platform_id, cw.year, PLATFORM_ITEMS)
    inst = cw.naming(naming_id).instance_id
    cw.do(inst, "namer_review", {"accepted": True, "reasons": ""}, "cw_namer")
    cw.do(inst, "acceptance", cw.inspection(PLATFORM_ITEMS, findings="平台检查"), "cw_market")
    cw.do(inst, "naming", {"naming_note": "同意命名"}, "cw_namer")
    assert cw.naming(naming_id).status == NamingStatus.NAMED
    return platform_id, naming_id
