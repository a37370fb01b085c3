"""Measurements: exact figures about an area with indicator and as-of date
(ANNOTATION.md "measurements")."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache

from ..dates import DateMention
from ..errors import LexiconError
from ..lexicon import MEASUREMENT_KINDS, Lexicon
from ..mentions import Mention
from ..numbers import NumberMention, find_numbers
from ..sentences import Sentence
from ..textutil import alternation, required_lower_texts
from .context import Context, area_key_of_body, area_of
from .lists import coordinated, line_items, list_words

# "Nomor 800.1.1.3/...": a number inside a code
CODE_BEFORE = re.compile(r"\b(?:Nomor|No|Nomer)\.?\s*:?\s*$")
CODE_AFTER = re.compile(r"[./]\d+[./]")
# "98.5%": a decimal point the number reader split off
DECIMAL_POINT_PERCENT = re.compile(r"\.(\d{1,2})\s*(?:%|persen\b)", re.IGNORECASE)
# "88,00 hingga 100", "80-85 persen": a range is not an exact figure
RANGE_AFTER = re.compile(r"\s*(?:persen|%)?\s*(?:hingga|sampai|s\.d\.?|s/d|-|–)\s*\d")
# a kota/kabupaten/province the text names but the gazetteer did not find: its figure has no known area
UNKNOWN_AREA = re.compile(r"\b(?:Kabupaten|Kota|Provinsi|Kab\.)\s+[A-Z]")
# "provinsi ini", "kabupaten pesisir itu", "kota tersebut": an area named in an earlier sentence
AREA_ANAPHOR = re.compile(r"\b(provinsi|kabupaten|kota|daerah|wilayah)\b(?:\s+[a-z]+){0,2}?\s+(?:ini|itu|tersebut)\b",
                          re.IGNORECASE)


@cache
def measurement_patterns(lex: Lexicon) -> dict[str, re.Pattern]:
    """The patterns of measurement sentences, built from measurement_words.tsv (its header says what each kind
    of word does) once per lexicon."""
    w = lex.measurement_words or {}   # its kinds checked by the loader (lexicon.MEASUREMENT_KINDS)
    a = {k: alternation(w.get(k, ()), ignore_case=k not in ("apposition", "national")) or "(?!)"
         for k in MEASUREMENT_KINDS}
    i = re.IGNORECASE
    return {
        "figure_anaphor": re.compile(rf"(?:{a['figure_anaphor']})\b", i),
        "figure_connective": re.compile(rf"(?:{a['figure_connective']})\b", i),
        "figure_pronoun": re.compile(rf"\b(?:{a['figure_pronoun']})\b", i),
        "data_back": re.compile(rf"(?:{a['data_back']})\b", i),
        "time_anaphor": re.compile(rf"\b(?:{a['time_anaphor']})\b", i),
        "as_of": re.compile(rf"\b(?:{a['as_of']})-?\s*(?:(?:{a['as_of_noun']})\s+)?$", i),
        "as_of_month": re.compile(rf"\b(?:{a['as_of_month']})\s+(?:bulan\s+)?$", i),
        "persons_after": re.compile(rf"\s*(?:{a['persons_after']})\b", i),
        "points_after": re.compile(rf"\s*(?:{a['points_after']})\b", i),
        "claims_after": re.compile(rf"\s*(?:{a['claims_after']})\b", i),
        "own_source": re.compile(rf"\b(?:{a['own_source']})\b", i),
        "score_before": re.compile(rf"(?:\b(?:{a['score_noun']})(?:\s+[a-z]+){{0,2}}\s*|\(\s*|\b(?:{a['score_before']})\s+"
                                   rf"|^\s*(?:\d+\.\s*)?[^:\d]{{3,60}}:\s*)$", i),
        "score_named": re.compile(rf"\b(?:{a['score_named']})\b", i),
        "score_lead": re.compile(rf"\b(?:{a['score_lead']})\s*$", i),
        "own_area": re.compile(rf"\b(?:{a['own_area']})\b", i),
        "apposition": re.compile(rf",\s*(?:{a['apposition']})\b[^,]*$"),
        "not_yet": re.compile(rf"\s*(?:[\w-]+\s+){{0,4}}?(?:yang\s+)?(?:{a['not_yet']})\b", i),
        "national": re.compile(rf"\s*(?:{a['national']})"),
    }


def _rx(r: Context, name: str) -> re.Pattern:
    return measurement_patterns(r.lex)[name]


DEFINITION = "definisi"   # indicators.tsv unit of a row that refines an indicator article-wide
EXCEPT = "kecuali"        # indicators.tsv unit of a row: indicators starting with its name are not read where its cue is


@dataclass(frozen=True)
class Figure:
    number: NumberMention
    unit: str
    group: int          # index of the area named last before it in the sentence (-1: none)
    indicator: str      # from the words of its own clause ("" when they name none)


@dataclass
class AsOfDates:
    """The as-of dates carried from sentence to sentence (ANNOTATION.md: a figure of a breakdown of a dated
    total takes its date; a figure in a later sentence on another topic does not)."""
    standing: DateMention | None = None   # a data statement without figures: "Data ... per 1 November 2025."
    standing_from: int = -1               # where the sentence that stated it starts
    previous: DateMention | None = None   # the date the figures of the sentence before took
    continued: DateMention | None = None  # the date the current sentence took over from the one before
    starts: list[int] = field(default_factory=list)   # where the article's dates start

    def for_sentence(self, r: Context, s: Sentence, previous: Sentence | None, refers_back: bool
                     ) -> tuple[DateMention | None, DateMention | None]:
        """(the as-of date written in S, the date S's figures take)."""
        if previous is not None and "\n" in r.doc.text[previous.end:s.start] and self.standing is not None \
                and self.standing_from < _paragraph_start(r, previous) and not _paragraph_has(r, previous):
            self.standing = None   # a later paragraph without figures ends the data statement's reach
        own = as_of(r, s, self.starts)
        # "Dari jumlah itu, ...", "... kala itu": the time of the sentence before
        continued = self.previous if self.previous and (refers_back or r.holds(_rx(r, "time_anaphor"), s)) else None
        # "... tercatat per 1 Mei 2025." closing a sentence dates the figures of the next one
        ending = as_of(r, previous, self.starts, ending=True) if previous is not None else None
        self.continued = continued
        return own, own or continued or ending or self.standing

    def after_sentence(self, r: Context, s: Sentence, own: DateMention | None, keys: list[str],
                       previous_keys: list[str]) -> None:
        """Remember what S stated for the sentences after it."""
        if own and not keys and _rx(r, "data_back").match(s.text):
            for key in previous_keys:   # "Data itu per 1 Januari 2026." after the figures
                if not any(f.subject == key and f.predicate == "date" for f in r.out.facts):
                    r.fact(key, "date", own.value, own.start)
        elif own and not keys and as_of(r, s, self.starts, named_month=False):
            self.standing, self.standing_from = own, s.start
        elif own and keys:
            self.standing = None
        self.previous = own or self.continued or (self.standing if keys else None)


def read_measurements(r: Context) -> None:
    """ANNOTATION.md "measurements": exact figures about an area, never approximations or bounds."""
    places = area_mentions(r)
    starts = [m.start for m in places]
    refinements: dict[str, str] | None = None   # read from the article when a figure first needs it
    # a headline's figure that the body repeats is read in the body, where its area and words are
    numbers = find_numbers(r.doc.masked)
    number_starts = [n.start for n in numbers]
    title_end = len(r.doc.article.title or "")
    repeated = {n.value for n in numbers if n.start >= title_end} if title_end else set()
    dates = AsOfDates(starts=[d.start for d in r.dates])
    rounded: dict[str, float] = {}         # measurement key -> how far its written figure may be off
    previous: Sentence | None = None
    previous_area, previous_keys = "", []
    for s in r.doc.sentences:
        written = numbers[bisect.bisect_left(number_starts, s.start):bisect.bisect_left(number_starts, s.end)]
        # "Angka itu ...": the figure of the sentence before; "Adapun ...": the same area and time, and the
        # figure's own clause names its indicator when it names one
        anaphor = own_first = False
        if previous is not None and written:
            anaphor = bool(_rx(r, "figure_anaphor").match(s.text) or r.holds(_rx(r, "figure_pronoun"), s))
            own_first = not anaphor and bool(_rx(r, "figure_connective").match(s.text))
        refers_back = anaphor or own_first
        own, when = dates.for_sentence(r, s, previous, refers_back)
        before = r.doc.masked[previous.start:previous.end] if refers_back else ""
        found = [f for f in figures(r, s, written, places, starts, before)
                 if not (f.number.start < title_end and f.number.value in repeated)]
        dealt = respective_areas(r, s, found, places, starts)
        keys, areas = [], []
        for i, f in enumerate(found):
            name = (f.indicator if own_first or not before else "") or parallel(found, i)
            if not name:
                # a line of a list reads the line that introduces it ("Cakupan kepesertaan per daerah:")
                name = indicator(r, f.number, s, f.unit, before or list_lead(r, s),
                                 clause_first=own_first or not before)
            if not name:
                continue
            place = dealt.get(i) or area(r, f.number, s, places, starts, previous_area if refers_back else "")
            if not place:
                continue
            if refinements is None:
                refinements = definitions(r)
            key = measurement(r, place, refinements.get(name, name), f.number,
                              None if _own_source(r, s, f.number) else when)
            keys.append(key)
            areas.append(place)
            if rounding(r, f.number):
                rounded[key] = rounding(r, f.number)
        dates.after_sentence(r, s, own, keys, previous_keys)
        previous, previous_area, previous_keys = s, (areas[-1] if areas else ""), keys
    drop_rounded(r, rounded)


MULTIPLIER = re.compile(r"\d(?:[.,](\d+))?\s*(ribu|juta|miliar|milyar|triliun)\b", re.IGNORECASE)
POWERS = {"ribu": 3, "juta": 6, "miliar": 9, "milyar": 9, "triliun": 12}


def rounding(r: Context, n: NumberMention) -> float:
    """How far a figure written with ribu/juta/miliar may lie from the exact one ("71,5 miliar": 0.1
    miliar); 0 for a figure written out."""
    m = MULTIPLIER.search(r.doc.text[n.start:n.end])
    return 10.0 ** (POWERS[m[2].lower()] - len(m[1] or "")) if m else 0.0


def drop_rounded(r: Context, rounded: dict[str, float]) -> None:
    """ANNOTATION.md: "Rp 71,5 miliar" beside "Rp71.549.275.792" for the same area and indicator is the same
    quantity given less precisely; only the precise figure is kept."""
    values = {f.subject: f.object for f in r.out.facts if f.predicate == "value" and f.subject.startswith("measurement:")}
    drop = {key for key, step in rounded.items() if key in values and any(
        k != key and k.rsplit(":", 1)[0] == key.rsplit(":", 1)[0] and k not in rounded
        and abs(float(v) - float(values[key])) <= step for k, v in values.items())}
    if drop:
        for key in drop:
            del r.out.entities[key]
        r.out.facts[:] = [f for f in r.out.facts if f.subject not in drop]


def respective_areas(r: Context, s: Sentence, found: list[Figure], places: list[Mention],
                     starts: list[int]) -> dict[int, str]:
    """ "Kota A, Kota B, dan Kota C masing-masing 98,1 persen, 98,4 persen, dan 99,0 persen": the areas of a
    coordination (kg/relations/lists.py) dealt out in order to as many figures after "masing-masing"."""
    m = list_words().respectively.search(r.doc.masked, s.start, s.end) if len(found) > 1 else None
    if not m:
        return {}
    inside = places[bisect.bisect_left(starts, s.start):bisect.bisect_left(starts, m.start())]
    after = [i for i, f in enumerate(found) if f.number.start > m.end()]
    if not inside or not after:
        return {}
    items = [it for it in coordinated(r.doc, inside[-1], ("Municipality", "Agency", "Province")) if it.mention]
    if len(items) < 2 or len(items) != len(after):
        return {}
    keys = [area_of(it.mention.attr("parent") or it.mention.key) for it in items]
    if not all(k.startswith(("municipality:", "province:")) for k in keys):
        return {}
    return dict(zip(after, keys))


def list_lead(r: Context, s: Sentence) -> str:
    """The line introducing the line list (kg/relations/lists.py) that sentence S is an item of, or ""."""
    text = r.doc.masked
    if text[max(0, s.start - 1):s.start].strip() or text[s.end:s.end + 1].strip():
        return ""   # list items are whole lines
    items = line_items(r.doc, s.start)
    if not any(s.start <= it.end and it.start < s.end for it in items):
        # an unmarked item with blank lines around it: ask from the line ending in a colon above it
        end = text.rfind("\n", 0, s.start)
        for _ in range(40):
            if end <= 0:
                return ""
            start = text.rfind("\n", 0, end) + 1
            line = text[start:end].strip()
            if line.endswith(":"):
                items = line_items(r.doc, start)
                break
            if line and (line.endswith((".", "!", "?")) or len(line.split()) > 12):
                return ""
            end = start - 1
        if not any(s.start <= it.end and it.start < s.end for it in items):
            return ""
    head = text[:text.rfind("\n", 0, items[0].start) + 1].rstrip()
    return head[head.rfind("\n") + 1:]


def _paragraph_start(r: Context, s: Sentence) -> int:
    return r.doc.text.rfind("\n", 0, s.start) + 1


def _paragraph_has(r: Context, s: Sentence) -> bool:
    """Whether the paragraph ending with sentence S yielded a measurement."""
    start = _paragraph_start(r, s)
    return any(e.type == "Measurement" and any(start <= ev.start < s.end for ev in e.evidence)
               for e in r.out.entities.values())


def figures(r: Context, s: Sentence, numbers: list[NumberMention], places: list[Mention], starts: list[int],
            before: str = "") -> list[Figure]:
    """The figures of sentence S (NUMBERS: those written in it) that may be measurements, with the indicator
    their clause names."""
    out = []
    scored = False   # a figure before this one in S was a score
    for n in numbers:
        n = _written(r, n)
        if n is None or r.dates_holding(n.start):
            continue
        unit = n.unit or score_unit(r, n, s, before, scored)
        scored = scored or unit == "nilai"
        if not unit or blocked(r, n, s):
            continue
        i = bisect.bisect_left(starts, n.start) - 1
        group = i if i >= 0 and places[i].start >= s.start else -1
        out.append(Figure(n, unit, group, clause_indicator(r, n, s, unit)))
    return out


def _written(r: Context, n: NumberMention) -> NumberMention | None:
    """N read again where the number reader stops short: "98.5%" (a decimal point), "250.000 warga" (persons),
    "87,5 poin" (a score); None for a part of a code ("Nomor 800.1.1.3/...")."""
    text = r.doc.masked
    if CODE_BEFORE.search(text, max(0, n.start - 10), n.start) or CODE_AFTER.match(text, n.end):
        return None
    if n.unit in ("rupiah", "jiwa", "kasus") and isinstance(n.value, float) and abs(n.value - round(n.value)) < 0.01:
        # float arithmetic of the number reader: 535,526 x 10^9 is 535525999999.99994
        n = NumberMention(n.start, n.end, int(round(n.value)), n.unit)   # "Rp535,526 miliar": a whole sum
    if not n.unit and (m := DECIMAL_POINT_PERCENT.match(text, n.end)) and n.value == int(n.value):
        return NumberMention(n.start, m.end(), float(f"{n.value}.{m[1]}"), "persen")
    if not n.unit and (m := _rx(r, "persons_after").match(text, n.end)):
        return NumberMention(n.start, m.end(), n.value, "jiwa")
    if not n.unit and not _decimal_written(r, n) and (m := _rx(r, "claims_after").match(text, n.end)):
        return NumberMention(n.start, m.end(), n.value, "kasus")   # "2.310 klaim": claim cases
    if not n.unit and _decimal_written(r, n) and _rx(r, "points_after").match(text, n.end):
        return NumberMention(n.start, n.end, n.value, "nilai")
    return n


_DECIMALS = re.compile(r"\d,\d|^\d+\.\d{1,2}$")


def _decimal_written(r: Context, n: NumberMention) -> bool:
    """Whether N is written with decimals ("91,25", "91.25"), as scores are."""
    return bool(_DECIMALS.search(r.doc.text[n.start:n.end].strip()))


def parallel(found: list[Figure], i: int) -> str:
    """A list of areas with their figures in one order takes the indicators named for the first area:
    "Kota A dengan kepesertaan 99,1 persen dan keaktifan 80,2 persen, Kabupaten B 98,7 persen dan 81,0
    persen" reads B's figures as A's."""
    f = found[i]
    if f.group < 0:
        return ""
    mine = [g for g in found if g.group == f.group]
    k = mine.index(f)
    groups = sorted({g.group for g in found if g.group < f.group and g.group >= 0}, reverse=True)
    for other in groups:
        template = [g for g in found if g.group == other]
        if len(template) == len(mine) and all(t.indicator for t in template) \
                and [t.unit for t in template] == [g.unit for g in mine]:
            return template[k].indicator
    return ""


def area_mentions(r: Context) -> list[Mention]:
    """The mentions that name an area (a place, its government, a body of a local government), by start."""
    places = [m for m in r.mentions if m.label in ("Municipality", "Agency", "Province")
              and (area_of(m.key).startswith(("municipality:", "province:")) or m.attr("parent").startswith("localgov:"))]
    # a mention inside another one is part of that name ("Pemkab Bogor" in "Dinkes Pemkab Bogor"): one that
    # starts earlier and ends no earlier, or starts at the same place and ends later
    spans = sorted((m.start, m.end) for m in r.mentions)
    starts = [a for a, _ in spans]
    reach, longest = [], -1     # reach[i]: the furthest end among spans[:i + 1]
    for _, b in spans:
        longest = max(longest, b)
        reach.append(longest)
    def inside(m: Mention) -> bool:
        i = bisect.bisect_left(starts, m.start)
        if i and reach[i - 1] >= m.end:
            return True
        j = bisect.bisect_right(starts, m.start)
        return any(b > m.end for _, b in spans[i:j])
    return sorted((m for m in places if not inside(m)), key=lambda m: m.start)


def excluded(r: Context, s: Sentence, name: str) -> bool:
    """ "BPJS Ketenagakerjaan mencatat 45.000 peserta aktif": a JKN indicator is not read in a sentence about
    another scheme (indicators.tsv rows of unit kecuali)."""
    found = r.exceptions_in.get(s)   # the exception rows whose cue S holds, read once per sentence
    if found is None:
        lowered = _ascii_lower(s.text)
        found = r.exceptions_in[s] = tuple(ind.indicator for ind in _exceptions(r.lex)
                                           if _cue_in(ind.cue, s.text, lowered))
    return any(name.startswith(x) for x in found)


@cache
def _exceptions(lex: Lexicon) -> tuple:
    # keyed by the lexicon (hashed by identity): a key of the indicator rows would hash every row's cue pattern, and
    # hashing a pattern hashes its compiled code, at each sentence that asks
    return tuple(ind for ind in lex.indicators if ind.unit == EXCEPT)


def definitions(r: Context) -> dict[str, str]:
    """Indicators the article defines more narrowly: "keaktifan ... jumlah peserta aktif dibandingkan dengan
    jumlah penduduk" makes its active shares shares of the population (indicators.tsv rows of unit definisi)."""
    out = {}
    end = len(r.doc.masked)
    for ind in r.lex.indicators:   # (a cue the article lacks the words of is not read, one it holds read from them)
        if ind.unit == DEFINITION and ">" in ind.indicator and not r.lacks(ind.cue) and r.search(ind.cue, 0, end):
            general, narrow = ind.indicator.split(">", 1)
            out.setdefault(general.strip(), narrow.strip())
    return out


def as_of(r: Context, s: Sentence, starts: list[int], ending: bool = False, named_month: bool = True
          ) -> DateMention | None:
    """The as-of date written in S ("per 1 Mei 2025", "hingga akhir 2025"; with NAMED_MONTH also "pada
    Januari 2026", which dates only the figures beside it); with ENDING only one closing the sentence.
    STARTS: where the article's dates start."""
    for d in r.dates[bisect.bisect_left(starts, s.start):bisect.bisect_left(starts, s.end)]:
        if s.start <= d.start < s.end:
            before = r.doc.text[max(s.start, d.start - 20):d.start]
            month_named = named_month and d.precision == "month" and _rx(r, "as_of_month").search(before) and not ending
            if (_rx(r, "as_of").search(before) or month_named) and not _period_end(r, s, d):
                if not ending or s.end - d.end < 3:
                    return d
    return None


def _period_end(r: Context, s: Sentence, d: DateMention) -> bool:
    """ "terhitung Agustus 2025 hingga Juli 2026", "Januari hingga Agustus 2025": the start or end of a
    period, not the day a figure holds at."""
    if re.match(r"\s*(?:hingga|sampai|s\.d\.?|s/d|-|–)\s", r.doc.text[d.end:d.end + 10]):
        return True   # its start: "terhitung Agustus 2025 hingga Juli 2026"
    before = r.doc.text[max(s.start, d.start - 40):d.start]
    return bool(_period_start_rx(tuple(r.lex.months)).search(before))


@cache
def _period_start_rx(months: tuple[str, ...]) -> re.Pattern:
    """A month (and year) and "hingga" before a date: "Januari hingga Agustus 2025"."""
    alt = "|".join(sorted(map(re.escape, months), key=len, reverse=True))
    return re.compile(rf"\b(?:{alt})\.?(?:\s+\d{{4}})?\s+(?:hingga|sampai(?:\s+dengan)?|s\.d\.?|s/d|-|–)\s+$",
                      re.IGNORECASE)


def score_unit(r: Context, n: NumberMention, s: Sentence, earlier: str = "", scored: bool = False) -> str:
    """A score: "dengan nilai 98,17", "Pemkab Banyumas (96,98)", "Kota Kupang: 86,62", "nilai tertinggi
    dicatat Pemprov X, yakni 98,63"; with SCORED (a figure before N in S was a score), "..., dan Pemkab B 91,08"."""
    if not _decimal_written(r, n):
        return ""
    line_start = max(s.start, r.doc.masked.rfind("\n", 0, n.start) + 1)
    before = r.doc.masked[line_start:n.start]
    if _rx(r, "score_before").search(before[-70:]):
        return "nilai"
    # EARLIER: the sentence this one continues ("Sementara Pemkab X meraih 85,4")
    if _rx(r, "score_lead").search(before) and _rx(r, "score_named").search(earlier + " " + before):
        return "nilai"
    return "nilai" if scored and _gapped_score(r, n, s) else ""


_CONJOINED = re.compile(r"(?:,|\b(?:dan|serta))\s*$")


def _gapped_score(r: Context, n: NumberMention, s: Sentence) -> bool:
    """"Pemkab A memperoleh nilai 93,57 dan Pemkab B 91,08": a figure right after a place or government joined to
    the clause before (whose figure was a score, see score_unit) is a score too (the words said once are left
    out)."""
    words = r.doc.masked[max(s.start, n.start - 40):n.start].split()
    if not words or not words[-1][:1].isupper():
        return False   # (most figures follow a verb or a noun: no place's name right before them)
    place = next((m for m in reversed(r.starting_in(s.start, n.start)) if m.end <= n.start), None)
    if place is None or place.label not in ("Municipality", "Province", "Agency") \
            or r.doc.masked[place.end:n.start].strip():
        return False
    return bool(_CONJOINED.search(r.doc.masked, s.start, place.start))


def blocked(r: Context, n: NumberMention, s: Sentence) -> bool:
    """An approximation, a bound, a target, a range or a national total (ANNOTATION.md "measurements")."""
    before = r.doc.masked[s.start:n.start].lower().split()
    tail = " ".join(before[-3:])
    after = r.doc.masked[n.end:min(s.end, n.end + 40)].lower()
    words, in_sentence, in_clause = _blockers(r.lex.measurement_blockers)
    clause_start = _clause(r, s, n)[0]
    return bool(words.search(tail)) \
        or any(not r.lacks_in(p, s.start, n.start, blanked=False) and p.search(r.doc.text[s.start:n.start])
               for p in in_sentence) \
        or any(not r.lacks_in(p, clause_start, n.start, blanked=False) and p.search(r.doc.text[clause_start:n.start])
               for p in in_clause) \
        or bool(_rx(r, "national").match(after)) or bool(RANGE_AFTER.match(after)) \
        or bool(_rx(r, "not_yet").match(after))


@cache
def _blockers(lines: tuple[str, ...]) -> tuple[re.Pattern, tuple[re.Pattern, ...], tuple[re.Pattern, ...]]:
    """measurement_blockers.txt: words right before a figure (one pattern), patterns in its sentence ("~") and
    in its clause ("~~") before it."""
    empty = [b for b in lines if b.startswith("~") and not b.lstrip("~").strip()]
    if empty:   # a pattern matching everything would block every figure
        raise LexiconError(f"measurement_blockers.txt: empty pattern {empty[0]!r}; a '~' line needs a regular expression")
    words = sorted((b for b in lines if not b.startswith("~")), key=len, reverse=True)
    return (re.compile(rf"(?:^|\s)(?:{'|'.join(map(re.escape, words)) or '(?!)'})$"),
            tuple(re.compile(b[1:]) for b in lines if b.startswith("~") and not b.startswith("~~")),
            tuple(re.compile(b[2:]) for b in lines if b.startswith("~~")))


def _mark(text: str, n: NumberMention) -> str:
    """The figure as its clause is read: "#", with a unit word that names what is counted kept
    ("1.380.117 peserta JKN" -> "# peserta JKN")."""
    m = re.search(r"\b(peserta|pekerja|klaim)\s*$", text[n.start:n.end], re.IGNORECASE)
    return f"# {m[1]}" if m else "#"


# ",|;|\batau\b|\bdengan\b|\bdan\b|\bsedangkan\b", each word's opening word boundary written as a look-behind after its
# first letter (the same matches: the engine skips to a pattern's first characters when each branch opens with one,
# and tries a pattern with a branch opening with \b at every character)
CLAUSE_OPEN = re.compile(r",|;|a(?<!\wa)tau\b|d(?<!\wd)engan\b|d(?<!\wd)an\b|s(?<!\ws)edangkan\b")
# "... 100,76 persen dan keaktifan 83,15 persen": "dan" before another figure opens that figure's clause
CLAUSE_CLOSE = re.compile(r",|;|a(?<!\wa)tau\b|d(?<!\wd)engan\b|s(?<!\ws)edangkan\b|d(?<!\wd)an\b(?=[^,;]*?\d)")


def _clause(r: Context, s: Sentence, n: NumberMention) -> tuple[int, int]:
    """The span of the clause around figure N in sentence S (of the blanked text), read once per figure."""
    key = (s.start, s.end, n.start, n.end)
    span = r.clauses.get(key)
    if span is None:
        text = r.doc.masked
        start = max([s.start] + [m.end() for m in CLAUSE_OPEN.finditer(text, s.start, n.start)])
        close = CLAUSE_CLOSE.search(text, n.end, s.end)
        span = r.clauses[key] = (start, close.start() if close else s.end)
    return span


def _own_source(r: Context, s: Sentence, n: NumberMention) -> bool:
    """Whether the words of the figure's clause before it, or the few right after it, name its own source."""
    start, end = _clause(r, s, n)
    source = _rx(r, "own_source")
    return bool(not r.lacks_in(source, start, n.start) and source.search(r.doc.masked[start:n.start]) or
                source.search(re.split(r"\d|\bdari\b", r.doc.masked[n.end:end])[0][:60]))


def clause_indicator(r: Context, n: NumberMention, s: Sentence, unit: str) -> str:
    """The indicator the words of the figure's own clause name, or ""."""
    if unit == "nilai":
        return ""
    text = r.doc.masked
    start, end = _clause(r, s, n)
    clause = text[start:n.start] + _mark(text, n) + text[n.end:end]
    lowered = _ascii_lower(clause)
    return next((ind.indicator for ind in r.lex.indicators if ind.unit == unit and _cue_in(ind.cue, clause, lowered)
                 and not excluded(r, s, ind.indicator)), "")


def _ascii_lower(text: str) -> str | None:
    """TEXT in lower case when it is ASCII (for _cue_in), else None."""
    return text.lower() if text.isascii() else None


def _cue_in(cue: re.Pattern, text: str, lowered: str | None) -> bool:
    """Whether CUE matches in TEXT. LOWERED is TEXT in lower case when TEXT is ASCII: a cue whose words it lacks
    in any case (textutil.required_lower_texts) is then not read, as it cannot match."""
    if lowered is not None:
        known = _CUE_NEEDS.get(id(cue))
        if known is None:
            known = _CUE_NEEDS[id(cue)] = (cue, required_lower_texts(cue))
        if known[1] and not any(t in lowered for t in known[1]):
            return False
    return cue.search(text) is not None


# id(cue) -> (cue, its required_lower_texts): looked up by id, as hashing a pattern hashes its compiled code (the
# cue is kept, so that its id is not reused)
_CUE_NEEDS: dict[int, tuple[re.Pattern, tuple[str, ...]]] = {}


def indicator(r: Context, n: NumberMention, s: Sentence, unit: str, before: str = "",
              clause_first: bool = True) -> str:
    """The indicator of a figure from its clause, else its sentence (read with the one before it when the
    sentence refers back, "Angka itu ..."); a score's from the whole article."""
    text = r.doc.masked
    start, end = _clause(r, s, n)
    clause = text[start:n.start] + _mark(text, n) + text[n.end:end]
    sentence = re.sub(r"\d[\d.,]*", "N", before + " " + text[s.start:n.start]) + _mark(text, n) + \
        re.sub(r"\d[\d.,]*", "N", text[n.end:s.end])
    for scope in ((clause, sentence) if clause_first else (sentence, clause)):
        lowered = _ascii_lower(scope)
        for ind in r.lex.indicators:
            if ind.unit != unit or excluded(r, s, ind.indicator):
                continue
            if unit == "nilai":   # a score's indicator is named anywhere in the article: read it once per article
                found = r.cue_in_text.get(id(ind))   # (by id: hashing a row hashes its cue's compiled code)
                if found is None:
                    found = r.cue_in_text[id(ind)] = not r.lacks(ind.cue) and bool(
                        r.search(ind.cue, 0, len(r.doc.text), blanked=False))
            else:
                found = _cue_in(ind.cue, scope, lowered)
            if found:
                return ind.indicator
    return ""


def area(r: Context, n: NumberMention, s: Sentence, places: list[Mention], starts: list[int],
         previous_area: str = "") -> str:
    """The area a figure is about: named in the sentence (the last before it, else the first after it),
    named earlier and referred to ("provinsi ini"), the sentence before's when this one continues it, the
    speaker's, or the article's only one."""
    lo, hi = bisect.bisect_left(starts, s.start), bisect.bisect_left(starts, s.end)
    inside = places[lo:hi]
    def area_key(m: Mention) -> str:
        return area_of(m.key) if not m.attr("parent") else area_of(m.attr("parent"))
    before = [m for m in inside if m.start < n.start]
    after = [m for m in inside if m.start > n.end]
    if before:
        if UNKNOWN_AREA.search(r.doc.masked[before[-1].end:n.start]):
            return ""   # "Kota Palu (94,46), dan Kabupaten Tojo Una-Una (88,68)" with the second unknown
        if _rx(r, "apposition").search(r.doc.masked[s.start:before[-1].start]) and \
                "," in r.doc.masked[before[-1].end:n.start]:
            return ""
        return area_key(before[-1])
    if after and not UNKNOWN_AREA.search(r.doc.masked[s.start:n.start]):
        return area_key(after[0])
    named = referred_area(r, n, s, places, starts)
    if named:
        return named
    if previous_area:
        return previous_area
    for p in r.sentence_mentions(s, ("Person",)):
        aff = r.affiliation_of(p.key)
        if aff:
            return area_key_of_body(aff, r.out)
    # the story's only kota/kabupaten; a story about one province and none of its kota/kabupaten: the province
    areas = {area_of(m.key) for m in r.mentions if m.attr("government") and m.attr("kind") != "provinsi"}
    areas |= {m.key for m in r.mentions if m.label == "Municipality"}
    if not areas:
        areas = {area_of(m.key) for m in places if area_of(m.key).startswith("province:")}
    if len(areas) == 1:
        return next(iter(areas))
    # "... di daerahnya": the speaker's, else the last kota/kabupaten named before
    own_area = _rx(r, "own_area")
    if not r.lacks_in(own_area, s.start, n.start) and own_area.search(r.doc.masked[s.start:n.start]):
        speakers = sorted((m for m in r.mentions if m.label == "Person" and s.start - 300 <= m.start < n.start),
                          key=lambda m: m.start)
        for p in reversed(speakers):
            key = area_key_of_body(r.affiliation_of(p.key), r.out) if r.affiliation_of(p.key) else ""
            if key:
                return key
        for p in reversed(places[:lo]):
            key = area_key(p)
            if key.startswith("municipality:"):
                return key
    return ""


def referred_area(r: Context, n: NumberMention, s: Sentence, places: list[Mention], starts: list[int]) -> str:
    """ "provinsi ini", "kabupaten pesisir itu": the last area of that kind named before the sentence."""
    m = AREA_ANAPHOR.search(r.doc.masked[s.start:n.start])
    if not m:
        return ""
    kind = m[1].lower()
    for p in reversed(places[:bisect.bisect_left(starts, s.start)]):
        key = area_of(p.key) if not p.attr("parent") else area_of(p.attr("parent"))
        if kind == "provinsi" and key.startswith("province:"):
            return key
        if kind in ("daerah", "wilayah"):
            return key
        if kind != "provinsi" and key.startswith("municipality:"):
            regency = r.lex.regencies.get(key.split(":", 1)[1])
            if regency is None or regency.kind == kind:
                return key
    return ""


def measurement(r: Context, area: str, indicator: str, n: NumberMention, as_of: DateMention | None) -> str:
    """Add the measurement (or its date and evidence, when already read) and return its key."""
    value = n.value
    key = f"measurement:{area}:{indicator}:{value}"
    existing = r.out.entities.get(key)
    if existing is not None:
        if as_of and not any(f.subject == key and f.predicate == "date" for f in r.out.facts):
            r.fact(key, "date", as_of.value, as_of.start)
        r.entity(key, "Measurement", existing.name, (), n.start)
        return key
    r.ensure(area, n.start)
    r.entity(key, "Measurement", f"{indicator} {value}", (), n.start)
    r.fact(key, "area", area, n.start, link=True)
    r.fact(key, "indicator", indicator, n.start)
    r.fact(key, "value", value, n.start)
    if as_of:
        r.fact(key, "date", as_of.value, as_of.start)
    return key
