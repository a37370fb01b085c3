"""The helpers of kg/textutil.py on invented names and sentences: the trie-shaped alternation of lexicon names."""
import random
import re

import pytest

from kg.textutil import alternation, standalone


def flat(names) -> str:
    """The pattern alternation stands for: every name escaped, a space any run of white space, longest first."""
    return "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(set(names), key=len, reverse=True))


def spans(pattern: str, text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m["name"]) for m in re.finditer(rf"\b(?P<name>{pattern})\b", text)]


def test_textutil_alternation_shares_beginnings():
    assert alternation(["Kota", "Kota Batu", "Kudus"]) == r"K(?:ota(?:\s+Batu)?|udus)"


@pytest.mark.parametrize("names, text, found", [
    (["Kota", "Kota Batu"], "Warga Kota Batu dan Kota lain.", ["Kota Batu", "Kota"]),
    # the longest name that fits, the shorter one when the word goes on ("Batu Barat" is not "Batu Bara")
    (["Batu", "Batu Bara"], "Di Batu Bara, lalu Batu Barat.", ["Batu Bara", "Batu"]),
    (["Tanah Datar"], "Kabupaten Tanah\n  Datar menerima", ["Tanah\n  Datar"]),
    (["S.H.", "S.Sos"], "Budi, S.Sos dan Rina S.H. hadir", ["S.Sos"]),
])
def test_textutil_alternation_finds_what_the_flat_list_finds(names, text, found):
    assert [s[2] for s in spans(alternation(names), text)] == found
    assert spans(alternation(names), text) == spans(flat(names), text)


def test_textutil_alternation_matches_like_the_flat_list_on_random_names():
    rng = random.Random(11)
    for _ in range(300):
        names = {"".join(rng.choice("ab ") for _ in range(rng.randint(1, 6))).strip() or "a" for _ in range(6)}
        names = {" ".join(n.split()) for n in names}
        text = "".join(rng.choice("ab  .") for _ in range(60))
        assert spans(alternation(names), text) == spans(flat(names), text), (names, text)


def test_textutil_alternation_writes_out_a_branch_holding_one_name():
    assert alternation(["Kota Batu", "Kudus", "Kota"]) == r"K(?:ota(?:\s+Batu)?|udus)"
    assert alternation(["Tanah Datar", "Tanah Laut", "Tabalong"]) == r"Ta(?:nah\s+(?:Datar|Laut)|balong)"


def test_textutil_alternation_of_the_same_names_in_any_order_is_one_pattern():
    names = ["Batu", "Batu Bara", "Blitar", "Kediri"]
    first = alternation(iter(names))
    assert alternation(reversed(names)) is first   # built once, then taken from the cache
    assert alternation(set(names), ignore_case=True) != first


def test_textutil_alternation_of_nothing_is_empty():
    assert alternation([]) == ""


def test_textutil_alternation_checks_the_character_before_after_the_first():
    assert alternation(["Kota", "Kudus"], not_after=r"[\w-]") == r"K(?<![\w-]K)(?:udus|ota)"


@pytest.mark.parametrize("names, text, found", [
    (["Dinsos", "Dinkes"], "Dinsos, pra-Dinkes, XDinkes dan Dinkes.", ["Dinsos", "Dinkes"]),
    (["BPJS Kesehatan"], "-BPJS Kesehatan dan BPJS  Kesehatan", ["BPJS  Kesehatan"]),
])
def test_textutil_alternation_not_after_finds_what_the_look_behind_finds(names, text, found):
    not_word = r"[\w-]"
    guarded = re.compile(rf"(?P<name>{alternation(names, not_after=not_word)})")
    flat_first = re.compile(rf"(?<![\w-])(?P<name>{flat(names)})")
    assert [m["name"] for m in guarded.finditer(text)] == found
    assert [m.span() for m in guarded.finditer(text)] == [m.span() for m in flat_first.finditer(text)]


def test_textutil_alternation_not_after_on_random_names():
    rng = random.Random(5)
    for _ in range(300):
        names = {" ".join("".join(rng.choice("ab-") for _ in range(rng.randint(1, 5))).split()) or "a" for _ in range(5)}
        text = "".join(rng.choice("ab -.") for _ in range(60))
        for cls, ignore_case in ((r"[\w-]", False), (r"\w", True)):
            flags = re.IGNORECASE if ignore_case else 0
            guarded = [m.span() for m in re.finditer(alternation(names, ignore_case, cls), text.upper() if ignore_case
                                                     else text, flags)]
            plain = [m.span() for m in re.finditer(rf"(?<!{cls})(?:{flat(names)})", text.upper() if ignore_case
                                                   else text, flags)]
            assert guarded == plain, (names, text, cls)


@pytest.mark.parametrize("abbr, words, fits", [
    ("Dinkes", "Dinas Kesehatan", True),
    ("KLHK", "Kementerian Lingkungan Hidup dan Kehutanan", True),
    ("UHC", "Universal Health Coverage", True),
    ("Lotim", "Lombok Timur", True),
    ("Dinsos", "Dinas Kesehatan", False),
    ("BKD", "Kepala Badan Kepegawaian Daerah", False),   # the first word is never passed over
])
def test_textutil_abbreviates(abbr, words, fits):
    from kg.textutil import abbreviates
    assert abbreviates(abbr, words.split()) is fits


def test_textutil_find_abbreviations_shortest_long_form():
    from kg.textutil import find_abbreviations
    text = "Kepala Dinas Kesehatan (Dinkes) hadir. Predikat UHC (Universal Health Coverage) dan Opini (Zona Hijau)."
    abbreviations, others = find_abbreviations(text)
    assert abbreviations == {"Dinkes": "Dinas Kesehatan", "UHC": "Universal Health Coverage"}
    assert list(others.values()) == ["Zona Hijau"]


@pytest.mark.parametrize("word", ["Dinkes", "Lotim", "S.K.", "Kab. Bogor", "-X", ".5", "A"])
def test_textutil_standalone_finds_what_the_look_behind_finds(word):
    """The word standing alone, the check before it written after its first character: the same matches as
    the pattern opening with the look-behind, on an invented sentence and on random texts around the word."""
    flat = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")
    text = f"{word} dan {word}-an, x{word} ({word}) -{word} {word}{word} {word}."
    assert [m.span() for m in standalone(word).finditer(text)] == [m.span() for m in flat.finditer(text)]
    assert standalone(word).pattern[:1] != "("   # the engine can skip to the first character
    rng = random.Random(word)
    pieces = [word, word[:1], word[1:], " ", "-", "x", ".", "\n"]
    for _ in range(500):
        t = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        assert [m.span() for m in standalone(word).finditer(t)] == [m.span() for m in flat.finditer(t)], t


def test_mentions_patterns_compile_when_first_asked_for():
    from kg.mentions.base import Patterns
    patterns = Patterns({"year": r"(?:19|20)\d\d", "broken": "("})
    assert patterns == {}   # nothing compiled yet: a broken source costs nothing until asked for
    assert patterns["year"].findall("Pada 2025, bukan 1850.") == ["2025"]
    assert patterns["year"] is patterns["year"]
    assert list(patterns) == ["year"]
    with pytest.raises(re.error):
        patterns["broken"]
    with pytest.raises(KeyError):
        patterns["month"]


@pytest.mark.parametrize("pattern, texts", [
    (r"[Nn]ota\s+[Kk]esepahaman", ("esepahaman",)), (r"\bx\.y\b", ("x.y",)), (r"[Nn]ab?cd", ("cd",)),
    (r"[Nn]ab*", ("a",)), (r"[Nn](?:abc)d", ("abcd",)), (r"a|bcd", ("a", "bcd")), (r"(?i)kerja", ()),
    (r"[Nn](?i:kerja)sama", ("sama",)), (r"[Nn]x(?:a|[bc])", ("x",)), (r"(?:a|[bc])", ()),
    (r"[Kk]erja(?:(?<=[Mm]eneken\s[Kk]erja))\s*[Ss]ama", ("erja",)),
    (r"(?:Anugerah|Piala)\s+[A-Z]\w+", ("Anugerah", "Piala")),
    # opening with a character: the engine finds that prefix itself
    (r"MoU", ()), (r"PKS(?<![Ff]raksi\sPKS)", ()), (r"(?:Universal Health Coverage|UHC)", ()),
])
def test_textutil_required_texts_are_runs_one_of_which_every_match_holds(pattern, texts):
    from kg.textutil import required_texts
    assert required_texts(re.compile(pattern)) == texts


def test_textutil_required_texts_are_in_every_match_of_the_lexicon_patterns(lexicon):
    """For the agreement kinds and award families, and random texts built from their words: wherever a pattern
    matches, one of its required texts stands in the match (so a text lacking all of them is rightly not read)."""
    from kg.textutil import required_texts
    patterns = [k.pattern for k in lexicon.agreements] + [f.pattern for f in lexicon.awards]
    words = ["Nota", "nota", "Kesepahaman", "kesepakatan", "Bersama", "kerja", "Kerja", "sama", "Sama", "meneken",
             "menandatangani", "MoU", "PKS", "Fraksi", "Perjanjian", "Memorandum", "of", "Understanding", "Adipura",
             "Kencana",
             "Opini", "WTP", "Kota", "Kabupaten/Kota", "Layak", "Anak", "KLA", "Swasti", "Saba", "Penghargaan", "Piala",
             "Universal", "Health", "Coverage", "UHC", "Awards", "Zona", "Integritas", "WBK", "Penilaian", "Kepatuhan",
             "Pelayanan", "Publik", " ", "  ", "\n", ",", "2025"]
    rng = random.Random(3)
    matched = 0
    for _ in range(3000):
        text = "".join(rng.choice(words) + rng.choice([" ", "", "  "]) for _ in range(rng.randint(1, 8)))
        for p in patterns:
            for m in p.finditer(text):
                matched += 1
                needs = required_texts(p)
                assert not needs or any(t in m.group() for t in needs), (p.pattern, text)
    assert matched > 300
    assert required_texts(lexicon.agreements[2].pattern)   # the precheck is used: "[Nn]ota\s+[Kk]esepahaman"


def test_textutil_abbreviations_found_with_the_first_letter_precheck_are_those_every_long_form_tried_finds():
    """find_abbreviations calls _fits only for long forms opening with the abbreviation's first letter: it finds
    what trying every long form (the shortest that fits) finds, for long forms that fit, that fit only past a
    skipped word, whose first letter differs only in case, and abbreviations holding no letter."""
    from kg.textutil import _fits, _letters, find_abbreviations, is_abbreviation

    def every_long_form(text):
        found = {}
        for m in re.finditer(r"\(([^()\n]{1,80})\)", text):
            inner = m.group(1).strip()
            if not inner[:1].isalpha() or not is_abbreviation(inner):
                continue
            before = [w.strip(",") for w in re.findall(r"[\w'.,&/-]+", text[max(0, m.start() - 160):m.start()])
                      if w.strip(",")]
            ws = [_letters(w) for w in before[-12:]]
            for k in range(1, len(ws) + 1):
                if before[-k][:1].isupper() and _fits(_letters(inner), ws[len(ws) - k:]):
                    found.setdefault(inner, " ".join(before[-k:]))
                    break
        return found

    texts = ["Dinas Kesehatan (Dinkes) Kota Blitar.", "Kementerian Lingkungan Hidup dan Kehutanan (KLHK) hadir.",
             "Pada rapat Badan Penyelenggara Jaminan Sosial (BPJS) Kesehatan.", "data dari sistem Informasi (SI).",
             "Kartu Indonesia Sehat (K.I.S.) dan Jaminan Kesehatan Nasional (JKN-KIS).", "Tahun ini (2025) saja.",
             "Badan Usaha Milik Daerah, (BUMD) dan Pemerintah Daerah (Pemda).", "oleh Dr. (H.C.) Ahmad.",
             "Ekonomi Kreatif (Ekraf)", "Satuan Kerja Perangkat Daerah (SKPD) (OPD) dan X (Y)"]
    rng = random.Random(3)
    words = ["Dinas", "Kesehatan", "dan", "Kota", "kesehatan", "Daerah", "di", "Badan", "Sosial", "B", "K."]
    for _ in range(300):
        body = " ".join(rng.choice(words) for _ in range(rng.randint(1, 8)))
        abbr = "".join(w[0] for w in body.split() if rng.random() < 0.8)
        texts.append(f"{body} ({abbr or 'X'}) lalu.")
    for text in texts:
        expected, found = every_long_form(text), find_abbreviations(text)[0]
        assert {k: v for k, v in found.items() if k in expected} == expected, text


@pytest.mark.parametrize("pattern, flags, texts", [
    (r"aktif\w*\s+(?:di)?bandingkan|keaktifan\s+penduduk", re.IGNORECASE, ("bandingkan", "keaktifan")),
    (r"(?i:Nota)\s+(?-i:Kesepahaman)", 0, ("kesepahaman",)),
    (r"\b(?i:UHC|Universal)\b", 0, ("hc", "niversal")),     # the parser takes the common "U" out of the choice
    (r"Pemda|tidak aktif", re.IGNORECASE, ("pemda", "tidak aktif")),
    (r"\d+\s*(?:%|persen)", re.IGNORECASE, ("%", "persen")),
    (r"\d+\s*\w+", re.IGNORECASE, ()),                    # no run of characters
    (r"(?:a|\d)bc", re.IGNORECASE, ("bc",)),
    (r"ſelesai|\u212aota", re.IGNORECASE, ()),            # not ASCII: "ſ" matches "s", "K" (Kelvin) "k"
])
def test_textutil_required_lower_texts_are_runs_in_lower_case_also_ignoring_case(pattern, flags, texts):
    from kg.textutil import required_lower_texts
    assert required_lower_texts(re.compile(pattern, flags)) == texts


def test_textutil_required_lower_texts_are_in_every_match_of_the_indicator_cues(lexicon):
    """For the indicators.tsv cues (read ignoring case) and random ASCII texts built from their words in any case:
    wherever a cue matches, one of its required lower-case texts stands in the match put in lower case."""
    from kg.textutil import required_lower_texts
    words = ["peserta", "aktif", "aktifnya", "dibandingkan", "bandingkan", "dengan", "jumlah", "total", "penduduk",
             "persen", "dari", "keaktifan", "terhadap", "#", "JKN", "UHC", "BPJS", "Ketenagakerjaan", "Kesehatan",
             "pemkab", "menanggung", "klaim", "santunan", "rentan", "pekerja", "nonaktif", "tidak", "kepesertaan"]
    rng = random.Random(4)
    matched = 0
    for _ in range(2000):
        text = " ".join((w.upper() if rng.random() < 0.2 else w.capitalize() if rng.random() < 0.3 else w)
                        for w in (rng.choice(words) for _ in range(rng.randint(1, 9))))
        for ind in lexicon.indicators:
            needs = required_lower_texts(ind.cue)
            for m in ind.cue.finditer(text):
                matched += 1
                assert not needs or any(t in m.group().lower() for t in needs), (ind.cue.pattern, text)
    assert matched > 1000
    assert all(required_lower_texts(ind.cue) for ind in lexicon.indicators if ind.unit == "definisi")


# ---------------------------------------------------------------- opening texts and Cues

@pytest.mark.parametrize("pattern, flags, texts", [
    (r"K(?<!\wK)(?:ota|abupaten)\s+[A-Z]", 0, ("Kabupaten", "Kota")),          # through a look-behind, into a choice
    (r"(?=[MW])(?<![\w-])(?:(?P<mod>Wakil)\s+)?Menteri\b", 0, ("Menteri", "Wakil")),   # an optional part, or what follows
    (r"\b(?:kata|ujar),?\s+([A-Z]\w+)", 0, ("kata", "ujar")),
    (r"Men(?:teri)?\b", 0, ("Men",)),                      # a choice that may be empty: the run before it
    (r"[A-Z]\w+\s+(?:kata|ujar)", 0, ()),                    # opens with a class of characters
    (r"[KP]ota\s+\w+", 0, ()),
    (r"(?:Wakil\s+)?", 0, ()),                               # may match the empty text
    (r"(?:Kota|\d+)", 0, ()),                                # a branch without an opening text
    (r"(?i:kota)\s+X", 0, ()),                               # read ignoring case: see lower_opening_texts
    (r"kota", re.IGNORECASE, ()),
])
def test_textutil_opening_texts_open_every_match(pattern, flags, texts):
    from kg.textutil import opening_texts
    assert opening_texts(re.compile(pattern, flags)) == texts


@pytest.mark.parametrize("pattern, flags, texts", [
    (r"(?i:Kota|Kab\.)\s+X", 0, ("kab.", "kota")),
    (r"\b(?:Penghargaan|piala)\b", re.IGNORECASE, ("penghargaan", "piala")),
    (r"(?i:\u212aota)", 0, ()),                              # not ASCII: "K" (Kelvin) matches "k" ignoring case
])
def test_textutil_lower_opening_texts_are_in_lower_case_also_ignoring_case(pattern, flags, texts):
    from kg.textutil import lower_opening_texts
    assert lower_opening_texts(re.compile(pattern, flags)) == texts


CUE_PATTERNS = [
    r"K(?<!\wK)(?:ota|abupaten)\s+(?P<place>[A-Z]\w+)",
    r"(?<![\w-])(?:(?P<mod>Wakil)\s+)?(?:Menteri|Menko)(?:\s+[A-Z]\w+)?(?![\w-])",
    r"\b(?:kata|ujar|ujarnya),?\s+([A-Z]\w+(?:\s+[A-Z]\w+)?)",
    r"\b(?i:penghargaan|piala)\s+(?i:serupa|tersebut)\b",      # read ignoring case, found in lower case
    r"(?:Pemkot|Pemkab)\s+\w+|Pemerintah(?<!\wPemerintah)\s+Kota\s+\w+",
    r"ab(?:ab)*",                                                # matches that would overlap: leftmost first
    r"[KP]emkot\s+\w+",
    r"[A-Z]\w+\s+(?:kata|ujar)",                                 # no opening text: read by the engine
]


def test_textutil_cues_find_what_the_engine_finds_in_invented_sentences():
    """Cues.finditer and Cues.search, on random sentences of the patterns' words, give the engine's matches
    (finditer, search with a start and an end), also between the places where the opening words stand."""
    from kg.textutil import Cues
    words = ["Kota", "Kabupaten", "kota", "Blitar", "Wakil", "Menteri", "Menko", "Keuangan", "kata", "ujar", "ujarnya",
             "Budi", "Santoso", ",", "Penghargaan", "PIALA", "serupa", "Tersebut", "Pemkot", "Pemkab", "Pemerintah",
             "abab", "xab", "ab", "SubKota", "-Menteri", "(Kota)", "\n", "itu."]
    rng = random.Random(10)
    compiled = [re.compile(p) for p in CUE_PATTERNS]
    found = 0
    for _ in range(1500):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 14)))
        if rng.random() < 0.3:
            text = text.replace(" ", rng.choice(["", "  ", "\t"]), 2)
        cues = Cues(text)
        for rx in compiled:
            expected = [m.span() for m in rx.finditer(text)]
            assert [m.span() for m in cues.finditer(rx)] == expected, (rx.pattern, text)
            found += len(expected)
            a = rng.randint(0, len(text))
            b = rng.randint(a, len(text))
            assert [m.span() for m in cues.finditer(rx, a, b)] == [m.span() for m in rx.finditer(text, a, b)]
            got, want = cues.search(rx, a, b), rx.search(text, a, b)
            assert (got and got.span()) == (want and want.span()), (rx.pattern, text, a, b)
    assert found > 2000


def test_textutil_cues_try_a_pattern_only_where_its_opening_words_stand():
    """A pattern is tried (Pattern.match) at the places of its opening words only, found once per text and word."""
    from kg.textutil import Cues
    rx = re.compile(r"\b(?:kata|ujar),?\s+([A-Z]\w+)")
    text = "Program itu berjalan, kata Budi. Ia pergi ke kota, ujar Rina, dan sekata pula."
    cues = Cues(text)
    assert cues.starts(rx) == sorted([text.index("kata Budi"), text.index("kata pula"), text.index("ujar Rina")])
    assert [m[1] for m in cues.finditer(rx)] == ["Budi", "Rina"]
    assert cues.starts(re.compile(r"[A-Z]\w+")) is None        # no opening text: read by the engine


def test_textutil_per_pattern_reads_each_pattern_object_once():
    """per_pattern keeps READ's value per pattern object, found by its id (functools' caches would hash the pattern's
    compiled code at every question); two equal patterns are asked apart, and no more than _PER_PATTERN are kept."""
    import kg.textutil as tu
    read = []
    texts = tu.per_pattern(lambda p: read.append(p) or tu.required_lower_texts(p))
    rx = re.compile(r"(?i)\b(?:kata|ujar)\s+Budi")
    assert texts(rx) == texts(rx) == tu.required_lower_texts(rx) and read == [rx]
    twin = re.compile(rx.pattern + "(?:)")
    assert texts(twin) == texts(rx) and read == [rx, twin]
    many = [re.compile(f"kata{i}") for i in range(tu._PER_PATTERN + 1)]
    for p in many:
        texts(p)
    assert texts(rx) == tu.required_lower_texts(rx) and read[-1] is rx   # dropped when the table filled up, read again


def test_textutil_words_before_a_parenthesis_of_an_ascii_text_are_read_as_in_unicode():
    """find_abbreviations reads the words before a parenthesis of an ASCII text with an ASCII class: the same words as
    the Unicode class reads, on invented and random texts, whole and in random spans."""
    import random
    from kg.textutil import _BEFORE_WORD, _BEFORE_WORD_ASCII, find_abbreviations
    assert find_abbreviations("Dinas Kesehatan (Dinkes) Kota Blitar dan UHC (Universal Health Coverage).")[0] == \
        {"Dinkes": "Dinas Kesehatan", "UHC": "Universal Health Coverage"}
    rng = random.Random(11)
    pieces = ["Dinas", "Kesehatan", "(Dinkes)", "Kementerian", "dan", "(KLHK)", "UHC", "(Zona Hijau)", "P.T.", "a/b", "&",
              "O'Neil", "x_y", "09", ",", ".", "-", "(50)", "(", ")", "\n", "\t", "  ", "!", "?", ":", ";", '"', "~", "^"]
    texts = [" ".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))) for _ in range(1500)]
    texts.append("".join(map(chr, range(128))))
    for t in texts:
        assert t.isascii()
        a, b = sorted(rng.randint(0, len(t)) for _ in range(2))
        assert _BEFORE_WORD_ASCII.findall(t) == _BEFORE_WORD.findall(t), t
        assert _BEFORE_WORD_ASCII.findall(t, a, b) == _BEFORE_WORD.findall(t, a, b), (t, a, b)
