"""The 创无 settings: defaults here, overridden key by key by `Settings.pyramid_free` (the DACHUAN_CONFIG file)."""
from __future__ import annotations

import json
from pathlib import Path

COMMUNITY, PLATFORM = "community", "platform"
SUBJECT_NAMES = {COMMUNITY: "无传销社区（村）", PLATFORM: "无传销网络平台"}

PLATFORM_TYPES = {"content": "内容平台", "search": "搜索平台", "trading": "交易支付平台", "messaging": "即时通讯平台",
                  "live": "直播平台"}

DEFAULTS = {
    # 谁命名，谁负责: every named community or platform is re-inspected at this interval (ISO 8601).
    "periodic_interval": "P1Y",
    # Each quarter this share of the named ones is drawn by lot for a random re-inspection (at least one).
    "random_share": 0.1,
    # The rectification deadline offered by default, in days (the namer may set another).
    "rectification_days": 30,
    # Serious problems that propose revoking the name at once (seed 003: 发现重大问题，随时取消命名).
    "serious_problems": {"mass_incident": "因传销引发群体性事件", "criminal_case": "因传销引发刑事案件"},
    # The level whose unit names (and so accepts, inspects and watches): district or street.
    "namer_level": {COMMUNITY: "district", PLATFORM: "district"},
    # A community or platform whose name was revoked may apply again this many days later.
    "reapply_after_days": 365,
    # Households drawn by lot for the acceptance visit.
    "sample_size": 10,
    # How far back "no MLM den or reflux" looks, in days.
    "den_lookback_days": 365,
    # The checklists (items, weights, pass score); a file path or the checklists themselves.
    "checklists": None,
}

CHECKLIST_FILE = Path(__file__).with_name("checklists.json")


def options(settings) -> dict:
    """The effective 创无 options for `settings` (a workflows.config.Settings)."""
    merged = dict(DEFAULTS)
    merged.update(getattr(settings, "pyramid_free", None) or {})
    checklists = merged["checklists"]
    if checklists is None or isinstance(checklists, str):
        path = Path(checklists) if checklists else CHECKLIST_FILE
        merged["checklists"] = json.loads(path.read_text(encoding="utf-8"))
    return merged
