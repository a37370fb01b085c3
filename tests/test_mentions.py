import re

import pytest

from kg.mentions import find_mentions

from tests.helpers import make_article


def mentions(text, lexicon, label=None):
    doc = find_mentions(make_article(text), lexicon)
    return [m for m in doc.mentions if label is None or m.label == label]


@pytest.mark.parametrize("text, key, name", [
    ("Pemerintah Kota (Pemkot) Madiun meluncurkan aplikasi.", "localgov:3577", "Pemerintah Kota Madiun"),
    ("Pemkab Madiun menggelar rapat.", "localgov:3519", "Pemerintah Kabupaten Madiun"),
    ("Pemko Medan menambah armada.", "localgov:1271", "Pemerintah Kota Medan"),
    ("Pemprov Jatim menyalurkan bantuan.", "localgov:35", "Pemerintah Provinsi Jawa Timur"),
    ("Pemerintah Aceh menyiapkan anggaran.", "localgov:11", "Pemerintah Aceh"),
])
def test_mentions_local_governments(lexicon, text, key, name):
    (m,) = [m for m in mentions(text, lexicon, "Agency")]
    assert (m.key, m.name) == (key, name)


def test_mentions_local_government_aliases_include_the_short_form(lexicon):
    (m,) = mentions("Pemerintah Kabupaten (Pemkab) Klaten menerima tamu.", lexicon, "Agency")
    assert "Pemkab Klaten" in m.aliases and m.attr("governs") == "municipality:3310"


def test_mentions_coordinated_governments_give_two(lexicon):
    keys = {m.key for m in mentions("Pemkot dan Pemkab Madiun hadir bersama.", lexicon, "Agency")}
    assert keys == {"localgov:3577", "localgov:3519"}


@pytest.mark.parametrize("text, key", [
    ("Kota Madiun berbenah.", "municipality:3577"),
    ("Kabupaten Madiun berbenah.", "municipality:3519"),
    ("Warga Kota Administrasi Jakarta Selatan antre.", "municipality:3174"),
])
def test_mentions_kota_is_not_kabupaten(lexicon, text, key):
    (m,) = mentions(text, lexicon, "Municipality")
    assert m.key == key


def test_mentions_banjar_follows_the_kind(lexicon):
    assert mentions("Kota Banjar berbenah.", lexicon, "Municipality")[0].key == "municipality:3279"
    assert mentions("Kabupaten Banjar berbenah.", lexicon, "Municipality")[0].key == "municipality:6303"


@pytest.mark.parametrize("text, key", [
    ("Acara itu digelar di Jawa Barat.", "province:32"),
    ("Acara itu digelar di Sulsel.", "province:73"),
    ("Rombongan tiba di Jakarta.", "province:31"),
])
def test_mentions_provinces(lexicon, text, key):
    assert [m.key for m in mentions(text, lexicon, "Province")] == [key]


def test_mentions_bare_place_resolved_by_explicit_mention(lexicon):
    ms = mentions("Pemkot Madiun menggelar lomba. Warga Madiun antusias.", lexicon)
    bare = [m for m in ms if m.label == "Municipality" and m.source == "bare-place"]
    assert [m.key for m in bare] == ["municipality:3577"]


def test_mentions_place_inside_a_branch_name_is_not_a_place(lexicon):
    ms = mentions("Kepala BPJS Kesehatan Cabang Madiun hadir.", lexicon)
    assert not [m for m in ms if m.label == "Municipality"]
    assert any(m.key == "agency:bpjs-kesehatan/cabang/madiun" for m in ms)


@pytest.mark.parametrize("text, key", [
    ("Laporan diserahkan Badan Pemeriksa Keuangan (BPK) Perwakilan Provinsi Jawa Barat.", "agency:bpk/perwakilan/32"),
    ("Kepala Kantor Wilayah BPJS Ketenagakerjaan Jawa Timur hadir.", "agency:bpjs-ketenagakerjaan/kanwil/35"),
    ("Surat itu dikirim Kementerian Dalam Negeri kemarin.", "agency:kementerian-dalam-negeri"),
    ("Data dari Kemenkes menunjukkan kenaikan.", "agency:kementerian-kesehatan"),
])
def test_mentions_national_bodies_and_offices(lexicon, text, key):
    assert key in {m.key for m in mentions(text, lexicon, "Agency")}


def test_mentions_local_unit_with_its_government(lexicon):
    ms = mentions("Kepala Dinas Pendidikan (Disdik) Pemkot Madiun, Sri Lestari, berbicara.", lexicon, "Agency")
    unit = next(m for m in ms if m.key.startswith("agency:dinas-pendidikan"))
    assert unit.key == "agency:dinas-pendidikan@3577"
    assert unit.attr("parent") == "localgov:3577"
    assert "Disdik Pemkot Madiun" in unit.aliases


def test_mentions_short_unit_name_is_written_out(lexicon):
    (m,) = [m for m in mentions("Kadis itu memimpin Dinkes Kota Madiun sejak lama.", lexicon, "Agency")
            if m.key.startswith("agency:dinas")]
    assert m.name == "Dinas Kesehatan Kota Madiun"


@pytest.mark.parametrize("text, name, position, affiliation", [
    ("Wakil Wali Kota Madiun Budi Santoso membuka acara.", "Budi Santoso", "Wakil Wali Kota", "localgov:3577"),
    ("Hadir Bupati Madiun, H. Ahmad Dahlan, S.H., dalam acara itu.", "Ahmad Dahlan", "Bupati", "localgov:3519"),
    ("Penjabat (Pj) Wali Kota Madiun, Dewi Sartika, menyerahkan bantuan.", "Dewi Sartika", "Penjabat Wali Kota", "localgov:3577"),
    ("Kepala BPJS Kesehatan Cabang Madiun, dr. Rina Marlina, Sp.PD, menjelaskan.", "Rina Marlina", "Kepala", "agency:bpjs-kesehatan/cabang/madiun"),
    ("Gubernur Jawa Timur Siti Aminah berpidato.", "Siti Aminah", "Gubernur", "localgov:35"),
])
def test_mentions_persons_with_office(lexicon, text, name, position, affiliation):
    (p,) = [m for m in mentions(text, lexicon, "Person") if m.source == "office"]
    assert (p.name, p.attr("position"), p.attr("affiliation")) == (name, position, affiliation)


def test_mentions_office_words_before_the_body_belong_to_the_office(lexicon):
    (p,) = mentions("Kepala Seksi Pidana Umum Kejaksaan Negeri Madiun, Andi Wijaya, hadir.", lexicon, "Person")
    assert p.attr("position") == "Kepala Seksi Pidana Umum"


def test_mentions_minister_keeps_the_portfolio(lexicon):
    (p,) = mentions("Menteri Kesehatan Ahmad Sulaiman meninjau rumah sakit.", lexicon, "Person")
    assert (p.name, p.attr("position")) == ("Ahmad Sulaiman", "Menteri Kesehatan")


def test_mentions_minister_short_name_is_written_out(lexicon):
    (p,) = mentions("Menko PMK Rudi Hartono memberi sambutan.", lexicon, "Person")
    assert p.attr("position") == "Menteri Koordinator Bidang Pembangunan Manusia dan Kebudayaan"


def test_mentions_building_named_after_an_office_is_not_a_person(lexicon):
    assert not mentions("Rapat digelar di Kantor Wali Kota Madiun, Jalan Pahlawan.", lexicon, "Person")


def test_mentions_resident_with_age(lexicon):
    (p,) = mentions("Sumarni (62), pedagang sayur, mengaku senang.", lexicon, "Person")
    assert p.name == "Sumarni" and not p.attr("position")


def test_mentions_short_name_refers_to_the_full_name(lexicon):
    ms = mentions("Bupati Madiun Hari Wibowo hadir. \"Kami siap,\" ujar Hari.", lexicon, "Person")
    assert {m.key for m in ms} == {"person:hari-wibowo"}


def test_mentions_nickname_the_text_introduces(lexicon):
    ms = mentions("Wali Kota Madiun Abdul Rahman hadir. \"Siap,\" kata Mas Abu, sapaan akrabnya.", lexicon, "Person")
    assert "Abu" in {a for m in ms for a in m.aliases}


@pytest.mark.parametrize("text, name, grade", [
    ("Pemkot Madiun meraih Universal Health Coverage (UHC) Awards 2025 kategori Utama.", "Universal Health Coverage Awards 2025", "Utama"),
    ("Kota Madiun meraih Piala Adipura 2024.", "Piala Adipura 2024", ""),
    ("Pemkab Madiun meraih predikat Zona Hijau dengan kualitas tertinggi.", "Predikat Zona Hijau", "Kualitas Tertinggi"),
    ("Kabupaten Madiun meraih opini Wajar Tanpa Pengecualian (WTP).", "opini Wajar Tanpa Pengecualian", ""),
])
def test_mentions_award_names(lexicon, text, name, grade):
    (a,) = mentions(text, lexicon, "Award")
    assert a.name == name and a.attr("grade") == grade


def test_mentions_uhc_status_is_not_an_award(lexicon):
    assert not mentions("Kota Madiun berstatus UHC Prioritas.", lexicon, "Award")


def test_mentions_agreement_name_uses_the_short_form(lexicon):
    (a,) = mentions("Penandatanganan Memorandum of Understanding (MoU) Jaminan Sosial antara Pemkot Madiun dan BPJS Kesehatan.",
                    lexicon, "Agreement")
    assert a.name == "MoU Jaminan Sosial"
    assert "Memorandum of Understanding Jaminan Sosial" in a.aliases


def test_mentions_doc_keeps_its_caches_in_its_fields(lexicon):
    """What a recogniser reads once per article (word starts, speech words, ...) is a field of Doc, so a cache
    slipped into the instance dict shows here."""
    from dataclasses import fields
    doc = find_mentions(make_article(
        "Wali Kota Madiun Maidi Santoso meresmikan gedung baru. \"Gedung ini untuk warga,\" kata Maidi. Dinas Sosial "
        "(Dinsos) Kota Madiun dan Kabupaten Lombok Timur (Lotim) hadir. Maidi menambahkan, Lotim ikut."), lexicon)
    assert set(vars(doc)) == {f.name for f in fields(doc)}
    assert "Maidi" in doc._word_starts and doc._article_places is not None


@pytest.mark.parametrize("word, found", [
    ("Budi", ["Budi", "Budi", "Budi"]),   # not "S.Budi" (after a dot) nor "Budiman" (a longer word)
    ("Santoso", []),                      # after a dot: part of a written-together name, not a word of its own
    ("Budiman", ["Budiman"]),
])
def test_mentions_doc_word_starts_whole_words_only(lexicon, word, found):
    doc = find_mentions(make_article("Budi dan Budi.Santoso serta S.Budi bertemu Budi dan Budiman."), lexicon)
    assert [doc.masked[p:p + len(word)] for p in doc.word_starts(word)] == found
    assert doc.word_starts(word) == [m.start() for m in re.finditer(r"(?<![\w.])\w+", doc.masked) if m.group() == word]


@pytest.mark.parametrize("text, part", [
    ("Kata Jaya Negara, lalu Jaya Negarawan dan Jaya Negara_1 serta Jaya Negaraé; Jaya Negara.", "Jaya Negara"),
    ("Parosil hadir. Parosil, Parosil2 dan X.Parosil; Parosil", "Parosil"),
    ("Sutarno Sutarno Sutarno", "Sutarno Sutarno"),   # matches do not overlap
])
def test_mentions_short_name_occurrences_are_the_regex_matches(lexicon, text, part):
    """The short mentions of a person are found from the word index, as the regex over the whole text finds them."""
    from kg.mentions.persons import _occurrences
    doc = find_mentions(make_article(text), lexicon)
    expected = [m.span() for m in re.finditer(rf"(?<![\w.]){re.escape(part)}(?![\w])", doc.masked)]
    assert expected and _occurrences(doc, part) == expected


@pytest.mark.parametrize("text, kinds", [
    ("Fraksi PKS menolak usulan itu, begitu pula kader PKS dan DPW PKS.", []),   # the party, not an agreement
    ("Kedua pihak meneken PKS tentang layanan JKN.", ["pks"]),
    ("Pemkab Ngawi menandatangani kerja sama dengan BPJS Kesehatan.", ["cooperation"]),
    ("Penandatanganan kerjasama itu digelar Senin.", ["cooperation"]),
    ("Kerja sama itu berjalan baik.", []),   # named no document and signed by no one here
])
def test_mentions_agreement_words_checked_after_the_word(lexicon, text, kinds):
    """agreements.tsv rows that look behind their word (the party "PKS", "menandatangani kerja sama")."""
    assert [m.attr("kind") for m in mentions(text, lexicon, "Agreement")] == kinds


@pytest.mark.parametrize("text, label, written", [
    ("Pemda DIY menyiapkan anggaran.", "Agency", ["Pemda DIY"]),
    ("Pemerintah Daerah Kabupaten Sleman menyiapkan anggaran.", "Agency", ["Pemerintah Daerah Kabupaten Sleman"]),
    ("Pemerintah Aceh menyiapkan anggaran.", "Agency", ["Pemerintah Aceh"]),
    ("Warga Kabupaten Sleman dan Kab. Bantul hadir.", "Municipality", ["Kabupaten Sleman", "Kab. Bantul"]),
    ("Kementerian Kesehatan dan Dewan Pengawas BPJS Kesehatan hadir.", "Agency",
     ["Kementerian Kesehatan", "Dewan Pengawas BPJS Kesehatan"]),
])
def test_mentions_names_found_where_they_start_a_word(lexicon, text, label, written):
    """Patterns that check the word boundary after a name's first letter find what they found before."""
    assert [m.text for m in mentions(text, lexicon, label)] == written


@pytest.mark.parametrize("text, label", [
    ("SuperPemda DIY menyiapkan anggaran.", "Agency"),
    ("ProPemerintah Aceh menyiapkan anggaran.", "Agency"),
    ("WargaKabupaten Sleman hadir.", "Municipality"),
    ("SubKementerian Kesehatan hadir.", "Agency"),
])
def test_mentions_names_not_found_inside_a_word(lexicon, text, label):
    assert [m.text for m in mentions(text, lexicon, label) if m.start < 14] == []
