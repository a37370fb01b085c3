from datetime import date
from pathlib import Path

import pytest

from kg.articles import decode, find_article_files, parse_article, read_article
from kg.errors import ArticleError


def test_articles_dateline_with_bar_and_dash():
    a = parse_article("MALANG | warta-contoh.id - Pemerintah Kota Malang membuka posko.\n", "x.txt")
    assert (a.place, a.publisher, a.title) == ("MALANG", "warta-contoh.id", None)
    assert a.text.startswith("Pemerintah Kota Malang membuka posko.")


def test_articles_dateline_with_comma_and_em_dash_after_title():
    a = parse_article("Judul Berita Singkat\n\nKediri, kabar.co.id — Isi berita dimulai di sini.\n", "x.txt")
    assert (a.title, a.place, a.publisher) == ("Judul Berita Singkat", "Kediri", "kabar.co.id")
    assert a.text == "Judul Berita Singkat\n\nIsi berita dimulai di sini."


def test_articles_publication_date_after_the_dash():
    a = parse_article("Judul\n\nSOLO, berita.id — Kamis, 3 April 2025\n\nIsi berita.\n", "x.txt")
    assert a.published == date(2025, 4, 3)
    assert "Kamis" not in a.text


def test_articles_publication_date_on_its_own_line():
    a = parse_article("Judul\n\nSenin, 2 Juni 2025 | 10:15 WIB\n\nDEMAK | kabar.id - Isi berita.\n", "x.txt")
    assert a.published == date(2025, 6, 2)


@pytest.mark.parametrize("clutter", [
    "Baca Juga: Bupati Sleman Resmikan Pasar Baru",
    "BACA JUGA: Wali Kota Batu Tinjau Banjir",
    "Editor : Rina",
    "Penulis: Andi | Editor: Budi",
    "Foto: Wali Kota Kediri menerima piala. (Dok)",
    "(Foto: Gubernur Bali berpidato)",
    "Tinggalkan Balasan",
    "Alamat email Anda tidak akan dipublikasikan. Ruas yang wajib ditandai *",
])
def test_articles_clutter_lines_are_dropped(clutter):
    a = parse_article(f"JEMBER | x.id - Isi berita pertama.\n{clutter}\nKalimat terakhir.\n", "x.txt")
    assert clutter not in a.text
    assert "Kalimat terakhir." in a.text


def test_articles_baca_juga_heading_drops_the_list_under_it():
    a = parse_article("JEMBER | x.id - Isi.\n\nBACA JUGA:\nBupati Kediri Buka Festival\n- Harga Cabai Naik\n\nPenutup.\n", "x.txt")
    assert "Kediri" not in a.text and "Cabai" not in a.text and "Penutup." in a.text


def test_articles_closing_source_tag_is_dropped():
    a = parse_article("JEMBER | x.id - Warga senang. (abc/Redaksi)\n", "x.txt")
    assert a.text == "Warga senang."


def test_articles_empty_file_is_an_error():
    with pytest.raises(ArticleError, match="empty"):
        parse_article("  \n\n", "kosong.txt")


def test_articles_binary_data_is_refused():
    with pytest.raises(ArticleError, match="binary"):
        decode(b"\x00\x01PNG", "gambar.txt")


def test_articles_cp1252_and_bom_are_decoded():
    assert decode("“Kutipan” café".encode("cp1252"), "x") == "“Kutipan” café"
    assert decode("\ufeffJudul\r\nIsi".encode("utf-8"), "x") == "Judul\nIsi"


def test_articles_folder_scan_reads_txt_only_in_name_order(tmp_path: Path):
    (tmp_path / "b.txt").write_text("KUDUS | a.id - Isi b.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("KUDUS | a.id - Isi a.", encoding="utf-8")
    (tmp_path / "a.gold.json").write_text("{}", encoding="utf-8")
    assert [p.name for p in find_article_files([tmp_path])] == ["a.txt", "b.txt"]
    assert read_article(tmp_path / "a.txt").source == "a.txt"


def test_articles_missing_file_names_the_path(tmp_path: Path):
    with pytest.raises(ArticleError, match="no such file"):
        read_article(tmp_path / "tidak-ada.txt")


def test_articles_sentence_does_not_end_inside_an_abbreviation():
    from kg.sentences import split_sentences
    text = "Naskah itu diteken Penjabat (Pj.) Wali Kota Madiun, dr. Rina. Acara selesai."
    assert [s.text for s in split_sentences(text)] == [
        "Naskah itu diteken Penjabat (Pj.) Wali Kota Madiun, dr. Rina.", "Acara selesai."]


@pytest.mark.parametrize("line, place, publisher", [
    ("Jakarta (ANTARA) - Pemkot Madiun membuka posko.", "Jakarta", "ANTARA"),
    ("TEMPO.CO, Jakarta - Pemkot Madiun membuka posko.", "Jakarta", "TEMPO.CO"),
    ("Liputan6.com, Surabaya - Pemkot Madiun membuka posko.", "Surabaya", "Liputan6.com"),
    ("MADIUN, KOMPAS.com — Pemkot Madiun membuka posko.", "MADIUN", "KOMPAS.com"),
])
def test_articles_dateline_forms_of_other_outlets(line, place, publisher):
    a = parse_article(f"Judul Berita\n\n{line}\n", "x.txt")
    assert (a.place, a.publisher) == (place, publisher)
    assert a.text == "Judul Berita\n\nPemkot Madiun membuka posko."


@pytest.mark.parametrize("line", ["Baca Juga: Pemkot X membuka posko", "BACA JUGA", "Editor : Rina",
                                  "(Foto: Istimewa)", "Pemerintah Kota Malang membuka posko.", ""])
def test_articles_clutter_rows_read_as_one_pattern_agree_with_each_row(line):
    from kg.articles import _is_clutter
    from kg.lexicon import load_lexicon
    lexicon = load_lexicon()
    assert _is_clutter(line, lexicon) == any(p.match(line) for p in lexicon.clutter)


@pytest.mark.parametrize("line", ["Home › Berita › Daerah", "Beranda » Kesehatan » Pemkot X", "Berita  ›  Daerah",
                                  "Sebuah kalimat panjang yang tidak pernah memuat tanda panah, hanya kata-kata biasa.",
                                  "Tiga puluh satu huruf di depannya    › Daerah", "Ab›Cd", "A › B", "Kota. › Daerah",
                                  "Dua puluh sembilan huruf dulu›Dua", "x" * 31 + "›yy", "x" * 30 + "   » yy z", ""])
def test_articles_breadcrumb_row_reads_as_before_its_first_run_was_possessive(line):
    """clutter.txt's breadcrumb row opens with a possessive run ("{2,30}+", so that a paragraph fails at once): the
    same matches as the row written without it."""
    import re
    from kg.lexicon import load_lexicon
    before = re.compile(r"[^.!?›»]{2,30}(?:\s*[›»]\s*[^.!?›»]{2,30}){1,6}\s*$", re.IGNORECASE)
    row = next(p for p in load_lexicon().clutter if p.pattern.startswith("[^.!?›»]{2,30}+"))
    assert (m := row.match(line)) and m.span() == before.match(line).span() or not row.match(line) and not before.match(line)


def test_articles_clutter_row_with_global_flags_still_read(tmp_path):
    """A clutter.txt row that sets flags for its whole pattern cannot join the others: rows are then read one by one."""
    import shutil
    from kg.articles import _is_clutter
    from kg.lexicon import LEXICON_DIR, load_lexicon
    d = tmp_path / "lexicons"
    shutil.copytree(LEXICON_DIR, d)
    with open(d / "clutter.txt", "a", encoding="utf-8") as fh:
        fh.write("(?s)iklan\\b.*\n")
    lexicon = load_lexicon(d)
    assert _is_clutter("IKLAN hari ini", lexicon) and not _is_clutter("Pemkot membuka posko", lexicon)


def test_articles_sentence_end_window_covers_every_no_break_match():
    """split_sentences reads a bounded stretch before each full stop for titles and initials ("Prof.", "S.K."):
    the stretch must be longer than anything the no-break pattern can match."""
    from re import _parser
    from kg.sentences import _NO_BREAK_BEFORE, _NO_BREAK_WINDOW
    assert _parser.parse(_NO_BREAK_BEFORE.pattern).getwidth()[1] < _NO_BREAK_WINDOW


def test_articles_sentences_do_not_break_after_titles_far_into_a_paragraph():
    from kg.sentences import split_sentences
    text = "Kata pengantar yang cukup panjang untuk paragraf ini. " * 5 + "Acara dibuka Prof. Budi. Lalu dr. Rina bicara."
    got = [s.text for s in split_sentences(text)]
    assert got[-2:] == ["Acara dibuka Prof. Budi.", "Lalu dr. Rina bicara."]


@pytest.mark.parametrize("line", ["BACA JUGA", "Berita Terkait", "Baca juga: Pemkot X", "Pemkot X membuka posko",
                                  "Artikel Terkait", ""])
def test_articles_section_labels_read_as_one_pattern_agree_with_each_row(line):
    from kg.articles import _is_section_label
    from kg.lexicon import load_lexicon
    lexicon = load_lexicon()
    expected = line.rstrip().endswith(":") or any(
        p.pattern.startswith("(?#section)") and p.match(line) for p in lexicon.clutter)
    assert _is_section_label(line, lexicon) == expected


def test_articles_normalise_text_skips_only_texts_it_would_not_change():
    """normalise_text returns a text unchanged when it holds none of the characters it replaces: for every
    character of the Basic Multilingual Plane (line breaks, surrogates and the rest), and CR LF, the result is
    that of the two replacements made in full."""
    from kg.articles import _LINE_BREAKS, _SURROGATE, normalise_text
    for text in [f"a{chr(c)}b" for c in range(0x10000)] + ["a\r\nb\r\n", "\u2028\r\n\ud800"]:
        assert normalise_text(text) == _SURROGATE.sub("\ufffd", _LINE_BREAKS.sub("\n", text)), repr(text)


def test_articles_closing_tag_is_looked_for_only_in_lines_ending_with_a_parenthesis():
    """_without_closing_tag gives what CLOSING_TAG.sub gives, reading only lines whose last character other than
    white space is ")": with a tag, a tag and trailing white space of any kind, a parenthesis inside the line,
    and for every character of the Basic Multilingual Plane put after a tag."""
    from kg.articles import CLOSING_TAG, _without_closing_tag
    lines = ["Warganya senang. (Fis/Serayu)", "Warganya senang. (Fis/Serayu)  ", "Warganya senang.(ant)\n",
             "Warganya senang. (Fis)\u2003", "Warganya senang. (Fis)\x1c", "Bupati (Pj.) hadir.", "(Fis)",
             "Kata ”ini” (red)", "Tanya? (a) (b)", "Tanya? (a) x", ""]
    lines += [f"Selesai. (red){chr(c)}" for c in range(0x10000)]
    for line in lines:
        assert _without_closing_tag(line) == CLOSING_TAG.sub("", line), repr(line)
    assert _without_closing_tag("Warganya senang. (Fis/Serayu)  ") == "Warganya senang."


def _pathlib_sources(paths, accept=None):
    """article_sources as it listed folders before (Path.rglob and Path.is_dir): the reference of the test below."""
    import os
    from kg.articles import Source, display_name
    found = {}
    for p in paths:
        if p.is_dir():
            for q in p.rglob("*.txt") if accept is None else (q for q in p.rglob("*") if accept(q)):
                if not q.is_dir():
                    found.setdefault(q, (q.relative_to(p).as_posix(), p))
        else:
            found.setdefault(p, (p.name, p.parent))
    by_key = {}
    for q, (key, _) in found.items():
        by_key.setdefault(display_name(key), []).append(q)
    out = []
    for key, files in by_key.items():
        if len(files) == 1:
            out.append(Source(files[0], key))
            continue
        for q in files:
            rel, root = found[q]
            out.append(Source(q, display_name(Path(os.path.normpath(root / rel)).as_posix())))
    return sorted(out, key=lambda s: (s.key, str(s.path)))


def test_articles_folder_listing_finds_what_pathlib_finds(tmp_path: Path, monkeypatch):
    """The folder listing (os.scandir) gives the sources the pathlib listing gave, however odd the tree: nested
    and hidden folders, a folder named *.txt, links to files, to folders (not entered), dangling and looping
    links, a FIFO, names that are not UTF-8 or not NFC, the same file under two arguments, the folder "."."""
    import os
    from kg.articles import article_sources
    from kg.sources import kind_of
    root = tmp_path / "korpus"
    for rel in ("a.txt", "b.TXT", ".tersembunyi.txt", "sub/c.txt", "sub/dalam/d.txt", ".folder/e.txt",
                "map.txt/f.txt", "halaman.html", "sub/g.jsonl", "sub/dalam/h.htm"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("KUDUS | a.id - Isi.", encoding="utf-8")
    os.symlink(root / "a.txt", root / "tautan.txt")
    os.symlink(root / "sub", root / "tautan-folder")
    os.symlink(root / "sub", root / "folder-tautan.txt")
    os.symlink(root / "tidak-ada.txt", root / "patah.txt")
    os.symlink(root / "putar.txt", root / "putar.txt")
    os.mkfifo(root / "sub" / "antrian.txt")
    os.close(os.open(os.path.join(os.fsencode(root), b"caf\xe9.txt"), os.O_CREAT | os.O_WRONLY))
    (root / "Cafe\u0301.txt").write_text("KUDUS | a.id - Isi.", encoding="utf-8")
    cases = [[root], [root, root / "sub"], [root / "sub", root / "a.txt", root], [root / "tidak-ada"],
             [root, root / "sub" / "c.txt", tmp_path]]
    for paths in cases:
        assert article_sources(paths) == _pathlib_sources(paths), paths
        assert article_sources(paths, accept=kind_of) == _pathlib_sources(paths, accept=kind_of), paths
    assert [s.key for s in article_sources([root])] == [
        ".folder/e.txt", ".tersembunyi.txt", "Caf\u00e9.txt", "a.txt", "caf\ufffd.txt", "map.txt/f.txt", "patah.txt",
        "putar.txt", "sub/antrian.txt", "sub/c.txt", "sub/dalam/d.txt", "tautan.txt"]
    monkeypatch.chdir(root)
    for paths in ([Path(".")], [Path("."), Path("a.txt")], [Path("sub"), Path("./sub/c.txt")]):
        assert article_sources(paths) == _pathlib_sources(paths), paths


def test_articles_text_to_normalise_is_found_as_the_class_of_its_characters_finds_it():
    """normalise_text's check (one str.find per line break, and UTF-8 refusing a lone surrogate) says what a search for
    the class of the line breaks it changes and the surrogates says, on invented and random texts."""
    import random
    import re
    from kg.articles import _to_normalise
    every = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\ud800-\udfff]")
    rng = random.Random(3)
    pieces = ["Kota Blitar", "\n", "\r\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029",
              "\ud800", "\udfff", "\ud83d\ude00", "é", "—", "’", " ", "\t", "😀", "\xa0"]
    texts = ["", "Kota Blitar\n", "Pemkot Blitar — “UHC”\n", "a\rb", "a\udc80b"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 6))) for _ in range(3000)]
    for t in texts:
        assert _to_normalise(t) == (every.search(t) is not None), repr(t)


def test_articles_clutter_rows_for_a_first_character_match_the_lines_all_rows_match(lexicon):
    """A line is tried only against the clutter.txt rows that can open with its first character (_clutter_rx with
    FIRST): the same lines are clutter as with all the rows, on invented lines and random lines of clutter words."""
    import random
    from kg.articles import _clutter_rx, _is_clutter
    every = _clutter_rx(lexicon, False)
    rng = random.Random(7)
    pieces = ["Baca Juga", "BACA:", "baca", "Editor :", "Penulis", "Foto:", "(Foto: Humas)", "Tags", "Home", "HOME",
              "Beranda", "›", "»", "Berita", "Terkait", "10.30 WIB", "Senin,", "dibaca 120 kali", "1.234 views", "©",
              "Copyright", "Kota Blitar", "Pemkot", "(", ")", ":", "*", "kali dibaca", "Halaman 2", "selanjutnya",
              "scroll to continue", "ſhare", "\u212aomentar", "İklan", "é", " ", "  ", "\t", "1", "."]
    lines = ["Baca juga: Pemkot Blitar raih UHC", "Home › Berita › Daerah", "Editor : Rina", "10.30 WIB", "", " ",
             "Pemkot Blitar meraih UHC Awards 2026.", "ſhare", "\u212aomentar", "(Foto: Humas Pemkot)"]
    lines += ["".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(0, 8))) for _ in range(4000)]
    clutter = 0
    for line in lines:
        assert _is_clutter(line, lexicon) == bool(every.match(line)), repr(line)
        clutter += _is_clutter(line, lexicon)
    assert 500 < clutter < len(lines) - 500


@pytest.mark.parametrize("text, expected", [
    ("Naskah diteken Rektor Unair, Prof. dr. Rina, Ph.D. Adapun nota itu diteken Bupati Madiun.",
     ["Naskah diteken Rektor Unair, Prof. dr. Rina, Ph.D.", "Adapun nota itu diteken Bupati Madiun."]),
    ("Hadir Kepala Dinas, Budi Santoso, S.H. Ia membuka acara.", ["Hadir Kepala Dinas, Budi Santoso, S.H.",
                                                                  "Ia membuka acara."]),
    ("Hadir pula S.K. Lerik dan warga.", ["Hadir pula S.K. Lerik dan warga."]),   # initials before a name
    ("Hadir pula Budi, S.H. Lerik dan warga.", ["Hadir pula Budi, S.H. Lerik dan warga."]),
])
def test_articles_a_dotted_degree_ends_a_sentence_before_a_sentence_opening_word(text, expected):
    from kg.sentences import split_sentences
    assert [s.text for s in split_sentences(text)] == expected
