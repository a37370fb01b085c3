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


@pytest.mark.parametrize("written", [
    "opini Wajar Tanpa Pengecualian", "Opini WTP", "Kabupaten/Kota Layak Anak", "Kota Layak Anak", "Provinsi Layak Anak",
    "Opini Kualitas Tertinggi Tanpa Maladministrasi", "Zona Hijau", "penilaian Kepatuhan Standar Pelayanan Publik",
    "Kepatuhan Penyelenggaraan Pelayanan Publik",
])
def test_mentions_award_rows_spelled_out_read_their_whole_name(lexicon, written):
    """awards.tsv rows whose optional words ("Opini", "penilaian") and alternatives are spelled out as
    alternatives that open with a letter: the award's mention still holds the whole name written."""
    text = f"Pemkot Madiun meraih predikat {written} tahun 2024 dari pemerintah pusat."
    (award,) = mentions(text, lexicon, "Award")
    assert written in award.text


def test_mentions_resident_and_lead_patterns_find_what_the_look_behind_forms_find(lexicon):
    """The resident (name and age) and office-lead patterns check the character before them after their first
    character, and residents are looked for only where an age in parentheses stands: the same matches as the
    patterns opening with the look-behind, on invented sentences and random texts."""
    import random

    from kg.mentions.persons import _AGE, _RESIDENT, _lead_rx
    resident = re.compile(r"(?<![\w])((?:[A-Z][a-z]+)(?:\s+[A-Z][a-z]+){0,3})\s*\((\d{1,3})\)")
    words = ("dipercaya memimpin", "kini memimpin", "kini")
    lead = re.compile(r"(?<![\w-])(?:dipercaya\s+memimpin|kini\s+memimpin|kini)\s+")
    texts = ["Warga Endang Sari (50) dan xBudi (40), -Rina (7) serta Ani(8).",
             "Rina Wati, kini  memimpin Dinas Sosial; Budi dipercaya memimpin BPBD, sedangkan xkini memimpin."]
    rng = random.Random(5)
    pieces = ["Endang", "Budi", " ", "x", "(50)", " (7)", "-", "É", "kini ", "memimpin ", "dipercaya ", "\n"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 8))) for _ in range(3000)]
    for t in texts:
        assert [m.groups() for m in _RESIDENT.finditer(t)] == [m.groups() for m in resident.finditer(t)], t
        assert bool(_AGE.search(t)) or not resident.search(t)
        assert [m.span() for m in _lead_rx(words).finditer(t)] == [m.span() for m in lead.finditer(t)], t
    assert [m.group(1) for m in _RESIDENT.finditer(texts[0])] == ["Warga Endang Sari", "Rina", "Ani"]


@pytest.mark.parametrize("text", [
    "Kantor Wilayah BPJS Ketenagakerjaan Jawa Tengah dan DIY meninjau layanan.",
    "Kepala Perwakilan Ombudsman RI Provinsi Jawa Timur hadir; Kanwil BPJS Ketenagakerjaan Jateng-DIY juga.",
    "BPJS Ketenagakerjaan Kantor Wilayah Bali, Nusa Tenggara, dan Papua menggelar rapat.",
    "BPJS Kesehatan dan Ombudsman RI menggelar rapat di Jawa Timur.",
])
def test_mentions_regional_offices_skipped_only_without_their_words(lexicon, text, monkeypatch):
    """Regional offices are looked for only in a text holding "Perwakilan", "Kantor" or "Kanwil": the same
    mentions as when they are always looked for."""
    import kg.mentions.bodies as bodies
    found = mentions(text, lexicon)
    monkeypatch.setattr(bodies, "_REGIONAL_OFFICE_WORDS", ("",))   # "" is in every text: never skipped
    assert found == mentions(text, lexicon)
    regional = [m for m in found if "/kanwil/" in m.key or "/perwakilan/" in m.key]
    assert bool(regional) == ("BPJS Kesehatan dan" not in text)
    for m in regional:
        assert any(w in m.text for w in bodies._REGIONAL_OFFICE_WORDS)


def test_mentions_office_looked_up_by_form_is_the_first_of_positions_tsv(lexicon):
    """The office a form names is read from a table built once: the first office of positions.tsv with that form
    (white space folded), as the scan over all offices found; an unknown form is none."""
    from kg.mentions.persons import _office_for
    for o in lexicon.offices:
        written = o.form.replace(" ", " \n ")
        assert _office_for(lexicon, written) is next(
            x for x in lexicon.offices if " ".join(x.form.split()) == " ".join(written.split()))
    with pytest.raises(StopIteration):
        _office_for(lexicon, "Juru Masak Istana Khayalan")


def test_mentions_agency_table_built_once_is_left_as_built(lexicon):
    """The agencies by name, built once per lexicon, are what agencies.tsv gives, and reading articles changes
    nothing in them."""
    from kg.mentions.bodies import _agencies_by_name
    fresh = {n: a for a in lexicon.agencies.values() for n in (a.label, *a.aliases)}
    assert _agencies_by_name(lexicon) == fresh
    found = mentions("Kantor Wilayah BPJS Ketenagakerjaan Jawa Tengah dan DIY bersama BPJS Kesehatan Cabang Kediri.",
                     lexicon, "Agency")
    assert found and _agencies_by_name(lexicon) == fresh


def test_mentions_region_names_built_once_are_the_places_and_provinces(lexicon):
    """The names a branch list or a branch's place is checked against, built once per lexicon: every place and
    province name, and the place a branch name opens with is read from them."""
    from kg.mentions.base import place_names, province_names
    from kg.mentions.bodies import _place_prefix, _region_names
    assert _region_names(lexicon) == set(place_names(lexicon)) | set(province_names(lexicon))
    doc = find_mentions(make_article("BPJS Kesehatan Cabang Padang Fauzi."), lexicon)
    assert _place_prefix(doc, "Padang Fauzi Lukman") == "Padang"


def test_mentions_patterns_with_a_look_ahead_of_their_first_characters_find_the_same(lexicon):
    """The government, province, office and minister patterns open with a look-ahead of the characters their
    names start with (base._opening): on random texts of those names, words before them and white space, the same
    matches as the patterns without it."""
    import random

    from kg.mentions.base import _opening, province_names, regexes
    rx = regexes(lexicon)
    names = ["Pemerintah Kota", "Pemkab", "Pemkot Blitar", "Pemerintah Provinsi Jawa Timur", "Pemprov", "Provinsi", "Jawa Timur", "Blitar", "Kota", "Wakil", "Bupati",
             "Wali Kota", "Menteri", "Menkes", "Plt.", "Kepala", "Dinas", "dan", "x", "-", " ", "\n", "Gubernur",
             *list(province_names(lexicon))[:6], *[o.form for o in lexicon.offices][:8],
             *[a for m in lexicon.ministries for a in m.minister_aliases][:6], *list(lexicon.office_modifiers)[:4]]
    rng = random.Random(11)
    texts = ["".join(rng.choice(names) + rng.choice(["", " ", "  "]) for _ in range(rng.randint(1, 7)))
             for _ in range(2000)]
    for key in ("localgov", "province", "office", "minister_alias"):
        source = rx.sources[key]
        assert source.startswith("(?=")
        plain = re.compile(source[source.index(")") + 1:])
        found = 0
        for t in texts:
            got = [(m.span(), m.groupdict()) for m in rx[key].finditer(t)]
            assert got == [(m.span(), m.groupdict()) for m in plain.finditer(t)], (key, t)
            found += len(got)
        assert found > 30, key
    assert _opening(["Kota", "Blitar", "Kab."]) == "(?=[BK])"
    assert _opening(["Kota", " Batu"]) == "" and _opening([]) == ""


def test_mentions_names_before_a_speech_verb_read_near_the_verbs_are_those_finditer_finds(lexicon):
    """find_speakers tries the name-before-verb pattern only at the capitals of the words before each speech verb
    (persons._named_before_verbs): the same matches as finditer over the whole text, on invented sentences and
    random texts of names, verbs, initials, punctuation and white space."""
    import random

    from kg.mentions.persons import _named_before_verbs, _speaker_regexes
    rx = _speaker_regexes(lexicon)
    verbs = sorted(lexicon.speech_before)[:5] + ["mengatakan", "menjelaskan"]
    pieces = ["Budi", "Santoso", "H.", "M.", "Rina", "Wati", "O'Neil", "xBudi", "dan", "kata", "Kota", "Blitar", ",",
              ".", " ", "  ", "\t", "\n", "-", *verbs, *[v + "nya" for v in verbs]]
    rng = random.Random(13)
    texts = ["Fusia menjelaskan hal itu. Budi Santoso Wibowo Putra Jaya mengatakan, Rina  mengatakan lagi."]
    texts += [" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(1000)]
    found = 0
    for t in texts:
        expected = [(m.span(), m.group(1)) for m in rx["before"].finditer(t)]
        assert [(m.span(), m.group(1)) for m in _named_before_verbs(t, rx)] == expected, t
        found += len(expected)
    assert found > 500



def test_mentions_nicknames_read_before_sapaan_are_those_finditer_finds():
    """find_nicknames tries its pattern only at the capitals of the words before each "sapaan" (persons._names_before):
    the same matches as finditer over the whole text, on invented sentences and random texts of names, commas,
    "sapaan akrab" and white space."""
    import random

    from kg.mentions.persons import _NICKNAME, _names_before
    from kg.textutil import find_all
    pieces = ["Mas", "Abu", "Abu,", "Zakiyah", "H.", "M.", "O'Neil", "xAbu", "dan", "kata", "Kota", ",", ".", " ", "  ",
              "\n", "sapaan", "sapaan akrab", "sapaan akrabnya", "akrab", "wali kota", "penyapaan", "(Abu"]
    rng = random.Random(17)
    texts = ["Mas Abu, sapaan akrab wali kota, hadir. Menurut Hj. Siti Zakiyah Putri Ayu, sapaan akrabnya Zakiyah."]
    texts += [" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(1000)]
    found = 0
    for t in texts:
        expected = [(m.span(), m.groups()) for m in _NICKNAME.finditer(t)]
        assert [(m.span(), m.groups()) for m in _names_before(t, list(find_all(t, "sapaan")), _NICKNAME)] == expected, t
        found += len(expected)
    assert found > 500

def test_mentions_heads_a_unit_opens_with_are_read_from_the_openings_made_once(lexicon):
    """bodies._heads_of and _head_openings (each head and a space, made once per lexicon) give the heads a unit name
    is or opens with, in agency_heads.tsv's order, as the test of every head written out at each call gives them."""
    from kg.mentions.bodies import _head_openings, _heads_of
    units = [*lexicon.agency_heads, *(h + " Kesehatan" for h in lexicon.agency_heads), "Dinas", "Dinasx", "", "X Dinas"]
    for unit in units:
        expected = [h for h in lexicon.agency_heads if unit == h or unit.startswith(h + " ")]
        assert _heads_of(lexicon, unit) == expected
        assert unit.startswith(_head_openings(lexicon)) == any(unit.startswith(h + " ") for h in lexicon.agency_heads)
    assert _heads_of(lexicon, "Dinas Kesehatan") == ["Dinas"]


def test_mentions_words_before_a_speech_verb_read_back_from_the_verbs_are_those_the_look_ahead_finds(lexicon):
    """bodies._words_before_speech (read back from each speech verb) gives the words the look-ahead tried at every
    word captured: a word, maybe one more word, then white space and a verb, on random texts of words, verbs,
    punctuation and white space."""
    import random

    from kg.mentions.bodies import _speech_regexes, _words_before_speech
    speech = "|".join(sorted(lexicon.speech_after | lexicon.speech_before, key=len, reverse=True))
    look_ahead = re.compile(rf"\b(?=(\w+)(?:\s+\w+)?\s+(?:{speech})\b)")
    verb = _speech_regexes(lexicon)[1]
    pieces = ["Budi", "pun", "juga", "x_1", "Dinas", "kata", "ujar", "menambahkan", "mengatakan", "katanya", "-", ",",
              ".", "(", " ", "  ", "\n", "\t", "é", "2025"]
    rng = random.Random(17)
    found = 0
    for _ in range(4000):
        text = "".join(rng.choice(pieces) + rng.choice(["", " ", " ", "  "]) for _ in range(rng.randint(1, 10)))
        expected = {m.group(1) for m in look_ahead.finditer(text)}
        assert _words_before_speech(text, verb) == expected, text
        found += len(expected)
    assert found > 1000


def test_mentions_words_after_a_speech_verb_read_where_the_verbs_stand_are_those_finditer_finds(lexicon):
    """bodies._speech_words reads the word after each speech verb through Doc.cues (the pattern, opening with a word
    boundary, tried where a verb stands): the same matches as finditer over the whole text, on random texts."""
    import random

    from kg.mentions.bodies import _speech_regexes
    from kg.textutil import Cues
    after = _speech_regexes(lexicon)[0]
    pieces = ["Budi", "pun", "x_1", "kata", "ujar", "ujarnya", "menambahkan", "mengatakan", "katanya", "sekata", "-", ",",
              ".", "(", " ", "  ", "\n", "\t", "é", "2025"]
    rng = random.Random(19)
    found = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) + rng.choice(["", " ", " ", ", "]) for _ in range(rng.randint(1, 10)))
        expected = [(m.span(), m.group(1)) for m in after.finditer(text)]
        assert [(m.span(), m.group(1)) for m in Cues(text).finditer(after)] == expected, text
        found += len(expected)
    assert found > 1000


def test_mentions_person_cue_pattern_with_a_look_ahead_of_its_first_characters_finds_the_same(lexicon):
    """The person cue pattern ("any" of persons._cue_patterns) opens with a look-ahead of the characters its cues
    start with: on invented sentences and random texts of cue words, titles, offices and names, the same matches
    and groups as the pattern without it."""
    import random

    from kg.mentions.persons import _cue_patterns
    any_cue = _cue_patterns(lexicon)["any"]
    source = any_cue.pattern
    assert source.startswith("(?=[")
    plain = re.compile(source[source.index("])") + 2:])
    titles, offices = sorted(lexicon.prefix_titles)[:8], [o.form for o in lexicon.offices][:8]
    pieces = ["Budi", "Santoso", "kata", "ujar", "oleh", "Menurut", "menurut", "dilantik", "mengatakan", "x", "É",
              ",", ", ", " ", "  ", "\n", "-", ".", "dan", "(", *titles, *offices]
    rng = random.Random(7)
    texts = ["Menurut Kepala Dinas Kesehatan, dr. Budi Santoso, cakupan naik; Budi mengatakan hal itu kata Rina."]
    texts += ["".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(1, 12)))
              for _ in range(3000)]
    found = 0
    for t in texts:
        expected = [(m.span(), m.lastgroup, m.groupdict()) for m in plain.finditer(t)]
        assert [(m.span(), m.lastgroup, m.groupdict()) for m in any_cue.finditer(t)] == expected, t
        found += len(expected)
    assert found > 1000


def test_mentions_person_cues_read_in_two_parts_are_the_matches_of_the_whole_pattern(lexicon):
    """persons._cues_in finds the cues of the person cue pattern ("any") with its two parts (cues opening a word,
    cue words after a name): on invented sentences and random texts of cue words, titles, offices, names,
    one-letter words and punctuation, the same kinds, places and ends as any.finditer, in the same order."""
    import random

    from kg.mentions.persons import _cue_patterns, _cues_in
    cue = _cue_patterns(lexicon)
    titles, offices = sorted(lexicon.prefix_titles)[:8], [o.form for o in lexicon.offices][:8]
    pieces = ["Budi", "Santoso", "kata", "ujar", "oleh", "Menurut", "menurut", "dilantik", "mengatakan", "x", "a", "É",
              ",", ", ", " ", "  ", "\n", "-", ".", "dan", "(", *titles, *offices]
    rng = random.Random(11)
    texts = ["Menurut Kepala Dinas Kesehatan, dr. Budi Santoso, cakupan naik; Budi mengatakan hal itu kata Rina.",
             "kata Budi", "a kata Rina", "Kepala Dinas, Budi mengatakan", ""]
    texts += ["".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(1, 14)))
              for _ in range(4000)]
    found = set()
    for t in texts:
        expected = [(m.lastgroup, m.start(m.lastgroup), m.end()) for m in cue["any"].finditer(t)]
        assert _cues_in(t, cue) == expected, t
        found.update(kind for kind, _, _ in expected)
    assert found == {"title", "next", "prev", "next2"}


def test_mentions_reverse_office_patterns_match_only_texts_ending_with_a_link(lexicon):
    """find_reverse_offices reads its patterns (a name before a link word, a comma and a link word, a name before a
    former-office link) only where the text before the office ends with a link (persons._ends_with_link): on
    invented texts and random ones of names, links, commas and white space of every kind, each pattern that
    matches is one the check lets through."""
    import random

    from kg.mentions.persons import _ends_with_link, _link_endings, _reverse_office_regexes
    rx = _reverse_office_regexes(lexicon)
    links, formers = _link_endings(lexicon)
    words = [*lexicon.office_words["link"], *lexicon.office_words["former_link"]]
    pieces = ["Budi", "Santoso", "Rina", "x", ",", ", ", " ", "  ", "\n", "\t", "\u00a0", "kini", "nya", *words,
              *(w.replace(" ", "\n ") for w in words[:4])]
    rng = random.Random(13)
    texts = ["Budi Santoso sebagai ", "Budi,sebagai ", "Budi Santoso, yang saat itu menjabat ", "Rina dilantik\nsebagai\n"]
    texts += ["".join(rng.choice(pieces) + rng.choice(["", " ", ""]) for _ in range(rng.randint(1, 8)))
              + rng.choice(["", "", rng.choice(words) + rng.choice([" ", "\n", "  ", ""])]) for _ in range(6000)]
    matched = 0
    for t in texts:
        if rx["before"].search(t) or rx["comma_link"].search(t):
            assert _ends_with_link(t, links), t
            matched += 1
        if rx["former"].search(t):
            assert _ends_with_link(t, formers), t
            matched += 1
    assert matched > 200


def test_mentions_overlaps_answers_as_the_list_of_overlapping_mentions():
    """MentionList.overlaps (what Doc.free asks) is bool(overlapping(start, end)) for random mentions and spans,
    mentions nested, touching, empty and long, before and after the index is built and after appending."""
    import random
    from kg.mentions.base import Mention, MentionList

    rng = random.Random(5)
    for _ in range(200):
        mentions = MentionList()
        for _ in range(rng.randint(0, 12)):
            a = rng.randint(0, 60)
            b = a + rng.choice([0, 1, 2, 5, 30])
            mentions.append(Mention("x", a, b, "Person", "t", "k", "x"))
            for _ in range(5):
                s = rng.randint(-2, 70)
                e = s + rng.randint(0, 10)
                assert mentions.overlaps(s, e) == bool(mentions.overlapping(s, e)), (s, e, mentions)


def test_mentions_overlapping_are_the_mentions_a_scan_of_the_list_finds():
    """MentionList.overlapping (the index bisected by its starts) gives the mentions that overlap the span, by
    position (start, end, then the order they were added), as a scan of the whole list does: for random mentions
    appended before and after the index is built, and after the list is sorted (the index dropped and made again)."""
    import random
    from kg.mentions.base import Mention, MentionList

    def scanned(mentions, s, e):
        return [m for _, _, _, m in sorted((m.start, m.end, n, m) for n, m in enumerate(mentions)
                                           if m.start < e and s < m.end)]

    rng = random.Random(11)
    for _ in range(300):
        mentions = MentionList()
        for step in range(rng.randint(1, 14)):
            a = rng.randint(0, 60)
            mentions.append(Mention(f"m{step}", a, a + rng.choice([0, 1, 2, 5, 30]), "Person", "t", "k", "x"))
            if rng.random() < 0.2:
                mentions.sort(key=lambda m: (m.start, -m.end))
            for _ in range(4):
                s = rng.randint(-35, 70)
                e = s + rng.randint(0, 12)
                assert mentions.overlapping(s, e) == scanned(mentions, s, e), (s, e, mentions)
                assert mentions.overlaps(s, e) == bool(scanned(mentions, s, e))
                assert mentions.starting_at(a) == [m for m in mentions if m.start == a]


def test_mentions_heads_of_a_unit_are_those_it_is_or_opens_with_in_file_order(lexicon):
    """bodies._heads_of looks up a unit's beginnings among the heads: on random units of heads, words and spaces,
    the heads of agency_heads.tsv the unit is or opens with (a space after), in the file's order."""
    import random

    from kg.mentions.bodies import _heads_of
    heads = list(lexicon.agency_heads)
    words = ["Dinas", "Kesehatan", "Badan", "Kota", "  ", "", " ", "x", "Rumah", "Sakit", *heads]
    rng = random.Random(1)
    several = 0
    for _ in range(5000):
        unit = rng.choice([" ", ""]).join(rng.choice(words) for _ in range(rng.randint(1, 4)))
        if rng.random() < 0.3:
            unit = rng.choice(heads) + rng.choice([" ", "  ", ""]) + rng.choice(words)
        expected = [h for h in heads if unit == h or unit.startswith(h + " ")]
        assert _heads_of(lexicon, unit) == expected, unit
        several += len(expected) > 1
    assert several > 50


def test_mentions_sentence_of_answers_as_reading_every_sentence(lexicon):
    """Doc.sentence_of (kept per position) gives the sentence holding a position, None between sentences and past
    the text, asked twice, and for the new sentences once they are replaced."""
    from kg.mentions.base import Doc
    from kg.sentences import Sentence
    from tests.helpers import make_article
    doc = Doc(make_article("Kota Blitar meraih UHC Awards.  Bupati X hadir!\n\nWarga senang. Selesai."), lexicon)

    def scan(pos):
        return next((s for s in doc.sentences if s.start <= pos < s.end), None)
    for _ in range(2):
        assert [doc.sentence_of(p) for p in range(len(doc.text) + 3)] == [scan(p) for p in range(len(doc.text) + 3)]
    assert doc.sentence_of(len(doc.text) + 1) is None and doc.sentence_of(doc.sentences[1].start) is doc.sentences[1]
    doc.sentences = [Sentence(0, 5, doc.text[:5])]
    assert doc.sentence_of(3) == doc.sentences[0] and doc.sentence_of(7) is None
