"""Public bodies: national ones from the lexicon with their branch, regional and supervisory offices, and bodies
named by a head word ("Dinas Kesehatan (Dinkes) Pemkab Bogor", "Kejaksaan Negeri Lampung Barat")."""
from __future__ import annotations

import re

from ..textutil import slug, squash
from .base import (CAP, ENUMERATION, NAME_STOP_IN_BODIES, PRONOUNS, Doc, Mention, canon, place_names,
                   province_names, regexes)
from .places import localgov_mention, pick_regency, find_local_governments, find_municipalities


def _agency(doc: Doc, start: int, end: int, key: str, name: str, aliases=(), attrs=(), source="agencies.tsv") -> Mention:
    written = doc.written(start, end)
    al = tuple(a for a in dict.fromkeys([written, *aliases]) if a and a != name)
    return Mention(written, start, end, "Agency", source, key, name, al, tuple(attrs))


def find_national_agencies(doc: Doc) -> None:
    """Bodies in agencies.tsv and ministries.tsv, with their branch, regional and supervisory offices."""
    lex, rx = doc.lexicon, regexes(doc.lexicon)
    by_name = {n: a for a in lex.agencies.values() for n in (a.label, *a.aliases)}
    for m in rx["regional_office"].finditer(doc.masked):
        a, code = by_name[canon(m["name"], by_name)], province_names(lex)[canon(m["province"], province_names(lex))]
        p = lex.provinces[code]
        name = f"Kantor Wilayah {a.label} {p.label}"
        doc.add(_agency(doc, m.start(), m.end(), f"agency:{a.key}/kanwil/{code}", name,
                        [f"Kanwil {a.label} {p.label}", f"Kantor Wilayah {m['name']} {m['province']}"],
                        [("parent", f"agency:{a.key}"), ("parent_name", a.label), ("located_in", f"province:{code}")]))
    for m in rx["supervisory"].finditer(doc.masked):
        if doc.free(m.start(), m.end()):
            a = by_name[canon(m["name"], by_name)]
            unit = squash(m["unit"])
            doc.add(_agency(doc, m.start(), m.end(), f"agency:{a.key}/{slug(unit)}", f"{unit} {a.label}", [],
                            [("parent", f"agency:{a.key}"), ("parent_name", a.label)]))
    for m in rx["agency"].finditer(doc.masked):
        if not doc.free(m.start(), m.end()):
            continue
        a = by_name[canon(m["name"], by_name)]
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
            code = province_names(lex)[canon(b["province"], province_names(lex))]
            p = lex.provinces[code]
            end = b.end()
            key, name = f"agency:{a.key}/perwakilan/{code}", f"{a.label} Perwakilan {p.label}"
            written_place = squash(b["province"])
            aliases = [f"{n} Perwakilan {pl}" for n in (a.label, m["name"]) for pl in (p.label, written_place)]
            aliases += [f"{a.label} Perwakilan Provinsi {p.label}"]
            attrs = [("parent", f"agency:{a.key}"), ("parent_name", a.label), ("located_in", f"province:{code}")]
        doc.add(_agency(doc, m.start(), end, key, name, aliases, attrs))
    for m in rx["ministry"].finditer(doc.masked):
        if doc.free(m.start(), m.end()):
            portfolio = canon(m["portfolio"], {x.portfolio: x for x in lex.ministries})
            ministry = next(x for x in lex.ministries if x.portfolio == portfolio)
            doc.add(_agency(doc, m.start(), m.end(), f"agency:{slug(ministry.name)}", ministry.name,
                            [a for a in ministry.ministry_aliases if a in doc.text], [("portfolio", portfolio)],
                            "ministries.tsv"))
    for m in rx["ministry_alias"].finditer(doc.masked):
        if doc.free(m.start(), m.end()):
            ministry = next(x for x in lex.ministries if canon(m["alias"], {a: 1 for a in x.ministry_aliases})
                            in x.ministry_aliases)
            doc.add(_agency(doc, m.start(), m.end(), f"agency:{slug(ministry.name)}", ministry.name,
                            [m["alias"]], [("portfolio", ministry.portfolio)], "ministries.tsv"))


def _name_words(doc: Doc, pos: int, stop_at_place: bool) -> int:
    """End of the run of capitalised words (and "dan", commas between them) from POS."""
    lex = doc.lexicon
    word = re.compile(r"\s*(?:,\s*)?(?:(?:dan|&)\s+)?(" + CAP + r")")
    end = pos
    rx = regexes(lex)
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
        if doc.at(w0, ("Agency",)):
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
    speech_words = lex.speech_after | lex.speech_before
    speech = "|".join(sorted(speech_words, key=len, reverse=True))
    longest = max(map(len, speech_words), default=0)
    text = doc.masked
    for i in range(1, len(words)):
        cut = min_end + words[i - 1].end()
        name = doc.masked[start:cut]
        rest = doc.masked[min_end + words[i].start():end]
        pattern = re.compile(re.escape(squash(name)).replace(r"\ ", r"\s+") + r"(?=\s*[,.;:)]|\s+[a-z]|\s*$)")
        alone = any(p != start for p, _ in _matches_from(text, pattern, squash(name).split()[0]))
        first = rest.split()[0]
        said_after = re.compile(rf"\b(?:{speech}),?\s+{re.escape(first)}\b")
        said_before = re.compile(rf"\b{re.escape(first)}(?:\s+\w+)?\s+(?:{speech})\b")
        as_person = False
        for q in _find_all(text, first):   # both readings hold FIRST as written: look where it stands
            k = q
            while k > 0 and text[k - 1].isspace():
                k -= 1
            if said_before.match(text, q) or k < q and any(
                    said_after.match(text, b) for b in range(max(0, k - 1 - longest), k)):
                as_person = True
                break
        if alone or as_person:
            return cut
    return end


def _find_all(text: str, word: str):
    """Every position where WORD is written in TEXT (overlapping ones too)."""
    q = text.find(word)
    while q >= 0:
        yield q
        q = text.find(word, q + 1)


def _matches_from(text: str, pattern: re.Pattern, first: str) -> list[tuple[int, int]]:
    """The spans pattern.finditer(TEXT) gives, for a PATTERN whose every match starts with FIRST as
    written: tried only where FIRST stands, so a long article is not read once for every name."""
    out: list[tuple[int, int]] = []
    for q in _find_all(text, first):
        if out and q < out[-1][1]:
            continue
        m = pattern.match(text, q)
        if m:
            out.append(m.span())
    return out


def _place_prefix(doc: Doc, words: str) -> str:
    """The longest run of WORDS that is a known place ("Padang Fauzi Lukman" -> "Padang"), else the first word."""
    names = set(place_names(doc.lexicon)) | set(province_names(doc.lexicon))
    parts = words.split()
    for k in range(len(parts), 0, -1):
        if " ".join(parts[:k]) in names:
            return " ".join(parts[:k])
    return parts[0] if parts else words


def _qualifier(doc: Doc, pos: int) -> tuple[Mention | None, int]:
    """The government a local unit belongs to, written right after it: "Pemkab Bogor", "Kota Padang", "Badung"."""
    lex, rx = doc.lexicon, regexes(doc.lexicon)
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
        code = province_names(lex)[canon(q["name"], province_names(lex))]
        return localgov_mention(doc, p, q.end(), "provinsi", None, code, "qualifier", "Provinsi"), q.end()
    q = b
    if q:
        r = pick_regency(lex, canon(q["place"], place_names(lex)), None)
        explicit = {x.attr("governs") for x in doc.mentions if x.attr("government")}
        cands = [x for x in place_names(lex)[canon(q["place"], place_names(lex))]
                 if f"municipality:{x.code}" in explicit]
        r = cands[0] if len(cands) == 1 else r
        if r is not None:
            return localgov_mention(doc, p, q.end(), r.kind, r, None, "qualifier", r.kind), q.end()
    return None, pos


class _Window:
    """A view of a Doc whose free() admits only one span: lets a recogniser run on a qualifier."""

    def __init__(self, doc: Doc, start: int, end: int) -> None:
        self._doc, self._start, self._end = doc, start, end

    def __getattr__(self, name):
        return getattr(self._doc, name)

    def free(self, start: int, end: int) -> bool:
        return start == self._start and end <= self._end

    @property
    def scan(self) -> tuple[int, int]:
        return self._start, self._end


def _as_government(doc: Doc, m: Mention) -> Mention:
    """A municipality named as a qualifier ("Dinas Kesehatan Kota Padang") stands for its government."""
    doc.mentions.remove(m)
    if m.label == "Agency":
        return m
    r = doc.lexicon.regencies[m.key.split(":")[1]]
    return localgov_mention(doc, m.start, m.end, r.kind, r, None, "qualifier", r.kind)


def _place_body(doc: Doc, start: int, head_end: int, unit: str) -> None:
    """"Kejaksaan Negeri (Kejari) Lampung Barat", "Polres Madiun": a body named by the place it serves."""
    rx = regexes(doc.lexicon)
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


def _written_unit_abbreviations(doc: Doc) -> list[tuple[str, str]]:
    """The lexicon's unit abbreviations the article writes, with their long forms (looked up once per article)."""
    found = getattr(doc, "_written_units", None)
    if found is None:
        found = [(a, long) for a, long in doc.lexicon.unit_abbreviations.items()
                 if re.search(rf"(?<![\w-]){re.escape(a)}(?![\w-])", doc.text)]
        doc._written_units = found
    return found


def find_pattern_agencies(doc: Doc) -> None:
    """Bodies named by a head word: "Dinas Kesehatan (Dinkes) Pemkab Bogor", "RSUD S.K. Lerik",
    "Kejaksaan Negeri (Kejari) Lampung Barat", "Universitas Alma Ata", and short forms "Dinkes Pemkot Bogor"."""
    lex, rx = doc.lexicon, regexes(doc.lexicon)
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
            short_forms = list(doc.abbreviations.items()) + _written_unit_abbreviations(doc)
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


def unit_body_at(doc: Doc, pos: int, unit: str) -> Mention | None:
    """The body of UNIT named by the place at POS, as in "Kajari Kutai Barat" (Kejaksaan Negeri Kutai
    Barat) or "Kadinkes Kota Madiun" (Dinas Kesehatan Kota Madiun); added to DOC and returned."""
    lex, rx = doc.lexicon, regexes(doc.lexicon)
    m = re.compile(r"\s+").match(doc.masked, pos)
    p = m.end() if m else pos
    heads = [h for h in lex.agency_heads if unit == h or unit.startswith(h + " ")]
    scope = lex.agency_heads[max(heads, key=len)] if heads else "local"
    if scope == "local":
        qualifier, end = _qualifier(doc, pos)
        if qualifier is None or not doc.free(p, end):
            return None
        code = qualifier.key.split(":")[1]
        written = doc.written(p, end)
        return doc.add(_agency(doc, p, end, f"agency:{slug(unit)}@{code}", f"{unit} {written}", [],
                               [("parent", qualifier.key), ("parent_name", qualifier.name), ("unit", unit)],
                               f"office-unit:{unit}"))
    found = [x for x in (rx["municipality"].match(doc.masked, p), rx["bare_place"].match(doc.masked, p)) if x]
    if not found or not doc.free(p, max(x.end() for x in found)):
        return None
    end = max(x.end() for x in found)
    name = f"{unit} {doc.written(p, end)}"
    return doc.add(_agency(doc, p, end, f"agency:{slug(name)}", name, [], [("unit", unit)], f"office-unit:{unit}"))
