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

@pytest.mark.parametrize("text", [
    "Hingga AKHIR Tahun 2025 dan akhir bulan Desember 2024, kemarin serta Hari  Ini.",
    "Sampai dengan Juni, per akhir Mei, pada Agustus 2024.",
    "Rapat digelar kemarın dan hari ını; akhır tahun 2025 (dotless i: read as i ignoring case).",
    "sampai dengan JUNI, hingga akhir MEI",
    "Tanpa tanggal apa pun di sini.",
])
def test_dates_kinds_skipped_for_a_missing_word_find_the_same(lexicon, text, monkeypatch):
    """A kind of date whose word ("akhir", "kemarin", "hari", a month name) the text lacks in every case is not
    looked for: the dates found are those found when every kind is looked for."""
    import kg.dates as dates
    reference = date(2025, 11, 17)
    found = find_dates(text, lexicon, reference)
    monkeypatch.setattr(dates, "_words_absent", lambda text, months: set())
    assert found == find_dates(text, lexicon, reference)
    assert found or text.startswith("Tanpa")

# the patterns as they read before their opening letters were looked at first (kg.dates._patterns)
_PLAIN = {
    "iso": r"\b(\d{4})-(\d{2})-(\d{2})\b",
    "end_of_year": r"\bakhir\s+(?:tahun\s+)?(\d{4})\b",
    "end_of_month": r"\bakhir\s+(?:bulan\s+)?({month})\.?\s+(\d{{4}})\b",
    "my": r"\b({month})\.?\s+(\d{{4}})\b",
    "as_of_month": r"\b(?:per|hingga|sampai(?:\s+dengan)?|s\.\s?d\.?|s/d)\s+(?P<date>(?P<end>akhir\s+(?:bulan\s+)?)?"
                   r"({month}))\b(?!\.?\s*\d)",
    "yesterday": r"\bkemarin\b",
    "today": r"\bhari\s+ini\b",
}

def test_dates_patterns_opening_with_their_letters_find_what_the_word_boundary_finds(lexicon):
    """The date patterns written with their opening letters (or digit) first find, in random texts of date words,
    digits, punctuation and letters that read alike ignoring case (K for k, ſ for s, İ ı for i), the same
    matches as the same patterns opening with a plain word boundary."""
    import random
    import re

    from kg.dates import _patterns
    from kg.textutil import alternation
    month = alternation(m.casefold() for m in lexicon.months)
    written = dict(_patterns(tuple(lexicon.months)))
    pieces = ["akhir", "Akhir", "AKHIR", "\u212aemarin", "kemarin", "hari ini", "Hari", "per", "Per", "hingga",
              "sampai dengan", "s.d.", "s/d", "\u017fampai", "Mei", "mei", "Juli", "Agustus", "Ags", "Sept", "desember",
              "2025", "2024-11-17", "12", "x2025-11-17", "_", "-", ".", ",", " ", "  ", "\n", "tahun", "bulan",
              "mengakhiri", "pertama", "\u0130ni", "\u0131ni", "Oktober", "NOPEMBER", "a", "9", "sampai dengan Mei",
              "s/d Juli", "per akhir Juni", "hingga Maret", "akhir 2024", "akhir bulan Mei 2025", "Mei 2025"]
    rng = random.Random(5)
    for kind, source in _PLAIN.items():
        flags = 0 if kind == "iso" else re.IGNORECASE
        plain = re.compile(source.format(month=month) if "{month}" in source else source, flags)
        for _ in range(500):
            text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
            assert [(m.span(), m.groups()) for m in written[kind].finditer(text)] == \
                [(m.span(), m.groups()) for m in plain.finditer(text)], (kind, text)



def test_dates_ascii_text_read_in_lower_case_finds_what_reading_ignoring_case_finds(lexicon):
    """An ASCII text is read in lower case by the kinds of date read ignoring case (kg.dates._lower_case_patterns):
    on random ASCII texts in mixed case, each kind finds the same spans, and the same groups put in lower case."""
    import random
    import re

    from kg.dates import _lower_case_patterns, _patterns
    written = dict(_patterns(tuple(lexicon.months)))
    lower_case = _lower_case_patterns(tuple(lexicon.months))
    assert set(lower_case) == {k for k, p in written.items() if p.flags & re.IGNORECASE}
    pieces = ["akhir", "AKHIR", "Akhir", "makhir", "kemarin", "Kemarin", "xkemarin", "kemarinnya", "hari ini", "Hari  Ini",
              "sehari ini", "per", "PER", "hingga", "s.d.", "s/d", "sampai dengan", "tahun", "bulan", "Mei", "MEI",
              "juli", "Agustus", "Ags.", "2025", "17", "1", " ", "  ", "\n", ",", ".", "_", "-", "per akhir Juni",
              "akhir Desember 2025", "akhir tahun 2024", "hingga Maret"]
    rng = random.Random(9)
    found = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        for kind, pattern in lower_case.items():
            expected = [(m.span(), tuple(g and g.lower() for g in m.groups())) for m in written[kind].finditer(text)]
            assert [(m.span(), m.groups()) for m in pattern.finditer(text.lower())] == expected, (kind, text)
            found += len(expected)
    assert found > 300


def test_dates_kinds_tried_where_their_words_stand_find_what_the_engine_finds(lexicon, monkeypatch):
    """The kinds of kg.dates._LOCATED are tried only where their opening words stand (textutil.Cues) in a text
    longer than _LOCATED_FROM: on random ASCII texts in mixed case, find_dates gives the same dates so, as read
    (the short ones by the engine), and when every kind is read by the engine."""
    import random
    from datetime import date

    import kg.dates as dates
    assert dates._LOCATED
    pieces = ["per", "PER", "Per", "super", "hingga", "s.d.", "s/d", "sampai dengan", "akhir", "bulan", "Mei", "MEI",
              "mei", "Juli", "Agustus", "Ags.", "Agt", "Des.", "2025", "2024", "17", " ", "  ", "\n", ",", ".", "x",
              "per akhir Juni", "hingga Maret", "Desember 2025", "Nopember 2024", "permei 2025", "Januari2025"]
    rng = random.Random(12)
    texts = ["".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(1, 14))) for _ in range(3000)]
    as_written = [dates.find_dates(t, lexicon, date(2025, 11, 17)) for t in texts]   # a short text read by the engine
    monkeypatch.setattr(dates, "_LOCATED_FROM", -1)   # every text, however short, read where the words stand
    located = [dates.find_dates(t, lexicon, date(2025, 11, 17)) for t in texts]
    assert located == as_written
    monkeypatch.setattr(dates, "_LOCATED", set())
    assert [dates.find_dates(t, lexicon, date(2025, 11, 17)) for t in texts] == located
    assert sum(len(x) for x in located) > 1000
