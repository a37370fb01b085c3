"""Agreements: the document, its parties, signatories and signing day (ANNOTATION.md "Agreements").

A story names an agreement several times ("nota kesepahaman (MoU)", "MoU tersebut"). Mentions of one
kind are one agreement unless the text tells them apart: an ordinal ("MoU kedua"), a signer each
("A, B, dan C masing-masing meneken MoU dengan D"), or another signing with other parties ("X juga
meneken MoU dengan ..."). A count ("dua MoU", "ketiga naskah") speaks of all of them at once. The words
around agreements are data: kg/lexicons/agreement_words.tsv.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..dates import DateMention
from ..lexicon import LEXICON_DIR, _table
from ..mentions import Mention
from ..sentences import Sentence
from ..textutil import alternation, squash
from .context import Context
from .lists import coordinated

WORDS_FILE = "agreement_words.tsv"
BODY = ("Agency",)


@cache
def agreement_roles(directory: Path = LEXICON_DIR) -> dict[str, tuple[str, ...]]:
    """The words of agreement_words.tsv by role."""
    roles: dict[str, list[str]] = {}
    for word, role in _table(WORDS_FILE, Path(directory), 2):
        roles.setdefault(role, []).append(word)
    return {role: tuple(ws) for role, ws in roles.items()}


@cache
def agreement_words(directory: Path = LEXICON_DIR) -> dict[str, re.Pattern]:
    """One pattern per role of agreement_words.tsv, matching any of its words as whole words."""
    out = {}
    for role, ws in agreement_roles(directory).items():
        alts = alternation((" ".join(word.split()) for word in ws), ignore_case=True)
        out[role] = re.compile(r"(?<![\w-])(?:" + alts + r")(?![\w-])", re.IGNORECASE)
    p = {role: x.pattern for role, x in out.items()}
    derived = {   # built once: the patterns the readers apply around each mention
        "count_before": rf"(?:{p['count']})\s*$",
        "ordinal_after": rf"\s*({p['ordinal']})(?!\s+kali)",                       # not "pertama kali"
        "document_ordinal_before": rf"(?:{p['document']})\s+({p['ordinal']})\s+(?:(?:{p['copula']}|"
                                   rf"{p['introducer']})\s+)?$",                     # "Dokumen kedua berupa"
        "prior_before": rf"(?:{p['prior']})\s*$",
        "prior_after": rf"\s*(?:{p['prior']})",
        "planned_before": rf"(?:{p['planned']})\s+(?:[a-z][\w-]*\s+){{0,4}}$",
        "with_after": rf"\s*(?:{p['with']})\s",
        "between_head": rf"\s*(?:\w+\s+){{0,2}}?(?:{p['between']})\s",
        "with_after_verb": rf"(?:\s+\w+)?\s+(?:{p['with']})\s",
        "count_document": rf"(?:{p['count']})\s+(?:{p['document']})",
        "topic_after": rf"(?:\s+(?:{p['ordinal']}))?\s+((?:{p['topic']})\s+[^,.;\"“”]+)",
        "topic_stop": rf"\s(?:{'|'.join(p[k] for k in ('topic_end', 'sign_passive', 'sign_active', 'between', 'with'))})\s",
    }
    out.update({k: re.compile(v, re.IGNORECASE) for k, v in derived.items()})
    return out


@dataclass
class Reading:
    """What the clause around one agreement mention says."""
    m: Mention
    kinds: tuple[str, ...]
    s: Sentence
    hi: int                                              # the clause ends where the next agreement is named
    between: list[str] = field(default_factory=list)     # bodies after "antara"
    named: list[str] = field(default_factory=list)       # the subject bodies and those after "dengan"
    others: list[str] = field(default_factory=list)      # other bodies of the clause
    signers: list[Mention] = field(default_factory=list)
    ordinal: str = ""
    count: bool = False      # "dua MoU": all agreements of the story
    each: bool = False       # "A dan B masing-masing meneken MoU"
    also: bool = False       # "X juga meneken MoU dengan ...": possibly another agreement
    prior: bool = False      # "tindak lanjut dari MoU yang sebelumnya ...": an earlier agreement
    same_event: bool = False
    both: bool = False       # "... dijalin kedua lembaga": the parties named before
    planned: bool = False    # "akan menandatangani MoU", "draf MoU": not (yet) an agreement


@dataclass
class Deal:
    """One agreement of the story, with the readings that speak of it."""
    kinds: set[str]
    readings: list[Reading] = field(default_factory=list)
    ordinal: str = ""
    signers: list[str] = field(default_factory=list)
    between: list[str] = field(default_factory=list)
    named: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)
    when: DateMention | None = None
    day_before: DateMention | None = None   # the day of the joining sentence before it

    @property
    def prior(self) -> bool:
        return any(x.prior for x in self.readings)

    def take(self, x: Reading, signers: list[Mention] | None = None) -> None:
        self.readings.append(x)
        self.kinds |= set(x.kinds)
        for attr in ("between", "named", "others"):
            mine = getattr(self, attr)
            mine += [k for k in getattr(x, attr) if k not in mine]
        self.signers += [p.key for p in (x.signers if signers is None else signers) if p.key not in self.signers]


class Named(list):
    """The agreement mentions of an article in text order, looked up by position (bisection)."""

    def __init__(self, mentions) -> None:
        super().__init__(sorted(mentions, key=lambda m: m.start))
        self.starts = [m.start for m in self]

    def within(self, lo: int, hi: int) -> list[Mention]:
        return self[bisect.bisect_left(self.starts, lo):bisect.bisect_left(self.starts, hi)]


def affiliation(r: Context, person: str) -> str:
    """The person's affiliation (indexed once per article, in Context.affiliations: offices are read before
    agreements)."""
    if r.affiliations is None:
        r.affiliations = {}
        for f in r.out.facts:
            if f.predicate == "affiliation":
                r.affiliations.setdefault(f.subject, f.object)
    return r.affiliations.get(person, "")


def read_agreements(r: Context) -> None:
    """ANNOTATION.md "Agreements": parties, signatories when said, and the signing day."""
    w = agreement_words()
    loose = set(agreement_roles().get("any_kind", ()))
    mentions = Named(m for m in r.doc.mentions if m.label == "Agreement")
    if not mentions:
        return
    readings = [read_clause(r, w, m, mentions) for m in mentions]
    deals: list[Deal] = []
    collective: list[Reading] = []
    for x in readings:
        if x.count:
            collective.append(x)
            continue
        # "menandatangani kerja sama" names no document: it is the agreement told beside it, of any kind
        same = [d for d in deals if d.kinds & set(x.kinds) or set(x.kinds) <= loose or d.kinds <= loose]
        if x.ordinal:
            deal = next((d for d in same if d.ordinal == x.ordinal), None)
            if deal is None:
                deal = Deal(set(x.kinds), ordinal=x.ordinal)
                deals.append(deal)
            deal.take(x)
        elif x.each and len([p for p in x.signers if p.start < x.m.start]) >= 2:
            # one agreement per signer, with the signer's body and the bodies (and signer) after "dengan"
            counterpart = [p for p in x.signers if p.start > x.m.start]
            for p in x.signers:
                if p in counterpart:
                    continue
                deal = Deal(set(x.kinds))
                deal.take(x, [p, *counterpart])
                deal.others = []
                deals.append(deal)
        elif same and not (x.also and set(x.named) - set(parties_of(r, same[-1]))) \
                and not (x.prior and not same[-1].prior):
            same[-1].take(x)
        else:
            deal = Deal(set(x.kinds))
            deal.take(x)
            deals.append(deal)
    read_next_sentences(r, w, deals, mentions)
    date_deals(r, w, deals, collective, mentions)
    write_deals(r, w, deals)


def read_clause(r: Context, w: dict[str, re.Pattern], m: Mention, mentions: Named) -> Reading:
    """The parties, signers and cues of the clause of M: its sentence up to the next agreement named
    in it ("Selain MoU, ... juga diteken PKS antara X dan Y": X and Y are the PKS's); the subject
    before M is shared."""
    s = r.doc.sentence_of(m.start) or Sentence(m.start, m.end, m.text)
    kinds = tuple(m.attr("kinds").split()) or (m.attr("kind"),)
    nxt = next((x.start for x in mentions.within(m.end, s.end)), s.end)
    prev = max((x.end for x in mentions.within(s.start, m.start) if x.end <= m.start), default=s.start)
    x = Reading(m, kinds, s, nxt)
    text = r.doc.masked
    before, after = text[prev:m.start], text[m.end:nxt]
    x.count = bool(w["count_before"].search(before))
    o = w["ordinal_after"].match(after)
    if not o:   # "Dokumen kedua berupa MoU ..."
        o = w["document_ordinal_before"].search(before)
    x.ordinal = o.group(1).lower() if o else ""
    x.each = bool(w["each"].search(before))
    x.also = bool(w["also"].search(before))
    x.prior = bool(w["prior_before"].search(before)
                   or w["prior_after"].match(after))
    x.same_event = bool(w["same_event"].search(text[s.start:m.start]))
    x.planned = bool(w["planned_before"].search(before))
    x.both = bool(w["both"].search(text[s.start:nxt]))
    bodies = [b for b in r.sentence_mentions(s, BODY) if b.start < nxt]
    antara = w["between"].search(after)
    if antara:
        found = listed(r, w, bodies, m.end + antara.end(), nxt)
        d = w["with_after"].match(text, found[-1].end, nxt) if found else None
        if d:   # "antara Pemkab X dengan Kejari X"
            found += listed(r, w, bodies, d.end(), nxt)
        x.between = [b.key for b in found]
    dengan = w["with_after"].match(after)
    if dengan:
        x.named += [b.key for b in listed(r, w, bodies, m.end + dengan.end(), nxt)]
    x.named += [b.key for b in subject_chain(r, w, bodies, m.start)]
    watched = [(v.start(), min((g.start() for g in w["sign_passive"].finditer(text, v.end(), nxt)
                               if g.group().lower() != "oleh"), default=nxt))
               for v in w["witness"].finditer(text, s.start, nxt)]
    x.others = [b.key for b in bodies if not any(a <= b.start < z for a, z in watched)]   # not the witnesses' bodies
    x.signers = signers(r, w, s.start, nxt)
    if dengan and any(p.start < m.start for p in x.signers):
        # "Wali Kota X A menandatangani MoU dengan Kepala Kantor Cabang Y, B": B signed for the other side
        persons = [p for p in persons_within(r, m.end, nxt) if p.attr("position")]
        x.signers += [p for p in chain(r, w, persons, m.end + dengan.end(), nxt) if p not in x.signers]
    return x


def gap_is_list(r: Context, w: dict[str, re.Pattern], gap: str) -> bool:
    """Whether GAP, the text between two items, only joins them ("A, B, dan C"; ", di antaranya
    Direktur X"): capitalised words (names, offices), commas, joiners, fillers and titles."""
    intro = list(w["introducer"].finditer(gap))
    if intro:
        gap = gap[intro[-1].end():]
    if w["witness"].search(gap):
        return False
    gap = _RELATIVE_CLAUSE.sub(",", gap)   # "A, yang hadir mewakili Bupati, bersama B": a clause about A
    small = r.lex.prefix_titles | r.lex.suffix_titles
    for tok in re.findall(r"[\w'’.-]+", gap):
        if tok[0].isupper() or tok[0].isdigit() or tok in small:
            continue
        if any(w[role].fullmatch(tok) for role in ("joiner", "filler", "sign_passive", "sign_active")):
            continue
        return False
    return True


_RELATIVE_CLAUSE = re.compile(r",\s*yang\s+[^,.;:\"“”]{1,60}(?=,)")


def chain(r: Context, w: dict[str, re.Pattern], items: list[Mention], start: int, end: int) -> list[Mention]:
    """The persons listed from START on ("diteken Bupati X A, Kepala Y B, serta Direktur Z C"), up to
    END or the first gap that is not a list joint. Each person carries its office words, which the
    shared list reader (lists.py) does not take as an item's own words."""
    out, pos = [], start
    for it in sorted((i for i in items if start <= i.start < end), key=lambda i: i.start):
        if not gap_is_list(r, w, r.doc.masked[pos:it.start]):
            break
        out.append(it)
        pos = it.end
    return out


def listed(r: Context, w: dict[str, re.Pattern], bodies: list[Mention], start: int, end: int) -> list[Mention]:
    """The bodies listed from START on ("antara A, B, dan C"): the list (lists.py) of the first body
    after START, when nothing but list words stand between."""
    first = min((b for b in bodies if start <= b.start < end), key=lambda b: b.start, default=None)
    if first is None or not gap_is_list(r, w, r.doc.masked[start:first.start]):
        return []
    return [it.mention for it in coordinated(r.doc, first, BODY) if it.mention and start <= it.start < end]


def subject_chain(r: Context, w: dict[str, re.Pattern], bodies: list[Mention], at: int,
                  verb: bool = True) -> list[Mention]:
    """The bodies that are the subject of the verb before AT ("Pemkab X dan Y resmi menjalin MoU",
    "X, Y, dan 27 rumah sakit menandatangani komitmen"): the list (lists.py) of the body ending a few
    words before AT."""
    last = max((b for b in bodies if b.end <= at), key=lambda b: b.start, default=None)
    if last is None:
        return []
    gap = r.doc.masked[last.end:at]
    if re.search(r"[.:;\"“”]", gap) or len(re.findall(r"(?<![\w-])[a-z][\w-]*", gap)) > 8 \
            or verb and not (w["sign_active"].search(gap) or re.search(r"\bme\w+\s*$", gap)):
        return []
    return [it.mention for it in coordinated(r.doc, last, BODY) if it.mention and it.end <= at] or [last]


NAME_TOKEN = re.compile(r"[A-Z][\w'’-]*\.?")


def persons_within(r: Context, lo: int, hi: int) -> list[Mention]:
    """The persons named in [LO, HI), looked up by bisection: the Person mentions, and a name the
    article already gave a person written again where no mention stands ("... bersama Safi'")."""
    if r.persons is None:
        ps = sorted((m for m in r.mentions if m.label == "Person"), key=lambda m: m.start)
        known: dict[str, Mention] = {}
        for p in ps:
            for n in (p.name, *p.aliases):
                if len(n) >= 4 and n[:1].isupper():
                    known.setdefault(" ".join(n.split()), p)
        r.persons = (ps, [p.start for p in ps], known, {n.split()[0] for n in known})
    ps, starts, known, firsts = r.persons
    found = ps[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, hi)]
    return sorted(found + repeated_names(r, known, firsts, lo, hi), key=lambda m: m.start) if known else found


def repeated_names(r: Context, known: dict[str, Mention], firsts: set[str], lo: int, hi: int) -> list[Mention]:
    """Known person names (or the short forms the article gave them) written again in [LO, HI) outside
    any mention: up to four capitalised words, the longest known run first."""
    text = r.doc.masked
    tokens = list(NAME_TOKEN.finditer(text, lo, hi))
    out, i = [], 0
    while i < len(tokens):
        if tokens[i].group().rstrip(".") not in firsts and tokens[i].group() not in firsts:
            i += 1
            continue
        for n in range(min(4, len(tokens) - i), 0, -1):
            run = tokens[i:i + n]
            if any(text[a.end():b.start()].strip() for a, b in zip(run, run[1:])):
                continue
            start, end = run[0].start(), run[-1].end()
            name = text[start:end]
            if name not in known and name.endswith(".") and name[:-1] in known:
                name, end = name[:-1], end - 1                      # "... bersama Safi'." ends the sentence
            whole = start == 0 or not (text[start - 1].isalnum() or text[start - 1] in "'’-")
            if name in known and whole and r.doc.free(start, end):
                p = known[name]
                out.append(Mention(name, start, end, "Person", "repeated-name", p.key, p.name))
                i += n - 1
                break
        i += 1
    return out


def signers(r: Context, w: dict[str, re.Pattern], lo: int, hi: int, any_person: bool = False) -> list[Mention]:
    """Persons with an office who sign in text[lo:hi]: the list after a passive signing word ("diteken
    A dan B", "ditandatangani oleh A, B, serta C"; "... di antaranya A dan B"), or the list right
    before an active one ("A, B, dan C bersama-sama menandatangani"). Witnesses ("disaksikan X") and
    persons who only attend ("X turut hadir") are not signers."""
    persons = [p for p in persons_within(r, lo, hi) if any_person or p.attr("position") or affiliation(r, p.key)]
    if not persons:
        return []
    text = r.doc.masked
    out: list[Mention] = []
    for v in w["sign_passive"].finditer(text, lo, hi):
        if w["witness"].search(text, max(lo, v.start() - 30), v.start()):
            continue   # "disaksikan langsung oleh X"
        out += [p for p in real_list(chain(r, w, persons, v.end(), hi)) if p not in out]
    for v in w["sign_active"].finditer(text, lo, hi):
        before = [p for p in persons if p.end <= v.start()][::-1]
        got: list[Mention] = []
        pos = v.start()
        for p in before:
            if not gap_is_list(r, w, text[p.end:pos]):
                break
            got.append(p)
            pos = p.start
        out += [p for p in real_list(got[::-1]) if p not in out]
    return sorted(out, key=lambda p: p.start)


def real_list(items: list[Mention]) -> list[Mention]:
    """ITEMS, when a person mention is among them: a name written again only joins a list of signers
    ("A bersama Sutrisno"), it does not make one."""
    return items if any(p.source != "repeated-name" for p in items) else []


def read_next_sentences(r: Context, w: dict[str, re.Pattern], deals: list[Deal], mentions: Named) -> None:
    """The sentences right after one naming an agreement (two at most, up to one naming an agreement)
    may tell who signed and when ("Naskah itu diteken A dan B, Senin (3/3/2025)") and between whom
    ("Kesepakatan antara A, B, dan C itu ..."); the sentence before may name the parties joining
    ("Pemkab X dan Pemkab Y resmi menjalin kerja sama.")."""
    sentences = r.doc.sentences
    index = {s.start: i for i, s in enumerate(sentences)}
    named_in = {i for m in mentions if (s := r.doc.sentence_of(m.start)) for i in [index[s.start]]}
    done: dict[int, Mention] = {}   # a sentence read after one mention is not read again after another
    for d in deals:
        if d.prior:
            continue
        for x in d.readings:
            at = index.get(x.s.start, -1)
            if at < 0 or x.m is not mentions.within(x.s.start, x.s.end)[-1]:   # the last named goes on
                continue
            if at - 1 >= 0 and at - 1 not in named_in:
                p = sentences[at - 1]
                joined = joining(r, w, p)
                if len({a for p in x.signers if (a := affiliation(r, p.key))}) < 2:
                    d.named += [k for k in joined if k not in d.named]
                if w["joint"].search(p.text) or w["event_back"].search(x.s.text):
                    # "X menjalin kerja sama dengan Y, Jumat (7/2/2025)."; "Dalam kesempatan itu, ..."
                    d.day_before = next((t for t in r.dates_in(p.start, p.end) if t.precision == "day"), None)
            for i in (at + 1, at + 2):
                if i >= len(sentences) or i in named_in or done.get(i, x.m) is not x.m:
                    break
                done[i] = x.m
                n = sentences[i]
                signing = bool(w["sign_passive"].search(n.text) or w["sign_active"].search(n.text))
                found = signers(r, w, n.start, n.end, any_person=True) if signing else []
                d.signers += [p.key for p in found if p.key not in d.signers]
                head = w["between_head"].match(r.doc.masked[n.start:n.end])
                if head:
                    bodies = r.sentence_mentions(n, BODY)
                    d.between += [b.key for b in listed(r, w, bodies, n.start + head.end(), n.end)
                                  if b.key not in d.between]
                if signing and d.when is None:
                    d.when = next((t for t in r.dates_in(n.start, n.end) if t.precision == "day"), None)


def joining(r: Context, w: dict[str, re.Pattern], s: Sentence) -> list[str]:
    """The bodies that join in S: the subject of a joining verb and those after "dengan" right after
    it ("Pemkab X resmi bersepakat dengan Kejari X untuk ...")."""
    v = w["joint"].search(s.text)
    if not v:
        return []
    at = s.start + v.start()
    bodies = r.sentence_mentions(s, BODY)
    out = [b.key for b in subject_chain(r, w, bodies, at, verb=False)]
    dengan = w["with_after_verb"].match(r.doc.masked[s.start + v.end():s.end])
    if dengan:
        out += [b.key for b in listed(r, w, bodies, s.start + v.end() + dengan.end(), s.end)]
    return list(dict.fromkeys(out))


def date_deals(r: Context, w: dict[str, re.Pattern], deals: list[Deal], collective: list[Reading],
               mentions: Named) -> None:
    """The signing day: a day in a sentence naming the agreement, nearest after it; else one in the
    signing sentence after it; else the day of an agreement signed "pada kesempatan yang sama"; else
    the day on which all of them were signed ("dua MoU yang diteken ..., Jumat (14/7/2023)"); else the
    day of the joining sentence before it. An earlier agreement referred to ("tindak lanjut dari MoU
    ...") takes only a day said of itself. Signers of all of them ("Kedua naskah diteken A") sign each."""
    days = [t for x in collective if (t := own_date(r, x.m, x.s, mentions))]
    signed = [p for x in collective for p in x.signers]
    for pos in (c.start() for c in r.finditer(w["count_document"], 0, len(r.doc.masked))):
        s = r.doc.sentence_of(pos)
        if s and not mentions.within(s.start, s.end):
            days += [t for t in r.dates_in(pos + 1, s.end) if t.precision == "day"][:1]
            signed += signers(r, w, pos, s.end, any_person=True)
    for i, d in enumerate(deals):
        own = next((t for x in d.readings if (x.prior or not d.prior) and (t := own_date(r, x.m, x.s, mentions))),
                   None)
        if d.prior:
            d.when = own
            continue
        d.when = own or d.when
        if d.when is None and i and any(x.same_event for x in d.readings):
            d.when = deals[i - 1].when
        d.when = d.when or (days[0] if days else None) or d.day_before
        d.signers += [p.key for p in signed if p.key not in d.signers]


def own_date(r: Context, m: Mention, s: Sentence, mentions: Named) -> DateMention | None:
    """The day in S that follows the agreement M and no other (or precedes all the agreements of S)."""
    inside = mentions.within(s.start, s.end)
    for t in r.dates_in(s.start, s.end):
        if t.precision != "day":
            continue
        before = [a for a in inside if a.start < t.start]
        if (before[-1] if before else inside[0] if inside else None) is m:
            return t
    return None


def parties_of(r: Context, d: Deal) -> list[str]:
    """The parties: those after "antara" when named so; else the bodies named as subject or after
    "dengan" and the signers' bodies; else every body of the clauses but a parent beside its unit."""
    aff = [a for p in d.signers if (a := affiliation(r, p))]
    if len(set(d.between)) >= 2:
        return list(dict.fromkeys(d.between + aff))
    if len(set(d.named + aff)) >= 2:
        return list(dict.fromkeys(d.between + d.named + aff))
    out = list(dict.fromkeys(d.between + d.named + aff + d.others))
    # from the other bodies of the sentence, a parent written beside its own unit is not a party of its own
    # ("kantor cabang BPJS Ketenagakerjaan wilayah A, B, dan C": the branches)
    parents = {f.object for f in r.out.facts if f.predicate == "subOrganizationOf" and f.subject in out}
    return [p for p in out if p not in parents or p in d.between + d.named + aff]


def write_deals(r: Context, w: dict[str, re.Pattern], deals: list[Deal]) -> None:
    """One Agreement per deal with two parties or more (not a planned one), its signers and day."""
    keys: set[str] = set()
    for i, d in enumerate(deals):
        parties = parties_of(r, d)
        if len(parties) < 2 and d.prior and any(x.both for x in d.readings):
            # "tindak lanjut dari MoU yang sebelumnya telah dijalin kedua lembaga"
            before = [e for e in deals[:i] + deals[i + 1:] if len(parties_of(r, e)) >= 2]
            parties = parties_of(r, before[-1]) if before else parties
        if len(parties) < 2 and any(x.also for x in d.readings) and i and parties:
            # "X juga meneken MoU dengan lembaga tersebut": the other party is the one named first before
            parties = list(dict.fromkeys(parties + parties_of(r, deals[i - 1])[:1]))
        if len(parties) < 2 or all(x.planned for x in d.readings):
            continue
        loose = set(agreement_roles().get("any_kind", ()))
        kind = next((k for x in d.readings for k in x.kinds if k not in loose), d.readings[0].kinds[0])
        key = f"agreement:{kind}:{'+'.join(sorted(parties))}"
        if key in keys:
            key += f":{i}"
        keys.add(key)
        first = d.readings[0].m
        name, aliases = deal_names(r, w, d)
        for x in d.readings:
            r.entity(key, "Agreement", name, aliases, x.m.start)
        for p in parties:
            if r.ensure(p, first.start):
                r.fact(key, "party", p, first.start, link=True)
        for p in d.signers:
            r.fact(key, "signatory", p, first.start, link=True)
        if d.when:
            r.fact(key, "date", d.when.value, d.when.start)


def deal_names(r: Context, w: dict[str, re.Pattern], d: Deal) -> tuple[str, set[str]]:
    """The label (the name with a subject, "MoU Jaminan Kesehatan"; else the first one) and the other
    names: every form used, the ordinal form ("MoU kedua") and the topic ("MoU tentang ...")."""
    ms = [x.m for x in d.readings]
    title = len(r.doc.article.title or "")
    loose = set(agreement_roles().get("any_kind", ()))
    ms = [m for m in ms if m.attr("kind") not in loose] + [m for m in ms if m.attr("kind") in loose]
    named = [m for m in ms if m.attr("subject")] or [m for m in ms if m.start >= title] or ms
    name = named[0].name
    aliases = {a for m in ms for a in (m.name, *m.aliases)}
    shorts = {k.short for k in r.lex.agreements if k.kind in d.kinds and k.short}
    short = next((a for m in ms for a in m.aliases if a in shorts), "")
    if d.ordinal:
        aliases |= {f"{a} {d.ordinal}" for a in {short, ms[0].name} if a}
    for m in ms:
        t = w["topic_after"].match(r.doc.masked, m.end)
        if t:
            topic = w["topic_stop"].split(t.group(1), maxsplit=1)[0]
            if len(topic.split()) <= 14:
                aliases |= {squash(f"{a} {topic}") for a in {short, squash(r.doc.masked[m.start:m.end])} if a}
    return name, aliases - {name}
