"""Parse Indonesian numbers: "163.342" (thousands dot), "99,4" (decimal comma), "Rp 2,5 miliar"."""
from __future__ import annotations

import re
from dataclasses import dataclass

NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?|\d+\.\d{1,2}(?!\d)"
MULTIPLIERS = {"ribu": 10**3, "juta": 10**6, "miliar": 10**9, "milyar": 10**9, "triliun": 10**12}

_NUMBER_RE = re.compile(rf"(?<![\d.,])(?:{NUMBER})(?![\d])")
_UNIT_RE = re.compile(
    rf"(?P<rp>Rp\.?\s*)?(?P<num>{NUMBER})(?![\d])\s*(?P<mult>ribu|juta|miliar|milyar|triliun)?\s*"
    r"(?P<unit>persen|%|jiwa|orang|peserta|kasus|pekerja)?", re.IGNORECASE)


@dataclass(frozen=True)
class NumberMention:
    start: int
    end: int
    value: float | int
    unit: str  # "persen" | "jiwa" | "rupiah" | "kasus" | "" (a bare number)


def parse_number(text: str) -> int | float:
    """Return the value of an Indonesian-written number: "163.342" -> 163342, "98,87" -> 98.87."""
    t = text.strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", t):
        t = t.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d+,\d+", t):
        t = t.replace(",", ".")
    elif not re.fullmatch(r"\d+(?:\.\d+)?", t):
        raise ValueError(f"not a number: {text!r}")
    value = float(t)
    return int(value) if value.is_integer() and "." not in t else value


def _normal(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def find_numbers(text: str) -> list[NumberMention]:
    """Return the numbers in TEXT with the unit written after them (or "rupiah" after Rp)."""
    out = []
    for m in _UNIT_RE.finditer(text):
        if m.start() > 0 and (text[m.start() - 1] in ".,/" or text[m.start() - 1].isalnum()):
            continue   # part of a longer token: "H2", "3/4", "1.2.3"
        value = parse_number(m["num"])
        if m["mult"]:
            value = _normal(value * MULTIPLIERS[m["mult"].lower()])
        unit = (m["unit"] or "").lower()
        unit = {"%": "persen", "orang": "jiwa", "peserta": "jiwa", "pekerja": "jiwa"}.get(unit, unit)
        if m["rp"]:
            unit = "rupiah"
        end = m.end("unit") if m["unit"] else (m.end("mult") if m["mult"] else m.end("num"))
        out.append(NumberMention(m.start(), end, value, unit))
    return out
