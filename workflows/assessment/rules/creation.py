"""Group 6 创建工作 (10 points): 创无 (no new affected compounds or platforms, creation activity, coverage) and
case filing up (报备) and reports (报送); the latter two are office-records' rows, entered by hand until they land."""
from __future__ import annotations

from workflows.assessment.rules.base import computed, manual

GROUP = "创建工作"
PYRAMID_FREE, REPORTING = "“创无”工作全面开展", "传销案件报备和信息报送"

_TEXT = ("无新增涉传小区和涉传网络平台；辖区内“无传销社区（村）”创建覆盖率 95% 以上；"
         "“无传销网络平台”创建率达 95% 以上。")

RULES = (
    computed("6.1.1a", GROUP, PYRAMID_FREE, "5", _TEXT, "新增涉传小区的，1 个扣 1 分", "查阅台账", None),
    # No deduction is printed for a new affected platform: assessment_new_platform_deduction says what one costs.
    computed("6.1.1b", GROUP, PYRAMID_FREE, "5", _TEXT,
             "（原表未列扣分办法）新增涉传网络平台的，1 个按设置扣分（默认 1 分）", "查阅台账", None),
    computed("6.1.1c", GROUP, PYRAMID_FREE, "5", _TEXT, "未开展创建活动的，扣 3 分", "查阅台账", None, cap="3"),
    computed("6.1.1d", GROUP, PYRAMID_FREE, "5", _TEXT,
             "年底创建率未达标的，每低 1 个百分点扣 0.5 分（无传销社区（村）覆盖率 95%）", "查阅台账", None),
    computed("6.1.1e", GROUP, PYRAMID_FREE, "5", _TEXT,
             "年底创建率未达标的，每低 1 个百分点扣 0.5 分（无传销网络平台创建率 95%）", "查阅台账", None),
    manual("6.2.1", GROUP, REPORTING, "5", "违法直销和传销案件按规定报备。", "案件未按规定报备的，1 次扣 0.5 分",
           "查阅台账"),
    manual("6.2.2", GROUP, REPORTING, "5",
           "按时上报打击传销、规范直销工作各类统计报表、工作动态、重大信息、总结等。",
           "漏报、迟报统计报表、工作动态、重大信息等，每次扣 0.5 分", "查阅台账"),
)
