"""The public starter: every place that leads to a penalty (a six-step case's penalty steps, online clues, 创无)
starts one procedure per party through here, inside its own action, linked both ways to where it came from."""
from __future__ import annotations

from datetime import date

from workflows import audit
from workflows.clock import office_date
from workflows.engine.context import ActionContext
from workflows.engine.models import ProcessInstance
from workflows.exceptions import ValidationFailed
from workflows.notices.legal import legal_data
from workflows.penalties.hooks import PROCESS
from workflows.penalties.models import PenaltyCase
from workflows.penalties.parties import check_party
from workflows.penalties.steps import terms_for


def start_for_party(ctx: ActionContext, *, source_instance_id: int | None, party: dict, role: str,
                    facts: str) -> int:
    """Start the penalty procedure against one party inside the running action `ctx`; returns its instance id.

    `party`: name, id_number, kind (person | organisation), address, and optionally discovered_on (ISO date;
    default today) and area_id (when there is no source case). The role is checked against the party's
    classification in the source case."""
    s = ctx.session
    source = s.get(ProcessInstance, source_instance_id) if source_instance_id is not None else None
    if source_instance_id is not None and source is None:
        raise ValidationFailed({"source_instance_id": [f"来源案件 {source_instance_id} 不存在"]})
    clean = check_party(s, source_instance_id, party, role, source.process_id if source is not None else "")
    today = office_date(ctx.now)
    try:
        discovered = date.fromisoformat(party.get("discovered_on") or today.isoformat())
    except ValueError:
        raise ValidationFailed({"discovered_on": ["发现日期应为年-月-日"]}) from None
    if discovered > today:
        raise ValidationFailed({"discovered_on": ["发现日期不能晚于今天"]})
    filing_due = terms_for(ctx).filing_due(discovered)
    area_id = source.area_id if source is not None else party.get("area_id")
    label = legal_data()["fine_ranges"][role]["label"]
    data = {"role": role, "role_label": label, "party_name": clean["name"], "party_id_number": clean["id_number"],
            "party_kind": clean["kind"], "party_address": clean["address"], "facts": (facts or "").strip(),
            "discovered_on": discovered.isoformat(), "filing_due": filing_due.isoformat(),
            "source_instance_id": source_instance_id, "source_reference": source.reference if source else ""}
    started = ctx.engine.start_within(ctx, PROCESS, data, area_id, f"{clean['name']}（{label}）行政处罚",
                                      source_instance_id, actor_id=ctx.actor_id).instance
    row = PenaltyCase(instance_id=started.id, source_instance_id=source_instance_id,
                      source_task=party.get("source_task", ""), area_path=started.area_path,
                      party_name=clean["name"], party_id_number=clean["id_number"], party_kind=clean["kind"],
                      party_address=clean["address"], role=role, facts=data["facts"], discovered_on=discovered,
                      filing_due=filing_due, created_at=ctx.now, record=dict(data))
    s.add(row)
    s.flush()
    if source is not None:
        audit.record(s, ctx.now, "penalty_started", ctx.actor_id, source.id, penalty_instance_id=started.id,
                     penalty_reference=started.reference, party=clean["name"], role=role)
    return started.id
