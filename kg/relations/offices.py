"""Offices: a person's position and the body it belongs to (ANNOTATION.md "Persons")."""
from __future__ import annotations

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
        code = key.split(":", 1)[1]
        kind = "provinsi" if len(code) == 2 else r.lex.regencies[code].kind if code in r.lex.regencies else ""
        if kind in kinds:
            found.append(key)
    return found
