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
        "*": {"*": "P7D"},
    })
    # Process ids whose overdue steps raise five-contracts matters (the matter itself escalates by its timer).
    escalate_overdue_processes: tuple = ("six_step_case", "complaint_intake")

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
        return settings

    def task_deadline(self, process_id: str, task_name: str) -> str:
        per_process = self.task_deadlines.get(process_id) or self.task_deadlines.get("*", {})
        return per_process.get(task_name) or per_process.get("*") or "P7D"
