"""Offices and persons: "Wakil Wali Kota Blitar Elim Tyu Samba", "Kepala BPJS Kesehatan Cabang Kediri, Tutus Novita
Dewi", quote attributions, residents with their age, nicknames and later short mentions."""
from __future__ import annotations

import re
from functools import cache

from ..lexicon import Lexicon
from ..textutil import Cues, alternation, find_all, finditer, is_word_char, slug, squash
from .base import (ENUMERATION, Doc, Mention, NAME_WORD, PRONOUNS, _opening, canon, place_names, province_names,
                   reads_whole_text, regexes)
from .bodies import _agencies_by_name, link_regex, unit_body_at, unit_words_after
from .places import article_place_at, pick_regency


def _office_for(lex: Lexicon, form: str):
    """The first office of positions.tsv written FORM (white space folded)."""
    found = _offices_by_form(lex).get(" ".join(form.split()))
    if found is None:
        raise StopIteration(form)   # as next() over no office
    return found


@cache
def _offices_by_form(lex: Lexicon) -> dict:
    """The offices by their form, white space folded; the first one of positions.tsv for a form written twice."""
    out: dict = {}
    for o in lex.offices:
        out.setdefault(" ".join(o.form.split()), o)
    return out


_TITLE_WORD = re.compile(r"\s*,?\s*([^\s,]+)")
_COMMA = re.compile(r"\s*,\s*")
_SPACE = re.compile(r"\s*")
_NEXT_NAME_WORD = re.compile(r"[ \t]*(" + NAME_WORD.pattern + r")")


def _strip_titles(doc: Doc, pos: int) -> int:
    """Skip a comma and prefix titles ("dr.", "H.", "Prof.") at POS."""
    lex = doc.lexicon
    while True:
        m = _TITLE_WORD.match(doc.masked, pos)
        if m and (m.group(1) in lex.prefix_titles or m.group(1).rstrip(".") + "." in lex.prefix_titles
                  and len(m.group(1).rstrip(".")) <= 3 and m.group(1).rstrip(".") not in ("M",)):
            pos = m.end()
            continue
        m2 = _COMMA.match(doc.masked, pos)
        return m2.end() if m2 else pos


def _read_name(doc: Doc, pos: int, max_words: int = 6) -> tuple[int, int, str] | None:
    """A personal name starting at POS (titles skipped): (start, end, name) or None."""
    lex, rx = doc.lexicon, regexes(doc.lexicon)
    pos = _strip_titles(doc, pos)
    start = _SPACE.match(doc.masked, pos).end()
    words: list[tuple[int, int]] = []
    p = start
    while len(words) < max_words:
        w = _NEXT_NAME_WORD.match(doc.masked, p)
        if not w:
            break
        token = w.group(1)
        if token in lex.suffix_titles or token.rstrip(".") + "." in lex.suffix_titles and len(words) > 0 and token.count(".") > 1:
            nxt = re.compile(r"[ \t]+([A-Z][a-z]+)(?=[\s,.])").match(doc.masked, w.end(1))
            if not (words and re.fullmatch(r"(?:[A-Z]\.){2,}", token) and nxt and nxt.group(1) not in PRONOUNS
                    and nxt.group(1) not in lex.suffix_titles):
                break   # a degree ends the name; initials inside one go on: "Nirwan M.T. Ali"
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
    words = _without_leading_place(doc, words)
    ending = lex.office_words.get("body_end", ())
    while words and doc.masked[words[0][0]:words[0][1]] in ending:   # "... Kepri Syariah Budi": the body's name ends
        words = words[1:]
    if not words:
        return None
    start = words[0][0]
    end = words[-1][1]
    name = squash(doc.masked[start:end]).rstrip(",")
    if name.endswith(".") and not re.search(r"\b[A-Z]\.$", name):
        name, end = name[:-1], end - 1
    first = name.split()[0]
    if first in lex.office_words.get("division", ()) or first in lex.office_words.get("branch", ()):
        return None   # "... DIY Bidang Perekonomian", "Bank NTT Cabang Maumere": the body goes on, not a name
    if len(name) < 3 or first in PRONOUNS or not first[:1].isupper() or name.isupper() and len(name) > 4:
        return None
    return start, end, name


def _without_leading_place(doc: Doc, words: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """WORDS without a region written before the name ("Sumsel Andi Pratama", "Kutim Budi Hartono"): a
    province, a region's short name or a place of two or more words; a one-word kabupaten may be a name
    ("Bima Arya"). A name that is only a region is none."""
    if not words:
        return words
    rx, lex = regexes(doc.lexicon), doc.lexicon
    s0 = words[0][0]
    place_end = 0
    q = rx["province"].match(doc.masked, s0)
    b = rx["bare_place"].match(doc.masked, s0)
    mm = rx["municipality"].match(doc.masked, s0)
    if mm:   # "Kota Madiun Budi": never part of a name
        place_end = mm.end()
    elif q and not (b and b.end() > q.end()):
        place_end = q.end()
    elif b and (len(b.group().split()) > 1 or canon(b["place"], place_names(lex)) in lex.place_aliases):
        place_end = b.end()
    elif (own := article_place_at(doc, s0)) is not None:
        place_end = own[1]
    if not place_end:
        return words
    rest = [w for w in words if w[0] >= place_end]
    return rest if all(w[0] >= place_end or w[1] <= place_end for w in words) else words


def _person(doc: Doc, start: int, end: int, name: str, source: str, attrs=()) -> Mention:
    return Mention(doc.text[start:end], start, end, "Person", source, f"person:{slug(name)}", name, (), tuple(attrs))


def _minister_office(doc: Doc, m: re.Match, form: str) -> tuple[str, int, str] | None:
    """"Menteri Kesehatan", "Menko PMK", "Menteri LHK": (office written out, end, ministry key)."""
    lex, rx = doc.lexicon, regexes(doc.lexicon)
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
        portfolio = canon(p["portfolio"], {x.portfolio: 1 for x in lex.ministries})
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
            if words and (regexes(doc.lexicon)["office"].search(words) or len(words.split()) > 6):
                return None   # "Kepala X Budi dan Kasi Pidsus Kejari Y": the body of another office
            # "Direktur Utama PT Bank Jatim": PT is the body's
            return _legal_form_end(doc.lexicon).sub("", words), body
    return None


@cache
def _legal_form_end(lex: Lexicon) -> re.Pattern:
    """A company's legal form ending the words between an office and its body (office_words.txt legal_form)."""
    forms = "|".join(re.escape(w) for w in sorted(lex.office_words.get("legal_form", ()), key=len, reverse=True))
    return re.compile(rf"(?:^|\s+)(?:{forms or '(?!)'})$")


_ROMAN_AFTER = re.compile(r"[ \t]+[IVX]{1,4}(?![\w.-])")   # "Asisten III"
_WORD_AFTER = re.compile(r"[ \t]+([A-Z][\w-]*)")
_INITIALS = re.compile(r"(?:[A-Z]\.\s*)+")


@cache
def _division_rx(lex: Lexicon) -> re.Pattern | None:
    """A division word of office_words.txt after white space ("Bidang", "Urusan"), longest first; None without any."""
    words = sorted(lex.office_words.get("division", ()), key=len, reverse=True)
    return re.compile(r"[ \t]+(?:" + "|".join(map(re.escape, words)) + r")(?![\w-])") if words else None


# the next word of a division's name: "Hukum", ", Politik", "dan Pemerintahan"
_DIVISION_WORD = re.compile(r"[ \t]*(?:,[ \t]*)?(?:(?:dan|&|serta)[ \t]+)?([A-Z][\w'’-]*)")


def _division(doc: Doc, pos: int, numbered: bool = True) -> tuple[int, str]:
    """The part of a body an office leads, written right after it: "Asisten III", "Staf Ahli Gubernur Bidang
    Hukum, Politik, dan Pemerintahan", "Deputi Bidang Pengendalian, Evaluasi, dan Manajemen Risiko"
    (division words: office_words.txt). Returns (end, the words)."""
    lex, rx = doc.lexicon, regexes(doc.lexicon)
    end = pos
    roman = _ROMAN_AFTER.match(doc.masked, end) if numbered else None
    nxt = roman and _WORD_AFTER.match(doc.masked, roman.end())
    if roman and nxt and not (nxt.group(1) in lex.office_words.get("division", ()) or doc.at(nxt.start(1), ("Agency",))
                              or rx["unit"].match(doc.masked, nxt.start(1)) or rx["head"].match(doc.masked, nxt.start(1))):
        roman = None   # "Wakil Bupati I Gusti Ngurah ...": a name element, not "Asisten III"
    if roman:
        end = roman.end()
    division = _division_rx(lex)
    head = division.match(doc.masked, end) if division else None
    if head:
        end = head.end()
        while True:
            w = _DIVISION_WORD.match(doc.masked, end)
            if not w or "," in doc.masked[end:w.start(1)] and not ENUMERATION.match(doc.masked, end):
                break
            w0 = w.start(1)
            if doc.at(w0, ("Agency",)) or rx["office"].match(doc.masked, w0) or w.group(1) in lex.prefix_titles \
                    or any(rx[k].match(doc.masked, w0) for k in ("localgov", "municipality", "province", "bare_place")):
                break
            end = w.end(1)
        if end == head.end():
            end = head.start()
    return end, doc.written(pos, end)


def find_offices(doc: Doc) -> None:
    """Offices and the persons holding them: "Wakil Wali Kota Blitar Elim Tyu Samba",
    "Kepala BPJS Kesehatan Cabang Kediri, Tutus Novita Dewi", "Menteri Kesehatan Budi Gunadi Sadikin"."""
    lex, rx = doc.lexicon, regexes(doc.lexicon)
    # (textutil.finditer: tried where an office's or modifier's words stand, not at every capital)
    hits = [(m.start(), m, "office") for m in doc.cues.finditer(rx["office"])]
    hits += [(m.start(), m, "minister_alias") for m in doc.cues.finditer(rx["minister_alias"])]
    for _, m, how in sorted(hits, key=lambda h: h[0]):
        if any(x.label == "Office" for x in doc.covering(m.start())):
            continue
        before = doc.masked[max(0, m.start() - 12):m.start()].split()
        if before and before[-1] in ("Kantor", "Rumah", "Balai", "Gedung", "Rumah"):
            continue
        former = bool(before) and before[-1] in lex.office_words.get("former", ())   # "mantan Bupati X Budi"
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
            end, division = _division(doc, end)
            office_name = squash(f"{office_name} {division}")
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
                    code = province_names(lex)[canon(pm["name"], province_names(lex))]
                    affiliation, end = f"localgov:{code}", pm.end()
                    place = ("province", code)
            if not affiliation and attaches != "provinsi":
                mm = rx["municipality"].match(doc.masked, p) if attaches == "localgov" else None
                bm = rx["bare_place"].match(doc.masked, p)
                kind = attaches if attaches in ("kota", "kabupaten") else None
                if mm:
                    kind = "kota" if mm["kind"].startswith("Kota") else "kabupaten"
                    r = pick_regency(lex, canon(mm["place"], place_names(lex)), kind)
                    if r:
                        affiliation, end, place = f"localgov:{r.code}", mm.end(), ("regency", r.code)
                elif bm:
                    r = pick_regency(lex, canon(bm["place"], place_names(lex)), kind)
                    if r:
                        affiliation, end, place = f"localgov:{r.code}", bm.end(), ("regency", r.code)
                elif (own := article_place_at(doc, p)) is not None:   # "Bupati Lotim", Lotim defined
                    r, own_end = own
                    if not kind or r.kind == kind:
                        affiliation, end, place = f"localgov:{r.code}", own_end, ("regency", r.code)
            if not affiliation:
                attrs.append(("affiliation_kind", attaches))
            if place:
                attrs.append(("place_" + place[0], place[1]))
        elif attaches == "area":
            end = _area_name_end(doc, end)
        elif attaches.startswith("agency"):
            unit = attaches.split(":", 1)[1] if ":" in attaches else ""
            found = _body_after_office(doc, end)
            if found:
                words, body = found
                office_name = squash(f"{office_name} {words}")
                affiliation, end = body.key, body.end
            elif unit and (body := unit_body_at(doc, (full := unit_words_after(doc, end, unit))[1], full[0])):
                affiliation, end = body.key, body.end   # "Kajari Kutai Barat Budi Hartono", "Kadis Sosial Kota X"
            elif (back := _body_named_before(doc, end)) is not None:   # "Kepala Kantor Wilayah, Budi"
                affiliation, end = back
            if not affiliation and unit:
                attrs.append(("affiliation_unit", unit))
            elif not affiliation:
                continue
        if attaches in ("kota", "kabupaten", "provinsi", "localgov") and affiliation:
            end, division = _division(doc, end, numbered=False)   # "Asisten Sekda DIY Bidang Perekonomian"
            office_name = squash(f"{office_name} {division}")
        if modifier:
            office_name = f"{modifier} {office_name}"
        after = _former_after(doc, end)   # "Bupati Kukar saat itu, Budi": Budi held it then
        if former or after:
            # the office's place is still named ("Wali Kota X saat itu, Budi"): kept as a former office
            doc.add(Mention(doc.text[m.start():end], m.start(), end, "Office", "positions.tsv", affiliation or "",
                            office_name, (), tuple(attrs) + (("former", "yes"),)))
            named = _read_name(doc, after or end)
            if named and doc.free(named[0], named[1]) and doc.masked[after or end:named[0]].count(",") <= 1:
                doc.add(_person(doc, named[0], named[1], named[2], "former-office"))
            continue
        doc.add(Mention(doc.text[m.start():end], m.start(), end, "Office", "positions.tsv",
                                         affiliation or "", office_name, (), tuple(attrs)))
        named = _read_name(doc, end)
        if named is None:
            continue
        ns, ne, name = named
        if doc.masked[end:ns].count(",") > 1 or not doc.free(ns, ne):
            continue
        if "," in doc.masked[end:ns] and (_links_at(doc, ne) or _linked_before(doc, m.start())):
            continue   # "Kepala Dinas A, Budi sebagai Kepala Dinas B": Budi holds the next office
        title = doc.article.title
        if title and ns < len(title) and name not in doc.text[len(title):]:
            continue   # a headline capitalises every word: "Jadi Sekda DKI, Gantikan Marullah"
        pattrs = [("position", office_name)]
        if affiliation:
            pattrs.append(("affiliation", affiliation))
        pattrs += attrs
        doc.add(_person(doc, ns, ne, name, "office", pattrs))


def _body_named_before(doc: Doc, pos: int) -> tuple[str, int] | None:
    """"Kepala Kantor Wilayah, Budi": the words after an office name a body the article named in full
    before ("Kantor Wilayah BPJS Ketenagakerjaan ..."): (its key, the end of the words)."""
    words = re.compile(r"[ \t]+((?:[A-Z][a-z]+)(?:[ \t]+[A-Z][a-z]+){0,2})(?=\s*,)").match(doc.masked, pos)
    if not words or words.group(1) not in doc.lexicon.agency_heads:
        return None
    named = {m.key for m in doc.mentions if m.label == "Agency" and m.start < pos
             and re.search(rf"\b{re.escape(words.group(1))}\b", m.name)}
    return (named.pop(), words.end()) if len(named) == 1 else None


def _area_name_end(doc: Doc, pos: int) -> int:
    """After "Camat"/"Lurah"/"Kepala Desa": the end of the area's name, which is not the holder's ("Camat
    Sukamaju, Budi Hartono"; "Camat Sukamaju Budi Hartono" where the article writes "Kecamatan Sukamaju")."""
    words = re.compile(r"[ \t]+((?:[A-Z][a-z]+)(?:[ \t]+[A-Z][a-z]+){0,2})").match(doc.masked, pos)
    if not words:
        return pos
    if re.match(r"\s*,", doc.masked[words.end():]):
        return words.end()
    kinds = "|".join(map(re.escape, sorted(doc.lexicon.office_words.get("area", ()), key=len, reverse=True)))
    parts = words.group(1).split()
    for k in range(len(parts), 0, -1):
        area = r"\s+".join(map(re.escape, parts[:k]))
        if kinds and any(m.start(1) != words.start(1) for m in
                         re.finditer(rf"\b(?:{kinds})\s+({area})(?![\w-])", doc.masked)):
            return words.start(1) + len(re.match(area, doc.masked[words.start(1):]).group())
    return pos


def _former_after(doc: Doc, pos: int) -> int:
    """The end of "saat itu," after an office at POS (office_words.txt, former_after), else 0."""
    rx = _office_word_regexes(doc.lexicon)["former_after"]
    m = rx.match(doc.masked, pos) if rx else None
    return m.end() if m else 0


def _links_at(doc: Doc, pos: int) -> bool:
    """True when a link word and an office follow POS: "..., Budi sebagai Kepala Dinas B"."""
    rx = link_regex(doc.lexicon)
    return bool(rx and rx.match(doc.masked, pos))


def _linked_before(doc: Doc, pos: int) -> bool:
    """True when the office at POS follows "NAME sebagai": its holder is named before it."""
    rx = _office_word_regexes(doc.lexicon)["link_before"]
    return bool(rx) and bool(rx.search(doc.masked[max(0, pos - 30):pos]))


@cache
def _office_word_regexes(lex: Lexicon) -> dict[str, re.Pattern | None]:
    """Patterns of office_words.txt built once: "saat itu," after an office (former_after); a link word
    right before an office (link_before). None where the file has no such words."""
    former = sorted(lex.office_words.get("former_after", ()), key=len, reverse=True)
    links = sorted(lex.office_words.get("link", ()), key=len, reverse=True)
    return {
        "former_after": re.compile(r"[ \t]+(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in former)
                                   + r")\s*,") if former else None,
        "link_before": re.compile(r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in links) + r")\s+$")
        if links else None,
    }


_NAME_WORDS = 4   # the words of a name read before an office, a lead word or around a speech verb
_NAME = NAME_WORD.pattern + r"(?:\s+" + NAME_WORD.pattern + rf"){{0,{_NAME_WORDS - 1}}}"
_NOW = re.compile(r"(?:^|\s)kini(?:\s+\w+){0,2}\s+$")                    # "..., kini Kepala X"
_NAME_CLOSING = re.compile(rf"({_NAME}),?\s+$")                           # "... Rina Wati, " before a lead word
_LEAD_NAME = re.compile(rf"[-•*\d.)\s]*({_NAME})\s*,")                # "- Rina Wati, sebelumnya ..."
# "kata Budi Hartono, Kepala Dinas ...": a name and a comma before an office; the office closed by a comma or the end
_APPOSITION_NAME = re.compile(rf"(?:^|[^\w,]\s*|\b[a-z]+\s+)({_NAME}),\s+$")
_APPOSITION_CLOSED = re.compile(r"\s*(?:[,;)]|\.(?:\s|$)|$)")


def _may_close_apposition(before: str) -> bool:
    """Whether BEFORE ends with a comma and white space, as every match of _APPOSITION_NAME does ("Budi Hartono, "):
    where it does not, the engine would try the pattern at every character of BEFORE to learn that it does not match."""
    closing = before.rstrip()
    return closing.endswith(",") and len(closing) < len(before)


@cache
def _reverse_office_regexes(lex: Lexicon) -> dict[str, re.Pattern | None] | None:
    """The patterns of find_reverse_offices, built once per lexicon from office_words.txt: a name before a link
    word (before), before a former-office link (former), a link word after a comma (comma_link). None without
    link words."""
    links = sorted(lex.office_words.get("link", ()), key=len, reverse=True)
    if not links:
        return None
    link_rx = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in links)
    formers = sorted(lex.office_words.get("former_link", ()), key=len, reverse=True)
    return {"before": re.compile(rf"({_NAME}),?\s+(?P<link>{link_rx})\s+$"),
            "former": re.compile(rf"({_NAME}),?\s+(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in formers)
                                 + r")\s+$") if formers else None,
            "comma_link": re.compile(rf",\s*(?:{link_rx})\s+$")}


@cache
def _link_endings(lex: Lexicon) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """How a text that the patterns of _reverse_office_regexes match ends, its white space folded and dropped at
    the end (_ends_with_link): a link word after white space or a comma (" sebagai", ",sebagai"), a former-office
    link after white space."""
    links = [" ".join(w.split()) for w in lex.office_words.get("link", ())]
    formers = [" ".join(w.split()) for w in lex.office_words.get("former_link", ())]
    return tuple(c + w for w in links for c in " ,"), tuple(" " + w for w in formers)


def _ends_with_link(before: str, endings: tuple[str, ...]) -> bool:
    """Whether BEFORE ends with white space and, its white space folded, with one of ENDINGS (_link_endings): a
    text the patterns of _reverse_office_regexes match does, found with str.endswith (the engine would try each
    pattern at every capital of BEFORE)."""
    return before[-1:].isspace() and " ".join(before.split()).endswith(endings)


def find_reverse_offices(doc: Doc) -> None:
    """"melantik Uus Kuswanto sebagai Sekretaris Daerah", "Budi Santoso selaku Kepala Dinkes", "Sari dilantik
    sebagai Pj Bupati": a person named before a link word (office_words.txt) and an office. After "kini" the
    person is the one the line or sentence opens with: "- Rina Wati, sebelumnya Kepala Dinas Sosial, kini
    Kepala Biro Umum"."""
    rx = _reverse_office_regexes(doc.lexicon)
    if rx is None:
        return
    before_rx, former_rx = rx["before"], rx["former"]
    links, former_links = _link_endings(doc.lexicon)
    for office in [m for m in doc.mentions if m.label == "Office" and not m.attr("former")]:
        before = doc.masked[max(0, office.start - 60):office.start]
        linked = _ends_with_link(before, links)
        f = former_rx.search(before) if former_rx and _ends_with_link(before, former_links) else None
        if f:   # "Budi, yang saat itu menjabat Bupati": named, not given the office
            named = _read_name(doc, office.start - len(before) + f.start(1))
            if named and doc.free(named[0], named[1]) and named[2] == squash(f.group(1)):
                doc.add(_person(doc, named[0], named[1], named[2], "former-office"))
            continue
        m = before_rx.search(before) if linked else None
        starts = []
        if m and (len(m.group(1).split()) > 1 or m["link"] != "menjadi" and not m.group(1).endswith("nya")):
            # "Adapun Rina Wati menjadi ...": the name may begin after a sentence opener
            base = office.start - len(before)
            starts = [base + w.start() for w in re.finditer(r"\S+", before[:m.end(1)]) if w.start() >= m.start(1)]
        if "kini" in before and _NOW.search(before) or linked and rx["comma_link"].search(before):
            # "- Rina, sebelumnya ..., kini Kepala X", "- Rina, yang semula memimpin X, dipercaya menjadi Kepala Y"
            line = doc.masked.rfind("\n", 0, office.start) + 1
            s = doc.sentence_of(office.start)
            opening = max(line, s.start if s else 0)
            lead = _LEAD_NAME.match(doc.masked, opening)
            if lead and lead.end() < office.start:
                starts = [lead.start(1)]   # "- Rina, mantan Asisten Umum, kini ...": not "Asisten Umum"
        if not starts:
            starts = _apposition_start(doc, office, before)
        named = next((n for st in starts if (n := _read_name(doc, st)) and n[2].split()[0] not in PRONOUNS
                      and not n[2].endswith("nya") and doc.free(n[0], n[1]) and n[1] < office.start), None)
        if named:
            attrs = [("position", office.name)] + ([("affiliation", office.key)] if office.key else []) + list(office.attrs)
            doc.add(_person(doc, named[0], named[1], named[2], "office-apposition", attrs))


def _apposition_start(doc: Doc, office: Mention, before: str) -> list[int]:
    """"kata Budi Hartono, Kepala Dinas Kesehatan Kota Madiun, ...": a name, a comma, and an office closed by
    a comma or the sentence's end is the office's holder (PERSON, OFFICE BODY)."""
    if not office.key or not _APPOSITION_CLOSED.match(doc.masked[office.end:office.end + 3]):
        return []
    m = _APPOSITION_NAME.search(before) if _may_close_apposition(before) else None
    if not m or _is_place_or_body(doc, squash(m.group(1))) or len(m.group(1).split()) < 2 \
            or any(w in doc.lexicon.agency_heads or w in doc.lexicon.unit_abbreviations or w.isupper()
                   for w in m.group(1).split()):
        return []
    start = office.start - len(before) + m.start(1)
    named = _read_name(doc, start)
    return [start] if named and named[2] == squash(m.group(1)) else []


def find_leaders(doc: Doc) -> None:
    """"- Rina Wati, sebelumnya staf ahli, kini memimpin Dinas Sosial": the person the line or sentence opens
    with, or the one named right before the lead words (office_words.txt, lead), is the body's Kepala."""
    words = sorted(doc.lexicon.office_words.get("lead", ()), key=len, reverse=True)
    if not words:
        return
    for m in doc.cues.finditer(_lead_rx(tuple(words))):
        body = doc.at(m.end(), ("Agency",))
        if body is None or body.attr("government"):
            continue
        line = doc.masked.rfind("\n", 0, m.start()) + 1
        s = doc.sentence_of(m.start())
        opening = max(line, s.start if s else 0)
        lead = _LEAD_NAME.match(doc.masked, opening)
        direct = _NAME_CLOSING.search(doc.masked[opening:m.start()])
        start = lead.start(1) if lead and lead.end() <= m.start() else opening + direct.start(1) if direct else None
        named = _read_name(doc, start) if start is not None else None
        if named and doc.free(named[0], named[1]) and named[2].split()[0] not in PRONOUNS:
            doc.add(_person(doc, named[0], named[1], named[2], "office-lead",
                            [("position", "Kepala"), ("affiliation", body.key)]))


@cache
def _lead_rx(words: tuple[str, ...]) -> re.Pattern:
    r"""rf"(?<![\w-])(?:{WORDS, longest first, a space as \s+})\s+", the check before a word written after its
    first character (textutil.alternation), so the engine looks only where a lead word can start."""
    return re.compile("(?:" + alternation(words, not_after=r"[\w-]") + r")\s+")


_RESIDENT = re.compile(r"([A-Z](?<!\w[A-Z])[a-z]+(?:\s+[A-Z][a-z]+){0,3})\s*\((\d{1,3})\)")
_AGE = re.compile(r"\(\d{1,3}\)")   # every resident's match holds an age in parentheses


@cache
def _pair_rx(lex: Lexicon) -> re.Pattern | None:
    """A pair word of office_words.txt ("pasangan") before a capital, longest first; None without any."""
    words = sorted(lex.office_words.get("pair", ()), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, words)) + r")\s+(?=[A-Z])") if words else None


_PAIR_JOIN = re.compile(r"\s+dan\s+|\s*[–—-]\s*")   # between the two names of a pair


def find_pairs(doc: Doc) -> None:
    """"pasangan Budi Santoso dan Rina Wati", "Pasangan Budi Santoso–Rina Wati memperoleh ...": two persons
    named together after a pair word (office_words.txt); a one-word name is left to the short-name reader."""
    rx = _pair_rx(doc.lexicon)
    if rx is None:
        return
    for m in doc.cues.finditer(rx):   # tried where a pair word stands: the look-behind opening it is tried everywhere
        first = _read_name(doc, m.end(), max_words=4)
        if first is None:
            continue
        join = _PAIR_JOIN.match(doc.masked, first[1])
        second = _read_name(doc, join.end(), max_words=4) if join else None
        if second is None:
            continue
        for s, e, n in (first, second):
            if len(n.split()) >= 2 and doc.free(s, e) and not _is_place_or_body(doc, n):
                doc.add(_person(doc, s, e, n, "pair"))


def merge_partial_names(doc: Doc) -> None:
    """One person, one node: a person first named in part ("Bupati Kukar Riefky Harsya") and elsewhere in full
    ("Teuku Riefky Harsya") is the one whose name holds the part, when only one does."""
    people = {m.key: m.name for m in doc.mentions if m.label == "Person"}
    words = {k: n.split() for k, n in people.items()}
    target: dict[str, str] = {}
    for k, ws in words.items():
        holders = [k2 for k2, ws2 in words.items() if k2 != k and len(ws2) > len(ws)
                   and any(ws2[i:i + len(ws)] == ws for i in range(len(ws2) - len(ws) + 1))]
        if len(holders) == 1 and (len(ws) > 1 or len(words[holders[0]]) == 2):
            target[k] = holders[0]
    for i, m in enumerate(doc.mentions):
        if m.label == "Person" and m.key in target:
            k = target[m.key]
            while k in target:
                k = target[k]
            doc.mentions[i] = Mention(m.text, m.start, m.end, m.label, m.source, k, people[k],
                                      tuple(dict.fromkeys((*m.aliases, m.name))), m.attrs)


def find_residents(doc: Doc) -> None:
    """"Endang (50), seorang warga": a name with an age in parentheses."""
    if not _AGE.search(doc.masked):
        return   # no age in parentheses: _RESIDENT cannot match
    # r"(?<![\w])((?:[A-Z][a-z]+)...": the check before the name written after its capital
    for m in _RESIDENT.finditer(doc.masked):
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
    rx = _speaker_regexes(lex)
    find_nicknames(doc)
    # (where a verb's word begins; found with str.find of the verbs, Doc.cues: their first letters are small letters the
    # text is full of, at each of which textutil.finditer's opening finder would start the engine)
    cands = [(m.start(1), m.group(1)) for m in doc.cues.finditer(rx["after"])]
    cands += [(m.start(1), m.group(1)) for m in _named_before_verbs(doc.masked, rx, doc.cues)]
    known_persons = _PersonIndex(doc)
    for start, text in sorted(cands):
        named = _read_name(doc, start, max_words=4)
        if not named or not doc.free(named[0], named[1]):
            continue
        s, e, n = named
        if any(w in PRONOUNS or w.lower() in lex.months for w in n.split()):
            continue
        known = known_persons.find(n)
        if known:
            doc.add(Mention(doc.text[s:e], s, e, "Person", "short-name", known.key, known.name, (n,)))
        elif len(n.split()) >= 2 and not _is_place_or_body(doc, n):
            known_persons.add(doc.add(_person(doc, s, e, n, "speech-verb")))
    _add_short_mentions(doc, [p for p in doc.mentions if p.label == "Person" and p.source != "short-name"],
                        known_persons)


_NICKNAME = re.compile(rf"({_NAME}),?\s+sapaan\s+akrab(?:nya)?(?:\s+(\w+(?:\s+\w+)?))?")


@cache
def _speaker_regexes(lex: Lexicon) -> dict[str, re.Pattern]:
    """A name after a speech verb ("ujar Rudy") and before one ("Fusia menjelaskan"), built once per lexicon."""
    after = "|".join(sorted(lex.speech_after, key=len, reverse=True))
    before = "|".join(sorted(lex.speech_before, key=len, reverse=True))
    return {"after": re.compile(rf"\b(?:{after}),?\s+({_NAME})"),
            "before": re.compile(rf"({_NAME})\s+(?:{before})\b"),
            "verb": re.compile(rf"(?<=\s)(?:{before})\b")}   # a verb of "before" right after white space


def _named_before_verbs(text: str, rx: dict[str, re.Pattern], cues: Cues | None = None) -> list[re.Match]:
    """The matches of rx["before"].finditer(TEXT), a name and a speech verb ("Fusia menjelaskan"), tried only at the
    capitals of the _NAME_WORDS words before each verb: a match ends right before a verb, and its words hold no
    white space, so it starts in one of them (the engine would try the pattern at every capital of the text).
    CUES: the Cues of TEXT, where the verbs are found (else textutil.finditer)."""
    # (where a verb's first letters stand)
    verbs = cues.finditer(rx["verb"]) if cues is not None else finditer(rx["verb"], text)
    return _names_before(text, [v.start() for v in verbs], rx["before"])


def _names_before(text: str, ends: list[int], pattern: re.Pattern) -> list[re.Match]:
    """The matches of PATTERN.finditer(TEXT), for a PATTERN whose every match opens with a name of at most
    _NAME_WORDS words, a capital in its first, and ends it before white space and one of the places ENDS: PATTERN
    tried only at the capitals of the _NAME_WORDS words (runs without white space) before each of ENDS, in which a
    match starts, where the engine would try it at every capital of the text."""
    starts: set[int] = set()
    for i in ends:   # (the white space before it is passed over first)
        for _ in range(_NAME_WORDS):
            while i > 0 and text[i - 1].isspace():
                i -= 1
            j = i
            while j > 0 and not text[j - 1].isspace():
                j -= 1
            if j == i:
                break
            starts.update(p for p in range(j, i) if "A" <= text[p] <= "Z")
            i = j
    found, pos = [], 0
    for q in sorted(starts):
        if q >= pos and (m := pattern.match(text, q)):
            found.append(m)
            pos = m.end()
    return found


def _add_short_mentions(doc: Doc, full: list[Mention], known_persons: "_PersonIndex") -> None:
    """Short mentions of persons already named in full (FULL): "Parosil", "Jaya Negara"."""
    for p in full:
        words = p.name.split()
        parts = dict.fromkeys(" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1))
        parts = [x for x in parts if x != p.name and len(x) >= 3 and not _INITIALS.fullmatch(x)
                 and x.split()[0] not in PRONOUNS]   # in name order: names of equal length never in set order
        for part in sorted(parts, key=len, reverse=True):
            if known_persons.find(part) is not p:
                continue
            for start, end in _occurrences(doc, part):
                if doc.free(start, end):
                    doc.add(Mention(part, start, end, "Person", "short-name", p.key, p.name, (part,)))


class _PersonIndex:
    """_known_person for many names: every run of words of each person named in full, to the first such
    person in the Doc's order (short-name mentions are never indexed)."""

    def __init__(self, doc: Doc) -> None:
        self._runs: dict[tuple[str, ...], Mention] = {}
        for p in doc.mentions:
            if p.label == "Person" and p.source != "short-name":
                self.add(p)

    def add(self, p: Mention) -> None:
        pw = tuple(p.name.split())
        for i in range(len(pw)):
            for j in range(i + 1, len(pw) + 1):
                self._runs.setdefault(pw[i:j], p)

    def find(self, name: str) -> Mention | None:
        return self._runs.get(tuple(name.split()))


def _occurrences(doc: Doc, part: str) -> list[tuple[int, int]]:
    """The spans re.finditer(rf"(?<![\\w.]){re.escape(PART)}(?![\\w])", the blanked text) finds, looked up from
    where PART's first word stands (Doc.word_starts) rather than by reading the whole text."""
    text = doc.masked
    first = _FIRST_WORD.match(part)
    if first is None:
        pattern = re.compile(rf"(?<![\w.]){re.escape(part)}(?![\w])")
        return [m.span() for m in pattern.finditer(text)]
    out: list[tuple[int, int]] = []
    n = len(part)
    for pos in doc.word_starts(first.group()):
        if out and pos < out[-1][1]:
            continue   # finditer does not overlap its matches
        # the first word stands at POS, not after a word character or a dot: the rest is PART, then no word character
        end = pos + n
        if text.startswith(part, pos) and not (end < len(text) and is_word_char(text[end])):
            out.append((pos, end))
    return out


_FIRST_WORD = re.compile(r"\w+")


def find_nicknames(doc: Doc) -> None:
    """"Mas Abu, sapaan akrab wali kota" / "kata Zakiyah, sapaan akrabnya": a nickname the text introduces
    is another name of the person holding that office, or of the person last named."""
    if "sapaan" not in doc.masked:
        return   # the pattern below needs the word: most articles have none, and reading for it costs
    # (a name and a comma before "sapaan": tried at the capitals of the words before the word, not at every capital)
    for m in _names_before(doc.masked, list(find_all(doc.masked, "sapaan")), _NICKNAME):
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
    return name in place_names(lex) or name in province_names(lex) or name in _agencies_by_name(lex)


def _words_rx(words) -> str:
    """A pattern matching any of WORDS, longest first (a trie: the cue patterns are case-sensitive)."""
    return alternation(words)


@cache
def _cue_patterns(lex: Lexicon) -> dict[str, re.Pattern]:
    """The person cues of find_tagged_persons, built once per lexicon."""
    ow = lex.office_words
    before_words = (set(ow.get("person_before", ())) | lex.speech_after
                    | {w[:1].upper() + w[1:] for w in lex.speech_after})
    titles = _words_rx(lex.prefix_titles)
    before = _words_rx(before_words)
    after = _words_rx(set(ow.get("person_after", ())) | lex.speech_before)
    venue = _words_rx(ow.get("venue", ())) or "(?!)"
    offices = _words_rx(o.form for o in lex.offices)
    # every cue opens with a title, a cue word, an office or a small letter: the characters "any" is tried at
    opening = _opening([*lex.prefix_titles, *before_words, *(o.form for o in lex.offices),
                        *"abcdefghijklmnopqrstuvwxyz"])
    word_opening = _opening([*lex.prefix_titles, *before_words, *(o.form for o in lex.offices)])
    after_opening = _opening(set(ow.get("person_after", ())) | lex.speech_before)
    word = (rf"(?:(?:{titles})\s*(?P<title>[A-Z])|(?:{before})\s*(?P<next>[A-Z])"
            rf"|(?:{offices})[^,.\n]{{0,80}},[ \t]+(?P<next2>[A-Z]))")
    return {
        "title": re.compile(rf"(?:^|(?<=[\s,(\"“]))(?:{titles})\s*$"),
        "before": re.compile(rf"(?<![\w-])(?:{before}),?\s+(?:(?:{titles})\s*)*$"),
        "after": re.compile(rf",?\s+(?:{after})(?![\w-])"),
        "and_before": re.compile(r"\s+(?:dan|serta)\s+(?:(?:" + titles + r")\s*)*$"),
        "and_after": re.compile(r"\s+(?:dan|serta)\s+"),
        "venue": re.compile(rf"(?<![\w-])(?:{venue})\s+(?:\S+\s+){{0,3}}$"),
        # "Kepala Puskesmas Sukamaju, Budi Santoso": an office and the words of a body the reader does not know
        "office": re.compile(rf"(?<![\w-])(?:{offices})(?:[ \t]+(?:[A-Z][\w./-]*|[IVX]+|\d+|dan|&))*,[ \t]+"
                             rf"(?:(?:{titles})\s*)*$"),
        # where to tag: a capitalised word after a cue word, title or office (group "next"), or before a verb
        "any": re.compile(rf"{opening}(?:(?<![\w-])(?:{titles})\s*(?P<title>[A-Z])"
                          rf"|(?<![\w-])(?:{before})\s*(?P<next>[A-Z])|(?P<prev>[a-z])\s+(?:{after})(?![\w-])"
                          rf"|(?<![\w-])(?:{offices})[^,.\n]{{0,80}},[ \t]+(?P<next2>[A-Z]))"),
        # "any" in two parts that the engine finds faster (see _cues_in): the cues opening a word ("word", with the
        # character before the word, which the engine looks for as a class; "word_at_start" at the text's start)
        # and the cue words after a name ("prev", from the white space after the name's last small letter)
        "word": re.compile(rf"[^\w-]{word_opening}{word}"),
        # the same in an ASCII text, where the word characters are these: a class the engine tests without looking
        # characters up in the Unicode tables (measured: reading a dev article for it, 68 -> 50 us)
        "word_ascii": re.compile(rf"[^0-9A-Z_a-z-]{word_opening}{word}"),
        "word_at_start": re.compile(word),
        # (white space first, the letter before it looked at after it: the engine looks only at white space)
        "prev": re.compile(rf"\s(?<=[a-z]\s)\s*{after_opening}(?:{after})(?![\w-])"),
    }


def _cues_in(text: str, cue: dict[str, re.Pattern]) -> list[tuple[str, int, int]]:
    """(kind, where the cue points, end) of each match of cue["any"].finditer(TEXT), kind being the group it
    matched (title, next, prev or next2) and where it points that group's start. Found with the parts of "any"
    (cue["word"], cue["prev"]), the earlier match of the two taken first (at one place, "prev" before "next2" as
    in "any"), each looked for again past a match taken: the engine tries "any" at most letters of a text, the
    parts only after a character that is not a letter or at white space (measured: 0.21 -> 0.11 ms per dev
    article)."""
    out: list[tuple[str, int, int]] = []
    word, prev = cue["word_ascii" if text.isascii() else "word"], cue["prev"]
    w = cue["word_at_start"].match(text)
    at = 0 if w is not None else -1   # where the cue of W opens (W holds the character before it)
    if w is None and (w := word.search(text)) is not None:
        at = w.start() + 1
    p = prev.search(text, 1)           # its cue points at the letter before the match
    while w is not None or p is not None:
        if p is None or w is not None and (at < p.start() - 1 or at == p.start() - 1 and w.lastgroup != "next2"):
            out.append((w.lastgroup, w.start(w.lastgroup), w.end()))
            pos = w.end()
        else:
            out.append(("prev", p.start() - 1, p.end()))
            pos = p.end()
        if w is not None and at < pos:
            w = word.search(text, pos - 1)   # the character before a word past POS may be the match's last
            at = w.start() + 1 if w is not None else -1
        if p is not None and p.start() - 1 < pos:
            p = prev.search(text, pos + 1)
    return out


def find_tagged_persons(doc: Doc) -> None:
    """Persons the CRF tagger (kg/ner.py) reads where the words around them also say person: a title before the
    name ("H. Sutarno"), a cue word before it ("diserahkan oleh Rina Wati", "Menurut Budi Santoso"), a verb after
    it ("Budi Santoso dilantik ..."), an office in apposition ("Budi Santoso, Kepala Dinas X,") or a person
    named beside it ("Budi Santoso dan Rina Wati"). Only sentences holding such a cue are tagged; a name that
    is a place or body, or names a building ("Aula H. Ahmad"), is not a person; a one-word name needs a
    title or an office beside it."""
    from ..ner import find_person_spans
    lex = doc.lexicon
    cue = _cue_patterns(lex)
    known = _PersonIndex(doc)
    windows = _tag_windows(doc, cue, known)
    if not windows:
        return
    found: list[tuple[int, int, str, bool]] = []
    for w0, w1 in windows:
        for a, b in find_person_spans(doc.masked[w0:w1], lex):
            named = _read_name(doc, w0 + a)
            if named is None or (named[0], named[1]) != (w0 + a, w0 + b):
                continue
            n = named[2]
            words = n.split()
            if not doc.free(named[0], named[1]) or _is_place_or_body(doc, n) \
                    or any(w in PRONOUNS or w.lower() in lex.months or w in lex.agency_heads for w in words):
                continue
            found.append((named[0], named[1], n, False))
    accepted: set[int] = set()
    added: list[Mention] = []
    for _round in range(2):   # a name beside a name accepted in the first round
        for k, (start, end, n, _) in enumerate(found):
            if k in accepted:
                continue
            line = doc.masked.rfind("\n", 0, start) + 1
            before = doc.masked[max(line, start - 100):start]
            after = doc.masked[end:end + 60]
            if cue["venue"].search(before):
                continue
            strong = bool(cue["title"].search(before)) or bool(re.match(r",\s+", after) and doc.at(
                end + re.match(r",\s+", after).end(), ("Office",)))
            office = cue["office"].search(before)
            weak = bool(cue["before"].search(before) or cue["after"].match(after) or office)
            beside = bool(cue["and_before"].search(before) and _person_ending(doc, found, accepted, start, before)) \
                or bool((j := cue["and_after"].match(after)) and _person_starting(doc, found, accepted, end + j.end()))
            if not (strong or weak or beside):
                continue
            if known.find(n) is not None:
                p = known.find(n)
                doc.add(Mention(doc.text[start:end], start, end, "Person", "short-name", p.key, p.name, (n,)))
                accepted.add(k)
            elif len(n.split()) >= 2 or strong:
                added.append(doc.add(_person(doc, start, end, n, "tagged")))
                known.add(added[-1])
                accepted.add(k)
    _add_short_mentions(doc, added, known)


_TWO_BEFORE = re.compile(r"[A-Z][\w'’.-]*[ \t]+[A-Z][\w'’-]*$")
_TWO_AFTER = re.compile(r"[A-Z][\w'’.-]*[ \t]+[A-Z]")


def _tag_windows(doc: Doc, cue: dict[str, re.Pattern], known: _PersonIndex) -> list[tuple[int, int]]:
    """The stretches of text worth tagging: a few words either side of each free capitalised word that a cue points
    at, within its sentence, whole words, overlapping stretches merged (the tagger reads ±2 words around each).
    After a cue word or an office a one-word name is read only when it is a known person's."""
    spans: list[tuple[int, int]] = []
    text = doc.masked
    for kind, pos, _ in _cues_in(text, cue):
        if not doc.free(pos, pos + 1):
            continue
        if kind == "prev" and not _TWO_BEFORE.search(text, max(0, pos - 60), pos + 1) \
                or kind in ("next", "next2") and not _TWO_AFTER.match(text, pos):
            word = re.search(r"[A-Z][\w'’-]*$", text[max(0, pos - 40):pos + 1]) if kind == "prev" \
                else re.compile(r"[A-Z][\w'’-]*").match(text, pos)
            if not word or known.find(word.group()) is None:
                continue   # after a cue word or an office, a one-word name is a new person's: not worth tagging
        s = doc.sentence_of(pos)
        lo, hi = (s.start, s.end) if s else (0, len(text))
        a, b = (pos - 60, pos + 20) if kind == "prev" else (pos - 30, pos + 60)
        a, b = max(lo, a), min(hi, b)
        while a > lo and not text[a - 1].isspace():
            a -= 1
        while b < hi and not text[b].isspace():
            b += 1
        if spans and a <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(b, spans[-1][1]))
        else:
            spans.append((a, b))
    return spans


def _person_ending(doc: Doc, found, accepted, start: int, before: str) -> bool:
    """True when a person mention (or a tagged name accepted) ends right before "dan" at START."""
    m = re.search(r"(\S)\s+(?:dan|serta)\s+\S*\s*$", before)
    if not m:
        return False
    pos = start - len(before) + m.end(1)
    return any(x.label == "Person" and x.end == pos for x in doc.covering(pos - 1)) \
        or any(found[k][1] == pos for k in accepted)


def _person_starting(doc: Doc, found, accepted, pos: int) -> bool:
    """True when a person mention (or a tagged name accepted) starts at POS, titles skipped."""
    p = _strip_titles(doc, pos)
    p = re.compile(r"\s*").match(doc.masked, p).end()
    return doc.at(p, ("Person",)) is not None or any(found[k][0] == p for k in accepted)


@reads_whole_text
def _read_over_the_text(lex: Lexicon) -> tuple[re.Pattern, ...]:
    """The patterns the recognisers above read over the whole blanked text (Doc.cues)."""
    rx = regexes(lex)
    return rx["office"], rx["minister_alias"], _speaker_regexes(lex)["verb"]
