"""Offices: a person's position and the body it belongs to (ANNOTATION.md "Persons")."""
from __future__ import annotations

from ..mentions.base import Mention
from .context import Context


def read_persons(r: Context) -> None:
    """ANNOTATION.md "Persons": the office without the place, and the body it belongs to."""
    for m in r.mentions:
        if m.label != "Person" or not m.attr("position"):
            continue
        if any(f.subject == m.key and f.predicate == "position" for f in r.out.facts):
            continue
        r.fact(m.key, "position", m.attr("position"), m.start)
        affiliation = m.attr("affiliation")
        if affiliation.startswith("agency:kementerian") and affiliation not in r.out.entities:
            affiliation = ""   # a minister's ministry only when the article names it
        if not affiliation and m.attr("affiliation_kind"):
            kind = m.attr("affiliation_kind")
            kinds = (kind,) if kind != "localgov" else ("kota", "kabupaten", "provinsi")
            affiliation = represented(r, m, kinds)
            if not affiliation:
                govs = r.governments(kinds) or offices_governments(r, kinds)
                affiliation = govs[0] if len(govs) == 1 else ""
        if not affiliation and m.attr("affiliation_unit"):
            units = [x.key for x in r.mentions if x.attr("unit") == m.attr("affiliation_unit")]
            affiliation = units[0] if len(set(units)) == 1 else ""
        if affiliation and r.ensure(affiliation, m.start):
            r.fact(m.key, "affiliation", affiliation, m.start, link=True)


def offices_governments(r: Context, kinds: tuple[str, ...]) -> list[str]:
    """The governments of KINDS the article names only through an office ("Bupati Mimika X dan Wakil Bupati
    Y": Y's is the Bupati's)."""
    found = []
    for m in r.doc.mentions:
        key = m.key if m.label == "Office" else ""
        if not key.startswith("localgov:") or key in found:
            continue
        if government_kind(r, key) in kinds:
            found.append(key)
    return found


def government_kind(r: Context, key: str) -> str:
    """The kind of the local government KEY ("localgov:3577" -> "kota"), "" for any other key."""
    code = key.split(":", 1)[1] if key.startswith("localgov:") else ""
    return "provinsi" if len(code) == 2 else r.lex.regencies[code].kind if code in r.lex.regencies else ""


def represented(r: Context, person: Mention, kinds: tuple[str, ...]) -> str:
    """The government of a bare office ("Wakil Wali Kota Budi") in an article naming several of its kind: the
    one whose area the office's sentence names last before it, when nothing but words stand between them and
    the area is of the office's kind ("Kota Tomohon diwakili Wali Kota A, Bitung diwakili Wakil Wali Kota B",
    "Untuk Hulu Sungai Utara (HSU), LHP diterima Bupati C"); else ""."""
    s = r.doc.sentence_of(person.start)
    if s is None:
        return ""
    office = None
    mentions = r.doc.mentions   # with the offices
    for m in reversed(mentions.overlapping(s.start, person.start)):
        if m.end > person.start or m.start < s.start or id(m) in r.nested:
            continue
        if m.label == "Office" and office is None and not m.key:
            office = m   # the person's own office, named without its place
            continue
        if office is None or m.label not in ("Municipality", "Province", "Agency", "Office"):
            return ""
        kind, _, code = m.key.partition(":")
        key = f"localgov:{code}" if kind in ("localgov", "municipality", "province") else ""
        return key if government_kind(r, key) in kinds else ""
    return ""
