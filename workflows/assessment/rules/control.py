"""Group 5 基础管控 (30 points): rental houses, grid patrols, intermediaries and the blacklist.

The printed table shifts the 计分办法 column one row down from "发现党员干部…" on: the repeat-house penalty line
is printed beside the party-member row, the reflux line beside the intermediaries, the intermediaries' two lines
beside the blacklist, and the blacklist's own line one row further. The rules below are read by meaning (the
setting assessment_party_member_row records that choice and is shown on the score sheet); the party-member row
itself has no printed deduction and is entered by hand."""
from __future__ import annotations

from workflows.assessment.rules.base import computed, manual

GROUP = "基础管控"
RENTALS, PATROLS, AGENTS, BLACKLIST = "出租屋和流动人口管理", "网格员巡查", "中介管理", "“黑名单”库建设"

_RENTAL_WARNING = "对清查出的涉传出租屋，第一次予以警告，采取“三停一换”等措施，两次以上的予以行政处罚。"
_PATROL_TEXT = ("建立网格化管理机制，对清查出的涉传出租屋进行重点巡查，发现人员回流及“三停一换”措施被破坏的及时处置；"
                "将出租屋和流动人口信息，分类录入社会管理与服务信息系统，标注和上报涉传信息，录入、标注及上报率达 100%。")
_AGENT_TEXT = "涉传区域中介机构签订并在醒目位置悬挂《拒绝为传销人员提供房源承诺书》；对房地产中介服务机构为传销提供便利的一律从严查处。"
_BLACKLIST_TEXT = ("建立涉传人员“黑名单”信息库，对查获涉传人员一律登记备案，录入刑事案件一体化办案平台，录入率 100%；"
                   "对涉传人员使用的手机集团号、银行卡逐一登记、上报。")

RULES = (
    computed("5.1.1", GROUP, RENTALS, "10",
             "落实出租屋和流动人口登记备案制度，《房屋出租承诺书》和《治安责任书》签订率 100%，涉传重点区域房屋租赁合同备案率 100%。",
             "抽查 10 户涉传出租屋，看出租合同备案和“两书”签订，缺一项扣 0.5 分", "查阅台账 入户抽查", None,
             sample=10),
    computed("5.1.2a", GROUP, RENTALS, "10", _RENTAL_WARNING,
             "涉传出租屋，属第一次发现的，看是否下达责令改正通知（解除租赁合同通知书）及“三停一换”措施，1 户未落实扣 1 分",
             "查阅台账 入户抽查", None),
    # Printed one row lower, beside the party-member row: by meaning it scores "两次以上的予以行政处罚".
    computed("5.1.2b", GROUP, RENTALS, "10", _RENTAL_WARNING,
             "涉传出租屋，已发现两次以上的，查看是行政处罚记录，未给予行政处罚的一户扣 1 分", "查阅台账 入户抽查", None),
    manual("5.1.3", GROUP, RENTALS, "10", "发现党员干部、公职人员明知而向涉传人员提供出租屋的，交由纪检监察部门追究责任。",
           "（原表此行未列扣分办法，所印扣分办法属上一行）由考评人员按实际情况录入", "查阅台账 入户抽查"),
    computed("5.2.1a", GROUP, PATROLS, "10", _PATROL_TEXT,
             "抽查 10 户涉传出租屋，通过网格化信息系统查看是否录入、标注、上报，缺一项每户扣 0.5 分",
             "查阅台账 入户抽查", None, sample=10),
    # Printed beside the intermediaries: by meaning the patrol's reflux finding.
    computed("5.2.1b", GROUP, PATROLS, "10", _PATROL_TEXT,
             "出租屋不开门，而且未采取“三停一换”措施的一律视为回流，每户扣 1 分", "查阅台账 入户抽查", None),
    computed("5.3.1a", GROUP, AGENTS, "5", _AGENT_TEXT,
             "抽查 1-2 户房地产中介服务机构，未签定、悬挂《拒绝为传销人员提供房源承诺书》的 1 户扣 2 分",
             "查阅台账 入户抽查", None, sample=2),
    computed("5.3.1b", GROUP, AGENTS, "5", _AGENT_TEXT, "发现涉传“黑中介”，未下达责令改正并处罚的 1 户扣 2 分",
             "查阅台账 入户抽查", None),
    computed("5.4.1a", GROUP, BLACKLIST, "5", _BLACKLIST_TEXT,
             "抽查当月清查出的 10 个涉传人员，未录入平台的，发现 1 人扣 0.5 分", "查阅台账", None, sample=10),
    computed("5.4.1b", GROUP, BLACKLIST, "5", _BLACKLIST_TEXT,
             "发现涉传人员使用手机集团号、银行卡未登记上报的，扣 1 分", "查阅台账", None, cap="1"),
)
