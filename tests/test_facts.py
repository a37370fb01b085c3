from datetime import date

from kg.facts import extract_facts
from kg.mentions import find_mentions

from tests.helpers import make_article


def facts_of(text, lexicon, published=None):
    article = make_article(text, dateline="MADIUN | contoh.id - Senin, 10 Maret 2025\n\n") if published else make_article(text)
    out = extract_facts(find_mentions(article, lexicon))
    return out, {(f.subject, f.predicate, f.object) for f in out.facts}


def test_facts_local_government_governs_its_area(lexicon):
    out, facts = facts_of("Pemkab Madiun menggelar rapat.", lexicon)
    assert ("localgov:3519", "governs", "municipality:3519") in facts
    assert out.entities["municipality:3519"].name == "Kabupaten Madiun"


def test_facts_branch_is_part_of_its_body(lexicon):
    _, facts = facts_of("BPJS Kesehatan Cabang Madiun membuka loket.", lexicon)
    assert ("agency:bpjs-kesehatan/cabang/madiun", "subOrganizationOf", "agency:bpjs-kesehatan") in facts


def test_facts_mayor_is_affiliated_with_the_city_government(lexicon):
    _, facts = facts_of("Wali Kota Madiun Hadi Prasetyo membuka acara.", lexicon)
    assert ("person:hadi-prasetyo", "position", "Wali Kota") in facts
    assert ("person:hadi-prasetyo", "affiliation", "localgov:3577") in facts


def test_facts_deputy_without_place_takes_the_only_government_of_that_kind(lexicon):
    _, facts = facts_of("Pemkab Madiun dan Pemkot Madiun hadir. Wakil Bupati Joko Susilo memberi sambutan.", lexicon)
    assert ("person:joko-susilo", "affiliation", "localgov:3519") in facts


def test_facts_minister_affiliated_only_when_the_ministry_is_named(lexicon):
    _, facts = facts_of("Menteri Kesehatan Ahmad Sulaiman hadir.", lexicon)
    assert not [f for f in facts if f[1] == "affiliation"]
    _, facts = facts_of("Kementerian Kesehatan menggelar acara. Menteri Kesehatan Ahmad Sulaiman hadir.", lexicon)
    assert ("person:ahmad-sulaiman", "affiliation", "agency:kementerian-kesehatan") in facts


def test_facts_one_award_per_recipient_with_giver_and_date(lexicon):
    out, facts = facts_of("Pemkot Madiun dan Pemkab Madiun meraih UHC Awards 2025 dari BPJS Kesehatan, Selasa (4/2/2025).", lexicon)
    awards = [k for k, e in out.entities.items() if e.type == "Award"]
    assert len(awards) == 2
    for area in ("municipality:3577", "municipality:3519"):
        key = f"award:uhc:2025:{area}"
        assert (key, "recipient", area) in facts
        assert (key, "conferredBy", "agency:bpjs-kesehatan") in facts
        assert (key, "date", date(2025, 2, 4)) in facts


def test_facts_category_per_recipient(lexicon):
    _, facts = facts_of("Pemkot Madiun dan Pemkab Madiun meraih UHC Awards 2025. "
                        "Pemkot Madiun masuk kategori Utama, sedangkan Pemkab Madiun di kategori Madya.", lexicon)
    assert ("award:uhc:2025:municipality:3577", "category", "Utama") in facts
    assert ("award:uhc:2025:municipality:3519", "category", "Madya") in facts


def test_facts_giver_goes_to_the_nearest_award(lexicon):
    _, facts = facts_of("Kota Madiun menerima Piala Adipura 2024 serta meraih predikat Zona Hijau dari Ombudsman RI.", lexicon)
    assert not [f for f in facts if f[0].startswith("award:adipura") and f[1] == "conferredBy"]
    assert [f for f in facts if f[0].startswith("award:ombudsman") and f[1] == "conferredBy"]


def test_facts_award_without_recipient_is_not_an_award(lexicon):
    out, _ = facts_of("Syaratnya, daerah harus meraih Piala Adipura tiga kali.", lexicon)
    assert not [e for e in out.entities.values() if e.type == "Award"]


def test_facts_agreement_parties_after_antara_and_signing_date(lexicon):
    out, facts = facts_of("Penandatanganan nota kesepahaman antara Pemkot Madiun dan Kejaksaan Negeri Madiun. "
                          "Penandatanganan itu berlangsung Rabu (5/3/2025).", lexicon)
    (key,) = [k for k, e in out.entities.items() if e.type == "Agreement"]
    assert {f[2] for f in facts if f[0] == key and f[1] == "party"} == {"localgov:3577", "agency:kejaksaan-negeri-madiun"}
    assert (key, "date", date(2025, 3, 5)) in facts


def test_facts_signatories_give_the_parties(lexicon):
    out, facts = facts_of("MoU itu ditandatangani Bupati Madiun Hari Wibowo dan Kepala BPJS Kesehatan Cabang Madiun, "
                          "Sri Wahyuni, Rabu (5/3/2025).", lexicon)
    (key,) = [k for k, e in out.entities.items() if e.type == "Agreement"]
    assert {f[2] for f in facts if f[0] == key and f[1] == "signatory"} == {"person:hari-wibowo", "person:sri-wahyuni"}
    assert {f[2] for f in facts if f[0] == key and f[1] == "party"} == {"localgov:3519", "agency:bpjs-kesehatan/cabang/madiun"}


def test_facts_measurements_with_as_of_date(lexicon):
    _, facts = facts_of("Per 1 Mei 2025, sebanyak 120.500 jiwa atau 98,5 persen penduduk Kota Madiun terdaftar sebagai peserta JKN.", lexicon)
    assert ("measurement:municipality:3577:jkn_participants:120500", "value", 120500) in facts
    assert ("measurement:municipality:3577:jkn_coverage_percent:98.5", "date", date(2025, 5, 1)) in facts


def test_facts_population_is_told_apart_from_participants(lexicon):
    _, facts = facts_of("Di Kota Madiun, 150.000 jiwa terdaftar sebagai peserta JKN dari total 160.000 jiwa penduduk.", lexicon)
    indicators = {f[0].split(":")[3]: f[2] for f in facts if f[1] == "value"}
    assert indicators == {"jkn_participants": 150000, "population": 160000}


def test_facts_approximations_and_bounds_are_not_measurements(lexicon):
    _, facts = facts_of("Kepesertaan JKN di Kota Madiun sekitar 95 persen, dengan keaktifan di atas 80 persen.", lexicon)
    assert not [f for f in facts if f[1] == "value"]


def test_facts_compliance_score_goes_to_the_area(lexicon):
    _, facts = facts_of("Ombudsman menilai kepatuhan. Pemkot Madiun memperoleh nilai 91,25.", lexicon)
    assert ("measurement:municipality:3577:ombudsman_compliance_score:91.25", "area", "municipality:3577") in facts


def test_facts_reading_keeps_nothing_of_the_article_afterwards(lexicon):
    """Per-article indexes (persons, affiliations, list index) are fields of the Doc and Context, not module
    state: once the facts are read, the Doc and the Context can go (a build of 10,000 articles keeps none)."""
    import gc
    import weakref

    from kg.mentions import find_mentions
    from kg.relations import Context
    from tests.helpers import make_article
    text = ("Pemkab Ngawi dan BPJS Kesehatan Cabang Madiun menandatangani nota kesepahaman (MoU) Jaminan Kesehatan "
            "Nasional. MoU itu ditandatangani Bupati Ngawi Ony Anwar dan Kepala BPJS Kesehatan Cabang Madiun, "
            "Rina Wati. Penghargaan serupa diraih Kota Madiun, Kabupaten Magetan, dan Kabupaten Ponorogo.")
    doc = find_mentions(make_article(text), lexicon)
    r = Context(doc)
    from kg.relations import READERS
    for read in READERS:
        read(r)
    assert r.out.facts and r.persons is not None
    refs = weakref.ref(doc), weakref.ref(r)
    del doc, r, read
    gc.collect()
    assert [ref() for ref in refs] == [None, None]


def test_facts_sentence_mentions_leave_out_the_mentions_inside_a_longer_one(lexicon):
    """Context.sentence_mentions (the mentions nested in a longer one found once per article) gives, for every
    sentence of the seed articles and of an invented one, and several label sets, what the check against the neighbouring mentions made
    at each call gave: the mentions of those labels starting in the sentence, less those inside a longer one."""
    from kg.articles import article_sources, read_article
    from kg.relations import Context
    from tests.helpers import SEEDS

    def reference(r, s, labels):
        inside = [m for m in r.starting_in(s.start, s.end) if m.label in labels]
        return [m for m in inside if not any(
            o is not m and o.start <= m.start and m.end <= o.end and (o.end - o.start) > (m.end - m.start)
            for o in r.starting_in(m.start - r._longest, m.start + 1))]
    articles = [read_article(source.path, lexicon) for source in article_sources([SEEDS])]
    articles.append(make_article("Kepala Dinas Kesehatan Pemkab Bogor, Budi Santoso, dan Dinkes Pemkot Bogor meraih "
                                 "penghargaan bersama Kota Blitar. Pemkab Bogor juga menerima UHC Awards 2026."))
    left_out = 0
    for article in articles:
        r = Context(find_mentions(article, lexicon))
        for s in r.doc.sentences:
            for labels in (("Municipality", "Province", "Agency"), ("Agency",), ("Person",), ("Municipality",)):
                expected = reference(r, s, labels)
                assert r.sentence_mentions(s, labels) == expected
                left_out += len([m for m in r.starting_in(s.start, s.end) if m.label in labels]) - len(expected)
    assert left_out > 0   # some mention of the seeds stands inside a longer one ("Pemkab X" in "Dinkes Pemkab X")


def test_facts_holds_reads_each_pattern_once_per_sentence_and_answers_as_search(lexicon):
    """Context.holds answers whether a pattern matches in a sentence's text as pattern.search does, for the award
    readers' patterns and every sentence of the seed articles, and reads the sentence once: asked again, it does
    not search (a pattern that counts its searches is asked twice)."""
    from kg.articles import article_sources, read_article
    from kg.relations import Context
    from kg.relations.awards import HANDOVER_REFERENCE, award_patterns
    from tests.helpers import SEEDS

    class Counting:
        def __init__(self, rx):
            self.rx, self.searches, self.pattern, self.flags = rx, 0, rx.pattern, rx.flags

        def search(self, text):
            self.searches += 1
            return self.rx.search(text)

    pats = award_patterns(lexicon)
    patterns = [pats["not_yet"], pats["handover"], pats["handover_to"], HANDOVER_REFERENCE]
    matched = 0
    for source in article_sources([SEEDS]):
        r = Context(find_mentions(read_article(source.path, lexicon), lexicon))
        for s in r.doc.sentences:
            for rx in patterns:
                assert r.holds(rx, s) == (rx.search(s.text) is not None)
                matched += r.holds(rx, s)
            counting = Counting(pats["handover"])
            assert [r.holds(counting, s), r.holds(counting, s)] == [pats["handover"].search(s.text) is not None] * 2
            assert counting.searches <= 1   # none where the sentence lacks its words (Context.lacks_in)
    assert matched > 0


def test_facts_lacks_in_only_spans_where_a_pattern_matches_nowhere(lexicon):
    """Context.lacks_in (the award and measurement readers skip a pattern's search in a span lacking its words) is
    true only where the pattern matches nowhere in the span, of the blanked text or of the text: for the award,
    agreement and measurement patterns, in the sentences and random spans of dev articles (seed articles when
    ../shared is not there) made ASCII and of invented ones."""
    import random

    from kg.articles import Article, article_sources, read_article
    from kg.relations import Context
    from kg.relations.agreements import agreement_words
    from kg.relations.awards import HANDOVER_REFERENCE, _giver_rx, _graded_reference_rx, award_patterns
    from kg.relations.measurements import _blockers, measurement_patterns
    from tests.helpers import SEEDS, SHARED
    patterns = [*award_patterns(lexicon).values(), HANDOVER_REFERENCE, _graded_reference_rx(("Madya", "Pratama")),
                _giver_rx(lexicon), *agreement_words().values(), *measurement_patterns(lexicon).values(),
                *_blockers(lexicon.measurement_blockers)[1], *_blockers(lexicon.measurement_blockers)[2]]
    folder = SHARED / "corpus" / "dev" if (SHARED / "corpus" / "dev").is_dir() else SEEDS
    articles = [read_article(source.path, lexicon) for source in article_sources([folder])][:8]
    articles = [Article(a.source, a.title, a.place, a.publisher, a.published,
                        a.text.encode("ascii", "replace").decode()) for a in articles]
    articles += [make_article("Kota Blitar meraih Penghargaan serupa, kategori Madya, diserahkan oleh Menteri. "
                              "PENYERAHAN digelar di Jakarta; Kabupaten Kediri juga menerima piala itu.")]
    rng = random.Random(9)
    lacking = matched = 0
    for article in articles:
        r = Context(find_mentions(article, lexicon))
        n = len(r.doc.text)
        spans = [(s.start, s.end) for s in r.doc.sentences] + [tuple(sorted(rng.sample(range(n + 1), 2)))
                                                               for _ in range(12)]
        for p in patterns:
            for a, b in spans:
                for blanked, text in ((True, r.doc.masked), (False, r.doc.text)):
                    found = p.search(text, a, b) is not None
                    if r.lacks_in(p, a, b, blanked):
                        lacking += 1
                        assert not found, (p.pattern, text[a:b])
                    matched += found
    assert lacking > 1000 and matched > 20


def test_facts_lacks_only_patterns_that_match_nowhere_in_the_article(lexicon):
    """Context.lacks (the award readers skip a pattern's searches in an article lacking its words) is true only for
    patterns matching nowhere in the text or the blanked text: for the award and agreement patterns, the seed articles and
    invented ones (the words in capitals, absent, in a text that is not ASCII, where it is never true)."""
    from kg.articles import article_sources, read_article
    from kg.relations import Context
    from kg.relations.awards import HANDOVER_REFERENCE, _giver_rx, _graded_reference_rx, award_patterns
    from tests.helpers import SEEDS

    from kg.relations.agreements import agreement_words
    patterns = [*award_patterns(lexicon).values(), HANDOVER_REFERENCE, _graded_reference_rx(("Madya", "Pratama")),
                _giver_rx(lexicon), *agreement_words().values()]
    articles = [read_article(source.path, lexicon) for source in article_sources([SEEDS])]
    articles += [make_article("KOTA BLITAR MERAIH PENGHARGAAN SERUPA, KATEGORI MADYA, DISERAHKAN OLEH MENTERI."),
                 make_article("Kota Blitar meraih 3 medali."),
                 make_article("Kota Blitar meraih 3 medali — penghargaan serupa ditargetkan, kategori Madya.")]
    lacking = 0
    for article in articles:
        r = Context(find_mentions(article, lexicon))
        for p in patterns:
            if r.lacks(p):
                lacking += 1
                assert p.search(r.doc.text) is None and p.search(r.doc.masked) is None, (p.pattern, article.text)
                assert r.doc.text.isascii()
    assert lacking > 10
    r = Context(find_mentions(articles[-2], lexicon))
    assert r.lacks(award_patterns(lexicon)["reference"]) and not r.lacks(award_patterns(lexicon)["receive"])
    r = Context(find_mentions(articles[-1], lexicon))
    assert not any(r.lacks(p) for p in patterns)   # not ASCII: "—"


def test_facts_a_bare_office_belongs_to_the_area_its_clause_names_before_it(lexicon):
    # several city governments in the article: each representative's is the area named right before the office
    _, facts = facts_of(
        "Pemerintah Kota Madiun dan Pemerintah Kabupaten Ponorogo menerima penghargaan Kota Sehat 2025. "
        "Kota Kediri diwakili Wali Kota Agus Salim, Surabaya diwakili Wakil Wali Kota Rudi Hartono, dan Kabupaten "
        "Ponorogo diwakili Sekretaris Daerah Lukman Hakim. Untuk Kabupaten Lumajang, piagam diterima Bupati Indah "
        "Lestari.", lexicon)
    assert ("person:agus-salim", "affiliation", "localgov:3571") in facts
    assert ("person:rudi-hartono", "affiliation", "localgov:3578") in facts
    assert ("person:lukman-hakim", "affiliation", "localgov:3502") in facts
    assert ("person:indah-lestari", "affiliation", "localgov:3508") in facts


def test_facts_a_bare_office_of_another_kind_than_the_area_before_it_is_not_its(lexicon):
    # a mayor after a kabupaten: not its mayor; with one city government in the article, the mayor is its
    _, facts = facts_of("Pemerintah Kota Madiun menggelar rapat. Untuk Kabupaten Lumajang, piagam diserahkan "
                        "Wali Kota Agus Salim.", lexicon)
    assert ("person:agus-salim", "affiliation", "localgov:3577") in facts
    assert not {f for f in facts if f[0] == "person:agus-salim" and f[2] == "localgov:3508"}
