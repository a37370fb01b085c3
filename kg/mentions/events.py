"""Awards ("UHC Awards 2026", "Piala Adipura", "opini WTP") and agreements ("MoU", "nota kesepahaman", "PKS")."""
from __future__ import annotations

import re
from functools import cache

from ..lexicon import AwardFamily, Lexicon
from ..textutil import required_texts, squash
from .base import CAP, Doc, Mention, PRONOUNS, reads_whole_text


@cache
def _award_regexes(lex: Lexicon) -> tuple[tuple[AwardFamily, re.Pattern], ...]:
    """Each award family with its mention pattern: generic word, qualifier, name, year (built once)."""
    generic = "|".join(sorted(lex.award_words.get("generic", ()), key=len, reverse=True))
    qualifier = "|".join(sorted(lex.award_words.get("qualifier", ()), key=len, reverse=True)) or "(?!)"
    # "Penghargaan Khusus PPD 2025": a qualifier after the generic word names a distinct award
    return tuple((fam, re.compile(
        rf"(?<![\w-])(?:(?P<generic>{generic})\s+(?:(?P<qual>{qualifier})\s+)?)?(?P<core>{fam.pattern.pattern})"
        rf"(?:\s+(?:[Tt]ahun\s+)?(?P<year>(?:19|20)\d\d))?(?![\w-])")) for fam in lex.awards)


@cache
def _generic_words(lex: Lexicon) -> frozenset[str]:
    return frozenset(w.lower() for w in lex.award_words.get("generic", ()))


@cache
def _word_rx(word: str, flags: int = 0) -> re.Pattern:
    """The pattern of WORD standing alone (between word boundaries)."""
    return re.compile(rf"\b{re.escape(word)}\b", flags)


def _may_match(pattern: re.Pattern, text: str) -> bool:
    """False when TEXT lacks every run of characters one of which each match of PATTERN holds (textutil.required_texts:
    "esepahaman" for "[Nn]ota\\s+[Kk]esepahaman"): then it holds no match, found with str.find."""
    needs = required_texts(pattern)
    return not needs or any(t in text for t in needs)


# "UHC Awards 2026 kategori Madya", "... dengan predikat Nindya", "... dengan Madya": the words after an award name
_GRADE_LEAD, _GRADE_WORD = r"\s*(?:(?:dengan|untuk|pada|di)\s+)?", r"(?i:kategori|predikat|peringkat)"
_GRADE_AFTER = re.compile(_GRADE_LEAD + rf"(?:{_GRADE_WORD}\s+)?((?i:{CAP}(?:\s+{CAP})?))")
_GRADE_KEYWORD = re.compile(_GRADE_LEAD + _GRADE_WORD + r"\s")


def find_awards(doc: Doc) -> None:
    """Award names from awards.tsv, with a generic word before them and a year after them."""
    lex = doc.lexicon
    for fam, rx in _award_regexes(lex):
        if not _may_match(fam.pattern, doc.masked) or not doc.cues.search(fam.pattern):
            continue   # every match holds the family's name: without it, the longer pattern finds nothing
        for m in doc.cues.finditer(rx):
            if not doc.free(m.start("core"), m.end()) or fam.needs and not fam.needs.search(m.group()):
                continue
            core = squash(m["core"])
            year = m["year"] or ""
            g = m["generic"] or ""
            has_generic_inside = core.split()[0].lower() in _generic_words(lex)
            lead = g.capitalize() if g and not re.search(r"Awards?$", core) and not has_generic_inside else ""
            if lead and g[:1].islower() and not g.lower() in ("penghargaan", "piala", "predikat"):
                lead = g
            qual = m["qual"] or ""
            if qual:
                lead = squash(f"{g.capitalize()} {qual}")
            name = squash(f"{lead} {core} {year}")
            aliases = [squash(f"{core} {year}"), squash(doc.text[m.start():m.end()]), doc.written(m.start(), m.end())]
            for abbr, long in doc.abbreviations.items():
                if long in name:
                    aliases.append(name.replace(long, abbr))
                if abbr in name and _word_rx(abbr).search(name):
                    aliases.append(_word_rx(abbr).sub(long, name))
            alt = doc.other_names.get(_next_paren(doc.text, m.end("core")), "")
            in_name = [g2 for g2 in fam.grades if _word_rx(g2, re.IGNORECASE).search(core)]
            grades = []   # a grade stated beside the name wins over one inside it
            if alt:
                aliases.append(alt)
                grades += [g2 for g2 in fam.grades if g2.lower() == alt.lower()]
            tail = doc.masked[m.end():m.end() + 40]
            # "UHC Awards 2026 kategori Madya", "... dengan predikat Nindya", "... dengan Madya"
            t = _GRADE_AFTER.match(tail)
            keyword = t and _GRADE_KEYWORD.match(tail)
            if t:
                grade = next((g2 for g2 in fam.grades if t.group(1).lower().startswith(g2.lower())), None)
                if grade:
                    grades.append(grade)
                elif keyword and t.group(1)[:1].isupper():
                    grades.append(squash(t.group(1)).split()[0])
            family = f"{fam.family}/{qual.lower()}" if qual else fam.family
            attrs = [("family", family), ("year", year), ("generic", g.lower())]
            if grades or in_name:
                attrs.append(("grade", (grades or in_name)[-1]))
                attrs.append(("grade_stated", "yes" if grades else ""))
            doc.add(Mention(doc.text[m.start():m.end()], m.start(), m.end(), "Award", f"awards.tsv:{fam.family}",
                            f"award:{family}:{year}", name,
                            tuple(a for a in dict.fromkeys(aliases) if a != name), tuple(attrs)))


def _next_paren(text: str, pos: int) -> int:
    m = re.compile(r"\s*\(").match(text, pos)
    return m.end() - 1 if m else -1


def find_agreements(doc: Doc) -> None:
    """"Memorandum of Understanding (MoU) Jaminan Kesehatan Nasional", "nota kesepahaman", "PKS"."""
    lex = doc.lexicon
    hits = []
    for kind in lex.agreements:
        if not _may_match(kind.pattern, doc.masked):
            continue
        for m in kind.pattern.finditer(doc.masked):
            hits.append((m.start(), m.end(), kind))
    hits.sort(key=lambda h: (h[0], -h[1]))
    taken_end = -1
    for start, end, kind in hits:
        if start < taken_end or not doc.free(start, end):
            continue
        # "nota kesepahaman atau Memorandum of Understanding (MoU)", "kesepakatan bersama atau MoU":
        # one agreement, two names (and then of both kinds)
        names = [squash(doc.masked[start:end])]
        kinds = [kind.kind]
        j = re.compile(r"\s+atau\s+").match(doc.masked, end)
        if j:
            nxt = [h for h in hits if h[0] == j.end()]
            if nxt:
                names.append(squash(doc.masked[nxt[0][0]:nxt[0][1]]))
                kinds += [h[2].kind for h in nxt if h[2].kind not in kinds]
                end = max(h[1] for h in nxt)
        abbr_paren = re.compile(r"\s*\(([A-Za-z]+)\)").match(doc.text, end)
        subject_start = abbr_paren.end() if abbr_paren else end
        s = re.compile(r"((?:\s+(?:[A-Z][\w-]*|dan|&))*)").match(doc.masked, subject_start)
        subject = ""
        in_title = bool(doc.article.title) and start < len(doc.article.title)   # headline capitals name nothing
        if s and s.group(1).strip() and not in_title:
            words = []
            p = subject_start
            for w in re.finditer(r"\s+([A-Z][\w-]*|dan|&)", doc.masked[subject_start:s.end()]):
                wpos = subject_start + w.start(1)
                if doc.at(wpos) or w.group(1) in PRONOUNS or doc.masked[p:wpos].count("\n") \
                        or any(h[0] == wpos for h in hits):   # "MoU dan PKS": another agreement
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
                        (("kind", kind.kind), ("subject", subject), ("kinds", " ".join(kinds)))))
        taken_end = end


@reads_whole_text
def _read_over_the_text(lex: Lexicon) -> tuple[re.Pattern, ...]:
    """The patterns find_awards reads over the whole blanked text (Doc.cues): each family's name."""
    return tuple(fam.pattern for fam in lex.awards)
