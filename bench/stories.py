"""The district's representative records, each run once through the real services (WorkflowService, the
ledger, sweep and complaint services) as the demo officers would, then captured as a template to clone."""
from __future__ import annotations

import sqlalchemy as sa

from cloning import make_id
from district import Tree, capture, marks
from workflows.complaints import service as complaints
from workflows.engine.models import HumanTask
from workflows.ledgers import registries
from workflows.org.models import Area, User
from workflows.sweeps import service as sweeps

STREET = "吴家山街"
# What each kind of record is, per 100 six-step cases, in a district's year (the clone mix).
CASE_MIX = {"caught_rental": 30, "caught_resident": 25, "no_mlm_sweep": 20, "no_mlm_check": 10,
            "open_entry": 5, "open_check": 5, "open_handling": 5}
HOUSE_MIX = {"house_complete": 60, "house_incomplete": 40}  # 两书一备案 complete or not
COMPLAINT_MIX = {"complaint_closed": 85, "complaint_police": 10, "complaint_open": 5}


def persons(n: int, first: int) -> list[dict]:
    return [{"name": f"人员{first + i}", "id_number": make_id(first + i), "phone": f"139{first + i:08d}",
             "bank_card": f"62220210{first + i:011d}"} for i in range(n)]


class Stories:
    def __init__(self, services, clock):
        self.services, self.clock, self.wf = services, clock, services.workflow
        with services.db.read() as s:
            self.users = dict(s.execute(sa.select(User.username, User.id)).all())
            street = s.scalar(sa.select(Area).where(Area.full_name == STREET))
            rooms = s.scalars(sa.select(Area).where(Area.kind == "room", Area.path.startswith(street.path))
                              .order_by(Area.id)).all()
            compounds = s.scalars(sa.select(Area).where(Area.kind == "compound", Area.path.startswith(street.path))
                                  .order_by(Area.id)).all()
            self.rooms = [(a.id, a.full_name) for a in rooms]
            self.compounds = [(a.id, a.full_name) for a in compounds]
            self.tree = Tree(s)
        self.person_no = 500
        self.templates = {}

    def _room(self):
        return self.rooms.pop(0)

    def ready(self, instance_id: int) -> dict[str, str]:
        with self.services.db.read() as s:
            return dict(s.execute(sa.select(HumanTask.task_name, HumanTask.id).where(
                HumanTask.instance_id == instance_id, HumanTask.state == "ready")).all())

    def do(self, instance_id: int, task: str, data: dict, user: str):
        return self.wf.complete(self.ready(instance_id)[task], data, self.users[user])

    def record(self, name: str, anchor: int, story) -> None:
        """Run one story and keep what it wrote as the template `name`."""
        with self.services.db.read() as s:
            before = marks(s)
        started = self.clock.now()
        story()
        self.templates[name] = capture(self.services, name, before, anchor, started, self.tree)
        self.clock.advance(hours=1)

    # ------------------------------------------------------------------ six-step cases
    def case(self, room_id: int, how: str) -> int:
        case = self.wf.start("six_step_case", {}, self.users["wjs_grid"], room_id, "群众反映疑似传销窝点").instance_id
        if how == "no_mlm_sweep":
            self.do(case, "sweep", {"suspicious": False, "house_type": "resident"}, "wjs_grid")
            return case
        rental = how in ("caught_rental",)
        self.do(case, "sweep", {"suspicious": True, "house_type": "rental" if rental else "resident",
                                "sweep_note": "多名外地人员合租"}, "wjs_grid")
        if how == "open_entry":
            return case
        count = {"caught_rental": 5, "caught_resident": 4, "no_mlm_check": 3, "open_check": 3}.get(how, 5)
        people = persons(count, self.person_no)
        self.person_no += count
        self.do(case, "entry", {"door_opened": True, "entered_at": "2026-06-01T10:00",
                                "officers": [{"name": "王建国", "badge": "420001"}, {"name": "李卫东", "badge": "420002"}],
                                "persons": people, "entry_note": f"现场 {count} 人"}, "wjs_police1")
        if how == "open_check":
            return case
        if how == "no_mlm_check":
            self.do(case, "initial_check", {"mlm_found": False}, "wjs_market1")
            return case
        self.do(case, "initial_check", {"mlm_found": True, "check_findings": "收取入门费，聚集授课"}, "wjs_market1")
        self.do(case, "evidence", {"evidence_summary": "笔记、资料", "evidence_files": []}, "wjs_market1")
        classified = [dict(p, classification="core" if i == 0 else "participant") for i, p in enumerate(people)]
        self.do(case, "comparison", {"has_participants": True, "has_core": True, "has_crime": False,
                                     "house_is_rental": rental, "landlord_official": False, "house_prior_catches": 0,
                                     "landlord_name": "房东某" if rental else "", "persons": classified}, "wjs_market1")
        if how == "open_handling":
            return case
        participants = [{"name": p["name"], "id_number": p["id_number"], "role": "participant"}
                        for p in classified[1:]]
        self.do(case, "handle_participants", {"result": "教育遣返，已致信户籍地",
                                              "participant_measures": ["educate", "repatriate", "letter"],
                                              "participants_handled_on": "2026-06-01",
                                              "penalty_parties": participants}, "wjs_market1")
        self.do(case, "penalty_core", {"result": "骨干成员立案处罚", "penalty_parties": [
            {"name": classified[0]["name"], "id_number": classified[0]["id_number"], "role": "introducer"}]},
            "wjs_market1")
        if rental:
            self.do(case, "rectify_house", {"result": "责令改正并三停一换", "house_measures": ["rectify_order"],
                                            "house_handled_on": "2026-06-01"}, "wjs_housing")
        self.do(case, "close_case", {"summary": "各项处置均已完成", "closed_on": "2026-06-02",
                                     "blacklist_confirmed": True}, "wjs_market1")
        self._dispose_participants(case)
        if rental:
            self._patrol_rounds(2)
        return case

    def _dispose_participants(self, case: int) -> None:
        """The participants' own procedures: education, an on-the-spot warning, a summary fine."""
        from workflows.penalties.models import PenaltyCase
        with self.services.db.read() as s:
            started = s.scalars(sa.select(PenaltyCase.instance_id).where(
                PenaltyCase.source_instance_id == case, PenaltyCase.role == "participant")
                .order_by(PenaltyCase.id)).all()
        choices = [{"disposal": "education"}, {"disposal": "warning", "spot_record": "当场警告"},
                   {"disposal": "summary_fine", "fine": 200, "spot_record": "当场查获参加传销，当事人无异议"}]
        for i, inst in enumerate(started):
            self.do(inst, "participant_disposal", choices[i % len(choices)], "wjs_market1")

    def _patrol_rounds(self, rounds: int) -> None:
        for _ in range(rounds):
            self.clock.advance(days=7, seconds=1)
            self.wf.fire_due_timers()
            with self.services.db.read() as s:
                tasks = s.scalars(sa.select(HumanTask.id).where(HumanTask.task_name == "patrol",
                                                                HumanTask.state == "ready")).all()
            for task in tasks:
                self.wf.complete(task, {"door_opened": True, "three_stops_in_place": True, "people_back": False},
                                 self.users["wjs_grid"])

    # ------------------------------------------------------------------ the rest
    def house(self, full_name: str, complete: bool) -> None:
        today = self.clock.now().date()
        fields = {"owner_name": "房东某", "owner_id_number": make_id(self.person_no), "owner_phone": "13700000000",
                  "commitment_signed_on": today, "security_pledge_signed_on": today if complete else None,
                  "filed_on": today if complete else None, "filing_number": "东租备2026001" if complete else ""}
        self.person_no += 1
        registries.save_house(self.services, self.users["wjs_housing"], full_name, **fields)

    def complaint(self, full_name: str, how: str) -> None:
        c = complaints.record(self.services, self.users["wjs_market1"], {
            "channel": "phone", "content": "某小区有外地人员聚集上课，疑似传销", "address": full_name,
            "anonymous": False, "complainant_name": "举报人某", "complainant_phone": "13911112222"})
        inst = c["instance_id"]
        unit = "police" if how == "complaint_police" else "market"
        complaints.accept(self.services, self.ready(inst)["accept"], {"jurisdiction_clear": True,
                                                                     "responsible_unit": unit}, self.users["wjs_market1"])
        if how == "complaint_open":
            return
        officer = "wjs_police1" if unit == "police" else "wjs_market2"
        self.do(inst, f"investigate_{unit}", {"finding": "现场已无人员", "open_case": False}, officer)
        self.do(inst, f"result_{unit}", {"result": "经查不属实", "effective": False, "reward_proposed": False}, officer)
        self.do(inst, "reply", {"reply": "已电话答复举报人"}, "wjs_market1")

    def sweep(self, compound: str, rooms: list[str]) -> None:
        when = self.clock.now().date()
        sweep = sweeps.plan_sweep(self.services, self.users["wjs_market1"], compound, when, "重点区域集中清查")
        for room in rooms:
            sweeps.record_check(self.services, self.users["wjs_market1"], sweep, room, house_type="rental",
                                suspicious=False, occupants=2, checked_on=when)
        sweeps.finish_sweep(self.services, self.users["wjs_market1"], sweep, "未发现传销")

    def intermediary(self, compound: str, n: int) -> None:
        from cloning import make_credit_code
        registries.save_intermediary(self.services, self.users["wjs_housing"], make_credit_code(900_000 + n),
                                     f"安居房屋中介{n}", compound, contact_name="经理某", contact_phone="13600000000",
                                     pledge_signed_on=self.clock.now().date())

    def run_all(self) -> dict:
        for how in CASE_MIX:
            room_id, _ = self._room()
            self.record(how, room_id, lambda: self.case(room_id, how))
        for how in HOUSE_MIX:
            room_id, name = self._room()
            self.record(how, room_id, lambda: self.house(name, how == "house_complete"))
        for how in COMPLAINT_MIX:
            room_id, name = self._room()
            self.record(how, room_id, lambda: self.complaint(name, how))
        # A demo compound (2 buildings of 2 units); two rooms of each unit are checked, so that a clone in any
        # compound of the district checks as many different rooms.
        compound_id, compound = next(c for c in self.compounds if c[1].endswith("小区"))
        tree = self.tree
        under = [tree.areas[room].full_name for building in tree.children[compound_id]
                 for unit in tree.children[building] for room in tree.children[unit][:2]]
        self.record("sweep", compound_id, lambda: self.sweep(compound, under))
        self.record("intermediary", compound_id, lambda: self.intermediary(compound, 1))
        return self.templates

