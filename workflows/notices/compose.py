"""A notice's frozen content: addressee, text blocks and legal basis composed from its checked fields."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from stdnum.cn import ric

from workflows.idnumbers import registration_place
from workflows.exceptions import WorkflowError
from workflows.notices.formatting import plain_date, rmb_upper, yuan_figure
from workflows.notices.legal import basis_refs, form_fields, legal_data, type_spec
from workflows.org.models import Department


# ---------------------------------------------------------------------- composition
def _addressee(notice_type: str, spec: dict, clean: dict) -> tuple[str, dict]:
    """Who the notice is addressed to, plus what was derived on the way (registration place, suppliers)."""
    extra: dict = {}
    if notice_type == "registration_letter":
        place = registration_place(clean["id_number"])
        number = clean["id_number"]
        extra = {"registration_place": place, "gender": "男" if int(number[16]) % 2 else "女",
                 "birth_date": plain_date(ric.get_birth_date(number))}
        return f"{place}有关乡镇人民政府（街道办事处）、村（居）民委员会", extra
    if notice_type == "crime_transfer":
        # Each suspect with the role the case classified them under (resolved by the service from the case).
        roles = clean.get("suspect_roles") or {}
        extra = {"suspects": [{"name": n, "role": roles.get(n, "")} for n in clean["suspects"]]}
    if notice_type == "utility_cutoff":
        suppliers = [clean[k] for k in ("water_supplier", "power_supplier", "gas_supplier") if clean.get(k)]
        extra = {"suppliers": suppliers,
                 "services": "、".join(s for k, s in (("water_supplier", "停止供水"), ("power_supplier", "停止供电"),
                                                     ("gas_supplier", "停止供气")) if clean.get(k))}
        return "、".join(suppliers), extra
    return clean[spec["addressee"]], extra


def review_body(issuer: Department, legal: dict) -> str:
    """The issuer's review body (复议机关) by name; an issuer without one cannot tell a party where to appeal,
    so it issues nothing."""
    conf = legal["issuers"].get(issuer.abbreviation) or {}
    if not (conf.get("review_body") or "").strip():
        raise WorkflowError(f"发文单位“{issuer.name}”（{issuer.abbreviation}）未配置复议机关，不能签发文书，"
                            "请系统管理员在法律文本配置中为其填写复议机关名称。")
    return conf["review_body"]


def compose(notice_type: str, clean: dict, issue_date: date, issuer: Department, case_reference: str = "",
            legal: dict | None = None) -> dict:
    """Everything the template prints, legal wording included, so the notice never depends on later edits."""
    legal = legal or legal_data()
    spec = type_spec(notice_type, legal)
    body = review_body(issuer, legal)
    addressee, extra = _addressee(notice_type, spec, clean)
    basis = list(spec.get("basis", []))
    consequence = spec.get("consequence", "")
    if notice_type == "rectification_order":
        violation = legal["violations"][clean["violation"]]
        basis.append(violation["article"])
        extra["violation"] = violation["label"]
        consequence = violation["consequence"]
    if notice_type in ("penalty_decision", "penalty_notice"):
        rng = legal["fine_ranges"][clean["role"]]
        basis.append(rng["article"])
        amount = Decimal(clean["fine_yuan"])
        extra.update(role=rng["label"],
                     penalty_text=legal["articles"][rng["article"]]["text"],
                     fine_upper=rmb_upper(amount), fine_figure=yuan_figure(amount))
    if clean.get("fine_yuan") and "fine_upper" not in extra:
        amount = Decimal(clean["fine_yuan"])
        extra.update(fine_upper=rmb_upper(amount), fine_figure=yuan_figure(amount))
    cited = list(spec.get("cites", []))
    if clean.get("conduct_form"):
        # Which of the three forms of 禁止传销条例 第七条 the conduct found takes, quoted from the article.
        cited.append(legal["conduct_forms"][clean["conduct_form"]]["article"])
    display = {}
    for field in form_fields(notice_type, legal):
        value = clean.get(field["key"])
        if field.get("kind") == "date" and value:
            display[field["key"]] = plain_date(date.fromisoformat(value))
        elif field.get("kind") == "choice" and value:
            display[field["key"]] = legal[field["options"]][value]["label"]
    appeal = ""
    if spec.get("appeal_doc"):
        appeal = legal["appeal"].format(doc=spec["appeal_doc"], review_body=body)
    return {
        "schema": 1,
        "legal_version": legal["version"],
        "type": notice_type,
        "template": f"notices/{notice_type}.html",
        "title": spec["title"],
        "number": None,
        "issuer": {"name": issuer.name, "abbreviation": issuer.abbreviation},
        "addressee": addressee,
        "issue_date": issue_date.isoformat(),
        "date_cn": plain_date(issue_date),
        "case_reference": case_reference,
        "fields": clean,
        "display": display,
        "extra": extra,
        # Every article the template may cite, copied with its wording; basis_refs is the "依据…" line.
        "articles": {k: {"ref": basis_refs([k], legal), "text": legal["articles"][k]["text"],
                         "verbatim": legal["articles"][k].get("verbatim", True)}
                     for k in sorted(set(basis) | set(cited))},
        "basis_refs": basis_refs(basis, legal) if basis else "",
        "consequence": consequence,
        "appeal": appeal,
    }


def canonical(content: dict) -> str:
    """Stable JSON text: the same content always gives the same bytes (and the same digest)."""
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
