"""The validators on their own: ID numbers (python-stdnum), phones, bank cards, file types."""
from __future__ import annotations

import io
from datetime import date

import pytest
from werkzeug.datastructures import FileStorage

from forms.files import file_problem
from forms.validators import PHONE_RE, id_number_problem, known_place_code
from web_fixtures import ID_A, make_id

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize("number,problem", [
    (ID_A, None),
    (ID_A.lower(), None),
    ("11010519491231002X", None),  # a check digit X
    (make_id("420106", "19781130", "789"), None),  # born before the county code existed: still valid
    ("4201061990010112", "身份证号码应为 18 位。"),
    ("4201061990O101123" + "1", "身份证号码前 17 位应为数字，最后一位为数字或 X。"),
    (ID_A[:-1] + ("0" if ID_A[-1] != "0" else "1"), "身份证号码校验位不正确，请逐位核对。"),
    (make_id("420106", "19900231"), "身份证号码中的出生日期不存在。"),
    (make_id("420106", "20261124"), "身份证号码中的出生日期晚于今天。"),
    (make_id("420106", "18991231"), "身份证号码中的出生日期早于 1900 年。"),
    (make_id("990101", "19900101"), "身份证号码前 6 位不是有效的行政区划代码。"),
])
def test_id_numbers(number, problem):
    assert id_number_problem(number, TODAY) == problem


def test_spaces_inside_an_id_number_are_ignored():
    assert id_number_problem(f"{ID_A[:6]} {ID_A[6:14]} {ID_A[14:]}", TODAY) is None


def test_place_codes():
    assert known_place_code("420106") and not known_place_code("999999")


@pytest.mark.parametrize("value,ok", [("13912345678", True), ("027-83891234", True), ("02783891234", True),
                                      ("6688", True), ("12345678901", False), ("2345678", False),
                                      ("1391234567", False)])
def test_phones(value, ok):
    assert bool(PHONE_RE.match(value)) is ok


@pytest.mark.parametrize("name,content,problem", [
    ("a.jpg", b"\xff\xd8\xff\xe0" + b"0" * 10, None),
    ("a.JPEG", b"\xff\xd8\xff\xe0" + b"0" * 10, None),
    ("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * 10, None),
    ("a.pdf", b"%PDF-1.7\n", None),
    ("a.gif", b"GIF89a", "只能上传 JPG、PNG 或 PDF 文件：a.gif"),
    ("a.pdf", b"<html>", "文件内容与扩展名不符，可能已损坏或不是真正的 PDF 文件：a.pdf"),
    ("a.png", b"", "文件是空的：a.png"),
    ("a.pdf", b"%PDF-" + b"0" * 2000, "单个文件不能超过 0 MB：a.pdf"),
])
def test_files(name, content, problem):
    storage = FileStorage(io.BytesIO(content), filename=name)
    assert file_problem(storage, 1000) == problem
