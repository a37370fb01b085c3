"""The cheaper ways the extraction reads a text (issue 10, eighth round) give what the engine gives read the plain way:
textutil.finditer/search (a pattern tried only where its opening finder matches), the patterns rewritten to open
with a class or a character, the patterns compiled for ASCII texts, and Context's memo of the runs an article holds."""
import random
import re

import pytest

from kg.mentions import find_mentions

from tests.helpers import SEEDS, SHARED, make_article


def _texts(lexicon, rng, pieces, n=1500):
    """Invented and random texts: seed or dev articles (also made ASCII), then runs of PIECES."""
    from kg.articles import article_sources, read_article
    folder = SHARED / "corpus" / "dev" if (SHARED / "corpus" / "dev").is_dir() else SEEDS
    articles = [read_article(s.path, lexicon).text for s in article_sources([folder])][:6]
    texts = articles + [a.encode("ascii", "replace").decode() for a in articles]
    texts += ["".join(rng.choice(pieces) + rng.choice(["", " ", " ", "\n", "  "]) for _ in range(rng.randint(0, 16)))
              for _ in range(n)]
    return texts


def _spans(matches):
    return [(m.span(), m.groups()) for m in matches]


def _scan_patterns(lexicon):
    from kg.mentions.base import regexes
    from kg.mentions.bodies import _regional_office_regex
    from kg.mentions.persons import _speaker_regexes
    from kg.relations.agreements import agreement_words
    from kg.relations.awards import VENUE, award_patterns
    from kg.relations.lists import list_words
    rx = regexes(lexicon)
    return [rx["office"], rx["minister_alias"], rx["province"], rx["localgov"], _regional_office_regex(lexicon),
            _speaker_regexes(lexicon)["after"], _speaker_regexes(lexicon)["verb"], *award_patterns(lexicon).values(),
            agreement_words()["count_document"], *(ind.cue for ind in lexicon.indicators), VENUE,
            list_words().respectively]


def test_scan_finditer_and_search_find_what_the_engine_finds(lexicon):
    """textutil.finditer and search (tried where the pattern's opening finder matches; for a pattern read ignoring
    case, in the ASCII text in lower case) give pattern.finditer's matches and pattern.search's match, groups
    included, for the office, minister, province, local government, regional office, speech, award, agreement and
    indicator patterns, over whole texts and random spans of dev articles and of random texts made of their words."""
    from kg.textutil import finditer, opening_finder, search
    patterns = _scan_patterns(lexicon)
    assert sum(opening_finder(p) is not None for p in patterns) >= 7
    assert sum(opening_finder(p) is None and opening_finder(p, lower=True) is not None for p in patterns) >= 5
    rng = random.Random(23)
    pieces = ["Bupati", "Wakil", "Wali Kota", "Menteri", "Menkes", "Provinsi", "Jawa Timur", "Jatim", "Pemkot", "Pemerintah",
              "Kota", "Kabupaten", "Blitar", "Perwakilan", "Kantor Wilayah", "Kanwil", "BPJS Kesehatan", "Ombudsman RI",
              "kata", "ujar", "mengatakan", "menjelaskan", "Budi", "Santoso", "penghargaan", "PENGHARGAAN", "serupa",
              "diraih", "kepada", "di", "ke", "masing-masing", "dua", "naskah", "aktif", "peserta", "penduduk", "xBupati", "-", ",", ".", "(", "é", "\t"]
    texts = _texts(lexicon, rng, pieces)
    found = 0
    for t in texts:
        lowered = t.lower() if t.isascii() else None
        n = len(t)
        spans = [(0, n)] + [tuple(sorted(rng.sample(range(n + 1), 2))) for _ in range(2 if n else 0)]
        for p in patterns:
            for a, b in spans:
                expected = _spans(p.finditer(t, a, b))
                assert _spans(finditer(p, t, a, b, lowered)) == expected, (p.pattern[:60], t[a:b])
                first = p.search(t, a, b)
                got = search(p, t, a, b, lowered)
                assert (got and (got.span(), got.groups())) == (first and (first.span(), first.groups())), t
                found += len(expected)
    assert found > 2000


def test_scan_opening_finder_checks_the_opening_boundary_only_where_it_holds():
    r"""opening_finder writes a pattern's opening word boundary or look-behind after the first character of each
    opening text (textutil._opening_guard): "\w" for a word boundary before texts opening with a word character,
    none when one opens with another character (there the boundary asks for a word character before it), the class of
    a look-behind; a pattern opening with a class has no finder, one read ignoring case only one in lower case. On
    random texts the matches are the engine's."""
    from kg.textutil import _opening_guard, finditer, opening_finder
    word = re.compile(r"\b(?:kata|ujar)\s+(\w+)")
    mixed = re.compile(r"\b(?:-x|ab)c")
    behind = re.compile(r"(?=[KW])(?<![\w-])(?:Wakil\s+)?Kepala\b")
    assert _opening_guard(word, ("kata", "ujar")) == r"\w"
    assert _opening_guard(mixed, ("-xc", "abc")) is None
    assert _opening_guard(behind, ("Kepala", "Wakil")) == r"[\w\-]"
    assert opening_finder(re.compile(r"[A-Z]\w+")) is None
    ignoring = re.compile(r"\b(?i:penghargaan|piala)\b")
    assert opening_finder(ignoring) is None and opening_finder(ignoring, lower=True) is not None
    rng = random.Random(5)
    pieces = ["kata", "ujar", "xkata", "_ujar", "Budi", "-x", "abc", "-xc", "c", "Wakil", "Kepala", "-Kepala", "x", "-"]
    for _ in range(3000):
        t = "".join(rng.choice(pieces) + rng.choice(["", " ", "\n"]) for _ in range(rng.randint(0, 10)))
        for p in (word, mixed, behind):
            assert _spans(finditer(p, t)) == _spans(p.finditer(t)), (p.pattern, t)
        assert _spans(finditer(ignoring, t.upper(), lowered=t.upper().lower())) == _spans(ignoring.finditer(t.upper()))


def test_scan_patterns_rewritten_to_open_with_a_class_match_as_written_before():
    r"""The patterns rewritten so that the engine skips to their first characters (a class before its repetition,
    "[.!?][.!?]*" for "[.!?]+"; a word boundary written as a look-behind after the word's first letter) find the
    same matches as the patterns written before, from any position, on random texts of their words and marks."""
    from kg.relations.measurements import CLAUSE_CLOSE, CLAUSE_OPEN
    from kg.sentences import _END
    from kg.textutil import _BEFORE_WORD, _NOT_ALNUM
    before = {
        _END: r"[.!?]+[\"”’)]?(?=\s+[\"“A-Z0-9(])",
        CLAUSE_OPEN: r",|;|\batau\b|\bdengan\b|\bdan\b|\bsedangkan\b",
        CLAUSE_CLOSE: r",|;|\batau\b|\bdengan\b|\bsedangkan\b|\bdan\b(?=[^,;]*?\d)",
        _BEFORE_WORD: r"[\w'.,&/-]+",
        _NOT_ALNUM: r"[^A-Za-z0-9]+",
    }
    rng = random.Random(3)
    pieces = ["dan", "atau", "dengan", "sedangkan", "xdan", "dan_", "Budi", "12", "3,5", ".", "!", "?", "...", '"', "”",
              ")", "(", ",", ";", "&", "/", "'", "-", "é", "A", "\n"]
    found = 0
    for _ in range(3000):
        t = "".join(rng.choice(pieces) + rng.choice(["", " ", "  "]) for _ in range(rng.randint(0, 14)))
        pos = rng.randint(0, len(t))
        for new, old in before.items():
            old = re.compile(old)
            assert _spans(new.finditer(t, pos)) == _spans(old.finditer(t, pos)), (old.pattern, t, pos)
            assert new.findall(t) == old.findall(t) and new.sub("#", t) == old.sub("#", t)
            found += bool(old.search(t))
    assert found > 5000


def test_scan_context_runs_are_those_the_texts_hold(lexicon):
    """Context._run_in (whether the article's text and blanked text, in lower case, hold a run, found once per run;
    the blanked text looked at only for runs with a space or that the text holds) answers as str.find in each, for
    runs inside and around blanked parentheses, with and without spaces, and in any case."""
    from kg.relations import Context
    article = make_article("Dinas Kesehatan (Dinkes Kota) Blitar meraih Penghargaan (kategori madya) tahun ini.")
    r = Context(find_mentions(article, lexicon))
    assert r._lower() is not None and r.doc.masked != r.doc.text
    text, blanked = r.doc.text.lower(), r.doc.masked.lower()
    runs = ["dinkes", "dinkes kota", "s kota", "kesehatan", "kesehatan ", "h (", "  ", "madya", "penghargaan",
            "blitar", "absent", "", " ", "(", "n (d"]
    for run in runs + runs:   # asked twice: the second answer comes from the memo
        assert r._run_in(run) == (run in text, run in blanked), run


def test_scan_person_cue_class_for_ascii_texts_is_the_unicode_class_there(lexicon):
    """persons._cue_patterns' "word_ascii" (the class before a cue word written with the ASCII word characters) finds
    in an ASCII text what "word" finds, from any position, on random texts of cue words, names, digits, underscores
    and punctuation."""
    from kg.mentions.persons import _cue_patterns
    cue = _cue_patterns(lexicon)
    rng = random.Random(29)
    pieces = ["Budi", "kata", "oleh", "Menurut", "dr.", "H.", "Kepala Dinas", "Bupati", "_", "9", "x", "-", ",", ".",
              "(", '"', "\t", "\n"]
    found = 0
    for _ in range(3000):
        t = "".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(0, 12)))
        pos = rng.randint(0, len(t))
        expected = cue["word"].search(t, pos)
        got = cue["word_ascii"].search(t, pos)
        assert (got and (got.span(), got.groups())) == (expected and (expected.span(), expected.groups())), t
        found += expected is not None
    assert found > 150


@pytest.mark.parametrize("odd", ["", "\x1f", "\x1c", "é"])
def test_scan_dates_and_numbers_read_for_ascii_find_what_unicode_patterns_find(lexicon, monkeypatch, odd):
    """find_dates reads an ASCII text (without the white space only Unicode knows) with its patterns compiled for
    ASCII, find_numbers its digits with a byte search: the same dates and numbers as with the Unicode patterns, on
    random texts of dates, numbers, months and white space of every kind (also holding ODD, a character that sends the
    text to the Unicode patterns)."""
    import kg.dates as dates
    import kg.numbers as numbers
    from datetime import date
    rng = random.Random(31)
    pieces = ["17", "2025", "11", "1", "2.500", "3,5", "Rp", "Rp 1,2 miliar", "-", "/", "(27/1)", "2025-11-17",
              "17/11/2025", "November", "Nov", "Agustus", "Agus", "akhir", "tahun", "bulan", "per", "hingga", "kemarin",
              "hari ini", "persen", "jiwa", "Nomor", ".", ",", " ", "\t", "\n", "\x1e", odd]
    texts = ["".join(rng.choice(pieces) + rng.choice(["", " ", "  "]) for _ in range(rng.randint(0, 14)))
             for _ in range(2500)]
    read = [(dates.find_dates(t, lexicon, date(2025, 12, 1)), numbers.find_numbers(t)) for t in texts]
    monkeypatch.setattr(dates, "_ascii_patterns", lambda months: {})
    monkeypatch.setattr(numbers, "_next_digit", lambda text: lambda pos: next(
        (d.start() for d in [numbers._DIGIT.search(text, pos)] if d is not None), -1))
    assert [(dates.find_dates(t, lexicon, date(2025, 12, 1)), numbers.find_numbers(t)) for t in texts] == read
    assert sum(len(d) for d, _ in read) > 300 and sum(len(n) for _, n in read) > 1000


def test_scan_openings_find_each_pattern_where_the_engine_finds_it():
    """textutil.Openings finds where several patterns can start in one pass over a text; Cues then gives each
    pattern's finditer and search: on invented patterns whose opening texts share first letters, one opening the
    beginning of another's ("Kota", "Kota Layak Anak"), one starting inside another's ("Kota" in "Kabupaten/Kota"),
    white space written otherwise than one space, and patterns left out (a class of first characters, ignoring
    case), over invented sentences and random texts, whole and in random spans."""
    from kg.textutil import Cues, Openings
    patterns = [re.compile(p) for p in (
        r"(?P<kind>K(?<!\wK)(?:ota|abupaten))\s+(?P<place>[A-Z]\w+)",
        r"Kabupaten/Kota\s+Layak\s+Anak|Kota\s+Layak\s+Anak",
        r"(?<![\w-])(?:(?P<mod>Wakil)\s+)?(?P<form>Wali\s+Kota|Bupati)(?![\w-])",
        r"Wali Kota\s+\w+",                  # (a literal space: matches one space only)
        r"\b(?:Provinsi\s+)?(?:Jawa\s+(?:Timur|Barat)|Bali)\b",
        r"(?<=\s)(?:mengatakan|menjelaskan)\b",
        r"[Nn]ota\s+[Kk]esepahaman",         # opens with a class: left out
        r"(?i)kota\s+\w+",                   # read ignoring case: left out
    )]
    openings = Openings(patterns)
    assert [openings.index(p) for p in patterns] == [0, 1, 2, 3, 4, 5, None, None]
    sentences = ["Wakil Wali Kota Blitar mengatakan Kabupaten/Kota Layak Anak diraih Kota Batu.",
                 "Bupati Bogor menjelaskan, Kota  Layak\nAnak di Provinsi Jawa\tTimur dan Bali.",
                 "Wali  Kota Madiun, Wali Kota Kediri; xKota Malang, Nota Kesepahaman KOTA Kediri."]
    rng = random.Random(5)
    pieces = ["Kota", "Kabupaten", "Kabupaten/Kota", "Layak", "Anak", "Wakil", "Wali", "Bupati", "Provinsi", "Jawa",
              "Timur", "Bali", "Blitar", "mengatakan", "menjelaskan", "nota", "kesepahaman", "x", "-", ",", "\n"]
    texts = sentences + ["".join(rng.choice(pieces) + rng.choice(["", " ", "  ", "\n", "\t"])
                                 for _ in range(rng.randint(0, 14))) for _ in range(1500)]
    found = 0
    for t in texts:
        cues = Cues(t, openings)
        for p in patterns:
            assert _spans(cues.finditer(p)) == _spans(p.finditer(t)), (p.pattern, t)
            found += len(cues.finditer(p))
            a, b = sorted(rng.randint(0, len(t)) for _ in range(2))
            assert _spans(cues.finditer(p, a, b)) == _spans(p.finditer(t, a, b)), (p.pattern, t, a, b)
            m, n = cues.search(p, a, b), p.search(t, a, b)
            assert (m and (m.span(), m.groups())) == (n and (n.span(), n.groups())), (p.pattern, t, a, b)
    assert found > 1000


def test_scan_patterns_read_over_the_whole_text_are_found_where_the_engine_finds_them(lexicon):
    """The patterns the recognisers read over the whole blanked text through Doc.cues (base.reads_whole_text), found in
    one pass (textutil.Openings), give the engine's matches on dev articles (also made ASCII) and random texts of
    their words; all but a few of them are read in that pass."""
    from kg.mentions.base import _WHOLE_TEXT, whole_text_openings
    from kg.textutil import Cues
    openings = whole_text_openings(lexicon)
    registered = [p for patterns in _WHOLE_TEXT for p in patterns(lexicon)]
    assert len(openings.patterns) >= len(registered) - 2 >= 20
    rng = random.Random(29)
    pieces = ["Bupati", "Wakil", "Wali Kota", "Menteri", "Menkes", "Provinsi", "Jawa Timur", "Jatim", "Pemkot",
              "Pemerintah", "Pemerintah Daerah", "Pemda", "Aceh", "Kota", "Kabupaten", "Blitar", "Batu", "Perwakilan",
              "Kantor Wilayah", "Kanwil", "BPJS Kesehatan", "Dinas", "Kesehatan", "Dinkes", "Inspektorat", "Kementerian",
              "Dewan Pengawas", "UHC", "Awards", "Adipura", "Kencana", "mengatakan", "menjelaskan", "xKota", "-", ","]
    found = 0
    for t in _texts(lexicon, rng, pieces, n=400):
        cues = Cues(t, openings)
        for p in registered:
            assert _spans(cues.finditer(p)) == _spans(p.finditer(t)), (p.pattern[:80], t)
            found += len(cues.finditer(p))
    assert found > 1000
