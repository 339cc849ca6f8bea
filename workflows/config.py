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
        "*": {"*": "P7D"},
    })
    # Process ids whose overdue steps raise five-contracts matters (the matter itself escalates by its timer).
    escalate_overdue_processes: tuple = ("six_step_case", "complaint_intake")
    # How often a grid worker patrols each flagged rental house (ISO 8601 duration; the diagram repeats it).
    patrol_interval: str = "P7D"
    # An entity or platform reported this many times for online MLM opens an investigation by itself.
    online_mlm_report_threshold: int = 3
    # Background jobs: a worker holds a job for this long without a sign of life before another may take it over.
    job_lease_seconds: int = 120
    # How often a failing job is tried before it ends as failed, and how long it waits between tries.
    job_max_attempts: int = 3
    job_retry_seconds: int = 30
    # Ledger imports commit this many rows (and their progress) per transaction; a restart resumes after the last.
    import_chunk_rows: int = 200
    # Caps on one uploaded ledger file, checked before it is parsed: its size, the size of an XLSX's contents
    # once unzipped, and its data rows. A larger ledger is imported as several files.
    import_max_bytes: int = 10 * 1024 * 1024
    import_max_unzipped_bytes: int = 100 * 1024 * 1024
    import_max_rows: int = 50_000

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
        if not isinstance(self.online_mlm_report_threshold, int) or self.online_mlm_report_threshold < 1:
            raise ValueError("配置项 online_mlm_report_threshold 须为不小于 1 的整数")
        for name in ("job_lease_seconds", "job_max_attempts", "import_chunk_rows", "import_max_bytes",
                     "import_max_unzipped_bytes", "import_max_rows"):
            if not isinstance(getattr(self, name), int) or getattr(self, name) < 1:
                raise ValueError(f"配置项 {name} 须为不小于 1 的整数")
        if not isinstance(self.job_retry_seconds, int) or self.job_retry_seconds < 0:
            raise ValueError("配置项 job_retry_seconds 须为不小于 0 的整数")
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
