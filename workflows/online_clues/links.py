"""A clue's links into domains that may not be installed: the 创无 platforms' re-inspection and the
administrative penalty procedure.

Each call looks for its package first. When it is there, the link is made in the running action and recorded
as linked; when it is not, the call's arguments are recorded as a pending link (nothing is lost) and
`retry_pending` makes it once the package is installed. A package that is installed but fails raises as
usual: only its absence is tolerated.
"""
from __future__ import annotations

import importlib
import importlib.util

import sqlalchemy as sa

from workflows import audit
from workflows.engine.context import ActionContext
from workflows.online_clues.models import OnlineClue, OnlineClueLink
from workflows.vocabulary import ClueLinkStatus

PLATFORMS = "workflows.pyramid_free"
PENALTIES = "workflows.penalties"


def installed(package: str) -> bool:
    """Whether a domain package is part of this installation."""
    return importlib.util.find_spec(package) is not None


def _record(ctx: ActionContext, clue: OnlineClue, kind: str, payload: dict, target_id: int | None,
            note: str = "") -> OnlineClueLink:
    linked = target_id is not None
    link = OnlineClueLink(clue_id=clue.id, kind=kind, payload=payload, target_id=target_id, note=note,
                          status=ClueLinkStatus.LINKED if linked else ClueLinkStatus.PENDING,
                          created_at=ctx.now, linked_at=ctx.now if linked else None)
    ctx.session.add(link)
    audit.record(ctx.session, ctx.now, "clue_link_made" if linked else "clue_link_pending", ctx.actor_id,
                 clue.instance_id, link_kind=kind, target_id=target_id, note=note)
    return link


def _target_id(result) -> int | None:
    """The id of what the other domain opened (it may answer with an id or with a row)."""
    if isinstance(result, int) and not isinstance(result, bool):
        return result
    return getattr(result, "id", None)


# ---------------------------------------------------------------- platform re-inspection (创无, 谁命名谁负责)
def _reinspect(ctx: ActionContext, payload: dict) -> tuple[int | None, str]:
    platforms = importlib.import_module(f"{PLATFORMS}.platforms")
    watching = importlib.import_module(f"{PLATFORMS}.watching")
    platform = platforms.find_by_credit_code(ctx.session, payload["credit_code"])
    if platform is None:
        return None, "该统一社会信用代码不在创无平台名录中，无需复查"
    result = watching.open_reinspection(ctx, subject="platform", subject_id=platform.id, reason=payload["reason"])
    return _target_id(result), ""


def open_platform_reinspection(ctx: ActionContext, clue: OnlineClue, reason: str) -> OnlineClueLink | None:
    """A clue confirmed against a platform: the platform's namer re-inspects it (event-triggered re-inspection).

    Platforms are found by their 统一社会信用代码; a clue without one names no registered platform.
    """
    if not clue.platform_credit_code:
        return None
    payload = {"credit_code": clue.platform_credit_code, "platform_name": clue.platform_name, "reason": reason}
    if not installed(PLATFORMS):
        return _record(ctx, clue, "reinspection", payload, None, "创无平台功能尚未启用，待启用后发起复查")
    target, note = _reinspect(ctx, payload)
    if target is None and note:
        audit.record(ctx.session, ctx.now, "clue_platform_not_named", ctx.actor_id, clue.instance_id,
                     credit_code=clue.platform_credit_code)
        return None
    return _record(ctx, clue, "reinspection", payload, target, note)


# ---------------------------------------------------------------- administrative penalty (一般程序)
def _penalise(ctx: ActionContext, payload: dict) -> tuple[int | None, str]:
    starting = importlib.import_module(f"{PENALTIES}.starting")
    result = starting.start_for_party(ctx, source_instance_id=payload["source_instance_id"],
                                      party=payload["party"], role=payload["role"], facts=payload["facts"])
    return _target_id(result), ""


def start_penalty(ctx: ActionContext, clue: OnlineClue, party: dict, role: str, facts: str) -> OnlineClueLink:
    """Open the administrative penalty procedure against the clue's party (or keep it pending)."""
    payload = {"source_instance_id": clue.instance_id, "party": party, "role": role, "facts": facts}
    if not installed(PENALTIES):
        return _record(ctx, clue, "penalty", payload, None, "行政处罚程序功能尚未启用，待启用后立案")
    return _record(ctx, clue, "penalty", payload, _penalise(ctx, payload)[0])


# ---------------------------------------------------------------- after the other domains are installed
RETRY = {"reinspection": (PLATFORMS, _reinspect), "penalty": (PENALTIES, _penalise)}


def retry_pending(ctx: ActionContext) -> int:
    """Make every pending link whose package is now installed; returns how many were made."""
    made = 0
    pending = ctx.session.scalars(sa.select(OnlineClueLink).where(OnlineClueLink.status == ClueLinkStatus.PENDING)
                                  .order_by(OnlineClueLink.id))
    for link in list(pending):
        package, make = RETRY.get(link.kind, (None, None))
        if package is None or not installed(package):
            continue
        link.target_id, link.note = make(ctx, link.payload)
        link.status, link.linked_at = ClueLinkStatus.LINKED, ctx.now
        clue = ctx.session.get(OnlineClue, link.clue_id)
        audit.record(ctx.session, ctx.now, "clue_link_made", ctx.actor_id, clue.instance_id, link_kind=link.kind,
                     target_id=link.target_id, note=link.note, retried=True)
        made += 1
    return made


def retry_pending_duty(engine) -> int:
    """The worker's round: once a linked domain is installed, its pending links are made (nothing to do before)."""
    if not any(installed(package) for package, _make in RETRY.values()):
        return 0
    with engine.db.unit_of_work() as s:
        return retry_pending(engine.context(s))
