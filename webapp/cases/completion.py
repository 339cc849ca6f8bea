""""已完成" after a submitted step, said on the case page the submission leads to and carried in its address.

The task page's POST redirects to the case page with the completed task's id ("?done=<task id>"), and the
case page says which step was completed (and that the case is closed, when it is). The message is not flashed
into the session: a flash rewrites the signed session cookie twice, in the response to the submission and
again on the next page, which takes it out; and with two tabs open it can turn up on whichever page loads
next, under another case. Here it shows on the page the redirect leads to, and only for a step that the user
viewing the page completed in this case, so an edited address cannot make the page claim anything else.
static/js/completion.js then takes the parameter out of the address bar: a reload or a bookmark does not say
it again."""
from __future__ import annotations

import sqlalchemy as sa
from flask import url_for

from workflows.engine.models import HumanTask
from workflows.vocabulary import InstanceStatus, TaskState

from ..db import read_session

DONE_PARAM = "done"
# Task ids are UUIDs (36 characters); anything much longer is not one and is not looked up.
_MAX_TASK_ID = 64


def case_page_after(task) -> str:
    """Where a completed step's submission leads: its case's page, told which step was completed."""
    return url_for("cases.show", instance_id=task.instance_id, **{DONE_PARAM: task.id})


def completed_message(inst, task_id: str | None, user_id: int) -> str | None:
    """"已完成“<step>”。" if `user_id` completed that task of this case; None for any other id."""
    if not task_id or len(task_id) > _MAX_TASK_ID:
        return None
    title = read_session().scalar(sa.select(HumanTask.title).where(
        HumanTask.id == task_id, HumanTask.instance_id == inst.id, HumanTask.state == TaskState.COMPLETED,
        HumanTask.completed_by_id == user_id))
    if title is None:
        return None
    return f"已完成“{title}”。" + ("案件已办结。" if inst.status == InstanceStatus.COMPLETED else "")
