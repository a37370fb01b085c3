from kg.facts import extract_facts
from kg.mentions import find_mentions
from kg.resolve import resolve_entities

from tests.helpers import make_article


def kb_of(texts, lexicon):
    per = [extract_facts(find_mentions(make_article(t, source=f"a{i}.txt"), lexicon)) for i, t in enumerate(texts)]
    return resolve_entities(per, lexicon)


def test_resolve_short_and_long_government_names_are_one_node(lexicon):
    kb = kb_of(["Pemkot Madiun menggelar rapat.", "Pemerintah Kota Madiun menggelar rapat."], lexicon)
    govs = [n for n in kb.nodes.values() if n.key.startswith("localgov:")]
    assert len(govs) == 1 and govs[0].label == "Pemerintah Kota Madiun" and "Pemkot Madiun" in govs[0].aliases


def test_resolve_kota_and_kabupaten_stay_apart(lexicon):
    kb = kb_of(["Kota Madiun berbenah.", "Kabupaten Madiun berbenah."], lexicon)
    assert {n.label for n in kb.nodes.values() if n.type == "Municipality"} == {"Kota Madiun", "Kabupaten Madiun"}


def test_resolve_same_person_across_articles_keeps_all_evidence(lexicon):
    kb = kb_of(["Bupati Madiun Hari Wibowo hadir.", "Bupati Madiun Hari Wibowo berpidato."], lexicon)
    node = kb.nodes["person:hari-wibowo"]
    assert {ev.article for ev in node.evidence} == {"a0.txt", "a1.txt"}


def test_resolve_label_does_not_depend_on_article_order(lexicon):
    texts = ["Kepala Dinkes Pemkot Madiun, Sri, hadir.", "Kepala Dinas Kesehatan Pemkot Madiun, Sri, hadir."]
    per = [extract_facts(find_mentions(make_article(t, source=f"a{i}.txt"), lexicon)) for i, t in enumerate(texts)]
    a = resolve_entities(per, lexicon)
    b = resolve_entities(list(reversed(per)), lexicon)
    assert {k: n.label for k, n in a.nodes.items()} == {k: n.label for k, n in b.nodes.items()}


def test_resolve_a_ministry_known_by_its_key_alone(lexicon):
    """An agency key that is the slug of a ministry's name gives that ministry's name and aliases (looked up
    in a table made once per lexicon); a key no ministry has gives nothing."""
    from kg.relations.context import implied_entity
    assert implied_entity("agency:kementerian-kesehatan", lexicon) == ("Agency", "Kementerian Kesehatan", ("Kemenkes",))
    assert implied_entity("agency:kementerian-dalam-negeri", lexicon)[1] == "Kementerian Dalam Negeri"
    assert implied_entity("agency:kementerian-urusan-kopi", lexicon) is None
