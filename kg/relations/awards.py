"""Awards: one Award per recipient and distinction, with giver, handover date and grade
(ANNOTATION.md "Awards")."""
from __future__ import annotations

import re

from ..mentions import Mention
from ..sentences import Sentence
from .context import Context, area_of

HANDOVER_REFERENCE = re.compile(r"^(?:\W*)(?:Penghargaan|Piala|Opini|Predikat|Anugerah|Trofi)\b|"
                                r"\b(?:penghargaan|piala|opini|predikat|anugerah|trofi)\s+(?:tersebut|itu|ini)\b", re.I)
NOT_RECIPIENT_BEFORE = {"di", "ke", "dari", "oleh", "dengan", "antara", "bersama", "se", "seluruh"}
GOVERNMENT_ANAPHOR = re.compile(r"\b(?:(?:kota|kabupaten|daerah)\s+(?:ini|tersebut)|pemerintah\s+(?:kota|kabupaten)"
                                r"(?!\s+[A-Z])|pemkot\s+(?:ini|tersebut)|pemkab\s+(?:ini|tersebut))\b")
PLURAL_RECIPIENTS = re.compile(r"\b(?:pemerintah\s+(?:kota|kabupaten|daerah)|pemda|kabupaten/kota|daerah)\b", re.I)


def read_awards(r: Context) -> None:
    """ANNOTATION.md "Awards": one Award per recipient and distinction, with giver, date and grade."""
    awards = [m for m in r.doc.mentions if m.label == "Award"]
    if not awards:
        return
    max_year: dict[str, str] = {}
    for m in awards:
        if m.attr("year") > max_year.get(m.attr("family"), ""):
            max_year[m.attr("family")] = m.attr("year")
    groups: dict[tuple[str, str], list[Mention]] = {}
    for m in awards:
        fam = m.attr("family")
        groups.setdefault((fam, m.attr("year") or max_year.get(fam, "")), []).append(m)
    for (fam, year), mentions in sorted(groups.items()):
        read_award_group(r, fam, year, mentions, year == max_year.get(fam, ""))


def read_award_group(r: Context, family: str, year: str, mentions: list[Mention], current: bool) -> None:
    """One award per recipient of the mentions of one distinction and year; only the article's current
    (latest) one takes the handover sentences' date and giver."""
    sentences = list(dict.fromkeys(s for m in mentions if (s := r.doc.sentence_of(m.start))))
    givers = [g for m in mentions if (s := r.doc.sentence_of(m.start)) and (g := giver_of(r, m, s))]
    recipients = award_recipients(r, mentions, sentences, givers, current)
    if not recipients:
        return
    follow = handover_sentences(r, sentences[0]) if current else []
    givers += [g for s in follow if HANDOVER_REFERENCE.search(s.text) and (g := giver_after(r, s, s.start))]
    # the most specific giver: "BPK Perwakilan Sumatera Utara" rather than "BPK" of the headline
    parents = {g.attr("parent") for g in givers}
    givers = [g for g in givers if g.key not in parents] + [g for g in givers if g.key in parents]
    award_date = next((d for s in sentences + follow for d in r.dates
                       if s.start <= d.start < s.end and d.precision == "day"), None)
    grade_all = next((m.attr("grade") for m in mentions if m.attr("grade_stated")), "") or \
        next((m.attr("grade") for m in mentions if m.attr("grade")), "") or \
        sentence_grade(r, family, sentences)
    name = next((m.name for m in mentions if year and year in m.name), mentions[0].name)
    aliases = {a for m in mentions for a in (m.name, *m.aliases)}
    if year:   # a name without the year could be another year's award
        aliases = {a for a in aliases if year in a}
    per_recipient = grades_by_recipient(r, family, set(recipients)) if current else {}
    for area, rec in sorted(recipients.items()):
        key = f"award:{family}:{year}:{area}"
        r.entity(key, "Award", name, aliases, mentions[0].start)
        for m in mentions[1:]:
            r.entity(key, "Award", name, (), m.start)
        r.ensure(area, rec.start)
        r.fact(key, "recipient", area, rec.start, link=True)
        if givers and r.ensure(givers[0].key, givers[0].start):
            r.fact(key, "conferredBy", givers[0].key, givers[0].start, link=True)
        if award_date:
            r.fact(key, "date", award_date.value, award_date.start)
        grade = per_recipient.get(area) or grade_all
        if grade:
            r.fact(key, "category", grade, mentions[0].start)


def award_recipients(r: Context, mentions: list[Mention], sentences: list[Sentence], givers: list[Mention],
                     current: bool) -> dict[str, Mention]:
    recipients: dict[str, Mention] = {}
    for m in mentions:
        s = r.doc.sentence_of(m.start)
        for rec in sentence_recipients(r, s, m, {g.key for g in givers}) if s else ():
            recipients.setdefault(area_of(rec.key), rec)
    if not recipients:
        # "kabupaten ini masih berada di kategori Madya", "pemerintah kota juga memperoleh ...":
        # the article's only government of that kind
        for s in sentences:
            a = GOVERNMENT_ANAPHOR.search(s.text)
            kind = a and ("kota" if re.search(r"kota|pemko", a.group(0), re.I) else "kabupaten")
            govs = r.governments((kind,)) if kind else []
            if len(govs) == 1:
                m = next(x for x in r.mentions if x.key == govs[0])
                recipients.setdefault(area_of(m.key), m)
    if not recipients and current and any(PLURAL_RECIPIENTS.search(s.text) for s in sentences):
        # "Tiga pemerintah kota dan lima pemerintah kabupaten ... menerima Predikat Zona Hijau":
        # the recipients are the kota/kabupaten the article goes on to list
        for m in r.mentions:
            if area_of(m.key).startswith("municipality:") and (m.label == "Municipality" or m.attr("government")) \
                    and m in r.sentence_mentions(r.doc.sentence_of(m.start), (m.label,)):
                recipients.setdefault(area_of(m.key), m)
    return recipients


def sentence_recipients(r: Context, s: Sentence, award: Mention, exclude: set[str]) -> list[Mention]:
    """The areas or governments that receive AWARD in S: named before it as the subject
    ("Pemkot X meraih ..."), or after "kepada"/"untuk" ("diserahkan kepada Pemkab X")."""
    found = []
    for m in r.sentence_mentions(s, ("Municipality", "Province", "Agency")):
        if m.label == "Agency" and not m.attr("government"):
            continue
        before = r.doc.masked[s.start:m.start].split()
        if before and before[-1].lower() in NOT_RECIPIENT_BEFORE or m.key in exclude:
            continue
        after = r.doc.masked[m.end:min(s.end, m.end + 40)].lower().split()[:3]
        receives = any(w in r.lex.award_words.get("receive", ()) for w in after)
        if m.start > award.start and not receives and not (before and before[-1].lower() in ("kepada", "untuk", "bagi")):
            continue   # after the award: a venue or a giver ("... di TMII, Jakarta"), unless it receives
        found.append(m)
    if any(area_of(m.key).startswith("municipality:") for m in found):
        found = [m for m in found if area_of(m.key).startswith("municipality:")]
    return found


def giver_of(r: Context, award: Mention, s: Sentence) -> Mention | None:
    """The body that gave AWARD: named after it ("dari Ombudsman RI"), before the next award in S."""
    g = giver_after(r, s, award.end)
    next_award = min((x.start for x in r.starting_in(award.end, s.end) if x.label == "Award"), default=s.end)
    return g if g is not None and g.start < next_award else None


def giver_after(r: Context, s: Sentence, start: int) -> Mention | None:
    """The body named right after "dari", "oleh", "diserahkan", "diberikan" past START in S."""
    give = "|".join(sorted(r.lex.award_words.get("give", ()), key=len, reverse=True))
    for w in re.finditer(rf"\b(?:{give}|diselenggarakan)\s+(?:langsung\s+)?(?:oleh\s+)?", r.doc.masked[start:s.end]):
        pos = start + w.end()
        m = r.doc.at(pos, ("Agency",))
        if m:
            return m
    return None


def handover_sentences(r: Context, first: Sentence) -> list[Sentence]:
    """The next sentences that tell of the handover ("Penghargaan diserahkan ...", "Piala itu ...")."""
    i = r.sentence_index(first)
    words = r.lex.award_words.get("handover", ())
    return [s for s in r.doc.sentences[i + 1:i + 4]
            if HANDOVER_REFERENCE.search(s.text) or any(re.search(rf"\b{re.escape(w)}\b", s.text) for w in words)]


def sentence_grade(r: Context, family: str, sentences: list[Sentence]) -> str:
    """"Pada KLA 2023, kabupaten ini masih berada di kategori Madya": a grade the award's sentence names."""
    fam = next(f for f in r.lex.awards if f.family == family)
    for s in sentences:
        g = re.search(r"\b(?:kategori|predikat|peringkat)\s+([A-Z]\w+)", s.text)
        if g and (not fam.grades or g.group(1) in fam.grades):
            return g.group(1)
    return ""


def grades_by_recipient(r: Context, family: str, areas: set[str]) -> dict[str, str]:
    """"Pemkab Bogor masuk kategori Madya, sedangkan Pemkot Bogor berada di kategori Pratama"."""
    out: dict[str, str] = {}
    fam = next(f for f in r.lex.awards if f.family == family)
    places = [m for m in r.mentions if area_of(m.key) in areas]
    for i, m in enumerate(places):
        stop = places[i + 1].start if i + 1 < len(places) else m.end + 80
        window = r.doc.masked[m.end:min(stop, m.end + 80)]
        g = re.search(r"\b(?:kategori|predikat|peringkat)\s+([A-Z]\w+(?:\s+[A-Z]\w+)?)", window)
        if g and "." not in window[:g.start()]:
            grade = next((x for x in fam.grades if g.group(1).startswith(x)), g.group(1).split()[0])
            out.setdefault(area_of(m.key), grade)
    return out
