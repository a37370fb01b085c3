"""Places and governments: "Pemerintah Kota (Pemkot) Blitar", "Kabupaten Bogor", "Jawa Timur", a bare "Blitar"."""
from __future__ import annotations

import re
from functools import cache

from ..lexicon import Lexicon, Regency
from ..textutil import squash, standalone
from .base import (Doc, LOCAL_GOV, Mention, _alternation, canon, place_names, province_names, reads_whole_text,
                   regexes)


def localgov_mention(doc: Doc, start: int, end: int, kind: str, regency: Regency | None,
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


def pick_regency(lex: Lexicon, name: str, kind: str | None) -> Regency | None:
    cands = place_names(lex).get(name, [])
    if kind:
        same = [r for r in cands if r.kind == kind]
        return same[0] if len(same) == 1 else None
    return cands[0] if len(cands) == 1 else None


def find_local_governments(doc: Doc) -> None:
    """"Pemerintah Kota (Pemkot) Blitar", "Pemkab Bogor", "Pemko Padang", "Pemprov Jateng", "Pemkab dan Pemkot Bima"."""
    lex = doc.lexicon
    for m in doc.cues.finditer(regexes(lex)["localgov"], *doc.scan):   # (Doc.cues: where "Pem" stands)
        if not doc.free(m.start(), m.end()):
            continue
        written_kind = m["short"] or m["long"]
        kind = LOCAL_GOV.get(written_kind, LOCAL_GOV.get(written_kind.split()[-1], "kota"))
        kinds = [(kind, written_kind)]
        if m["other"]:
            other = m["other"].split()[-1]
            kinds.append((LOCAL_GOV.get(other, "kota"), other))
        for k, wk in kinds:
            province = m["province"] or (m["place"] if k == "provinsi" else None)   # "Pemprov Gorontalo"
            if province and canon(province, province_names(lex)) in province_names(lex) \
                    and (k == "provinsi" or not m["place"]):
                doc.add(localgov_mention(doc, m.start(), m.end(), "provinsi", None,
                                          province_names(lex)[canon(province, province_names(lex))],
                                          "local-government", wk))
            elif m["place"]:
                r = pick_regency(lex, canon(m["place"], place_names(lex)), k if k != "provinsi" else None)
                if r is not None:
                    doc.add(localgov_mention(doc, m.start(), m.end(), r.kind, r, None, "local-government", wk))
    for m in doc.cues.finditer(_regional_government_regex(lex), *doc.scan):   # "Pemda DIY", "Pemerintah Daerah Kabupaten Sleman"
        if not doc.free(m.start(), m.end()):
            continue
        kind = (m["kind"] or m["kind2"] or "").lower() or None
        written = m["place"] or m["province"] or m["province2"]
        province = canon(written, province_names(lex))
        place = canon(written, place_names(lex))
        if province in province_names(lex) and (kind == "provinsi" or kind is None and place not in place_names(lex)):
            doc.add(localgov_mention(doc, m.start(), m.end(), "provinsi", None, province_names(lex)[province],
                                      "local-government", "Pemda"))
        elif place in place_names(lex) and kind != "provinsi":
            r = pick_regency(lex, place, kind)
            if r is not None:
                doc.add(localgov_mention(doc, m.start(), m.end(), r.kind, r, None, "local-government", "Pemda"))
    for m in doc.cues.finditer(regexes(lex)["aceh"], *doc.scan):
        if doc.free(m.start(), m.end()):
            doc.add(localgov_mention(doc, m.start(), m.end(), "provinsi", None, "11", "pemerintah-aceh", "Pemerintah"))


@cache
def _regional_government_regex(lex: Lexicon) -> re.Pattern:
    """"Pemda X" / "Pemerintah Daerah (Kota|Kabupaten|Provinsi)? X": the local government of X."""
    places = _alternation(place_names(lex))
    provinces = _alternation(province_names(lex))
    # "P(?<!\wP)": a word boundary before "Pemda", checked after its first letter (the engine then looks only at P's)
    return re.compile(rf"P(?<!\wP)(?:emerintah\s+Daerah|emda)\s+(?:(?P<kind>Kota|Kabupaten|Provinsi)\s+)?"
                      rf"(?:(?P<place>{places})|(?P<province>{provinces}))(?![\w-])|"
                      rf"P(?<!\wP)(?:emerintah\s+Daerah|emda)\s+(?:(?P<kind2>Kota|Kabupaten|Provinsi)\s+)?"
                      rf"(?P<province2>{provinces})(?![\w-])")


def _municipality(doc: Doc, start: int, end: int, r: Regency, source: str) -> Mention:
    written = doc.written(start, end)
    # the bare name is another name only where the article uses it alone (ANNOTATION.md, "Rules settled")
    aliases = tuple(a for a in dict.fromkeys([written]) if a != r.label)
    return Mention(written, start, end, "Municipality", source, f"municipality:{r.code}", r.label, aliases,
                   (("code", r.code), ("kind", r.kind)))


def find_municipalities(doc: Doc) -> None:
    """"Kota Blitar", "Kabupaten Bogor", "Kota Administrasi Jakarta Barat"."""
    lex = doc.lexicon
    for m in doc.cues.finditer(regexes(lex)["municipality"], *doc.scan):
        if not doc.free(m.start(), m.end()):
            continue
        kind = "kota" if m["kind"].startswith("Kota") else "kabupaten"
        r = pick_regency(lex, canon(m["place"], place_names(lex)), kind)
        if r is None and "Administrasi" in m["kind"]:
            r = pick_regency(lex, canon(m["place"], place_names(lex)), None)
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
    names = province_names(doc.lexicon)
    rx = regexes(doc.lexicon)
    for m in doc.cues.finditer(rx["province"]):   # (Doc.cues: where a province name stands)
        longer = rx["bare_place"].match(doc.masked, m.start())
        if longer and longer.end() > m.end():
            continue   # "Lampung Barat" (a kabupaten), not "Lampung"
        prev = _word_before(doc.masked, m.start())
        if prev and (around := rx["bare_place"].match(doc.masked, prev[0])) and around.end() >= m.end():
            continue   # "Banda Aceh" (a kota), not "Aceh"
        if doc.free(m.start(), m.end()) and not _blocked(doc, m.start()):
            doc.add(_province(doc, m.start(), m.end(), names[canon(m["name"], names)]))


def _blocked(doc: Doc, start: int) -> bool:
    """True when the word before START makes the place part of another name ("Jalan Merdeka", "Pasar Sila")."""
    before = doc.masked[max(0, start - 30):start].split()
    return bool(before) and before[-1] in doc.lexicon.place_blockers


def _word_before(text: str, pos: int) -> tuple[int, str] | None:
    """(start, word) of the word that blanks separate from POS, as re.search(r"(\\S+)[ \\t]+$", text[:pos])
    finds it, without reading the text before it."""
    end = pos - 1 if text[pos - 1:pos] == "\n" else pos   # "$" also matches before a final line break
    i = end
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    k = i
    while k > 0 and not text[k - 1].isspace():
        k -= 1
    return (k, text[k:i]) if k < i < end else None


def article_places(doc: Doc) -> dict[str, Regency]:
    """Short names the article defines for a kota/kabupaten: "Kabupaten Lombok Timur (Lotim)" -> {"Lotim": ...}."""
    if doc._article_places is not None:   # read once per article
        return doc._article_places
    lex, out = doc.lexicon, {}
    for abbr, long in doc.abbreviations.items():
        name = " ".join(re.sub(r"^(?:Kota|Kabupaten)\s+", "", long).split())
        if name not in place_names(lex) or abbr in place_names(lex):
            continue
        kind = re.search(rf"\b(Kota|Kabupaten)\s+{re.escape(long)}\s*\(\s*{re.escape(abbr)}\s*\)", doc.text)
        r = pick_regency(lex, name, kind.group(1).lower() if kind else None)
        if r is not None:
            out[abbr] = r
    doc._article_places = out
    return out


def article_place_at(doc: Doc, pos: int) -> tuple[Regency, int] | None:
    """The place the article's own short name at POS stands for, and the short name's end."""
    for abbr, r in article_places(doc).items():
        if re.compile(rf"{re.escape(abbr)}(?![\w-])").match(doc.masked, pos):
            return r, pos + len(abbr)
    return None


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
    for m in doc.cues.finditer(regexes(lex)["bare_place"]):
        if not doc.free(m.start(), m.end()) or _blocked(doc, m.start()):
            continue
        name = canon(m["place"], place_names(lex))
        prev = _word_before(doc.masked, m.start())
        if prev and prev[1][:1].isupper() and prev[1][-1].isalpha():
            sentence = doc.sentence_of(m.start())
            if not sentence or sentence.start != prev[0]:
                continue   # part of a longer proper name: "Pecinan Semarang", "Kota Kasih"
        regs = place_names(lex)[name]
        codes = explicit.get(regs[0].name, set())
        if len(codes) == 1:
            r = lex.regencies[next(iter(codes))]
        elif not codes and len(regs) == 1 and name not in lex.bare_place_stoplist:
            r = regs[0]
        else:
            continue
        doc.add(_municipality(doc, m.start(), m.end(), r, "bare-place"))
    for abbr, r in article_places(doc).items():   # "Lotim" after "Kabupaten Lombok Timur (Lotim)"
        for m in standalone(abbr).finditer(doc.masked):
            if doc.free(m.start(), m.end()):
                doc.add(_municipality(doc, m.start(), m.end(), r, "article-abbreviation"))


@reads_whole_text
def _read_over_the_text(lex: Lexicon) -> tuple[re.Pattern, ...]:
    """The patterns the recognisers above read over the whole blanked text (Doc.cues)."""
    rx = regexes(lex)
    return rx["localgov"], _regional_government_regex(lex), rx["aceh"], rx["municipality"], rx["province"], \
        rx["bare_place"]
