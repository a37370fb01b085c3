"""Load the lexicons in kg/lexicons/ (data files, not code) into one Lexicon object."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from .errors import LexiconError

LEXICON_DIR = Path(str(resources.files("kg") / "lexicons"))


@dataclass(frozen=True)
class Province:
    code: str        # "35"
    name: str        # name in the source ("Daerah Khusus Ibukota Jakarta")
    label: str       # preferred label ("DKI Jakarta")
    qid: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Regency:
    code: str          # "3572"
    province: str      # "35"
    kind: str          # "kota" | "kabupaten"
    name: str          # "Blitar"
    qid: str
    official_name: str  # "Kota Blitar", "Kota Administrasi Jakarta Barat"

    @property
    def label(self) -> str:
        return self.official_name if "Administrasi" in self.official_name else \
            f"{'Kota' if self.kind == 'kota' else 'Kabupaten'} {self.name}"


@dataclass(frozen=True)
class Agency:
    key: str
    label: str
    aliases: tuple[str, ...]
    parent: str


@dataclass(frozen=True)
class Ministry:
    portfolio: str                 # "Kesehatan"
    ministry_aliases: tuple[str, ...]
    minister_aliases: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"Kementerian {self.portfolio}"


@dataclass(frozen=True)
class Office:
    form: str       # as written: "Walkot"
    office: str     # written out: "Wali Kota"
    attaches: str   # kota | kabupaten | provinsi | localgov | agency[:unit] | minister | none


@dataclass(frozen=True)
class AwardFamily:
    family: str
    pattern: re.Pattern
    grades: tuple[str, ...]
    needs: re.Pattern | None   # the mention must contain this to name an award ("UHC" alone is a status)


@dataclass(frozen=True)
class AgreementKind:
    pattern: re.Pattern
    kind: str
    short: str


@dataclass(frozen=True)
class Indicator:
    indicator: str
    unit: str
    cue: re.Pattern


@dataclass(frozen=True, eq=False)   # hashed by identity: caches key on the loaded lexicon
class Lexicon:
    provinces: dict[str, Province]
    regencies: dict[str, Regency]
    place_aliases: dict[str, str]              # alias -> regency code
    bare_place_stoplist: frozenset[str]
    place_blockers: frozenset[str]
    agencies: dict[str, Agency]
    ministries: tuple[Ministry, ...]
    offices: tuple[Office, ...]
    office_modifiers: dict[str, str]
    prefix_titles: frozenset[str]
    suffix_titles: frozenset[str]
    unit_abbreviations: dict[str, str]
    agency_heads: dict[str, str]              # head -> scope
    awards: tuple[AwardFamily, ...]
    award_words: dict[str, frozenset[str]]    # kind -> words
    agreements: tuple[AgreementKind, ...]
    indicators: tuple[Indicator, ...]
    measurement_blockers: tuple[str, ...]
    clutter: tuple[re.Pattern, ...]
    months: dict[str, int]
    speech_after: frozenset[str]
    speech_before: frozenset[str]
    office_words: dict[str, frozenset[str]] = None   # kind (link | division) -> words; office_words.txt
    measurement_words: dict[str, frozenset[str]] = None   # kind -> words; measurement_words.tsv


def _rows(name: str, directory: Path) -> list[list[str]]:
    """Return the rows of a lexicon file: '#' lines dropped, first remaining row is the header."""
    path = directory / name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LexiconError(f"{path}: cannot read lexicon ({exc.strerror})") from exc
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    delimiter = "," if name.endswith(".csv") else "\t"
    rows = list(csv.reader(lines, delimiter=delimiter))
    return rows


def _table(name: str, directory: Path, columns: int) -> list[list[str]]:
    rows = _rows(name, directory)
    header, body = rows[0], rows[1:]
    out = []
    for i, row in enumerate(body, start=2):
        row = row + [""] * (columns - len(row))
        if len(row) > columns:
            raise LexiconError(f"{directory / name}: row {i} has {len(row)} columns, expected {columns} ({header})")
        out.append([c.strip() for c in row])
    return out


def _lines(name: str, directory: Path) -> list[str]:
    path = directory / name
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.startswith("#")]


def _split(cell: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in cell.split("|") if a.strip())


def _compile(pattern: str, where: str, flags: int = 0) -> re.Pattern:
    try:
        return re.compile(pattern, flags)
    except re.error as exc:
        raise LexiconError(f"{where}: bad pattern {pattern!r}: {exc}") from exc


@cache
def load_lexicon(directory: Path = LEXICON_DIR) -> Lexicon:
    """Return the Lexicon read from DIRECTORY (read once per process)."""
    d = Path(directory)
    aliases = {r[0]: r for r in _table("province_aliases.tsv", d, 3)}
    provinces = {}
    for code, name, qid in _table("provinces.csv", d, 3):
        extra = aliases.get(code, [code, name, ""])
        provinces[code] = Province(code, name, extra[1] or name, qid, _split(extra[2]) + (name,))
    regencies = {}
    for code, prov, kind, name, qid, _dotted, official in _table("regencies.csv", d, 7):
        regencies[code] = Regency(code, prov, kind, name, qid, official)
    agencies = {k: Agency(k, label, _split(al), parent)
                for k, label, al, parent in _table("agencies.tsv", d, 4)}
    titles = [ln.split("\t") for ln in _lines("titles.txt", d)]
    speech = [ln.split("\t") for ln in _lines("speech_verbs.txt", d)]
    return Lexicon(
        provinces=provinces,
        regencies=regencies,
        place_aliases={alias: code for code, alias in _table("place_aliases.tsv", d, 2)},
        bare_place_stoplist=frozenset(_lines("bare_place_stoplist.txt", d)),
        place_blockers=frozenset(_lines("place_blockers.txt", d)),
        agencies=agencies,
        ministries=tuple(Ministry(p, _split(ma), _split(mi))
                         for p, ma, mi in _table("ministries.tsv", d, 3)),
        offices=tuple(Office(*row) for row in _table("positions.tsv", d, 3)),
        office_modifiers=dict(_table("office_modifiers.tsv", d, 2)),
        prefix_titles=frozenset(t[1] for t in titles if t[0] == "prefix"),
        suffix_titles=frozenset(t[1] for t in titles if t[0] == "suffix"),
        unit_abbreviations=dict(_table("unit_abbreviations.tsv", d, 2)),
        agency_heads=dict(_table("agency_heads.tsv", d, 2)),
        awards=tuple(AwardFamily(f, _compile(p, f"awards.tsv:{f}"), _split(g),
                                 _compile(n, f"awards.tsv:{f}") if n else None)
                     for f, p, g, n in _table("awards.tsv", d, 4)),
        award_words=_words_by_kind("award_words.tsv", d),
        agreements=tuple(AgreementKind(_compile(p, "agreements.tsv"), k, s)
                         for p, k, s in _table("agreements.tsv", d, 3)),
        indicators=tuple(Indicator(i, u, _compile(c, f"indicators.tsv:{i}", re.IGNORECASE))
                         for i, u, c in _table("indicators.tsv", d, 3)),
        measurement_blockers=tuple(_lines("measurement_blockers.txt", d)),
        clutter=tuple(_compile(p, "clutter.txt", re.IGNORECASE) for p in _lines("clutter.txt", d)),
        months={form.casefold(): int(m) for form, m in _table("months.tsv", d, 2)},
        speech_after=frozenset(s[1] for s in speech if s[0] == "after"),
        speech_before=frozenset(s[1] for s in speech if s[0] == "before"),
        office_words=_kinds("office_words.txt", d),
        measurement_words=_words_by_kind("measurement_words.tsv", d, MEASUREMENT_KINDS),
    )


# the kinds of measurement_words.tsv (its header says what each does; kg/relations/measurements.py reads them)
MEASUREMENT_KINDS = ("figure_anaphor", "figure_connective", "figure_pronoun", "data_back", "time_anaphor", "as_of",
                     "as_of_noun", "as_of_month", "persons_after", "points_after", "claims_after", "own_source",
                     "score_noun", "score_before", "score_named", "score_lead", "own_area", "apposition", "not_yet",
                     "national")


def _words_by_kind(name: str, directory: Path, kinds: tuple[str, ...] = ()) -> dict[str, frozenset[str]]:
    """A "word<TAB>kind" table (award_words.tsv, measurement_words.tsv) as {kind: words}; with KINDS, a row of
    another kind is an error naming the file and row."""
    out: dict[str, set[str]] = {}
    for i, (word, kind) in enumerate(_table(name, directory, 2), start=2):
        if kinds and kind not in kinds:
            raise LexiconError(f"{directory / name}: row {i}: unknown kind {kind!r}; expected one of {', '.join(kinds)}")
        out.setdefault(kind, set()).add(word)
    return {k: frozenset(v) for k, v in out.items()}


def _kinds(name: str, directory: Path) -> dict[str, frozenset[str]]:
    """A "kind<TAB>words" list as {kind: words}."""
    out: dict[str, set[str]] = {}
    for ln in _lines(name, directory):
        kind, _, words = ln.partition("\t")
        out.setdefault(kind.strip(), set()).add(words.strip())
    return {k: frozenset(v) for k, v in out.items()}
