"""Lanes in the diagrams name roles; this maps the Chinese lane names to role codes."""

LANE_ROLES = {
    "网格员": "grid",
    "公安": "police",
    "市场监管": "market",
    "住房保障": "housing",
    "五包责任人": "responsible",
    "受理人": "receiver",
    "督办领导": "supervisor",
}


def role_for_lane(lane: str) -> str:
    return LANE_ROLES.get(lane, "")
