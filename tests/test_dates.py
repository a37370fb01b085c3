from datetime import date

import pytest

from kg.dates import find_dates, parse_date

REF = date(2025, 3, 14)


@pytest.mark.parametrize("text, expected", [
    ("Rabu, (12/3/2025) pagi", date(2025, 3, 12)),
    ("Selasa (4/2/2025)", date(2025, 2, 4)),
    ("pada 1 Oktober 2024 lalu", date(2024, 10, 1)),
    ("Jumat, 7 Feb. 2025 - 09:00 WIB", date(2025, 2, 7)),
    ("tanggal 9 Ags 2024", date(2024, 8, 9)),
    ("data per Mei 2024", date(2024, 5, 1)),
    ("hingga akhir 2024", date(2024, 12, 31)),
    ("Kamis (13/3)", date(2025, 3, 13)),
    ("diserahkan kemarin", date(2025, 3, 13)),
    ("2025-01-31", date(2025, 1, 31)),
])
def test_dates_indonesian_forms(lexicon, text, expected):
    assert parse_date(text, lexicon, REF) == expected


def test_dates_day_without_year_is_the_latest_before_publication(lexicon):
    assert parse_date("Senin (29/12)", lexicon, date(2026, 1, 5)) == date(2025, 12, 29)


def test_dates_relative_days_need_a_publication_date(lexicon):
    assert parse_date("kemarin", lexicon, None) is None
    assert parse_date("Kamis (13/3)", lexicon, None) is None


def test_dates_month_precision_is_reported(lexicon):
    (d,) = find_dates("per Juli 2023", lexicon)
    assert (d.value, d.precision) == (date(2023, 7, 1), "month")


def test_dates_invalid_day_is_ignored(lexicon):
    assert parse_date("(31/2/2025)", lexicon) is None


def test_dates_digit_patterns_match_as_with_a_boundary_before(lexicon):
    """The day-month-year and slash patterns check the character before the day after reading its first digit:
    on random texts they find what the patterns with the check in front find."""
    import random
    import re
    from kg.dates import _patterns
    pats = dict(_patterns(tuple(lexicon.months)))
    month = pats["dmy"].pattern.split(r"\s+(", 1)[1].split(r")\.?,?", 1)[0]
    before = {"dmy": re.compile(rf"\b(\d{{1,2}})\s+({month})\.?,?\s+(\d{{4}})\b", re.IGNORECASE),
              "slash": re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?![\d/])")}
    rng = random.Random(3)
    pieces = ["1", "12", "123", "2025", "/", " ", "x", "Mei", "Agustus", ",", ".", "-", "_"]
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        for kind, old in before.items():
            assert [m.groups() + m.span() for m in pats[kind].finditer(text)] == \
                   [m.groups() + m.span() for m in old.finditer(text)], (kind, text)
