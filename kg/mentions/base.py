"""Mentions and the article being read (Doc), and the patterns built once from the lexicons."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache

from ..articles import Article
from ..lexicon import Lexicon, Regency
from ..sentences import Sentence, split_sentences
from ..textutil import Cues, Openings, alternation, find_abbreviations, is_word_char, mask_parentheses, squash

CAP = r"[A-Z][\w'’.-]*"
BRANCH_WORD = r"[A-Z][\w'’-]*(?!\w)"
# a word inside a name: capitalised, an initial ("M.", "S.K."), or a roman numeral
# (its capital written once, before the alternatives, lets the engine skip to the capitals of a text)
NAME_WORD = re.compile(r"(?:[A-Z](?:[a-zà-ÿ'’-]+|[A-Z]{0,2}\.?(?:[A-Z]\.)*|[a-z]*'[A-Z][a-z]+))")
ENUMERATION = re.compile(r"\s*,\s*(?:(?:[A-Z][\w-]*\s*)+(?:,\s*(?:[A-Z][\w-]*\s*)+)*,?\s*)?(?:dan|&|serta)\s+[A-Z]")
# words that open a sentence and so end a personal name, but may stand inside a body's name
NAME_STOP_IN_BODIES = {"Dalam", "Untuk", "Pada", "Dengan", "Selain", "Menurut"}
LOCAL_GOV = {"Pemkot": "kota", "Pemko": "kota", "Pemkab": "kabupaten", "Pemprov": "provinsi",
             "Kota": "kota", "Kabupaten": "kabupaten", "Provinsi": "provinsi"}
PRONOUNS = {"Ia", "Dia", "Beliau", "Kami", "Kita", "Mereka", "Saya", "Ini", "Itu", "Hal", "Para", "Semua",
            "Sementara", "Menurut", "Namun", "Selain", "Dengan", "Dalam", "Untuk", "Pada", "Adapun", "Kemudian",
            "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu", "Nomor", "Tahun", "Pasal", "Bab"}


@dataclass(frozen=True)
class Mention:
    text: str        # as written: "Pemkot Blitar"
    start: int       # offsets into Article.text
    end: int
    label: str       # Municipality | Province | Agency | Person | Office | Award | Agreement
    source: str      # the lexicon or rule that fired
    key: str         # what the mention refers to: "municipality:3572", "agency:bpjs-kesehatan", ...
    name: str        # the name written out: "Pemerintah Kota Blitar"
    aliases: tuple[str, ...] = ()
    attrs: tuple[tuple[str, str], ...] = ()

    def attr(self, name: str, default: str = "") -> str:
        if not self.attrs:   # most mentions have none: asked hundreds of times per article
            return default
        for key, value in reversed(self.attrs):   # the last one written, as dict(self.attrs) would keep
            if key == name:
                return value
        return default


class MentionList(list):
    """The mentions of a Doc, indexed by position so that asking whether a span is free, or which mention
    starts at a position, takes time in the mentions near it rather than in all of them (an article of
    thousands of mentions would otherwise take minutes). Appending keeps the index; any other change to
    the list drops it, and the next question rebuilds it."""

    def __init__(self, items=()) -> None:
        super().__init__(items)
        self._spans: list[tuple[int, int, int]] | None = None   # (start, end, n) of every mention, sorted
        self._from: list[int] = []                              # their starts, in the same order (bisected: ints
        # compare in C, where a bisection of the tuples compares tuples)
        self._objs: list[Mention] = []                          # the n-th mention indexed
        self._starting: dict[int, list[Mention]] = {}      # start -> the mentions starting there, in list order
        self._longest = 0

    def _index(self) -> None:
        if self._spans is None:
            self._objs = list(self)
            self._spans = sorted((m.start, m.end, n) for n, m in enumerate(self._objs))
            self._from = [start for start, _, _ in self._spans]
            self._starting = {}
            for m in self:
                self._starting.setdefault(m.start, []).append(m)
            self._longest = max((m.end - m.start for m in self), default=0)

    def append(self, mention: Mention) -> None:
        super().append(mention)
        if self._spans is not None:
            span = (mention.start, mention.end, len(self._objs))
            i = bisect_right(self._spans, span)   # (insort's place)
            self._spans.insert(i, span)
            self._from.insert(i, mention.start)
            self._objs.append(mention)
            self._starting.setdefault(mention.start, []).append(mention)
            self._longest = max(self._longest, mention.end - mention.start)

    def __contains__(self, mention) -> bool:   # as list's, comparing only mentions that start alike
        return any(x is mention or x.start == mention.start and x == mention for x in self)

    def remove(self, mention: Mention) -> None:   # as list's: the first equal mention
        for i, x in enumerate(self):
            if x is mention or x.start == mention.start and x == mention:
                del self[i]
                return
        raise ValueError("MentionList.remove(x): x not in list")

    def overlapping(self, start: int, end: int) -> list[Mention]:
        """The mentions that overlap START..END (m.start < END and START < m.end), by position."""
        self._index()
        lo = bisect_left(self._from, start - self._longest)   # one starting before would be longer than the longest
        hi = bisect_left(self._from, end)
        return [self._objs[n] for _, e, n in self._spans[lo:hi] if e > start]

    def overlaps(self, start: int, end: int) -> bool:
        """Whether a mention overlaps START..END: bool(self.overlapping(START, END)), without building the list."""
        self._index()
        spans, starts = self._spans, self._from
        for i in range(bisect_left(starts, start - self._longest), bisect_left(starts, end)):
            if spans[i][1] > start:
                return True
        return False

    def starting_at(self, pos: int) -> list[Mention]:
        self._index()
        return self._starting.get(pos, [])


def _dropping_index(name: str):
    method = getattr(list, name)

    def change(self, *args, **kwargs):
        self._spans = None
        return method(self, *args, **kwargs)
    change.__name__ = name
    return change


for _name in ("__setitem__", "__delitem__", "__iadd__", "insert", "extend", "pop", "clear", "sort", "reverse"):
    setattr(MentionList, _name, _dropping_index(_name))


_UNKNOWN = object()   # Doc.sentence_of: a position not asked about yet


@dataclass
class Doc:
    """An article being read: its text, blanked text, sentences, abbreviations and mentions so far."""
    article: Article
    lexicon: Lexicon
    text: str = ""
    masked: str = ""
    sentences: list[Sentence] = field(default_factory=list)
    abbreviations: dict[str, str] = field(default_factory=dict)
    other_names: dict[int, str] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    # read from the text once, when a recogniser first asks (see the methods of the same names)
    _sentence_starts: list[int] = field(default_factory=list, repr=False, compare=False)
    _sentence_at: dict[int, Sentence | None] = field(default_factory=dict, repr=False, compare=False)
    _word_starts: dict[str, list[int]] = field(default_factory=dict, repr=False, compare=False)
    _speech_words: set[str] | None = field(default=None, repr=False, compare=False)
    _units_written: list[tuple[str, str]] | None = field(default=None, repr=False, compare=False)
    _article_places: dict[str, Regency] | None = field(default=None, repr=False, compare=False)
    # the list readers' index of the mentions (kg/relations/lists.py), with the number of mentions it holds
    list_index: tuple[int, object] | None = field(default=None, repr=False, compare=False)
    _cues: Cues | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.text = self.article.text
        self.masked = mask_parentheses(self.text)
        self.sentences = split_sentences(self.text)
        self.abbreviations, self.other_names = find_abbreviations(self.text)
        self.mentions = MentionList(self.mentions)

    @property
    def cues(self) -> Cues:
        """Where patterns can match in the blanked text (textutil.Cues): the places of their opening words, found
        once per article and word and shared by every recogniser and reader, which try their patterns only there;
        those of the patterns read over the whole text (reads_whole_text) found for all of them in one pass."""
        if self._cues is None:
            self._cues = Cues(self.masked, whole_text_openings(self.lexicon))
        return self._cues

    @property
    def scan(self) -> tuple[int, int]:
        """The part of the text a recogniser reads (pos, endpos): all of it (a view of one span narrows it)."""
        return 0, len(self.masked)

    def free(self, start: int, end: int) -> bool:
        if not isinstance(self.mentions, MentionList):
            self.mentions = MentionList(self.mentions)
        return not self.mentions.overlaps(start, end)

    def covering(self, pos: int) -> list[Mention]:
        """The mentions that hold the character at POS."""
        if not isinstance(self.mentions, MentionList):
            self.mentions = MentionList(self.mentions)
        return self.mentions.overlapping(pos, pos + 1)

    def add(self, mention: Mention) -> Mention:
        self.mentions.append(mention)
        return mention

    def written(self, start: int, end: int) -> str:
        return squash(self.masked[start:end])

    def at(self, pos: int, labels: tuple[str, ...] = ()) -> Mention | None:
        """The mention starting at POS (after white space), if any."""
        while pos < len(self.masked) and self.masked[pos] in " \t":
            pos += 1
        if not isinstance(self.mentions, MentionList):
            self.mentions = MentionList(self.mentions)
        for m in self.mentions.starting_at(pos):
            if not labels or m.label in labels:
                return m
        return None

    def word_starts(self, word: str) -> list[int]:
        """Where WORD (word characters only) stands as a whole word in the blanked text: not after a word character
        or a dot, not before a word character. Found once per word, with str.find rather than by reading every
        word of the text."""
        found = self._word_starts.get(word)
        if found is None:
            text, n, found = self.masked, len(word), []
            p = text.find(word)
            while p >= 0:
                if (p == 0 or not (is_word_char(text[p - 1]) or text[p - 1] == ".")) \
                        and (p + n == len(text) or not is_word_char(text[p + n])):
                    found.append(p)
                p = text.find(word, p + 1)
            self._word_starts[word] = found
        return found

    def sentence_of(self, pos: int) -> Sentence | None:
        """The sentence holding POS (sentences are in text order and do not overlap), found once per position (the
        readers ask it about a position three times on average)."""
        if len(self._sentence_starts) != len(self.sentences):
            self._sentence_starts = [s.start for s in self.sentences]
            self._sentence_at = {}
        found = self._sentence_at.get(pos, _UNKNOWN)
        if found is _UNKNOWN:
            i = bisect_right(self._sentence_starts, pos) - 1
            found = self._sentence_at[pos] = self.sentences[i] if i >= 0 and pos < self.sentences[i].end else None
        return found


# ---------------------------------------------------------------- patterns read over the whole text

# functions of a lexicon giving patterns that a recogniser reads over the whole blanked text, registered by their
# modules (reads_whole_text)
_WHOLE_TEXT: list[Callable[[Lexicon], Iterable[re.Pattern]]] = []


def reads_whole_text(patterns: Callable[[Lexicon], Iterable[re.Pattern]]):
    """Register PATTERNS, a function of a lexicon giving patterns that a recogniser reads over the whole blanked text
    through Doc.cues: where they can start is then found for all of them in one pass over an article (see
    textutil.Openings), not in one pass per pattern. Returns PATTERNS (a decorator)."""
    _WHOLE_TEXT.append(patterns)
    return patterns


def whole_text_openings(lexicon: Lexicon) -> Openings:
    """The Openings of every registered pattern of LEXICON (made again when a module registers more)."""
    return _whole_text_openings(lexicon, len(_WHOLE_TEXT))


@cache
def _whole_text_openings(lexicon: Lexicon, registered: int) -> Openings:
    return Openings(p for patterns in _WHOLE_TEXT[:registered] for p in patterns(lexicon))


# ---------------------------------------------------------------- patterns built from lexicons


def _alternation(names, not_after: str | None = None) -> str:
    """A pattern matching any of NAMES, longest first, white space flexible (a trie: see textutil.alternation)."""
    return alternation(names, not_after=not_after)


def _word_start(names) -> str:
    r"""The pattern of rf"\b(?:{_alternation(NAMES)})": before a name opening with a word character, a word boundary
    is no word character before it."""
    names = set(names)
    if names and all(n[:1] and is_word_char(n[0]) for n in names):
        return _alternation(names, not_after=r"\w")
    return rf"\b(?:{_alternation(names)})"


def _opening(names) -> str:
    """A look-ahead for the first characters of NAMES ("(?=[KP])"), put before a pattern whose every match opens
    with one of the names: a pattern opening with a look-behind, a word boundary or an optional group is tried in
    full at every character of a text, one opening with a class of characters only where such a character
    stands. "" when a name opens with white space (matched as any run of it) or is empty."""
    names = set(names)
    if not names or any(not n or n[0].isspace() for n in names):
        return ""
    return "(?=[" + "".join(sorted({re.escape(n[0]) for n in names})) + "])"


@cache
def place_names(lexicon: Lexicon) -> dict[str, list[Regency]]:
    out: dict[str, list[Regency]] = {}
    for r in lexicon.regencies.values():
        out.setdefault(r.name, []).append(r)
    for alias, code in lexicon.place_aliases.items():
        out.setdefault(alias, []).append(lexicon.regencies[code])
    # a name of several words is also written as one ("Pangkal Pinang": "Pangkalpinang", "Lubuk Linggau":
    # "Lubuklinggau"), unless that is another place's name ("Kotabaru")
    joined: dict[str, list[Regency]] = {}
    for r in lexicon.regencies.values():
        words = r.name.split()
        if len(words) > 1 and all(w[:1].isupper() for w in words):
            joined.setdefault(words[0] + "".join(w.lower() for w in words[1:]), []).append(r)
    for name, regencies in joined.items():
        if name not in out:
            out[name] = regencies
    return out


@cache
def province_names(lexicon: Lexicon) -> dict[str, str]:
    out = {}
    for p in lexicon.provinces.values():
        for n in (p.label, p.name, *p.aliases):
            if n.startswith("Provinsi "):
                continue
            out[n] = p.code
    return out


class Patterns(dict):
    """Patterns by name, each compiled from its source when first asked for: an article that needs a few
    (a one-article rebuild) does not pay for compiling all of them."""

    def __init__(self, sources: dict[str, str]) -> None:
        super().__init__()
        self.sources = sources

    def __missing__(self, name: str) -> re.Pattern:
        rx = self[name] = re.compile(self.sources[name])
        return rx


@cache
def regexes(lexicon: Lexicon) -> Patterns:
    places = _alternation(place_names(lexicon))
    not_word = r"[\w-]"   # a name not inside a longer word or hyphenated word
    agencies = _alternation([n for a in lexicon.agencies.values() for n in (a.label, *a.aliases)], not_word)
    provinces = _alternation(province_names(lexicon))
    agency_names = _alternation([n for a in lexicon.agencies.values() for n in (a.label, *a.aliases)])
    ministries = _alternation([m.portfolio for m in lexicon.ministries])
    ministry_aliases = _alternation([a for m in lexicon.ministries for a in m.ministry_aliases], not_word)
    minister_aliases = _alternation([a for m in lexicon.ministries for a in m.minister_aliases])
    offices = _alternation([o.form for o in lexicon.offices])
    modifiers = _alternation(lexicon.office_modifiers)
    units = _alternation(lexicon.unit_abbreviations, not_word)
    return Patterns({
        "localgov":
            rf"(?=P)\b(?:Pemerintah\s+(?P<long>Kota|Kabupaten|Provinsi)(?:\s+Administrasi)?|(?P<short>Pemkot|Pemko|Pemkab|Pemprov))"
            rf"(?:\s+dan\s+(?P<other>Pemkot|Pemko|Pemkab|Pemerintah\s+Kota|Pemerintah\s+Kabupaten))?"
            rf"\s+(?:(?P<place>{places})|(?P<province>{provinces}))\b",
        # "X(?<!\wX)": X not after a word character, checked after X so that the engine looks only where X stands
        "aceh": r"Pemerintah(?<!\wPemerintah)\s+Aceh\b",
        "municipality":
            rf"(?P<kind>K(?<!\wK)(?:ota(?:\s+Administrasi)?|abupaten(?:\s+Administrasi)?|ab\.))\s+(?P<place>{places})\b",
        "province": rf"{_opening(['Provinsi', *province_names(lexicon)])}\b(?:Provinsi\s+)?(?P<name>{provinces})\b",
        "bare_place": rf"(?P<place>{_word_start(place_names(lexicon))})\b",
        "agency": rf"(?P<name>{agencies})(?![\w-])",
        # "Badan Pemeriksa Keuangan (BPK) RI Perwakilan ...": the country's name may stand between the body and its
        # branch once the abbreviation in parentheses is blanked
        "branch":
            rf"\s+(?:(?:RI|Republik\s+Indonesia)\s+(?=Perwakilan|Kantor|Cabang|KC))?"
            rf"(?:(?P<kc>Kantor\s+Cabang|Cabang|KC)\s+(?P<branch>{BRANCH_WORD}(?:[ \t]+{BRANCH_WORD}){{0,2}})"
            rf"|(?P<rep>Perwakilan)\s+(?:Provinsi\s+)?(?P<province>{provinces}))",
        "regional_office": rf"\b(?:Kantor\s+Wilayah|Kanwil)\s+(?P<name>{agency_names})\s+(?P<province>{provinces})\b",
        "supervisory": rf"(?P<unit>D(?<!\wD)ewan\s+(?:Pengawas|Direksi|Komisaris))\s+(?P<name>{agency_names})\b",
        "ministry": rf"Kementerian(?<!\wKementerian)\s+(?P<portfolio>{ministries})(?![\w])",
        "ministry_alias": rf"(?P<alias>{ministry_aliases})(?![\w-])",
        "head": rf"(?P<head>{_word_start(lexicon.agency_heads)})\s+(?=[A-Z])",
        "unit": rf"(?P<unit>{units})(?![\w-])",
        "office": rf"{_opening([*lexicon.office_modifiers, *(o.form for o in lexicon.offices)])}"
                  rf"(?<![\w-])(?:(?P<mod>{modifiers})\s+)?(?P<form>{offices})(?![\w-])",
        "minister_alias": rf"{_opening(['Wakil', *(a for m in lexicon.ministries for a in m.minister_aliases)])}"
                          rf"(?<![\w-])(?:(?P<mod>Wakil)\s+)?(?P<alias>{minister_aliases})(?![\w-])",
        "portfolio": rf"\s*(?P<portfolio>{ministries})(?![\w])",
    })


def canon(written: str, table: dict) -> str:
    """The lexicon's spelling of a name matched with flexible white space."""
    w = " ".join(written.split())
    return w if w in table else next((k for k in table if " ".join(k.split()) == w), w)
