"""涉传出租屋巡查: one form per user task of bpmn/rental_patrol.bpmn."""
from __future__ import annotations

from .base import TaskForm, as_bool, iso, yes_no
from .six_step_case import date_field, long_text


class PatrolForm(TaskForm):
    guidance = ("巡查涉传出租屋：未开门且未落实“三停一换”，或发现人员回流的，记为回流并自动立六步工作法案件。")
    patrolled_on = date_field("巡查日期", "巡查日期")
    door_opened = yes_no("是否开门", "请选择是否开门。")
    three_stops_in_place = yes_no("“三停一换”是否仍在落实", "请选择“三停一换”是否仍在落实。")
    people_back = yes_no("是否发现人员回流", "请选择是否发现人员回流。")
    note = long_text("巡查情况")

    def to_data(self) -> dict:
        return {"door_opened": as_bool(self.door_opened.data),
                "three_stops_in_place": as_bool(self.three_stops_in_place.data),
                "people_back": as_bool(self.people_back.data), "patrolled_on": iso(self.patrolled_on.data),
                "patrol_note": (self.note.data or "").strip()}


class LiftFlagForm(TaskForm):
    guidance = "房屋已整改、不再涉传的，写明理由后解除涉传标记，停止定期巡查。"
    unflag_reason = long_text("解除理由", "请填写解除理由。")

    def to_data(self) -> dict:
        return {"unflag_reason": self.unflag_reason.data.strip()}


FORMS = {"patrol": PatrolForm, "lift_flag": LiftFlagForm}
