"""Group 1 组织保障 (7 points): the organisation's own paperwork, scored from its records by the office-records
rules; until they land, an inspector enters each row by hand with evidence."""
from __future__ import annotations

from workflows.assessment.rules.base import manual

GROUP = "组织保障"
LEAD, MECHANISM = "组织领导", "工作机制"

RULES = (
    manual("1.1.1", GROUP, LEAD, "5",
           "建立健全“党政主导、政法牵头、部门协同、公众参与、综合治理”的打击传销工作格局；有“241”工作专班；有足额经费保障。",
           "未落实一项扣 1 分", "查阅台账"),
    manual("1.1.2", GROUP, LEAD, "5", "街道、社区有打传工作小组。", "未落实一项扣 1 分", "查阅台账"),
    manual("1.1.3", GROUP, LEAD, "5", "重点区有专职打传队伍。", "未落实一项扣 1 分", "查阅台账"),
    manual("1.2.1", GROUP, MECHANISM, "2", "“长效机制”“打传创无”工作有方案、有部署、有落实。",
           "未落实一项扣 1 分", "查阅台账"),
    manual("1.2.2", GROUP, MECHANISM, "2", "建立完善《处置传销突发事件应急预案》。", "未落实一项扣 0.5 分", "查阅台账"),
    manual("1.2.3", GROUP, MECHANISM, "2", "根据长效机制建立完善的考评制度。", "缺一项扣 0.5 分", "查阅台账"),
)
