"""Parse Indonesian numbers: "163.342" (thousands dot), "99,4" (decimal comma), "Rp 2,5 miliar"."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, localcontext

NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?|\d+\.\d{1,2}(?!\d)"
MULTIPLIERS = {"ribu": 10**3, "juta": 10**6, "miliar": 10**9, "milyar": 10**9, "triliun": 10**12}

_NUMBER_RE = re.compile(rf"(?<![\d.,])(?:{NUMBER})(?![\d])")
_UNIT_RE = re.compile(
    rf"(?P<rp>Rp\.?\s*)?(?P<num>{NUMBER})(?![\d])\s*(?P<mult>ribu|juta|miliar|milyar|triliun)?\s*"
    r"(?P<unit>persen|%|jiwa|orang|peserta|kasus|pekerja)?", re.IGNORECASE)


# the forms parse_number reads: thousands dots (and a decimal comma), a decimal comma, digits (and a decimal point)
_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_DECIMAL_COMMA = re.compile(r"\d+,\d+")
_PLAIN = re.compile(r"\d+(?:\.\d+)?")

MAX_DIGITS = 30   # more digits than any count or sum of rupiah: a code or a run of digits, not a figure


@dataclass(frozen=True)
class NumberMention:
    start: int
    end: int
    value: Decimal | int   # exact: an int for a whole number written without decimals, else a Decimal
    unit: str  # "persen" | "jiwa" | "rupiah" | "kasus" | "" (a bare number)


def parse_number(text: str) -> int | Decimal:
    """Return the exact value of an Indonesian-written number: "163.342" -> 163342, "98,87" -> Decimal("98.87").

    Decimals keep their digits (never a float's rounding: "12.345.678.901.234.567" is exact); trailing zeros
    after the decimal point are dropped, one kept ("100,00" -> Decimal("100.0")). A number of more than
    MAX_DIGITS digits raises ValueError, as does anything but digits and separators."""
    t = text.strip()
    if _GROUPED.fullmatch(t):
        t = t.replace(".", "").replace(",", ".")
    elif _DECIMAL_COMMA.fullmatch(t):
        t = t.replace(",", ".")
    elif not _PLAIN.fullmatch(t):
        raise ValueError(f"not a number: {text!r}")
    if len(t) > MAX_DIGITS and sum(c.isdigit() for c in t) > MAX_DIGITS:   # (never more digits than characters)
        raise ValueError(f"not a figure: {len(t)} digits")
    if "." not in t:
        return int(t)
    whole, fraction = t.split(".")
    return Decimal(f"{whole}.{fraction.rstrip('0') or '0'}")


def _normal(value: Decimal | int) -> Decimal | int:
    """A whole value as an int ("2,5 miliar" -> 2500000000), else the Decimal as parse_number writes it."""
    if isinstance(value, int) or value == value.to_integral_value():
        return int(value)
    whole, fraction = format(value, "f").split(".")
    return Decimal(f"{whole}.{fraction.rstrip('0') or '0'}")


_DIGIT = re.compile(r"\d")
_ZEROS = bytes.maketrans(b"123456789", b"000000000")


def _next_digit(text: str) -> Callable[[int], int]:
    """A function giving where the first digit (\\d) at or after a position stands in TEXT, -1 when none does. In an
    ASCII text, a byte search in a copy of it whose digits are all written "0" (made once, in C); else the engine's
    scan for \\d, which tests each character against the class (measured on the dev articles: ~40 instructions per
    character read)."""
    if not text.isascii():
        return lambda pos: d.start() if (d := _DIGIT.search(text, pos)) is not None else -1
    zeros = text.encode("ascii").translate(_ZEROS)
    return lambda pos: zeros.find(b"0", pos)


_RP = re.compile(r"Rp\.?\s*", re.IGNORECASE)
_RP_LAST = "pP."   # the characters _RP's text before its white space can end with


def _unit_matches(text: str):
    """The matches of _UNIT_RE.finditer(TEXT), found from the digits of TEXT. _UNIT_RE opens with an optional
    "Rp", so the engine would try it at every character. Every match holds a number, and only "Rp", a dot and
    white space come before the number: its first digit is the first digit at or after where the match starts.
    So the next digit (_next_digit) gives the one place the next match can start: the "Rp" written before that
    digit, if any, else the digit."""
    pos = 0
    next_digit = _next_digit(text)
    while (start := next_digit(pos)) >= 0:
        w = start
        while w > pos and text[w - 1].isspace():
            w -= 1
        # "Rp" stands before the number only when the last character before its white space closes "Rp" or "Rp."
        rp = next((q for q in (w - 3, w - 2) if q >= pos and _RP.fullmatch(text, q, start)), start) \
            if w > pos and text[w - 1] in _RP_LAST else start
        m = _UNIT_RE.match(text, rp)
        if m is None:   # cannot happen (a number matches at any digit); read on as finditer would
            pos = start + 1
            continue
        yield m
        pos = m.end()


_UNIT_NAMES = {"%": "persen", "orang": "jiwa", "peserta": "jiwa", "pekerja": "jiwa"}   # a unit written -> its name


def find_numbers(text: str) -> list[NumberMention]:
    """Return the numbers in TEXT with the unit written after them (or "rupiah" after Rp)."""
    out = []
    for m in _unit_matches(text):
        if m.start() > 0 and (text[m.start() - 1] in ".,/" or text[m.start() - 1].isalnum()):
            continue   # part of a longer token: "H2", "3/4", "1.2.3"
        try:
            value = parse_number(m["num"])
        except ValueError:
            continue   # a run of digits too long to be a figure
        if m["mult"]:
            with localcontext(prec=2 * MAX_DIGITS):   # exact: the default context keeps 28 digits
                value = _normal(value * MULTIPLIERS[m["mult"].lower()])
        unit = (m["unit"] or "").lower()
        unit = _UNIT_NAMES.get(unit, unit)
        if m["rp"]:
            unit = "rupiah"
        end = m.end("unit") if m["unit"] else (m.end("mult") if m["mult"] else m.end("num"))
        out.append(NumberMention(m.start(), end, value, unit))
    return out
