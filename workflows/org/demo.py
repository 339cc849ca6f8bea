"""Demo data: the district of seed 000 with its twelve streets, an address tree below them, and
fictitious officers for every role. Loaded once; a second run changes nothing."""
from __future__ import annotations

import sqlalchemy as sa

from workflows.org.accounts import add_user, generate_password_hash
from workflows.org.areas import add_area
from workflows.org.models import Area, Department, FiveContractAssignment

DISTRICT = "东西湖区"
STREETS = ["吴家山街", "长青街", "慈惠街", "走马岭街", "新沟镇街", "径河街", "将军路街", "金银湖街",
           "东山街", "柏泉街", "辛安渡街", "常青花园社区管理办公室"]
KEY_STREETS = {"吴家山街", "金银湖街", "将军路街"}
COMMUNITY_NAMES = ["第一社区", "第二社区"]
COMPOUND_NAMES = ["花园小区", "新村小区"]
DEMO_PASSWORD = "dachuan2026"

# (username, display name, roles, street index or None for the district, department key)
DEMO_USERS = [
    ("admin", "系统管理员", "admin", None, "office"),
    ("dubanban", "区打传办督办", "supervisor", None, "office"),
    ("wjs_leader", "吴家山街分管领导（督办）", "supervisor", 0, "street"),
    ("wjs_grid", "网格员 陈小红", "grid", 0, "community"),
    ("wjs_police1", "民警 王建国", "police", 0, "police"),
    ("wjs_police2", "民警 李卫东", "police", 0, "police"),
    ("wjs_market1", "市场监管 赵晓明", "market", 0, "market"),
    ("wjs_market2", "市场监管 孙丽华", "market", 0, "market"),
    ("wjs_housing", "房管 周志强", "housing", 0, "housing"),
    # 受理人: the intake desk that accepts complaints other systems submit (one per street, one for the district).
    ("wjs_intake", "受理员 刘春梅", "receiver", 0, "market"),
    ("qu_intake", "区打传办受理员 何静", "receiver", None, "office"),
    ("jyh_market", "市场监管 吴海燕（金银湖街）", "market", 7, "market"),
    ("jyh_police", "民警 郑立新（金银湖街）", "police", 7, "police"),
    ("louzhang", "楼栋长 钱桂英", "responsible", 0, "community"),
    ("shequ", "社区书记 冯国平", "responsible", 0, "community"),
    ("jiedao", "街道分管领导 蒋文斌", "responsible supervisor", 0, "street"),
    ("quzhi", "区直部门 韩志远", "responsible", None, "market"),
    ("quji", "区级领导 杨思远", "responsible supervisor", None, "office"),
    ("sj_head", "市场监管局局长 马建华", "head", None, "market"),
    # 创无: the community that applies, the street that forwards, the joint inspectors, the naming unit.
    ("cw_community", "吴家山街第一社区 创建联络员 林芳", "pf_community", 0, "community"),
    ("cw_street", "吴家山街 创无专干 马骏", "pf_street", 0, "street"),
    ("cw_police", "民警 唐志刚（验收）", "police pf_inspector", None, "police"),
    ("cw_market", "市场监管 许文静（验收）", "market pf_inspector", None, "market"),
    ("cw_namer", "区打传办 命名审核 高明", "pf_namer", None, "office"),
    # The penalty procedure's legal reviewer, and a deputy head who approves in the head's absence.
    ("fazhi", "法制审核 林淑芬", "legal", None, "market"),
    ("juzhang", "市场监管局副局长 高振华", "head", None, "market"),
    # The district office's inspector who scores the streets on Annex 3 and enters the hand-scored rows.
    ("kaoping", "区打传办 考评人员 陈立", "assessor", None, "office"),
]
DEPARTMENTS = {
    "office": ("东西湖区打击传销工作领导小组办公室", "district", "东打传办"),
    "market": ("东西湖区市场监督管理局", "market", "东市监"),
    "police": ("东西湖区公安分局", "police", "东公"),
    "housing": ("东西湖区住房保障和房屋管理局", "housing", "东房"),
    "street": ("吴家山街道办事处", "street", "吴街"),
    "community": ("吴家山街第一社区居委会", "community", "吴一社"),
}


def already_loaded(session) -> bool:
    return session.scalar(sa.select(sa.func.count()).select_from(Area)) > 0


def load(session) -> bool:
    """Create the demo org and users; returns False (and does nothing) if any area exists already."""
    if already_loaded(session):
        return False
    district = add_area(session, DISTRICT, "district")
    streets = []
    for s_name in STREETS:
        street = add_area(session, s_name, "street", district, is_key_area=s_name in KEY_STREETS)
        streets.append(street)
        for c_name in COMMUNITY_NAMES:
            community = add_area(session, c_name, "community", street)
            for p_name in COMPOUND_NAMES:
                compound = add_area(session, p_name, "compound", community)
                for b in (1, 2):
                    building = add_area(session, f"{b}栋", "building", compound)
                    for u in (1, 2):
                        unit = add_area(session, f"{u}单元", "unit", building)
                        for r in (101, 102, 201, 202):
                            add_area(session, f"{r}室", "room", unit)
    departments = {}
    for key, (name, kind, abbr) in DEPARTMENTS.items():
        departments[key] = Department(name=name, kind=kind, abbreviation=abbr)
        session.add(departments[key])
    session.flush()
    users = {}
    shared_hash = generate_password_hash(DEMO_PASSWORD)  # one scrypt run, not one per demo account
    for username, display, roles, street_idx, dept in DEMO_USERS:
        area = district if street_idx is None else streets[street_idx]
        users[username] = add_user(session, username, None, display, roles, area, departments[dept],
                                   phone="13800000000", password_hash=shared_hash)
    # The grid worker answers for one compound only.
    first_compound = session.scalar(sa.select(Area).where(Area.kind == "compound",
                                                          Area.path.startswith(streets[0].path)).order_by(Area.id))
    users["wjs_grid"].area_id = first_compound.id
    # The applying community answers for its own community only.
    users["cw_community"].area_id = first_compound.parent_id
    # Five contracts in 吴家山街: one responsible person per level; the district leader answers for every street.
    holders = {1: "louzhang", 2: "shequ", 3: "jiedao", 4: "quzhi"}
    kinds = {1: "unit", 2: "building", 3: "compound", 4: "community"}
    for level, username in holders.items():
        for area in session.scalars(sa.select(Area).where(Area.kind == kinds[level],
                                                          Area.path.startswith(streets[0].path))):
            session.add(FiveContractAssignment(area_id=area.id, level=level, user_id=users[username].id))
    for street in streets:
        session.add(FiveContractAssignment(area_id=street.id, level=5, user_id=users["quji"].id))
    session.flush()
    return True
