"""Find mentions in an Article: places, governments, agencies, offices, persons, awards, agreements.

Every recogniser is a language pattern plus a lexicon (kg/lexicons/); none names a particular article.
They run in a fixed order, each skipping text an earlier one has taken, so that the longer, more
specific reading wins: "BPJS Kesehatan Cabang Kediri" before "Kediri", "Wakil Wali Kota Blitar"
before "Kota Blitar", "Dinas Kesehatan Pemkab Bogor" before "Pemkab Bogor".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from .articles import Article
from .lexicon import Lexicon, Regency
from .sentences import Sentence, split_sentences
from .textutil import find_abbreviations, mask_parentheses, slug, squash

CAP = r"[A-Z][\w'’.-]*"
BRANCH_WORD = r"[A-Z][\w'’-]*(?!\w)"
# a word inside a name: capitalised, an initial ("M.", "S.K."), or a roman numeral
NAME_WORD = re.compile(r"(?:[A-Z][a-zà-ÿ'’-]+|[A-Z]{1,3}\.?(?:[A-Z]\.)*|[A-Z][a-z]*'[A-Z][a-z]+)")
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
        return dict(self.attrs).get(name, default)


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

    def __post_init__(self) -> None:
        self.text = self.article.text
        self.masked = mask_parentheses(self.text)
        self.sentences = split_sentences(self.text)
        self.abbreviations, self.other_names = find_abbreviations(self.text)

    def free(self, start: int, end: int) -> bool:
        return not any(m.start < end and start < m.end for m in self.mentions)

    def add(self, mention: Mention) -> Mention:
        self.mentions.append(mention)
        return mention

    def written(self, start: int, end: int) -> str:
        return squash(self.masked[start:end])

    def at(self, pos: int, labels: tuple[str, ...] = ()) -> Mention | None:
        """The mention starting at POS (after white space), if any."""
        while pos < len(self.masked) and self.masked[pos] in " \t":
            pos += 1
        for m in self.mentions:
            if m.start == pos and (not labels or m.label in labels):
                return m
        return None

    def sentence_of(self, pos: int) -> Sentence | None:
        for s in self.sentences:
            if s.start <= pos < s.end:
                return s
        return None


# ---------------------------------------------------------------- patterns built from lexicons


def _alternation(names) -> str:
    return "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(set(names), key=len, reverse=True))


@cache
def _place_names(lexicon: Lexicon) -> dict[str, list[Regency]]:
    out: dict[str, list[Regency]] = {}
    for r in lexicon.regencies.values():
        out.setdefault(r.name, []).append(r)
    for alias, code in lexicon.place_aliases.items():
        out.setdefault(alias, []).append(lexicon.regencies[code])
    return out


@cache
def _province_names(lexicon: Lexicon) -> dict[str, str]:
    out = {}
    for p in lexicon.provinces.values():
        for n in (p.label, p.name, *p.aliases):
            if n.startswith("Provinsi "):
                continue
            out[n] = p.code
    return out


@cache
def _regexes(lexicon: Lexicon) -> dict[str, re.Pattern]:
    places = _alternation(_place_names(lexicon))
    provinces = _alternation(_province_names(lexicon))
    agency_names = _alternation([n for a in lexicon.agencies.values() for n in (a.label, *a.aliases)])
    ministries = _alternation([m.portfolio for m in lexicon.ministries])
    ministry_aliases = _alternation([a for m in lexicon.ministries for a in m.ministry_aliases])
    minister_aliases = _alternation([a for m in lexicon.ministries for a in m.minister_aliases])
    offices = _alternation([o.form for o in lexicon.offices])
    modifiers = _alternation(lexicon.office_modifiers)
    heads = _alternation(lexicon.agency_heads)
    units = _alternation(lexicon.unit_abbreviations)
    return {
        "localgov": re.compile(
            rf"\b(?:Pemerintah\s+(?P<long>Kota|Kabupaten|Provinsi)(?:\s+Administrasi)?|(?P<short>Pemkot|Pemko|Pemkab|Pemprov))"
            rf"(?:\s+dan\s+(?P<other>Pemkot|Pemko|Pemkab|Pemerintah\s+Kota|Pemerintah\s+Kabupaten))?"
            rf"\s+(?:(?P<place>{places})|(?P<province>{provinces}))\b"),
        "aceh": re.compile(r"\bPemerintah\s+Aceh\b"),
        "municipality": re.compile(
            rf"\b(?P<kind>Kota(?:\s+Administrasi)?|Kabupaten(?:\s+Administrasi)?|Kab\.)\s+(?P<place>{places})\b"),
        "province": re.compile(rf"\b(?:Provinsi\s+)?(?P<name>{provinces})\b"),
        "bare_place": re.compile(rf"\b(?P<place>{places})\b"),
        "agency": re.compile(rf"(?<![\w-])(?P<name>{agency_names})(?![\w-])"),
        "branch": re.compile(
            rf"\s+(?:(?P<kc>Kantor\s+Cabang|Cabang|KC)\s+(?P<branch>{BRANCH_WORD}(?:[ \t]+{BRANCH_WORD}){{0,2}})"
            rf"|(?P<rep>Perwakilan)\s+(?:Provinsi\s+)?(?P<province>{provinces}))"),
        "regional_office": re.compile(rf"\b(?:Kantor\s+Wilayah|Kanwil)\s+(?P<name>{agency_names})\s+(?P<province>{provinces})\b"),
        "supervisory": re.compile(rf"\b(?P<unit>Dewan\s+Pengawas|Dewan\s+Direksi|Dewan\s+Komisaris)\s+(?P<name>{agency_names})\b"),
        "ministry": re.compile(rf"\bKementerian\s+(?P<portfolio>{ministries})(?![\w])"),
        "ministry_alias": re.compile(rf"(?<![\w-])(?P<alias>{ministry_aliases})(?![\w-])"),
        "head": re.compile(rf"\b(?P<head>{heads})\s+(?=[A-Z])"),
        "unit": re.compile(rf"(?<![\w-])(?P<unit>{units})(?![\w-])"),
        "office": re.compile(rf"(?<![\w-])(?:(?P<mod>{modifiers})\s+)?(?P<form>{offices})(?![\w-])"),
        "minister_alias": re.compile(rf"(?<![\w-])(?:(?P<mod>Wakil)\s+)?(?P<alias>{minister_aliases})(?![\w-])"),
        "portfolio": re.compile(rf"\s*(?P<portfolio>{ministries})(?![\w])"),
    }


# ---------------------------------------------------------------- places and governments


def _localgov_mention(doc: Doc, start: int, end: int, kind: str, regency: Regency | None,
                      province: str | None, source: str, written_kind: str) -> Mention:
    lex = doc.lexicon
    if regency is not None:
        code, area_key = regency.code, f"municipality:{regency.code}"
        place = regency.official_name.split(" ", 1)[1] if "Administrasi" in regency.official_name else regency.name
        name = f"Pemerintah {'Kota' if regency.kind == 'kota' else 'Kabupaten'} {place}"
        short = {"kota": "Pemkot", "kabupaten": "Pemkab"}[regency.kind]
        aliases = [f"{short} {regency.name}"]
        if written_kind == "Pemko":
            aliases.append(f"Pemko {regency.name}")
    else:
        p = lex.provinces[province]
        code, area_key = p.code, f"province:{p.code}"
        name = "Pemerintah Aceh" if p.code == "11" and source == "pemerintah-aceh" else f"Pemerintah Provinsi {p.label}"
        aliases = [f"Pemprov {p.label}"]
    written = doc.written(start, end)
    aliases += [written, squash(doc.text[start:end])]
    return Mention(written, start, end, "Agency", source, f"localgov:{code}", name,
                   tuple(a for a in dict.fromkeys(aliases) if a != name),
                   (("governs", area_key), ("kind", kind), ("government", "yes")))


def _pick_regency(lex: Lexicon, name: str, kind: str | None) -> Regency | None:
    cands = _place_names(lex).get(name, [])
    if kind:
        same = [r for r in cands if r.kind == kind]
        return same[0] if len(same) == 1 else None
    return cands[0] if len(cands) == 1 else None


def find_local_governments(doc: Doc) -> None:
    """"Pemerintah Kota (Pemkot) Blitar", "Pemkab Bogor", "Pemko Padang", "Pemprov Jateng", "Pemkab dan Pemkot Bima"."""
    lex = doc.lexicon
    for m in _regexes(lex)["localgov"].finditer(doc.masked):
        if not doc.free(m.start(), m.end()):
            continue
        written_kind = m["short"] or m["long"]
        kind = LOCAL_GOV.get(written_kind, LOCAL_GOV.get(written_kind.split()[-1], "kota"))
        kinds = [(kind, written_kind)]
        if m["other"]:
            other = m["other"].split()[-1]
            kinds.append((LOCAL_GOV.get(other, "kota"), other))
        for k, wk in kinds:
            if m["province"] and (k == "provinsi" or not m["place"]):
                doc.add(_localgov_mention(doc, m.start(), m.end(), "provinsi", None,
                                          _province_names(lex)[_canon(m["province"], _province_names(lex))],
                                          "local-government", wk))
            elif m["place"]:
                r = _pick_regency(lex, _canon(m["place"], _place_names(lex)), k if k != "provinsi" else None)
                if r is not None:
                    doc.add(_localgov_mention(doc, m.start(), m.end(), r.kind, r, None, "local-government", wk))
    for m in _regexes(lex)["aceh"].finditer(doc.masked):
        if doc.free(m.start(), m.end()):
            doc.add(_localgov_mention(doc, m.start(), m.end(), "provinsi", None, "11", "pemerintah-aceh", "Pemerintah"))


def _canon(written: str, table: dict) -> str:
    """The lexicon's spelling of a name matched with flexible white space."""
    w = " ".join(written.split())
    return w if w in table else next((k for k in table if " ".join(k.split()) == w), w)


def _municipality(doc: Doc, start: int, end: int, r: Regency, source: str) -> Mention:
    written = doc.written(start, end)
    # the bare name is another name only where the article uses it alone (ANNOTATION.md, "Rules settled")
    aliases = tuple(a for a in dict.fromkeys([written]) if a != r.label)
    return Mention(written, start, end, "Municipality", source, f"municipality:{r.code}", r.label, aliases,
                   (("code", r.code), ("kind", r.kind)))


def find_municipalities(doc: Doc) -> None:
    """"Kota Blitar", "Kabupaten Bogor", "Kota Administrasi Jakarta Barat"."""
    lex = doc.lexicon
    for m in _regexes(lex)["municipality"].finditer(doc.masked):
        if not doc.free(m.start(), m.end()):
            continue
        kind = "kota" if m["kind"].startswith("Kota") else "kabupaten"
        r = _pick_regency(lex, _canon(m["place"], _place_names(lex)), kind)
        if r is None and "Administrasi" in m["kind"]:
            r = _pick_regency(lex, _canon(m["place"], _place_names(lex)), None)
        if r is not None:
            doc.add(_municipality(doc, m.start(), m.end(), r, "regencies.csv"))


def _province(doc: Doc, start: int, end: int, code: str) -> Mention:
    p = doc.lexicon.provinces[code]
    written = doc.written(start, end)
    aliases = tuple(a for a in dict.fromkeys([written]) if a != p.label)
    return Mention(written, start, end, "Province", "provinces.csv", f"province:{code}", p.label, aliases,
                   (("code", code),))


def find_provinces(doc: Doc) -> None:
    """"Jawa Timur", "Provinsi Banten", "NTB", "Jateng"."""
    names = _province_names(doc.lexicon)
    for m in _regexes(doc.lexicon)["province"].finditer(doc.masked):
        if doc.free(m.start(), m.end()) and not _blocked(doc, m.start()):
            doc.add(_province(doc, m.start(), m.end(), names[_canon(m["name"], names)]))


def _blocked(doc: Doc, start: int) -> bool:
    """True when the word before START makes the place part of another name ("Jalan Merdeka", "Pasar Sila")."""
    before = doc.masked[max(0, start - 30):start].split()
    return bool(before) and before[-1] in doc.lexicon.place_blockers


def find_bare_places(doc: Doc) -> None:
    """A kota/kabupaten named without "Kota"/"Kabupaten": resolved by the article's explicit mentions."""
    lex = doc.lexicon
    explicit: dict[str, set[str]] = {}
    for m in doc.mentions:
        if m.label == "Municipality" or m.attr("government"):
            key = m.key if m.label == "Municipality" else m.attr("governs")
            if key.startswith("municipality:"):
                r = lex.regencies[key.split(":")[1]]
                explicit.setdefault(r.name, set()).add(r.code)
    for m in _regexes(lex)["bare_place"].finditer(doc.masked):
        if not doc.free(m.start(), m.end()) or _blocked(doc, m.start()):
            continue
        name = _canon(m["place"], _place_names(lex))
        prev = re.search(r"(\S+)[ \t]+$", doc.masked[:m.start()])
        if prev and prev.group(1)[:1].isupper() and prev.group(1)[-1].isalpha():
            sentence = doc.sentence_of(m.start())
            if not sentence or sentence.start != prev.start(1):
                continue   # part of a longer proper name: "Pecinan Semarang", "Kota Kasih"
        regs = _place_names(lex)[name]
        codes = explicit.get(regs[0].name, set())
        if len(codes) == 1:
            r = lex.regencies[next(iter(codes))]
        elif not codes and len(regs) == 1 and name not in lex.bare_place_stoplist:
            r = regs[0]
        else:
            continue
        doc.add(_municipality(doc, m.start(), m.end(), r, "bare-place"))


# ---------------------------------------------------------------- agencies


def _agency(doc: Doc, start: int, end: int, key: str, name: str, aliases=(), attrs=(), source="agencies.tsv") -> Mention:
    written = doc.written(start, end)
    al = tuple(a for a in dict.fromkeys([written, *aliases]) if a and a != name)
    return Mention(written, start, end, "Agency", source, key, name, al, tuple(attrs))


def find_national_agencies(doc: Doc) -> None:
    """Bodies in agencies.tsv and ministries.tsv, with their branch, regional and supervisory offices."""
    lex, rx = doc.lexicon, _regexes(doc.lexicon)
    by_name = {n: a for a in lex.agencies.values() for n in (a.label, *a.aliases)}
    for m in rx["regional_office"].finditer(doc.masked):
        a, code = by_name[_canon(m["name"], by_name)], _province_names(lex)[_canon(m["province"], _province_names(lex))]
        p = lex.provinces[code]
        name = f"Kantor Wilayah {a.label} {p.label}"
        doc.add(_agency(doc, m.start(), m.end(), f"agency:{a.key}/kanwil/{code}", name,
                        [f"Kanwil {a.label} {p.label}", f"Kantor Wilayah {m['name']} {m['province']}"],
                        [("parent", f"agency:{a.key}"), ("parent_name", a.label)]))
    for m in rx["supervisory"].finditer(doc.masked):
        if doc.free(m.start(), m.end()):
            a = by_name[_canon(m["name"], by_name)]
            unit = squash(m["unit"])
            doc.add(_agency(doc, m.start(), m.end(), f"agency:{a.key}/{slug(unit)}", f"{unit} {a.label}", [],
                            [("parent", f"agency:{a.key}"), ("parent_name", a.label)]))
    for m in rx["agency"].finditer(doc.masked):
        if not doc.free(m.start(), m.end()):
            continue
        a = by_name[_canon(m["name"], by_name)]
        end, key, name, aliases, attrs = m.end(), f"agency:{a.key}", a.label, [m["name"]], []
        b = rx["branch"].match(doc.masked, m.end())
        if b and b["branch"]:
            place = _place_prefix(doc, squash(b["branch"]))
            place_words = place.split()
            end = b.start("branch") + len(b["branch"].split(place_words[-1])[0]) + len(place_words[-1]) \
                if place_words else b.end()
            key, name = f"agency:{a.key}/cabang/{slug(place)}", f"{a.label} Cabang {place}"
            aliases = [f"{a.label} {squash(b['kc'])} {place}"]
            attrs = [("parent", f"agency:{a.key}"), ("parent_name", a.label)]
        elif b and b["rep"]:
            code = _province_names(lex)[_canon(b["province"], _province_names(lex))]
            p = lex.provinces[code]
            end = b.end()
            key, name = f"agency:{a.key}/perwakilan/{code}", f"{a.label} Perwakilan {p.label}"
            written_place = squash(b["province"])
            aliases = [f"{n} Perwakilan {pl}" for n in (a.label, m["name"]) for pl in (p.label, written_place)]
            aliases += [f"{a.label} Perwakilan Provinsi {p.label}"]
            attrs = [("parent", f"agency:{a.key}"), ("parent_name", a.label)]
        doc.add(_agency(doc, m.start(), end, key, name, aliases, attrs))
    for m in rx["ministry"].finditer(doc.masked):
        if doc.free(m.start(), m.end()):
            portfolio = _canon(m["portfolio"], {x.portfolio: x for x in lex.ministries})
            ministry = next(x for x in lex.ministries if x.portfolio == portfolio)
            doc.add(_agency(doc, m.start(), m.end(), f"agency:{slug(ministry.name)}", ministry.name,
                            [a for a in ministry.ministry_aliases if a in doc.text], [("portfolio", portfolio)],
                            "ministries.tsv"))
    for m in rx["ministry_alias"].finditer(doc.masked):
        if doc.free(m.start(), m.end()):
            ministry = next(x for x in lex.ministries if _canon(m["alias"], {a: 1 for a in x.ministry_aliases})
                            in x.ministry_aliases)
            doc.add(_agency(doc, m.start(), m.end(), f"agency:{slug(ministry.name)}", ministry.name,
                            [m["alias"]], [("portfolio", ministry.portfolio)], "ministries.tsv"))


def _name_words(doc: Doc, pos: int, stop_at_place: bool) -> int:
    """End of the run of capitalised words (and "dan", commas between them) from POS."""
    lex = doc.lexicon
    word = re.compile(r"\s*(?:,\s*)?(?:(?:dan|&)\s+)?(" + CAP + r")")
    end = pos
    rx = _regexes(lex)
    while True:
        m = word.match(doc.masked, end)
        if not m or m.group(1) in PRONOUNS - NAME_STOP_IN_BODIES:
            break
        if "," in doc.masked[end:m.start(1)] and not ENUMERATION.match(doc.masked, end):
            break   # a comma continues a name only in a list closed by "dan": "Pendidikan, Kepemudaan, dan Olahraga"
        w0 = m.start(1)
        if stop_at_place and (rx["localgov"].match(doc.masked, w0) or rx["municipality"].match(doc.masked, w0)
                              or rx["province"].match(doc.masked, w0) or rx["bare_place"].match(doc.masked, w0)):
            break
        if doc.at(w0, ("Person",)) or rx["office"].match(doc.masked, w0) and m.group(1) not in ("Kepala",):
            break
        if any(m2.start == w0 for m2 in doc.mentions if m2.label in ("Agency",)):
            break
        token = m.group(1)
        if token.endswith(".") and not re.fullmatch(r"(?:[A-Z]\.)+|[Dd]r\.|[A-Z][a-z]?\.", token):
            end = m.end(1) - 1   # "Negeri Madiun." ends the sentence
            break
        end = m.end(1)
    return end


def _trim_by_other_mentions(doc: Doc, start: int, min_end: int, end: int) -> int:
    """Where a body's name runs into a person's ("Rektor Universitas Alma Ata Hamam Hadi"), cut it where
    the article shows the name ends: the same words stand alone elsewhere ("dengan Universitas Alma Ata,")
    or the words after are used as a person's name ("Helgawati menambahkan")."""
    words = list(re.finditer(r"\S+", doc.masked[min_end:end]))
    if len(words) < 2:
        return end
    lex = doc.lexicon
    speech = "|".join(sorted(lex.speech_after | lex.speech_before, key=len, reverse=True))
    for i in range(1, len(words)):
        cut = min_end + words[i - 1].end()
        name = doc.masked[start:cut]
        rest = doc.masked[min_end + words[i].start():end]
        pattern = re.escape(squash(name)).replace(r"\ ", r"\s+")
        alone = [m for m in re.finditer(pattern + r"(?=\s*[,.;:)]|\s+[a-z]|\s*$)", doc.masked) if m.start() != start]
        first = re.escape(rest.split()[0])
        as_person = re.search(rf"\b(?:{speech}),?\s+{first}\b|\b{first}(?:\s+\w+)?\s+(?:{speech})\b", doc.masked)
        if alone or as_person:
            return cut
    return end


def _place_prefix(doc: Doc, words: str) -> str:
    """The longest run of WORDS that is a known place ("Padang Fauzi Lukman" -> "Padang"), else the first word."""
    names = set(_place_names(doc.lexicon)) | set(_province_names(doc.lexicon))
    parts = words.split()
    for k in range(len(parts), 0, -1):
        if " ".join(parts[:k]) in names:
            return " ".join(parts[:k])
    return parts[0] if parts else words


def _qualifier(doc: Doc, pos: int) -> tuple[Mention | None, int]:
    """The government a local unit belongs to, written right after it: "Pemkab Bogor", "Kota Padang", "Badung"."""
    lex, rx = doc.lexicon, _regexes(doc.lexicon)
    m = re.compile(r"\s+").match(doc.masked, pos)
    p = m.end() if m else pos
    found = doc.at(p, ("Agency",))
    if found and (found.attr("government") or found.attr("portfolio")):
        return found, found.end
    for name in ("localgov", "municipality"):
        q = rx[name].match(doc.masked, p)
        if q:
            before = len(doc.mentions)
            (find_local_governments if name == "localgov" else find_municipalities)(_Window(doc, p, q.end()))
            new = [x for x in doc.mentions[before:] if x.start == p]
            if new:
                return _as_government(doc, new[0]), new[0].end
    q = rx["province"].match(doc.masked, p)
    b = rx["bare_place"].match(doc.masked, p)
    if q and q.start() == p and not (b and b.end() > q.end()):   # "Lampung Barat" is not "Lampung"
        code = _province_names(lex)[_canon(q["name"], _province_names(lex))]
        return _localgov_mention(doc, p, q.end(), "provinsi", None, code, "qualifier", "Provinsi"), q.end()
    q = b
    if q:
        r = _pick_regency(lex, _canon(q["place"], _place_names(lex)), None)
        explicit = {x.attr("governs") for x in doc.mentions if x.attr("government")}
        cands = [x for x in _place_names(lex)[_canon(q["place"], _place_names(lex))]
                 if f"municipality:{x.code}" in explicit]
        r = cands[0] if len(cands) == 1 else r
        if r is not None:
            return _localgov_mention(doc, p, q.end(), r.kind, r, None, "qualifier", r.kind), q.end()
    return None, pos


class _Window:
    """A view of a Doc whose free() admits only one span: lets a recogniser run on a qualifier."""

    def __init__(self, doc: Doc, start: int, end: int) -> None:
        self._doc, self._start, self._end = doc, start, end

    def __getattr__(self, name):
        return getattr(self._doc, name)

    def free(self, start: int, end: int) -> bool:
        return start == self._start and end <= self._end


def _as_government(doc: Doc, m: Mention) -> Mention:
    """A municipality named as a qualifier ("Dinas Kesehatan Kota Padang") stands for its government."""
    doc.mentions.remove(m)
    if m.label == "Agency":
        return m
    r = doc.lexicon.regencies[m.key.split(":")[1]]
    return _localgov_mention(doc, m.start, m.end, r.kind, r, None, "qualifier", r.kind)


def _place_body(doc: Doc, start: int, head_end: int, unit: str) -> None:
    """"Kejaksaan Negeri (Kejari) Lampung Barat", "Polres Madiun": a body named by the place it serves."""
    rx = _regexes(doc.lexicon)
    p = re.compile(r"\s+").match(doc.masked, head_end)
    p = p.end() if p else head_end
    found = [m for m in (rx["municipality"].match(doc.masked, p), rx["bare_place"].match(doc.masked, p),
                         rx["province"].match(doc.masked, p)) if m]
    if not found:
        return   # "Kejari" alone refers back to a body named in full
    end = max(m.end() for m in found)
    place = doc.written(p, end)
    name = f"{unit} {place}"
    written = doc.written(start, end)
    doc.add(_agency(doc, start, end, f"agency:{slug(name)}", name, [written], [("unit", unit)],
                    f"agency_heads.tsv:{unit}"))


def find_pattern_agencies(doc: Doc) -> None:
    """Bodies named by a head word: "Dinas Kesehatan (Dinkes) Pemkab Bogor", "RSUD S.K. Lerik",
    "Kejaksaan Negeri (Kejari) Lampung Barat", "Universitas Alma Ata", and short forms "Dinkes Pemkot Bogor"."""
    lex, rx = doc.lexicon, _regexes(doc.lexicon)
    spans = [(m.start(), m.end("head"), m["head"], "head") for m in rx["head"].finditer(doc.masked)]
    spans += [(m.start(), m.end(), m["unit"], "unit") for m in rx["unit"].finditer(doc.masked)]
    spans += [(m.start(), m.end(), m.group(), "abbr") for a in doc.abbreviations
              if any(doc.abbreviations[a].startswith(h + " ") for h in lex.agency_heads)
              for m in re.finditer(rf"(?<![\w-]){re.escape(a)}(?![\w-])", doc.masked)]
    for start, head_end, head, how in sorted(spans):
        if not doc.free(start, head_end):
            continue
        unit_name = " ".join(head.split()) if how == "head" else \
            (lex.unit_abbreviations.get(head) or doc.abbreviations.get(head, "") or head)
        heads = [h for h in lex.agency_heads if unit_name == h or unit_name.startswith(h + " ")]
        if heads and lex.agency_heads[max(heads, key=len)] == "place":
            _place_body(doc, start, head_end, unit_name)
            continue
        if how == "head":
            full_head = " ".join(head.split())
            scope = lex.agency_heads.get(full_head, "named")
            end = _name_words(doc, head_end, stop_at_place=(scope == "local"))
            if end == head_end and not (scope == "local" and _qualifier(doc, end)[0] is not None):
                continue   # "Sekretariat Daerah Kota Padang" is a whole name; "Dinas Kota Padang" is not
            if scope == "named":
                end = _trim_by_other_mentions(doc, start, head_end, end)
            unit = doc.written(start, end)
        else:
            long = lex.unit_abbreviations.get(head) or doc.abbreviations.get(head, "")
            unit = long or head
            heads = [h for h in lex.agency_heads if unit == h or unit.startswith(h + " ")]
            scope = lex.agency_heads[max(heads, key=len)] if heads else "local"
            end = head_end
            if scope == "named":
                end = _name_words(doc, head_end, stop_at_place=False)
                unit = unit + doc.text[head_end:end] if end > head_end else unit
        if not doc.free(start, end):
            continue
        written_unit = doc.written(start, end)
        attrs: list[tuple[str, str]] = []
        qualifier, q_end = (None, end)
        if scope == "local":
            qualifier, q_end = _qualifier(doc, end)
        if qualifier is not None:
            q_written = doc.written(qualifier.start, qualifier.end)
            name = f"{unit} {q_written}"
            aliases = [f"{written_unit} {q_written}", f"{unit} {qualifier.name}"]
            full = f"{unit} {q_written}"
            short_forms = list(doc.abbreviations.items()) + [
                (a, long) for a, long in lex.unit_abbreviations.items()
                if re.search(rf"(?<![\w-]){re.escape(a)}(?![\w-])", doc.text)]
            # "Dinkes" for "Dinas Kesehatan", "Setdako" for "Sekretariat Daerah Kota": Setdako Pematangsiantar
            aliases += [f"{a}{full[len(long):]}" for a, long in short_forms if full.startswith(long + " ")]
            national = not qualifier.attr("government")
            key = f"agency:{slug(unit)}@{qualifier.key.split(':')[1]}" if not national else \
                f"agency:{slug(unit)}"
            if national:   # "Badan Strategi Kebijakan Dalam Negeri (BSKDN) Kemendagri": the unit's own name
                aliases, name = aliases + [name], unit
            attrs = [("parent", qualifier.key), ("parent_name", qualifier.name), ("unit", unit)]
            if qualifier not in doc.mentions and qualifier.source != "qualifier":
                doc.add(qualifier)
            end = q_end
        else:
            name = unit
            aliases = [written_unit] + [a for a, long in doc.abbreviations.items() if long == unit]
            key = f"agency:{slug(unit)}"
            if scope == "local":
                attrs = [("unit", unit), ("needs_parent", "yes")]
        doc.add(_agency(doc, start, end, key, name, aliases, attrs, f"agency_heads.tsv:{head}"))


# ---------------------------------------------------------------- offices and persons


def _office_for(lex: Lexicon, form: str):
    return next(o for o in lex.offices if " ".join(o.form.split()) == " ".join(form.split()))


def _strip_titles(doc: Doc, pos: int) -> int:
    """Skip a comma and prefix titles ("dr.", "H.", "Prof.") at POS."""
    lex = doc.lexicon
    while True:
        m = re.compile(r"\s*,?\s*([^\s,]+)").match(doc.masked, pos)
        if m and (m.group(1) in lex.prefix_titles or m.group(1).rstrip(".") + "." in lex.prefix_titles
                  and len(m.group(1).rstrip(".")) <= 3 and m.group(1).rstrip(".") not in ("M",)):
            pos = m.end()
            continue
        m2 = re.compile(r"\s*,\s*").match(doc.masked, pos)
        return m2.end() if m2 else pos


def _read_name(doc: Doc, pos: int, max_words: int = 6) -> tuple[int, int, str] | None:
    """A personal name starting at POS (titles skipped): (start, end, name) or None."""
    lex, rx = doc.lexicon, _regexes(doc.lexicon)
    pos = _strip_titles(doc, pos)
    m = re.compile(r"\s*").match(doc.masked, pos)
    start = m.end()
    words: list[tuple[int, int]] = []
    p = start
    while len(words) < max_words:
        w = re.compile(r"[ \t]*(" + NAME_WORD.pattern + r")").match(doc.masked, p)
        if not w:
            break
        token = w.group(1)
        if token in lex.suffix_titles or token.rstrip(".") + "." in lex.suffix_titles and len(words) > 0 and token.count(".") > 1:
            break
        month = token.lower() in lex.months and re.match(r"\.?\s+\d{4}", doc.masked[w.end(1):])  # "Agus" is a name
        if token in PRONOUNS or rx["office"].match(doc.masked, w.start(1)) or token in lex.agency_heads \
                or month or doc.at(w.start(1), ("Agency", "Award", "Agreement")):
            break
        if words and doc.masked[words[-1][1]:w.start(1)].count("\n"):
            break
        words.append((w.start(1), w.end(1)))
        p = w.end(1)
        if token.endswith(".") and len(token) > 3 and not re.fullmatch(r"(?:[A-Z]\.)+", token):
            break   # "Nurdin." closes the sentence
    while words and doc.masked[words[-1][0]:words[-1][1]] in lex.suffix_titles:
        words.pop()
    if not words:
        return None
    end = words[-1][1]
    name = squash(doc.masked[start:end]).rstrip(",")
    if name.endswith(".") and not re.search(r"\b[A-Z]\.$", name):
        name, end = name[:-1], end - 1
    first = name.split()[0]
    if len(name) < 3 or first in PRONOUNS or not first[:1].isupper() or name.isupper() and len(name) > 4:
        return None
    return start, end, name


def _person(doc: Doc, start: int, end: int, name: str, source: str, attrs=()) -> Mention:
    return Mention(doc.text[start:end], start, end, "Person", source, f"person:{slug(name)}", name, (), tuple(attrs))


def _minister_office(doc: Doc, m: re.Match, form: str) -> tuple[str, int, str] | None:
    """"Menteri Kesehatan", "Menko PMK", "Menteri LHK": (office written out, end, ministry key)."""
    lex, rx = doc.lexicon, _regexes(doc.lexicon)
    prefix = "Wakil Menteri" if form in ("Wakil Menteri", "Wamen") else "Menteri"
    end = m.end("form")
    if form == "Menko":
        p = rx["portfolio"].match(doc.masked, end)
        a = re.compile(r"\s+([A-Z][\w]*)").match(doc.masked, end)
        for ministry in lex.ministries:
            if a and f"Menko {a.group(1)}" in ministry.minister_aliases:
                return f"Menteri {ministry.portfolio}", a.end(), f"agency:{slug(ministry.name)}"
        return None
    p = rx["portfolio"].match(doc.masked, end)
    if p:
        portfolio = _canon(p["portfolio"], {x.portfolio: 1 for x in lex.ministries})
        return f"{prefix} {portfolio}", p.end(), f"agency:{slug('Kementerian ' + portfolio)}"
    short = re.compile(r"\s+([A-Z][\w/-]*)").match(doc.masked, end)
    if short:   # "Menteri LHK": the ministry is "KLHK" or "Kementerian LHK" in the article or lexicon
        for ministry in lex.ministries:
            if f"Menteri {short.group(1)}" in ministry.minister_aliases or \
                    f"K{short.group(1)}" in ministry.ministry_aliases:
                return f"{prefix} {ministry.portfolio}", short.end(), f"agency:{slug(ministry.name)}"
    return None


def _body_after_office(doc: Doc, end: int) -> tuple[str, Mention] | None:
    """The body an office belongs to, named right after it, and the office's own words before the body:
    "Kepala Seksi Intelijen Kejari X" -> ("Seksi Intelijen", Kejari X)."""
    for stop in range(end, min(len(doc.masked), end + 80)):
        if doc.masked[stop:stop + 1] in ",.\n":
            return None
        body = doc.at(stop, ("Agency",)) if doc.masked[stop - 1:stop] == " " else None
        if body:
            words = squash(doc.masked[end:stop])
            if words and not all(w[:1].isupper() or re.fullmatch(r"[IVX]+|dan", w) for w in words.split()):
                return None
            return words, body
    return None


def find_offices(doc: Doc) -> None:
    """Offices and the persons holding them: "Wakil Wali Kota Blitar Elim Tyu Samba",
    "Kepala BPJS Kesehatan Cabang Kediri, Tutus Novita Dewi", "Menteri Kesehatan Budi Gunadi Sadikin"."""
    lex, rx = doc.lexicon, _regexes(doc.lexicon)
    hits = [(m.start(), m, "office") for m in rx["office"].finditer(doc.masked)]
    hits += [(m.start(), m, "minister_alias") for m in rx["minister_alias"].finditer(doc.masked)]
    for _, m, how in sorted(hits, key=lambda h: h[0]):
        if any(x.label == "Office" and x.start <= m.start() < x.end for x in doc.mentions):
            continue
        before = doc.masked[max(0, m.start() - 12):m.start()].split()
        if before and before[-1] in ("Kantor", "Rumah", "Balai", "Gedung", "Rumah", "mantan", "eks"):
            continue
        modifier = lex.office_modifiers.get(m["mod"], "") if m["mod"] else ""
        if how == "minister_alias":
            ministry = next(x for x in lex.ministries if m["alias"] in x.minister_aliases)
            office_name = f"{'Wakil ' if m['mod'] else ''}Menteri {ministry.portfolio}"
            end, affiliation, attaches = m.end(), f"agency:{slug(ministry.name)}", "minister"
        else:
            office = _office_for(lex, m["form"])
            office_name, end, affiliation, attaches = office.office, m.end(), "", office.attaches
            if attaches == "minister":
                found = _minister_office(doc, m, m["form"])
                if not found:
                    continue
                office_name, end, affiliation = found
        attrs: list[tuple[str, str]] = []
        if attaches in ("kota", "kabupaten", "provinsi", "localgov"):
            q = re.compile(r"\s+(?:Administrasi\s+)?").match(doc.masked, end)
            p = q.end() if q else end
            at = doc.at(p, ("Agency",))
            place = None
            if at and at.attr("government"):
                affiliation, end = at.key, at.end
            elif attaches == "provinsi" or attaches == "localgov":
                pm = rx["province"].match(doc.masked, p)
                if pm:
                    code = _province_names(lex)[_canon(pm["name"], _province_names(lex))]
                    affiliation, end = f"localgov:{code}", pm.end()
                    place = ("province", code)
            if not affiliation and attaches != "provinsi":
                mm = rx["municipality"].match(doc.masked, p) if attaches == "localgov" else None
                bm = rx["bare_place"].match(doc.masked, p)
                kind = attaches if attaches in ("kota", "kabupaten") else None
                if mm:
                    kind = "kota" if mm["kind"].startswith("Kota") else "kabupaten"
                    r = _pick_regency(lex, _canon(mm["place"], _place_names(lex)), kind)
                    if r:
                        affiliation, end, place = f"localgov:{r.code}", mm.end(), ("regency", r.code)
                elif bm:
                    r = _pick_regency(lex, _canon(bm["place"], _place_names(lex)), kind)
                    if r:
                        affiliation, end, place = f"localgov:{r.code}", bm.end(), ("regency", r.code)
            if not affiliation:
                attrs.append(("affiliation_kind", attaches))
            if place:
                attrs.append(("place_" + place[0], place[1]))
        elif attaches.startswith("agency"):
            unit = attaches.split(":", 1)[1] if ":" in attaches else ""
            found = _body_after_office(doc, end)
            if found:
                words, body = found
                office_name = squash(f"{office_name} {words}")
                affiliation, end = body.key, body.end
            if not affiliation and unit:
                attrs.append(("affiliation_unit", unit))
            elif not affiliation:
                continue
        if modifier:
            office_name = f"{modifier} {office_name}"
        doc.add(Mention(doc.text[m.start():end], m.start(), end, "Office", "positions.tsv",
                                         affiliation or "", office_name, (), tuple(attrs)))
        named = _read_name(doc, end)
        if named is None:
            continue
        ns, ne, name = named
        if doc.masked[end:ns].count(",") > 1 or not doc.free(ns, ne):
            continue
        title = doc.article.title
        if title and ns < len(title) and name not in doc.text[len(title):]:
            continue   # a headline capitalises every word: "Jadi Sekda DKI, Gantikan Marullah"
        pattrs = [("position", office_name)]
        if affiliation:
            pattrs.append(("affiliation", affiliation))
        pattrs += attrs
        doc.add(_person(doc, ns, ne, name, "office", pattrs))


def find_reverse_offices(doc: Doc) -> None:
    """"melantik Uus Kuswanto sebagai Sekretaris Daerah": a person named before "sebagai" and an office."""
    for office in [m for m in doc.mentions if m.label == "Office"]:
        before = doc.masked[max(0, office.start - 60):office.start]
        m = re.search(r"(" + NAME_WORD.pattern + r"(?:\s+" + NAME_WORD.pattern + r"){1,3})\s+sebagai\s+$", before)
        if not m:
            continue
        start = office.start - len(before) + m.start(1)
        named = _read_name(doc, start)
        if named and doc.free(named[0], named[1]) and named[2] == squash(m.group(1)):
            attrs = [("position", office.name)] + ([("affiliation", office.key)] if office.key else []) + list(office.attrs)
            doc.add(_person(doc, named[0], named[1], named[2], "office-sebagai", attrs))


def find_residents(doc: Doc) -> None:
    """"Endang (50), seorang warga": a name with an age in parentheses."""
    for m in re.finditer(r"(?<![\w])((?:[A-Z][a-z]+)(?:\s+[A-Z][a-z]+){0,3})\s*\((\d{1,3})\)", doc.masked):
        if doc.free(m.start(1), m.end(1)) and m.group(1).split()[0] not in PRONOUNS:
            doc.add(_person(doc, m.start(1), m.end(1), m.group(1), "resident-age"))


def _known_person(doc: Doc, name: str) -> Mention | None:
    """The full person mention whose name contains NAME as whole words ("Rudy" -> "Rudy Susmanto")."""
    words = name.split()
    best = None
    for p in doc.mentions:
        if p.label != "Person" or p.source == "short-name":
            continue
        pw = p.name.split()
        if any(pw[i:i + len(words)] == words for i in range(len(pw) - len(words) + 1)):
            best = best or p
    return best


def find_speakers(doc: Doc) -> None:
    """Persons named with a speech verb ("ujar Rudy", "Fusia menjelaskan"), and later short mentions."""
    lex = doc.lexicon
    after = "|".join(sorted(lex.speech_after, key=len, reverse=True))
    before = "|".join(sorted(lex.speech_before, key=len, reverse=True))
    name = NAME_WORD.pattern + r"(?:\s+" + NAME_WORD.pattern + r"){0,3}"
    find_nicknames(doc, name)
    cands = [(m.start(1), m.group(1)) for m in re.finditer(rf"\b(?:{after}),?\s+({name})", doc.masked)]
    cands += [(m.start(1), m.group(1)) for m in re.finditer(rf"({name})\s+(?:{before})\b", doc.masked)]
    for start, text in sorted(cands):
        named = _read_name(doc, start, max_words=4)
        if not named or not doc.free(named[0], named[1]):
            continue
        s, e, n = named
        if any(w in PRONOUNS or w.lower() in lex.months for w in n.split()):
            continue
        known = _known_person(doc, n)
        if known:
            doc.add(Mention(doc.text[s:e], s, e, "Person", "short-name", known.key, known.name, (n,)))
        elif len(n.split()) >= 2 and not _is_place_or_body(doc, n):
            doc.add(_person(doc, s, e, n, "speech-verb"))
    # short mentions of persons already named in full: "Parosil", "Jaya Negara"
    full = [p for p in doc.mentions if p.label == "Person" and p.source != "short-name"]
    for p in full:
        words = p.name.split()
        parts = {" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}
        parts = {x for x in parts if x != p.name and len(x) >= 3 and not re.fullmatch(r"(?:[A-Z]\.\s*)+", x)
                 and x.split()[0] not in PRONOUNS}
        for part in sorted(parts, key=len, reverse=True):
            for m in re.finditer(rf"(?<![\w.]){re.escape(part)}(?![\w])", doc.masked):
                if doc.free(m.start(), m.end()) and _known_person(doc, part) is p:
                    doc.add(Mention(part, m.start(), m.end(), "Person", "short-name", p.key, p.name, (part,)))


def find_nicknames(doc: Doc, name: str) -> None:
    """"Mas Abu, sapaan akrab wali kota" / "kata Zakiyah, sapaan akrabnya": a nickname the text introduces
    is another name of the person holding that office, or of the person last named."""
    for m in re.finditer(rf"({name}),?\s+sapaan\s+akrab(?:nya)?(?:\s+(\w+(?:\s+\w+)?))?", doc.masked):
        nick = squash(m.group(1))
        people = [p for p in doc.mentions if p.label == "Person" and p.source != "short-name" and p.start < m.start()]
        office = (m.group(2) or "").lower()
        holder = [p for p in people if p.attr("position") and office.startswith(p.attr("position").lower())]
        target = holder[-1] if holder else (people[-1] if people else None)
        if target is not None and doc.free(m.start(1), m.end(1)):
            aliases = tuple(dict.fromkeys([nick, nick.split()[-1]]))
            doc.add(Mention(nick, m.start(1), m.end(1), "Person", "nickname", target.key, target.name, aliases))


def _is_place_or_body(doc: Doc, name: str) -> bool:
    lex = doc.lexicon
    return name in _place_names(lex) or name in _province_names(lex) or any(
        name in (a.label, *a.aliases) for a in lex.agencies.values())


# ---------------------------------------------------------------- awards and agreements


def find_awards(doc: Doc) -> None:
    """Award names from awards.tsv, with a generic word before them and a year after them."""
    lex = doc.lexicon
    generic = "|".join(sorted(lex.award_words.get("generic", ()), key=len, reverse=True))
    for fam in lex.awards:
        rx = re.compile(rf"(?<![\w-])(?:(?P<generic>{generic})\s+)?(?P<core>{fam.pattern.pattern})"
                        rf"(?:\s+(?:[Tt]ahun\s+)?(?P<year>(?:19|20)\d\d))?(?![\w-])")
        for m in rx.finditer(doc.masked):
            if not doc.free(m.start("core"), m.end()) or fam.needs and not fam.needs.search(m.group()):
                continue
            core = squash(m["core"])
            year = m["year"] or ""
            g = m["generic"] or ""
            has_generic_inside = core.split()[0].lower() in {w.lower() for w in lex.award_words.get("generic", ())}
            lead = g.capitalize() if g and not re.search(r"Awards?$", core) and not has_generic_inside else ""
            if lead and g[:1].islower() and not g.lower() in ("penghargaan", "piala", "predikat"):
                lead = g
            name = squash(f"{lead} {core} {year}")
            aliases = [squash(f"{core} {year}"), squash(doc.text[m.start():m.end()]), doc.written(m.start(), m.end())]
            for abbr, long in doc.abbreviations.items():
                if long in name:
                    aliases.append(name.replace(long, abbr))
                if re.search(rf"\b{re.escape(abbr)}\b", name):
                    aliases.append(re.sub(rf"\b{re.escape(abbr)}\b", long, name))
            alt = doc.other_names.get(_next_paren(doc.text, m.end("core")), "")
            in_name = [g2 for g2 in fam.grades if re.search(rf"\b{re.escape(g2)}\b", core, re.IGNORECASE)]
            grades = []   # a grade stated beside the name wins over one inside it
            if alt:
                aliases.append(alt)
                grades += [g2 for g2 in fam.grades if g2.lower() == alt.lower()]
            tail = doc.masked[m.end():m.end() + 40]
            t = re.match(r"\s*(?:dengan|kategori|predikat|peringkat)\s+(" + CAP + r"(?:\s+" + CAP + r")?)", tail, re.IGNORECASE)
            if t:
                grade = next((g2 for g2 in fam.grades if t.group(1).lower().startswith(g2.lower())), None)
                if grade:
                    grades.append(grade)
                elif t.group(1)[:1].isupper():
                    grades.append(squash(t.group(1)).split()[0])
            attrs = [("family", fam.family), ("year", year), ("generic", g.lower())]
            if grades or in_name:
                attrs.append(("grade", (grades or in_name)[-1]))
                attrs.append(("grade_stated", "yes" if grades else ""))
            doc.add(Mention(doc.text[m.start():m.end()], m.start(), m.end(), "Award", f"awards.tsv:{fam.family}",
                            f"award:{fam.family}:{year}", name,
                            tuple(a for a in dict.fromkeys(aliases) if a != name), tuple(attrs)))


def _next_paren(text: str, pos: int) -> int:
    m = re.compile(r"\s*\(").match(text, pos)
    return m.end() - 1 if m else -1


def find_agreements(doc: Doc) -> None:
    """"Memorandum of Understanding (MoU) Jaminan Kesehatan Nasional", "nota kesepahaman", "PKS"."""
    lex = doc.lexicon
    hits = []
    for kind in lex.agreements:
        for m in kind.pattern.finditer(doc.masked):
            hits.append((m.start(), m.end(), kind))
    hits.sort(key=lambda h: (h[0], -h[1]))
    taken_end = -1
    for start, end, kind in hits:
        if start < taken_end or not doc.free(start, end):
            continue
        # "nota kesepahaman atau Memorandum of Understanding (MoU)": one agreement, two names
        names = [squash(doc.masked[start:end])]
        j = re.compile(r"\s+atau\s+").match(doc.masked, end)
        if j:
            nxt = [h for h in hits if h[0] == j.end() and h[2].kind == kind.kind]
            if nxt:
                names.append(squash(doc.masked[nxt[0][0]:nxt[0][1]]))
                end = max(h[1] for h in nxt)
        abbr_paren = re.compile(r"\s*\(([A-Za-z]+)\)").match(doc.text, end)
        subject_start = abbr_paren.end() if abbr_paren else end
        s = re.compile(r"((?:\s+(?:[A-Z][\w-]*|dan|&))*)").match(doc.masked, subject_start)
        subject = ""
        if s and s.group(1).strip():
            words = []
            p = subject_start
            for w in re.finditer(r"\s+([A-Z][\w-]*|dan|&)", doc.masked[subject_start:s.end()]):
                wpos = subject_start + w.start(1)
                if doc.at(wpos) or w.group(1) in PRONOUNS or doc.masked[p:wpos].count("\n"):
                    break
                words.append(w.group(1))
                p = subject_start + w.end(1)
            while words and words[-1] in ("dan", "&"):
                words.pop()
            subject = " ".join(words)
            end = p if words else end
        label = squash(f"{kind.short or names[0]} {subject}") if subject and kind.short else \
            squash(f"{names[0]} {subject}")
        aliases = [squash(f"{n} {subject}") for n in names] + names + ([kind.short] if kind.short else [])
        for abbr, long in doc.abbreviations.items():
            if subject and long == subject:
                aliases.append(squash(f"{kind.short or names[0]} {abbr}"))
        aliases.append(squash(doc.text[start:end]))
        doc.add(Mention(doc.text[start:end], start, end, "Agreement", "agreements.tsv",
                        f"agreement:{kind.kind}", label, tuple(a for a in dict.fromkeys(aliases) if a and a != label),
                        (("kind", kind.kind), ("subject", subject))))
        taken_end = end


# ---------------------------------------------------------------- entry point


def find_mentions(article: Article, lexicon: Lexicon) -> Doc:
    """Return the article as a Doc holding its mentions, in text order."""
    doc = Doc(article, lexicon)
    find_national_agencies(doc)
    find_awards(doc)
    find_local_governments(doc)
    find_pattern_agencies(doc)
    find_offices(doc)
    find_municipalities(doc)
    find_provinces(doc)
    find_agreements(doc)
    find_reverse_offices(doc)
    find_residents(doc)
    find_speakers(doc)
    find_bare_places(doc)
    attach_units(doc)
    doc.mentions.sort(key=lambda m: (m.start, -m.end))
    return doc


def attach_units(doc: Doc) -> None:
    """A unit named without its government ("Dinas Sosial (Dinsos)", "kantor Dinkes setempat") belongs to
    the article's only kota/kabupaten government, and is the same node as that unit named in full."""
    govs = {m.key for m in doc.mentions if m.attr("government") and m.attr("kind") in ("kota", "kabupaten")}
    if len(govs) != 1:
        govs = {m.key for m in doc.mentions if m.attr("government")}
    if len(govs) != 1:
        return
    gov = next(iter(govs))
    code = gov.split(":")[1]
    for i, m in enumerate(doc.mentions):
        if m.label == "Agency" and m.attr("needs_parent"):
            attrs = tuple((k, v) for k, v in m.attrs if k != "needs_parent") + (("parent", gov),)
            doc.mentions[i] = Mention(m.text, m.start, m.end, m.label, m.source,
                                      f"agency:{slug(m.attr('unit'))}@{code}", m.name, m.aliases, attrs)
