"""Persons named outside an office phrase, read by the CRF tagger where the words around the name also point to a
person (kg/mentions/persons.py, find_tagged_persons; cue words in office_words.txt): invented sentences."""
from __future__ import annotations

import pytest

from kg.mentions import find_mentions

from tests.helpers import make_article


def persons(text, lexicon):
    doc = find_mentions(make_article(text), lexicon)
    return {m.name for m in doc.mentions if m.label == "Person"}


def test_a_name_after_a_cue_word_is_a_person(lexicon):
    text = "Piagam penghargaan itu diserahkan oleh Rina Wulandari kepada para kader posyandu."
    assert "Rina Wulandari" in persons(text, lexicon)


def test_a_name_before_a_verb_that_takes_a_person_is_a_person(lexicon):
    text = "Pada hari yang sama, Bambang Sutrisno dilantik di pendopo kabupaten."
    assert "Bambang Sutrisno" in persons(text, lexicon)


def test_a_title_makes_a_one_word_name_a_person(lexicon):
    text = "Warga menyambut kedatangan H. Sutarmanto di balai desa."
    assert "Sutarmanto" in persons(text, lexicon)


def test_a_name_coordinated_with_a_person_is_a_person(lexicon):
    text = "Pada Kamis pagi, Dedi Kurniawan dan H. Sutarmanto dilantik di gedung dewan."
    found = persons(text, lexicon)
    assert {"Dedi Kurniawan", "Sutarmanto"} <= found


def test_a_building_named_after_a_person_is_no_person(lexicon):
    text = "Penyerahan piagam berlangsung di Auditorium K.H. Ahmad Sulaiman, Jakarta."
    assert not persons(text, lexicon)


def test_a_name_without_any_cue_is_left_alone(lexicon):
    text = "Di ujung jalan itu, Bunga Melati tumbuh subur sepanjang tahun."
    assert not persons(text, lexicon)


def test_a_one_word_name_after_a_weak_cue_is_not_a_new_person(lexicon):
    text = "Program itu berjalan baik. Menurut Sutarmanto, warga ikut membantu."
    assert "Sutarmanto" not in persons(text, lexicon)


def test_a_later_short_mention_of_a_tagged_person_is_the_same_person(lexicon):
    text = ("Bantuan itu diserahkan oleh Rina Wulandari kepada warga. "
            "Rina berharap bantuan itu meringankan beban keluarga.")
    doc = find_mentions(make_article(text), lexicon)
    keys = {m.key for m in doc.mentions if m.label == "Person"}
    assert len(keys) == 1 and sum(m.label == "Person" for m in doc.mentions) == 2


def test_a_name_after_an_office_of_an_unknown_body_is_a_person_without_an_office(lexicon):
    """"Ketua Paguyuban Seni Tari Mekar, Rina Wulandari, ...": the body is not read, the holder is still a person;
    no position is guessed for her."""
    text = "Ketua Paguyuban Seni Tari Mekar, Rina Wulandari, tampil paling akhir."
    doc = find_mentions(make_article(text), lexicon)
    found = [m for m in doc.mentions if m.label == "Person"]
    assert [m.name for m in found] == ["Rina Wulandari"] and not found[0].attr("position")


def test_an_office_far_from_the_name_is_no_cue(lexicon):
    text = "Ketua Paguyuban Seni Tari Mekar hadir, lalu Rina Wulandari tampil paling akhir."
    assert "Rina Wulandari" not in persons(text, lexicon)


# ------------------------------------------------------------------ office abbreviations (positions.tsv)

def facts(text, lexicon):
    from kg.facts import extract_facts
    out = extract_facts(find_mentions(make_article(text), lexicon))
    return {(f.subject, f.predicate, f.object) for f in out.facts}


@pytest.mark.parametrize("text, position, body", [
    ("Kadiskominfo Kota Madiun Budi Santoso mengatakan layanan itu gratis.", "Kepala",
     "agency:dinas-komunikasi-dan-informatika@3577"),
    ("Kalak BPBD Kabupaten Sleman Budi Santoso meninjau lokasi banjir.", "Kepala Pelaksana",
     "agency:badan-penanggulangan-bencana-daerah@3404"),
    ("Kasat Reskrim Polres Sleman AKP Budi Santoso memimpin penyelidikan.", "Kepala Satuan Reskrim", "agency:polres@3404"),
    ("Kabiro Umum Setda Provinsi Jawa Tengah Budi Santoso membuka acara.", "Kepala Biro Umum",
     "agency:sekretariat-daerah@33"),
])
def test_office_abbreviations_are_written_out_with_their_body(lexicon, text, position, body):
    found = facts(text, lexicon)
    assert ("person:budi-santoso", "position", position) in found
    assert ("person:budi-santoso", "affiliation", body) in found


# ------------------------------------------------------------------ the tagger stays cheap and unchanged

def test_the_tagger_reads_no_text_without_a_cue(lexicon, monkeypatch):
    import kg.ner

    def refuse(*args, **kwargs):
        raise AssertionError("tagged text with no person cue")
    monkeypatch.setattr(kg.ner, "find_person_spans", refuse)
    text = "Di ujung jalan itu, Bunga Melati tumbuh subur. Program Kampung Hijau Lestari berjalan sejak 2020."
    assert not persons(text, lexicon)


def test_the_tagger_reads_only_a_few_words_around_a_cue(lexicon, monkeypatch):
    import kg.ner
    real, seen = kg.ner.find_person_spans, []

    def spy(text, lex=None):
        seen.append(text)
        return real(text, lex)
    monkeypatch.setattr(kg.ner, "find_person_spans", spy)
    filler = "Warga Kampung Hijau Lestari menanam pohon di sepanjang Sungai Biru setiap pekan, " * 3
    text = filler + "dan bibit itu diserahkan oleh Rina Wulandari kepada para kader posyandu."
    assert "Rina Wulandari" in persons(text, lexicon)
    assert len(seen) == 1 and "Rina Wulandari" in seen[0] and len(seen[0]) < 120


def test_sentence_features_are_the_features_token_by_token(lexicon):
    from kg.ner import DATA, read_conll, sentence_features
    from tests.helpers import token_features
    for sentence in read_conll(DATA / "test_preprocess.txt")[:40]:
        tokens = [t for t, _ in sentence]
        assert sentence_features(tokens, lexicon) == [token_features(tokens, i, lexicon) for i in range(len(tokens))]


def test_nerp_word_lists_are_counted_once_and_read_back_from_the_cache(tmp_path, monkeypatch):
    import kg.ner
    monkeypatch.setenv("KABAR_KG_CACHE", str(tmp_path))
    kg.ner._nerp_lists.cache_clear()
    try:
        first = kg.ner._nerp_lists()
        files = list(tmp_path.glob("nerp-lists-*.json"))
        assert len(files) == 1
        kg.ner._nerp_lists.cache_clear()
        monkeypatch.setattr(kg.ner, "_count_nerp_lists", lambda: (_ for _ in ()).throw(AssertionError("counted again")))
        assert kg.ner._nerp_lists() == first and first["nerp_ppl_90"]
    finally:
        kg.ner._nerp_lists.cache_clear()


def test_persons_apposition_name_is_read_only_before_a_comma_and_white_space():
    """_apposition_start reads the name before an office ("kata Budi Hartono, Kepala Dinas ...") only when the text
    before the office ends with a comma and white space: every match of its pattern does (random texts)."""
    import random
    from kg.mentions.persons import _APPOSITION_NAME, _may_close_apposition
    rng = random.Random(3)
    pieces = ["kata", "Budi", "Hartono", "H.", "M.", "Rina", ",", ", ", " ", "\n", "\t", "(", "dan", "Kota", "é", "."]
    matched = 0
    for _ in range(20000):
        before = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 9)))
        if _APPOSITION_NAME.search(before):
            matched += 1
            assert _may_close_apposition(before), before
    assert matched > 200
