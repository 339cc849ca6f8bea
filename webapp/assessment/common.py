"""What the assessment's views share: the blueprint, the checked run, the rule, the default period, who may do what."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort
from flask_login import current_user

from workflows.assessment.models import AssessmentRun
from workflows.assessment.rules import BY_ID, Rule
from workflows.clock import office_date

from ..access import visible_record
from ..db import now, services
from .rights import may_view

bp = Blueprint("assessment", __name__, url_prefix="/assessment")


def visible_run(run_id: int) -> AssessmentRun:
    """The run, or 404 when there is none and 403 when it lies outside the user's area."""
    return visible_record(AssessmentRun, run_id, "找不到该考评结果。", "该考评结果不属于您的辖区，您无权查看。")


def rule_or_404(rule_id: str) -> Rule:
    rule = BY_ID.get(rule_id)
    if rule is None:
        abort(404, "考评计分标准中没有该项指标。")
    return rule


def default_period() -> tuple[date, date]:
    """This year so far, in the office's calendar."""
    today = office_date(now())
    return date(today.year, 1, 1), today


def printed_on() -> str:
    today = office_date(now())
    return f"{today.year}年{today.month}月{today.day}日"


@bp.app_context_processor
def _menu() -> dict:
    # Every page's menu asks whether to show 考评 (base.html).
    return {"assessment_menu": may_view(current_user)}


def act(action, *args, **kwargs):
    """One user action: the service function in its own unit of work at the service's clock; the id of what it
    made or changed (read before the commit ends the session)."""
    with services().db.unit_of_work() as session:
        result = action(session, *args, now=now(), **kwargs)
        return getattr(result, "id", result)
