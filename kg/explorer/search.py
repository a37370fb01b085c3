"""Finding entities by name: an in-memory index of the labels and aliases in the store, read with bound
triple patterns (every subject of a type, then its names), tolerant of case, accents, punctuation and the
abbreviations news writes (Pemkot, Kab., Jatim, Dinkes)."""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from ..rdf import KG

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
SKOS_ALT = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
EVIDENCE = ox.NamedNode(KG["evidence"])
# what a reader looks for, in the order results of equal rank are shown
ENTITY_TYPES = ("Municipality", "Province", "Agency", "Person", "Award", "Agreement")
ABBREVIATIONS_FILE = Path(__file__).with_name("abbreviations.tsv")


def normalize(text: str) -> str:
    """TEXT case-folded, without accents, with punctuation as spaces: 'Pemerintah Kota (Pemkot) Blitar'
    -> 'pemerintah kota pemkot blitar'."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.findall(r"\w+", text))


@cache
def abbreviations() -> dict[str, str]:
    """Normalised short form -> normalised long form, from kg/explorer/abbreviations.tsv and the project's
    lexicons (unit names such as Dinkes, province and place aliases such as Jatim, Solo)."""
    from ..lexicon import load_lexicon
    table: dict[str, str] = {}
    for line in ABBREVIATIONS_FILE.read_text(encoding="utf-8").splitlines()[2:]:
        if line.strip():
            short, long = line.split("\t")[:2]
            table[normalize(short)] = normalize(long)
    lexicon = load_lexicon()
    for short, long in lexicon.unit_abbreviations.items():
        table.setdefault(normalize(short), normalize(long))
    for alias, code in lexicon.place_aliases.items():
        table.setdefault(normalize(alias), normalize(lexicon.regencies[code].label))
    for agency in lexicon.agencies.values():
        for alias in agency.aliases:
            table.setdefault(normalize(alias), normalize(agency.label))
    for province in lexicon.provinces.values():
        for alias in province.aliases:
            table.setdefault(normalize(alias), normalize(province.label))
    return table


def query_forms(query: str) -> list[str]:
    """The normalised query, and the query with its abbreviations written out ('pemkot blitar' ->
    'pemerintah kota blitar'; 'jatim' -> 'jawa timur'), without repeats."""
    norm = normalize(query)
    table = abbreviations()
    forms = [norm]
    if norm in table:
        forms.append(table[norm])
    expanded = " ".join(table.get(w, w) for w in norm.split())
    if expanded not in forms:
        forms.append(expanded)
    return [f for f in forms if f]


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    type: str
    matched: str        # the name that matched (the label, or an alias)
    score: int


@dataclass
class SearchIndex:
    """Names of the entities of one store generation."""
    names: list[tuple[str, str, bool]] = field(default_factory=list)     # (normalised name, iri, is label)
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)     # iri -> (label, type)
    postings: dict[str, set[int]] = field(default_factory=dict)          # word -> name ids
    vocabulary: list[str] = field(default_factory=list)                  # sorted words, for prefixes
    originals: list[str] = field(default_factory=list)                   # the name as written

    def __len__(self) -> int:
        return len(self.names)

    def add(self, iri: str, type_: str, name: str, is_label: bool) -> None:
        norm = normalize(name)
        if not norm:
            return
        i = len(self.names)
        self.names.append((norm, iri, is_label))
        self.originals.append(name)
        for word in set(norm.split()):
            self.postings.setdefault(word, set()).add(i)

    def _ids_with_prefix(self, word: str) -> set[int]:
        ids: set[int] = set()
        k = bisect.bisect_left(self.vocabulary, word)
        while k < len(self.vocabulary) and self.vocabulary[k].startswith(word):
            ids |= self.postings[self.vocabulary[k]]
            k += 1
        return ids

    def search(self, query: str, limit: int = 50) -> list[Hit]:
        """Entities whose label or an alias matches QUERY, best first: the whole name, then names that
        start with the query, then names holding every query word (as a word or the start of one)."""
        best: dict[str, tuple[int, int]] = {}
        for form in self._with_initials(query_forms(query)):
            words = form.split()
            ids: set[int] | None = None
            for w in sorted(words, key=len, reverse=True):
                found = self._ids_with_prefix(w)
                ids = found if ids is None else ids & found
                if not ids:
                    break
            for i in ids or ():
                norm, iri, is_label = self.names[i]
                exact_words = sum(1 for w in words if w in norm.split())
                score = (300 if norm == form else 200 if norm.startswith(form) else 100) + 10 * exact_words \
                    + (5 if is_label else 0) - min(len(norm), 99) // 10
                if iri not in best or score > best[iri][0]:
                    best[iri] = (score, i)
        order = sorted(best.items(), key=lambda kv: (-kv[1][0], self._type_rank(kv[0]), self.labels[kv[0]][0]))
        return [Hit(iri, self.labels[iri][0], self.labels[iri][1], self.originals[i], score)
                for iri, (score, i) in order[:limit]]

    def _with_initials(self, forms: list[str]) -> list[str]:
        """FORMS, and each with a run of its words written as their initials when the store knows such a
        word: 'badan penyelenggara jaminan sosial kesehatan' -> 'bpjs kesehatan'."""
        out = list(forms)
        words = forms[0].split()
        if 2 <= len(words) <= 8:
            for i in range(len(words)):
                for j in range(i + 2, len(words) + 1):
                    initials = "".join(w[0] for w in words[i:j])
                    if initials in self.postings:
                        form = " ".join(words[:i] + [initials] + words[j:])
                        if form not in out:
                            out.append(form)
        return out

    def _type_rank(self, iri: str) -> int:
        t = self.labels[iri][1]
        return ENTITY_TYPES.index(t) if t in ENTITY_TYPES else len(ENTITY_TYPES)

    def label(self, iri: str) -> str | None:
        entry = self.labels.get(iri)
        return entry[0] if entry else None


def build_index(store: ox.Store) -> SearchIndex:
    """The names of every entity of the ENTITY_TYPES in STORE that an article names (its default graph: the
    union of the article graphs and the reference places), each read with a bound pattern: subjects of a
    type with evidence, then their labels and aliases."""
    index = SearchIndex()
    graph = ox.DefaultGraph()
    for type_ in ENTITY_TYPES:
        for quad in store.quads_for_pattern(None, RDF_TYPE, ox.NamedNode(KG[type_]), graph):
            s = quad.subject
            if not isinstance(s, ox.NamedNode) or s.value in index.labels:
                continue
            if next(iter(store.quads_for_pattern(s, EVIDENCE, None, graph)), None) is None:
                continue   # a reference place (kg.places) that no article names
            labels = [q.object.value for q in store.quads_for_pattern(s, RDFS_LABEL, None, graph)]
            if not labels:
                continue
            label = min(labels)
            index.labels[s.value] = (label, type_)
            for name in labels:
                index.add(s.value, type_, name, True)
            for q in store.quads_for_pattern(s, SKOS_ALT, None, graph):
                index.add(s.value, type_, q.object.value, False)
    index.vocabulary = sorted(index.postings)
    return index
