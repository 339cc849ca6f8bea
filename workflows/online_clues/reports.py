"""Repeated complaints and clues: once an entity or platform has been reported for online MLM as often as the
complaints domain's threshold (settings.online_mlm_report_threshold, the same one that opens its automatic
investigation), its complaints are linked to the clue of that name, and a clue is opened when none exists."""
from __future__ import annotations

import sqlalchemy as sa

from workflows import audit
from workflows.complaints.models import Complaint, ComplaintSubject
from workflows.engine.context import ActionContext
from workflows.online_clues.models import OnlineClue, OnlineClueLink, OnlineClueName
from workflows.online_clues.service import local_today, open_clue
from workflows.org.models import Area
from workflows.vocabulary import ClueLinkStatus, ClueStatus

FINISHED = (ClueStatus.CLOSED, ClueStatus.DISMISSED)


def open_clue_for_key(session, key: str) -> OnlineClue | None:
    """The latest unfinished clue answering to a normalised name (its scheme, an alias or its platform)."""
    return session.scalar(sa.select(OnlineClue).join(OnlineClueName, OnlineClueName.clue_id == OnlineClue.id)
                          .where(OnlineClueName.key == key, OnlineClue.status.not_in(FINISHED))
                          .order_by(OnlineClue.id.desc()).limit(1))


def clue_of_complaint(session, complaint_id: int) -> OnlineClue | None:
    """The clue a complaint was linked to, if any."""
    return session.scalar(sa.select(OnlineClue).join(OnlineClueLink, OnlineClueLink.clue_id == OnlineClue.id)
                          .where(OnlineClueLink.kind == "complaint", OnlineClueLink.target_id == complaint_id)
                          .order_by(OnlineClueLink.id.desc()).limit(1))


def _link(ctx: ActionContext, clue: OnlineClue, complaint: Complaint) -> None:
    ctx.session.add(OnlineClueLink(clue_id=clue.id, kind="complaint", status=ClueLinkStatus.LINKED,
                                   target_id=complaint.id, payload={"reference": complaint.reference},
                                   note="", created_at=ctx.now, linked_at=ctx.now))
    audit.record(ctx.session, ctx.now, "clue_complaint_linked", ctx.actor_id, clue.instance_id,
                 complaint_id=complaint.id, complaint_reference=complaint.reference)


def on_subject_reported(ctx: ActionContext, subject: ComplaintSubject, area: Area) -> OnlineClue | None:
    """Called by the complaints domain after it counted a report of `subject`; at or above the threshold,
    every complaint about the subject not yet linked is linked to its open clue. Without one (none yet, or the
    earlier ones finished: reports that keep coming need handling again, 查必有果) a clue is opened in `area`."""
    if subject.report_count < ctx.settings.online_mlm_report_threshold:
        return None
    s = ctx.session
    s.flush()
    clue = open_clue_for_key(s, subject.key)
    if clue is None:
        clean = {"source": "complaint", "received_on": local_today(ctx.now), "scheme_name": subject.name,
                 "aliases": "", "urls": "", "app_ids": "", "summary":
                 f"“{subject.name}”被举报涉嫌网络传销 {subject.report_count} 次，达到多次举报标准，自动登记线索。",
                 "platform_name": subject.name if subject.kind == "platform" else "", "platform_credit_code": ""}
        clue = open_clue(ctx, clean, area, [], note="多次举报自动登记")
    complaints = list(s.scalars(sa.select(Complaint).where(Complaint.subject_id == subject.id).order_by(Complaint.id)))
    # A complaint joins one clue: those an earlier clue already took stay with it.
    linked = set(s.scalars(sa.select(OnlineClueLink.target_id).where(
        OnlineClueLink.kind == "complaint", OnlineClueLink.target_id.in_([c.id for c in complaints]))))
    for complaint in complaints:
        if complaint.id not in linked:
            _link(ctx, clue, complaint)
    return clue
