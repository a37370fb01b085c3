"""kg/relations/lists.py: coordination and lists, on invented sentences."""
import pytest

from kg.mentions import find_mentions
from kg.relations.lists import coordinated, line_items, lists_after, rank_at, ranks_in, split_items

from tests.helpers import make_article

AREAS = ("Municipality", "Province", "Agency")


def doc_of(body, lexicon):
    return find_mentions(make_article(body), lexicon)


def anchor(doc, written):
    pos = doc.text.index(written)
    return next(m for m in doc.mentions if m.start == pos)


def names(items):
    return [it.mention.name if it.mention else it.text for it in items]


@pytest.mark.parametrize("body, first, expected", [
    ("Penghargaan serupa juga diraih Kabupaten Sleman, Kota Madiun, dan Kabupaten Ngawi.",
     "Kota Madiun", ["Kabupaten Sleman", "Kota Madiun", "Kabupaten Ngawi"]),
    ("Kategori Madya diberikan kepada Kota Blitar serta Kabupaten Kediri.",
     "Kabupaten Kediri", ["Kota Blitar", "Kabupaten Kediri"]),
    ("Kota Blitar dan Kabupaten Kediri hadir di acara itu.", "Kota Blitar", ["Kota Blitar", "Kabupaten Kediri"]),
    ("Kota Blitar, Kota Kediri, Kabupaten Malang, Kabupaten Pacitan hadir.", "Kota Kediri",
     ["Kota Blitar", "Kota Kediri", "Kabupaten Malang", "Kabupaten Pacitan"]),
])
def test_lists_inline_coordination(lexicon, body, first, expected):
    doc = doc_of(body, lexicon)
    assert [it.mention.text for it in coordinated(doc, anchor(doc, first), AREAS)] == expected


def test_lists_coordination_asked_again_is_the_same_and_a_new_list(lexicon):
    """coordinated keeps its answer per Doc (the award readers ask it of one recipient many times): asked again it
    gives the same items in a list of its own, and a Doc that gained a mention is read afresh."""
    doc = doc_of("Penghargaan serupa juga diraih Kabupaten Sleman, Kota Madiun, dan Kabupaten Ngawi.", lexicon)
    first = coordinated(doc, anchor(doc, "Kota Madiun"), AREAS)
    first.append(first[0])
    again = coordinated(doc, anchor(doc, "Kota Madiun"), AREAS)
    assert again == first[:3] and again is not first
    assert coordinated(doc, anchor(doc, "Kota Madiun"), ("Province",)) != again   # the labels are part of the question
    from kg.relations.lists import _index
    assert _index(doc).coordinated
    doc.mentions.append(anchor(doc, "Kabupaten Ngawi"))   # a Doc that gained a mention is read afresh
    assert not _index(doc).coordinated


def test_lists_a_comma_between_kinds_is_an_apposition(lexicon):
    doc = doc_of("Tim dari Kabupaten Klaten, Provinsi Jawa Tengah dan Kota Madiun datang.", lexicon)
    items = coordinated(doc, anchor(doc, "Kota Madiun"), AREAS)
    assert [it.mention.text for it in items] == ["Provinsi Jawa Tengah", "Kota Madiun"]


def test_lists_two_clauses_are_not_one_list(lexicon):
    doc = doc_of("Bupati tiba di Kabupaten Sleman, Kota Madiun menyusul kemudian.", lexicon)
    assert len(coordinated(doc, anchor(doc, "Kota Madiun"), AREAS)) == 1


def test_lists_anchor_without_list_is_alone(lexicon):
    doc = doc_of("Kota Madiun meraih penghargaan itu.", lexicon)
    items = coordinated(doc, anchor(doc, "Kota Madiun"), AREAS)
    assert [it.text for it in items] == ["Kota Madiun"] and items[0].rank == ""


def test_lists_rank_after_each_item_in_parentheses(lexicon):
    doc = doc_of("Pemenangnya Kota Madiun (Juara I), Kabupaten Ngawi (Juara II), dan Kota Kediri (Juara III).",
                 lexicon)
    items = coordinated(doc, anchor(doc, "Kabupaten Ngawi"), AREAS)
    assert [(it.mention.text, it.rank, it.place) for it in items] == [
        ("Kota Madiun", "Juara I", 1), ("Kabupaten Ngawi", "Juara II", 2), ("Kota Kediri", "Juara III", 3)]


def test_lists_rank_before_each_item(lexicon):
    doc = doc_of("Peringkat pertama diraih Kota Madiun, peringkat kedua Kabupaten Ngawi, dan peringkat ketiga "
                 "Kota Kediri.", lexicon)
    items = coordinated(doc, anchor(doc, "Kota Kediri"), AREAS)
    assert [it.rank.lower() for it in items][-2:] == ["peringkat kedua", "peringkat ketiga"]


def test_lists_rank_range_dealt_out_in_order(lexicon):
    doc = doc_of("Terbaik I-III diraih Kota Madiun, Kabupaten Ngawi, dan Kota Kediri.", lexicon)
    items = coordinated(doc, anchor(doc, "Kota Madiun"), AREAS)
    assert [it.rank for it in items] == ["Terbaik I", "Terbaik II", "Terbaik III"]


def test_lists_ranks_after_masing_masing_dealt_out(lexicon):
    doc = doc_of("Kota Madiun, Kabupaten Ngawi, dan Kota Kediri masing-masing meraih Juara I, II, dan III.", lexicon)
    items = coordinated(doc, anchor(doc, "Kota Kediri"), AREAS)
    assert [(it.rank, it.place) for it in items] == [("Juara I", 1), ("Juara II", 2), ("Juara III", 3)]


def test_lists_numbered_lines(lexicon):
    doc = doc_of("Daerah penerima penghargaan:\n1. Kota Madiun\n2. Kabupaten Ngawi\n3. Kota Kediri\n\n"
                 "Acara berlangsung meriah.", lexicon)
    intro = doc.text.index("Daerah penerima")
    items = line_items(doc, intro, AREAS)
    assert names(items) == ["Kota Madiun", "Kabupaten Ngawi", "Kota Kediri"]
    assert [(it.marker, it.number, it.line) for it in items] == [("1.", 1, True), ("2.", 2, True), ("3.", 3, True)]
    assert coordinated(doc, anchor(doc, "Kabupaten Ngawi"), AREAS) == items


def test_lists_bulleted_lines_with_ranks(lexicon):
    doc = doc_of("Berikut daftarnya:\n\n- Terbaik I: Pemerintah Kabupaten Ngawi\n- Terbaik II: Kota Madiun\n",
                 lexicon)
    items = line_items(doc, doc.text.index("Berikut"), AREAS)
    assert [(it.mention.name, it.rank, it.place) for it in items] == [
        ("Pemerintah Kabupaten Ngawi", "Terbaik I", 1), ("Kota Madiun", "Terbaik II", 2)]


def test_lists_unmarked_lines_opening_with_a_rank(lexicon):
    doc = doc_of("Hasil penilaian tahun ini.\nPeringkat pertama: Kota Madiun\nPeringkat kedua: Kabupaten Ngawi\n",
                 lexicon)
    items = coordinated(doc, anchor(doc, "Kabupaten Ngawi"), AREAS)
    assert [(it.text, it.rank) for it in items] == [("Kota Madiun", "Peringkat pertama"),
                                                    ("Kabupaten Ngawi", "Peringkat kedua")]


def test_lists_plain_lines_after_a_colon(lexicon):
    doc = doc_of("Tiga daerah meraih penghargaan itu, masing-masing:\nKota Madiun\nKabupaten Ngawi\nKota Kediri\n\n"
                 "Semuanya hadir.", lexicon)
    assert names(line_items(doc, doc.text.index("Tiga daerah"), AREAS)) == ["Kota Madiun", "Kabupaten Ngawi",
                                                                             "Kota Kediri"]


def test_lists_no_list_after_an_ordinary_line(lexicon):
    doc = doc_of("Kota Madiun meraih penghargaan.\nKabupaten Ngawi juga hadir dalam acara tersebut kemarin.\n",
                 lexicon)
    assert line_items(doc, 0, AREAS) == []


def test_lists_line_item_keeps_its_first_mention(lexicon):
    doc = doc_of("Penerimanya:\n- Pemerintah Kota Madiun, Jawa Timur\n- Pemerintah Kabupaten Ngawi, Jawa Timur\n",
                 lexicon)
    items = line_items(doc, 0, AREAS)
    assert [it.mention.name for it in items] == ["Pemerintah Kota Madiun", "Pemerintah Kabupaten Ngawi"]
    assert all(len(it.mentions) == 2 for it in items)


def test_lists_split_span_without_mentions(lexicon):
    doc = doc_of("Posko melibatkan Dinas Sosial, Dinas Pertanian, serta Badan Zakat.", lexicon)
    start = doc.text.index("Dinas Sosial")
    end = doc.text.index(".", start)
    assert [it.text for it in split_items(doc, start, end)] == ["Dinas Sosial", "Dinas Pertanian", "Badan Zakat"]
    doc = doc_of("Hadir Dinas Tenaga Kerja dan Transmigrasi, serta Badan Zakat.", lexicon)
    start = doc.text.index("Dinas")
    end = doc.text.index(".", start)
    assert [it.text for it in split_items(doc, start, end, split_bare_conjunction=False)] == [
        "Dinas Tenaga Kerja dan Transmigrasi", "Badan Zakat"]


@pytest.mark.parametrize("text, ranks", [
    ("Terbaik I", [("Terbaik I", 1)]),
    ("meraih peringkat ketiga terbaik", [("peringkat ketiga terbaik", 3)]),
    ("Juara I-III", [("Juara I", 1), ("Juara II", 2), ("Juara III", 3)]),
    ("juara 1 sampai 3", [("juara 1", 1), ("juara 2", 2), ("juara 3", 3)]),
    ("peringkat ke-2", [("peringkat ke-2", 2)]),
    ("Juara I, II, dan III", [("Juara I", 1), ("Juara II", 2), ("Juara III", 3)]),
    ("Juara Umum", [("Juara Umum", 0)]),
    ("meraih juara dua kali", []),
    ("terbaik di Indonesia", []),
])
def test_lists_ranks(text, ranks):
    assert ranks_in(text) == ranks


def test_lists_rank_at_none():
    assert rank_at("tanpa peringkat") == ("", 0)


def test_lists_span_anchor(lexicon):
    doc = doc_of("Penghargaan diraih Kota Madiun dan Kabupaten Ngawi.", lexicon)
    start = doc.text.index("Kabupaten Ngawi")
    assert [it.text for it in coordinated(doc, (start, start + len("Kabupaten Ngawi")), AREAS)] == [
        "Kota Madiun", "Kabupaten Ngawi"]


def test_lists_after_several_blocks_under_headings(lexicon):
    doc = doc_of("Berikut daftar lengkapnya:\n\nKategori Provinsi\nPeringkat pertama: Provinsi Jawa Timur\n"
                 "Peringkat kedua: Provinsi Bali\n\nKategori Kota\nPeringkat pertama: Kota Madiun\n"
                 "Peringkat kedua: Kota Kediri\n\nPara pemenang menerima piala.", lexicon)
    items = lists_after(doc, 0, AREAS)
    assert [(it.mention.text, it.rank, it.heading) for it in items] == [
        ("Provinsi Jawa Timur", "Peringkat pertama", "Kategori Provinsi"),
        ("Provinsi Bali", "Peringkat kedua", "Kategori Provinsi"),
        ("Kota Madiun", "Peringkat pertama", "Kategori Kota"), ("Kota Kediri", "Peringkat kedua", "Kategori Kota")]


def test_lists_after_nothing_when_prose_follows(lexicon):
    doc = doc_of("Kota Madiun meraih penghargaan.\n\nAcara itu dihadiri banyak pejabat dari berbagai daerah.", lexicon)
    assert lists_after(doc, 0, AREAS) == []


def test_lists_items_with_figures_between_them(lexicon):
    doc = doc_of("Penerimanya ialah Kota Madiun dengan kepesertaan 99,5 persen dan keaktifan 80,1 persen, "
                 "Kabupaten Ngawi 98,2 persen dan 81,0 persen, serta Kota Kediri 98,1 persen.", lexicon)
    assert names(coordinated(doc, anchor(doc, "Kota Madiun"), AREAS)) == ["Kota Madiun", "Kabupaten Ngawi",
                                                                          "Kota Kediri"]


def test_lists_items_with_their_group_between_them(lexicon):
    doc = doc_of("Penghargaan itu jatuh kepada Kabupaten Ngawi di kelompok kabupaten dan Kota Kediri di kelompok kota.",
                 lexicon)
    assert names(coordinated(doc, anchor(doc, "Kabupaten Ngawi"), AREAS)) == ["Kabupaten Ngawi", "Kota Kediri"]
