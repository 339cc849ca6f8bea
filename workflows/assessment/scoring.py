"""From rule outcomes and hand entries to final deductions: the row's cap, then the second level's, then the total."""
from __future__ import annotations

from decimal import Decimal

from workflows.assessment.rules import BY_ID, TOTAL
from workflows.assessment.rules.base import ZERO, Method, Rule
from workflows.assessment.models import AssessmentRow

CENT = Decimal("0.01")


def proposed(rule: Rule, row: AssessmentRow) -> Decimal:
    """What the row would lose before any cap: an override replaces everything; a manual row is its entry; a
    BOTH row adds the inspector's entry to the computed figure."""
    if row.override_deduction is not None:
        return row.override_deduction
    computed = row.computed_deduction or ZERO
    entered = row.manual_deduction or ZERO
    if rule.method == Method.MANUAL:
        return entered
    if rule.method == Method.BOTH:
        return computed + entered
    return computed


def settle(rows: list[AssessmentRow]) -> Decimal:
    """Set each row's final deduction and score (in Annex order) and return the run's total.

    A row never loses more than its cap; the rows of one second level never more than its points together (the
    first rows in the Annex's order take their deduction first, the later ones what remains)."""
    left: dict[str, Decimal] = {}
    lost = ZERO
    for row in sorted(rows, key=lambda r: r.position):
        rule = BY_ID[row.rule_id]
        remaining = left.setdefault(rule.second_key, rule.second_weight)
        deduction = min(max(proposed(rule, row), ZERO), rule.cap, remaining).quantize(CENT)
        left[rule.second_key] = remaining - deduction
        row.deduction = deduction
        row.score = (rule.cap - deduction).quantize(CENT)
        lost += deduction
    return (TOTAL - lost).quantize(CENT)
