"""Public bodies: national ones from the lexicon with their branch, regional and supervisory offices, and bodies
named by a head word ("Dinas Kesehatan (Dinkes) Pemkab Bogor", "Kejaksaan Negeri Lampung Barat")."""
from __future__ import annotations

import re
from functools import cache

from ..textutil import find_all, is_word_char, slug, squash, standalone
from .base import (CAP, _alternation, ENUMERATION, NAME_STOP_IN_BODIES, PRONOUNS, Doc, Mention, canon, place_names,
                   province_names, reads_whole_text, regexes)
from .places import localgov_mention, pick_regency, find_local_governments, find_municipalities


def _agency(doc: Doc, start: int, end: int, key: str, name: str, aliases=(), attrs=(), source="agencies.tsv") -> Mention:
    written = doc.written(start, end)
    al = tuple(a for a in dict.fromkeys([written, *aliases]) if a and a != name)
    return Mention(written, start, end, "Agency", source, key, name, al, tuple(attrs))


@cache
def is_representative_office(m: Mention) -> bool:
    """Whether M is a national body's representative office ("Ombudsman RI Perwakilan Jawa Timur",
    agency:.../perwakilan/CODE as find_national_agencies names them), not a service branch ("Cabang")."""
    return m.label == "Agency" and "/perwakilan/" in m.key


def _agencies_by_name(lex) -> dict:
    """The agencies of agencies.tsv by label and alias (the last one written for a name), built once per lexicon;
    read, never changed."""
    return {n: a for a in lex.agencies.values() for n in (a.label, *a.aliases)}


@cache
def _region_names(lex) -> frozenset[str]:
    """The names of places and provinces, built once per lexicon."""
    return frozenset(place_names(lex)) | frozenset(province_names(lex))


def find_national_agencies(doc: Doc) -> None:
    """Bodies in agencies.tsv and ministries.tsv, with their branch, regional and supervisory offices."""
    lex, rx = doc.lexicon, regexes(doc.lexicon)
    by_name = _agencies_by_name(lex)
    _find_regional_offices(doc, by_name)
    for m in doc.cues.finditer(rx["supervisory"]):
        if doc.free(m.start(), m.end()):
            a = by_name[canon(m["name"], by_name)]
            unit = squash(m["unit"])
            doc.add(_agency(doc, m.start(), m.end(), f"agency:{a.key}/{slug(unit)}", f"{unit} {a.label}", [],
                            [("parent", f"agency:{a.key}"), ("parent_name", a.label)]))
    for m in doc.cues.finditer(rx["agency"]):
        if not doc.free(m.start(), m.end()) or _longer_head(doc, m):
            continue
        a = by_name[canon(m["name"], by_name)]
        end, key, name, aliases, attrs = m.end(), f"agency:{a.key}", a.label, [m["name"]], []
        b = rx["branch"].match(doc.masked, m.end())
        if _branch_list(doc, a, m):
            continue
        if b and b["branch"]:
            place = _place_prefix(doc, squash(b["branch"]))
            rest = squash(b["branch"])[len(place):].split()
            if len(rest) == 1 and re.match(r"\s*(?:[,;:)]|\.(?:\s|$)|\s+[a-z])", doc.masked[b.end():]) and not any(
                    len(standalone(w).findall(doc.masked)) > 1 for w in rest):
                # "Cabang Semarang Majapahit, ...": a word after the place is the branch's, unless it is
                # used again (a person's name); two words after it are a person's name
                place = squash(b["branch"])
            place_words = place.split()
            end = b.start("branch") + len(b["branch"].split(place_words[-1])[0]) + len(place_words[-1]) \
                if place_words else b.end()
            key, name = f"agency:{a.key}/cabang/{slug(place)}", f"{a.label} Cabang {place}"
            aliases = [f"{a.label} {squash(b['kc'])} {place}"]
            attrs = [("parent", f"agency:{a.key}"), ("parent_name", a.label)]
        elif (place := _branch_place(doc, m.start(), m.end())) is not None:
            # "Kepala BPJS Ketenagakerjaan Pesisir Selatan, ...", "BPJS Ketenagakerjaan Provinsi NTB",
            # "Kantor BPJS Kesehatan Sulawesi Tenggara": a branch named by the place it serves
            end, written_place, area = place
            kantor = _KANTOR_BEFORE.search(doc.masked[max(0, m.start() - 20):m.start()])
            start = m.start() - len(kantor.group()) if kantor else m.start()
            branch = kantor and re.search(r"(?i:cabang)", kantor.group())   # "Kantor Cabang BPJS Kesehatan Kediri"
            key = f"agency:{a.key}/" + (f"perwakilan/{area.split(':')[1]}" if area.startswith("province:")
                                        and not branch else f"cabang/{slug(written_place)}")
            written = doc.written(start, end)
            if branch:
                written = f"{a.label} Cabang {written_place}"
            doc.add(_agency(doc, start, end, key, written, [f"{a.label} {written_place}", doc.written(start, end)],
                            [("parent", f"agency:{a.key}"), ("parent_name", a.label)]
                            + ([("located_in", area)] if area.startswith("province:") else [])))
            continue
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
    for m in doc.cues.finditer(rx["ministry"]):
        if doc.free(m.start(), m.end()):
            portfolio = canon(m["portfolio"], {x.portfolio: x for x in lex.ministries})
            ministry = next(x for x in lex.ministries if x.portfolio == portfolio)
            if not _regional_ministry_office(doc, m, ministry):
                doc.add(_agency(doc, m.start(), m.end(), f"agency:{slug(ministry.name)}", ministry.name,
                                [a for a in ministry.ministry_aliases if a in doc.text], [("portfolio", portfolio)],
                                "ministries.tsv"))
    for m in doc.cues.finditer(rx["ministry_alias"]):
        if doc.free(m.start(), m.end()):
            ministry = next(x for x in lex.ministries if canon(m["alias"], {a: 1 for a in x.ministry_aliases})
                            in x.ministry_aliases)
            if not _regional_ministry_office(doc, m, ministry):
                doc.add(_agency(doc, m.start(), m.end(), f"agency:{slug(ministry.name)}", ministry.name,
                                [m["alias"]], [("portfolio", ministry.portfolio)], "ministries.tsv"))


def _regional_ministry_office(doc: Doc, m: re.Match, ministry) -> bool:
    """"Kantor Kementerian Agama Kota Madiun", "Kantor Kemenag Kota Madiun": a ministry's office in a region,
    part of the ministry (added with the ministry itself); False when M is the ministry alone."""
    kantor = re.search(r"(?<![\w-])Kantor[ \t]+$", doc.masked[max(0, m.start() - 10):m.start()])
    place = _place_after(doc, m.end()) if kantor else None
    if place is None:
        return False
    end, written_place, area = place
    start = m.start() - len(kantor.group())
    parent = f"agency:{slug(ministry.name)}"
    written = doc.written(start, end)
    doc.add(_agency(doc, start, end, f"{parent}/kantor/{slug(area or written_place)}",
                    f"Kantor {ministry.name} {written_place}", [written],
                    [("parent", parent), ("parent_name", ministry.name)], "ministries.tsv"))
    doc.add(_agency(doc, m.start(), m.end(), parent, ministry.name, [m.group()], [("portfolio", ministry.portfolio)],
                    "ministries.tsv"))
    return True


@cache
def _head_openings(lex) -> tuple[str, ...]:
    """Every agency_heads.tsv head with the space after it ("Dinas "), in the file's order, made once."""
    return tuple(h + " " for h in lex.agency_heads)


def _heads_of(lex, unit: str) -> list[str]:
    """The heads UNIT is or opens with ("Dinas Kesehatan" -> ["Dinas"]), in agency_heads.tsv's order: UNIT itself and
    its beginnings that a space follows, looked up (rather than every head tried)."""
    order = _head_order(lex)
    found = [unit[:i] for i, c in enumerate(unit) if c == " " and unit[:i] in order]
    if unit in order:
        found.append(unit)
    return sorted(found, key=order.__getitem__) if len(found) > 1 else found


@cache
def _head_order(lex) -> dict[str, int]:
    """Every agency_heads.tsv head with its place in the file, made once."""
    return {h: i for i, h in enumerate(lex.agency_heads)}


@cache
def _whole_heads(lex) -> re.Pattern:
    """Heads that name a unit alone ("Inspektorat menurunkan tim") or with a number ("SD Negeri 64"), whatever
    follows them."""
    whole = [h for h, scope in lex.agency_heads.items() if scope in ("whole", "school")]
    not_word = r"[\w-]"
    return re.compile(rf"(?:{_alternation(whole, not_word)})(?![\w-])" if whole else r"(?!x)x")


def _longer_head(doc: Doc, m: re.Match) -> bool:
    """True when the body's name goes on into a head word ("Dewan Perwakilan Rakyat Daerah" is not the DPR)."""
    nxt = re.compile(r"[ \t]+([A-Z]\w*)").match(doc.masked, m.end())
    return bool(nxt) and f"{squash(m.group())} {nxt.group(1)}" in doc.lexicon.agency_heads


@cache
def _regional_office_regex(lex) -> re.Pattern:
    """"Kantor Wilayah BPJS Ketenagakerjaan Jawa Tengah dan DIY", "Kanwil BPJS Ketenagakerjaan Jateng-DIY",
    "BPJS Ketenagakerjaan Kantor Wilayah Bali, Nusa Tenggara, dan Papua", "Kantor Wilayah Sumbagsel BPJS
    Ketenagakerjaan": a regional office and the region(s) it serves, written before or after the body."""
    rx_names = _alternation([n for a in lex.agencies.values() for n in (a.label, *a.aliases)])
    known = _alternation(province_names(lex))
    word = r"[A-Z][\w]*(?:[ \t]+[A-Z][a-z]+)?"
    item = rf"(?:{known}|{word})"
    regions = (rf"(?:{item}(?:[ \t]*,[ \t]*{item})*[ \t]*,?[ \t]*(?:dan|&)[ \t]+{item}"
               rf"|(?:{known})(?:[ \t]*-[ \t]*(?:{known}))*)")
    office = r"(?:Kantor\s+Wilayah|Kanwil)"
    return re.compile(rf"(?<![\w-])(?:(?P<rep>Perwakilan)\s+(?P<name4>{rx_names})\s+(?:Provinsi\s+)?(?P<regions4>{known})"
                      rf"|{office}\s+(?P<name>{rx_names})\s+(?P<regions>{regions})"
                      rf"|(?P<name2>{rx_names})\s+{office}\s+(?P<regions2>{regions})"
                      rf"|{office}\s+(?P<regions3>[A-Z][\w]+)\s+(?P<name3>{rx_names}))(?![\w-])")


_REGIONAL_OFFICE_WORDS = ("Perwakilan", "Kantor", "Kanwil")   # in every match of _regional_office_regex


def _find_regional_offices(doc: Doc, by_name: dict) -> None:
    lex = doc.lexicon
    provinces = province_names(lex)
    if not any(w in doc.masked for w in _REGIONAL_OFFICE_WORDS):
        return   # every match holds one of these words: without them the pattern (tried at every character) finds nothing
    for m in doc.cues.finditer(_regional_office_regex(lex)):   # (Doc.cues: where its opening words stand)
        if not doc.free(m.start(), m.end()):
            continue
        written_name = m["name"] or m["name2"] or m["name3"] or m["name4"]
        written_regions = squash(m["regions"] or m["regions2"] or m["regions3"] or m["regions4"])
        a = by_name[canon(written_name, by_name)]
        if m["rep"]:   # "Perwakilan Ombudsman RI Provinsi Jawa Timur": the same as "Ombudsman RI Perwakilan ..."
            code = provinces[canon(written_regions, provinces)]
            label = lex.provinces[code].label
            doc.add(_agency(doc, m.start(), m.end(), f"agency:{a.key}/perwakilan/{code}",
                            f"{a.label} Perwakilan {label}",
                            [f"Perwakilan {a.label} {label}", f"Perwakilan {squash(written_name)} {label}",
                             f"{a.label} Perwakilan Provinsi {label}"],
                            [("parent", f"agency:{a.key}"), ("parent_name", a.label), ("located_in", f"province:{code}")]))
            continue
        items = [squash(x) for x in re.split(r"\s*(?:,|-|\bdan\b|&)\s*", written_regions) if x.strip()]
        codes = [provinces.get(canon(x, provinces)) for x in items]
        ident = "+".join(sorted(c or slug(x) for c, x in zip(codes, items)))
        labels = [lex.provinces[c].label if c else x for c, x in zip(codes, items)]
        regions = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + f" dan {labels[-1]}"
        name = f"Kantor Wilayah {a.label} {regions}"
        aliases = [f"Kanwil {a.label} {regions}", f"Kantor Wilayah {squash(written_name)} {written_regions}",
                   f"{a.label} Kantor Wilayah {regions}"]
        attrs = [("parent", f"agency:{a.key}"), ("parent_name", a.label)]
        if len(codes) == 1 and codes[0]:
            attrs.append(("located_in", f"province:{codes[0]}"))
        doc.add(_agency(doc, m.start(), m.end(), f"agency:{a.key}/kanwil/{ident}", name, aliases, attrs))


_LIST_WORDS = r"[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*){0,2}"
_BRANCH_LIST = re.compile(rf"{_LIST_WORDS}(?:[ \t]*,[ \t]*{_LIST_WORDS})*[ \t]*,?[ \t]*(?:dan|serta)[ \t]+{_LIST_WORDS}")


def _branch_list(doc: Doc, a, m: re.Match) -> bool:
    """"kantor cabang BPJS Ketenagakerjaan wilayah Cikokol, Batuceper, dan Tangerang", "BPJS Kesehatan Cabang
    Kediri dan Cabang Blitar"... : one branch per listed place (the shared list mechanism, kg/relations/lists.py)."""
    from ..relations.lists import split_items   # relations import mentions: imported when first used
    before = re.search(r"\b(?:kantor\s+)?cabang\s+$", doc.masked[max(0, m.start() - 16):m.start()], re.I)
    lead = re.compile(r"[ \t]+(?:wilayah|Wilayah)[ \t]+" if before else r"[ \t]+(?:Kantor\s+Cabang|Cabang|KC)[ \t]+")
    w = lead.match(doc.masked, m.end())
    span = _BRANCH_LIST.match(doc.masked, w.end()) if w else None
    if span is None:
        return False
    items = split_items(doc, span.start(), span.end())
    branch = re.compile(r"(?:Kantor\s+Cabang|Cabang|KC)\s+")
    known = _region_names(doc.lexicon)
    if not before and not all(branch.match(i.text) or squash(i.text) in known for i in items[1:]):
        return False   # "Cabang Kediri dan Budi Santoso": only a list of branches or places
    if len(items) < 2 or not doc.free(m.start(), span.end()):
        return False
    for item in items:
        place = squash(re.sub(r"^(?:Kantor\s+Cabang|Cabang|KC)\s+", "", item.text))
        doc.add(_agency(doc, item.start, item.end, f"agency:{a.key}/cabang/{slug(place)}", f"{a.label} Cabang {place}",
                        [f"{a.label} {place}"], [("parent", f"agency:{a.key}"), ("parent_name", a.label)]))
    doc.add(_agency(doc, m.start(), m.end(), f"agency:{a.key}", a.label, [m["name"]]))
    return True


def _place_after(doc: Doc, pos: int) -> tuple[int, str, str] | None:
    """The place named right after POS ("Provinsi NTB", "Kota Madiun", "Pesisir Selatan", "Sumsel"):
    (end, the place as written, its area key), or None."""
    lex, rx = doc.lexicon, regexes(doc.lexicon)
    ws = re.compile(r"[ \t]+").match(doc.masked, pos)
    if not ws:
        return None
    p = ws.end()
    q = rx["province"].match(doc.masked, p)
    b = rx["bare_place"].match(doc.masked, p)
    mm = rx["municipality"].match(doc.masked, p)
    if mm:
        r = pick_regency(lex, canon(mm["place"], place_names(lex)), "kota" if mm["kind"].startswith("Kota") else "kabupaten")
        return (mm.end(), doc.written(p, mm.end()), f"municipality:{r.code}") if r else None
    if q and not (b and b.end() > q.end()):
        return q.end(), doc.written(p, q.end()), f"province:{province_names(lex)[canon(q['name'], province_names(lex))]}"
    if b:   # "Kediri" is a kota and a kabupaten: the place is named, its area unknown ("")
        r = pick_regency(lex, canon(b["place"], place_names(lex)), None)
        return b.end(), doc.written(p, b.end()), f"municipality:{r.code}" if r else ""
    return None


_KANTOR_BEFORE = re.compile(r"(?<![\w-])(?:[Kk]antor(?:[ \t]+[Cc]abang)?|[Cc]abang)[ \t]+$")


def _branch_place(doc: Doc, start: int, end: int) -> tuple[int, str, str] | None:
    """The place that names a branch of the national body at START..END: after "Provinsi" ("BPJS
    Ketenagakerjaan Provinsi NTB"), after a body written as an office ("Kantor BPJS Kesehatan Sulsel"),
    or where an office heads it ("Kepala BPJS Kesehatan Sumsel Andi Pratama")."""
    place = _place_after(doc, end)
    if place is None:
        return None
    before = doc.masked[max(0, start - 40):start]
    rx = regexes(doc.lexicon)
    provinsi = re.match(r"[ \t]+Provinsi\b", doc.masked[end:])
    kantor = _KANTOR_BEFORE.search(before)
    office = re.search(r"(?:^|\s)(\S+(?:\s+\S+)?)\s+$", before)
    headed = office and any(o.end() == len(office.group(1)) for o in [rx["office"].search(office.group(1))] if o)
    after = doc.masked[place[0]:place[0] + 3]
    if provinsi or kantor or headed and not re.match(r"\s*[a-z]", after):
        return place
    return None


@cache
def _name_word_regex(lex: Lexicon) -> re.Pattern:
    """The next word of a body's name: capitalised, or a title written in lower case ("dr."), after a comma or "dan"."""
    lower_titles = _alternation(t for t in lex.prefix_titles if t[:1].islower())
    return re.compile(r"[ \t]*(?:,[ \t]*)?(?:(?:dan|&)[ \t]+)?(" + CAP + rf"|(?:{lower_titles})(?!\w))")


def _name_words(doc: Doc, pos: int, stop_at_place: bool) -> int:
    """End of the run of capitalised words (and "dan", commas between them) from POS."""
    lex = doc.lexicon
    word = _name_word_regex(lex)
    end = pos
    rx = regexes(lex)
    named = False   # a word of the name itself (not a title) has been read
    while True:
        m = word.match(doc.masked, end)
        if not m or m.group(1) in PRONOUNS - NAME_STOP_IN_BODIES:
            break
        if "," in doc.masked[end:m.start(1)] and not ENUMERATION.match(doc.masked, end):
            break   # a comma continues a name only in a list closed by "dan": "Pendidikan, Kepemudaan, dan Olahraga"
        if re.search(r",|\b(?:dan|&)\s", doc.masked[end:m.start(1)]) and _opens_body(doc, m.start(1)):
            break   # "Dinas Sosial, Dinas Kesehatan, dan BPKAD": each item is a body of its own
        w0 = m.start(1)
        if stop_at_place and (rx["localgov"].match(doc.masked, w0) or rx["municipality"].match(doc.masked, w0)
                              or rx["province"].match(doc.masked, w0) or rx["bare_place"].match(doc.masked, w0)):
            break
        if doc.at(w0, ("Person",)) or rx["office"].match(doc.masked, w0) and m.group(1) not in ("Kepala",):
            break
        if doc.at(w0, ("Agency",)):
            break
        token = m.group(1)
        title = token in lex.prefix_titles
        if end > pos and (rx["unit"].match(doc.masked, w0) or rx["head"].match(doc.masked, w0)) or named and title:
            break   # "Komisi I DPRD X": another body; "Universitas X Dr. Budi": a person's title opens a name
        named = named or not title
        if token.endswith(".") and not re.fullmatch(r"(?:[A-Z]\.)+|[Dd]r\.|[A-Z][a-z]?\.", token):
            end = m.end(1) - 1   # "Negeri Madiun." ends the sentence
            break
        end = m.end(1)
    last = list(re.finditer(r"\s*,?\s*(?:dan|&|serta)\s+", doc.masked[pos:end]))
    link = link_regex(lex)
    linked = link.match(doc.masked, end) if last and link else None
    if linked and "," not in linked.group():
        end = pos + last[-1].start()   # "Kepala Dinas A, dan Budi sebagai ...": the last item is a person
    return end


@cache
def link_regex(lex) -> re.Pattern | None:
    """A link word (office_words.txt) before an office: ", sebagai Kepala ...", " dilantik menjadi Bupati"."""
    links = sorted(lex.office_words.get("link", ()), key=len, reverse=True)
    return re.compile(r"\s*,?\s*(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in links)
                      + r")\s+(?=[A-Z])") if links else None


def _cut_after_place(doc: Doc, start: int, head_end: int, end: int) -> int:
    """"Rektor Universitas Alam Jaya Makassar Budi Hartono": after an office, a named body that goes on past a
    place by two or more words ends at the place; the words after it are its head's name."""
    rx = regexes(doc.lexicon)
    if not rx["office"].search(doc.masked[max(0, start - 30):start].split("\n")[-1] + " "):
        return end
    for w in re.finditer(r"\S+", doc.masked[head_end:end]):
        p = head_end + w.start()
        place = max((x.end() for x in (rx["bare_place"].match(doc.masked, p), rx["province"].match(doc.masked, p))
                     if x), default=0)
        if place and len(doc.masked[place:end].split()) >= 2 and p > head_end:
            return place
    return end


def _opens_body(doc: Doc, pos: int) -> bool:
    """True when the word at POS opens the name of another body: a head word ("Dinas", "Biro"), a unit's
    short name ("BPKAD", "Dinkes") or an upper-case abbreviation ("RSUD", "Diskominfotik" defined in the
    article)."""
    rx = regexes(doc.lexicon)
    word = re.compile(r"[\w'’-]+").match(doc.masked, pos)
    token = word.group() if word else ""
    return bool(rx["head"].match(doc.masked, pos) or rx["unit"].match(doc.masked, pos)
                or token in doc.abbreviations or token in doc.other_names.values() or len(token) >= 3 and token.isupper()
                or doc.at(pos, ("Agency",)))


def _trim_by_other_mentions(doc: Doc, start: int, min_end: int, end: int) -> int:
    """Where a body's name runs into a person's ("Rektor Universitas Alma Ata Hamam Hadi"), cut it where
    the article shows the name ends: the same words stand alone elsewhere ("dengan Universitas Alma Ata,")
    or the words after are used as a person's name ("Helgawati menambahkan")."""
    words = list(re.finditer(r"\S+", doc.masked[min_end:end]))
    if len(words) < 2:
        return end
    speakers = _speech_words(doc)
    text = doc.masked
    for i in range(1, len(words)):
        cut = min_end + words[i - 1].end()
        name = doc.masked[start:cut]
        rest = doc.masked[min_end + words[i].start():end]
        pattern = re.compile(re.escape(squash(name)).replace(r"\ ", r"\s+") + r"(?=\s*[,.;:)]|\s+[a-z]|\s*$)")
        alone = any(p != start for p, _ in _matches_from(text, pattern, squash(name).split()[0]))
        as_person = re.sub(r"\W+$", "", rest.split()[0]) in speakers
        if alone or as_person:
            return cut
    return end


def _matches_from(text: str, pattern: re.Pattern, first: str) -> list[tuple[int, int]]:
    """The spans pattern.finditer(TEXT) gives, for a PATTERN whose every match starts with FIRST as
    written: tried only where FIRST stands, so a long article is not read once for every name."""
    out: list[tuple[int, int]] = []
    for q in find_all(text, first):
        if out and q < out[-1][1]:
            continue
        m = pattern.match(text, q)
        if m:
            out.append(m.span())
    return out


@cache
def _speech_regexes(lex) -> tuple[re.Pattern, re.Pattern]:
    """A word after a speech verb, and the white space right before one (see _words_before_speech)."""
    speech = "|".join(sorted(lex.speech_after | lex.speech_before, key=len, reverse=True))
    return (re.compile(rf"\b(?:{speech}),?\s+(\w+)\b"),
            re.compile(rf"\s(?=(?:{speech})\b)"))


def _speech_words(doc: Doc) -> set[str]:
    """The words used right after or before a speech verb ("kata Budi", "Budi menambahkan"), read once."""
    if doc._speech_words is None:
        after, verb = _speech_regexes(doc.lexicon)
        # (Doc.cues: AFTER, opening with a word boundary, tried where a verb stands, not at every character)
        doc._speech_words = {m.group(1) for m in doc.cues.finditer(after)} | _words_before_speech(doc.masked, verb)
    return doc._speech_words


def _words_before_speech(text: str, verb: re.Pattern) -> set[str]:
    r"""The words WORD of TEXT followed by white space and a speech verb, with or without one word between
    ("Budi menambahkan", "Budi pun menambahkan"): what re.finditer(rf"\b(?=(\w+)(?:\s+\w+)?\s+(?:{verbs})\b)")
    captures, read back from each verb (VERB: the white space right before one) rather than tried at every word."""
    found = set()
    for v in verb.finditer(text):
        end = v.start()                       # the white space before the verb runs back to here
        while end > 0 and text[end - 1].isspace():
            end -= 1
        start = end
        while start > 0 and is_word_char(text[start - 1]):
            start -= 1
        if start == end:
            continue
        found.add(text[start:end])
        before = start                        # a word, white space, then this word
        while before > 0 and text[before - 1].isspace():
            before -= 1
        first = before
        while first > 0 and is_word_char(text[first - 1]):
            first -= 1
        if first < before:
            found.add(text[first:before])
    return found


def _place_prefix(doc: Doc, words: str) -> str:
    """The longest run of WORDS that is a known place ("Padang Fauzi Lukman" -> "Padang"), else the first word."""
    names = _region_names(doc.lexicon)
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
    grade = _GRADE.match(doc.masked, head_end)   # "Lapas Kelas IIA Kendari"
    head_end = grade.end() if grade else head_end
    p = re.compile(r"\s+").match(doc.masked, head_end)
    p = p.end() if p else head_end
    found = [m for m in (rx["municipality"].match(doc.masked, p), rx["bare_place"].match(doc.masked, p),
                         rx["province"].match(doc.masked, p)) if m]
    if not found:
        return   # "Kejari" alone refers back to a body named in full
    end = max(m.end() for m in found)
    place = doc.written(p, end)
    name = f"{unit}{' ' + squash(grade.group()) if grade else ''} {place}"
    written = doc.written(start, end)
    doc.add(_agency(doc, start, end, _place_body_key(doc, unit, head_end, end, name), name, [written],
                    [("unit", unit)], f"agency_heads.tsv:{unit}"))


_GRADE = re.compile(r"[ \t]+Kelas[ \t]+(?:[IV]+[AB]?|\d)(?![\w-])")
_SCHOOL = re.compile(r"[ \t]+\d{1,3}(?![\w.,])")


def _school(doc: Doc, start: int, head_end: int, unit: str) -> None:
    """"SD Negeri 64 Palembang", "SMAN 1 Kendari": a state school named by its number and its place."""
    number = _SCHOOL.match(doc.masked, head_end)
    if number is None:
        return
    place = _place_after(doc, number.end())
    end = place[0] if place else number.end()
    if not doc.free(start, end):
        return
    name = f"{unit}{doc.masked[head_end:number.end()]}" + (f" {place[1]}" if place else "")
    doc.add(_agency(doc, start, end, f"agency:{slug(name)}", squash(name), [doc.written(start, end)], [],
                    f"agency_heads.tsv:{unit}"))


def _place_body_key(doc: Doc, unit: str, pos: int, end: int, name: str) -> str:
    """One key for a body named by a place however the place is written: "Kejati Babel" and "Kejaksaan
    Tinggi Kepulauan Bangka Belitung", "Polda Sumut" and "Polda Sumatera Utara"."""
    place = _place_after(doc, pos)
    if place is not None and place[0] == end and place[2]:
        return f"agency:{slug(unit)}@{place[2].split(':')[1]}"
    return f"agency:{slug(name)}"


def _legislature(doc: Doc, start: int, head_end: int, unit: str) -> None:
    """"DPRD Kota Batam", "DPRD Provinsi Maluku Utara", "DPRK Mimika": a regional parliament, named by its
    region and not part of the local government (ANNOTATION.md, DPRD). "DPRD" alone is the one the article
    named in full before, if there is one."""
    place = _place_after(doc, head_end)
    if place is None:
        named = {m.key: m for m in doc.mentions if m.attr("legislature") and m.start < start}
        if len(named) == 1:
            m = next(iter(named.values()))
            doc.add(_agency(doc, start, head_end, m.key, m.name, [], m.attrs, f"agency_heads.tsv:{unit}"))
        return
    end, written_place, area = place
    written = doc.written(start, end)
    key = f"agency:dprd@{area.split(':')[1]}" if area else f"agency:{slug(written)}"
    doc.add(_agency(doc, start, end, key, written, [f"{unit} {written_place}"],
                    [("legislature", area)], f"agency_heads.tsv:{unit}"))


def find_pattern_agencies(doc: Doc) -> None:
    """Bodies named by a head word: "Dinas Kesehatan (Dinkes) Pemkab Bogor", "RSUD S.K. Lerik",
    "Kejaksaan Negeri (Kejari) Lampung Barat", "Universitas Alma Ata", and short forms "Dinkes Pemkot Bogor"."""
    lex, rx = doc.lexicon, regexes(doc.lexicon)
    spans = [(m.start(), m.end("head"), m["head"], "head") for m in doc.cues.finditer(rx["head"])]
    spans += [(m.start(), m.end(), m["unit"], "unit") for m in doc.cues.finditer(rx["unit"])]
    spans += [(m.start(), m.end(), m.group(), "head") for m in doc.cues.finditer(_whole_heads(lex))]
    spans += [(m.start(), m.end(), m.group(), "abbr") for a in doc.abbreviations
              if doc.abbreviations[a].startswith(_head_openings(lex))
              for m in standalone(a).finditer(doc.masked)]
    for start, head_end, head, how in sorted(spans):
        if not doc.free(start, head_end) or doc.masked[start - 1:start] == "/" == doc.masked[head_end:head_end + 1]:
            continue   # ".../JPT/BKD/SK/...": part of a decree number
        unit_name = " ".join(head.split()) if how == "head" else \
            (lex.unit_abbreviations.get(head) or doc.abbreviations.get(head, "") or head)
        heads = _heads_of(lex, unit_name)
        if heads and lex.agency_heads[max(heads, key=len)] == "place":
            _place_body(doc, start, head_end, unit_name)
            continue
        if heads and lex.agency_heads[max(heads, key=len)] == "legislature":
            _legislature(doc, start, head_end, unit_name)
            continue
        if heads and lex.agency_heads[max(heads, key=len)] == "school":
            _school(doc, start, head_end, unit_name)
            continue
        if how == "head":
            full_head = " ".join(head.split())
            scope = lex.agency_heads.get(full_head, "named")
            whole = scope == "whole"   # "Inspektorat": the head alone names a unit
            scope, secretariat = ("local", scope == "secretariat") if scope in ("whole", "secretariat") \
                else (scope, False)
            end = _name_words(doc, head_end, stop_at_place=(scope == "local"))
            if end == head_end and not whole and not (scope == "local" and _qualifier(doc, end)[0] is not None):
                continue   # "Sekretariat Daerah Kota Padang" is a whole name; "Dinas Kota Padang" is not
            if re.fullmatch(r"(?:\s+(?:[IVX]+|[A-E]))+", doc.masked[head_end:end]):
                continue   # "Komisi I DPRD X", "Komisi D DPRD X": a part of the body after it, named in an office
            if scope == "named":
                end = _trim_by_other_mentions(doc, start, head_end, end)
                end = _cut_after_place(doc, start, head_end, end)
            unit = doc.written(start, end)
        else:
            long = lex.unit_abbreviations.get(head) or doc.abbreviations.get(head, "")
            unit = long or head
            heads = _heads_of(lex, unit)
            scope = lex.agency_heads[max(heads, key=len)] if heads else "local"
            secretariat = scope == "secretariat"
            scope = "local" if scope in ("whole", "secretariat") else scope
            end = head_end
            if scope == "named" and not (head in doc.abbreviations and head not in lex.unit_abbreviations):
                # "RSUD S.K. Lerik" goes on; "Unhas", defined in the article, is the whole name
                end = _name_words(doc, head_end, stop_at_place=False)
                end = _trim_by_other_mentions(doc, start, head_end, end)
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
            short_forms = list(doc.abbreviations.items()) + _units_written(doc)
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
        if secretariat and qualifier is None:
            attrs.append(("secretariat", "yes"))
        doc.add(_agency(doc, start, end, key, name, aliases, attrs, f"agency_heads.tsv:{head}"))


def _units_written(doc: Doc) -> list[tuple[str, str]]:
    """The unit short names (unit_abbreviations.tsv) the article uses, with their long forms (read once)."""
    if doc._units_written is None:
        lex = doc.lexicon
        written = {" ".join(m["unit"].split()) for m in regexes(lex)["unit"].finditer(doc.text)}
        doc._units_written = [(a, long) for a, long in lex.unit_abbreviations.items()
                              if " ".join(a.split()) in written]
    return doc._units_written


def attach_units(doc: Doc) -> None:
    """A unit named without its government ("Dinas Sosial (Dinsos)", "kantor Dinkes setempat") is that unit
    named in full elsewhere in the article, else belongs to the article's only kota/kabupaten government."""
    renamed: dict[str, str] = {}
    full: dict[str, set[str]] = {}   # "BKD" alone is the "BKD Pemprov X" the article names in full
    for m in doc.mentions:
        if m.label == "Agency" and m.attr("unit") and m.attr("parent"):
            full.setdefault(m.attr("unit"), set()).add(m.key)
    for i, m in enumerate(doc.mentions):
        if m.label == "Agency" and m.attr("needs_parent") and len(full.get(m.attr("unit"), ())) == 1:
            named = next(x for x in doc.mentions if x.key in full[m.attr("unit")])
            renamed[m.key] = named.key
            doc.mentions[i] = Mention(m.text, m.start, m.end, m.label, m.source, named.key, named.name,
                                      m.aliases, named.attrs)
    _attach_to_government(doc, renamed)
    for i, m in enumerate(doc.mentions):   # the offices and persons read with the unit's first key
        if m.label == "Office" and m.key in renamed:
            doc.mentions[i] = Mention(m.text, m.start, m.end, m.label, m.source, renamed[m.key], m.name,
                                      m.aliases, m.attrs)
        elif m.label == "Person" and m.attr("affiliation") in renamed:
            attrs = tuple((k, renamed[v] if k == "affiliation" else v) for k, v in m.attrs)
            doc.mentions[i] = Mention(m.text, m.start, m.end, m.label, m.source, m.key, m.name, m.aliases, attrs)


def _attach_to_government(doc: Doc, renamed: dict[str, str]) -> None:
    govs = {m.key for m in doc.mentions if m.attr("government") and m.attr("kind") in ("kota", "kabupaten")}
    if len(govs) != 1:
        govs = {m.key for m in doc.mentions if m.attr("government")}
    if not govs:   # the government implied by the units named with it ("Setda Provinsi Gorontalo")
        govs = {m.attr("parent") for m in doc.mentions if m.attr("parent").startswith("localgov:")}
    if len(govs) != 1:
        return
    gov = next(iter(govs))
    code = gov.split(":")[1]
    # "Biro Umum": a bureau of the government's secretariat when the article names it ("Setda Provinsi X")
    setda = {m.key for m in doc.mentions if m.attr("unit") == "Sekretariat Daerah" and m.attr("parent") == gov}
    for i, m in enumerate(doc.mentions):
        if m.label == "Agency" and m.attr("needs_parent"):
            parent = next(iter(setda)) if m.attr("secretariat") and len(setda) == 1 else gov
            attrs = tuple((k, v) for k, v in m.attrs if k != "needs_parent") + (("parent", parent),)
            renamed[m.key] = f"agency:{slug(m.attr('unit'))}@{code}"
            doc.mentions[i] = Mention(m.text, m.start, m.end, m.label, m.source,
                                      renamed[m.key], m.name, m.aliases, attrs)


def unit_words_after(doc: Doc, pos: int, unit: str) -> tuple[str, int]:
    """"Kadis Sosial Kota X": an office short for a bare head ("Dinas", "Badan") goes on with the unit's
    own words; returns (the unit written out, their end), or (UNIT, POS) when none follow."""
    if doc.lexicon.agency_heads.get(unit) != "local":
        return unit, pos
    end = _name_words(doc, pos, stop_at_place=True)
    return (f"{unit} {doc.written(pos, end)}", end) if end > pos else (unit, pos)


def unit_body_at(doc: Doc, pos: int, unit: str) -> Mention | None:
    """The body of UNIT named by the place at POS, as in "Kajari Kutai Barat" (Kejaksaan Negeri Kutai
    Barat) or "Kadinkes Kota Madiun" (Dinas Kesehatan Kota Madiun); added to DOC and returned."""
    lex, rx = doc.lexicon, regexes(doc.lexicon)
    m = re.compile(r"\s+").match(doc.masked, pos)
    p = m.end() if m else pos
    heads = _heads_of(lex, unit)
    scope = lex.agency_heads[max(heads, key=len)] if heads else "local"
    if scope == "local" and unit in lex.agency_heads:
        return None   # "Kadis Kota X": a bare "Dinas" names no body
    if scope == "local":
        qualifier, end = _qualifier(doc, pos)
        if qualifier is None or not doc.free(p, end):
            return None
        code = qualifier.key.split(":")[1]
        written = doc.written(p, end)
        return doc.add(_agency(doc, p, end, f"agency:{slug(unit)}@{code}", f"{unit} {written}", [],
                               [("parent", qualifier.key), ("parent_name", qualifier.name), ("unit", unit)],
                               f"office-unit:{unit}"))
    found = [x for x in (rx["municipality"].match(doc.masked, p), rx["bare_place"].match(doc.masked, p),
                         rx["province"].match(doc.masked, p)) if x]
    end = max((x.end() for x in found), default=p)
    if not found:   # "Kapolres Pelabuhan Belawan AKBP Budi": the body's own words, up to the rank
        words = re.compile(r"((?:[A-Z][a-z]+[ \t]+){1,3})(\S+)").match(doc.masked, p)
        if not words or words.group(2) not in lex.prefix_titles:
            return None
        end = p + len(words.group(1).rstrip())
    if not doc.free(p, end):
        return None
    name = f"{unit} {doc.written(p, end)}"
    return doc.add(_agency(doc, p, end, _place_body_key(doc, unit, pos, end, name), name, [], [("unit", unit)],
                           f"office-unit:{unit}"))


@reads_whole_text
def _read_over_the_text(lex) -> tuple[re.Pattern, ...]:
    """The patterns the recognisers above read over the whole blanked text (Doc.cues)."""
    rx = regexes(lex)
    return rx["supervisory"], rx["agency"], rx["ministry"], rx["ministry_alias"], _regional_office_regex(lex), \
        rx["head"], rx["unit"], _whole_heads(lex)
