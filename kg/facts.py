"""Read facts from an article's mentions: who governs what, who holds which office, awards, agreements
and measurements. Each entity and fact keeps the sentence it came from (its Evidence).

See ../shared/corpus/ANNOTATION.md for what counts as a fact; the section named in a docstring is the
rule that function follows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from .dates import DateMention, find_dates
from .lexicon import Lexicon
from .mentions import Doc, Mention
from .numbers import NumberMention, find_numbers
from .sentences import Sentence

SIGNING = re.compile(r"\b(?:ditandatangani|diteken|penandatanganan|menandatangani|teken|meneken|oleh)\b", re.I)
HANDOVER_REFERENCE = re.compile(r"^(?:\W*)(?:Penghargaan|Piala|Opini|Predikat|Anugerah|Trofi)\b|"
                                r"\b(?:penghargaan|piala|opini|predikat|anugerah|trofi)\s+(?:tersebut|itu|ini)\b", re.I)
NOT_RECIPIENT_BEFORE = {"di", "ke", "dari", "oleh", "dengan", "antara", "bersama", "se", "seluruh"}
GOVERNMENT_ANAPHOR = re.compile(r"\b(?:(?:kota|kabupaten|daerah)\s+(?:ini|tersebut)|pemerintah\s+(?:kota|kabupaten)"
                                r"(?!\s+[A-Z])|pemkot\s+(?:ini|tersebut)|pemkab\s+(?:ini|tersebut))\b")
FIGURE_ANAPHOR = re.compile(r"(?:Angka|Jumlah|Capaian|Persentase|Nilai)\s+(?:itu|tersebut|ini)\b")
PLURAL_RECIPIENTS = re.compile(r"\b(?:pemerintah\s+(?:kota|kabupaten|daerah)|pemda|kabupaten/kota|daerah)\b", re.I)


@dataclass(frozen=True)
class Evidence:
    article: str     # source file name
    start: int       # character span of the sentence in Article.text
    end: int
    text: str


@dataclass
class Entity:
    """What one article says about one entity; resolve.py merges these across articles."""
    key: str
    type: str        # Municipality | Province | Agency | Person | Award | Agreement | Measurement
    name: str
    aliases: set[str] = field(default_factory=set)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass(frozen=True)
class Fact:
    subject: str     # entity key
    predicate: str   # a core property: governs, affiliation, recipient, value, ...
    object: object   # an entity key (str starting with a type prefix) or a literal (str, int, float, date)
    evidence: Evidence
    is_link: bool = False


@dataclass
class ArticleFacts:
    article: object
    entities: dict[str, Entity] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)


class Reader:
    """Collects the entities and facts of one Doc."""

    def __init__(self, doc: Doc) -> None:
        self.doc, self.lex = doc, doc.lexicon
        self.out = ArticleFacts(doc.article)
        self.dates = find_dates(doc.text, doc.lexicon, doc.article.published)
        self.mentions = [m for m in doc.mentions if m.label != "Office"]
        self._stated: set[tuple] = set()

    # -------------------------------------------------------------- helpers

    def evidence(self, pos: int) -> Evidence:
        s = self.doc.sentence_of(pos)
        if s is None:
            return Evidence(self.doc.article.source, pos, pos, "")
        return Evidence(self.doc.article.source, s.start, s.end, s.text)

    def entity(self, key: str, etype: str, name: str, aliases=(), at: int | None = None) -> Entity:
        e = self.out.entities.get(key)
        if e is None:
            e = self.out.entities[key] = Entity(key, etype, name)
        e.aliases.update(a for a in aliases if a)
        if at is not None:
            ev = self.evidence(at)
            if ev not in e.evidence:
                e.evidence.append(ev)
        return e

    def fact(self, subject: str, predicate: str, obj, at: int, link: bool = False) -> None:
        if (subject, predicate, obj) not in self._stated:
            self._stated.add((subject, predicate, obj))
            self.out.facts.append(Fact(subject, predicate, obj, self.evidence(at), link))

    def sentence_mentions(self, s: Sentence, labels: tuple[str, ...]) -> list[Mention]:
        inside = [m for m in self.mentions if s.start <= m.start < s.end and m.label in labels]
        # a mention inside another one is part of that name ("Pemkab Bogor" in "Dinkes Pemkab Bogor")
        return [m for m in inside if not any(o is not m and o.start <= m.start and m.end <= o.end
                                             and (o.end - o.start) > (m.end - m.start) for o in self.mentions)]

    def ensure(self, key: str, at: int) -> bool:
        """Make sure the entity KEY exists (a government named only through an office, a parent body)."""
        if key in self.out.entities:
            return True
        found = implied_entity(key, self.lex)
        if found is None:
            return False
        etype, name, aliases = found
        self.entity(key, etype, name, aliases, at)
        if key.startswith("localgov:"):
            area = area_of(key)
            self.ensure(area, at)
            self.fact(key, "governs", area, at, link=True)
        return True

    def governments(self, kinds: tuple[str, ...] = ("kota", "kabupaten", "provinsi")) -> list[str]:
        keys = []
        for m in self.mentions:
            if m.attr("government") and m.attr("kind") in kinds and m.key not in keys:
                keys.append(m.key)
        return keys

    # -------------------------------------------------------------- entities and plain links

    def read_entities(self) -> None:
        """ANNOTATION.md "Rules settled": a named local government and its area are both entities."""
        named_in_full: set[str] = set()
        for m in self.mentions:
            if m.label in ("Award", "Agreement"):
                continue
            e = self.entity(m.key, m.label, m.name, {m.text, *m.aliases}, m.start)
            if m.attr("parent_name") and m.key not in named_in_full:
                # a unit's preferred name is the one with its government: "Dinas Kesehatan Pemkab X"
                e.aliases.add(e.name)
                e.name = m.name
                named_in_full.add(m.key)
            if m.attr("located_in"):   # "BPK Perwakilan Sumatera Utara" names its province
                self.ensure(m.attr("located_in"), m.start)
            if m.attr("governs"):
                self.ensure(m.attr("governs"), m.start)
                self.fact(m.key, "governs", m.attr("governs"), m.start, link=True)
            if m.attr("parent"):
                if self.ensure(m.attr("parent"), m.start):
                    self.fact(m.key, "subOrganizationOf", m.attr("parent"), m.start, link=True)
            elif m.attr("needs_parent"):
                govs = self.governments(("kota", "kabupaten")) or self.governments(("provinsi",))
                if len(govs) == 1:
                    self.fact(m.key, "subOrganizationOf", govs[0], m.start, link=True)

    def read_office_places(self) -> None:
        """A place named in an office ("Wali Kota Administrasi Jakarta Barat") is an entity."""
        for m in self.doc.mentions:
            if m.label == "Office" and m.attr("place_regency"):
                self.ensure(f"municipality:{m.attr('place_regency')}", m.start)

    def read_persons(self) -> None:
        """ANNOTATION.md "Persons": the office without the place, and the body it belongs to."""
        for m in self.mentions:
            if m.label != "Person" or not m.attr("position"):
                continue
            if any(f.subject == m.key and f.predicate == "position" for f in self.out.facts):
                continue
            self.fact(m.key, "position", m.attr("position"), m.start)
            affiliation = m.attr("affiliation")
            if affiliation.startswith("agency:kementerian") and affiliation not in self.out.entities:
                affiliation = ""   # a minister's ministry only when the article names it
            if not affiliation and m.attr("affiliation_kind"):
                kind = m.attr("affiliation_kind")
                govs = self.governments((kind,) if kind != "localgov" else ("kota", "kabupaten", "provinsi"))
                affiliation = govs[0] if len(govs) == 1 else ""
            if not affiliation and m.attr("affiliation_unit"):
                units = [x.key for x in self.mentions if x.attr("unit") == m.attr("affiliation_unit")]
                affiliation = units[0] if len(set(units)) == 1 else ""
            if affiliation and self.ensure(affiliation, m.start):
                self.fact(m.key, "affiliation", affiliation, m.start, link=True)

    # -------------------------------------------------------------- awards

    def recipients(self, s: Sentence, award: Mention, exclude: set[str]) -> list[Mention]:
        """The areas or governments that receive AWARD in S: named before it as the subject
        ("Pemkot X meraih ..."), or after "kepada"/"untuk" ("diserahkan kepada Pemkab X")."""
        found = []
        for m in self.sentence_mentions(s, ("Municipality", "Province", "Agency")):
            if m.label == "Agency" and not m.attr("government"):
                continue
            before = self.doc.masked[s.start:m.start].split()
            if before and before[-1].lower() in NOT_RECIPIENT_BEFORE or m.key in exclude:
                continue
            after = self.doc.masked[m.end:min(s.end, m.end + 40)].lower().split()[:3]
            receives = any(w in self.lex.award_words.get("receive", ()) for w in after)
            if m.start > award.start and not receives and not (before and before[-1].lower() in ("kepada", "untuk", "bagi")):
                continue   # after the award: a venue or a giver ("... di TMII, Jakarta"), unless it receives
            found.append(m)
        if any(area_of(m.key).startswith("municipality:") for m in found):
            found = [m for m in found if area_of(m.key).startswith("municipality:")]
        return found

    def giver_after(self, s: Sentence, start: int) -> Mention | None:
        """The body named right after "dari", "oleh", "diserahkan", "diberikan" past START in S."""
        give = "|".join(sorted(self.lex.award_words.get("give", ()), key=len, reverse=True))
        for w in re.finditer(rf"\b(?:{give}|diselenggarakan)\s+(?:langsung\s+)?(?:oleh\s+)?", self.doc.masked[start:s.end]):
            pos = start + w.end()
            m = self.doc.at(pos, ("Agency",))
            if m:
                return m
        return None

    def read_awards(self) -> None:
        """ANNOTATION.md "Awards": one Award per recipient and distinction, with giver, date and grade."""
        awards = [m for m in self.doc.mentions if m.label == "Award"]
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
            self.read_award_group(fam, year, mentions, year == max_year.get(fam, ""))

    def giver_of(self, award: Mention, s: Sentence) -> Mention | None:
        """The body that gave AWARD: named after it ("dari Ombudsman RI"), before the next award in S."""
        g = self.giver_after(s, award.end)
        next_award = min((x.start for x in self.doc.mentions
                          if x.label == "Award" and award.end <= x.start < s.end), default=s.end)
        return g if g is not None and g.start < next_award else None

    def award_recipients(self, mentions: list[Mention], sentences: list[Sentence], givers: list[Mention],
                         current: bool) -> dict[str, Mention]:
        recipients: dict[str, Mention] = {}
        for m in mentions:
            s = self.doc.sentence_of(m.start)
            for r in self.recipients(s, m, {g.key for g in givers}) if s else ():
                recipients.setdefault(area_of(r.key), r)
        if not recipients:
            # "kabupaten ini masih berada di kategori Madya", "pemerintah kota juga memperoleh ...":
            # the article's only government of that kind
            for s in sentences:
                a = GOVERNMENT_ANAPHOR.search(s.text)
                kind = a and ("kota" if re.search(r"kota|pemko", a.group(0), re.I) else "kabupaten")
                govs = self.governments((kind,)) if kind else []
                if len(govs) == 1:
                    m = next(x for x in self.mentions if x.key == govs[0])
                    recipients.setdefault(area_of(m.key), m)
        if not recipients and current and any(PLURAL_RECIPIENTS.search(s.text) for s in sentences):
            # "Tiga pemerintah kota dan lima pemerintah kabupaten ... menerima Predikat Zona Hijau":
            # the recipients are the kota/kabupaten the article goes on to list
            for m in self.mentions:
                if area_of(m.key).startswith("municipality:") and (m.label == "Municipality" or m.attr("government")) \
                        and m in self.sentence_mentions(self.doc.sentence_of(m.start), (m.label,)):
                    recipients.setdefault(area_of(m.key), m)
        return recipients

    def handover_sentences(self, first: Sentence) -> list[Sentence]:
        """The next sentences that tell of the handover ("Penghargaan diserahkan ...", "Piala itu ...")."""
        i = self.doc.sentences.index(first)
        words = self.lex.award_words.get("handover", ())
        return [s for s in self.doc.sentences[i + 1:i + 4]
                if HANDOVER_REFERENCE.search(s.text) or any(re.search(rf"\b{re.escape(w)}\b", s.text) for w in words)]

    def read_award_group(self, family: str, year: str, mentions: list[Mention], current: bool) -> None:
        """One award per recipient of the mentions of one distinction and year; only the article's current
        (latest) one takes the handover sentences' date and giver."""
        sentences = list(dict.fromkeys(s for m in mentions if (s := self.doc.sentence_of(m.start))))
        givers = [g for m in mentions if (s := self.doc.sentence_of(m.start)) and (g := self.giver_of(m, s))]
        recipients = self.award_recipients(mentions, sentences, givers, current)
        if not recipients:
            return
        follow = self.handover_sentences(sentences[0]) if current else []
        givers += [g for s in follow if HANDOVER_REFERENCE.search(s.text) and (g := self.giver_after(s, s.start))]
        # the most specific giver: "BPK Perwakilan Sumatera Utara" rather than "BPK" of the headline
        parents = {g.attr("parent") for g in givers}
        givers = [g for g in givers if g.key not in parents] + [g for g in givers if g.key in parents]
        award_date = next((d for s in sentences + follow for d in self.dates
                           if s.start <= d.start < s.end and d.precision == "day"), None)
        grade_all = next((m.attr("grade") for m in mentions if m.attr("grade_stated")), "") or \
            next((m.attr("grade") for m in mentions if m.attr("grade")), "") or \
            self.sentence_grade(family, sentences)
        name = next((m.name for m in mentions if year and year in m.name), mentions[0].name)
        aliases = {a for m in mentions for a in (m.name, *m.aliases)}
        if year:   # a name without the year could be another year's award
            aliases = {a for a in aliases if year in a}
        per_recipient = self.grades_by_recipient(family, set(recipients)) if current else {}
        for area, r in sorted(recipients.items()):
            key = f"award:{family}:{year}:{area}"
            self.entity(key, "Award", name, aliases, mentions[0].start)
            for m in mentions[1:]:
                self.entity(key, "Award", name, (), m.start)
            self.ensure(area, r.start)
            self.fact(key, "recipient", area, r.start, link=True)
            if givers and self.ensure(givers[0].key, givers[0].start):
                self.fact(key, "conferredBy", givers[0].key, givers[0].start, link=True)
            if award_date:
                self.fact(key, "date", award_date.value, award_date.start)
            grade = per_recipient.get(area) or grade_all
            if grade:
                self.fact(key, "category", grade, mentions[0].start)

    def sentence_grade(self, family: str, sentences: list[Sentence]) -> str:
        """"Pada KLA 2023, kabupaten ini masih berada di kategori Madya": a grade the award's sentence names."""
        fam = next(f for f in self.lex.awards if f.family == family)
        for s in sentences:
            g = re.search(r"\b(?:kategori|predikat|peringkat)\s+([A-Z]\w+)", s.text)
            if g and (not fam.grades or g.group(1) in fam.grades):
                return g.group(1)
        return ""

    def grades_by_recipient(self, family: str, areas: set[str]) -> dict[str, str]:
        """"Pemkab Bogor masuk kategori Madya, sedangkan Pemkot Bogor berada di kategori Pratama"."""
        out: dict[str, str] = {}
        fam = next(f for f in self.lex.awards if f.family == family)
        places = [m for m in self.mentions if area_of(m.key) in areas]
        for i, m in enumerate(places):
            stop = places[i + 1].start if i + 1 < len(places) else m.end + 80
            window = self.doc.masked[m.end:min(stop, m.end + 80)]
            g = re.search(r"\b(?:kategori|predikat|peringkat)\s+([A-Z]\w+(?:\s+[A-Z]\w+)?)", window)
            if g and "." not in window[:g.start()]:
                grade = next((x for x in fam.grades if g.group(1).startswith(x)), g.group(1).split()[0])
                out.setdefault(area_of(m.key), grade)
        return out

    # -------------------------------------------------------------- agreements

    def read_agreements(self) -> None:
        """ANNOTATION.md "Agreements": parties, signatories when said, and the signing day."""
        mentions = [m for m in self.doc.mentions if m.label == "Agreement"]
        by_kind: dict[str, list[Mention]] = {}
        for m in mentions:
            by_kind.setdefault(m.attr("kind"), []).append(m)
        for kind, group in sorted(by_kind.items()):
            parties: list[str] = []
            signatories: list[str] = []
            when: DateMention | None = None
            for m in group:
                s = self.doc.sentence_of(m.start)
                if s is None:
                    continue
                p, sig = self.parties(m, s)
                parties += [x for x in p if x not in parties]
                signatories += [x for x in sig if x not in signatories]
                if when is None:
                    when = self.agreement_date(m, s, mentions)
            if len(parties) < 2:
                continue
            for nxt in self.signing_sentences(group, mentions):
                # "Naskah kesepakatan ditandatangani Pj Wali Kota X dan Rektor Y, Selasa (23/7/2024)."
                signatories += [p.key for p in self.sentence_mentions(nxt, ("Person",))
                                if p.attr("position") and p.key not in signatories]
                when = when or next((d for d in self.dates if nxt.start <= d.start < nxt.end
                                     and d.precision == "day"), None)
            name = next((m.name for m in group if m.attr("subject")), group[0].name)
            aliases = {a for m in group for a in (m.name, *m.aliases)}
            key = f"agreement:{kind}:{'+'.join(sorted(parties))}"
            for m in group:
                self.entity(key, "Agreement", name, aliases, m.start)
            for p in parties:
                if self.ensure(p, group[0].start):
                    self.fact(key, "party", p, group[0].start, link=True)
            for p in signatories:
                self.fact(key, "signatory", p, group[0].start, link=True)
            if when:
                self.fact(key, "date", when.value, when.start)

    def parties(self, m: Mention, s: Sentence) -> tuple[list[str], list[str]]:
        """Parties and signatories of the agreement M in sentence S: the bodies after "antara", else the
        signatories' bodies, else the bodies of the sentence. M reaches up to the next agreement named in S
        ("Selain MoU, ... juga diteken PKS antara X dan Y": X and Y are the PKS's)."""
        nxt = min((x.start for x in self.doc.mentions if x.label == "Agreement" and x.attr("kind") != m.attr("kind")
                   and m.end <= x.start < s.end), default=s.end)
        bodies = [x for x in self.sentence_mentions(s, ("Agency",)) if x.start < nxt]   # the subject is shared
        antara = re.search(r"\bantara\b", self.doc.masked[m.end:nxt])
        if antara:
            after = [x.key for x in bodies if x.start >= m.end + antara.end()]
            if len(set(after)) >= 2:
                return list(dict.fromkeys(after)), []
        signatories, parties = [], []
        if SIGNING.search(self.doc.masked[s.start:s.end]):
            for p in self.sentence_mentions(s, ("Person",)):
                if m.start < p.start < nxt and p.attr("position"):
                    signatories.append(p.key)
                    aff = self.affiliation_of(p.key)
                    if aff:
                        parties.append(aff)
        if len(set(parties)) < 2:
            parties += [x.key for x in bodies if x.key not in parties]
        return list(dict.fromkeys(parties)), list(dict.fromkeys(signatories))

    def affiliation_of(self, person: str) -> str:
        return next((f.object for f in self.out.facts if f.subject == person and f.predicate == "affiliation"), "")

    def agreement_date(self, m: Mention, s: Sentence, all_mentions: list[Mention]) -> DateMention | None:
        """The day in the sentence that follows this agreement and no other."""
        for d in self.dates:
            if not (s.start <= d.start < s.end) or d.precision != "day":
                continue
            before = [a for a in all_mentions if s.start <= a.start < d.start]
            nearest = before[-1] if before else None
            if nearest is m or nearest is None and m is min(
                    (a for a in all_mentions if s.start <= a.start < s.end), key=lambda a: a.start):
                return d
        return None

    def signing_sentences(self, group: list[Mention], all_mentions: list[Mention]) -> list[Sentence]:
        """Sentences right after one naming this agreement that tell of the signing and name no other
        agreement (a same-kind "MoU tersebut" is this one)."""
        out = []
        kind = group[0].attr("kind")
        for m in group:
            s = self.doc.sentence_of(m.start)
            if s is None or s is self.doc.sentences[-1]:
                continue
            nxt = self.doc.sentences[self.doc.sentences.index(s) + 1]
            others = [a for a in all_mentions if nxt.start <= a.start < nxt.end and a.attr("kind") != kind]
            if SIGNING.search(nxt.text) and not others and nxt not in out:
                out.append(nxt)
        return out

    # -------------------------------------------------------------- measurements

    def read_measurements(self) -> None:
        """ANNOTATION.md "measurements": exact figures about an area, never approximations or bounds."""
        article_text = self.doc.text
        previous_as_of: DateMention | None = None
        previous: Sentence | None = None
        for s in self.doc.sentences:
            # "Angka itu setara 87,69 persen ...": the figure continues the sentence before
            refers_back = previous is not None and FIGURE_ANAPHOR.match(s.text)
            as_of = self.as_of(s) or previous_as_of or (self.as_of(previous) if refers_back else None)
            before = self.doc.masked[previous.start:previous.end] if refers_back else ""
            numbers = [n for n in find_numbers(self.doc.masked[s.start:s.end])]
            numbers = [NumberMention(n.start + s.start, n.end + s.start, n.value, n.unit) for n in numbers]
            numbers = [n for n in numbers if not any(d.start <= n.start < d.end for d in self.dates)]
            for n in numbers:
                unit = n.unit or self.score_unit(n, s)
                if not unit or self.blocked(n, s):
                    continue
                indicator = self.indicator(n, s, unit, article_text, before)
                if not indicator:
                    continue
                area = self.area(n, s)
                if not area:
                    continue
                self.measurement(area, indicator, n, as_of)
            previous_as_of = self.as_of(s, ending=True)
            previous = s

    def as_of(self, s: Sentence, ending: bool = False) -> DateMention | None:
        for d in self.dates:
            if s.start <= d.start < s.end:
                before = self.doc.text[max(s.start, d.start - 12):d.start]
                if re.search(r"\b(?:per|hingga|sampai|data)\s+$", before, re.IGNORECASE):
                    if not ending or s.end - d.end < 3:
                        return d
        return None

    def score_unit(self, n: NumberMention, s: Sentence) -> str:
        """A score: "dengan nilai 98,17", "Pemkab Banyumas (96,98)"."""
        before = self.doc.masked[max(s.start, n.start - 12):n.start]
        if isinstance(n.value, float) and re.search(r"(?:\bnilai\s*|\(\s*|\bdengan\s+)$", before):
            return "nilai"
        return ""

    def blocked(self, n: NumberMention, s: Sentence) -> bool:
        before = self.doc.masked[s.start:n.start].lower().split()
        tail = " ".join(before[-3:])
        after = self.doc.masked[n.end:min(s.end, n.end + 40)].lower()
        return any(re.search(rf"(?:^|\s){re.escape(b)}$", tail) for b in self.lex.measurement_blockers) \
            or bool(re.match(r"\s*(?:secara\s+nasional|se-?indonesia|di\s+indonesia|tingkat\s+nasional)", after))

    def indicator(self, n: NumberMention, s: Sentence, unit: str, article_text: str, before: str = "") -> str:
        text = self.doc.masked
        clause_start = max([s.start] + [s.start + m.end() for m in re.finditer(
            r",|;|\batau\b|\bdengan\b|\bdan\b", text[s.start:n.start])])
        clause_end = min([s.end] + [n.end + m.start() for m in re.finditer(
            r",|;|\batau\b|\bdengan\b|\bsedangkan\b", text[n.end:s.end])])
        clause = text[clause_start:n.start] + "#" + text[n.end:clause_end]
        sentence = re.sub(r"\d[\d.,]*", "N", before + " " + text[s.start:n.start]) + "#" + \
            re.sub(r"\d[\d.,]*", "N", text[n.end:s.end])
        # a sentence that refers back ("Angka itu ...") is read with the one before it first
        for scope in ((sentence, clause) if before else (clause, sentence)):
            for ind in self.lex.indicators:
                if ind.unit != unit:
                    continue
                where = article_text if unit == "nilai" else scope
                if ind.cue.search(where):
                    return ind.indicator
        return ""

    def area(self, n: NumberMention, s: Sentence) -> str:
        """The municipality a figure is about: named in the sentence, the speaker's, or the article's only one."""
        places = [m for m in self.sentence_mentions(s, ("Municipality", "Agency", "Province"))
                  if area_of(m.key).startswith(("municipality:", "province:")) or m.attr("parent").startswith("localgov:")]
        def area_key(m: Mention) -> str:
            return area_of(m.key) if not m.attr("parent") else area_of(m.attr("parent"))
        before = [m for m in places if m.start < n.start]
        after = [m for m in places if m.start > n.end]
        if before:
            return area_key(before[-1])
        if after:
            return area_key(after[0])
        for p in self.sentence_mentions(s, ("Person",)):
            aff = self.affiliation_of(p.key)
            if aff:
                return area_key_of_body(aff, self.out)
        areas = {area_of(m.key) for m in self.mentions if m.attr("government") and m.attr("kind") != "provinsi"}
        areas |= {m.key for m in self.mentions if m.label == "Municipality"}
        return next(iter(areas)) if len(areas) == 1 else ""

    def measurement(self, area: str, indicator: str, n: NumberMention, as_of: DateMention | None) -> None:
        value = n.value
        existing = [e for e in self.out.entities.values() if e.type == "Measurement"
                    and e.key.startswith(f"measurement:{area}:{indicator}:") and e.key.endswith(f":{value}")]
        if existing:
            key = existing[0].key
            if as_of and not any(f.subject == key and f.predicate == "date" for f in self.out.facts):
                self.fact(key, "date", as_of.value, as_of.start)
            self.entity(key, "Measurement", existing[0].name, (), n.start)
            return
        key = f"measurement:{area}:{indicator}:{value}"
        self.ensure(area, n.start)
        self.entity(key, "Measurement", f"{indicator} {value}", (), n.start)
        self.fact(key, "area", area, n.start, link=True)
        self.fact(key, "indicator", indicator, n.start)
        self.fact(key, "value", value, n.start)
        if as_of:
            self.fact(key, "date", as_of.value, as_of.start)


def area_of(key: str) -> str:
    """The area a government governs ("localgov:3572" -> "municipality:3572"); other keys unchanged."""
    if key.startswith("localgov:"):
        code = key.split(":", 1)[1]
        return f"province:{code}" if len(code) == 2 else f"municipality:{code}"
    return key


def area_key_of_body(body: str, out: ArticleFacts) -> str:
    if body.startswith("localgov:"):
        return area_of(body)
    parent = next((f.object for f in out.facts if f.subject == body and f.predicate == "subOrganizationOf"), "")
    return area_of(parent) if parent.startswith("localgov:") else ""


def implied_entity(key: str, lex: Lexicon) -> tuple[str, str, tuple[str, ...]] | None:
    """(type, name, aliases) of an entity known from the lexicons by its key alone."""
    kind, _, rest = key.partition(":")
    if kind == "municipality" and rest in lex.regencies:
        r = lex.regencies[rest]
        return "Municipality", r.label, ()
    if kind == "province" and rest in lex.provinces:
        p = lex.provinces[rest]
        return "Province", p.label, ()
    if kind == "localgov":
        if rest in lex.regencies:
            r = lex.regencies[rest]
            k = "Kota" if r.kind == "kota" else "Kabupaten"
            return "Agency", f"Pemerintah {k} {r.name}", (f"{'Pemkot' if r.kind == 'kota' else 'Pemkab'} {r.name}",)
        if rest in lex.provinces:
            p = lex.provinces[rest]
            return "Agency", f"Pemerintah Provinsi {p.label}", (f"Pemprov {p.label}",)
    if kind == "agency":
        a = lex.agencies.get(rest)
        if a:
            return "Agency", a.label, a.aliases
        for m in lex.ministries:
            if rest == re.sub(r"[^a-z0-9]+", "-", m.name.lower()).strip("-"):
                return "Agency", m.name, m.ministry_aliases
    return None


def extract_facts(doc: Doc) -> ArticleFacts:
    """Return the entities and facts of one article."""
    r = Reader(doc)
    r.read_entities()
    r.read_office_places()
    r.read_persons()
    r.read_awards()
    r.read_agreements()
    r.read_measurements()
    return r.out

