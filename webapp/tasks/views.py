"""The inbox, claiming and releasing, and the task page (GET shows the form, POST completes the task)."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm.attributes import set_committed_value

import forms
from workflows.cases.models import CasePerson
from workflows.engine.mirror import task_holder_message
from workflows.engine.models import HumanTask, ProcessInstance, ProcessVersion
from workflows.exceptions import PermissionDenied, TaskAlreadyCompleted, ValidationFailed, WorkflowError
from workflows.org.models import Area, User
from workflows.substitutes import service as substitutes
from workflows.vocabulary import TaskState

from .. import uploads
from ..access import TASK_GONE, areas_below, can_act, resolved, safe_next, sees, stands_in, task_or_404
from ..cases.completion import case_page_after
from ..db import OneRow, end_reads, now, read_session, services, workflow
from ..labels import PROCESS_NAMES, step_choices
from ..params import is_number
from ..timefmt import local_now
from .queries import InboxFilters
from .queries import inbox as inbox_query
from .queries import reassigned_to_me

bp = Blueprint("tasks", __name__)


@bp.route("/")
@bp.route("/tasks")
@login_required
def inbox():
    """My tasks and my roles' unclaimed tasks in my area, overdue first."""
    filters = InboxFilters.from_args(request.args)
    page = inbox_query(read_session(), current_user, filters, now(), current_app.config["PAGE_SIZE"])
    return render_template("tasks/inbox.html", page=page, filters=filters, now=now(),
                           reassigned=reassigned_to_me(read_session(), current_user, now()),
                           standing_in=substitutes.standing_in_for(read_session(), current_user.id, now()),
                           processes=PROCESS_NAMES, steps=step_choices(),
                           areas=areas_below(current_user, ("street", "community")))


def _back_to_inbox():
    return redirect(safe_next(request.form.get("next")) or url_for("tasks.inbox"))


@bp.route("/tasks/<task_id>/claim", methods=["POST"])
@login_required
def claim(task_id):
    """Take an unclaimed task so colleagues see it is being handled."""
    task = task_or_404(task_id)
    if not sees(current_user, task.area_path):
        abort(403)
    workflow().claim(task_id, current_user.id)
    flash(f"已认领“{task.title}”。", "success")
    return _back_to_inbox()


@bp.route("/tasks/<task_id>/release", methods=["POST"])
@login_required
def release(task_id):
    """Give a claimed task back to the role's shared inbox."""
    task = task_or_404(task_id)
    workflow().release(task_id, current_user.id)
    flash(f"已退回“{task.title}”，同岗位人员均可认领。", "success")
    return _back_to_inbox()


def _checked_task(task_id: str, for_submit: bool = False):
    """The task (with its instance) if the user may work on it; otherwise the page that says why.

    A page to render gets the ORM entities (the template follows their relationships); a submission gets the
    same columns as plain rows (`_SubmittedTask`), a fraction of the cost, and the entities only if the form
    must be shown again."""
    if for_submit:
        row = _SUBMITTED_TASK.first(b_id=task_id)
        task = _SubmittedTask(row) if row is not None else None
    else:
        row = read_session().execute(_TASK_WITH_INSTANCE, {"b_id": task_id}).first()
        task = None
        if row is not None:
            task, inst = row
            set_committed_value(task, "instance", inst)
    if task is None:
        abort(404, TASK_GONE)
    me = resolved(current_user)
    assigned_to_me = task.assignee_id == me.id or stands_in(me, task)
    if not assigned_to_me and not sees(me, task.instance.area_path):
        abort(403, "该任务所属案件不在您的辖区内，您无权查看或办理。")
    if task.state != TaskState.READY:
        raise TaskAlreadyCompleted(task_holder_message(read_session(), task), task.instance_id)
    if not can_act(me, task):
        assignee = read_session().get(User, task.assignee_id) if task.assignee_id is not None else None
        holder = assignee.display_name if assignee else "其他岗位"
        abort(403, f"“{task.title}”由{holder}办理，您无权办理。")
    return task


_TASK_WITH_INSTANCE = (sa.select(HumanTask, ProcessInstance)
                       .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
                       .where(HumanTask.id == sa.bindparam("b_id")))

_tasks, _instances = HumanTask.__table__, ProcessInstance.__table__
_TASK_COLUMNS = ("id", "instance_id", "process_id", "task_name", "title", "role", "area_path", "assignee_id",
                 "state", "completed_at", "completed_by_id")
_INSTANCE_COLUMNS = ("id", "version_id", "version", "state", "area_id", "area_path", "created_at")
_SUBMITTED_TASK = OneRow(
    sa.select(*(_tasks.c[n] for n in _TASK_COLUMNS),
              *(_instances.c[n].label("inst_" + n) for n in _INSTANCE_COLUMNS))
    .select_from(_tasks.join(_instances, _instances.c.id == _tasks.c.instance_id))
    .where(_tasks.c.id == sa.bindparam("b_id")))


class _SubmittedInstance:
    """The columns of a task's case that checking and completing a submission read."""

    __slots__ = _INSTANCE_COLUMNS

    def __init__(self, values):
        for name, value in zip(_INSTANCE_COLUMNS, values):
            setattr(self, name, value)

    @property
    def process_version(self) -> ProcessVersion:
        # Only when the form's data has to come from a restored workflow (workflows.engine.task_data).
        return read_session().get(ProcessVersion, self.version_id)


class _SubmittedTask:
    """A human task's columns, and its case's, as a submission needs them (the access rule reads the same
    attributes as on the model)."""

    __slots__ = _TASK_COLUMNS + ("instance",)

    def __init__(self, row: tuple):
        for name, value in zip(_TASK_COLUMNS, row):
            setattr(self, name, value)
        self.instance = _SubmittedInstance(row[len(_TASK_COLUMNS):])


def _context(task: HumanTask) -> dict:
    """The data the task sees in the engine (what earlier steps recorded), plus a few look-ups."""
    data = workflow().task_context(task.instance, task.id)
    if task.task_name == "comparison":
        data["house_prior_cases"] = _house_prior_cases(task.instance)
    return data


def _house_prior_cases(inst: ProcessInstance) -> int:
    """Earlier cases at the same address in which people were found (a house caught before)."""
    if inst.area_id is None:
        return 0
    return read_session().scalar(
        sa.select(sa.func.count(sa.distinct(CasePerson.instance_id)))
        .join(ProcessInstance, ProcessInstance.id == CasePerson.instance_id)
        .where(ProcessInstance.area_id == inst.area_id, ProcessInstance.id != inst.id,
               ProcessInstance.created_at < inst.created_at)) or 0


def _area_exists(full_name: str) -> bool:
    return read_session().scalar(sa.select(Area.id).where(Area.full_name == full_name)) is not None


LOOKUPS = {"area_exists": _area_exists}


def _apply_row_action(form, action: str) -> bool:
    """'add:persons' or 'remove:persons:2' from the buttons that work without JavaScript."""
    parts = action.split(":")
    if len(parts) < 2 or parts[1] not in form.row_lists or parts[1] in form.fixed_rows:
        return False
    rows = form[parts[1]]
    if parts[0] == "add":
        rows.append_entry()
        return True
    if parts[0] == "remove" and len(parts) == 3 and is_number(parts[2]):
        index = int(parts[2])
        if 0 <= index < len(rows.entries):
            rows.entries.pop(index)
            if not rows.entries:
                rows.append_entry()
        return True
    return False


def _issued_notices(task) -> list:
    """The notices issued from this step (voided ones too, marked), so the officer sees what went out."""
    if "notices" not in current_app.blueprints:
        return []
    from workflows.notices.models import Notice
    return list(read_session().scalars(sa.select(Notice).where(Notice.task_id == task.id)
                                       .order_by(Notice.issued_at, Notice.id)))


def _render(task, form, status=200):
    if isinstance(task, _SubmittedTask):  # a submission shown again: the template follows the relationships
        row = read_session().execute(_TASK_WITH_INSTANCE, {"b_id": task.id}).first()
        if row is None:
            abort(404, TASK_GONE)
        task, inst = row
        set_committed_value(task, "instance", inst)
    inst = task.instance
    areas = areas_below(current_user, ("community", "compound", "building", "unit", "room")) if form.needs_areas else []
    return render_template("tasks/task.html", task=task, form=form, inst=inst, context=form.context, areas=areas,
                           process_name=PROCESS_NAMES.get(task.process_id, task.process_id),
                           issued_notices=_issued_notices(task)), status


def _complete(task: HumanTask, data: dict):
    if task.process_id == "complaint_intake" and task.task_name == "accept":
        # 首接负责: whoever accepts a complaint submitted by another system becomes its first receiver.
        from workflows.complaints import service as complaints
        return complaints.accept(services(), task.id, data, current_user.id)
    return workflow().complete(task.id, data, current_user.id)


@bp.route("/tasks/<task_id>", methods=["GET", "POST"])
@login_required
def show(task_id):
    """The form of one task; a valid POST completes it in the engine."""
    task = _checked_task(task_id, for_submit=request.method == "POST")
    form_class = forms.form_for(task.process_id, task.task_name)
    form = form_class(context=lambda: _context(task), now=local_now(now()), lookups=LOOKUPS)
    if request.method == "GET":
        form.prefill()
        form.fill_today()
        return _render(task, form)
    action = request.form.get("_action", "")
    if action and _apply_row_action(form, action):
        return _render(task, form)
    if not form.validate_on_submit():
        flash("提交的内容有误，请按红色提示修改后再提交。已填写的内容均已保留。", "error")
        return _render(task, form, 422)
    data = form.to_data()
    if hasattr(form, "uploads"):
        # Files are content-addressed: storing before completing leaves at worst an unreferenced
        # copy if the completion then fails, never a case that points at a missing file.
        data["evidence_files"] = [uploads.store(f) for f in form.uploads()]
    end_reads()  # the checks are done; the service reads what it needs under its own lock
    try:
        _complete(task, data)
    except ValidationFailed as exc:
        for name, messages in exc.errors.items():
            target = form[name] if name in form else None
            if target is not None:
                target.errors = list(target.errors) + messages
        flash(exc.message, "error")
        return _render(task, form, 422)
    except (TaskAlreadyCompleted, PermissionDenied):
        raise  # their own pages: who finished it, or why this user may not
    except WorkflowError as exc:
        # E.g. someone saved the case a moment earlier, or a script step refused the data: say so and
        # keep everything typed, so a second try costs nothing.
        flash(exc.message, "error")
        return _render(task, form, exc.status)
    # "已完成" is said by the case page, told in its address (cases/completion.py), not flashed.
    return redirect(case_page_after(task))
