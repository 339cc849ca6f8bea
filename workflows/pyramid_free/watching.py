"""谁命名，谁负责: re-inspections of named communities and platforms — periodic (yearly by default), random (a share
drawn by lot each quarter) and event-triggered (a six-step case, reflux or a substantiated complaint at an address
inside a named community opens one at once; the online-clue domain calls `open_reinspection` for platforms)."""
from __future__ import annotations

import math

import sqlalchemy as sa

from workflows import audit
from workflows.engine.context import ActionContext
from workflows.engine.models import ProcessInstance
from workflows.engine.spiff import duration_after
from workflows.exceptions import ConcurrentUpdate
from workflows.pyramid_free import applications, lifecycle, lots
from workflows.pyramid_free.models import LotDraw, Naming
from workflows.pyramid_free.options import COMMUNITY, PLATFORM, options
from workflows.pyramid_free.records import quarter_of
from workflows.vocabulary import NAMED_STATUSES, InstanceStatus

WATCH_PROCESS = "pyramid_free_watch"
CASE_PROCESS = "six_step_case"
COMPLAINT_PROCESS = "complaint_intake"
COMPLAINT_RESULTS = ("result_market", "result_police")


def _running_watch(ctx: ActionContext, naming: Naming) -> int | None:
    if naming.watch_instance_id is None:
        return None
    inst = ctx.session.get(ProcessInstance, naming.watch_instance_id)
    return inst.id if inst is not None and inst.status == InstanceStatus.RUNNING else None


def _open(ctx: ActionContext, naming: Naming, reason: str, kind: str) -> int:
    running = _running_watch(ctx, naming)
    if running is not None:
        # One re-inspection at a time: a new cause joins the one under way (and is on its record).
        audit.record(ctx.session, ctx.now, "pf_reinspection_cause", ctx.actor_id, running, naming_id=naming.id,
                     reason=reason, trigger=kind)
        return running
    title = f"{lifecycle.subject_name(ctx.session, naming)} 复查（{reason}）"[:200]
    draw = applications.draw_sample_within(ctx, naming)  # each re-inspection visits households drawn anew
    started = ctx.engine.start_within(ctx, WATCH_PROCESS, {
        "subject": naming.subject, "naming_id": naming.id, "reason": reason, "trigger": kind,
        "sample_households": applications.households(ctx.session, draw)}, naming.area_id, title,
        actor_id=ctx.actor_id)
    naming.watch_instance_id = started.instance.id
    audit.record(ctx.session, ctx.now, "pf_reinspection_opened", ctx.actor_id, started.instance.id,
                 naming_id=naming.id, reason=reason, trigger=kind)
    return started.instance.id


def open_reinspection(ctx: ActionContext, *, subject: str, subject_id: int, reason: str) -> int | None:
    """Open a re-inspection of the named community (its area id) or platform (its id) inside the running action;
    returns the re-inspection's instance id (the one already under way, if any), or None when not named."""
    if subject not in (COMMUNITY, PLATFORM):
        raise ValueError(f"unknown subject {subject!r}")
    naming = lifecycle.current_named(ctx.session, subject, subject_id)
    if naming is None:
        return None
    return _open(ctx, naming, reason, "event")


def _named_communities_holding(ctx: ActionContext, area_path: str) -> list[Naming]:
    ids = [int(x) for x in (area_path or "").strip("/").split("/") if x]
    if not ids:
        return []
    return list(ctx.session.scalars(sa.select(Naming).where(Naming.subject == COMMUNITY, Naming.area_id.in_(ids),
                                                            Naming.status.in_(NAMED_STATUSES))))


def on_process_started(ctx: ActionContext, inst: ProcessInstance, data: dict) -> None:
    """A six-step case (reflux included) at an address inside a named community re-inspects that community."""
    if inst.process_id != CASE_PROCESS:
        return
    cause = "发现人员回流" if data.get("source") == "patrol" else "辖区内发现涉传线索并立六步工作法案件"
    for naming in _named_communities_holding(ctx, inst.area_path):
        _open(ctx, naming, f"{cause}（{inst.reference}）", "event")


def on_task_completed(ctx: ActionContext, task, data: dict) -> None:
    """A complaint found substantiated at an address inside a named community re-inspects that community."""
    if task.process_id != COMPLAINT_PROCESS or task.task_name not in COMPLAINT_RESULTS or not data.get("effective"):
        return
    for naming in _named_communities_holding(ctx, ctx.instance.area_path):
        _open(ctx, naming, f"涉传举报查证属实（{ctx.instance.reference}）", "event")


def _periodic(ctx: ActionContext, opts: dict) -> int:
    due = ctx.session.scalars(sa.select(Naming).where(Naming.status.in_(NAMED_STATUSES),
                                                      Naming.next_periodic_at <= ctx.now)
                              .order_by(Naming.id).with_for_update()).all()
    for naming in due:
        naming.next_periodic_at = duration_after(ctx.now, opts["periodic_interval"])
        _open(ctx, naming, "定期复查", "periodic")
    return len(due)


def _random(ctx: ActionContext, opts: dict) -> int:
    quarter = quarter_of(ctx.now)
    if ctx.session.scalar(sa.select(LotDraw.id).where(LotDraw.purpose == lots.RANDOM, LotDraw.key == quarter)):
        return 0
    named = list(ctx.session.scalars(sa.select(Naming.id).where(Naming.status.in_(NAMED_STATUSES))))
    if not named:
        return 0
    size = math.ceil(len(named) * float(opts["random_share"]))
    if size < 1:
        return 0
    draw = lots.draw(ctx.session, ctx.now, lots.RANDOM, quarter, named, size, None)
    for naming_id in draw.picked:
        _open(ctx, ctx.session.get(Naming, naming_id), f"{quarter} 随机抽查", "random")
    return len(draw.picked)


def due_reinspections(engine) -> int:
    """The worker's duty: open the periodic re-inspections that are due and the quarter's random ones."""
    opts = options(engine.settings)
    try:
        with engine.db.unit_of_work() as s:
            ctx = engine.context(s)
            return _periodic(ctx, opts) + _random(ctx, opts)
    except ConcurrentUpdate:
        return 0  # another worker made this round's draw at the same moment; the next round finds it made
