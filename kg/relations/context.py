"""The shared state of reading one article: its mentions, dates, the entities and facts found so far,
and the helpers every relation reader uses (evidence, entities, facts, implied entities)."""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache, cached_property

from ..dates import DateMention, find_dates
from ..lexicon import Lexicon
from ..mentions import Doc, Mention
from ..sentences import Sentence
from ..textutil import finditer, required_lower_texts, search


@dataclass(frozen=True)
class Evidence:
    article: str     # source file name
    start: int       # character span of the sentence in Article.text
    end: int
    text: str


@dataclass
class Entity:
    """What one article says about one entity; resolve.py merges these across articles."""
    key: str
    type: str        # Municipality | Province | Agency | Person | Award | Agreement | Measurement
    name: str
    aliases: set[str] = field(default_factory=set)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(frozen=True)
class Fact:
    subject: str     # entity key
    predicate: str   # a core property: governs, affiliation, recipient, value, ...
    object: object   # an entity key (str starting with a type prefix) or a literal (str, int, Decimal, date)
    evidence: Evidence
    is_link: bool = False


@dataclass
class ArticleFacts:
    article: object
    entities: dict[str, Entity] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    content: str | None = field(default=None, compare=False, repr=False)   # the file's kg.pipeline._cache_key, when computed


class Context:
    """What the relation readers share while reading one Doc."""

    def __init__(self, doc: Doc) -> None:
        self.doc, self.lex = doc, doc.lexicon
        self.out = ArticleFacts(doc.article)
        self.dates = find_dates(doc.text, doc.lexicon, doc.article.published)
        self.mentions = [m for m in doc.mentions if m.label != "Office"]
        self._stated: set[tuple] = set()
        # the mentions' starts, to find a sentence's mentions by bisection (they are in text order)
        self._starts = [m.start for m in self.mentions]
        self._in_order = self._starts == sorted(self._starts)
        self._longest = max((m.end - m.start for m in self.mentions), default=0)
        self._governments: dict[tuple[str, ...], list[str]] = {}
        self._date_starts = [d.start for d in self.dates]   # find_dates gives them in text order
        self._date_longest = max((d.end - d.start for d in self.dates), default=0)
        self._sentence_starts = [s.start for s in doc.sentences]
        self._evidence_of: dict[str, set[tuple[int, int]]] = {}   # an entity's key -> the spans of its evidence
        self._sentence_evidence: dict[int, Evidence] = {}   # a sentence's start -> its Evidence, made once
        self.cue_in_text: dict[int, bool] = {}   # an indicators.tsv row's id -> whether its cue is in the article
        self.exceptions_in: dict[Sentence, tuple[str, ...]] = {}   # sentence -> indicators it excludes (kecuali rows)
        self.clauses: dict[tuple[int, int, int, int], tuple[int, int]] = {}   # a figure's clause (measurements)
        # keyed by the pattern's id (hashing a pattern hashes its compiled code), the pattern kept in the value so
        # that its id is not reused: (id, sentence) -> (pattern, whether it matches there); id -> (pattern, lacks)
        self._holds: dict[tuple[int, Sentence], tuple[re.Pattern, bool]] = {}
        self._lacks: dict[int, tuple[re.Pattern, bool, tuple[str, ...] | None, tuple[str, ...] | None]] = {}
        self._lowered: tuple[str, str] | None = None   # the text and the blanked text in lower case, when ASCII
        self._ascii: bool | None = None                 # whether they are (None: not asked yet)
        self._runs: dict[str, tuple[bool, bool]] = {}   # a run of characters -> whether they hold it (_run_in)
        # read once when the agreement reader first asks (kg/relations/agreements.py): the persons' affiliations;
        # the Person mentions by start, their starts, the names known for them and those names' first words
        self.affiliations: dict[str, str] | None = None
        self.persons: tuple[list[Mention], list[int], dict[str, Mention], set[str]] | None = None

    def evidence(self, pos: int) -> Evidence:
        s = self.doc.sentence_of(pos)
        if s is None:
            return Evidence(self.doc.article.source, pos, pos, "")
        ev = self._sentence_evidence.get(s.start)
        if ev is None:
            ev = self._sentence_evidence[s.start] = Evidence(self.doc.article.source, s.start, s.end, s.text)
        return ev

    def holds(self, pattern: re.Pattern, s: Sentence) -> bool:
        """Whether PATTERN matches in the text of sentence S, read once per pattern and sentence: the award
        readers ask it of the same sentences for each award, recipient and neighbouring sentence."""
        key = (id(pattern), s)
        known = self._holds.get(key)
        if known is None:
            known = self._holds[key] = (pattern, not self.lacks_in(pattern, s.start, s.end, blanked=False)
                                        and pattern.search(s.text) is not None)   # (S's text is the text's START..END)
        return known[1]

    def lacks(self, pattern: re.Pattern) -> bool:
        """True when PATTERN cannot match anywhere in the article's text or blanked text, nor in any part of them
        (a sentence, a span): the article is ASCII and holds, in any case, none of the runs of characters one of
        which every match holds (textutil.required_lower_texts). Found once per pattern and article."""
        return self._needs(pattern)[1]

    def lacks_in(self, pattern: re.Pattern, start: int, end: int, blanked: bool = True) -> bool:
        """True when PATTERN cannot match in START..END of the blanked text (BLANKED) or of the text: it lacks the
        article (lacks), or, the article being ASCII, none of the runs of characters one of which every match holds
        stands there in any case (found with str.find, of the runs the article holds: the engine would try a
        pattern read ignoring case, or opening with a word boundary, at every character of the span)."""
        _, lacking, in_text, in_blanked = self._needs(pattern)
        if lacking or in_text is None:
            return lacking
        lowered, runs = (self._lowered[1], in_blanked) if blanked else (self._lowered[0], in_text)
        for t in runs:
            if lowered.find(t, start, end) >= 0:
                return False
        return True

    def _needs(self, pattern: re.Pattern) -> tuple[re.Pattern, bool, tuple[str, ...] | None, tuple[str, ...] | None]:
        """(PATTERN, lacks(PATTERN), and when the article is read in lower case, the runs of its
        required_lower_texts that the text holds and those the blanked text holds), found once per pattern and
        article."""
        known = self._lacks.get(id(pattern))
        if known is None:
            needs = required_lower_texts(pattern)
            if needs and self._lower() is not None:
                where = [self._run_in(t) for t in needs]
                in_text = tuple(t for t, (text, _) in zip(needs, where) if text)
                in_blanked = tuple(t for t, (_, blanked) in zip(needs, where) if blanked)
                known = (pattern, not in_text and not in_blanked, in_text, in_blanked)
            else:
                known = (pattern, False, None, None)
            self._lacks[id(pattern)] = known
        return known

    def _lower(self) -> tuple[str, str] | None:
        """The text and the blanked text in lower case, when both are ASCII (then with the same offsets), made once."""
        if self._lowered is None and self._ascii is None:
            self._ascii = self.doc.text.isascii() and self.doc.masked.isascii()
            if self._ascii:
                self._lowered = (self.doc.text.lower(), self.doc.masked.lower())
        return self._lowered

    def finditer(self, pattern: re.Pattern, start: int, end: int, blanked: bool = True) -> list[re.Match]:
        """The matches of pattern.finditer(the blanked text (BLANKED) or the text, START, END), as a list: tried only
        where its opening texts stand (textutil.finditer; for a pattern read ignoring case, in that text in lower case
        when ASCII)."""
        lowered = self._lower()
        return finditer(pattern, self.doc.masked if blanked else self.doc.text, start, end,
                        lowered[blanked] if lowered else None)

    def search(self, pattern: re.Pattern, start: int, end: int, blanked: bool = True) -> re.Match | None:
        """pattern.search(the blanked text (BLANKED) or the text, START, END), tried as finditer tries it."""
        lowered = self._lower()
        return search(pattern, self.doc.masked if blanked else self.doc.text, start, end,
                      lowered[blanked] if lowered else None)

    def _run_in(self, run: str) -> tuple[bool, bool]:
        """Whether the text and the blanked text, in lower case, hold RUN: found once per run and article (patterns
        share runs). The blanked text is the text with parenthesised words turned to spaces, so a run without a
        space that the text lacks, the blanked text lacks too, and is not looked for there."""
        known = self._runs.get(run)
        if known is None:
            text, blanked = self._lowered
            in_text = run in text
            known = self._runs[run] = (in_text, (in_text or " " in run) and run in blanked)
        return known

    def entity(self, key: str, etype: str, name: str, aliases=(), at: int | None = None) -> Entity:
        e = self.out.entities.get(key)
        if e is None:
            e = self.out.entities[key] = Entity(key, etype, name)
        if aliases:
            e.aliases.update(a for a in aliases if a)
        if at is not None:
            ev = self.evidence(at)
            # an article's evidence is told apart by its span (a sentence's, or an empty one): a pair of numbers
            # hashes faster than the Evidence
            seen = self._evidence_of.get(key)
            if seen is None:
                seen = self._evidence_of[key] = {(x.start, x.end) for x in e.evidence}
            if (ev.start, ev.end) not in seen:
                seen.add((ev.start, ev.end))
                e.evidence.append(ev)
        return e

    def fact(self, subject: str, predicate: str, obj, at: int, link: bool = False) -> None:
        if (subject, predicate, obj) not in self._stated:
            self._stated.add((subject, predicate, obj))
            self.out.facts.append(Fact(subject, predicate, obj, self.evidence(at), link))

    def starting_in(self, lo: int, hi: int) -> list[Mention]:
        """The mentions (other than offices) starting in LO..HI-1, in their order."""
        if self._in_order:
            return self.mentions[bisect_left(self._starts, lo):bisect_left(self._starts, hi)]
        return [m for m in self.mentions if lo <= m.start < hi]

    def dates_in(self, lo: int, hi: int) -> list[DateMention]:
        """The dates starting in LO..HI-1, in text order."""
        return self.dates[bisect_left(self._date_starts, lo):bisect_left(self._date_starts, hi)]

    def dates_holding(self, pos: int) -> list[DateMention]:
        """The dates whose span holds POS."""
        return [d for d in self.dates_in(pos - self._date_longest, pos + 1) if pos < d.end]

    def sentence_index(self, s: Sentence) -> int:
        i = bisect_left(self._sentence_starts, s.start)
        return i if i < len(self.doc.sentences) and self.doc.sentences[i] == s else self.doc.sentences.index(s)

    def sentence_mentions(self, s: Sentence, labels: tuple[str, ...]) -> list[Mention]:
        # a mention inside another one is part of that name ("Pemkab Bogor" in "Dinkes Pemkab Bogor")
        return [m for m in self.starting_in(s.start, s.end) if m.label in labels and id(m) not in self.nested]

    @cached_property
    def nested(self) -> set[int]:
        """The ids of the mentions inside a longer one, found once per article (sentence_mentions leaves them out)."""
        return {id(m) for m in self.mentions if any(
            o is not m and o.start <= m.start and m.end <= o.end and (o.end - o.start) > (m.end - m.start)
            for o in self.starting_in(m.start - self._longest, m.start + 1))}

    def ensure(self, key: str, at: int) -> bool:
        """Make sure the entity KEY exists (a government named only through an office, a parent body)."""
        if key in self.out.entities:
            return True
        found = implied_entity(key, self.lex)
        if found is None:
            return False
        etype, name, aliases = found
        self.entity(key, etype, name, aliases, at)
        if key.startswith("localgov:"):
            area = area_of(key)
            self.ensure(area, at)
            self.fact(key, "governs", area, at, link=True)
        return True

    def governments(self, kinds: tuple[str, ...] = ("kota", "kabupaten", "provinsi")) -> list[str]:
        if kinds not in self._governments:
            keys = self._governments[kinds] = []
            for m in self.mentions:
                if m.attr("government") and m.attr("kind") in kinds and m.key not in keys:
                    keys.append(m.key)
        return list(self._governments[kinds])

    def affiliation_of(self, person: str) -> str:
        return next((f.object for f in self.out.facts if f.subject == person and f.predicate == "affiliation"), "")


def area_of(key: str) -> str:
    """The area a government governs ("localgov:3572" -> "municipality:3572"); other keys unchanged."""
    if key.startswith("localgov:"):
        code = key.split(":", 1)[1]
        return f"province:{code}" if len(code) == 2 else f"municipality:{code}"
    return key


def area_key_of_body(body: str, out: ArticleFacts) -> str:
    if body.startswith("localgov:"):
        return area_of(body)
    parent = next((f.object for f in out.facts if f.subject == body and f.predicate == "subOrganizationOf"), "")
    return area_of(parent) if parent.startswith("localgov:") else ""


def implied_entity(key: str, lex: Lexicon) -> tuple[str, str, tuple[str, ...]] | None:
    """(type, name, aliases) of an entity known from the lexicons by its key alone."""
    kind, _, rest = key.partition(":")
    if kind == "municipality" and rest in lex.regencies:
        r = lex.regencies[rest]
        return "Municipality", r.label, ()
    if kind == "province" and rest in lex.provinces:
        p = lex.provinces[rest]
        return "Province", p.label, ()
    if kind == "localgov":
        if rest in lex.regencies:
            r = lex.regencies[rest]
            k = "Kota" if r.kind == "kota" else "Kabupaten"
            return "Agency", f"Pemerintah {k} {r.name}", (f"{'Pemkot' if r.kind == 'kota' else 'Pemkab'} {r.name}",)
        if rest in lex.provinces:
            p = lex.provinces[rest]
            return "Agency", f"Pemerintah Provinsi {p.label}", (f"Pemprov {p.label}",)
    if kind == "agency":
        a = lex.agencies.get(rest)
        if a:
            return "Agency", a.label, a.aliases
        m = _ministries_by_key(lex).get(rest)
        if m is not None:
            return "Agency", m.name, m.ministry_aliases
    return None


@cache
def _ministries_by_key(lex: Lexicon) -> dict:
    """The lexicon's ministries by the key slug of their names (the first ministry of a slug), made once
    per lexicon: implied_entity is asked of every agency node the build resolves."""
    out: dict = {}
    for m in lex.ministries:
        out.setdefault(re.sub(r"[^a-z0-9]+", "-", m.name.lower()).strip("-"), m)
    return out
