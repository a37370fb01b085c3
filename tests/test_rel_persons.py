"""Persons named outside an office phrase, read by the CRF tagger where the words around the name also point to a
person (kg/mentions/persons.py, find_tagged_persons; cue words in office_words.txt): invented sentences."""
from __future__ import annotations

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
