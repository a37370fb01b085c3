from decimal import Decimal

import pytest

from kg.numbers import MAX_DIGITS, find_numbers, parse_number


@pytest.mark.parametrize("text, value", [
    ("163.342", 163342), ("1.250.000", 1250000), ("99,4", Decimal("99.4")), ("98,87", Decimal("98.87")),
    ("100", 100), ("97.5", Decimal("97.5")), ("100,00", Decimal("100.0")), ("98,50", Decimal("98.5")),
])
def test_numbers_indonesian_separators(text, value):
    assert parse_number(text) == value and type(parse_number(text)) is type(value)
    assert str(parse_number(text)) == str(value)


@pytest.mark.parametrize("text, value, unit", [
    ("sebanyak 45.120 jiwa", 45120, "jiwa"),
    ("mencapai 96,5 persen", 96.5, "persen"),
    ("Rp71.549.275.792", 71549275792, "rupiah"),
    ("Rp 2,5 miliar", 2500000000, "rupiah"),
    ("Rp535,526 miliar", 535526000000, "rupiah"),   # through a float: 535525999999.99994
    ("Rp 1,234567890123456789 triliun", Decimal("1234567890123.456789"), "rupiah"),
    ("1.204 orang", 1204, "jiwa"),
])
def test_numbers_units(text, value, unit):
    (n,) = find_numbers(text)
    assert (n.value, n.unit) == (value, unit)


def test_numbers_not_a_number_raises():
    with pytest.raises(ValueError):
        parse_number("dua")


@pytest.mark.parametrize("written, exact", [
    ("12.345.678.901.234.567", 12345678901234567),          # a float keeps 16 digits: ...568
    ("99.999.999.999.999.999", 99999999999999999),
    ("12345678901234567,89", Decimal("12345678901234567.89")),
    ("0,1", Decimal("0.1")),
])
def test_numbers_are_exact_beyond_a_floats_digits(written, exact):
    assert parse_number(written) == exact
    (n,) = find_numbers(f"sebanyak {written} jiwa")
    assert n.value == exact and str(n.value) == str(exact)


def test_numbers_a_run_of_digits_too_long_for_a_figure_is_no_number():
    """400 digits were read through float() as inf and written as "Infinity"^^xsd:decimal."""
    huge = "9" * 400
    with pytest.raises(ValueError):
        parse_number(huge)
    assert find_numbers(f"sebanyak {huge} jiwa") == []
    assert parse_number("9" * MAX_DIGITS) == int("9" * MAX_DIGITS)


def test_numbers_a_measurement_value_is_written_with_its_exact_digits(tmp_path, lexicon):
    """The value literal of a 17-digit count, a decimal and a huge figure: exact digits, never an exponent
    or Infinity, and the graph conforms to the shapes."""
    from kg.facts import extract_facts
    from kg.mentions import find_mentions
    from kg.rdf import KG, article_graphs
    from kg.resolve import resolve_entities
    from kg.validate import validate_graph
    from tests.helpers import make_article

    article = make_article("Jumlah peserta JKN Kota Blitar mencapai 12.345.678.901.234.567 jiwa. "
                           "Cakupan JKN Kota Blitar mencapai 98,50 persen. "
                           f"Jumlah penduduk Kota Blitar tercatat {'9' * 400} jiwa.", dateline="BLITAR | b-news.id - ")
    kb = resolve_entities([extract_facts(find_mentions(article, lexicon))], lexicon)
    (graph,) = article_graphs(kb, lexicon).values()
    values = sorted(str(o) for o in graph.objects(None, KG.value))
    assert "12345678901234567" in values and "98.5" in values
    assert not any("E" in v or "Inf" in v or "NaN" in v for v in values), values
    assert validate_graph(graph).conforms


def test_numbers_rdf_refuses_a_value_that_is_not_finite():
    from kg.rdf import literal
    for bad in (Decimal("Infinity"), Decimal("NaN"), float("inf")):
        with pytest.raises(ValueError):
            literal(bad)
    assert str(literal(Decimal("1E+16"))) == "10000000000000000"
    assert str(literal(12345678901234567)) == "12345678901234567"


@pytest.mark.parametrize("text", [
    "Dana Rp 2,5 miliar, Rp. 300 juta dan rp.40 ribu untuk 1.204 orang (96,5%) pada 17/11/2025.",
    "RpRp 5 ... Rp.. 6, Rp.\t7 persen, H2 dan 3.4.5 serta Rp", "tanpa angka sama sekali", "",
])
def test_numbers_found_from_the_digits_as_the_pattern_finds_them(text):
    """The matches read from the digits of the text (and an "Rp" before them) are the unit pattern's own,
    on invented sentences and on random runs of digits, separators, "Rp" and unit words."""
    import random

    from kg.numbers import _UNIT_RE, _unit_matches

    def spans(matches):
        return [(m.span(), m.groupdict()) for m in matches]

    assert spans(_unit_matches(text)) == spans(_UNIT_RE.finditer(text))
    pieces = list("0123456789.,Rp \t\n%/x") + ["Rp", "Rp.", "rP ", " juta", " persen", "\u00a0", "\u0663"]
    rng = random.Random(text)
    for _ in range(2000):
        t = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert spans(_unit_matches(t)) == spans(_UNIT_RE.finditer(t)), t


def test_numbers_next_digit_is_where_the_engine_finds_one():
    """_next_digit gives, at every position of a text, where the engine finds the next \\d (-1 when none): on
    random ASCII texts (read as bytes) and texts holding digits and spaces outside ASCII (read by the engine)."""
    import random
    import re

    from kg.numbers import _next_digit

    pieces = list("0123456789.,Rp \t\n%/x0") + ["\u00a0", "\u0663", "\uff11", "\u00b2"]
    rng = random.Random(7)
    for n in range(3000):
        t = "".join(rng.choice(pieces[:-4] if n % 2 else pieces) for _ in range(rng.randint(0, 15)))
        found = _next_digit(t)
        for pos in range(len(t) + 2):
            d = re.compile(r"\d").search(t, pos)
            assert found(pos) == (d.start() if d else -1), (t, pos)
