"""An inspector's manual entry (with photos or files and a note) and a supervisor's override (with a reason) of one
row of a draft run, and the evidence files sent back through the same access rule."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from forms.files import chosen_files
from workflows.assessment import service
from workflows.assessment.models import AssessmentEvidence
from workflows.assessment.rules import Method
from workflows.exceptions import ValidationFailed, WorkflowError

from ..db import read_session
from ..uploads import send_recorded, store
from . import sheet
from .common import act, bp, rule_or_404, visible_run
from .forms import ManualForm, OverrideForm

KEPT = "提交的内容有误，请按红色提示修改后再提交。已填写的内容均已保留。"


def _page(template: str, run, rule_id: str, form, status: int = 200):
    data = sheet.build(read_session(), run)
    return render_template(template, s=data, row=sheet.rule_rows(data)[rule_id], form=form), status


def _field_errors(form, exc: ValidationFailed) -> None:
    """The service's field errors on the form's fields; the rest as a message at the top."""
    for name, messages in exc.errors.items():
        if name in form:
            form[name].errors = list(form[name].errors) + list(messages)
        else:
            flash("；".join(messages), "error")


def _refused_draft(run) -> bool:
    if run.status != sheet.AssessmentStatus.DRAFT:
        flash("该版考评结果已发布定稿，不能再录入或核定；如需更正，请重新考评生成新版本。", "error")
        return True
    return False


@bp.route("/<int:run_id>/rows/<rule_id>/manual", methods=["GET", "POST"])
@login_required
def manual(run_id: int, rule_id: str):
    """Enter a manual row's deduction with its evidence (rows the Annex scores by inspection, or both ways)."""
    run = visible_run(run_id)
    rule = rule_or_404(rule_id)
    if rule.method not in (Method.MANUAL, Method.BOTH):
        abort(404, "该项指标由系统按记录计算，无需录入；如计算有误，请由督办领导核定。")
    if _refused_draft(run):
        return redirect(url_for("assessment.show", run_id=run_id))
    form = ManualForm()
    if form.is_submitted():
        if form.validate():
            chosen = chosen_files(form.file.data)
            evidence = store(chosen[0]) if chosen else None
            try:
                act(service.enter_manual, run_id, rule_id, deduction=form.deduction.data,
                    note=form.note.data.strip(), evidence=evidence, actor_id=current_user.id)
            except ValidationFailed as exc:
                _field_errors(form, exc)
            except WorkflowError as exc:
                flash(exc.message, "error")
                return _page("assessment/manual.html", run, rule_id, form, exc.status)
            else:
                flash(f"已录入 {rule_id} 的扣分。", "success")
                return redirect(url_for("assessment.show", run_id=run_id, _anchor=f"row-{rule_id}"))
        flash(KEPT, "error")
        if chosen_files(form.file.data):
            # Browsers never refill a file input; say so rather than let the file silently go missing.
            flash("浏览器不会保留已选择的文件，请重新选择佐证材料后再提交。", "info")
        return _page("assessment/manual.html", run, rule_id, form, 422)
    return _page("assessment/manual.html", run, rule_id, form)


@bp.route("/<int:run_id>/rows/<rule_id>/override", methods=["GET", "POST"])
@login_required
def override(run_id: int, rule_id: str):
    """A supervisor replaces a row's deduction, giving the reason."""
    run = visible_run(run_id)
    if rule_or_404(rule_id).method == Method.MANUAL:
        abort(404, "该项指标为人工录入项，请直接录入扣分。")
    if _refused_draft(run):
        return redirect(url_for("assessment.show", run_id=run_id))
    form = OverrideForm()
    if form.is_submitted():
        if form.validate():
            try:
                act(service.override, run_id, rule_id, deduction=form.deduction.data,
                    reason=form.reason.data.strip(), actor_id=current_user.id)
            except ValidationFailed as exc:
                _field_errors(form, exc)
            except WorkflowError as exc:
                flash(exc.message, "error")
                return _page("assessment/override.html", run, rule_id, form, exc.status)
            else:
                flash(f"已核定 {rule_id} 的扣分。", "success")
                return redirect(url_for("assessment.show", run_id=run_id, _anchor=f"row-{rule_id}"))
        flash(KEPT, "error")
        return _page("assessment/override.html", run, rule_id, form, 422)
    return _page("assessment/override.html", run, rule_id, form)


@bp.route("/<int:run_id>/evidence/<int:evidence_id>")
@login_required
def evidence_file(run_id: int, evidence_id: int):
    """An evidence file of a run the user may see."""
    visible_run(run_id)
    item = read_session().get(AssessmentEvidence, evidence_id)
    if item is None or item.run_id != run_id or item.file_meta is None:
        abort(404, "找不到该佐证材料。")
    return send_recorded(item.file_meta, "该佐证材料")
