"""Roles: their codes, their names, and the lanes of the diagrams, which are named after the roles."""

ADMIN, SUPERVISOR = "admin", "supervisor"

ROLE_NAMES = {
    "grid": "网格员", "police": "公安", "market": "市场监管", "housing": "住房保障",
    "responsible": "五包责任人", "receiver": "受理人", SUPERVISOR: "督办领导", ADMIN: "系统管理员",
    # The penalty procedure: the legal reviewer (法制审核) and the bureau head who approves (负责人).
    "legal": "法制审核", "head": "负责人",
}

# A lane is named after the role that works in it (a diagram's 公安 lane is the police role's); the
# administrator works in no process.
LANE_ROLES = {name: code for code, name in ROLE_NAMES.items() if code != ADMIN}


def role_for_lane(lane: str) -> str:
    return LANE_ROLES.get(lane, "")
