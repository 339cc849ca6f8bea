"""Roles: their codes, their names, and the lanes of the diagrams, which are named after the roles."""

ADMIN, SUPERVISOR = "admin", "supervisor"

ROLE_NAMES = {
    "grid": "网格员", "police": "公安", "market": "市场监管", "housing": "住房保障",
    "responsible": "五包责任人", "receiver": "受理人", SUPERVISOR: "督办领导", ADMIN: "系统管理员",
    # The bureau's head (县级以上市场监管部门主要负责人), whose prior written approval a 查封 needs.
    "head": "机关负责人",
    # 创无: the applying community, the street that forwards, the acceptance inspectors, the naming unit.
    "pf_community": "创建社区", "pf_street": "街道", "pf_inspector": "验收人员", "pf_namer": "命名单位",
    # The penalty procedure's legal reviewer (法制审核); the head above approves its steps too.
    "legal": "法制审核",
    # Annex 3's inspectors, who enter the rows scored by visits and questionnaires with their evidence.
    "assessor": "考评人员",
}

# A lane is named after the role that works in it (a diagram's 公安 lane is the police role's); the
# administrator works in no process.
LANE_ROLES = {name: code for code, name in ROLE_NAMES.items() if code != ADMIN}


def role_for_lane(lane: str) -> str:
    return LANE_ROLES.get(lane, "")
