"""五包责任事项: the one user task of bpmn/five_contracts.bpmn."""
from __future__ import annotations

from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length

from .base import TaskForm, as_bool, iso, yes_no
from .fields import DateField
from .validators import NotFuture


class HandleMatterForm(TaskForm):
    guidance = ("就近就快，把问题解决在初始阶段。本级时限内未办结的，事项自动上升一级；"
                "本级解决不了的，可写明原因直接上报。")
    handled_on = DateField("处置日期", validators=[InputRequired("请填写处置日期。"), NotFuture("处置日期不能晚于今天。")])
    resolved = yes_no("是否已处置完毕", "请选择是否已处置完毕。",
                      description="选“否”的，写明原因，事项立即上报上一级责任人（已在最高一级的，仍由区级领导办理）。")
    result = TextAreaField("处置情况", validators=[InputRequired("请填写处置情况。"),
                                                Length(max=4000, message="不能超过 4000 字。")])

    def to_data(self) -> dict:
        return {"resolved": as_bool(self.resolved.data), "result": self.result.data.strip(),
                "handled_on": iso(self.handled_on.data)}


FORMS = {"handle_matter": HandleMatterForm}
