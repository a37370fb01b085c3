"""Agreements: the document, its parties, signatories and signing day (ANNOTATION.md "Agreements")."""
from __future__ import annotations

import re

from ..dates import DateMention
from ..mentions import Mention
from ..sentences import Sentence
from .context import Context

SIGNING = re.compile(r"\b(?:ditandatangani|diteken|penandatanganan|menandatangani|teken|meneken|oleh)\b", re.I)


def read_agreements(r: Context) -> None:
    """ANNOTATION.md "Agreements": parties, signatories when said, and the signing day."""
    mentions = [m for m in r.doc.mentions if m.label == "Agreement"]
    by_kind: dict[str, list[Mention]] = {}
    for m in mentions:
        by_kind.setdefault(m.attr("kind"), []).append(m)
    for kind, group in sorted(by_kind.items()):
        parties: list[str] = []
        signatories: list[str] = []
        when: DateMention | None = None
        for m in group:
            s = r.doc.sentence_of(m.start)
            if s is None:
                continue
            p, sig = agreement_parties(r, m, s)
            parties += [x for x in p if x not in parties]
            signatories += [x for x in sig if x not in signatories]
            if when is None:
                when = agreement_date(r, m, s, mentions)
        if len(parties) < 2:
            continue
        for nxt in signing_sentences(r, group, mentions):
            # "Naskah kesepakatan ditandatangani Pj Wali Kota X dan Rektor Y, Selasa (23/7/2024)."
            signatories += [p.key for p in r.sentence_mentions(nxt, ("Person",))
                            if p.attr("position") and p.key not in signatories]
            when = when or next((d for d in r.dates if nxt.start <= d.start < nxt.end
                                 and d.precision == "day"), None)
        name = next((m.name for m in group if m.attr("subject")), group[0].name)
        aliases = {a for m in group for a in (m.name, *m.aliases)}
        key = f"agreement:{kind}:{'+'.join(sorted(parties))}"
        for m in group:
            r.entity(key, "Agreement", name, aliases, m.start)
        for p in parties:
            if r.ensure(p, group[0].start):
                r.fact(key, "party", p, group[0].start, link=True)
        for p in signatories:
            r.fact(key, "signatory", p, group[0].start, link=True)
        if when:
            r.fact(key, "date", when.value, when.start)


def agreement_parties(r: Context, m: Mention, s: Sentence) -> tuple[list[str], list[str]]:
    """Parties and signatories of the agreement M in sentence S: the bodies after "antara", else the
    signatories' bodies, else the bodies of the sentence. M reaches up to the next agreement named in S
    ("Selain MoU, ... juga diteken PKS antara X dan Y": X and Y are the PKS's)."""
    nxt = min((x.start for x in r.starting_in(m.end, s.end)
               if x.label == "Agreement" and x.attr("kind") != m.attr("kind")), default=s.end)
    bodies = [x for x in r.sentence_mentions(s, ("Agency",)) if x.start < nxt]   # the subject is shared
    antara = re.search(r"\bantara\b", r.doc.masked[m.end:nxt])
    if antara:
        after = [x.key for x in bodies if x.start >= m.end + antara.end()]
        if len(set(after)) >= 2:
            return list(dict.fromkeys(after)), []
    signatories, parties = [], []
    if SIGNING.search(r.doc.masked[s.start:s.end]):
        for p in r.sentence_mentions(s, ("Person",)):
            if m.start < p.start < nxt and p.attr("position"):
                signatories.append(p.key)
                aff = r.affiliation_of(p.key)
                if aff:
                    parties.append(aff)
    if len(set(parties)) < 2:
        parties += [x.key for x in bodies if x.key not in parties]
    return list(dict.fromkeys(parties)), list(dict.fromkeys(signatories))


def agreement_date(r: Context, m: Mention, s: Sentence, all_mentions: list[Mention]) -> DateMention | None:
    """The day in the sentence that follows this agreement and no other."""
    for d in r.dates:
        if not (s.start <= d.start < s.end) or d.precision != "day":
            continue
        before = [a for a in all_mentions if s.start <= a.start < d.start]
        nearest = before[-1] if before else None
        if nearest is m or nearest is None and m is min(
                (a for a in all_mentions if s.start <= a.start < s.end), key=lambda a: a.start):
            return d
    return None


def signing_sentences(r: Context, group: list[Mention], all_mentions: list[Mention]) -> list[Sentence]:
    """Sentences right after one naming this agreement that tell of the signing and name no other
    agreement (a same-kind "MoU tersebut" is this one)."""
    out = []
    kind = group[0].attr("kind")
    for m in group:
        s = r.doc.sentence_of(m.start)
        if s is None or s is r.doc.sentences[-1]:
            continue
        nxt = r.doc.sentences[r.sentence_index(s) + 1]
        others = [a for a in all_mentions if nxt.start <= a.start < nxt.end and a.attr("kind") != kind]
        if SIGNING.search(nxt.text) and not others and nxt not in out:
            out.append(nxt)
    return out
