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


def check(overrides: dict) -> None:
    """Refuse 创无 settings that cannot work (called when the settings are loaded)."""
    from datetime import datetime, timezone

    from workflows.engine.spiff import duration_after
    unknown = set(overrides) - set(DEFAULTS)
    if unknown:
        raise ValueError("pyramid_free 中有未知的配置项：" + "、".join(sorted(unknown)))
    merged = {**DEFAULTS, **overrides}
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    try:
        ok = duration_after(start, merged["periodic_interval"]) > start
    except Exception:  # the ISO parser raises several kinds of error for malformed text
        ok = False
    if not ok:
        raise ValueError("pyramid_free.periodic_interval 须为大于零的 ISO 8601 时长，如 P1Y、P6M")
    if not 0 <= float(merged["random_share"]) <= 1:
        raise ValueError("pyramid_free.random_share 须在 0 与 1 之间")
    for key in ("rectification_days", "reapply_after_days", "sample_size", "den_lookback_days"):
        if not isinstance(merged[key], int) or merged[key] < 0:
            raise ValueError(f"pyramid_free.{key} 须为不小于 0 的整数")
    levels = merged["namer_level"]
    if not isinstance(levels, dict) or set(levels.values()) - {"district", "street"}:
        raise ValueError("pyramid_free.namer_level 的取值须为 district 或 street")


def options(settings) -> dict:
    """The effective 创无 options for `settings` (a workflows.config.Settings)."""
    merged = dict(DEFAULTS)
    merged.update(getattr(settings, "pyramid_free", None) or {})
    checklists = merged["checklists"]
    if checklists is None or isinstance(checklists, str):
        path = Path(checklists) if checklists else CHECKLIST_FILE
        merged["checklists"] = json.loads(path.read_text(encoding="utf-8"))
    return merged
