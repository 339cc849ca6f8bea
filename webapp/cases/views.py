"""Case search, registering a case, the case page, its diagram and its evidence files."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from workflows.engine.models import ProcessVersion
from workflows.org.areas import area_by_address
from workflows.penalties.service import PenaltyService

from .. import uploads
from ..access import areas_below, sees, visible_instance
from ..db import read_session, services, workflow
from ..labels import PROCESS_NAMES, step_titles
from ..params import page_number
from ..search import normalise
from . import progress
from .completion import DONE_PARAM, completed_message
from .forms import SOURCES, NewCaseForm
from .queries import load_case, search_cases

bp = Blueprint("cases", __name__, url_prefix="/cases")


@bp.route("")
@login_required
def search():
    """Cases in my area: search by case number, address, person's name or ID number."""
    q = normalise(request.args.get("q"))
    status = request.args.get("status", "")
    process = request.args.get("process", "")
    page = request.args.get("page", "1")
    rows, total, capped, page, pages = search_cases(read_session(), current_user, q, status, process,
                                            page_number(page), current_app.config["PAGE_SIZE"])
    args = {k: v for k, v in {"q": q, "status": status, "process": process}.items() if v}
    return render_template("cases/search.html", rows=rows, total=total, capped=capped, page=page, pages=pages, args=args,
                           q=q, status=status, process=process, processes=PROCESS_NAMES)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Register a suspected MLM den (six-step case) or a five-contracts matter at an address in my area."""
    form = NewCaseForm()
    status = 200
    if form.validate_on_submit():
        area = area_by_address(read_session(), form.address.data)
        if area is None:
            form.address.errors = ["找不到这个标准地址，请从提示中选择。"]
        elif not sees(current_user, area.path):
            form.address.errors = ["该地址不在您的辖区内。"]
        else:
            source = dict(SOURCES).get(form.source.data, "")
            note = (form.note.data or "").strip()
            if form.kind.data == "five_contracts":
                data = {"subject": note, "source": source}
            else:
                data = {"source": source, "report_note": note}
            result = workflow().start(form.kind.data, data, current_user.id, area.id, form.title.data.strip())
            flash(f"已登记 {result.reference}。", "success")
            return redirect(url_for("cases.show", instance_id=result.instance_id))
        status = 422
    elif request.method == "POST":
        status = 422
    areas = areas_below(current_user, ("community", "compound", "building", "unit", "room"))
    return render_template("cases/new.html", form=form, areas=areas), status


@bp.route("/<int:instance_id>")
@login_required
def show(instance_id):
    """Summary, address, persons, evidence, notices, the diagram with progress, and the timeline."""
    inst = visible_instance(instance_id)
    case = load_case(read_session(), inst)
    current = sorted({t.task_name for t in case.open_tasks})
    done = [s for s in progress.completed_steps(inst) if s not in current]
    completed = completed_message(inst, request.args.get(DONE_PARAM), current_user.id)
    return render_template("cases/show.html", case=case, inst=inst, done=done, current=current,
                           page_messages=[("success", completed)] if completed else [],
                           files=uploads.files_in_events((e.kind, e.details, e.at) for e in case.timeline),
                           titles=step_titles(inst.version_id), notices=_notices(inst.id),
                           penalties=PenaltyService(services()).for_case(inst.id),
                           process_name=PROCESS_NAMES.get(inst.process_id, inst.process_id))


def _notices(instance_id: int) -> list | None:
    """The case's notices (voided ones too); None when the notices package is not installed."""
    if "notices" not in current_app.blueprints:
        return None
    from workflows.notices.service import NoticeService
    return NoticeService.for_services(services()).list_for_case(instance_id)


@bp.route("/<int:instance_id>/diagram.bpmn")
@login_required
def diagram(instance_id):
    """The BPMN XML of the version this case runs on, for the viewer."""
    inst = visible_instance(instance_id)
    xml = read_session().scalar(sa.select(ProcessVersion.bpmn_xml).where(ProcessVersion.id == inst.version_id))
    return current_app.response_class(xml, mimetype="application/xml")


@bp.route("/<int:instance_id>/files/<sha256>")
@login_required
def file(instance_id, sha256):
    """An evidence file, only to users who may see the case, and only if this case recorded it."""
    inst = visible_instance(instance_id)
    recorded = {f["sha256"]: f for f in uploads.files_of_instance(read_session(), inst.id)}
    meta = recorded.get(sha256)
    if meta is None:
        abort(404, "该案件没有这个证据文件。")
    return uploads.send_recorded(meta, "证据文件")
