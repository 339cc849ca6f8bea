"""A notice's fields checked before any number is taken: required content, types, limits and fines."""
from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from workflows.exceptions import ValidationFailed
from workflows.idnumbers import is_valid_id_number, registration_place
from workflows.notices.formatting import plain_date, yuan_short
from workflows.notices.legal import basis_refs, form_fields, legal_data, type_spec

TEXT_MAX, LONGTEXT_MAX = 300, 3000


class NoticeRejected(ValidationFailed):
    """A notice was refused before any number was taken; `missing` lists the absent required fields."""

    def __init__(self, errors: dict[str, list[str]], missing: list[str]):
        super().__init__(errors)
        self.missing = missing
        if missing:
            self.message = "通知书缺少必填内容：" + "、".join(missing) + "。未签发，未占用文号。"
        else:
            problems = "；".join(f"{m}" for msgs in errors.values() for m in msgs)
            self.message = f"通知书内容有误：{problems}。未签发，未占用文号。"
        self.args = (self.message,)


# ---------------------------------------------------------------------- validation
def _clean(field: dict, raw, issue_date: date, legal: dict, errors: dict) -> object:
    """One field's value normalised for storage, or None when empty; problems go into `errors`."""
    key, kind, label = field["key"], field.get("kind", "text"), field["label"]

    def fail(msg):
        errors.setdefault(key, []).append(msg)

    if kind == "list":
        items = raw if isinstance(raw, (list, tuple)) else str(raw or "").splitlines()
        items = [str(i).strip() for i in items if str(i).strip()]
        if any(len(i) > TEXT_MAX for i in items):
            fail(f"{label}每项不超过{TEXT_MAX}字")
        return items or None
    text = "" if raw is None else str(raw).strip()
    if not text:
        return None
    if kind == "date":
        try:
            value = raw if isinstance(raw, date) else date.fromisoformat(text)
        except ValueError:
            return fail(f"{label}应为日期，例如 2026-12-23")
        if field.get("after_issue") and value <= issue_date:
            fail(f"{label}应晚于签发日期（{plain_date(issue_date)}）")
        return value.isoformat()
    if kind == "money":
        try:
            value = Decimal(text.replace(",", "").replace("，", ""))
        except InvalidOperation:
            return fail(f"{label}应为数字")
        if not value.is_finite() or value != value.quantize(Decimal("0.01")):
            return fail(f"{label}最多保留两位小数")
        return f"{value.quantize(Decimal('0.01'))}"
    if kind == "choice":
        options = legal[field["options"]]
        if text not in options:
            # No value: the checks that read the choice (the fine range of a role) never see an unknown one.
            return fail(f"{label}应为：" + "、".join(v["label"] for v in options.values()))
        return text
    if kind == "id_number":
        text = text.upper()
        if not is_valid_id_number(text):
            return fail(f"{label}无效（格式或校验位不符）")
        if not registration_place(text):
            fail(f"无法从{label}识别户籍地")
        return text
    limit = LONGTEXT_MAX if kind == "longtext" else TEXT_MAX
    if len(text) > limit:
        fail(f"{label}不超过{limit}字")
    return text


def fine_problem(role: str, amount: Decimal, legal: dict | None = None) -> str | None:
    """Why a fine is outside the range of the regulation for the person's role, or None if it is within."""
    legal = legal or legal_data()
    rng = legal["fine_ranges"][role]
    low, high = Decimal(rng["min_yuan"]), Decimal(rng["max_yuan"])
    ref = basis_refs([rng["article"]], legal)
    if amount <= 0:
        return "罚款金额应大于0"
    if amount < low or amount > high:
        span = f"{yuan_short(high)}以下" if low == 0 else f"{yuan_short(low)}以上{yuan_short(high)}以下"
        return f"对“{rng['label']}”的罚款应在{span}（{ref}），{yuan_short(amount)}超出该范围"
    return None


def validate(notice_type: str, fields: dict, issue_date: date, legal: dict | None = None,
             penalty_roles: list[str] | None = None) -> dict:
    """Normalised fields, or NoticeRejected listing every missing field and every wrong value."""
    legal = legal or legal_data()
    spec = type_spec(notice_type, legal)
    errors: dict[str, list[str]] = {}
    missing: list[str] = []
    clean: dict = {}
    for field in form_fields(notice_type, legal):
        raw = fields.get(field["key"])
        if raw in (None, "", []) and "default" in field:
            raw = field["default"]
        value = _clean(field, raw, issue_date, legal, errors)
        if value is None and field.get("required") and field["key"] not in errors:
            missing.append(field["label"])
            errors.setdefault(field["key"], []).append("必填")
        if value is not None:
            clean[field["key"]] = value
    if spec.get("one_of"):
        keys, label = spec["one_of"]
        if not any(clean.get(k) for k in keys):
            missing.append(label)
            errors.setdefault(keys[0], []).append("至少填写一项")
    if notice_type == "penalty_decision" and "role" in clean and "fine_yuan" in clean:
        if penalty_roles and clean["role"] not in penalty_roles:
            allowed = "、".join(legal["fine_ranges"][r]["label"] for r in penalty_roles)
            errors.setdefault("role", []).append(f"本环节只能对“{allowed}”作出处罚决定")
        problem = fine_problem(clean["role"], Decimal(clean["fine_yuan"]), legal)
        if problem:
            errors.setdefault("fine_yuan", []).append(problem)
    if errors:
        raise NoticeRejected(errors, missing)
    return clean
