"""Find and parse Indonesian dates: "Senin, (17/11/2025)", "1 November 2025", "per Agustus 2024", "kemarin"."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from .lexicon import Lexicon
from .textutil import Cues, alternation


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    value: date
    precision: str  # "day" | "month" (a month is written as its first day, ANNOTATION.md)


# "Nomor 12/3/2025", "No. 100.3/12/2025": what follows is a number, even when it reads like a date
DECREE_NUMBER = re.compile(r"\b(?:Nomor|Nomer|No)\.?\s*:?\s*[\w./-]*$", re.IGNORECASE)


@cache
def _patterns(months: tuple[str, ...]) -> list[tuple[str, re.Pattern]]:
    # the month names are casefolded (lexicon.months): as a trie, one branch at most fits under IGNORECASE
    month = alternation(m.casefold() for m in months)
    # "(?=[...])\b": the letters a match can open with, looked at before the word boundary. Read ignoring case, a
    # pattern opening with a word boundary is tried in full at every character; one opening with a class of
    # letters only where such a letter stands (the same matches: the class is read ignoring case too)
    firsts = "".join(sorted({re.escape(m.casefold()[0]) for m in months if m}))
    opens = rf"(?=[{firsts}])\b" if firsts else r"\b"
    return [
        # "\d(?<!\w\d)": a digit not after a word character, checked after it so that the engine looks only at
        # digits (the same as a word boundary, or a look-behind, before it)
        ("iso", re.compile(r"(\d(?<!\w\d)\d{3})-(\d{2})-(\d{2})\b")),
        ("dmy", re.compile(rf"(\d(?<!\w\d)\d?)\s+({month})\.?,?\s+(\d{{4}})\b", re.IGNORECASE)),
        ("slash", re.compile(r"(\d(?<![\d/]\d)\d?)/(\d{1,2})/(\d{4}|\d{2})(?![\d/])")),
        ("slash_short", re.compile(r"\(\s*(\d{1,2})/(\d{1,2})\s*\)")),
        ("end_of_year", re.compile(r"(?=a)\bakhir\s+(?:tahun\s+)?(\d{4})\b", re.IGNORECASE)),
        # "hingga akhir Desember 2025": the month's last day
        ("end_of_month", re.compile(rf"(?=a)\bakhir\s+(?:bulan\s+)?({month})\.?\s+(\d{{4}})\b", re.IGNORECASE)),
        ("my", re.compile(rf"{opens}({month})\.?\s+(\d{{4}})\b", re.IGNORECASE)),
        # "sampai dengan Desember", "per akhir Juni": an as-of month without a year is the latest such month
        # not after the publication date
        ("as_of_month", re.compile(
            rf"(?=[phs])\b(?:per|hingga|sampai(?:\s+dengan)?|s\.\s?d\.?|s/d)\s+"
            rf"(?P<date>(?P<end>akhir\s+(?:bulan\s+)?)?({month}))\b(?!\.?\s*\d)", re.IGNORECASE)),
        ("yesterday", re.compile(r"(?=k)\bkemarin\b", re.IGNORECASE)),
        ("today", re.compile(r"(?=h)\bhari\s+ini\b", re.IGNORECASE)),
    ]


@cache
def _lower_case_patterns(months: tuple[str, ...]) -> dict[str, re.Pattern]:
    """The kinds of _patterns read ignoring case, for an ASCII text put in lower case: written in lower case and
    read as written, they find the same spans there (the groups in lower case), and the engine jumps to the
    first letters of a word ("akhir(?<!\\wakhir)": "akhir" not after a word character), which it cannot do for a
    pattern read ignoring case."""
    written = dict(_patterns(months))
    out = {kind: re.compile(p.pattern) for kind, p in written.items() if p.flags & re.IGNORECASE}
    month = alternation(m.casefold() for m in months)
    out.update({
        "end_of_year": re.compile(r"akhir(?<!\wakhir)\s+(?:tahun\s+)?(\d{4})\b"),
        "end_of_month": re.compile(rf"akhir(?<!\wakhir)\s+(?:bulan\s+)?({month})\.?\s+(\d{{4}})\b"),
        "yesterday": re.compile(r"kemarin(?<!\wkemarin)\b"),
        "today": re.compile(r"hari(?<!\whari)\s+ini\b"),
    })
    return out


# the kinds whose first letters are common ones (any month's; "p", "h", "s"), so that the engine tries them at most
# letters of a text: tried only where their opening words stand (textutil.Cues, in the text in lower case), with
# the same matches (measured: "my" and "as_of_month" 0.11 -> 0.06 ms per dev article; the others, opening with a
# digit or a rare word, are read as fast by the engine)
_LOCATED = {"my", "as_of_month"}
# a text this long or shorter (a dateline's) is read by the engine for them: looking for their twenty opening words
# costs more there than reading it (measured: find_dates on a dateline, 42 -> 32 us)
_LOCATED_FROM = 200
# a character every match of a kind of date holds ("2025-11-17", "17/11/2025", "(27/1)")
_NEEDS = {"iso": "-", "slash": "/", "slash_short": "/"}
# a word every match of a kind of date holds, in some case ("Akhir Tahun 2025"); None: one of the month names
_NEEDS_WORD = {"end_of_year": ("akhir",), "end_of_month": ("akhir",), "yesterday": ("kemarin",), "today": ("hari",),
               "my": None, "as_of_month": None}
# the ASCII characters that "\s" matches only as Unicode white space: a text holding none of them, and nothing but
# ASCII, is read by the patterns compiled for ASCII (_ascii_patterns) with the same matches
_UNICODE_ONLY_SPACE = "\x1c\x1d\x1e\x1f"
# the letters other than A-Z and a-z that a pattern read ignoring case takes for one of them ("ı" for "i"): in a
# text holding one, the lower-cased text may lack a word the pattern finds
_ODD_CASE = "\u0130\u0131\u017f\u212a"


@cache
def _ascii_patterns(months: tuple[str, ...]) -> dict[str, re.Pattern]:
    r"""The kinds of _patterns read as written (not ignoring case), for a text of ASCII characters other than
    _UNICODE_ONLY_SPACE: compiled for ASCII, so that "\d", "\w" and "\s" are told by a table rather than by looking
    the character up in Unicode's (the engine finds the digits a date opens with faster), with the same matches there.
    Those read ignoring case are in lower case (_lower_case_patterns) for such a text, and compiled so too."""
    lower_case = _lower_case_patterns(months)
    out = {}
    for kind, pattern in _patterns(months):
        pattern = lower_case.get(kind, pattern)
        if not pattern.flags & re.IGNORECASE:
            out[kind] = re.compile(pattern.pattern, (pattern.flags & ~re.UNICODE) | re.ASCII)
    return out


@cache
def _month_words(months: tuple[str, ...]) -> tuple[bool, tuple[str, ...]]:
    """Whether the month names MONTHS are all ASCII, and the names in lower case (found once per list of names)."""
    return all(m.isascii() for m in months), tuple(m.lower() for m in months)


def _words_absent(text: str, months) -> set[str]:
    """The kinds of date of _NEEDS_WORD whose words TEXT lacks in any case (each then finds nothing there)."""
    # (four str.find scans: a class of characters outside ASCII is tested character by character by the engine)
    ascii_months, lower_months = _month_words(tuple(months))
    if not text.isascii() and any(c in text for c in _ODD_CASE) or not ascii_months:
        return set()
    lowered = text.lower()
    month_written = any(m in lowered for m in lower_months)
    return {kind for kind, words in _NEEDS_WORD.items()
            if not (month_written if words is None else any(w in lowered for w in words))}


def _year(text: str) -> int:
    y = int(text)
    return y + 2000 if y < 100 else y


def _resolve_short(day: int, month: int, reference: date | None) -> date | None:
    """A day without a year ("(27/1)") is the latest such day not after the publication date."""
    if reference is None:
        return None
    for year in (reference.year, reference.year - 1):
        try:
            d = date(year, month, day)
        except ValueError:
            return None
        if d <= reference:
            return d
    return None


def _last_day(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def _latest_month(month: int, reference: date, end: bool) -> tuple[date, str]:
    """The month MONTH of the publication year, or of the year before when it lies after the publication;
    its first day (ANNOTATION.md: a month is written as its first day), or its last day after "akhir"."""
    year = reference.year if month <= reference.month else reference.year - 1
    return (_last_day(year, month), "day") if end else (date(year, month, 1), "month")


def find_dates(text: str, lexicon: Lexicon, reference: date | None = None) -> list[DateMention]:
    """Return the dates written in TEXT, in order; relative ones only when REFERENCE is known."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    months = lexicon.months
    names = tuple(months)
    absent = _words_absent(text, months)
    # an ASCII text is read in lower case by the kinds read ignoring case (see _lower_case_patterns)
    lowered = text.lower() if text.isascii() and _month_words(names)[0] else None
    lower_case = _lower_case_patterns(names) if lowered is not None else {}
    ascii_patterns = _ascii_patterns(names) if lowered is not None and not any(
        c in text for c in _UNICODE_ONLY_SPACE) else {}
    cues = None
    for kind, pattern in _patterns(names):
        if kind in _NEEDS and _NEEDS[kind] not in text or kind in absent:
            continue   # the pattern cannot match without this character or word: skip reading the text for it
        if kind in lower_case:
            pattern = ascii_patterns.get(kind) or lower_case[kind]
            if kind in _LOCATED and len(lowered) > _LOCATED_FROM:
                if cues is None:
                    cues = Cues(lowered)   # where the month names and the other opening words stand, found once
                matches = cues.finditer(pattern)
            else:
                matches = pattern.finditer(lowered)
        else:
            matches = (ascii_patterns.get(kind) or pattern).finditer(text)
        for m in matches:
            start, end = m.span("date") if "date" in pattern.groupindex else m.span()
            if any(start < e and s < end for s, e in taken):
                continue
            if kind in ("slash", "iso") and DECREE_NUMBER.search(text, max(0, start - 40), start):
                continue   # "Keputusan Nomor 12/3/2025": a decree's number, not a date
            value, precision = None, "day"
            try:
                if kind == "iso":
                    value = date(int(m[1]), int(m[2]), int(m[3]))
                elif kind == "dmy":
                    value = date(int(m[3]), months[m[2].casefold()], int(m[1]))
                elif kind == "slash":
                    value = date(_year(m[3]), int(m[2]), int(m[1]))
                elif kind == "slash_short":
                    value = _resolve_short(int(m[1]), int(m[2]), reference)
                elif kind == "end_of_year":
                    value = date(int(m[1]), 12, 31)
                elif kind == "end_of_month":
                    value = _last_day(int(m[2]), months[m[1].casefold()])
                elif kind == "as_of_month" and reference:
                    value, precision = _latest_month(months[m[3].casefold()], reference, bool(m["end"]))
                elif kind == "my":
                    value, precision = date(int(m[2]), months[m[1].casefold()], 1), "month"
                elif kind == "yesterday" and reference:
                    value = reference - timedelta(days=1)
                elif kind == "today" and reference:
                    value = reference
            except (ValueError, KeyError):
                value = None
            if value is not None and 1900 <= value.year <= 2100:
                found.append(DateMention(start, end, value, precision))
                taken.append((start, end))
    return sorted(found, key=lambda d: d.start)


def parse_date(text: str, lexicon: Lexicon, reference: date | None = None) -> date | None:
    """Return the first date written in TEXT, or None."""
    found = find_dates(text, lexicon, reference)
    return found[0].value if found else None
