import pytest

from kg.numbers import find_numbers, parse_number


@pytest.mark.parametrize("text, value", [
    ("163.342", 163342), ("1.250.000", 1250000), ("99,4", 99.4), ("98,87", 98.87),
    ("100", 100), ("97.5", 97.5),
])
def test_numbers_indonesian_separators(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text, value, unit", [
    ("sebanyak 45.120 jiwa", 45120, "jiwa"),
    ("mencapai 96,5 persen", 96.5, "persen"),
    ("Rp71.549.275.792", 71549275792, "rupiah"),
    ("Rp 2,5 miliar", 2500000000, "rupiah"),
    ("1.204 orang", 1204, "jiwa"),
])
def test_numbers_units(text, value, unit):
    (n,) = find_numbers(text)
    assert (n.value, n.unit) == (value, unit)


def test_numbers_not_a_number_raises():
    with pytest.raises(ValueError):
        parse_number("dua")
