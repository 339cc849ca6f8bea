"""Settings: deadlines, the local ID prefix and the database live here, not in code paths."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _default_db_url() -> str:
    return f"sqlite:///{ROOT / 'instance' / 'dachuan.sqlite'}"


@dataclass
class Settings:
    database_url: str = field(default_factory=lambda: os.environ.get("DATABASE_URL") or _default_db_url())
    bpmn_dir: Path = ROOT / "bpmn"
    # The city the district belongs to, printed before the district in addresses on documents.
    city_name: str = "武汉市"
    # Sweep flag: tenants whose ID number does not start with the local province code (Hubei = 42).
    local_id_prefix: str = "42"
    # How long each level of the five-contracts chain has before the matter climbs one level (ISO 8601).
    five_contract_deadlines: dict = field(default_factory=lambda: {
        "1": "PT24H", "2": "PT48H", "3": "PT72H", "4": "P5D", "5": "P7D"})
    # How long a human step may stay open before it raises a five-contracts matter.
    task_deadlines: dict = field(default_factory=lambda: {
        "six_step_case": {"sweep": "P3D", "entry": "P2D", "watch_house": "P3D", "initial_check": "P3D",
                          "evidence": "P7D", "comparison": "P2D", "close_case": "P5D", "*": "P7D"},
        # 首接负责: accept and hand over within a day; the responsible unit has 15 days to find a result.
        "complaint_intake": {"accept": "PT24H", "first_handling": "PT24H",
                             "investigate_market": "P15D", "investigate_police": "P15D",
                             "result_market": "P5D", "result_police": "P5D", "reply": "P3D",
                             "approve_reward": "P7D", "*": "P7D"},
        # A patrol is due within two days of its cycle; the flag itself is reviewed twice a year.
        "rental_patrol": {"patrol": "P2D", "lift_flag": "P180D", "*": "P7D"},
        # 四步工作法: monitoring and reporting up are quick; offline verification and handling take longer.
        "online_clue": {"monitor": "P3D", "verify": "P15D", "report_up": "P3D", "interview": "P7D",
                        "transfer_police": "P3D", "police_receipt": "P3D", "aftermath": "P15D",
                        "stability_plan": "P3D", "*": "P7D"},
        "*": {"*": "P7D"},
    })
    # Process ids whose overdue steps raise five-contracts matters (the matter itself escalates by its timer).
    escalate_overdue_processes: tuple = ("six_step_case", "complaint_intake", "penalty_procedure",
                                         "online_clue")
    # How often a grid worker patrols each flagged rental house (ISO 8601 duration; the diagram repeats it).
    patrol_interval: str = "P7D"
    # An entity or platform reported this many times for online MLM opens an investigation by itself.
    online_mlm_report_threshold: int = 3
    # Criminal threshold for the organisers of an MLM organisation (最高人民法院 最高人民检察院 公安部《关于办理
    # 组织领导传销活动刑事案件适用法律若干问题的意见》公通字〔2013〕37号 一): at least this many members in at
    # least this many levels ("以上" includes the number). Online clues that reach it go to the police.
    criminal_threshold_members: int = 30
    criminal_threshold_levels: int = 3
    # Background jobs: a worker holds a job for this long without a sign of life before another may take it over.
    job_lease_seconds: int = 120
    # How often a failing job is tried before it ends as failed, and how long it waits between tries.
    job_max_attempts: int = 3
    job_retry_seconds: int = 30
    # Ledger imports commit this many rows (and their progress) per transaction; a restart resumes after the last.
    import_chunk_rows: int = 200
    # Health check: a worker that has shown no sign of life for this long counts as down; a job that waited
    # (queued, or running under a lease that ran out) this long counts as stuck.
    worker_stale_seconds: int = 120
    job_stuck_seconds: int = 900
    # 创无 (pyramid-free communities and platforms): watching intervals, the random share, rectification deadline,
    # serious problems, who names, the checklists; see workflows.pyramid_free.options for the defaults.
    pyramid_free: dict = field(default_factory=dict)
    # Working days: a JSON file of the official arrangement for years chinese-calendar does not know yet
    # ({"2027": {"holidays": [...], "workdays": [...]}}), and what to do for a year neither knows:
    # "error" (refuse to count) or "weekdays" (count Monday to Friday until the calendar is published).
    workday_overrides_path: str = ""
    workday_unknown_year: str = "error"
    # The penalty procedure. A party may ask for a hearing when the proposed fine reaches these amounts (yuan;
    # 市场监督管理行政处罚听证办法 第五条: a person 1万, an organisation 10万).
    hearing_threshold_person: int = 10000
    hearing_threshold_organisation: int = 100000
    # Every case goes through 法制审核, not only those 第五十八条 names.
    legal_review_always: bool = False
    # Time-limit lights: 提醒 once this share of a step's time is used, 预警 this long (ISO 8601) before its
    # deadline, 报警 once it has passed (workflows.time_limits).
    time_limit_remind_share: float = 0.5
    time_limit_warn_before: str = "P1D"
    # Caps on one uploaded ledger file, checked before it is parsed: its size, the size of an XLSX's contents
    # once unzipped, and its data rows. A larger ledger is imported as several files.
    import_max_bytes: int = 10 * 1024 * 1024
    import_max_unzipped_bytes: int = 100 * 1024 * 1024
    import_max_rows: int = 50_000
    # The assessment (Annex 3): the table's open readings, see workflows.assessment.settings for each meaning.
    assessment_repeat_threshold: int = 2
    assessment_several_reports: int = 3
    assessment_warning_counts_as_penalty: bool = False
    assessment_per_complaints_penalty_case_deduction: str = "1"
    assessment_new_platform_deduction: str = "1"
    assessment_party_member_row: str = "meaning"
    assessment_partial_step: str = "started"
    assessment_sample_month: str = "last_month"

    @classmethod
    def load(cls, overrides: dict | None = None) -> "Settings":
        """Defaults, then the JSON file named by DACHUAN_CONFIG, then explicit overrides."""
        values: dict = {}
        path = os.environ.get("DACHUAN_CONFIG")
        if path:
            values.update(json.loads(Path(path).read_text(encoding="utf-8")))
        values.update(overrides or {})
        settings = cls(**{k: v for k, v in values.items() if k in cls.__dataclass_fields__})
        settings.bpmn_dir = Path(settings.bpmn_dir)
        settings.validate()
        return settings

    def validate(self) -> None:
        """Refuse deadlines that are not positive ISO 8601 durations: a zero deadline would escalate forever."""
        from datetime import datetime, timezone

        from workflows.engine.spiff import duration_after
        start = datetime(2026, 1, 1, tzinfo=timezone.utc)
        named = [(f"five_contract_deadlines[{k}]", v) for k, v in self.five_contract_deadlines.items()]
        named += [(f"task_deadlines[{p}][{t}]", v) for p, tasks in self.task_deadlines.items() for t, v in tasks.items()]
        named.append(("patrol_interval", self.patrol_interval))
        named.append(("time_limit_warn_before", self.time_limit_warn_before))
        if not isinstance(self.time_limit_remind_share, (int, float)) or not 0 < self.time_limit_remind_share < 1:
            raise ValueError("配置项 time_limit_remind_share 须为 0 与 1 之间的小数，如 0.5")
        if not isinstance(self.online_mlm_report_threshold, int) or self.online_mlm_report_threshold < 1:
            raise ValueError("配置项 online_mlm_report_threshold 须为不小于 1 的整数")
        for name in ("job_lease_seconds", "job_max_attempts", "import_chunk_rows", "criminal_threshold_members",
                     "criminal_threshold_levels", "worker_stale_seconds", "job_stuck_seconds", "import_max_bytes",
                     "import_max_unzipped_bytes", "import_max_rows"):
            if not isinstance(getattr(self, name), int) or getattr(self, name) < 1:
                raise ValueError(f"配置项 {name} 须为不小于 1 的整数")
        if self.workday_unknown_year not in ("error", "weekdays"):
            raise ValueError("配置项 workday_unknown_year 须为 error 或 weekdays")
        for name in ("hearing_threshold_person", "hearing_threshold_organisation"):
            if not isinstance(getattr(self, name), int) or getattr(self, name) < 1:
                raise ValueError(f"配置项 {name} 须为不小于 1 的整数（元）")
        if not isinstance(self.job_retry_seconds, int) or self.job_retry_seconds < 0:
            raise ValueError("配置项 job_retry_seconds 须为不小于 0 的整数")
        from workflows.assessment.settings import AssessmentSettings
        AssessmentSettings.from_settings(self)
        from workflows.pyramid_free.options import check as check_pyramid_free
        check_pyramid_free(self.pyramid_free or {})
        if sorted(self.five_contract_deadlines) != ["1", "2", "3", "4", "5"]:
            raise ValueError("five_contract_deadlines 须为 1 至 5 级各设一个时限")
        for name, value in named:
            try:
                ok = duration_after(start, value) > start
            except Exception:  # the ISO parser raises several kinds of error for malformed text
                ok = False
            if not ok:
                raise ValueError(f"配置项 {name} 的时限 {value!r} 无效：须为大于零的 ISO 8601 时长，如 P3D、PT24H")

    def task_deadline(self, process_id: str, task_name: str) -> str:
        per_process = self.task_deadlines.get(process_id) or self.task_deadlines.get("*", {})
        return per_process.get(task_name) or per_process.get("*") or "P7D"
