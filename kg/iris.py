"""The graph's names without rdflib: the only place IRIs are minted, as text (kg.emit writes the lines
from them; kg.rdf makes rdflib terms of the same texts for the graphs it builds).

Provenance: every article has its own named graph (<.../id/graph/SEGMENT>, see article_segment) holding the
triples read from it, and every node points with kg:evidence to the sentences (character spans of the article
text) that support it. The union of the graphs is the knowledge graph.

Nothing here imports rdflib (0.13 s to import): a one-article rebuild and every line a build writes need
only these texts.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal

from .facts import Evidence, Fact
from .lexicon import Lexicon
from .resolve import Node
from .resources import ID_BASE
from .textutil import slug


class Vocabulary:
    """A namespace: VOCABULARY.name and VOCABULARY["name"] are the IRIs in it, as text; str() is its own IRI.
    Not a str, so that no name of the vocabulary (title, index, count...) is taken by a method of str."""

    __slots__ = ("base",)

    def __init__(self, base: str) -> None:
        self.base = base

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        return self.base + name

    def __getitem__(self, name: str) -> str:
        return self.base + name

    def __str__(self) -> str:
        return self.base

    def __repr__(self) -> str:
        return f"Vocabulary({self.base!r})"


KG = Vocabulary("https://w3id.org/kabar-kg/ontology#")
ID = Vocabulary(ID_BASE)
SCHEMA = Vocabulary("https://schema.org/")
WD = Vocabulary("http://www.wikidata.org/entity/")
DCTERMS = Vocabulary("http://purl.org/dc/terms/")
OWL = Vocabulary("http://www.w3.org/2002/07/owl#")
PROV = Vocabulary("http://www.w3.org/ns/prov#")
RDF = Vocabulary("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Vocabulary("http://www.w3.org/2000/01/rdf-schema#")
SKOS = Vocabulary("http://www.w3.org/2004/02/skos/core#")
XSD = Vocabulary("http://www.w3.org/2001/XMLSchema#")
LANG = "id"
# the prefixes the written formats declare (Turtle, TriG, JSON-LD's context agrees), prefix -> namespace
PREFIXES = {"kg": str(KG), "kgid": str(ID), "rdfs": str(RDFS), "skos": str(SKOS), "xsd": str(XSD),
            "prov": str(PROV), "dcterms": str(DCTERMS), "schema": str(SCHEMA), "wd": str(WD), "owl": str(OWL)}


def node_iri(key: str, lexicon: Lexicon) -> str:
    """Return the IRI of an entity key: stable, readable, and the same for the same key in every build."""
    kind, _, rest = key.partition(":")
    if kind == "municipality":
        r = lexicon.regencies[rest]
        return ID[f"municipality/{rest}-{slug(r.label)}"]
    if kind == "province":
        return ID[f"province/{rest}-{slug(lexicon.provinces[rest].label)}"]
    if kind == "localgov":
        return ID[f"agency/government-{rest}"]
    if kind == "agency":
        unit, _, code = rest.partition("@")
        return ID[f"agency/{code}/{unit}"] if code else ID["agency/" + "/".join(slug(p) for p in unit.split("/"))]
    if kind == "person":
        return ID[f"person/{slug(rest)}"]
    if kind == "award":
        family, year, area = rest.split(":", 2)
        return ID[f"award/{family}-{year or 'undated'}/{area.replace(':', '-')}"]
    if kind == "agreement":
        agreement_kind, _, parties = rest.partition(":")
        digest = hashlib.sha1(parties.encode("utf-8")).hexdigest()[:12]
        return ID[f"agreement/{agreement_kind}-{digest}"]
    if kind == "measurement":
        area, indicator, value = rest.rsplit(":", 2)
        return ID[f"measurement/{area.replace(':', '-')}/{indicator}/{slug(value.replace('.', '_'))}"]
    return ID[f"entity/{slug(key)}"]


_KIND_TYPES = {"municipality": "Municipality", "province": "Province", "agency": "Agency", "person": "Person",
               "award": "Award", "agreement": "Agreement", "measurement": "Measurement"}


def node_type(iri: str) -> str | None:
    """The class (its local name) of the node whose IRI node_iri minted, read back from the IRI (the first
    segment after ID says it: a local government is an agency); None for any other IRI."""
    base = str(ID)
    return _KIND_TYPES.get(iri[len(base):].split("/", 1)[0]) if iri.startswith(base) else None


PLAIN_SOURCE = re.compile(r"([a-z0-9]+(?:[-_.][a-z0-9]+)*)\.txt")


def article_segment(source: str) -> str:
    """The IRI segment of the article read from SOURCE (its path in the folder given, see
    kg.articles.article_sources): unique per source and the same on every machine.

    A plain file name (lower-case letters, digits, single - _ . between them, .txt, at most 80 characters)
    is its own segment: "dev_01_bogor-uhc-2026.txt" -> "dev_01_bogor-uhc-2026". Any other source is the
    slug of its path plus "--" and a hash of the path: "a/Berita 1.txt" -> "a-berita-1--3f0c5e1d2a9b".
    A plain segment never holds "--", so the two kinds never meet."""
    plain = PLAIN_SOURCE.fullmatch(source)
    if plain and len(plain[1]) <= 80:
        return plain[1]
    digest = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()[:12]   # any lone surrogate
    stem = source[:-4] if source.endswith(".txt") else source
    return f"{slug(stem)[:60].rstrip('-')}--{digest}"


def article_iri(article) -> str:
    return ID[f"article/{article_segment(article.source)}"]


def graph_iri(article) -> str:
    return ID[f"graph/{article_segment(article.source)}"]


def evidence_iri(ev: Evidence, articles: dict) -> str:
    return f"{article_iri(articles[ev.article])}#char={ev.start},{ev.end}"


def indicator_iri(name: str) -> str:
    return ID[f"indicator/{slug(name).replace('-', '_')}"]


@dataclass(frozen=True)
class Membership:
    """An office a person holds in a body, as one article states it (kg:Membership)."""
    person: str          # entity keys
    role: str            # the office written out, as kg:position
    body: str
    evidence: Evidence


def memberships(facts: list[Fact]) -> list[Membership]:
    """A person's offices paired with their bodies: a position and an affiliation of one person stated in one
    sentence (kg.relations.offices reads them from one mention), in the order of FACTS."""
    bodies = {(f.subject, f.evidence): f.object for f in facts if f.predicate == "affiliation" and f.is_link}
    return [Membership(f.subject, str(f.object), bodies[(f.subject, f.evidence)], f.evidence) for f in facts
            if f.predicate == "position" and (f.subject, f.evidence) in bodies]


def membership_iri(m: Membership, lexicon: Lexicon) -> str:
    """<.../id/membership/PERSON/ROLE--BODY>: the same office in the same body is one node in every article."""
    person = node_iri(m.person, lexicon).rsplit("/", 1)[1]
    body = node_iri(m.body, lexicon)[len(str(ID)):].replace("/", "-")
    return ID[f"membership/{person}/{slug(m.role)}--{body}"]


def membership_label(m: Membership, nodes: dict[str, Node]) -> str:
    return f"{m.role}, {nodes[m.body].label}"


def decimal_lexical(value: Decimal) -> str:
    """VALUE written as Oxigraph writes an xsd:decimal it stores (no exponent, no trailing zeros after the
    point, no point without digits after it, no minus zero): 91.0 -> 91, 0.50 -> 0.5. The output is written
    from these lines and `kg export` from the store, so both must write a number alike; two articles
    giving 91 and 91.0 state one triple."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


_LINE_BREAKS = str.maketrans({"\x85": "\n", "\u2028": "\n", "\u2029": "\n"})
# control characters other than tab and line feed, DEL and the C1 controls
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# what is not a character: lone surrogates (they cannot be encoded) and the noncharacters
# (U+FDD0..U+FDEF, U+FFFE and U+FFFF of every plane; XML refuses U+FFFE and U+FFFF)
_NOT_CHARACTERS = re.compile("[\ud800-\udfff\ufdd0-\ufdef" + "".join(
    f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17)) + "]")

# any character _clean changes (those of the three above)
_UNCLEAN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029" + _NOT_CHARACTERS.pattern[1:])


def _clean(text: str) -> str:
    """Return TEXT as a literal every output format can hold, one character for one, so that evidence
    offsets stay valid: a line break (NEL, U+2028, U+2029) becomes "\\n", any other control character a
    space, and a lone surrogate or a noncharacter U+FFFD."""
    if not _UNCLEAN.search(text):   # most texts: nothing to change (one scan in C, no copies)
        return text
    return _NOT_CHARACTERS.sub("\ufffd", _CONTROLS.sub(" ", text.translate(_LINE_BREAKS)))


def text_sha256(text: str) -> str:
    """The SHA-256 (hex) of an article's text as read, UTF-8: the text evidence offsets index (kg:textSha256),
    so a citation can be checked against the text it points into."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
