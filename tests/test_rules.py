"""One test per extraction rule added for unseen articles, each on a sentence written for it."""
import pytest

from kg.facts import extract_facts
from kg.mentions import find_mentions

from tests.helpers import make_article


def doc_of(text, lexicon, title=None):
    return find_mentions(make_article(text, title=title), lexicon)


def facts_of(text, lexicon, title=None):
    out = extract_facts(doc_of(text, lexicon, title))
    return out, {(f.subject, f.predicate, f.object) for f in out.facts}


def test_rules_body_named_by_the_place_it_serves(lexicon):
    ms = [m for m in doc_of("Kepala Kejaksaan Negeri (Kejari) Kutai Barat, Budi Hartono, hadir.", lexicon).mentions]
    body = next(m for m in ms if m.label == "Agency")
    assert body.name == "Kejaksaan Negeri Kutai Barat"
    assert next(m for m in ms if m.label == "Person").name == "Budi Hartono"


def test_rules_short_body_without_place_is_not_a_new_body(lexicon):
    ms = doc_of("Kejari Teken Kesepakatan Baru dengan Warga", lexicon).mentions
    assert not [m for m in ms if m.label == "Agency"]


def test_rules_whole_name_unit_with_its_government(lexicon):
    ms = doc_of("Kepala Bagian Umum Sekretariat Daerah Kota (Setdako) Madiun, Rina Wati, hadir.", lexicon).mentions
    unit = next(m for m in ms if m.label == "Agency" and "Sekretariat" in m.name)
    assert unit.name == "Sekretariat Daerah Kota Madiun" and "Setdako Madiun" in unit.aliases


def test_rules_unit_of_a_ministry_keeps_its_own_name(lexicon):
    ms = doc_of("Kepala Badan Pengembangan Sumber Daya Manusia (BPSDM) Kemendagri, Andi Saputra, hadir.", lexicon).mentions
    unit = next(m for m in ms if m.label == "Agency" and m.name.startswith("Badan"))
    assert unit.name == "Badan Pengembangan Sumber Daya Manusia"
    assert unit.attr("parent") == "agency:kementerian-dalam-negeri"


def test_rules_unit_without_government_joins_the_articles_only_one(lexicon):
    out, facts = facts_of("Pemkab Ngawi membuka posko di kantor Dinas Sosial (Dinsos) setempat. "
                          "Kepala Dinsos Pemkab Ngawi, Agus Salim, memimpin.", lexicon)
    units = [k for k in out.entities if k.startswith("agency:dinas-sosial")]
    assert units == ["agency:dinas-sosial@3521"]
    assert out.entities[units[0]].name == "Dinas Sosial Pemkab Ngawi"


def test_rules_list_of_fields_in_a_body_name(lexicon):
    ms = doc_of("Kepala Dinas Pemuda, Olahraga, dan Pariwisata (Disporapar) Ngawi hadir.", lexicon).mentions
    assert any(m.name == "Dinas Pemuda, Olahraga, dan Pariwisata Ngawi" for m in ms)


def test_rules_body_name_stops_where_the_article_shows_it_ends(lexicon):
    ms = doc_of("Kerja sama dengan Universitas Cahaya Bangsa, Banjarmasin, diteken. "
                "Naskah diteken Rektor Universitas Cahaya Bangsa Ahmad Fauzi di aula.", lexicon).mentions
    assert {m.name for m in ms if m.label == "Agency"} == {"Universitas Cahaya Bangsa"}
    assert any(m.name == "Ahmad Fauzi" for m in ms if m.label == "Person")


def test_rules_branch_office_takes_the_place_not_the_name_after_it(lexicon):
    ms = doc_of("Kepala BPJS Kesehatan Cabang Madiun Rina Marlina hadir.", lexicon).mentions
    assert any(m.key == "agency:bpjs-kesehatan/cabang/madiun" for m in ms)
    assert any(m.name == "Rina Marlina" for m in ms if m.label == "Person")


def test_rules_month_abbreviation_inside_a_name(lexicon):
    ms = doc_of("Wakil Bupati Ngawi Putu Agus Wirawan membuka acara.", lexicon).mentions
    assert [m.name for m in ms if m.label == "Person"] == ["Putu Agus Wirawan"]


def test_rules_headline_words_are_not_a_name(lexicon):
    ms = doc_of("Gubernur Jawa Timur membuka acara itu.", lexicon,
                title="Warga Sambut Gubernur Jatim, Minta Jalan Diperbaiki").mentions
    assert not [m for m in ms if m.label == "Person"]


def test_rules_listed_recipients_of_a_plural_subject(lexicon):
    out, facts = facts_of("Lima pemerintah kabupaten menerima Predikat Zona Hijau dari Ombudsman RI. "
                          "Pemkab Ngawi meraih nilai 95,10, disusul Pemkab Madiun dengan nilai 94,20.", lexicon)
    assert {f[2] for f in facts if f[1] == "recipient"} == {"municipality:3521", "municipality:3519"}


def test_rules_place_after_the_award_is_a_venue(lexicon):
    _, facts = facts_of("Pemkot Madiun menerima Piala Adipura 2024 di Gedung Manggala, Jakarta.", lexicon)
    assert {f[2] for f in facts if f[1] == "recipient"} == {"municipality:3577"}


def test_rules_recipient_after_kepada(lexicon):
    _, facts = facts_of("Piala Adipura 2024 diserahkan kepada Pemkab Ngawi.", lexicon)
    assert {f[2] for f in facts if f[1] == "recipient"} == {"municipality:3521"}


def test_rules_a_target_award_is_not_received(lexicon):
    out, _ = facts_of("Kepala DLH Kota Madiun menyebut target berikutnya adalah Adipura Kencana.", lexicon)
    assert not [e for e in out.entities.values() if e.type == "Award"]


def test_rules_giver_is_the_most_specific_body(lexicon):
    _, facts = facts_of("Pemkab Ngawi meraih opini WTP dari BPK. Opini tersebut diberikan BPK Perwakilan Jawa Timur.",
                        lexicon)
    assert {f[2] for f in facts if f[1] == "conferredBy"} == {"agency:bpk/perwakilan/35"}


def test_rules_award_without_year_takes_the_handover_day(lexicon):
    _, facts = facts_of("Pemkab Ngawi meraih opini WTP. Laporan diserahkan di Surabaya, Senin (2/6/2025).", lexicon)
    from datetime import date
    assert {f[2] for f in facts if f[1] == "date"} == {date(2025, 6, 2)}


def test_rules_place_in_an_office_is_an_entity(lexicon):
    out, _ = facts_of("Sebelumnya ia menjabat Wali Kota Administrasi Jakarta Utara.", lexicon)
    assert "municipality:3172" in out.entities


def test_rules_bare_name_is_an_alias_only_where_used_alone(lexicon):
    out, _ = facts_of("Pemkab Ngawi menggelar rapat.", lexicon)
    assert "Ngawi" not in out.entities["municipality:3521"].aliases
    out, _ = facts_of("Pemkab Ngawi menggelar rapat. Warga Ngawi antusias.", lexicon)
    assert "Ngawi" in out.entities["municipality:3521"].aliases


def test_rules_jakarta_short_names_point_to_their_city(lexicon):
    from kg.lexicon import load_lexicon
    lex = load_lexicon()
    for alias, name in [("Jakpus", "Jakarta Pusat"), ("Jakut", "Jakarta Utara"), ("Jakbar", "Jakarta Barat"),
                        ("Jaksel", "Jakarta Selatan"), ("Jaktim", "Jakarta Timur")]:
        assert lex.regencies[lex.place_aliases[alias]].name == name


def test_rules_rupiah_claims_with_as_of_end_of_year(lexicon):
    from datetime import date
    _, facts = facts_of("BPJS Ketenagakerjaan membayar klaim sebesar Rp12.500.000.000 kepada pekerja di Kota Madiun "
                        "hingga akhir 2025.", lexicon)
    key = "measurement:municipality:3577:bpjstk_claims_paid_idr:12500000000"
    assert (key, "value", 12500000000) in facts and (key, "date", date(2025, 12, 31)) in facts


def test_rules_month_precise_as_of_date(lexicon):
    from datetime import date
    _, facts = facts_of("Per Agustus 2024, sebanyak 95.000 jiwa di Kota Madiun terdaftar sebagai peserta JKN.", lexicon)
    assert ("measurement:municipality:3577:jkn_participants:95000", "date", date(2024, 8, 1)) in facts


def test_rules_accepting_on_behalf_does_not_make_the_person_the_recipient(lexicon):
    _, facts = facts_of("Pemkab Ngawi meraih Paritrana Award 2025. Penghargaan diterima Sekda Ngawi Budi Rahardjo "
                        "yang mewakili Bupati.", lexicon)
    recipients = {f[2] for f in facts if f[1] == "recipient"}
    assert recipients == {"municipality:3521"}
    assert ("person:budi-rahardjo", "position", "Sekretaris Daerah") in facts


def test_rules_award_handed_over_yesterday_takes_the_day_before_publication(lexicon):
    from datetime import date
    from kg.facts import extract_facts
    article = make_article("Pemkot Madiun menerima Piala Adipura 2024 di Jakarta, kemarin.",
                           dateline="MADIUN | contoh.id - Jumat, 7 Maret 2025\n\n")
    facts = {(f.subject, f.predicate, f.object) for f in extract_facts(find_mentions(article, lexicon)).facts}
    assert ("award:adipura:2024:municipality:3577", "date", date(2025, 3, 6)) in facts


def test_rules_acehnese_and_balinese_name_elements_are_kept(lexicon):
    ms = doc_of("Bupati Badung I Gusti Ngurah Made Arya hadir bersama Wali Kota Banda Aceh Teuku Ahmad Syah.",
                lexicon).mentions
    assert {m.name for m in ms if m.label == "Person"} == {"I Gusti Ngurah Made Arya", "Teuku Ahmad Syah"}


def test_rules_province_name_inside_a_regency_name_is_not_a_province(lexicon):
    ms = doc_of("Program itu berjalan di Lampung Timur sejak lama.", lexicon).mentions
    assert [m.key for m in ms] == ["municipality:1807"]


def test_rules_regional_office_names_its_province(lexicon):
    out, _ = facts_of("Laporan diserahkan BPK Perwakilan Provinsi Jawa Barat.", lexicon)
    assert "province:32" in out.entities


def test_rules_person_as_object_of_a_verb(lexicon):
    ms = doc_of("Gubernur melantik Andi Wijaya sebagai pejabat baru, menggantikan Rina Kusuma yang pensiun.",
                lexicon).mentions
    assert {m.name for m in ms if m.label == "Person"} >= {"Andi Wijaya", "Rina Kusuma"}


def test_rules_recipient_named_after_the_award_when_it_receives(lexicon):
    _, facts = facts_of("Dalam ajang Paritrana Award 2025 dari BPJS Ketenagakerjaan, Pemkab Ngawi dinobatkan "
                        "sebagai yang terbaik.", lexicon)
    assert {f[2] for f in facts if f[1] == "recipient"} == {"municipality:3521"}


def test_rules_signing_sentence_after_the_agreement_gives_signatories_and_date(lexicon):
    from datetime import date
    out, facts = facts_of("Pemkab Ngawi menjalin nota kesepahaman dengan Universitas Cahaya Bangsa. Naskah itu "
                          "ditandatangani Bupati Ngawi Hari Wibowo dan Rektor Universitas Cahaya Bangsa Ahmad Fauzi, "
                          "Senin (2/6/2025).", lexicon)
    (key,) = [k for k, e in out.entities.items() if e.type == "Agreement"]
    assert {f[2] for f in facts if f[0] == key and f[1] == "signatory"} == {"person:hari-wibowo", "person:ahmad-fauzi"}
    assert (key, "date", date(2025, 6, 2)) in facts


def test_rules_figure_that_refers_back_reads_the_sentence_before(lexicon):
    from datetime import date
    _, facts = facts_of("Per 1 Maret 2025, peserta JKN yang aktif di Kota Madiun tercatat 150.000 jiwa. "
                        "Angka itu setara 80,5 persen dari jumlah penduduk yang mencapai 186.000 jiwa.", lexicon)
    values = {f[0].split(":")[3]: f[2] for f in facts if f[1] == "value"}
    assert values == {"jkn_active_participants": 150000, "jkn_active_population_percent": 80.5, "population": 186000}
    assert ("measurement:municipality:3577:jkn_active_population_percent:80.5", "date", date(2025, 3, 1)) in facts


def test_rules_compliance_score_after_dengan(lexicon):
    _, facts = facts_of("Penilaian kepatuhan Ombudsman: Pemkab Ngawi dengan nilai 90,10 dan Pemkab Madiun dengan 89,75.",
                        lexicon)
    assert ("measurement:municipality:3519:ombudsman_compliance_score:89.75", "value", 89.75) in facts


def test_rules_earlier_award_of_a_government_named_by_anaphora(lexicon):
    _, facts = facts_of("Pemkab Ngawi meraih Kabupaten Layak Anak 2025 kategori Nindya. "
                        "Pada penilaian Kabupaten Layak Anak 2023, kabupaten ini masih berada di kategori Pratama.", lexicon)
    assert ("award:kla:2023:municipality:3521", "recipient", "municipality:3521") in facts
    assert ("award:kla:2023:municipality:3521", "category", "Pratama") in facts


def test_rules_generic_government_words_pick_the_kind(lexicon):
    _, facts = facts_of("Pemkot Madiun dan Pemkab Madiun meraih UHC Awards 2026. "
                        "Pada UHC Awards 2024, pemerintah kota juga memperoleh penghargaan serupa.", lexicon)
    assert {f[2] for f in facts if f[0].startswith("award:uhc:2024") and f[1] == "recipient"} == {"municipality:3577"}


def test_rules_parties_after_antara_belong_to_the_nearest_agreement(lexicon):
    out, facts = facts_of("Pemkab Ngawi menjalin nota kesepahaman dengan Universitas Cahaya Bangsa. Selain MoU, "
                          "juga diteken Perjanjian Kerja Sama (PKS) antara Universitas Cahaya Bangsa dan Dinas Sosial "
                          "Pemkab Ngawi.", lexicon)
    by_kind = {k.split(":")[1]: k for k, e in out.entities.items() if e.type == "Agreement"}
    assert {f[2] for f in facts if f[0] == by_kind["mou"] and f[1] == "party"} == {
        "localgov:3521", "agency:universitas-cahaya-bangsa"}
    assert {f[2] for f in facts if f[0] == by_kind["pks"] and f[1] == "party"} == {
        "agency:universitas-cahaya-bangsa", "agency:dinas-sosial@3521"}


def test_rules_office_in_apposition_with_selaku(lexicon):
    _, facts = facts_of("Budi Santoso selaku Kepala Dinas Kesehatan Kota Madiun mengatakan hal itu.", lexicon)
    assert ("person:budi-santoso", "position", "Kepala") in facts
    assert ("person:budi-santoso", "affiliation", "agency:dinas-kesehatan@3577") in facts


def test_rules_award_named_outside_the_lexicon_needs_a_year(lexicon):
    _, facts = facts_of("Pemkot Madiun menerima Penghargaan Pelayanan Publik Terbaik 2025 dari Kemendagri.", lexicon)
    assert ("award:named:2025:municipality:3577", "conferredBy", "agency:kementerian-dalam-negeri") in facts
    out, _ = facts_of("Borong Dua Penghargaan Nasional, Pemkot Madiun Raih Piala Adipura 2024", lexicon)
    assert [k for k, e in out.entities.items() if e.type == "Award"] == ["award:adipura:2024:municipality:3577"]


def test_rules_more_award_families_from_the_lexicon(lexicon):
    _, facts = facts_of("Pemkab Ngawi meraih Anugerah Parahita Ekapraya 2024 kategori Madya.", lexicon)
    assert ("award:parahita-ekapraya:2024:municipality:3521", "category", "Madya") in facts


@pytest.mark.parametrize("text, name, body", [
    ("Kajari Kutai Barat Budi Hartono menegaskan hal itu.", "Budi Hartono", "agency:kejaksaan-negeri@6407"),
    ("Kadinkes Kota Madiun, Rina Wati, hadir.", "Rina Wati", "agency:dinas-kesehatan@3577"),
    ("Kapolres Madiun AKBP Anton Prasetyo memimpin apel.", "Anton Prasetyo", "agency:polres-madiun"),
])
def test_rules_abbreviated_office_with_a_place_then_a_name(lexicon, text, name, body):
    _, facts = facts_of(text, lexicon)
    key = "person:" + name.lower().replace(" ", "-")
    assert (key, "position", "Kepala") in facts and (key, "affiliation", body) in facts


def test_rules_short_forms_of_kabupaten_names_with_a_direction():
    from kg.lexicon import load_lexicon
    lex = load_lexicon()
    for alias, name in [("OKU", "Ogan Komering Ulu"), ("OKU Timur", "Ogan Komering Ulu Timur"),
                        ("OKU Selatan", "Ogan Komering Ulu Selatan")]:
        assert lex.regencies[lex.place_aliases[alias]].name == name


@pytest.mark.parametrize("written, code", [("Kota Pangkalpinang", "1971"), ("Lubuklinggau", "1673"),
                                           ("Kota Pangkal Pinang", "1971")])
def test_rules_a_place_name_of_several_words_written_as_one(lexicon, written, code):
    out, _ = facts_of(f"{written} meraih penghargaan Adipura.", lexicon)
    assert f"municipality:{code}" in out.entities



@pytest.mark.parametrize("text, expected, not_expected", [
    ("Jumlah peserta JKN di Banda Aceh tercatat 260.108 jiwa.", "municipality:1171", "province:11"),
    ("Jumlah peserta JKN di Kota Bengkulu dan Aceh Besar naik.", "municipality:1106", "province:11"),
])
def test_rules_a_province_name_ending_a_place_name_is_that_place(lexicon, text, expected, not_expected):
    out, _ = facts_of(text, lexicon)
    assert expected in out.entities and not_expected not in out.entities
