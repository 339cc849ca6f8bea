"""Registration place (户籍地) from ID numbers, as the comparison step shows it to the officer."""
import pytest

from workflows.comparison import registration_place


@pytest.mark.parametrize("number, place", [
    ("11010519491231002X", "北京市朝阳区"),
    ("420106199001011234", "湖北省武昌区"),
    # Born before the county code was assigned: stdnum alone refuses it, yet the place is known.
    ("420106197801011234", "湖北省武昌区"),
])
def test_registration_place_is_read_from_the_first_six_digits(number, place):
    assert registration_place(number) == place


def test_an_unknown_place_code_gives_no_place_rather_than_a_wrong_one():
    assert registration_place("999999199001011234") == ""
