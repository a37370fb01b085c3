"""Offices and persons: "Wakil Wali Kota Blitar Elim Tyu Samba", "Kepala BPJS Kesehatan Cabang Kediri, Tutus Novita
Dewi", quote attributions, residents with their age, nicknames and later short mentions."""
from __future__ import annotations

import re

from ..lexicon import Lexicon
from ..textutil import slug, squash
from .base import Doc, Mention, NAME_WORD, PRONOUNS, canon, place_names, province_names, regexes
from .bodies import unit_body_at
from .places import pick_regency


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
    lex, rx = doc.lexicon, regexes(doc.lexicon)
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
            return words, body
    return None


def find_offices(doc: Doc) -> None:
    """Offices and the persons holding them: "Wakil Wali Kota Blitar Elim Tyu Samba",
    "Kepala BPJS Kesehatan Cabang Kediri, Tutus Novita Dewi", "Menteri Kesehatan Budi Gunadi Sadikin"."""
    lex, rx = doc.lexicon, regexes(doc.lexicon)
    hits = [(m.start(), m, "office") for m in rx["office"].finditer(doc.masked)]
    hits += [(m.start(), m, "minister_alias") for m in rx["minister_alias"].finditer(doc.masked)]
    for _, m, how in sorted(hits, key=lambda h: h[0]):
        if any(x.label == "Office" for x in doc.covering(m.start())):
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
            elif unit and (body := unit_body_at(doc, end, unit)):   # "Kajari Kutai Barat Budi Hartono"
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
    """"melantik Uus Kuswanto sebagai Sekretaris Daerah", "Budi Santoso selaku Kepala Dinkes": a person named
    before "sebagai"/"selaku"/"yang juga" and an office."""
    for office in [m for m in doc.mentions if m.label == "Office"]:
        before = doc.masked[max(0, office.start - 60):office.start]
        m = re.search(r"(" + NAME_WORD.pattern + r"(?:\s+" + NAME_WORD.pattern + r"){1,3}),?\s+"
                      r"(?:sebagai|selaku|yang\s+juga(?:\s+menjabat)?)\s+$", before)
        if not m:
            continue
        start = office.start - len(before) + m.start(1)
        named = _read_name(doc, start)
        if named and doc.free(named[0], named[1]) and named[2] == squash(m.group(1)):
            attrs = [("position", office.name)] + ([("affiliation", office.key)] if office.key else []) + list(office.attrs)
            doc.add(_person(doc, named[0], named[1], named[2], "office-apposition", attrs))


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
    # short mentions of persons already named in full: "Parosil", "Jaya Negara"
    full = [p for p in doc.mentions if p.label == "Person" and p.source != "short-name"]
    words_at = _word_starts(doc.masked)
    for p in full:
        words = p.name.split()
        parts = {" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}
        parts = {x for x in parts if x != p.name and len(x) >= 3 and not re.fullmatch(r"(?:[A-Z]\.\s*)+", x)
                 and x.split()[0] not in PRONOUNS}
        for part in sorted(parts, key=len, reverse=True):
            if known_persons.find(part) is not p:
                continue
            for start, end in _occurrences(doc.masked, part, words_at):
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


def _word_starts(text: str) -> dict[str, list[int]]:
    """Where each word (a run of word characters not after a word character or a dot) starts in TEXT."""
    out: dict[str, list[int]] = {}
    for m in re.finditer(r"(?<![\w.])\w+", text):
        out.setdefault(m.group(), []).append(m.start())
    return out


def _occurrences(text: str, part: str, words_at: dict[str, list[int]]) -> list[tuple[int, int]]:
    """The spans re.finditer(rf"(?<![\\w.]){re.escape(PART)}(?![\\w])", TEXT) finds, looked up from where
    PART's first word stands (WORDS_AT) rather than by reading the whole text."""
    pattern = re.compile(rf"(?<![\w.]){re.escape(part)}(?![\w])")
    first = re.match(r"\w+", part)
    if first is None:
        return [m.span() for m in pattern.finditer(text)]
    out: list[tuple[int, int]] = []
    for pos in words_at.get(first.group(), ()):
        if out and pos < out[-1][1]:
            continue   # finditer does not overlap its matches
        m = pattern.match(text, pos)
        if m:
            out.append(m.span())
    return out


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
    return name in place_names(lex) or name in province_names(lex) or any(
        name in (a.label, *a.aliases) for a in lex.agencies.values())


