"""Resident ID numbers (居民身份证号码): one check for every door data comes in by (forms, API, imports).

python-stdnum's own validate() also demands that the county code existed in the birth year, but
numbers are issued under the code of the issue date: someone born in 1978 in 武昌区 (code 420106,
assigned in 1983) holds a valid 4201061978... number that it refuses. So: stdnum for the checksum and
the birth date, and the place code only has to be known.
"""
from __future__ import annotations

import re
from datetime import date

from stdnum import exceptions as stdnum_errors
from stdnum import numdb
from stdnum.cn import ric, uscc


def clean_digits(value: str | None) -> str:
    """Drop the spaces and dashes people type inside long numbers."""
    return re.sub(r"[\s-]", "", value or "")


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


def registration_place(id_number: str) -> str:
    """户籍地 from the first six digits of a resident ID number, as far as python-stdnum knows it."""
    try:
        place = ric.get_birth_place(id_number)
    except Exception:  # stdnum raises its own errors for unknown codes and bad numbers alike
        place = _place_by_code(id_number)
    county = re.sub(r"^\[[^\]]*\]", "", place.get("county") or "")
    return "".join(v for v in (place.get("province"), place.get("city"), county) if v)


def _place_by_code(id_number: str) -> dict:
    """The place of a code whatever the birth year: stdnum refuses a person born before their county's
    code was assigned (e.g. 420106 for someone born in 1978), yet that is still where they are registered."""
    info = {k: v for _part, props in numdb.get("cn/loc").info(id_number[:6]) for k, v in props.items()}
    counties = [c for c in (info.get("county") or "").split(",") if c]
    if counties:
        info["county"] = counties[-1]  # the newest name of the county
    return info
