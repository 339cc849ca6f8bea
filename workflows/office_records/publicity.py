"""Publicity (宣传教育): activities held, material handed out, boards put up and responsible-person plates hung,
each on a day (never in the future), at a place, with photos."""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from workflows.exceptions import ValidationFailed
from workflows.office_records.common import RECORD_ROLES, RecordKind, choice, count, day, file_meta, text
from workflows.office_records.models import PublicityActivity
from workflows.org.models import Area

ACTIVITY, MATERIAL, BOARD, PLATE = "activity", "material", "board", "plate"
KINDS = {ACTIVITY: "宣传活动", MATERIAL: "宣传资料", BOARD: "宣传专栏展板", PLATE: "责任人信息牌"}
MAX_PHOTOS = 20


def clean(s: Session, data: dict, today: date, area: Area | None) -> dict:
    errors: dict[str, list[str]] = {}
    values = {"held_on": day(data, "held_on", errors, "日期", today, not_future=True),
              "kind": choice(data, "kind", errors, "类别", KINDS),
              "place": text(data, "place", errors, "地点", 200),
              "participants": count(data, "participants", errors, "参与人数", 0, 100_000),
              "note": text(data, "note", errors, "说明", 500, required=False)}
    photos = data.get("photos") or []
    if len(photos) > MAX_PHOTOS:
        errors.setdefault("photos", []).append(f"照片最多 {MAX_PHOTOS} 张。")
    try:
        values["photos"] = [file_meta(p) for p in photos if p]
    except ValidationFailed:
        errors.setdefault("photos", []).append("照片信息不完整，请重新上传。")
    if errors:
        raise ValidationFailed(errors)
    return values


KIND = RecordKind(key="publicity", model=PublicityActivity, title="宣传活动", clean=clean, date_column="held_on",
                  area_kinds=("street", "community", "compound", "building"),
                  # Communities and grid workers hold most of the activities themselves.
                  roles=RECORD_ROLES | {"grid", "responsible", "pf_community", "pf_street"},
                  label=lambda row: f"{row.held_on:%Y-%m-%d} {KINDS.get(row.kind, row.kind)}：{row.place}")
