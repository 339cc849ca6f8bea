"""The choices Annex 3 leaves open (its own flaws), one setting each with a documented default, shown on the score
sheet and stored with every run (a run is scored with the settings of its day)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from decimal import Decimal


# "每差 10%" / "每低 1 个百分点" / "每增长 1 个百分点": how a part of a step counts.
STARTED, WHOLE = "started", "whole"
# Group 5's shifted 计分办法 column: read by the rows' meaning, or as printed.
BY_MEANING, AS_PRINTED = "meaning", "printed"
# "抽查当月": the last month of the period that has records, or the whole period.
LAST_MONTH, WHOLE_PERIOD = "last_month", "period"


@dataclass(frozen=True)
class AssessmentSettings:
    """Each field is one reading of the table (the name in config.Settings has the prefix `assessment_`)."""

    # "两次以上": caught this many times or more counts as repeat (回流). 2 reads "以上" as including the number
    # (as Chinese legal usage does); 3 reads it as "more than two".
    repeat_threshold: int = 2
    # "多次被诉网络传销的主体": reported this many times or more. 3 is also the number at which the system opens
    # an investigation by itself (config online_mlm_report_threshold), so the two read "several" alike.
    several_reports: int = 3
    # Whether a 警告 (warning) counts as an administrative penalty for the penalty rate and the repeat rows.
    warning_counts_as_penalty: bool = False
    # Row 3.3.1's "每 10 起投诉举报办理 1 起一般程序行政处罚案件" prints no deduction: points per missing case.
    per_complaints_penalty_case_deduction: Decimal = Decimal("1")
    # Row 6.1.1's "无新增涉传网络平台" prints no deduction: points per new affected platform.
    new_platform_deduction: Decimal = Decimal("1")
    # Group 5's 计分办法 column is printed one row down from "发现党员干部…": "meaning" scores each row by what it
    # says (the party-member row has no printed rule and is entered by hand); "printed" is not offered for
    # scoring, only recorded, because the printed alignment gives rows deductions about other records.
    party_member_row: str = BY_MEANING
    # "每差 10%" and "每 1 个百分点": "started" counts a begun step as a whole one (89% is one step short of 90%),
    # "whole" counts only complete steps.
    partial_step: str = STARTED
    # "抽查当月 N 个": "last_month" samples the period's last month that has records, "period" the whole period.
    sample_month: str = LAST_MONTH

    @classmethod
    def from_settings(cls, settings) -> "AssessmentSettings":
        """Read the `assessment_*` fields of config.Settings (or of any object that has them)."""
        values = {}
        for item in fields(cls):
            name = f"assessment_{item.name}"
            if hasattr(settings, name):
                values[item.name] = getattr(settings, name)
        return cls.from_dict(values)

    @classmethod
    def from_dict(cls, values: dict) -> "AssessmentSettings":
        """Settings from stored or configured values, checked; unknown keys are ignored."""
        known = {f.name for f in fields(cls)}
        data = {k: v for k, v in values.items() if k in known}
        for name in ("per_complaints_penalty_case_deduction", "new_platform_deduction"):
            if name in data:
                data[name] = Decimal(str(data[name]))
        made = cls(**data)
        made.check()
        return made

    def check(self) -> None:
        if not isinstance(self.repeat_threshold, int) or self.repeat_threshold < 2:
            raise ValueError("考评设置 repeat_threshold（“两次以上”）须为不小于 2 的整数。")
        if not isinstance(self.several_reports, int) or self.several_reports < 2:
            raise ValueError("考评设置 several_reports（“多次被诉”）须为不小于 2 的整数。")
        for name in ("per_complaints_penalty_case_deduction", "new_platform_deduction"):
            if getattr(self, name) < 0:
                raise ValueError(f"考评设置 {name} 须为不小于 0 的分值。")
        if self.party_member_row != BY_MEANING:
            raise ValueError("考评设置 party_member_row 只能为 meaning（按各行含义计分）。")
        if self.partial_step not in (STARTED, WHOLE):
            raise ValueError("考评设置 partial_step 须为 started 或 whole。")
        if self.sample_month not in (LAST_MONTH, WHOLE_PERIOD):
            raise ValueError("考评设置 sample_month 须为 last_month 或 period。")

    def snapshot(self) -> dict:
        """JSON-ready values, stored with each run."""
        return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in asdict(self).items()}

    def described(self) -> list[dict]:
        """(name, value, Chinese explanation) for the score sheet."""
        return [{"name": name, "value": self.snapshot()[name], "label": label}
                for name, label in DESCRIPTIONS.items()]


DESCRIPTIONS = {
    "repeat_threshold": "“两次以上”按查获次数不少于该数计为回流（默认 2，含本数）",
    "several_reports": "“多次被诉网络传销”按被举报次数不少于该数计（默认 3，与系统自动立案调查的次数一致）",
    "warning_counts_as_penalty": "警告是否计为行政处罚（默认否）",
    "per_complaints_penalty_case_deduction": "原表未列扣分：每 10 起投诉举报少 1 件一般程序案件扣分（默认 1 分）",
    "new_platform_deduction": "原表未列扣分：新增 1 个涉传网络平台扣分（默认 1 分）",
    "party_member_row": "基础管控计分办法栏自“发现党员干部…”行起下错一行：按各行含义计分，党员干部行由考评人员录入",
    "partial_step": "“每差 10%”“每 1 个百分点”不足一档时：started 按一档计（默认），whole 只计整档",
    "sample_month": "“抽查当月”取期间内有记录的最后一个月（默认 last_month），或整个期间（period）",
}
