"""Registration place (户籍地) from ID numbers, as the comparison step shows it to the officer."""
import pytest

from workflows.idnumbers import registration_place


@pytest.mark.parametrize("number, place", [
    ("11010519491231002X", "北京市朝阳区"),
    ("420106199001011234", "湖北省武汉市武昌区"),
    # Born before the county code was assigned: stdnum alone refuses it, yet the place is known.
    ("420106197801011234", "湖北省武汉市武昌区"),
    # Province, city and county with today's names; the name at birth when the county was renamed since.
    ("430102199001011234", "湖南省长沙市芙蓉区（原东区）"),
    ("430102200001011234", "湖南省长沙市芙蓉区"),
    # A code no longer in use (崇文区 merged into 东城区 in 2010) keeps its name and says so.
    ("11010319800101123X", "北京市崇文区（该代码已撤销）"),
    # A county-level city directly under the province has no city between.
    ("429004199001011234", "湖北省仙桃市"),
])
def test_registration_place_is_read_from_the_first_six_digits(number, place):
    assert registration_place(number) == place


def test_an_unknown_place_code_gives_no_place_rather_than_a_wrong_one():
    assert registration_place("999999199001011234") == ""


@pytest.mark.parametrize("number, problem", [
    ("420106197801011230", None),  # born 1978, county code from 1983: a real number stdnum alone refuses
    ("420106197801011231", "校验位"),
    ("420106207801011237", "晚于今天"),
    ("999999199001011238", "行政区划"),
])
def test_one_id_number_check_for_forms_api_and_imports(number, problem):
    from forms.validators import id_number_problem as form_check
    from webapp.api.validation import FORMATS
    from workflows.idnumbers import id_number_problem

    found = id_number_problem(number)
    assert (found is None) if problem is None else (problem in found)
    assert form_check(number, __import__("datetime").date.today()) == found
    assert all(check(number) == (problem is None) for check in FORMATS.values())
