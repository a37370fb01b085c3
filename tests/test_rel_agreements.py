"""Agreements (kg/relations/agreements.py): one test per reading rule, each on a sentence written for it."""
from datetime import date

import pytest

from kg.facts import extract_facts
from kg.mentions import find_mentions

from tests.helpers import make_article


def read(text, lexicon, title=None):
    article = make_article(text, title=title)
    out = extract_facts(find_mentions(article, lexicon))
    agreements = {k: e for k, e in out.entities.items() if e.type == "Agreement"}
    facts = {(f.subject, f.predicate, f.object) for f in out.facts}

    def of(key, predicate):
        """The objects of KEY's PREDICATE facts, entities by name (names do not hang on how keys are made)."""
        return {out.entities[o].name if isinstance(o, str) and o in out.entities else o
                for s, p, o in facts if s == key and p == predicate}
    return agreements, of


@pytest.mark.parametrize("kind, phrase", [
    ("mou", "Nota Kesepahaman"), ("mou", "nota kesepakatan"), ("kb", "Kesepakatan Bersama"),
    ("pks", "Perjanjian Kerja Sama"), ("commitment", "komitmen bersama"), ("moa", "Memorandum of Agreement"),
    ("nphd", "Naskah Perjanjian Hibah Daerah"),
])
def test_agreements_document_kinds(lexicon, kind, phrase):
    agreements, of = read(f"Pemkot Madiun dan Kejaksaan Negeri Madiun menandatangani {phrase} di Balai Kota.", lexicon)
    (key,) = agreements
    assert key.split(":")[1] == kind
    assert of(key, "party") == {"Pemerintah Kota Madiun", "Kejaksaan Negeri Madiun"}


def test_agreements_three_parties_after_antara(lexicon):
    agreements, of = read("Penandatanganan nota kesepahaman antara Pemkot Madiun, Pemkab Ngawi, dan Pemkab Magetan "
                          "berlangsung Senin (3/2/2025).", lexicon)
    (key,) = agreements
    assert of(key, "party") == {"Pemerintah Kota Madiun", "Pemerintah Kabupaten Ngawi", "Pemerintah Kabupaten Magetan"}
    assert of(key, "date") == {date(2025, 2, 3)}


def test_agreements_signers_listed_before_the_verb_give_the_parties(lexicon):
    agreements, of = read("Wali Kota Madiun Andi Pratama, Bupati Ngawi Budi Santoso, dan Bupati Magetan Citra Dewi "
                          "bersama-sama menandatangani nota kesepahaman di Madiun, Senin (3/2/2025).", lexicon)
    (key,) = agreements
    assert of(key, "signatory") == {"Andi Pratama", "Budi Santoso", "Citra Dewi"}
    assert of(key, "party") == {"Pemerintah Kota Madiun", "Pemerintah Kabupaten Ngawi", "Pemerintah Kabupaten Magetan"}


def test_agreements_witnesses_are_not_signatories(lexicon):
    agreements, of = read("Nota kesepahaman itu diteken Bupati Ngawi Budi Santoso dan Kepala Kejaksaan Negeri Ngawi "
                          "Rudi Hartono, disaksikan Gubernur Jawa Timur Sri Lestari.", lexicon)
    (key,) = agreements
    assert of(key, "signatory") == {"Budi Santoso", "Rudi Hartono"}


def test_agreements_signers_after_di_antaranya(lexicon):
    agreements, of = read("Pemkab Ngawi dan BPJS Kesehatan Cabang Madiun menandatangani komitmen bersama. "
                          "Naskah komitmen diteken Bupati Ngawi Budi Santoso bersama pimpinan 12 rumah sakit, "
                          "di antaranya Direktur RSUD Ngawi, Dewi Lestari.", lexicon)
    (key,) = agreements
    assert {"Budi Santoso", "Dewi Lestari"} <= of(key, "signatory")
    assert {"Pemerintah Kabupaten Ngawi", "BPJS Kesehatan Cabang Madiun"} <= of(key, "party")


def test_agreements_parties_in_the_next_sentence(lexicon):
    agreements, of = read("Tiga daerah itu menandatangani nota kesepahaman di Madiun, Senin (3/2/2025). "
                          "Kesepakatan antara Pemkot Madiun, Pemkab Ngawi, dan Pemkab Magetan itu mencakup "
                          "tiga bidang.", lexicon)
    (key,) = agreements
    assert of(key, "party") == {"Pemerintah Kota Madiun", "Pemerintah Kabupaten Ngawi", "Pemerintah Kabupaten Magetan"}
    assert of(key, "date") == {date(2025, 2, 3)}


def test_agreements_signing_sentence_gives_signers_date_and_parties(lexicon):
    agreements, of = read("Kedua daerah resmi menjalin kesepakatan bersama. Kesepakatan bersama itu diteken Bupati "
                          "Ngawi Budi Santoso dan Bupati Magetan Citra Dewi, Selasa (4/2/2025).", lexicon)
    (key,) = agreements
    assert of(key, "party") == {"Pemerintah Kabupaten Ngawi", "Pemerintah Kabupaten Magetan"}
    assert of(key, "date") == {date(2025, 2, 4)}


def test_agreements_joining_sentence_before_gives_the_parties(lexicon):
    agreements, of = read("Pemkab Ngawi resmi bersepakat dengan Kejaksaan Negeri Ngawi untuk urusan hukum perdata. "
                          "Kesepakatan bersama itu diteken di Pendopo, Rabu (5/2/2025).", lexicon)
    (key,) = agreements
    assert of(key, "party") == {"Pemerintah Kabupaten Ngawi", "Kejaksaan Negeri Ngawi"}


def test_agreements_ordinals_are_two_agreements(lexicon):
    agreements, of = read("Dukungan itu dituangkan dalam dua nota kesepahaman yang diteken di Ngawi, Jumat (7/2/2025). "
                          "MoU pertama tentang pendidikan ditandatangani Bupati Ngawi Budi Santoso dan Kepala "
                          "Kejaksaan Negeri Ngawi Rudi Hartono. Adapun MoU kedua diteken Direktur RSUD Dr. Soeroto "
                          "Ngawi, Dewi Lestari, bersama Kepala Kejaksaan Negeri Ngawi Rudi Hartono.", lexicon)
    assert len(agreements) == 2
    first = next(k for k, e in agreements.items() if "MoU pertama" in e.aliases | {e.name})
    second = next(k for k, e in agreements.items() if "MoU kedua" in e.aliases | {e.name})
    assert of(first, "signatory") == {"Budi Santoso", "Rudi Hartono"}
    assert of(second, "signatory") == {"Dewi Lestari", "Rudi Hartono"}
    assert of(first, "date") == of(second, "date") == {date(2025, 2, 7)}   # "dua nota kesepahaman ... Jumat"
    assert "MoU tentang pendidikan" in agreements[first].aliases


def test_agreements_each_signer_signs_one_with_the_counterpart(lexicon):
    agreements, of = read("Gubernur Jawa Timur Sri Lestari dan Gubernur Jawa Tengah Andi Pratama masing-masing "
                          "meneken nota kesepahaman dengan Menteri Kesehatan Budi Santoso di kantor Kementerian Kesehatan.",
                          lexicon)
    assert len(agreements) == 2
    assert {frozenset(of(k, "signatory")) for k in agreements} == {
        frozenset({"Sri Lestari", "Budi Santoso"}), frozenset({"Andi Pratama", "Budi Santoso"})}


def test_agreements_each_signer_signs_one(lexicon):
    agreements, of = read("Gubernur Jawa Timur Sri Lestari dan Gubernur Jawa Tengah Andi Pratama masing-masing "
                          "meneken nota kesepahaman dengan Kementerian Kesehatan.", lexicon)
    assert len(agreements) == 2
    assert {frozenset(of(k, "signatory")) for k in agreements} == {
        frozenset({"Sri Lestari"}), frozenset({"Andi Pratama"})}
    assert all("Kementerian Kesehatan" in of(k, "party") for k in agreements)


def test_agreements_same_occasion_shares_the_day(lexicon):
    agreements, of = read("Pemkot Madiun menandatangani nota kesepahaman dengan Universitas Cahaya Bangsa, Senin "
                          "(3/2/2025). Selain MoU, pada kesempatan yang sama juga diteken Perjanjian Kerja Sama "
                          "antara Universitas Cahaya Bangsa dan Dinas Sosial Kota Madiun.", lexicon)
    pks = next(k for k in agreements if k.startswith("agreement:pks"))
    assert of(pks, "date") == {date(2025, 2, 3)}


def test_agreements_earlier_agreement_takes_no_day_of_the_new_one(lexicon):
    agreements, of = read("Pemkab Ngawi menindaklanjuti nota kesepahaman dengan Bank Jatim dengan menandatangani "
                          "perjanjian kerja sama, Senin (15/9/2025). MoU-nya sudah diteken sebulan lalu, hari ini "
                          "ditindaklanjuti dengan PKS.", lexicon)
    mou = next(k for k in agreements if k.startswith("agreement:mou"))
    pks = next(k for k in agreements if k.startswith("agreement:pks"))
    assert of(pks, "date") == {date(2025, 9, 15)}
    assert not of(mou, "date")


def test_agreements_earlier_agreement_of_both_parties(lexicon):
    agreements, of = read("Kesepakatan bersama itu diteken Bupati Ngawi Budi Santoso dan Kepala Kejaksaan Negeri "
                          "Ngawi Rudi Hartono. Kesepakatan bersama tersebut merupakan tindak lanjut dari nota "
                          "kesepahaman yang sebelumnya telah dijalin kedua lembaga.", lexicon)
    assert len(agreements) == 2
    assert {frozenset(of(k, "party")) for k in agreements} == {
        frozenset({"Pemerintah Kabupaten Ngawi", "Kejaksaan Negeri Ngawi"})}


def test_agreements_other_bodies_give_way_to_named_ones(lexicon):
    agreements, of = read("Nota kesepahaman itu diteken Wali Kota Madiun Andi Pratama dan Kepala Kejaksaan Negeri "
                          "Madiun Rudi Hartono. Setelah MoU hari ini, pelaksanaannya bersama Dinas Sosial Kota Madiun.",
                          lexicon)
    (key,) = agreements
    assert of(key, "party") == {"Pemerintah Kota Madiun", "Kejaksaan Negeri Madiun"}


def test_agreements_headline_words_are_no_subject(lexicon):
    agreements, _ = read("Pemkot Madiun dan Kejaksaan Negeri Madiun menandatangani nota kesepahaman (MoU).",
                         lexicon, title="Dua Daerah Teken MoU Sekaligus")
    (entity,) = agreements.values()
    assert "MoU Sekaligus" not in entity.aliases | {entity.name}


def test_agreements_another_agreement_is_not_a_subject(lexicon):
    agreements, _ = read("Pemkot Madiun dan Kejaksaan Negeri Madiun menandatangani nota kesepahaman (MoU). "
                         "Setelah MoU dan PKS hari ini, tinggal pelaksanaannya.", lexicon)
    assert not [e for e in agreements.values() if "MoU dan PKS" in e.aliases | {e.name}]


def test_agreements_signer_after_dengan_signed_for_the_other_side(lexicon):
    agreements, of = read("Wali Kota Madiun Andi Pratama menandatangani perjanjian kerja sama dengan Kepala BPJS "
                          "Kesehatan Cabang Madiun, Sri Wahyuni, Rabu (5/3/2025).", lexicon)
    (key,) = agreements
    assert of(key, "signatory") == {"Andi Pratama", "Sri Wahyuni"}
    assert of(key, "party") == {"Pemerintah Kota Madiun", "BPJS Kesehatan Cabang Madiun"}


def test_agreements_planned_signing_is_no_agreement(lexicon):
    agreements, _ = read("Pemkot Madiun dan Kejaksaan Negeri Madiun akan menandatangani nota kesepahaman pekan depan.",
                         lexicon)
    assert not agreements


def test_agreements_collective_signing_sentence_gives_each_its_signer_and_day(lexicon):
    agreements, of = read("Kejaksaan Negeri Madiun menjalin kerja sama dengan dua mitra sekaligus, Jumat (7/2/2025). "
                          "Kejaksaan Negeri Madiun menandatangani nota kesepahaman dengan BPJS Kesehatan Cabang Madiun. "
                          "Pada acara yang sama, juga diteken Perjanjian Kerja Sama antara Kejaksaan Negeri Madiun dan "
                          "Pemkot Madiun. Kedua naskah ditandatangani Kepala Kejaksaan Negeri Madiun, Rudi Hartono, "
                          "bersama pimpinan mitra.", lexicon)
    assert len(agreements) == 2
    for key in agreements:
        assert of(key, "signatory") == {"Rudi Hartono"}
        assert of(key, "date") == {date(2025, 2, 7)}


def test_agreements_political_party_pks_is_no_agreement(lexicon):
    agreements, _ = read("Politisi PKS Andi Pratama menyebut Pemkot Madiun dan BPJS Kesehatan Cabang Madiun sudah "
                         "bekerja baik.", lexicon)
    assert not agreements


def test_agreements_occasion_told_before_gives_the_day(lexicon):
    agreements, of = read("Menteri Kesehatan menerima dua bupati di kantornya, Kamis (6/2/2025). Dalam kesempatan itu, "
                          "Bupati Ngawi Budi Santoso dan Bupati Magetan Citra Dewi menandatangani nota kesepahaman.",
                          lexicon)
    (key,) = agreements
    assert of(key, "date") == {date(2025, 2, 6)}


@pytest.mark.parametrize("text", [
    "Nota kesepahaman itu diteken Bupati Ngawi Budi Santoso dan Bupati Magetan Citra Dewi, masing-masing "
    "mewakili pemerintah daerahnya.",
    "Pemkab Ngawi dan Pemkab Magetan menandatangani nota kesepahaman. Nota kesepahaman pertama kali diteken "
    "Bupati Ngawi Budi Santoso dan Bupati Magetan Citra Dewi.",
])
def test_agreements_one_document_stays_one(lexicon, text):
    agreements, _ = read(text, lexicon)
    assert len(agreements) == 1


def test_agreements_urged_signing_is_no_agreement(lexicon):
    agreements, _ = read("Pemkot Madiun mendorong perusahaan swasta untuk menandatangani nota kesepahaman dengan BPJS "
                         "Ketenagakerjaan Cabang Madiun.", lexicon)
    assert not agreements


def test_agreements_numbered_documents_are_two_agreements(lexicon):
    agreements, of = read("Dokumen pertama berupa nota kesepahaman yang diteken Wali Kota Madiun Andi Pratama dan "
                          "Kepala Kejaksaan Negeri Madiun Rudi Hartono. Dokumen kedua berupa nota kesepahaman yang "
                          "diteken Wali Kota Madiun Andi Pratama dan Kepala BPJS Kesehatan Cabang Madiun Sri Wahyuni.",
                          lexicon)
    assert len(agreements) == 2
    assert {frozenset(of(k, "party")) for k in agreements} == {
        frozenset({"Pemerintah Kota Madiun", "Kejaksaan Negeri Madiun"}),
        frozenset({"Pemerintah Kota Madiun", "BPJS Kesehatan Cabang Madiun"})}


def test_agreements_witness_after_oleh_is_not_a_signatory(lexicon):
    agreements, of = read("Penandatanganan nota kesepahaman antara Pemkot Madiun dan Kejaksaan Negeri Madiun disaksikan "
                          "langsung oleh Gubernur Jawa Timur Sri Lestari.", lexicon)
    (key,) = agreements
    assert not of(key, "signatory")


def test_agreements_antara_x_dengan_y(lexicon):
    agreements, of = read("Penandatanganan nota kesepahaman antara Pemkab Ngawi dengan Kejaksaan Negeri Ngawi, disaksikan "
                          "Kepala Dinas Sosial Kabupaten Ngawi Sri Lestari.", lexicon)
    (key,) = agreements
    assert of(key, "party") == {"Pemerintah Kabupaten Ngawi", "Kejaksaan Negeri Ngawi"}


def test_agreements_witness_body_is_no_party(lexicon):
    agreements, of = read("Nota kesepahaman Pemkab Ngawi dan Kejaksaan Negeri Ngawi itu diteken di Pendopo, disaksikan "
                          "Kepala Dinas Sosial Kabupaten Ngawi Sri Lestari.", lexicon)
    (key,) = agreements
    assert of(key, "party") == {"Pemerintah Kabupaten Ngawi", "Kejaksaan Negeri Ngawi"}


def test_agreements_signed_cooperation_is_an_agreement(lexicon):
    agreements, of = read("Pemkab Ngawi dan BPJS Kesehatan Cabang Madiun menandatangani kerja sama optimalisasi JKN, "
                          "Senin (3/2/2025).", lexicon)
    (key,) = agreements
    assert of(key, "party") == {"Pemerintah Kabupaten Ngawi", "BPJS Kesehatan Cabang Madiun"}
    assert of(key, "date") == {date(2025, 2, 3)}


def test_agreements_signed_cooperation_is_the_document_beside_it(lexicon):
    agreements, _ = read("Pemkab Ngawi dan BPJS Kesehatan Cabang Madiun menandatangani kerja sama optimalisasi JKN. "
                         "Kerja sama itu dituangkan dalam nota kesepahaman yang berlaku tiga tahun.", lexicon)
    (key,) = agreements
    assert key.startswith("agreement:mou:")
    assert "kerja sama" not in agreements[key].name.lower()


def test_agreements_signer_named_again_by_a_name_given_before(lexicon):
    agreements, of = read("Kepala Kejaksaan Negeri Madiun, Sutrisno, hadir di Balai Kota. Nota kesepahaman itu diteken "
                          "Wali Kota Madiun Andi Pratama bersama Sutrisno.", lexicon)
    (key,) = agreements
    assert of(key, "signatory") == {"Andi Pratama", "Sutrisno"}


def test_agreements_name_written_again_alone_makes_no_signer_list(lexicon):
    # conservative: a bare repeated name only joins a list that a person mention opens
    agreements, of = read("Kepala Dinas Sosial Kota Madiun, Sutrisno, hadir. Nota kesepahaman antara Pemkot Madiun dan "
                          "Kejaksaan Negeri Madiun diteken oleh Sutrisno.", lexicon)
    (key,) = agreements
    assert not of(key, "signatory")


def test_agreements_parent_beside_its_unit_is_no_fallback_party(lexicon):
    agreements, of = read("Untuk program BPJS Kesehatan, perjanjian kerja sama itu ditandatangani Kepala Dinas Sosial Kota "
                          "Madiun, Sri Lestari, bersama kepala BPJS Kesehatan Cabang Madiun.", lexicon)
    (key,) = agreements
    assert "BPJS Kesehatan" not in of(key, "party")
    assert {"Dinas Sosial Kota Madiun", "BPJS Kesehatan Cabang Madiun"} <= of(key, "party")


def test_agreements_a_clause_about_a_signer_does_not_end_the_list(lexicon):
    # "A, yang hadir mewakili Bupati, bersama B": the clause tells of A; B signs too
    agreements, of = read("Nota kesepahaman itu ditandatangani Wakil Bupati Ngawi, Budi Santoso, yang hadir mewakili "
                          "Bupati, bersama Kepala Kejaksaan Negeri Ngawi, Rudi Hartono.", lexicon)
    (key,) = agreements
    assert of(key, "signatory") == {"Budi Santoso", "Rudi Hartono"}


def test_agreements_a_witness_in_a_clause_is_still_no_signer(lexicon):
    agreements, of = read("Nota kesepahaman itu ditandatangani Bupati Ngawi, Budi Santoso, dan Kepala Kejaksaan Negeri "
                          "Ngawi, Rudi Hartono, yang disaksikan Gubernur Jawa Timur, Sri Lestari.", lexicon)
    (key,) = agreements
    assert of(key, "signatory") == {"Budi Santoso", "Rudi Hartono"}
