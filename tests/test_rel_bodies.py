"""Bodies, persons and offices on invented sentences: one behaviour per test (issue 9, items 4, 5, 7, 9)."""
from __future__ import annotations

import pytest

from kg.facts import extract_facts
from kg.mentions import find_mentions

from tests.helpers import make_article


def doc_of(text, lexicon):
    return find_mentions(make_article(text), lexicon)


def facts_of(text, lexicon):
    out = extract_facts(doc_of(text, lexicon))
    return out, {(f.subject, f.predicate, f.object) for f in out.facts}


def labelled(text, lexicon, label):
    return [m for m in doc_of(text, lexicon).mentions if m.label == label]


def person(out, name):
    return next(e for e in out.entities.values() if e.type == "Person" and e.name == name)


# ------------------------------------------------------------------ regional abbreviations (place_aliases.tsv)

@pytest.mark.parametrize("text, code", [
    ("Bupati Kukar Budi Santoso meninjau pasar.", "6402"),
    ("Wakil Bupati Lotim Sari Dewi membuka acara.", "5203"),
    ("Bupati Sidrap Andi Rahman hadir.", "7314"),
])
def test_bodies_regional_abbreviation_is_the_place_not_a_name(lexicon, text, code):
    (p,) = labelled(text, lexicon, "Person")
    assert p.name in ("Budi Santoso", "Sari Dewi", "Andi Rahman")
    assert p.attr("affiliation") == f"localgov:{code}"


def test_bodies_abbreviation_alone_is_the_municipality(lexicon):
    keys = {m.key for m in labelled("Warga Kutim antre di kantor desa.", lexicon, "Municipality")}
    assert keys == {"municipality:6408"}


# ------------------------------------------------------------------ coordinated bodies

def test_bodies_coordinated_units_are_split(lexicon):
    text = "Rapat dihadiri Dinas Sosial, Dinas Kesehatan, serta BPKAD Kota Madiun."
    names = [m.name for m in labelled(text, lexicon, "Agency") if not m.attr("government")]
    assert names[:2] == ["Dinas Sosial", "Dinas Kesehatan"]
    assert any(n.startswith("Badan Pengelolaan Keuangan dan Aset Daerah") for n in names)


def test_bodies_list_inside_a_name_still_reads_whole(lexicon):
    (m,) = [m for m in labelled("Dinas Pendidikan, Kepemudaan, dan Olahraga menggelar lomba.", lexicon, "Agency")]
    assert m.name == "Dinas Pendidikan, Kepemudaan, dan Olahraga"


def test_bodies_last_list_item_followed_by_sebagai_is_a_person(lexicon):
    text = ("Gubernur melantik Rina Wati sebagai Kepala Dinas Sosial, Budi Hartono sebagai Kepala Dinas "
            "Ketenagakerjaan, dan Sari Dewi sebagai Kepala Biro Umum.")
    out, facts = facts_of(text, lexicon)
    aff = {e.name: f.object for f in out.facts if f.predicate == "affiliation"
           for e in [out.entities[f.subject]]}
    assert aff["Rina Wati"].startswith("agency:dinas-sosial")
    assert aff["Budi Hartono"].startswith("agency:dinas-ketenagakerjaan")
    assert aff["Sari Dewi"].startswith("agency:biro-umum")


# ------------------------------------------------------------------ national bodies' regional offices and branches

@pytest.mark.parametrize("text, key", [
    ("Kepala Kanwil BPJS Ketenagakerjaan Jateng-DIY, Rina Wati, hadir.", "agency:bpjs-ketenagakerjaan/kanwil/33+34"),
    ("Piagam diberikan BPJS Ketenagakerjaan Kantor Wilayah Jawa Tengah dan DIY.",
     "agency:bpjs-ketenagakerjaan/kanwil/33+34"),
    ("Kepala Kantor Wilayah Sumbagsel BPJS Ketenagakerjaan Budi Hartono hadir.",
     "agency:bpjs-ketenagakerjaan/kanwil/sumbagsel"),
])
def test_bodies_regional_office_with_its_regions(lexicon, text, key):
    (m,) = [m for m in labelled(text, lexicon, "Agency") if m.attr("parent")]
    assert m.key == key and m.attr("parent") == "agency:bpjs-ketenagakerjaan"


@pytest.mark.parametrize("text, body, name", [
    ("Kepala BPJS Kesehatan Sumsel Andi Pratama menyerahkan piagam.", "BPJS Kesehatan Sumsel", "Andi Pratama"),
    ("Kepala BPJS Ketenagakerjaan Pesisir Selatan, Rina Wati, mengatakan klaim naik.",
     "BPJS Ketenagakerjaan Pesisir Selatan", "Rina Wati"),
    ("Kepala Kantor BPJS Ketenagakerjaan Sulawesi Tenggara, Budi Hartono, hadir.",
     "Kantor BPJS Ketenagakerjaan Sulawesi Tenggara", "Budi Hartono"),
])
def test_bodies_branch_named_by_a_place_after_an_office(lexicon, text, body, name):
    out, facts = facts_of(text, lexicon)
    branch = next(e for e in out.entities.values() if e.type == "Agency" and e.name == body)
    p = person(out, name)
    assert (p.key, "affiliation", branch.key) in facts
    assert any(s == branch.key and pr == "subOrganizationOf" for s, pr, _ in facts)
    assert not any(e.type == "Person" and e.name.startswith(("Sumsel", "Pesisir", "Sulawesi"))
                   for e in out.entities.values())


def test_bodies_branch_needs_a_cue(lexicon):
    """A figure about a kabupaten after a national body is about the kabupaten, not a branch."""
    ms = doc_of("Kepesertaan BPJS Kesehatan Kabupaten Bogor mencapai 98 persen.", lexicon).mentions
    assert {m.label for m in ms} >= {"Agency", "Municipality"}
    assert not any(m.attr("parent") == "agency:bpjs-kesehatan" for m in ms)


# ------------------------------------------------------------------ DPRD (ANNOTATION.md: its own body)

def test_bodies_dprd_is_not_part_of_the_government(lexicon):
    text = "Pemkot Madiun dan DPRD Kota Madiun membahas anggaran. Ketua DPRD Kota Madiun Budi Hartono hadir."
    out, facts = facts_of(text, lexicon)
    dprd = next(e for e in out.entities.values() if e.name == "DPRD Kota Madiun")
    assert not any(s == dprd.key and p == "subOrganizationOf" for s, p, _ in facts)
    assert (person(out, "Budi Hartono").key, "affiliation", dprd.key) in facts


def test_bodies_bare_dprd_is_the_one_named_before(lexicon):
    ms = labelled("Rapat paripurna DPRD Provinsi Bengkulu dibuka. Sidang DPRD itu berlangsung lama.",
                  lexicon, "Agency")
    assert len({m.key for m in ms}) == 1 and len(ms) == 2


def test_bodies_dprd_without_a_name_is_no_body(lexicon):
    assert labelled("Kebijakan itu dibahas bersama DPRD.", lexicon, "Agency") == []


def test_bodies_committee_is_part_of_the_office(lexicon):
    out, facts = facts_of("Wakil Ketua Komisi I DPRD Kutim Budi Hartono meminta data.", lexicon)
    p = person(out, "Budi Hartono")
    assert (p.key, "position", "Wakil Ketua Komisi I") in facts
    assert not any(e.name.startswith("Komisi") for e in out.entities.values())


# ------------------------------------------------------------------ police, prosecutors: bodies named by a place

def test_bodies_police_rank_is_not_part_of_a_name(lexicon):
    out, facts = facts_of("Kapolda Sumatera Utara (Sumut) Irjen Pol Budi Hartono hadir. Jajaran Polda Sumut siaga.",
                          lexicon)
    p = person(out, "Budi Hartono")
    polda = [e for e in out.entities.values() if e.type == "Agency"]
    assert len(polda) == 1 and (p.key, "affiliation", polda[0].key) in facts


def test_bodies_police_unit_named_by_its_own_words_up_to_the_rank(lexicon):
    out, facts = facts_of("Kapolres Pelabuhan Tanjung Sari AKBP Budi Hartono memimpin apel.", lexicon)
    p = person(out, "Budi Hartono")
    (body,) = [e for e in out.entities.values() if e.type == "Agency"]
    assert body.name == "Polres Pelabuhan Tanjung Sari" and (p.key, "affiliation", body.key) in facts


def test_bodies_place_body_is_one_node_however_the_place_is_written(lexicon):
    ms = labelled("Kejaksaan Tinggi Kepulauan Bangka Belitung menggelar rapat. Kejati Babel menyiapkan jaksa.",
                  lexicon, "Agency")
    assert len({m.key for m in ms}) == 1


# ------------------------------------------------------------------ secretariat bureaus, whole-word units

def test_bodies_bureau_written_before_its_secretariat(lexicon):
    out, facts = facts_of("Rina Wati kini Kepala Biro Umum Sekretariat Daerah Provinsi Gorontalo.", lexicon)
    biro = next(e for e in out.entities.values() if e.name.startswith("Biro Umum"))
    setda = next(e for e in out.entities.values() if e.name.startswith("Sekretariat Daerah"))
    assert (biro.key, "subOrganizationOf", setda.key) in facts
    assert (person(out, "Rina Wati").key, "affiliation", biro.key) in facts


def test_bodies_inspektorat_alone_is_a_unit_of_the_government(lexicon):
    out, facts = facts_of("Pemprov Gorontalo memeriksa laporan. Inspektorat menurunkan tim.", lexicon)
    insp = next(e for e in out.entities.values() if e.name == "Inspektorat")
    assert (insp.key, "subOrganizationOf", "localgov:75") in facts


# ------------------------------------------------------------------ name boundaries

def test_bodies_title_ends_a_named_body(lexicon):
    out, facts = facts_of("Rektor Universitas Alam Jaya Dr. Budi Hartono meneken naskah.", lexicon)
    assert any(e.name == "Universitas Alam Jaya" for e in out.entities.values())
    assert (person(out, "Budi Hartono").key, "position", "Rektor") in facts


def test_bodies_hospital_named_after_a_person_keeps_the_title(lexicon):
    (m,) = labelled("Direktur RSUD dr. H. Sutomo Jaya, dr. Rina Wati, hadir.", lexicon, "Agency")
    assert m.name == "Rumah Sakit Umum Daerah dr. H. Sutomo Jaya"


def test_bodies_body_name_stops_at_a_line_break(lexicon):
    (m,) = labelled("Universitas Alam Jaya Buka Prodi Baru\n\nKampus itu berbenah.", lexicon, "Agency")
    assert m.name == "Universitas Alam Jaya Buka Prodi Baru"


# ------------------------------------------------------------------ offices: links, divisions

@pytest.mark.parametrize("text, name, position", [
    ("Sari Dewi dilantik sebagai Penjabat (Pj) Bupati Kulon Progo.", "Sari Dewi", "Penjabat Bupati"),
    ("Gubernur menunjuk Budi. Adapun Rina Wati menjadi Pj Bupati Kulon Progo.", "Rina Wati", "Penjabat Bupati"),
    ("Sumarno dilantik sebagai Penjabat Wali Kota Yogyakarta.", "Sumarno", "Penjabat Wali Kota"),
])
def test_offices_person_before_a_link_word(lexicon, text, name, position):
    out, facts = facts_of(text, lexicon)
    assert (person(out, name).key, "position", position) in facts


def test_offices_pronoun_before_a_link_word_is_no_person(lexicon):
    assert labelled("Keduanya dilantik sebagai Penjabat Bupati Kulon Progo.", lexicon, "Person") == []


def test_offices_kini_line_gives_the_current_office_to_its_subject(lexicon):
    text = "Gubernur melantik pejabat:\n- Rina Wati, sebelumnya Kepala Dinas Sosial, kini Kepala Dinas Kesehatan.\n"
    out, facts = facts_of(text, lexicon)
    p = person(out, "Rina Wati")
    aff = [o for s, pr, o in facts if s == p.key and pr == "affiliation"]
    assert len(aff) == 1 and aff[0].startswith("agency:dinas-kesehatan")


@pytest.mark.parametrize("text, position", [
    ("Staf Ahli Gubernur Bidang Hukum, Politik, dan Pemerintahan, Budi Hartono, hadir.",
     "Staf Ahli Gubernur Bidang Hukum, Politik, dan Pemerintahan"),
    ("Asisten III Bidang Administrasi Umum Setda Provinsi Gorontalo, Budi Hartono, hadir.",
     "Asisten III Bidang Administrasi Umum"),
    ("Kepala Bagian Organisasi Setda Kota Madiun, Budi Hartono, hadir.", "Kepala Bagian Organisasi"),
])
def test_offices_division_goes_on_the_office(lexicon, text, position):
    out, facts = facts_of(text, lexicon)
    assert (person(out, "Budi Hartono").key, "position", position) in facts
    assert not any(e.type == "Person" and e.name.startswith("Bidang") for e in out.entities.values())


# ------------------------------------------------------------------ former offices, pairs (persons without an office)

@pytest.mark.parametrize("text, name", [
    ("Piagam itu diserahkan kepada Bupati Lotim saat itu, Budi Hartono, di Mataram.", "Budi Hartono"),
    ("Penghargaan kala itu diterima Rina Wati, yang saat itu menjabat Pjs Gubernur Sulteng.", "Rina Wati"),
    ("Acara dihadiri mantan Bupati Kulon Progo Budi Hartono.", "Budi Hartono"),
])
def test_offices_former_office_names_the_person_without_it(lexicon, text, name):
    out, facts = facts_of(text, lexicon)
    p = person(out, name)
    assert not any(s == p.key and pr in ("position", "affiliation") for s, pr, _ in facts)


@pytest.mark.parametrize("text, names", [
    ("Di Kota Tirta, pasangan Budi Hartono dan Rina Wati menuntaskan periode 2019-2024.", {"Budi Hartono", "Rina Wati"}),
    ("Pasangan Budi Hartono–Sari Dewi memperoleh 10.500 suara.", {"Budi Hartono", "Sari Dewi"}),
])
def test_persons_named_as_a_pair(lexicon, text, names):
    assert {m.name for m in labelled(text, lexicon, "Person")} == names


# ------------------------------------------------------------------ branches: lists (kg/relations/lists.py) and names

def test_bodies_listed_branches_are_one_body_each(lexicon):
    text = "Hadir para kepala kantor cabang BPJS Ketenagakerjaan wilayah Sukamaju, Batujaya, dan Tirtamulya."
    out, facts = facts_of(text, lexicon)
    branches = {e.name for e in out.entities.values() if e.type == "Agency" and "Cabang" in e.name}
    assert branches == {f"BPJS Ketenagakerjaan Cabang {p}" for p in ("Sukamaju", "Batujaya", "Tirtamulya")}
    assert sum(p == "subOrganizationOf" for _, p, _ in facts) == 3


def test_bodies_branch_followed_by_a_name_is_no_list(lexicon):
    out, facts = facts_of("Kepala BPJS Kesehatan Cabang Kediri, Budi Santoso, dan stafnya hadir.", lexicon)
    assert {e.name for e in out.entities.values() if e.type == "Agency"} >= {"BPJS Kesehatan Cabang Kediri"}
    assert person(out, "Budi Santoso")


@pytest.mark.parametrize("text, body, name", [
    ("Kepala BPJS Ketenagakerjaan Cabang Semarang Pandanaran, Rina Wati, menilai.",
     "BPJS Ketenagakerjaan Cabang Semarang Pandanaran", "Rina Wati"),
    ("Hadir pula Kepala BPJS Kesehatan Cabang Dumai Budi Hartono.", "BPJS Kesehatan Cabang Dumai", "Budi Hartono"),
])
def test_bodies_branch_words_after_its_place(lexicon, text, body, name):
    out, facts = facts_of(text, lexicon)
    b = next(e for e in out.entities.values() if e.type == "Agency" and e.name == body)
    assert (person(out, name).key, "affiliation", b.key) in facts


# ------------------------------------------------------------------ bodies outside the national lexicon

@pytest.mark.parametrize("text, name", [
    ("Siswa SD Negeri 64 Palembang mengikuti lomba.", "SD Negeri 64 Palembang"),
    ("Siswa SMAN 1 Kendari mengikuti lomba.", "SMA Negeri 1 Kendari"),
    ("Warga binaan Lapas Kelas IIA Kendari menerima kartu JKN.", "Lembaga Pemasyarakatan Kelas IIA Kendari"),
    ("Bank Sulselbar menyalurkan kredit.", "Bank Sulselbar"),
    ("Piagam diterima Pemerintah Desa Sukamaju, Kabupaten Semarang.", "Pemerintah Desa Sukamaju"),
    ("Ketua TP PKK Kota Madiun Rina Wati hadir.", "Tim Penggerak PKK Kota Madiun"),
    ("Direksi Perumdam Tirta Jaya menambah sambungan.", "Perumdam Tirta Jaya"),
    ("Ikatan Bidan Indonesia mendukung program itu.", "Ikatan Bidan Indonesia"),
])
def test_bodies_named_by_a_head_word(lexicon, text, name):
    assert name in {m.name for m in labelled(text, lexicon, "Agency")}


def test_bodies_representative_office_written_first(lexicon):
    out, facts = facts_of("Plt Kepala Perwakilan Ombudsman RI Provinsi Jawa Timur, Budi Hartono, hadir. "
                          "Ombudsman RI Perwakilan Jawa Timur menilai 38 daerah.", lexicon)
    (branch,) = [e for e in out.entities.values() if e.type == "Agency" and "Perwakilan" in e.name]
    assert (person(out, "Budi Hartono").key, "affiliation", branch.key) in facts
    assert (person(out, "Budi Hartono").key, "position", "Pelaksana Tugas Kepala") in facts


def test_bodies_short_unit_is_the_one_named_in_full(lexicon):
    ms = labelled("Kepala Badan Kepegawaian Daerah (BKD) Pemprov Sumut hadir. Data BKD mencatat 120 pejabat.",
                  lexicon, "Agency")
    assert len({m.key for m in ms if m.attr("unit")}) == 1


def test_bodies_abbreviation_inside_a_decree_number_is_no_body(lexicon):
    assert labelled("Surat Keputusan Nomor 800.1/JPT/BKD/SK/28/2026 dibacakan.", lexicon, "Agency") == []


@pytest.mark.parametrize("text, position, body", [
    ("Kasi Pidsus Kejari Madiun Budi Hartono menjelaskan.", "Kepala Seksi Pidana Khusus", "Kejaksaan Negeri Madiun"),
    ("Kalapas Kendari Budi Hartono menjelaskan.", "Kepala", "Lembaga Pemasyarakatan Kendari"),
])
def test_offices_abbreviated_office_with_its_body(lexicon, text, position, body):
    out, facts = facts_of(text, lexicon)
    b = next(e for e in out.entities.values() if e.type == "Agency" and e.name == body)
    p = person(out, "Budi Hartono")
    assert {(p.key, "position", position), (p.key, "affiliation", b.key)} <= facts


@pytest.mark.parametrize("text, position, gov", [
    ("Wawako Madiun Budi Hartono membuka acara.", "Wakil Wali Kota", "localgov:3577"),
    ("Sekkot Madiun Budi Hartono membuka acara.", "Sekretaris Daerah", "localgov:3577"),
])
def test_offices_abbreviated_regional_office(lexicon, text, position, gov):
    out, facts = facts_of(text, lexicon)
    p = person(out, "Budi Hartono")
    assert {(p.key, "position", position), (p.key, "affiliation", gov)} <= facts


def test_offices_country_after_president_is_no_name(lexicon):
    (p,) = labelled("Presiden Republik Indonesia Budi Hartono meresmikan gedung.", lexicon, "Person")
    assert p.name == "Budi Hartono"


def test_offices_two_offices_do_not_share_a_body(lexicon):
    out, facts = facts_of("Kepala BKD Kota Madiun Rina Wati dan Kasi Pidsus Kejari Madiun Budi Hartono hadir.",
                          lexicon)
    aff = {out.entities[s].name: o for s, p, o in facts if p == "affiliation"}
    assert aff["Rina Wati"].startswith("agency:badan-kepegawaian-daerah")


def test_offices_division_after_the_place_is_no_name(lexicon):
    assert labelled("Sebelumnya ia Asisten Sekda DIY Bidang Perekonomian dan Pembangunan.", lexicon, "Person") == []


def test_offices_link_after_a_comma_clause_goes_to_the_line_subject(lexicon):
    text = "Pejabat baru:\n- Rina Wati, yang semula memimpin Inspektorat, dipercaya menjadi Kepala Dinas Sosial.\n"
    out, facts = facts_of(text, lexicon)
    assert (person(out, "Rina Wati").key, "position", "Kepala") in facts


def test_offices_body_named_before_by_its_head(lexicon):
    text = ("PKS diteken dengan Kantor Wilayah BPJS Ketenagakerjaan Bali, Nusa Tenggara, dan Papua. "
            "Kepala Kantor Wilayah, Budi Hartono, hadir.")
    out, facts = facts_of(text, lexicon)
    kanwil = next(e for e in out.entities.values() if e.name.startswith("Kantor Wilayah"))
    assert (person(out, "Budi Hartono").key, "affiliation", kanwil.key) in facts


def test_persons_initials_inside_a_name_are_kept(lexicon):
    (p,) = labelled("Kepala Dinas Sosial Kota Madiun, Rahmat M.T. Ali, hadir.", lexicon, "Person")
    assert p.name == "Rahmat M.T. Ali"


def test_offices_roman_numeral_before_a_name_is_a_name_element(lexicon):
    (p,) = labelled("Wakil Bupati I Gusti Ngurah Rai Putra hadir.", lexicon, "Person")
    assert p.name == "I Gusti Ngurah Rai Putra"


@pytest.mark.parametrize("text, name, position", [
    ("Hal itu disampaikan Budi Hartono, Kepala Dinas Kesehatan Kota Madiun, Senin (5/1).", "Budi Hartono", "Kepala"),
    ("\"Kami siap,\" kata Rina Wati, Sekretaris Daerah Kota Madiun.", "Rina Wati", "Sekretaris Daerah"),
])
def test_offices_person_then_office_in_apposition(lexicon, text, name, position):
    out, facts = facts_of(text, lexicon)
    assert (person(out, name).key, "position", position) in facts


def test_offices_apposition_needs_the_office_closed(lexicon):
    """"Menurut Budi, Kepala Dinas ... sudah bekerja": the office is the subject of what follows."""
    out, facts = facts_of("Menurut Budi Hartono, Kepala Dinas Kesehatan Kota Madiun sudah bekerja.", lexicon)
    assert not any(p == "position" for _, p, _ in facts)


def test_bodies_named_body_after_an_office_ends_at_its_place(lexicon):
    out, facts = facts_of("Rektor Universitas Alam Jaya Makassar Budi Hartono meneken naskah.", lexicon)
    body = next(e for e in out.entities.values() if e.type == "Agency")
    assert body.name == "Universitas Alam Jaya Makassar"
    assert (person(out, "Budi Hartono").key, "affiliation", body.key) in facts


def test_persons_part_and_full_name_are_one_node(lexicon):
    text = ("Wakil Bupati Lotim Riefky Harsya membuka acara. Hadir pula Teuku Riefky Harsya, kata panitia. "
            "Teuku Riefky Harsya menyampaikan terima kasih.")
    keys = {m.key for m in labelled(text, lexicon, "Person")}
    assert keys == {"person:teuku-riefky-harsya"}


def test_persons_part_of_two_names_stays_apart(lexicon):
    text = ("Bupati Lotim Budi Hartono hadir. Camat Budi Hartono Saputra dan Budi Hartono Wijaya juga hadir, "
            "kata Budi Hartono Wijaya.")
    keys = {m.key for m in labelled(text, lexicon, "Person")}
    assert "person:budi-hartono" in keys


@pytest.mark.parametrize("text, name", [
    ("Kepala Puskesmas Sukamaju Sulsel Budi Hartono hadir.", None),
    ("Wali Kota Bogor Bima Arya hadir.", "Bima Arya"),
])
def test_persons_region_before_a_name_is_not_part_of_it(lexicon, text, name):
    names = {m.name for m in labelled(text, lexicon, "Person")}
    assert not any(n.startswith(("Sulsel", "Sukamaju")) for n in names)
    if name:
        assert name in names


@pytest.mark.parametrize("text, name, position", [
    ("Camat Sukamaju, Budi Hartono, hadir.", "Budi Hartono", "Camat"),
    ("Warga Kecamatan Sukamaju antre. Camat Sukamaju Budi Hartono hadir.", "Budi Hartono", "Camat"),
    ("Kepala Desa Sukamaju Rina Wati hadir di Desa Sukamaju.", "Rina Wati", "Kepala Desa"),
    ("Camat Budi Hartono hadir.", "Budi Hartono", "Camat"),
])
def test_offices_area_name_after_a_local_office_is_not_the_holder(lexicon, text, name, position):
    (p,) = labelled(text, lexicon, "Person")
    assert (p.name, p.attr("position")) == (name, position)


def test_places_short_name_the_article_defines(lexicon):
    text = ("Pemerintah Kabupaten Aceh Tamiang (Atam) meraih penghargaan. Bupati Atam Budi Hartono menerima "
            "piala. Warga Atam bangga.")
    out, facts = facts_of(text, lexicon)
    assert (person(out, "Budi Hartono").key, "affiliation", "localgov:1116") in facts
    assert "Atam" in out.entities["municipality:1116"].aliases


def test_offices_former_office_still_names_its_place(lexicon):
    out, _ = facts_of("Piagam diserahkan kepada Bupati Lotim saat itu, Budi Hartono.", lexicon)
    assert "municipality:5203" in out.entities


@pytest.mark.parametrize("text, body", [
    ("Kepala Kantor Cabang BPJS Kesehatan Kediri, Rina Wati, hadir.", "agency:bpjs-kesehatan/cabang/kediri"),
    ("Kepala Cabang BPJS Kesehatan Kediri Rina Wati hadir.", "agency:bpjs-kesehatan/cabang/kediri"),
    ("Plt Kadis Sosial Kota Madiun, Rina Wati, hadir.", "agency:dinas-sosial@3577"),
])
def test_offices_branch_or_unit_written_around_the_office(lexicon, text, body):
    (p,) = labelled(text, lexicon, "Person")
    assert (p.name, p.attr("affiliation")) == ("Rina Wati", body)


def test_offices_bare_head_after_an_abbreviated_office_is_no_body(lexicon):
    assert labelled("Kadis Kota Madiun Rina Wati hadir.", lexicon, "Agency") == []


@pytest.mark.parametrize("text, key", [
    ("Pemda DIY menyiapkan anggaran.", "localgov:34"),
    ("Pemerintah Daerah Kabupaten Sleman menyiapkan anggaran.", "localgov:3404"),
])
def test_places_pemda_is_the_local_government(lexicon, text, key):
    (m,) = labelled(text, lexicon, "Agency")
    assert m.key == key and m.attr("government")


def test_bodies_ministry_office_in_a_region(lexicon):
    out, facts = facts_of("Kepala Kantor Kemenag Kota Madiun Budi Hartono hadir.", lexicon)
    office = next(e for e in out.entities.values() if e.name == "Kantor Kementerian Agama Kota Madiun")
    assert (office.key, "subOrganizationOf", "agency:kementerian-agama") in facts
    assert (person(out, "Budi Hartono").key, "affiliation", office.key) in facts


def test_offices_lettered_committee_is_part_of_the_office(lexicon):
    (p,) = labelled("Ketua Komisi D DPRD Kota Madiun Budi Hartono hadir.", lexicon, "Person")
    assert p.attr("position") == "Ketua Komisi D"


def test_offices_government_named_only_through_another_office(lexicon):
    out, facts = facts_of("Bupati Mimika Budi Hartono dan Wakil Bupati Rina Wati hadir.", lexicon)
    assert (person(out, "Rina Wati").key, "affiliation", "localgov:9404") in facts


def test_offices_kini_memimpin_makes_the_subject_its_head(lexicon):
    text = "Pejabat baru:\n- Rina Wati, yang sebelumnya staf ahli, kini memimpin Dinas Sosial Kota Madiun.\n"
    out, facts = facts_of(text, lexicon)
    p = person(out, "Rina Wati")
    assert (p.key, "position", "Kepala") in facts
    assert (p.key, "affiliation", "agency:dinas-sosial@3577") in facts


def test_offices_former_lead_is_no_office(lexicon):
    out, facts = facts_of("- Rina Wati, yang semula memimpin Inspektorat, hadir.\n", lexicon)
    assert not any(p == "position" for _, p, _ in facts)


@pytest.mark.parametrize("text, key", [
    ("Badan Pemeriksa Keuangan (BPK) RI Perwakilan Provinsi Jambi menyerahkan laporan hasil pemeriksaan.",
     "agency:bpk/perwakilan/15"),
    ("Badan Pemeriksa Keuangan Republik Indonesia Perwakilan Jambi menyerahkan laporan hasil pemeriksaan.",
     "agency:bpk/perwakilan/15"),
    ("BPJS Kesehatan (BPJS) Cabang Muara Bungo membuka loket baru.", "agency:bpjs-kesehatan/cabang/muara-bungo"),
])
def test_bodies_branch_after_an_abbreviation_and_the_country(lexicon, text, key):
    # "Badan Pemeriksa Keuangan (BPK) RI Perwakilan ...": the branch, not the national body
    agencies = labelled(text, lexicon, "Agency")
    assert [a.key for a in agencies] == [key]


@pytest.mark.parametrize("text, name, position", [
    ("Naskah itu diteken Penjabat Sementara (Pjs) Bupati Madiun, Agus Priyanto.", "Agus Priyanto",
     "Pejabat Sementara Bupati"),
    ("Hadir pula Pemimpin Bank Jatim, Hendra Wicaksono.", "Hendra Wicaksono", "Pemimpin"),
])
def test_bodies_offices_of_bank_heads_and_acting_heads(lexicon, text, name, position):
    people = {m.name: m.attr("position") for m in labelled(text, lexicon, "Person")}
    assert people.get(name) == position


def test_bodies_a_branch_after_an_office_is_no_name(lexicon):
    # "Kepala Bank NTT Cabang Maumere, Aloysius Parera": the body goes on; "Cabang Maumere" is nobody
    names = {m.name for m in labelled("Kepala Bank NTT Cabang Maumere, Aloysius Parera, hadir.", lexicon, "Person")}
    assert not {n for n in names if n.startswith(("Cabang", "Kantor", "Perwakilan"))}


@pytest.mark.parametrize("text, name, position", [
    ("Nota itu diteken Direktur Utama PT Bank Riau Kepri Syariah (Perseroda) Muhammad Irfan Lubis.",
     "Muhammad Irfan Lubis", "Direktur Utama"),
    ("Nota itu diteken Direktur Utama PT Bank Jatim Tbk Budi Santoso.", "Budi Santoso", "Direktur Utama"),
])
def test_bodies_a_company_name_ends_before_the_head_named_after_it(lexicon, text, name, position):
    # the legal form (PT) and the words that end a company's name (Syariah, Perseroda, Tbk) are the body's
    people = {m.name: m.attr("position") for m in labelled(text, lexicon, "Person")}
    assert people == {name: position}
