"""A clue's links into the other domains, made in the running action: the re-inspection of a named 创无
platform (谁命名，谁负责) and the administrative penalty procedure (一般程序) against the clue's party.

Each link is kept as a row (kind, target_id, note) so the clue's page leads to what the clue opened; the
arguments are kept in its payload so the record shows what was asked for.
"""
from __future__ import annotations

from workflows import audit
from workflows.engine.context import ActionContext
from workflows.online_clues.models import OnlineClue, OnlineClueLink
from workflows.penalties.starting import start_for_party
from workflows.pyramid_free import lifecycle, platforms, watching
from workflows.pyramid_free.options import PLATFORM
from workflows.vocabulary import ClueLinkStatus


def _record(ctx: ActionContext, clue: OnlineClue, kind: str, payload: dict, target_id: int,
            note: str = "") -> OnlineClueLink:
    link = OnlineClueLink(clue_id=clue.id, kind=kind, payload=payload, target_id=target_id, note=note,
                          status=ClueLinkStatus.LINKED, created_at=ctx.now, linked_at=ctx.now)
    ctx.session.add(link)
    audit.record(ctx.session, ctx.now, "clue_link_made", ctx.actor_id, clue.instance_id, link_kind=kind,
                 target_id=target_id, note=note)
    return link


# ---------------------------------------------------------------- platform re-inspection (创无, 谁命名谁负责)
def open_platform_reinspection(ctx: ActionContext, clue: OnlineClue, reason: str) -> OnlineClueLink | None:
    """A clue confirmed against a platform: the platform's namer re-inspects it (event-triggered re-inspection).

    Platforms are found by their 统一社会信用代码. A clue without one, a code not in the register, or a platform
    that is not named (or no longer named) opens nothing: there is no namer to answer for it; the last two are
    audited so the clue's timeline says why nothing was opened."""
    if not clue.platform_credit_code:
        return None
    platform = platforms.find_by_credit_code(ctx.session, clue.platform_credit_code)
    naming = lifecycle.current_named(ctx.session, PLATFORM, platform.id) if platform is not None else None
    if naming is None:
        audit.record(ctx.session, ctx.now, "clue_platform_not_named", ctx.actor_id, clue.instance_id,
                     credit_code=clue.platform_credit_code, registered=platform is not None)
        return None
    target = watching.open_reinspection(ctx, subject=PLATFORM, subject_id=platform.id, reason=reason)
    payload = {"credit_code": clue.platform_credit_code, "platform_name": clue.platform_name,
               "platform_id": platform.id, "naming_id": naming.id, "reason": reason}
    return _record(ctx, clue, "reinspection", payload, target, f"{platform.name} 复查")


# ---------------------------------------------------------------- administrative penalty (一般程序)
def start_penalty(ctx: ActionContext, clue: OnlineClue, party: dict, role: str, facts: str) -> OnlineClueLink:
    """Open the administrative penalty procedure against the clue's party, linked back to the clue."""
    target = start_for_party(ctx, source_instance_id=clue.instance_id, party=party, role=role, facts=facts)
    payload = {"source_instance_id": clue.instance_id, "party": party, "role": role, "facts": facts}
    return _record(ctx, clue, "penalty", payload, target, party.get("name", ""))
