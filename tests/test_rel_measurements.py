"""Measurements (kg/relations/measurements.py) on invented sentences: lists of areas, scores in lists,
as-of dates, active shares, blockers."""
from datetime import date
from decimal import Decimal
import re

import pytest

from kg.facts import extract_facts
from kg.mentions import find_mentions

from tests.helpers import make_article

PUBLISHED = "MADIUN | contoh.id - Senin, 10 Maret 2025\n\n"


def measurements_of(text, lexicon, title=None):
    article = make_article(text, title=title, dateline=PUBLISHED)
    out = extract_facts(find_mentions(article, lexicon))
    values = {}
    for f in out.facts:
        if f.subject.startswith("measurement:"):
            values.setdefault(f.subject, {})[f.predicate] = f.object
    # values are exact (int or Decimal); compared here with the decimal literals the tests are written in
    return {(v["area"], v["indicator"], float(v["value"]) if isinstance(v["value"], Decimal) else v["value"],
             v.get("date")) for v in values.values()}


def test_rel_measurements_list_of_areas_takes_the_first_areas_indicators(lexicon):
    got = measurements_of(
        "Data kepesertaan dihimpun per 1 Februari 2025. Kota Madiun dengan kepesertaan 99,10 persen dan "
        "keaktifan 80,20 persen, Kabupaten Ponorogo 98,70 persen dan 81,40 persen, serta Kabupaten Lumajang "
        "98,30 persen dan 79,90 persen.", lexicon)
    feb = date(2025, 2, 1)
    assert got == {
        ("municipality:3577", "jkn_coverage_percent", 99.1, feb), ("municipality:3577", "jkn_active_percent", 80.2, feb),
        ("municipality:3502", "jkn_coverage_percent", 98.7, feb), ("municipality:3502", "jkn_active_percent", 81.4, feb),
        ("municipality:3508", "jkn_coverage_percent", 98.3, feb), ("municipality:3508", "jkn_active_percent", 79.9, feb)}


def test_rel_measurements_article_defining_activity_against_population(lexicon):
    got = measurements_of(
        "Keaktifan dihitung dari jumlah peserta aktif dibandingkan dengan jumlah penduduk. "
        "Di Kota Madiun kepesertaan 99,5 persen, sedangkan keaktifannya 82,4 persen.", lexicon)
    assert ("municipality:3577", "jkn_active_population_percent", 82.4, None) in got
    assert ("municipality:3577", "jkn_coverage_percent", 99.5, None) in got


def test_rel_measurements_active_share_of_participants_stays(lexicon):
    got = measurements_of("Di Kabupaten Lumajang, 97 persen penduduk terdaftar sebagai peserta JKN. "
                          "Dari jumlah itu, 88 persen di antaranya berstatus aktif.", lexicon)
    assert got == {("municipality:3508", "jkn_coverage_percent", 97, None),
                   ("municipality:3508", "jkn_active_percent", 88, None)}


def test_rel_measurements_population_share_active(lexicon):
    got = measurements_of("Di Kabupaten Lumajang, 79,5 persen penduduk berstatus peserta aktif.", lexicon)
    assert got == {("municipality:3508", "jkn_active_population_percent", 79.5, None)}


def test_rel_measurements_scores_one_area_per_line(lexicon):
    got = measurements_of("Ombudsman merilis hasil penilaian kepatuhan.\n\nRinciannya:\n\nKota Madiun: 88,12\n\n"
                          "2. Kabupaten Ponorogo: 79,40 (kualitas sedang)\n\nKabupaten Lumajang (91,05).", lexicon)
    assert got == {("municipality:3577", "ombudsman_compliance_score", 88.12, None),
                   ("municipality:3502", "ombudsman_compliance_score", 79.4, None),
                   ("municipality:3508", "ombudsman_compliance_score", 91.05, None)}


def test_rel_measurements_score_named_earlier_and_area_by_anaphor(lexicon):
    got = measurements_of("Ombudsman menilai kepatuhan Pemkab Ponorogo. Tahun lalu, kabupaten ini meraih skor 84,15. "
                          "Nilai tertinggi dicatat Pemkot Madiun, yakni 93,02.", lexicon)
    assert got == {("municipality:3502", "ombudsman_compliance_score", 84.15, None),
                   ("municipality:3577", "ombudsman_compliance_score", 93.02, None)}


def test_rel_measurements_ranges_and_unknown_areas_are_skipped(lexicon):
    got = measurements_of("Ombudsman menilai kepatuhan. Nilai 88,00 hingga 100 masuk zona hijau. "
                          "Urutannya Kota Madiun (95,10) dan Kabupaten Lembah Hijau (90,20).", lexicon)
    assert got == {("municipality:3577", "ombudsman_compliance_score", 95.1, None)}


def test_rel_measurements_time_anaphor_keeps_the_as_of_date(lexicon):
    got = measurements_of("Berdasarkan data per 1 Januari 2025, cakupan UHC Kabupaten Ponorogo mencapai 99,2 persen. "
                          "Saat itu, keaktifan peserta baru 77,5 persen.", lexicon)
    jan = date(2025, 1, 1)
    assert got == {("municipality:3502", "jkn_coverage_percent", 99.2, jan),
                   ("municipality:3502", "jkn_active_percent", 77.5, jan)}


def test_rel_measurements_as_of_month_without_year(lexicon):
    got = measurements_of("Sampai dengan Desember, peserta JKN di Kota Madiun tercatat 150.321 jiwa.", lexicon)
    assert got == {("municipality:3577", "jkn_participants", 150321, date(2024, 12, 1))}


def test_rel_measurements_as_of_date_ends_with_a_paragraph_without_figures(lexicon):
    got = measurements_of("Data ini posisi per 1 Februari 2025.\n\nKota Madiun mencatat kepesertaan 99,1 persen.\n\n"
                          "Warga diminta aktif.\n\nKabupaten Ponorogo mencatat kepesertaan 97,3 persen.", lexicon)
    assert got == {("municipality:3577", "jkn_coverage_percent", 99.1, date(2025, 2, 1)),
                   ("municipality:3502", "jkn_coverage_percent", 97.3, None)}


def test_rel_measurements_programme_parts_and_branch_appositions_are_not_area_figures(lexicon):
    got = measurements_of(
        "BPJS Ketenagakerjaan membayarkan klaim Rp12.500.000 untuk pekerja di Kabupaten Ponorogo. "
        "Jaminan Kematian (JKM) menyumbang santunan Rp4.000.000 untuk 12 kasus. "
        "Kantor Cabang Utama, salah satu kantor wilayah di Kabupaten Lumajang, membayarkan klaim Rp9.000.000.",
        lexicon)
    assert got == {("municipality:3502", "bpjstk_claims_paid_idr", 12500000, None)}


def test_rel_measurements_headline_figure_repeated_in_the_body_is_read_there(lexicon):
    got = measurements_of("Ombudsman menilai kepatuhan. Kabupaten Ponorogo memperoleh nilai 91,30.", lexicon,
                          title="Kota Madiun Kalah, Ponorogo Teratas dengan Nilai 91,30")
    assert got == {("municipality:3502", "ombudsman_compliance_score", 91.3, None)}


def test_rel_measurements_claim_cases_and_vulnerable_workers(lexicon):
    got = measurements_of("BPJS Ketenagakerjaan membayarkan klaim Rp12.500.000 kepada pekerja di Kabupaten Ponorogo. "
                          "Dana itu mengalir untuk 1.204 kasus. Pemkab Lumajang menanggung iuran 5 ribu pekerja rentan.",
                          lexicon)
    assert ("municipality:3502", "bpjstk_claim_cases", 1204, None) in got
    assert ("municipality:3508", "bpjstk_vulnerable_workers_covered", 5000, None) in got


def test_rel_measurements_registered_by_the_local_government(lexicon):
    got = measurements_of("Jumlah warga yang iurannya ditanggung Pemko Madiun mencapai 30.115 orang.", lexicon)
    assert got == {("municipality:3577", "jkn_pemda_registered_participants", 30115, None)}


def test_rel_measurements_dates_as_of_forms(lexicon):
    from kg.dates import parse_date
    ref = date(2026, 1, 20)
    assert parse_date("hingga akhir Desember 2025 tercatat", lexicon, ref) == date(2025, 12, 31)
    assert parse_date("data sampai dengan Desember, sebanyak", lexicon, ref) == date(2025, 12, 1)
    assert parse_date("per akhir Juni tercatat", lexicon, ref) == date(2025, 6, 30)
    assert parse_date("s.d. Januari jumlahnya", lexicon, ref) == date(2026, 1, 1)
    # a month without a year outside an as-of phrase is no date ("pada Desember mendatang")
    assert parse_date("akan diserahkan pada Desember mendatang", lexicon, ref) is None
    assert parse_date("per Desember", lexicon, None) is None


def test_rel_measurements_period_end_and_figures_of_another_source_take_no_date(lexicon):
    got = measurements_of(
        "Pemkab Lumajang menanggung iuran 2.300 pekerja rentan, terhitung Agustus 2024 hingga Juli 2025. "
        "Per 1 Februari 2025, peserta JKN di Kota Madiun tercatat 150.321 jiwa dari jumlah penduduk semester I "
        "2024 yang mencapai 160.200 jiwa.", lexicon)
    assert got == {("municipality:3508", "bpjstk_vulnerable_workers_covered", 2300, None),
                   ("municipality:3577", "jkn_participants", 150321, date(2025, 2, 1)),
                   ("municipality:3577", "population", 160200, None)}


def test_rel_measurements_rounded_figure_beside_the_precise_one_is_dropped(lexicon):
    got = measurements_of("BPJS Ketenagakerjaan membayarkan klaim Rp12,5 miliar untuk pekerja di Kabupaten Ponorogo. "
                          "Tepatnya, klaim yang dibayarkan di Kabupaten Ponorogo Rp12.507.300.000.", lexicon)
    assert got == {("municipality:3502", "bpjstk_claims_paid_idr", 12507300000, None)}


def test_rel_measurements_number_forms(lexicon):
    got = measurements_of("Kepesertaan JKN di Kota Madiun mencapai 98.5%. Ombudsman menilai kepatuhan Kabupaten "
                          "Ponorogo, dan kabupaten itu mendapat 87,5 poin. Sesuai Keputusan Nomor 100.3.3.1/2025, "
                          "peserta JKN di Kabupaten Lumajang tercatat 250.000 warga.", lexicon)
    assert got == {("municipality:3577", "jkn_coverage_percent", 98.5, None),
                   ("municipality:3502", "ombudsman_compliance_score", 87.5, None),
                   ("municipality:3508", "jkn_participants", 250000, None)}


def test_rel_measurements_list_lines_read_their_introducing_line(lexicon):
    got = measurements_of("Cakupan kepesertaan JKN per 1 Januari 2025 sebagai berikut:\n\n1. Kota Madiun 99,2 persen\n\n"
                          "2. Kabupaten Ponorogo 97,4 persen\n\n3. Kabupaten Lumajang 96,1 persen", lexicon)
    jan = date(2025, 1, 1)
    assert got == {("municipality:3577", "jkn_coverage_percent", 99.2, jan),
                   ("municipality:3502", "jkn_coverage_percent", 97.4, jan),
                   ("municipality:3508", "jkn_coverage_percent", 96.1, jan)}


def test_rel_measurements_month_named_with_its_figures(lexicon):
    got = measurements_of("Pada Januari 2025, peserta JKN di Kota Madiun berjumlah 150.321 jiwa.", lexicon)
    assert got == {("municipality:3577", "jkn_participants", 150321, date(2025, 1, 1))}


def test_rel_measurements_month_of_an_event_does_not_date_later_figures(lexicon):
    got = measurements_of("Sosialisasi digelar pada Oktober 2024 di Madiun. Ombudsman menilai kepatuhan. "
                          "Kabupaten Ponorogo mendapat nilai 81,20.", lexicon)
    assert got == {("municipality:3502", "ombudsman_compliance_score", 81.2, None)}


def test_rel_measurements_respectively_deals_areas_to_figures(lexicon):
    got = measurements_of("Kota Madiun, Kabupaten Ponorogo, dan Kabupaten Lumajang masing-masing mencatat kepesertaan "
                          "98,1 persen, 98,4 persen, dan 99,0 persen.", lexicon)
    assert got == {("municipality:3577", "jkn_coverage_percent", 98.1, None),
                   ("municipality:3502", "jkn_coverage_percent", 98.4, None),
                   ("municipality:3508", "jkn_coverage_percent", 99.0, None)}


def test_rel_measurements_residents_enrolled_are_participants_not_population(lexicon):
    got = measurements_of("Sebanyak 1.245.678 jiwa penduduk Kabupaten Lumajang telah terdaftar, atau 98,67 persen "
                          "dari jumlah penduduk 1.262.456 jiwa.", lexicon)
    assert got == {("municipality:3508", "jkn_participants", 1245678, None),
                   ("municipality:3508", "jkn_coverage_percent", 98.67, None),
                   ("municipality:3508", "population", 1262456, None)}


def test_rel_measurements_score_continued_in_the_next_sentence(lexicon):
    got = measurements_of("Pemkot Madiun mendapat nilai 92,15 dari Ombudsman RI. Sementara Pemkab Ponorogo meraih 85,4.",
                          lexicon)
    assert got == {("municipality:3577", "ombudsman_compliance_score", 92.15, None),
                   ("municipality:3502", "ombudsman_compliance_score", 85.4, None)}


@pytest.mark.parametrize("text", [
    "Pemkab Ponorogo menargetkan kepesertaan JKN mencapai 99 persen pada 2026.",
    "Target tahun ini, cakupan UHC Kota Madiun 100 persen.",
    "Kepesertaan JKN Kota Madiun diharapkan mencapai 99,5 persen tahun depan.",
    "Secara nasional, cakupan kepesertaan JKN di Kota Madiun dan daerah lain mencapai 98,2 persen.",
    "Kota Madiun menerima UHC Awards. Jumlah penduduk Indonesia yang terdaftar JKN mencapai 280.123.456 jiwa.",
    "Di Kabupaten Ponorogo terdapat 23 ribu pekerja rentan yang belum terlindungi.",
    "BPJS Ketenagakerjaan Cabang Madiun mencatat 45.000 peserta aktif di Kota Madiun.",
    "Aturan baru di Kota Madiun menaikkan syarat keaktifan kepesertaan dari 75 persen menjadi 80 persen.",
])
def test_rel_measurements_targets_national_figures_and_other_schemes_are_not_read(lexicon, text):
    assert measurements_of(text, lexicon) == set()


def test_rel_measurements_figure_referred_to_by_its_pronoun(lexicon):
    got = measurements_of("Tahun lalu, kepesertaan JKN Kota Madiun baru 95,4 persen. Kini, angkanya naik menjadi 98,7 persen.",
                          lexicon)
    assert got == {("municipality:3577", "jkn_coverage_percent", 95.4, None),
                   ("municipality:3577", "jkn_coverage_percent", 98.7, None)}


def test_rel_measurements_area_referred_to_as_the_speakers_own(lexicon):
    got = measurements_of("Penghargaan diserahkan di Jakarta kepada Kota Madiun dan Kabupaten Ponorogo. Wali Kota Madiun "
                          "Budi Santoso hadir. Menurut dia, kepesertaan JKN di wilayahnya tercatat 99,3 persen.", lexicon)
    assert got == {("municipality:3577", "jkn_coverage_percent", 99.3, None)}


def test_rel_measurements_sum_in_miliar_is_a_whole_number(lexicon):
    got = measurements_of("BPJS Ketenagakerjaan membayarkan klaim Rp535,526 miliar di Kabupaten Ponorogo.", lexicon)
    assert got == {("municipality:3502", "bpjstk_claims_paid_idr", 535526000000, None)}
    assert all(isinstance(v[2], int) for v in got)


def test_rel_measurements_as_of_date_stated_after_the_figures(lexicon):
    got = measurements_of("Kepesertaan JKN Kota Madiun 98,4 persen. Data tersebut merupakan posisi per 1 Januari 2025.",
                          lexicon)
    assert got == {("municipality:3577", "jkn_coverage_percent", 98.4, date(2025, 1, 1))}


@pytest.mark.parametrize("phrase", ["terhitung 1 Januari 2025", "per-1 Januari 2025", "hingga awal Januari 2025",
                                    "per tanggal 1 Januari 2025"])
def test_rel_measurements_as_of_phrases(lexicon, phrase):
    got = measurements_of(f"Kepesertaan JKN Kota Madiun {phrase} mencapai 98,4 persen.", lexicon)
    assert got == {("municipality:3577", "jkn_coverage_percent", 98.4, date(2025, 1, 1))}


def test_rel_measurements_vulnerable_workers_and_claims_of_bpjs_ketenagakerjaan(lexicon):
    got = measurements_of("Pemkab Ponorogo mendaftarkan 12.500 pekerja rentan sebagai peserta BPJS Ketenagakerjaan. "
                          "Sepanjang 2024, manfaat yang dibayarkan BPJS Ketenagakerjaan di Kota Madiun mencapai "
                          "Rp 18.450.000.000 untuk 2.310 klaim.", lexicon)
    assert got == {("municipality:3502", "bpjstk_vulnerable_workers_covered", 12500, None),
                   ("municipality:3577", "bpjstk_claims_paid_idr", 18450000000, None),
                   ("municipality:3577", "bpjstk_claim_cases", 2310, None)}


def test_rel_measurements_residents_whose_dues_a_local_government_pays(lexicon):
    got = measurements_of("Pemkot Madiun mengalokasikan anggaran untuk membayar iuran JKN bagi 60.000 warga.", lexicon)
    assert got == {("municipality:3577", "jkn_pemda_registered_participants", 60000, None)}


@pytest.mark.parametrize("text", [
    "Syarat UHC di Kota Madiun: keaktifan ≥80 persen.",
    "Kepesertaan JKN Kota Madiun kira-kira 97 persen.",
    "Kepesertaan JKN Kota Madiun nyaris 99 persen.",
])
def test_rel_measurements_bounds_in_symbols_and_words(lexicon, text):
    assert measurements_of(text, lexicon) == set()


def test_rel_measurements_activity_of_the_population(lexicon):
    got = measurements_of("Tingkat keaktifan penduduk Kota Madiun tercatat 81,2 persen.", lexicon)
    assert got == {("municipality:3577", "jkn_active_population_percent", 81.2, None)}


def test_rel_measurements_empty_blocker_pattern_is_a_lexicon_error():
    from kg.errors import LexiconError
    from kg.relations.measurements import _blockers
    with pytest.raises(LexiconError, match="measurement_blockers.txt: empty pattern"):
        _blockers(("sekitar", "~"))


def test_rel_measurements_trigger_words_come_from_the_lexicon(tmp_path):
    """measurement_words.tsv holds the trigger words: a word added there is read as one."""
    import shutil
    from kg.lexicon import LEXICON_DIR, load_lexicon
    from kg.relations.measurements import measurement_patterns
    d = tmp_path / "lexicons"
    shutil.copytree(LEXICON_DIR, d)
    lexicon = load_lexicon(d)
    assert not measurement_patterns(lexicon)["figure_pronoun"].search("Kini, kepesertaannya naik.")
    with open(d / "measurement_words.tsv", "a", encoding="utf-8") as fh:
        fh.write("kepesertaannya\tfigure_pronoun\n")
    load_lexicon.cache_clear()
    try:
        lexicon = load_lexicon(d)
        assert measurement_patterns(lexicon)["figure_pronoun"].search("Kini, kepesertaannya naik.")
        assert measurement_patterns(lexicon)["as_of"].search("data kepesertaan per ")
    finally:
        load_lexicon.cache_clear()


def test_rel_measurements_unknown_trigger_kind_is_named(tmp_path):
    import shutil
    from kg.errors import LexiconError
    from kg.lexicon import LEXICON_DIR, load_lexicon
    d = tmp_path / "lexicons"
    shutil.copytree(LEXICON_DIR, d)
    with open(d / "measurement_words.tsv", "a", encoding="utf-8") as fh:
        fh.write("kemarin\ttime_anaphr\n")
    with pytest.raises(LexiconError, match=r"measurement_words.tsv: row \d+: unknown kind 'time_anaphr'; expected one of "
                                           r"figure_anaphor, "):
        load_lexicon(d)   # when the lexicon is read, before any article


def test_measurements_definitions_with_the_word_precheck_are_those_the_cues_find(lexicon):
    """definitions skips a definisi cue whose words an ASCII article lacks (in any case): it finds what reading every
    cue finds, for an article defining keaktifan against the population (in lower case and in capitals), one
    without the words, and one that is not ASCII."""
    import kg.relations.measurements as measurements
    from kg.relations import Context

    texts = ["Tingkat keaktifan peserta JKN Kota Blitar 80 persen, yakni peserta aktif dibandingkan dengan jumlah "
             "penduduk.", "TINGKAT KEAKTIFAN PESERTA AKTIF DIBANDINGKAN DENGAN JUMLAH PENDUDUK KOTA BLITAR 80 PERSEN.",
             "Cakupan JKN Kota Blitar mencapai 98 persen.", "Keaktifan peserta — aktif dibandingkan jumlah penduduk — "
             "di Kota Blitar 80 persen."]
    found = []
    for text in texts:
        r = Context(find_mentions(make_article(text), lexicon))
        every = {}
        for ind in lexicon.indicators:   # every definisi cue read
            if ind.unit == "definisi" and ">" in ind.indicator and ind.cue.search(r.doc.masked):
                general, narrow = ind.indicator.split(">", 1)
                every.setdefault(general.strip(), narrow.strip())
        assert measurements.definitions(r) == every
        found.append(bool(every))
    assert found == [True, True, False, True]


def test_measurements_cue_in_answers_as_search_for_every_indicator_cue(lexicon):
    """_cue_in (an indicator cue is not read in an ASCII clause or sentence lacking its words in any case) answers
    as cue.search, for every indicators.tsv cue and every sentence of the seed articles, put in capitals, with its
    figures written "#", and with a character that is not ASCII; some cues are skipped, some match."""
    from kg.articles import article_sources, read_article
    from kg.relations.measurements import _ascii_lower, _cue_in
    from kg.sentences import split_sentences
    from kg.textutil import required_lower_texts
    from tests.helpers import SEEDS

    texts = []
    for source in article_sources([SEEDS]):
        for s in split_sentences(read_article(source.path, lexicon).text):
            texts += [s.text, s.text.upper(), re.sub(r"\d[\d.,]*", "#", s.text), s.text + " —"]
    texts += ["Jumlah peſerta 100 jiwa.", "\u212alaim 5 kasus."]   # ignoring case, "ſ" is "s" and "K" (Kelvin) "k"
    skipped = matched = 0
    for text in texts:
        lowered = _ascii_lower(text)
        for ind in lexicon.indicators:
            expected = ind.cue.search(text) is not None
            assert _cue_in(ind.cue, text, lowered) == expected, (ind.indicator, text)
            matched += expected
            needs = required_lower_texts(ind.cue)
            skipped += lowered is not None and bool(needs) and not any(t in lowered for t in needs)
    assert skipped > 100 and matched > 20


@pytest.mark.parametrize("opening", ["Adapun", "Sementara itu,", "Sedangkan"])
def test_rel_measurements_a_connective_keeps_the_area_and_date_but_its_clause_names_the_indicator(lexicon, opening):
    # the sentence before speaks of the population; the figure's own clause says what it measures
    got = measurements_of(
        "Per 1 Juni 2025, peserta JKN di Kabupaten Ponorogo tercatat 901.120 jiwa. Angka itu setara 98,4 persen "
        f"dari jumlah penduduk. {opening} tingkat keaktifan peserta mencapai 79,5 persen.", lexicon)
    june = date(2025, 6, 1)
    assert ("municipality:3502", "jkn_active_percent", 79.5, june) in got
    assert not {g for g in got if g[1] == "jkn_active_population_percent"}


def test_rel_measurements_an_anaphor_reads_its_indicator_with_the_sentence_before(lexicon):
    # "Angka itu" is the active participants' figure: a share of the population
    got = measurements_of(
        "Per 1 Juni 2025, peserta JKN yang aktif di Kabupaten Ponorogo tercatat 720.400 jiwa. Angka itu setara "
        "80,3 persen dari jumlah penduduk.", lexicon)
    assert ("municipality:3502", "jkn_active_population_percent", 80.3, date(2025, 6, 1)) in got


def test_rel_measurements_a_score_after_a_place_joined_to_a_scored_clause(lexicon):
    # "Pemkab A memperoleh nilai 93,57 dan Pemkab B 91,08": the words said once are left out for B
    got = measurements_of("Ombudsman RI menilai kepatuhan pelayanan publik. Pemkab Ngawi memperoleh nilai 93,57 dan "
                          "Pemkab Magetan 91,08.", lexicon)
    assert {(a, v) for a, i, v, _ in got if i == "ombudsman_compliance_score"} == {
        ("municipality:3521", 93.57), ("municipality:3520", 91.08)}


def test_rel_measurements_a_figure_after_a_place_without_a_scored_clause_is_no_score(lexicon):
    got = measurements_of("Ombudsman RI menilai kepatuhan pelayanan publik. Pemkab Ngawi menambah 12 loket dan "
                          "Pemkab Magetan 91,08.", lexicon)
    assert not {g for g in got if g[1] == "ombudsman_compliance_score"}


def test_rel_measurements_figures_going_on_from_a_dated_sentence_keep_its_date(lexicon):
    # "Artinya, ..." and "Dari seluruh peserta, ..." (a new paragraph) go on from the dated sentence before; each
    # figure's own clause names what it measures
    got = measurements_of(
        "Per 1 Juli 2025 jumlah peserta JKN di Kabupaten Ngawi mencapai 818.640 jiwa dari total penduduk 833.512 jiwa. "
        "Artinya, cakupan kepesertaan baru 98,22 persen.\n\nDari seluruh peserta, 651.320 jiwa tercatat aktif, "
        "sedangkan 167.320 jiwa lainnya berstatus nonaktif.", lexicon)
    july = date(2025, 7, 1)
    assert {(i, v, d) for a, i, v, d in got if a == "municipality:3521"} >= {
        ("jkn_coverage_percent", 98.22, july), ("jkn_active_participants", 651320, july),
        ("jkn_inactive_participants", 167320, july)}


def test_rel_measurements_a_share_of_the_participants_is_the_active_share_whatever_the_sentence_before_says(lexicon):
    got = measurements_of(
        "Per 1 Juli 2025, peserta JKN di Kota Madiun berjumlah 268.514 jiwa atau 99,21 persen dari jumlah penduduk. "
        "Dari jumlah itu, 240.240 jiwa berstatus aktif, setara 89,47 persen dari total peserta.", lexicon)
    july = date(2025, 7, 1)
    assert ("municipality:3577", "jkn_active_percent", 89.47, july) in got
    assert not {g for g in got if g[1] == "jkn_active_population_percent"}


def test_rel_measurements_namun_and_the_same_period_go_on_from_the_dated_sentence(lexicon):
    got = measurements_of(
        "Per 1 Agustus 2025, peserta JKN di Kabupaten Ngawi mencapai 874.908 jiwa.\n\nNamun, hanya 662.118 jiwa di "
        "antaranya yang berstatus aktif.\n\nPada periode yang sama, cakupan kepesertaan di Kabupaten Magetan mencapai "
        "99,62 persen.", lexicon)
    aug = date(2025, 8, 1)
    assert {("municipality:3521", "jkn_active_participants", 662118, aug),
            ("municipality:3520", "jkn_coverage_percent", 99.62, aug)} <= got
