"""Who a procedure is against and under which role: the role comes from the party's classification in the case
it came from, so a participant can never be fined as an organiser, whatever page starts the procedure."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session
from stdnum.cn import uscc

from workflows.cases.models import CasePerson
from workflows.exceptions import ValidationFailed
from workflows.idnumbers import clean_digits, id_number_problem
from workflows.notices.legal import legal_data

# classification in a six-step case -> the fine ranges (legal_texts.json "fine_ranges") it may be penalised under
ROLES_BY_CLASSIFICATION = {
    "participant": ("participant",),
    "core": ("introducer", "organiser"),
    "crime": ("introducer", "organiser"),
}
# Roles for parties who are not persons caught in the case (the landlord of a repeat house, an intermediary).
ROLES_WITHOUT_CLASSIFICATION = ("premises",)
# Sources whose persons are classified (the comparison step of the six-step case); other sources (online clues,
# 创无) name the role themselves.
CLASSIFYING_PROCESSES = ("six_step_case",)
PARTY_KINDS = {"person": "自然人", "organisation": "单位"}


def classification_in_case(session: Session, source_instance_id: int, id_number: str) -> str | None:
    """The person's classification in the case, or None when the case did not list them."""
    if not id_number:
        return None
    return session.scalar(sa.select(CasePerson.classification).where(
        CasePerson.instance_id == source_instance_id, CasePerson.id_number == id_number).limit(1))


def check_party(session: Session, source_instance_id: int | None, party: dict, role: str,
                source_process_id: str = "") -> dict:
    """The party's record, cleaned, or ValidationFailed naming the field; the role must fit the classification."""
    errors: dict[str, list[str]] = {}
    ranges = legal_data()["fine_ranges"]
    name = (party.get("name") or "").strip()
    kind = party.get("kind") or "person"
    id_number = clean_digits(party.get("id_number")).upper()
    if not name:
        errors["name"] = ["请填写当事人姓名或名称"]
    if kind not in PARTY_KINDS:
        errors["kind"] = ["当事人类型应为自然人或单位"]
    elif id_number and kind == "person":
        problem = id_number_problem(id_number)
        if problem:
            errors["id_number"] = [problem]
    elif id_number and not uscc.is_valid(id_number):
        errors["id_number"] = ["统一社会信用代码无效（格式或校验位不符）"]
    if role not in ranges:
        errors["role"] = [f"未知的违法行为类别“{role}”"]
    elif source_process_id in CLASSIFYING_PROCESSES and role not in ROLES_WITHOUT_CLASSIFICATION:
        classification = classification_in_case(session, source_instance_id, id_number)
        if classification is None:
            errors["role"] = ["该当事人不在来源案件的人员名单中，无法按其分类确定处罚类别"]
        elif role not in ROLES_BY_CLASSIFICATION.get(classification, ()):
            allowed = "、".join(ranges[r]["label"] for r in ROLES_BY_CLASSIFICATION.get(classification, ()))
            errors["role"] = [f"当事人在案件中的分类不允许按“{ranges[role]['label']}”处罚"
                              + (f"，只能按“{allowed}”处罚" if allowed else "")]
    if errors:
        raise ValidationFailed(errors)
    return {"name": name, "id_number": id_number, "kind": kind, "address": (party.get("address") or "").strip()}
