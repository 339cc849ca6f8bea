"""Annex 3 (检查考评计分标准), one rule per deduction line, in the Annex's order: `RULES`, and `BY_ID`.

Each group has its module; the second levels' weights and the groups' weights must add up to the table's 100."""
from __future__ import annotations

from decimal import Decimal

from workflows.assessment.rules import complaints, control, creation, enforcement, organisation, publicity
from workflows.assessment.rules.base import Finding, Method, Outcome, Rule, Scope

RULES: tuple[Rule, ...] = (organisation.RULES + publicity.RULES + enforcement.RULES + complaints.RULES
                           + control.RULES + creation.RULES)
BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}

# 一级指标 and their points as printed.
GROUP_WEIGHTS: dict[str, Decimal] = {"组织保障": Decimal(7), "宣传教育": Decimal(3), "清查打击": Decimal(30),
                                     "投诉举报": Decimal(20), "基础管控": Decimal(30), "创建工作": Decimal(10)}
TOTAL = Decimal(100)


def second_levels() -> dict[str, tuple[str, Decimal]]:
    """"3.1" -> (二级指标, its points), in Annex order."""
    levels: dict[str, tuple[str, Decimal]] = {}
    for rule in RULES:
        levels.setdefault(rule.second_key, (rule.second, rule.second_weight))
    return levels


__all__ = ["BY_ID", "Finding", "GROUP_WEIGHTS", "Method", "Outcome", "RULES", "Rule", "Scope", "TOTAL",
           "second_levels"]
