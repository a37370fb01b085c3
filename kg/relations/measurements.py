"""Measurements: exact figures about an area with indicator and as-of date
(ANNOTATION.md "measurements")."""
from __future__ import annotations

import re

from ..dates import DateMention
from ..mentions import Mention
from ..numbers import NumberMention, find_numbers
from ..sentences import Sentence
from .context import Context, area_key_of_body, area_of

FIGURE_ANAPHOR = re.compile(r"(?:Angka|Jumlah|Capaian|Persentase|Nilai)\s+(?:itu|tersebut|ini)\b")


def read_measurements(r: Context) -> None:
    """ANNOTATION.md "measurements": exact figures about an area, never approximations or bounds."""
    article_text = r.doc.text
    previous_as_of: DateMention | None = None
    previous: Sentence | None = None
    for s in r.doc.sentences:
        # "Angka itu setara 87,69 persen ...": the figure continues the sentence before
        refers_back = previous is not None and FIGURE_ANAPHOR.match(s.text)
        when = as_of(r, s) or previous_as_of or (as_of(r, previous) if refers_back else None)
        before = r.doc.masked[previous.start:previous.end] if refers_back else ""
        numbers = [n for n in find_numbers(r.doc.masked[s.start:s.end])]
        numbers = [NumberMention(n.start + s.start, n.end + s.start, n.value, n.unit) for n in numbers]
        numbers = [n for n in numbers if not r.dates_holding(n.start)]
        for n in numbers:
            unit = n.unit or score_unit(r, n, s)
            if not unit or blocked(r, n, s):
                continue
            name = indicator(r, n, s, unit, article_text, before)
            if not name:
                continue
            place = area(r, n, s)
            if not place:
                continue
            measurement(r, place, name, n, when)
        previous_as_of = as_of(r, s, ending=True)
        previous = s


def as_of(r: Context, s: Sentence, ending: bool = False) -> DateMention | None:
    for d in r.dates_in(s.start, s.end):
        if s.start <= d.start < s.end:
            before = r.doc.text[max(s.start, d.start - 12):d.start]
            if re.search(r"\b(?:per|hingga|sampai|data)\s+$", before, re.IGNORECASE):
                if not ending or s.end - d.end < 3:
                    return d
    return None


def score_unit(r: Context, n: NumberMention, s: Sentence) -> str:
    """A score: "dengan nilai 98,17", "Pemkab Banyumas (96,98)"."""
    before = r.doc.masked[max(s.start, n.start - 12):n.start]
    if not isinstance(n.value, int) and re.search(r"(?:\bnilai\s*|\(\s*|\bdengan\s+)$", before):
        return "nilai"
    return ""


def blocked(r: Context, n: NumberMention, s: Sentence) -> bool:
    before = r.doc.masked[s.start:n.start].lower().split()
    tail = " ".join(before[-3:])
    after = r.doc.masked[n.end:min(s.end, n.end + 40)].lower()
    return any(re.search(rf"(?:^|\s){re.escape(b)}$", tail) for b in r.lex.measurement_blockers) \
        or bool(re.match(r"\s*(?:secara\s+nasional|se-?indonesia|di\s+indonesia|tingkat\s+nasional)", after))


def indicator(r: Context, n: NumberMention, s: Sentence, unit: str, article_text: str, before: str = "") -> str:
    text = r.doc.masked
    clause_start = max([s.start] + [s.start + m.end() for m in re.finditer(
        r",|;|\batau\b|\bdengan\b|\bdan\b", text[s.start:n.start])])
    clause_end = min([s.end] + [n.end + m.start() for m in re.finditer(
        r",|;|\batau\b|\bdengan\b|\bsedangkan\b", text[n.end:s.end])])
    clause = text[clause_start:n.start] + "#" + text[n.end:clause_end]
    sentence = re.sub(r"\d[\d.,]*", "N", before + " " + text[s.start:n.start]) + "#" + \
        re.sub(r"\d[\d.,]*", "N", text[n.end:s.end])
    # a sentence that refers back ("Angka itu ...") is read with the one before it first
    for scope in ((sentence, clause) if before else (clause, sentence)):
        for ind in r.lex.indicators:
            if ind.unit != unit:
                continue
            where = article_text if unit == "nilai" else scope
            if ind.cue.search(where):
                return ind.indicator
    return ""


def area(r: Context, n: NumberMention, s: Sentence) -> str:
    """The municipality a figure is about: named in the sentence, the speaker's, or the article's only one."""
    places = [m for m in r.sentence_mentions(s, ("Municipality", "Agency", "Province"))
              if area_of(m.key).startswith(("municipality:", "province:")) or m.attr("parent").startswith("localgov:")]
    def area_key(m: Mention) -> str:
        return area_of(m.key) if not m.attr("parent") else area_of(m.attr("parent"))
    before = [m for m in places if m.start < n.start]
    after = [m for m in places if m.start > n.end]
    if before:
        return area_key(before[-1])
    if after:
        return area_key(after[0])
    for p in r.sentence_mentions(s, ("Person",)):
        aff = r.affiliation_of(p.key)
        if aff:
            return area_key_of_body(aff, r.out)
    return r.only_area


def measurement(r: Context, area: str, indicator: str, n: NumberMention, as_of: DateMention | None) -> None:
    value = n.value
    existing = [e for e in r.out.entities.values() if e.type == "Measurement"
                and e.key.startswith(f"measurement:{area}:{indicator}:") and e.key.endswith(f":{value}")]
    if existing:
        key = existing[0].key
        if as_of and not any(f.subject == key and f.predicate == "date" for f in r.out.facts):
            r.fact(key, "date", as_of.value, as_of.start)
        r.entity(key, "Measurement", existing[0].name, (), n.start)
        return
    key = f"measurement:{area}:{indicator}:{value}"
    r.ensure(area, n.start)
    r.entity(key, "Measurement", f"{indicator} {value}", (), n.start)
    r.fact(key, "area", area, n.start, link=True)
    r.fact(key, "indicator", indicator, n.start)
    r.fact(key, "value", value, n.start)
    if as_of:
        r.fact(key, "date", as_of.value, as_of.start)
