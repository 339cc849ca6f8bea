"""Notice pages: fill in and preview, issue, show, PDF and reprint, void and correct, case list, batch print."""
from __future__ import annotations

import re

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from workflows.cases.models import CasePerson
from workflows.engine.models import HumanTask, ProcessInstance
from workflows.ledgers.registries import house_at
from workflows.notices.legal import choice_options, form_fields, legal_data, type_spec, types_for_task
from workflows.notices.models import Notice
from workflows.notices.service import NoticeService
from workflows.notices.validation import NoticeRejected
from workflows.org.areas import full_address
from workflows.org.models import Area
from workflows.penalties import documents as procedure_documents
from workflows.vocabulary import JobStatus, NoticeStatus, TaskState

from ..access import sees
from ..params import id_or_404, ids
from . import render

bp = Blueprint("notices", __name__, url_prefix="/notices")

# Up to this many notices print at once in the request; more are queued for the worker (webapp/jobs.py)
# and the page shows their progress.
BATCH_SYNC_LIMIT = 20


def _service() -> NoticeService:
    return NoticeService.for_services(current_app.extensions["dachuan"])


def _read():
    return current_app.extensions["dachuan"].db.read()


def _pdf_response(pdf: bytes, filename: str) -> Response:
    response = Response(pdf, mimetype="application/pdf")
    # Shown in the browser's viewer (to print), saved under the document number.
    response.headers["Content-Disposition"] = f"inline; filename*=UTF-8''{_quote(filename)}"
    response.headers["Cache-Control"] = "no-store"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote
    return quote(name, safe="")


def _note(service: NoticeService, notice) -> str:
    return render.note_for(service, notice)


# The notices print "经查，" before the facts themselves; an officer who starts the facts with it too would
# print it twice.
FACTS_OPENING = re.compile(r"^\s*经查[明实]?\s*[，,：:]?\s*")


def _form_values(notice_type: str) -> dict:
    """The submitted fields of a type (lists as one line per item)."""
    values = {}
    for field in form_fields(notice_type):
        raw = request.form.get(field["key"], "")
        values[field["key"]] = raw.splitlines() if field.get("kind") == "list" else raw
    if isinstance(values.get("facts"), str):
        values["facts"] = FACTS_OPENING.sub("", values["facts"])
    return values


def _defaults(inst: ProcessInstance | None, task: HumanTask | None = None, persons=()) -> dict:
    """Prefill what the system already knows: the full standard address, the landlord recorded at the
    comparison (or in the rental-house ledger), the people found there, and the officer's own contact details."""
    user = current_user.user
    name = user.display_name.split()[-1] if user.display_name else ""
    values = {"contact_person": name, "contact_phone": user.phone}
    if inst is None or inst.area is None:
        return values
    services = current_app.extensions["dachuan"]
    landlord = services.workflow.instance_view(inst.id).data.get("landlord_name") or ""
    with _read() as s:
        address = full_address(s, s.get(Area, inst.area_id), services.settings.city_name)
        if not landlord:
            house = house_at(s, inst.area_id)
            landlord = house.owner_name if house is not None else ""
    values.update(house_address=address, party_address=address)
    if landlord:
        values["landlord_name"] = landlord
        if task is not None and task.task_name == "penalty_landlord":
            values["party_name"] = landlord
    names = [p.name for p in persons if p.name]
    if names:
        values["tenant_name"] = "、".join(names)
    with _read() as s:
        # A penalty procedure's documents start from the party and findings the procedure recorded.
        values.update({k: v for k, v in procedure_documents.prefill(s, inst).items() if v})
    return values


def _case_context(instance_id, task_id):
    """(instance, task) from the query or form, each checked against the user's area."""
    inst = task = None
    with _read() as s:
        if instance_id is not None:
            inst = s.get(ProcessInstance, id_or_404(instance_id, "该案件"))
            if inst is None:
                abort(404, "找不到该案件。")
            if not sees(current_user, inst.area_path):
                abort(403, "该案件不在您的辖区内，您无权签发或查看其通知书。")
            inst.area  # loaded now: the session closes before the page uses it
        if task_id:
            task = s.get(HumanTask, task_id)
            if task is None or inst is None or task.instance_id != inst.id:
                abort(404, "该环节不属于本案件。")
        persons = list(s.scalars(sa.select(CasePerson).where(CasePerson.instance_id == inst.id)
                                 .order_by(CasePerson.id))) if inst is not None else []
    return inst, task, persons


def _offered(task) -> list[tuple[str, str]]:
    if task is not None:
        return types_for_task(task.process_id, task.task_name)
    # Withdrawn types are no longer issued; a 查封's documents are issued by its own steps only.
    return [(key, spec["title"]) for key, spec in legal_data()["types"].items()
            if not spec.get("withdrawn") and not spec.get("via")]


def _form_page(notice_type, inst, task, persons, values, errors=None, preview=None, status=200,
               correcting=None):
    fields = form_fields(notice_type)
    options = {f["key"]: choice_options(f) for f in fields if f.get("kind") == "choice"}
    values = dict(values)
    for f in fields:
        if f.get("kind") == "list":
            # One item per line; a new form starts from the type's default list (e.g. the transfer attachments).
            items = values.get(f["key"]) or f.get("default") or []
            values[f["key"]] = "\n".join(items) if isinstance(items, (list, tuple)) else items
    if inst is not None and inst.process_id == procedure_documents.PROCESS and "role" in options:
        # The party's role, fixed by their classification in the case: the only one offered.
        options["role"] = {k: v for k, v in options["role"].items() if k == values.get("role")}
    elif notice_type == "penalty_decision" and task is not None:
        # Only the roles this sorted-handling branch deals with (e.g. 房东 → 提供场所).
        per_task = legal_data()["tasks"].get(task.process_id, {}).get(task.task_name, {})
        allowed = per_task.get("penalty_roles")
        if allowed:
            options["role"] = {k: v for k, v in options["role"].items() if k in allowed}
    return render_template("notices/pages/form.html", notice_type=notice_type, spec=type_spec(notice_type),
                           fields=fields, options=options, values=values, errors=errors or {}, inst=inst,
                           task=task, persons=persons, preview=preview, correcting=correcting,
                           screen_css=render.screen_css()), status


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Choose a notice type for a case (or task), fill it in, preview it as HTML, then issue it."""
    instance_id = request.values.get("instance_id") or None
    task_id = request.values.get("task_id") or None
    inst, task, persons = _case_context(instance_id, task_id)
    notice_type = request.values.get("type")
    offered = _offered(task)
    if not notice_type:
        return render_template("notices/pages/choose.html", offered=offered, inst=inst, task=task)
    if notice_type not in dict(offered):
        abort(404, "该环节不签发这种通知书。")
    if request.method == "GET":
        return _form_page(notice_type, inst, task, persons, _defaults(inst, task, persons))
    values = _form_values(notice_type)
    person_ids = ids(request.form.getlist("person_id"))
    service = _service()
    try:
        if request.form.get("action") == "issue":
            if notice_type == "registration_letter" and inst is not None and person_ids:
                issued = service.issue_letters(inst.id, person_ids, values, current_user.id, task_id)
                flash(f"已签发 {len(issued)} 封致户籍地基层组织的信：" + "、".join(n.number for n in issued), "success")
                if task is not None and task.state == TaskState.READY:
                    return redirect(url_for("tasks.show", task_id=task.id))  # back to the step being done
                return redirect(url_for("notices.for_case", instance_id=inst.id))
            notice = service.issue(notice_type, values, current_user.id, inst.id if inst else None, task_id)
            flash(f"已签发 {notice.number}。", "success")
            return redirect(url_for("notices.show", notice_id=notice.id))
        if notice_type == "registration_letter" and person_ids:
            first = next((p for p in persons if p.id == person_ids[0]), None)
            if first is None:
                flash("所选人员不属于本案件，请重新选择。", "error")
                return _form_page(notice_type, inst, task, persons, values, status=422)
            values.update(person_name=first.name, id_number=first.id_number)
        content = service.preview(notice_type, values, current_user.id, inst.id if inst else None, task_id)
        preview = render.render_html(content, status="preview", standalone=False)
        return _form_page(notice_type, inst, task, persons, values, preview=preview)
    except NoticeRejected as exc:
        flash(exc.message, "error")
        return _form_page(notice_type, inst, task, persons, values, errors=exc.errors, status=422)


def _visible(notice_id: int):
    service = _service()
    notice = service.get(notice_id, current_user.id)  # refuses notices outside the user's area
    return service, notice


@bp.route("/<int:notice_id>")
@login_required
def show(notice_id: int):
    """The issued notice as it prints, with its history and actions."""
    service, notice = _visible(notice_id)
    content = service.verified(notice)
    sheet = render.render_html(content, notice.status, standalone=False, note=_note(service, notice))
    with _read() as s:
        related = {n.id: n for n in s.scalars(sa.select(Notice).where(
            Notice.id.in_([i for i in (notice.replaces_id, notice.replaced_by_id) if i])))}
        task = s.get(HumanTask, notice.task_id) if notice.task_id else None
        open_task = task if task is not None and task.state == TaskState.READY else None
    return render_template("notices/pages/show.html", notice=notice, sheet=sheet, related=related,
                           open_task=open_task, screen_css=render.screen_css())


@bp.route("/<int:notice_id>.pdf")
@login_required
def pdf(notice_id: int):
    """The PDF to print or hand over; every download is recorded."""
    service, notice = _visible(notice_id)
    data = render.render_pdf(service.verified(notice), notice.status, _note(service, notice))
    service.record_prints([notice.id], current_user.id)
    return _pdf_response(data, f"{notice.number}{notice.title}.pdf")


@bp.route("/<int:notice_id>/reprint.pdf")
@login_required
def reprint(notice_id: int):
    """补打: the same document again from its stored content, recorded as a reprint."""
    service, notice = _visible(notice_id)
    data = render.render_pdf(service.verified(notice), notice.status, _note(service, notice))
    service.record_prints([notice.id], current_user.id, reprint=True)
    return _pdf_response(data, f"{notice.number}{notice.title}（补打）.pdf")


@bp.route("/<int:notice_id>/void", methods=["POST"])
@login_required
def void(notice_id: int):
    """Void a notice issued in error; it stays on record, marked 作废."""
    service, notice = _visible(notice_id)
    service.void(notice.id, current_user.id, request.form.get("reason", ""))
    flash(f"{notice.number} 已作废。", "success")
    return redirect(url_for("notices.show", notice_id=notice.id))


@bp.route("/<int:notice_id>/correct", methods=["GET", "POST"])
@login_required
def correct(notice_id: int):
    """Correct a notice: a new notice with a new number is issued and the old one is voided."""
    service, notice = _visible(notice_id)
    if notice.status != NoticeStatus.ISSUED:
        abort(409, "该通知书已作废，不能更正。")
    inst, task, persons = _case_context(notice.instance_id, notice.task_id)
    old_fields = service.verified(notice)["fields"]
    if request.method == "GET":
        return _form_page(notice.notice_type, inst, task, persons, dict(old_fields), correcting=notice)
    values = _form_values(notice.notice_type)
    try:
        if request.form.get("action") == "preview":
            content = service.preview(notice.notice_type, values, current_user.id, notice.instance_id,
                                      notice.task_id)
            preview = render.render_html(content, status="preview", standalone=False)
            return _form_page(notice.notice_type, inst, task, persons, values, preview=preview,
                              correcting=notice)
        new_notice = service.correct(notice.id, values, current_user.id, request.form.get("reason", ""))
    except NoticeRejected as exc:
        flash(exc.message, "error")
        return _form_page(notice.notice_type, inst, task, persons, values, errors=exc.errors, status=422,
                          correcting=notice)
    flash(f"已签发更正文书 {new_notice.number}，原文书 {notice.number} 已作废。", "success")
    return redirect(url_for("notices.show", notice_id=new_notice.id))


@bp.route("/case/<int:instance_id>")
@login_required
def for_case(instance_id: int):
    """A case's notices, voided ones included, with batch printing."""
    inst, _task, _persons = _case_context(instance_id, None)
    notices = _service().list_for_case(inst.id)
    return render_template("notices/pages/case.html", inst=inst, notices=notices,
                           screen_css=render.screen_css())


@bp.route("/batch", methods=["POST"])
@login_required
def batch():
    """Print many notices as one PDF: at once when few, queued for the worker with a progress page when many."""
    notice_ids = ids(request.form.getlist("notice_id"))
    if not notice_ids:
        flash("请先勾选要打印的通知书。", "error")
        return redirect(request.referrer or url_for("notices.new"))
    service = _service()
    limit = current_app.config.get("NOTICES_BATCH_SYNC_LIMIT", BATCH_SYNC_LIMIT)
    if len(notice_ids) <= limit:
        items = [(content, n.status, _note(service, n))
                 for n, content in service.contents(notice_ids, current_user.id)]
        data = render.render_batch(items)
        service.record_prints(notice_ids, current_user.id)
        return _pdf_response(data, f"通知书批量打印（{len(notice_ids)}份）.pdf")
    batch_id = service.start_batch(notice_ids, current_user.id)
    return redirect(url_for("notices.batch_status", batch_id=batch_id))


@bp.route("/batch/<int:batch_id>")
@login_required
def batch_status(batch_id: int):
    """Progress of a batch print; the page refreshes itself until the PDF is ready."""
    job = _service().get_batch(batch_id, current_user.id)
    return render_template("notices/pages/batch.html", job=job, screen_css=render.screen_css())


@bp.route("/batch/<int:batch_id>.pdf")
@login_required
def batch_pdf(batch_id: int):
    job = _service().get_batch(batch_id, current_user.id)
    if job.status != JobStatus.DONE or job.pdf is None:
        abort(409, "批量打印尚未完成。")
    return _pdf_response(job.pdf, f"通知书批量打印（{job.total}份）.pdf")
