"""Entities and their plain links: every mention's entity, a unit's government, a body's parent."""
from __future__ import annotations

from .context import Context


def read_entities(r: Context) -> None:
    """ANNOTATION.md "Rules settled": a named local government and its area are both entities."""
    named_in_full: set[str] = set()
    for m in r.mentions:
        if m.label in ("Award", "Agreement"):
            continue
        e = r.entity(m.key, m.label, m.name, {m.text, *m.aliases}, m.start)
        if m.attr("parent_name") and m.key not in named_in_full:
            # a unit's preferred name is the one with its government: "Dinas Kesehatan Pemkab X"
            e.aliases.add(e.name)
            e.name = m.name
            named_in_full.add(m.key)
    # links after all entities exist: a unit may be named before its parent ("Biro Umum Setda Provinsi X")
    for m in r.mentions:
        if m.label in ("Award", "Agreement"):
            continue
        if m.attr("located_in"):   # "BPK Perwakilan Sumatera Utara" names its province
            r.ensure(m.attr("located_in"), m.start)
        if m.attr("governs"):
            r.ensure(m.attr("governs"), m.start)
            r.fact(m.key, "governs", m.attr("governs"), m.start, link=True)
        if m.attr("parent"):
            if r.ensure(m.attr("parent"), m.start):
                r.fact(m.key, "subOrganizationOf", m.attr("parent"), m.start, link=True)
        elif m.attr("needs_parent"):
            govs = r.governments(("kota", "kabupaten")) or r.governments(("provinsi",))
            if len(govs) == 1:
                r.fact(m.key, "subOrganizationOf", govs[0], m.start, link=True)


def read_office_places(r: Context) -> None:
    """A place named in an office ("Wali Kota Administrasi Jakarta Barat") is an entity."""
    for m in r.doc.mentions:
        if m.label == "Office" and m.attr("place_regency"):
            r.ensure(f"municipality:{m.attr('place_regency')}", m.start)
