"""Awards: one Award per recipient and distinction, with giver, handover date and grade
(ANNOTATION.md "Awards")."""
from __future__ import annotations

import bisect
import re
from functools import cache

from ..lexicon import Lexicon
from ..mentions import Mention
from ..mentions.bodies import is_representative_office
from ..sentences import Sentence
from ..textutil import alternation, squash
from .context import Context, area_of
from .lists import Item, coordinated, list_words, lists_after, rank_at
from .measurements import measurement_patterns

HANDOVER_REFERENCE = re.compile(r"^(?:\W*)(?:Penghargaan|Piala|Opini|Predikat|Anugerah|Trofi)\b|"
                                r"\b(?:penghargaan|piala|opini|predikat|anugerah|trofi)\s+(?:tersebut|itu|ini)\b", re.I)
NOT_RECIPIENT_BEFORE = {"di", "ke", "dari", "oleh", "dengan", "antara", "bersama", "se", "seluruh"}
GOVERNMENT_ANAPHOR = re.compile(r"\b(?:(?:kota|kabupaten|daerah)\s+(?:ini|tersebut)|pemerintah\s+(?:kota|kabupaten)"
                                r"(?!\s+[A-Z])|pemkot\s+(?:ini|tersebut)|pemkab\s+(?:ini|tersebut))\b")
PLURAL_RECIPIENTS = re.compile(r"\b(?:pemerintah\s+(?:kota|kabupaten|daerah)|pemda|kabupaten/kota|daerah)\b", re.I)
RECIPIENT_LABELS = ("Municipality", "Province", "Agency")
# a place after "di <capitalised words>," is the venue's town
VENUE = re.compile(r"\b(?:di|ke)\s+(?:[A-Z][\w.'-]*\s*,?\s*){1,6}$")
QUOTES = ('"', "“")   # a quoted sentence's day is the day of the statement, not of the handover


def _alt(words, ignore_case: bool = True) -> str:
    """The words as one pattern (a trie, textutil.alternation), for reading ignoring case unless told."""
    return alternation(words, ignore_case)


@cache
def award_patterns(lex: Lexicon) -> dict[str, re.Pattern]:
    """Patterns built from award_words.tsv: a back-reference to the award ("penghargaan serupa",
    "Piagam untuk"), the words after which recipients are listed, a rank after a verb."""
    w = lex.award_words
    ref, same = _alt(w.get("reference", ())), _alt(w.get("same", ()))
    return {
        "reference": re.compile(rf"\b(?i:{ref})(?:\s+(?i:{same}))?\b"),
        "same": re.compile(rf"\b(?i:(?:{ref}|kategori|prestasi)\s+(?:{same}))\b"),
        "listed": re.compile(rf"\b(?i:{_alt(w.get('received_by', ()) | w.get('list_open', ()))})(?:\s+(?i:oleh|kepada))?"
                             rf"\s*:?\s+"),
        "not_yet": re.compile(rf"\b(?i:{_alt(w.get('not_yet', ()))})\b"),
        "grade_statement": re.compile(rf"\s+(?:(?i:masih|juga|sudah|pun)\s+)?(?i:{_alt(w.get('grade_statement', ()))})\s+[A-Z]"),
        # a speaker's verb (speech_verbs.txt) between a place and the award: a statement about the award
        "speech": re.compile(rf"\b(?:{_alt(lex.speech_before, False)})\b"),
        "handover": re.compile(rf"\b(?i:{_alt(w.get('handover', ()))})\b"),
        # a neighbouring sentence names the giver when it tells of handing over TO the recipients
        "handover_to": re.compile(rf"\b(?i:{_alt(w.get('hands_over', ()))})\b.*\b(?i:{_alt(w.get('to', ()))})\b"),
        # a subject pointing back to a place named before: "Provinsi hasil pemekaran itu ...", "Kota berjuluk X itu ..."
        "anaphoric_subject": re.compile(rf"(Provinsi|Kabupaten|Kota)\b[^.,;]{{0,60}}?\b(?:{_alt(w.get('same', ()), False)})\b"),
        "minister": re.compile(rf"\b(?:{_alt(w.get('minister', ()), False)})\b"),
        "same_event": re.compile(rf"\b(?i:{_alt(w.get('same_event', ()))})\b"),
        "give_active": re.compile(rf"\b(?i:{_alt(w.get('give_active', ()))})\b"),
        "receive": re.compile(rf"\b(?i:{_alt(w.get('receive', ()))})\b"),
        "recipient_noun": re.compile(rf"\b(?i:{_alt(w.get('recipient_noun', ()))})\b"),
        "title": re.compile(rf"\s+(?:(?i:juga|pun|berhasil)\s+)?(?i:{_alt(w.get('title_verb', ()))})\s+"
                            rf"(?:(?i:salah\s+satu)\s+)?(?P<title>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)(?!\s+[A-Z])"),
        "rank_verb": re.compile(rf"\s+(?:(?i:juga|pun|berhasil)\s+)?(?i:{_alt(w.get('rank_verb', ()))})\s+"
                                rf"(?:(?i:predikat|posisi|gelar)\s+)?"),
    }


def read_awards(r: Context) -> None:
    """ANNOTATION.md "Awards": one Award per recipient and distinction, with giver, date and grade."""
    awards = sorted((m for m in r.doc.mentions if m.label == "Award"), key=lambda m: m.start)
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
    referred = referred_recipients(r, awards, {m: k for k, ms in groups.items() for m in ms})
    for (fam, year), mentions in sorted(groups.items()):
        read_award_group(r, fam, year, mentions, year == max_year.get(fam, ""), *referred.get((fam, year), ({}, [], {})))


def referred_recipients(r: Context, awards: list[Mention], group_of: dict[Mention, tuple[str, str]]
                        ) -> dict[tuple[str, str], tuple[dict[str, Item], list[Sentence], dict[str, Sentence]]]:
    """Recipients the article lists for an award named before: after a list word in the award's own
    sentence ("..., masing-masing Kota A, Kota B, dan Kota C"), in a later sentence that refers back to
    it ("Penghargaan serupa juga diraih Kabupaten A, Kota B, dan Kabupaten C", "Piagam untuk Pemkab X
    ..."), in line lists after a sentence ending with a colon ("Berikut daftar peraihnya:"), and with
    a rank in the sentences that follow ("Kabupaten X meraih terbaik kedua"). Returns, per award
    group, the recipients (area key -> Item with its rank), the back-reference sentences, and the
    sentence each recipient was listed by (its date and giver are looked for around it)."""
    pats = award_patterns(r.lex)
    starts = [m.start for m in awards]
    in_sentence: dict[Sentence, list[Mention]] = {}
    for m in awards:
        s = r.doc.sentence_of(m.start)
        if s:
            in_sentence.setdefault(s, []).append(m)
    out: dict[tuple[str, str], tuple[dict[str, Item], list[Sentence], dict[str, Sentence]]] = {}
    last_award_sentence: dict[tuple[str, str], int] = {}
    named_with: dict[tuple[str, str], set[str]] = {}   # the places named in each award group's own sentences
    for n, s in enumerate(r.doc.sentences):
        i = bisect.bisect_right(starts, s.end) - 1
        if i < 0:
            continue
        own = in_sentence.get(s, [])
        key = group_of[own[-1]] if own else group_of[awards[i]]
        recipients, refs, anchors = out.setdefault(key, ({}, [], {}))
        items: list[Item] = []
        listed = bool(own)
        if own:
            last_award_sentence[key] = n
            named_with.setdefault(key, set()).update(
                area_of(m.key) for m in r.sentence_mentions(s, RECIPIENT_LABELS))
        if r.holds(pats["not_yet"], s):
            continue   # "Para juara selanjutnya akan diusulkan ...": not (yet) received
        if own:
            for m in own:
                items += listed_after(r, s, m.end)
        else:
            ref = None if r.lacks_in(pats["reference"], s.start, s.end) else next(
                (x for x in r.finditer(pats["reference"], s.start, s.end) if r.doc.free(x.start(), x.end())),
                None)
            noun = _search(r, pats["recipient_noun"], s.start, s.end)
            grade = graded_reference(r, key[0], s)
            if grade:
                # "Kategori Madya diberikan kepada Kota A, Kota B, serta Kabupaten C": the grade names the award;
                # so in "Kota A dan Kota B sama-sama meraih kategori Madya, sedangkan Kota C mendapat predikat
                # Pratama", each grade's subject before its receiving verb
                items += [Item(it.start, it.end, it.text, it.mention, it.mentions, it.rank or grade.group(1))
                          for it in listed_after(r, s, grade.end())]
                # (not a place the award's own sentences name: "Kota A meraih Swasti Saba ... Seminggu sebelumnya, A
                # dinobatkan sebagai Kota Sehat tingkat provinsi dengan kategori Wistara" is another distinction)
                for g in r.finditer(_graded_reference_rx(family_of(r, key[0]).grades), s.start, s.end):
                    items += [Item(it.start, it.end, it.text, it.mention, it.mentions, it.rank or g.group(1))
                              for it in receivers_before(r, s, g.start())
                              if area_of(it.mention.key) not in named_with.get(key, ())]
            if ref:
                refs.append(s)
                items += listed_after(r, s, ref.end()) + receivers_before(r, s, ref.start())
            elif noun:
                items += listed_after(r, s, noun.end())
            listed = bool(ref or noun or grade)
            if not items and n - last_award_sentence.get(key, -99) <= 3:
                items += ranked_in(r, s)
        if listed and s.text.rstrip().endswith(":"):
            # an item whose head is not a known name ("Pemerintah Desa X, Kabupaten Y") is skipped; a grade in
            # the list's introduction or heading ("Kategori Madya:") is its items'
            intro = graded_reference(r, key[0], s)
            for it in lists_after(r.doc, s.start, RECIPIENT_LABELS):
                if it.mention and it.mention.start == it.start:
                    head = graded_reference(r, key[0], it.heading) if it.heading else None
                    grade = (head or intro).group(1) if head or intro else ""
                    items.append(Item(it.start, it.end, it.text, it.mention, it.mentions, it.rank or grade))
        for it in items:
            if area_of(it.mention.key) not in recipients:
                recipients[area_of(it.mention.key)] = it
                anchors[area_of(it.mention.key)] = s
    return out


def graded_reference(r: Context, family: str, s: Sentence | str) -> re.Match | None:
    """"Kategori Madya ..." in a sentence (or heading) after an award with that grade: a reference to it."""
    grades = family_of(r, family).grades
    if not grades:
        return None
    rx = _graded_reference_rx(grades)
    if isinstance(s, str):
        return rx.search(s)
    return _search(r, rx, s.start, s.end)


@cache
def _graded_reference_rx(grades: tuple[str, ...]) -> re.Pattern:
    alt = "|".join(re.escape(g) for g in sorted(grades, key=len, reverse=True))
    return re.compile(rf"\b(?i:kategori|predikat)\s+({alt})\b")


def listed_after(r: Context, s: Sentence, start: int) -> list[Item]:
    """The recipients listed after a list word past START in S: "juga diraih Kota A dan Kota B",
    "jatuh kepada Kabupaten A", "..., yaitu Kementerian A, B, serta C", "Piagam untuk Pemkab X"."""
    for w in r.finditer(award_patterns(r.lex)["listed"], start, s.end):
        m = r.doc.at(w.end(), RECIPIENT_LABELS)
        if m and m.start < s.end:
            items = with_ranks(r, [it for it in coordinated(r.doc, m, RECIPIENT_LABELS) if it.mention])
            # "Peringkat pertama diraih Kota A, peringkat kedua Kabupaten B": the rank before the verb
            before = r.doc.text[max(s.start, w.start() - 80):w.start()]
            named = [a for a in r.doc.mentions if a.label == "Award" and a.end == w.start() - len(before) + len(before.rstrip())
                     and a.start >= w.start() - len(before)]
            if named:   # "Juara I Paritrana Award 2025 diraih Kota A": the rank before the award's name
                before = r.doc.text[max(s.start, w.start() - 80):named[0].start]
            lead = _rank_closing(list_words().rank.pattern).search(before)
            if lead and items and not items[0].rank:
                rank, place = rank_at(lead.group())
                items[0] = Item(items[0].start, items[0].end, items[0].text, items[0].mention, items[0].mentions, rank,
                                place, before=lead.group().strip())
            return items
    return []


@cache
def _rank_closing(rank: str) -> re.Pattern:
    """A rank closing a text ("Peringkat pertama "): RANK is list_words.tsv's rank pattern, its group names
    dropped here, compiled once."""
    return re.compile("(?:" + re.sub(r"\(\?P<\w+>", "(?:", rank) + r")\s*$")


def receivers_before(r: Context, s: Sentence, ref: int) -> list[Item]:
    """"Kota A dan Kota B juga menerima penghargaan serupa": the subject before a receiving verb."""
    verb = None
    for v in r.finditer(award_patterns(r.lex)["receive"], s.start, ref):
        verb = v
    if verb is None:
        return []
    before = [m for m in r.sentence_mentions(s, RECIPIENT_LABELS) if m.end <= verb.start()]
    if not before:
        return []
    m = before[-1]
    words = r.doc.masked[s.start:m.start].split()
    if words and words[-1].lower() in NOT_RECIPIENT_BEFORE:
        return []
    return with_ranks(r, [it for it in coordinated(r.doc, m, RECIPIENT_LABELS) if it.mention])


def ranked_in(r: Context, s: Sentence) -> list[Item]:
    """"Kabupaten A meraih terbaik kedua, sedangkan Kabupaten B menjadi terbaik ketiga": places named
    with a rank after a verb, in the sentences right after the award's."""
    # a rank is stated only after a ranking verb (with_ranks): the mentions without one are not made Items
    rank_verb = award_patterns(r.lex)["rank_verb"]
    found = []
    for it in with_ranks(r, [Item(m.start, m.end, m.text, m, (m,)) for m in r.sentence_mentions(s, RECIPIENT_LABELS)
                             if rank_verb.match(r.doc.masked, m.end)]):
        if it.rank:
            found.append(it)
    return found


def with_ranks(r: Context, items: list[Item]) -> list[Item]:
    """ITEMS, each without a rank taking the one stated right after it ("Kota A meraih peringkat kedua")."""
    out = []
    for it in items:
        if not it.rank:
            v = award_patterns(r.lex)["rank_verb"].match(r.doc.masked, it.end)
            stated = list_words().rank.match(r.doc.text, v.end()) if v else None
            rank, place = rank_at(stated.group()) if stated else ("", 0)
            if not rank and v and (t := award_patterns(r.lex)["title"].match(r.doc.masked, it.end)):
                rank = squash(t["title"])   # "dinobatkan sebagai Kota Terinovatif": a title
            if rank:
                it = Item(it.start, it.end, it.text, it.mention, it.mentions, rank, place, it.marker, it.number,
                          it.before, it.after, it.line, it.heading)
        out.append(it)
    return out


def read_award_group(r: Context, family: str, year: str, mentions: list[Mention], current: bool,
                     listed: dict[str, Item] | None = None, refs: list[Sentence] = (),
                     anchors: dict[str, Sentence] | None = None) -> None:
    """One award per recipient of the mentions of one distinction and year (and of the recipients
    LISTED for it, each with its rank). A recipient takes the date and giver stated in its own
    sentence, else (for the article's current award) in the nearest handover sentence around it
    ("Penyerahan digelar ..., Senin (26/5)" before the list of recipients), else the group's."""
    sentences = list(dict.fromkeys(s for m in mentions if (s := r.doc.sentence_of(m.start))))
    givers = [g for m in mentions if (s := r.doc.sentence_of(m.start)) and (g := giver_of(r, m, s))]
    giver_keys = {g.key for g in givers}
    listed = {a: it for a, it in (listed or {}).items() if it.mention.key not in giver_keys}
    anchors = anchors or {}
    sources: dict[str, list[Mention]] = {}
    recipients = award_recipients(r, mentions, sentences, givers, current, listed, sources)
    if not recipients:
        return
    others = {s for m in r.doc.mentions if m.label == "Award" and m not in mentions
              and (s := r.doc.sentence_of(m.start))}
    follow = handover_sentences(r, sentences[0]) if current else []
    if current:
        follow += [s for s in refs if s not in follow and s not in sentences and not s.text.startswith(QUOTES)]
    givers += [g for s in follow if r.holds(HANDOVER_REFERENCE, s) and (g := giver_after(r, s, s.start))]
    if current:   # "Pada malam yang sama, kementerian itu juga menetapkan ...": the ceremony of the sentence before
        same = same_event_before(r, sentences[0])
        if same is not None:
            follow.append(same)
            if not givers and (g := giver_before(r, same, same.end) or giver_after(r, same, same.start)):
                givers.append(g)
    givers = most_specific(givers)
    if current and not givers:
        givers += owner_givers(r, sentences, follow)
    # an earlier year's award of the same distinction is annotated without a date (ANNOTATION.md)
    award_date = next((d for s in sentences + follow for d in handover_days(r, s)), None) if current else None
    # a grade beside the award in a sentence that names its recipients is theirs ("Kota A dan Kota B
    # diganjar Swasti Saba Wiwerda"); the other mentions' grade is the whole group's
    sourced = {m for ms in sources.values() for m in ms}
    group = [m for m in mentions if m not in sourced]
    grade_all = next((m.attr("grade") for m in group if m.attr("grade_stated")), "") or \
        next((m.attr("grade") for m in group if m.attr("grade")), "") or \
        sentence_grade(r, family, sentences, others)
    # "predikat yang sama juga digenggam Kota B": the same award, with the grade it was named with
    grade_same = next((m.attr("grade") for m in mentions if m.attr("grade")), "") or grade_all
    name = next((m.name for m in mentions if year and year in m.name), mentions[0].name)
    aliases = {a for m in mentions for a in (m.name, *m.aliases)}
    if year:   # a name without the year could be another year's award
        aliases = {a for a in aliases if year in a}
    per_recipient = grades_by_recipient(r, family, set(recipients), others, sentences) if current else {}
    per_recipient |= respective_grades(r, family, sentences, set(recipients))
    contexts: dict[Sentence | None, list[Sentence]] = {}
    for area, rec in sorted(recipients.items()):
        key = f"award:{family.replace('/', '-')}:{year}:{area}"
        r.entity(key, "Award", name, aliases, mentions[0].start)
        for m in mentions[1:]:
            r.entity(key, "Award", name, (), m.start)
        r.ensure(area, rec.start)
        r.fact(key, "recipient", area, rec.start, link=True)
        anchor = anchors.get(area) or r.doc.sentence_of(rec.start)
        # every sentence naming this recipient with the award (a headline, then the body), then their neighbours
        named = list(dict.fromkeys([anchor] + [r.doc.sentence_of(m.start) for m in sources.get(area, [])]))
        for a in named:
            if a not in contexts:
                contexts[a] = handover_context(r, a, others) if current and a else []
        around = list(dict.fromkeys([a for a in named if a] + [s for a in named for s in contexts[a]]))
        own = next((g for s in around if (g := around_giver(r, s, s if s in named else anchor, rec, sentences,
                                                              givers, others))), None)
        giver = own or (givers[0] if givers else None)
        if own is None and giver is not None and current:   # the group's giver, by the office that handed it over
            giver = representative_office(r, giver, sentences + follow) or giver
        # the group's giver may name the same body more precisely ("BPK" -> "BPK Perwakilan Sumatera Utara")
        giver = next((g for g in givers if giver and g.attr("parent") == giver.key), giver)
        if giver and r.ensure(giver.key, giver.start):
            r.fact(key, "conferredBy", giver.key, giver.start, link=True)
        day = next((d for s in around for d in handover_days(r, s)), None) if around else None
        day = day or award_date
        if day:
            r.fact(key, "date", day.value, day.start)
        rank = listed[area].rank if area in listed else stated_rank(r, area, sentences)
        rank = rank or item_grade(r, family, listed.get(area) or rec)
        grade = per_recipient.get(area) or source_grade(r, sources.get(area, []), mentions) \
            or rank_name(rank) or \
            (grade_same if area in anchors and award_patterns(r.lex)["same"].search(anchors[area].text) else grade_all)
        if grade:
            r.fact(key, "category", grade, mentions[0].start)


def representative_office(r: Context, giver: Mention, sentences: list[Sentence]) -> Mention | None:
    """"... opini WTP dari BPK. LHP diserahkan oleh Kepala BPK Perwakilan Provinsi Jawa Timur": the national GIVER's
    representative office that the award's own or handover SENTENCES name, which assessed the region (see
    giver_after); None when they name none or several."""
    found = {m.key: m for s in sentences for m in r.doc.mentions.overlapping(s.start, s.end)
             if is_representative_office(m) and m.attr("parent") == giver.key}
    return next(iter(found.values())) if len(found) == 1 else None


def handover_days(r: Context, s: Sentence) -> list:
    """The days S names that may be a handover's: not the date data hold at ("berdasarkan data per 1 Oktober
    2025", measurement_words.tsv as_of)."""
    as_of = measurement_patterns(r.lex)["as_of"]
    return [d for d in r.dates_in(s.start, s.end)
            if d.precision == "day" and not as_of.search(r.doc.masked, max(s.start, d.start - 30), d.start)]


def same_event_before(r: Context, s: Sentence) -> Sentence | None:
    """The sentence before S when S tells of the same ceremony ("Pada malam yang sama, ..."), else None."""
    i = r.sentence_index(s)
    return r.doc.sentences[i - 1] if i > 0 and r.holds(award_patterns(r.lex)["same_event"], s) else None


def owner_givers(r: Context, sentences: list[Sentence], follow: list[Sentence]) -> list[Mention]:
    """"... dalam bentuk Opini Ombudsman RI Tahun 2025": a body named right after an award word is the
    award's giver; looked for in the award's sentences, the handover sentences and the three before."""
    i = r.sentence_index(sentences[0])
    near = r.doc.sentences[max(0, i - 3):i] + sentences + follow
    word = award_patterns(r.lex)["reference"]
    out = []
    for s in dict.fromkeys(near):
        for w in r.finditer(word, s.start, s.end):   # (tried where its words stand: it is read ignoring case)
            m = r.doc.at(w.end() + 1, ("Agency",)) if r.doc.masked[w.end():w.end() + 1] == " " else None
            if m and not m.attr("government"):
                out.append(m)
    return out


def most_specific(givers: list[Mention]) -> list[Mention]:
    """The most specific giver first: "BPK Perwakilan Sumatera Utara" rather than "BPK" of the headline."""
    parents = {g.attr("parent") for g in givers}
    return [g for g in givers if g.key not in parents] + [g for g in givers if g.key in parents]


def handover_context(r: Context, anchor: Sentence, others: set[Sentence]) -> list[Sentence]:
    """ANCHOR, then the sentences up to three before or after it that tell of a handover, nearest
    first (after before on a tie), leaving out sentences about another award."""
    try:
        i = r.sentence_index(anchor)
    except ValueError:
        return [anchor]
    handover = award_patterns(r.lex)["handover"]
    near = []
    for d in (1, 2, 3):
        for j in (i + d, i - d):
            if 0 <= j < len(r.doc.sentences):
                s = r.doc.sentences[j]
                if s not in others and not s.text.startswith(QUOTES) and (r.holds(HANDOVER_REFERENCE, s)
                                                                         or r.holds(handover, s)):
                    near.append(s)
    return [anchor] + near


def around_giver(r: Context, s: Sentence, anchor: Sentence, rec: Mention, own: list[Sentence], givers: list[Mention],
                 others: set[Sentence]) -> Mention | None:
    """The giver S names for REC's award: in a sentence naming the award, the one found beside that
    name; in a neighbouring sentence, the one that hands over to the recipients."""
    if s is not anchor and (s in others or not (r.holds(award_patterns(r.lex)["handover_to"], s)
                                              or r.holds(HANDOVER_REFERENCE, s))):
        return None
    if s in own:
        g = next((g for g in givers if s.start <= g.start < s.end), None)
        if g or s in others:   # a sentence naming two awards: only the giver beside this one
            return g
    elif s in others:
        return None
    return sentence_giver(r, s, rec)


def sentence_giver(r: Context, s: Sentence, recipient: Mention) -> Mention | None:
    """The body S says gave the award: after "dari"/"oleh"/"diserahkan", or the subject of "menyerahkan"."""
    for g in (giver_after(r, s, s.start), giver_before(r, s, s.end)):
        if g is not None and area_of(g.key) != area_of(recipient.key):
            return g
    return None


def family_of(r: Context, family: str):
    """The awards.tsv row of FAMILY ("ppd/khusus" is a qualified PPD)."""
    return _family_row(r.lex, family)


@cache
def _family_row(lex: Lexicon, family: str):
    """family_of, looked up once per lexicon and family (the readers ask it for every sentence and recipient)."""
    base = family.split("/", 1)[0]
    return next(f for f in lex.awards if f.family == base)


def rank_name(rank: str) -> str:
    """"peringkat kedua" -> "Peringkat Kedua"; roman numerals stay; a trailing "terbaik" is dropped
    ("peringkat keenam terbaik" -> "Peringkat Keenam", ANNOTATION.md: the rank)."""
    words = rank.split()
    if len(words) > 2 and words[-1].lower() == "terbaik":
        words = words[:-1]
    return " ".join(w[:1].upper() + w[1:] for w in words)


def source_grade(r: Context, sources: list[Mention], mentions: list[Mention]) -> str:
    """The grade the sentences naming a recipient (through award mentions SOURCES) state beside a name
    of the award: one stated beside it ("Opini Kualitas Tertinggi (Zona Hijau)") before one inside it."""
    sentences = {r.doc.sentence_of(m.start) for m in sources}
    beside = [m for m in mentions if r.doc.sentence_of(m.start) in sentences and m.attr("grade")]
    return next((m.attr("grade") for m in beside if m.attr("grade_stated")), "") or \
        next((m.attr("grade") for m in beside), "")


def item_grade(r: Context, family: str, item: Item | Mention) -> str:
    """A grade of the award written beside a listed recipient ("Kota A (Madya), Kabupaten B (Pratama)"),
    else the rank the list gives it ("Kota A, Kota B, dan Kota C masing-masing meraih Juara I, II, dan III")."""
    grades = family_of(r, family).grades
    if isinstance(item, Mention):
        item = next((it for it in coordinated(r.doc, item, RECIPIENT_LABELS) if it.mention is item), None)
        if item is None:
            return ""
    if not grades:
        return item.rank
    g = _grade_in_parentheses_rx(grades).search(f"{item.before} {item.after}")
    return next((x for x in grades if x.lower() == g.group(1).lower()), "") if g else item.rank


@cache
def _grade_in_parentheses_rx(grades: tuple[str, ...]) -> re.Pattern:
    """"(Madya)", "(Kategori Madya)": one of GRADES in parentheses, any case, longest first."""
    alt = "|".join(re.escape(g) for g in sorted(grades, key=len, reverse=True))
    return re.compile(rf"\((?i:kategori\s+|predikat\s+)?({alt})\)", re.I)


def stated_rank(r: Context, area: str, sentences: list[Sentence]) -> str:
    """The rank or title stated for AREA right after one of its names in the award's sentences
    ("Pemkab X menyabet predikat terbaik pertama ...", "Pemkot X dinobatkan sebagai Kota Terinovatif")."""
    for s in sentences:
        for m in r.sentence_mentions(s, RECIPIENT_LABELS):
            if area_of(m.key) == area:
                it = with_ranks(r, [Item(m.start, m.end, m.text, m)])[0]
                if it.rank:
                    return it.rank
    return ""


def award_recipients(r: Context, mentions: list[Mention], sentences: list[Sentence], givers: list[Mention],
                     current: bool, listed: dict[str, Item], sources: dict[str, list[Mention]] | None = None
                     ) -> dict[str, Mention]:
    """The recipients of the award MENTIONS (area key -> the mention naming it); SOURCES gets the award
    mentions whose sentences named each."""
    sources = {} if sources is None else sources
    recipients: dict[str, Mention] = {}
    # a body that gives the award is not its recipient; a government gives only in its own sentence
    # ("Pemprov X memberikan penghargaan ... kepada ...", then "Gubernur X juga menerima penghargaan ...")
    always = {g.key for g in givers if not g.attr("government")}
    for m in mentions:
        s = r.doc.sentence_of(m.start)
        exclude = always | {g.key for g in givers if s and s.start <= g.start < s.end}
        for rec in sentence_recipients(r, s, m, exclude) if s else ():
            recipients.setdefault(area_of(rec.key), rec)
            sources.setdefault(area_of(rec.key), []).append(m)
            for it in coordinated(r.doc, rec, RECIPIENT_LABELS):
                if it.mention and it.mention.key not in exclude and eligible(it.mention):
                    recipients.setdefault(area_of(it.mention.key), it.mention)
                    sources.setdefault(area_of(it.mention.key), []).append(m)
    for area, it in listed.items():
        recipients.setdefault(area, it.mention)
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
    receive = award_patterns(r.lex)["receive"]
    if not recipients and current and any(PLURAL_RECIPIENTS.search(s.text) and receive.search(s.text) for s in sentences):
        # "Tiga pemerintah kota dan lima pemerintah kabupaten ... menerima Predikat Zona Hijau":
        # the recipients are the kota/kabupaten the article goes on to list
        for m in r.mentions:
            if area_of(m.key).startswith("municipality:") and (m.label == "Municipality" or m.attr("government")) \
                    and m in r.sentence_mentions(r.doc.sentence_of(m.start), (m.label,)):
                recipients.setdefault(area_of(m.key), m)
    return recipients


def _search(r: Context, pattern: re.Pattern, start: int, end: int) -> re.Match | None:
    """PATTERN searched in START..END of the blanked text; not read when the span lacks its words (Context.lacks_in)."""
    return None if r.lacks_in(pattern, start, end) else r.search(pattern, start, end)


def inside_office(r: Context, m: Mention) -> bool:
    # such an office holds M's first character: looked for among the mentions holding it (a mention is never empty)
    around = r.doc.covering(m.start) if m.end > m.start else r.doc.mentions
    return any(o.label == "Office" and o.start <= m.start and m.end <= o.end and o is not m for o in around)


def eligible(m: Mention) -> bool:
    """A place or a government receives awards; another body only when listed as a recipient."""
    return m.label != "Agency" or bool(m.attr("government"))


def sentence_recipients(r: Context, s: Sentence, award: Mention, exclude: set[str]) -> list[Mention]:
    """The areas or governments that receive AWARD in S: named before it as the subject
    ("Pemkot X meraih ..."), or after "kepada"/"untuk" ("diserahkan kepada Pemkab X")."""
    if r.holds(award_patterns(r.lex)["not_yet"], s):
        return []   # "Kota X menargetkan meraih Adipura", "diusulkan ke tingkat nasional": not (yet) received
    found = []
    for m in r.sentence_mentions(s, ("Municipality", "Province", "Agency")):
        if m.label == "Agency" and not m.attr("government"):
            continue
        before = r.doc.masked[s.start:m.start].split()
        if before and before[-1].lower() in NOT_RECIPIENT_BEFORE or m.key in exclude:
            continue
        if _search(r, VENUE, s.start, m.start) or inside_office(r, m):
            continue   # "di Ballroom JIEXPO Kemayoran, Jakarta": a venue; "Kepala Kanwil X Jateng-DIY": an office
        after = r.doc.masked[m.end:min(s.end, m.end + 40)].lower().split()[:3]
        receives = any(w in r.lex.award_words.get("receive", ()) for w in after) or \
            bool(award_patterns(r.lex)["grade_statement"].match(r.doc.masked, m.end))
        if m.start > award.start and not receives and not (before and before[-1].lower() in ("kepada", "untuk", "bagi")):
            continue   # after the award: a venue or a giver ("... di TMII, Jakarta"), unless it receives
        if m.end <= award.start and _search(r, award_patterns(r.lex)["give_active"], m.end, award.start):
            continue   # "BPK Perwakilan Kalimantan Timur memberikan opini WTP ...": the giver's side
        if m.end <= award.start and _search(r, award_patterns(r.lex)["speech"], m.end, award.start) \
                and not _search(r, award_patterns(r.lex)["receive"], m.end, award.start):
            continue   # "Kepala Kanwil X Jateng-DIY, Budi, menyebut Paritrana Award ...": a statement about it
        found.append(m)
    if not found:
        # "Gubernur Riau Budi juga menerima penghargaan UHC": the office holder accepts for the government
        receive = award_patterns(r.lex)["receive"]
        for o in r.doc.mentions:
            if o.label == "Office" and s.start <= o.start and o.end <= award.start and o.key.startswith("localgov:") \
                    and _search(r, receive, o.end, award.start) and o.key not in exclude:
                found.append(o)
                break
    if not found:
        found += anaphoric_subject(r, s, award)
    if any(area_of(m.key).startswith("municipality:") for m in found):
        found = [m for m in found if area_of(m.key).startswith("municipality:")]
    return found


def anaphoric_subject(r: Context, s: Sentence, award: Mention) -> list[Mention]:
    """"Provinsi hasil pemekaran itu diganjar ...", "Kota berjuluk X itu pernah mengoleksi ...": a subject
    that points back ("<kind> ... itu/ini/tersebut") receiving the award is the place of that kind named
    first in the nearest of the two sentences before."""
    subject = award_patterns(r.lex)["anaphoric_subject"]
    a = None if r.lacks_in(subject, s.start, award.start) else subject.match(r.doc.masked, s.start, award.start)
    if not a or not _search(r, award_patterns(r.lex)["receive"], a.end(), award.start):
        return []
    kind = a.group(1).lower()
    i = r.sentence_index(s)
    for prev in reversed(r.doc.sentences[max(0, i - 2):i]):
        for m in r.sentence_mentions(prev, RECIPIENT_LABELS):
            key = area_of(m.key)
            code = key.split(":", 1)[1] if ":" in key else ""
            fits = kind == "provinsi" and key.startswith("province:") or \
                kind in ("kota", "kabupaten") and key.startswith("municipality:") and \
                r.lex.regencies.get(code) is not None and r.lex.regencies[code].kind == kind
            if fits and eligible(m):
                return [m]
    return []


def giver_of(r: Context, award: Mention, s: Sentence) -> Mention | None:
    """The body that gave AWARD: named after it ("dari Ombudsman RI"), before the next award in S."""
    g = giver_after(r, s, award.end)
    next_award = min((x.start for x in r.starting_in(award.end, s.end) if x.label == "Award"), default=s.end)
    return g if g is not None and g.start < next_award else giver_before(r, s, award.start)


def giver_before(r: Context, s: Sentence, end: int) -> Mention | None:
    """"Pemprov Riau memberikan penghargaan UHC kepada ...": the body before a giving verb, before END."""
    give = award_patterns(r.lex)["give_active"]
    verb = None
    for v in () if r.lacks_in(give, s.start, end) else r.finditer(give, s.start, end):
        verb = v
    if verb is None or _search(r, award_patterns(r.lex)["receive"], s.start, verb.start()):
        return None
    before = [m for m in r.sentence_mentions(s, ("Agency",)) if m.end <= verb.start()]
    return before[-1] if before else None


@cache
def _giver_rx(lex: Lexicon) -> re.Pattern:
    give = "|".join(sorted(lex.award_words.get("give", ()), key=len, reverse=True))
    return re.compile(rf"\b(?:{give})\s+(?:langsung\s+)?(?:oleh\s+)?")


def giver_after(r: Context, s: Sentence, start: int) -> Mention | None:
    """The body named right after "dari", "oleh", "diserahkan", "diberikan" past START in S."""
    rx = _giver_rx(r.lex)
    for w in () if r.lacks_in(rx, start, s.end) else rx.finditer(r.doc.masked[start:s.end]):
        pos = start + w.end()
        m = r.doc.at(pos, ("Agency", "Office"))
        if m and m.label == "Office":
            # "diserahkan Anggota V BPK RI Budi": the national body named in the official's office gave it
            # (ANNOTATION.md), or its representative office, which assesses the regions it serves ("Kepala Ombudsman
            # RI Perwakilan Jawa Timur"); a minister is no giver, nor a service branch ("Cabang") or a local
            # government's official
            body = None if award_patterns(r.lex)["minister"].search(m.text) else \
                next((b for b in r.doc.mentions if b.label == "Agency" and m.start <= b.start and b.end <= m.end), None)
            m = body if body is not None and (not body.attr("parent") or is_representative_office(body)) \
                and not body.key.startswith("localgov:") else None
        if m:
            return m
    return None


def handover_sentences(r: Context, first: Sentence) -> list[Sentence]:
    """The next sentences that tell of the handover ("Penghargaan diserahkan ...", "Piala itu ...")."""
    i = r.sentence_index(first)
    handover = award_patterns(r.lex)["handover"]
    return [s for s in r.doc.sentences[i + 1:i + 4] if not s.text.startswith(QUOTES) and
            (r.holds(HANDOVER_REFERENCE, s) or r.holds(handover, s))]


def sentence_grade(r: Context, family: str, sentences: list[Sentence], others: set[Sentence] = frozenset()) -> str:
    """"Pada KLA 2023, kabupaten ini masih berada di kategori Madya": a grade the award's sentence names
    (an award without grades of its own takes none from a sentence that also names another award)."""
    fam = family_of(r, family)
    for s in sentences:
        if not fam.grades and s in others:
            continue
        g = re.search(r"\b(?:kategori|predikat|peringkat)\s+([A-Z]\w+)", s.text)
        if g and (not fam.grades or g.group(1) in fam.grades):
            return g.group(1)
    return ""


@cache
def _grade_sequence_rx(grade: str, conj: str) -> re.Pattern:
    """"Madya, Pratama dan Nindya": grades (the alternation GRADE) listed with a conjunction (CONJ)."""
    return re.compile(rf"\b({grade})((?:\s*,\s*(?:{grade}))*)\s*,?\s*(?:{conj})\s+({grade})\b")


def respective_grades(r: Context, family: str, sentences: list[Sentence], areas: set[str]) -> dict[str, str]:
    """"Kota A dan Kabupaten B masing-masing meraih predikat Madya dan Pratama": a list of grades dealt
    out in order to the recipients listed in the same sentence."""
    fam = family_of(r, family)
    if not fam.grades:
        return {}
    grade = "|".join(re.escape(g) for g in sorted(fam.grades, key=len, reverse=True))
    seq = _grade_sequence_rx(grade, list_words().conjunction.pattern)
    out: dict[str, str] = {}
    for s in sentences:
        if not r.holds(list_words().respectively, s):
            continue
        g = seq.search(r.doc.masked, s.start, s.end)
        if not g:
            continue
        grades = [g.group(1)] + re.findall(grade, g.group(2)) + [g.group(3)]
        listed = [m for m in r.sentence_mentions(s, RECIPIENT_LABELS) if area_of(m.key) in areas and m.end <= g.start()]
        keys = list(dict.fromkeys(area_of(m.key) for m in listed))
        if len(keys) == len(grades):
            out.update(zip(keys, grades))
    return out


def grades_by_recipient(r: Context, family: str, areas: set[str], others: set[Sentence] = frozenset(),
                        own: list[Sentence] = ()) -> dict[str, str]:
    """"Pemkab Bogor masuk kategori Madya, sedangkan Pemkot Bogor berada di kategori Pratama"; not in a
    sentence about another award ("Pada UHC Award 2025, Pemkot X masih di kategori Pratama")."""
    out: dict[str, str] = {}
    fam = family_of(r, family)
    not_yet = award_patterns(r.lex)["not_yet"]
    places = [m for m in r.mentions if area_of(m.key) in areas
              and not ((s := r.doc.sentence_of(m.start)) in others and s not in own)
              and not (s and r.holds(not_yet, s))]
    for i, m in enumerate(places):
        stop = places[i + 1].start if i + 1 < len(places) else m.end + 80
        end = min(stop, m.end + 80)
        if end == m.end + 80:   # cut by its length: at the end of a word, not past the next place
            end = re.compile(r"\w*").match(r.doc.masked, end).end()
            end = min(end, stop) if i + 1 < len(places) else end
        window = r.doc.masked[m.end:end]
        # a grade of the award in any case ("masuk zona hijau kategori kualitas tertinggi"), or a capitalised word;
        # a "kategori" after a "predikat" is the grade of that predicate ("predikat Zona Hijau kategori Kualitas
        # Tinggi")
        found = list(_stated_grade_rx(fam.grades).finditer(window))
        g = next((x for x in found if x.group().lower().startswith("kategori")), found[0] if found else None)
        if g and "." not in window[:g.start()]:
            grade = next((x for x in fam.grades if g.group(1).lower().startswith(x.lower())), g.group(1).split()[0])
            out.setdefault(area_of(m.key), grade)
    return out


@cache
def _stated_grade_rx(grades: tuple[str, ...]) -> re.Pattern:
    known = "|".join(re.escape(x) for x in sorted(grades, key=len, reverse=True)) or "(?!)"
    return re.compile(rf"\b(?:kategori|predikat|peringkat)\s+((?i:{known})\b|[A-Z]\w+(?:\s+[A-Z]\w+)?)")
