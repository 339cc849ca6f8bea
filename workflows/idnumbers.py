"""Resident ID numbers (居民身份证号码): one check for every door data comes in by (forms, API, imports).

python-stdnum's own validate() also demands that the county code existed in the birth year, but
numbers are issued under the code of the issue date: someone born in 1978 in 武昌区 (code 420106,
assigned in 1983) holds a valid 4201061978... number that it refuses. So: stdnum for the checksum and
the birth date, and the place code only has to be known.
"""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from stdnum import exceptions as stdnum_errors
from stdnum import numdb
from stdnum.cn import ric, uscc


def clean_digits(value: str | None) -> str:
    """Drop the spaces and dashes people type inside long numbers."""
    return re.sub(r"[\s-]", "", value or "")


# The place look-ups below read python-stdnum's table, which never changes while the process runs: their results
# are kept (a bounded number of codes), so a case's persons, a blacklist import or a notice batch look each up once.
@lru_cache(maxsize=8192)
def known_place_code(code: str) -> bool:
    """Whether python-stdnum knows the county code at all (in any year)."""
    info = {k: v for _part, props in numdb.get("cn/loc").info(code) for k, v in props.items()}
    return bool(info.get("county"))


def id_number_problem(value: str, today: date | None = None) -> str | None:
    """Why `value` is not a valid resident ID number, in Chinese, or None if it is."""
    number = clean_digits(value).upper()
    if len(number) != 18:
        return "身份证号码应为 18 位。"
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return "身份证号码前 17 位应为数字，最后一位为数字或 X。"
    if number[17] != ric.calc_check_digit(number):
        return "身份证号码校验位不正确，请逐位核对。"
    try:
        born = ric.get_birth_date(number)
    except stdnum_errors.ValidationError:
        return "身份证号码中的出生日期不存在。"
    if born > (today or date.today()):
        return "身份证号码中的出生日期晚于今天。"
    if born.year < 1900:
        return "身份证号码中的出生日期早于 1900 年。"
    if not known_place_code(number[:6]):
        return "身份证号码前 6 位不是有效的行政区划代码。"
    return None


def id_or_credit_code_problem(value: str, today: date | None = None) -> str | None:
    """Why `value` is neither a valid resident ID number nor a valid 统一社会信用代码 (both 18 characters, each
    with its own check character), or None if it is one of them."""
    number = clean_digits(value).upper()
    if len(number) != 18:
        return "应为18位身份证号码或18位统一社会信用代码"
    if id_number_problem(number, today) is None or uscc.is_valid(number):
        return None
    return "校验不通过：既不是有效的身份证号码，也不是有效的统一社会信用代码，请逐位核对"


def is_valid_id_number(value: str) -> bool:
    return id_number_problem(value) is None


_NAME = re.compile(r"^(?:\[(\d*)-(\d*)\])?(.+)$")
# City-level entries that are not a city's name (a municipality's districts, counties under the province).
_NOT_A_CITY = ("市辖区", "县", "省直辖县级行政单位", "自治区直辖县级行政区划")


def _names(entry: str) -> list[tuple[int, int | None, str]]:
    """"[1983-1995]东区,[1996-]芙蓉区" -> [(1983, 1995, "东区"), (1996, None, "芙蓉区")] (0: since ever)."""
    out = []
    for part in (entry or "").split(","):
        match = _NAME.match(part.strip())
        if match:
            since, until, name = match.groups()
            out.append((int(since or 0), int(until) if until else None, name))
    return out


def _place_entry(code: str, key: str) -> str:
    return next((props[key] for _part, props in numdb.get("cn/loc").info(code) if key in props), "")


def place_of_code(code: str, born: int | None = None) -> dict:
    """Province, city and county of a GB/T 2260 code (python-stdnum's table): the names in use now; a county
    renamed since `born` also gives the name it had then, and a code no longer in use says so."""
    province = _place_entry(code, "province")
    counties = _names(_place_entry(code, "county"))
    cities = _names(_place_entry(code[:4] + "00", "county")) if code[4:] != "00" else []
    city = next((n for _s, until, n in reversed(cities) if until is None), "")
    if city in _NOT_A_CITY or city == province:
        city = ""
    current = next((n for _s, until, n in reversed(counties) if until is None), "")
    retired = bool(counties) and not current
    county = current or (counties[-1][2] if counties else "")
    then = next((n for since, until, n in counties
                 if born is not None and since <= born and (until is None or born <= until)), "")
    if county in _NOT_A_CITY or county == city:
        county = ""
    return {"province": province, "city": city, "county": county, "retired": retired,
            "former": then if then and then != county else ""}


def registration_place(id_number: str) -> str:
    """户籍地 from the first six digits of a resident ID number: "湖南省长沙市芙蓉区（原东区）", or
    "北京市崇文区（该代码已撤销）" for a county that no longer exists."""
    number = clean_digits(id_number)
    if len(number) < 6 or not number[:6].isdigit():
        return ""
    born = int(number[6:10]) if number[6:10].isdigit() else None
    return _place_text(number[:6], born)


@lru_cache(maxsize=16384)
def _place_text(code: str, born: int | None) -> str:
    place = place_of_code(code, born)
    text = place["province"] + place["city"] + place["county"]
    if place["retired"]:
        text += "（该代码已撤销）"
    elif place["former"]:
        text += f"（原{place['former']}）"
    return text
