"""The article reader's datelines and page clutter (kg/articles.py parse_article) on invented pages."""
from datetime import date

import pytest

from kg.articles import parse_article


@pytest.mark.parametrize("line, place, publisher", [
    ("MADIUN, BAS – Pemkot Madiun membuka posko.", "MADIUN", "BAS"),
    ("PONOROGO- Pemkot Madiun membuka posko.", "PONOROGO", None),
    ("WARTAKITA.ID – Pemkot Madiun membuka posko.", None, "WARTAKITA.ID"),
    ("WartaKita, Madiun- Pemkot Madiun membuka posko.", "Madiun", "WartaKita"),
    ("Madiun — kabarkita.id. Pemkot Madiun membuka posko.", "Madiun", "kabarkita.id"),
    ("BANDA ACEH – Pemkot Madiun membuka posko.", "BANDA ACEH", None),
])
def test_articles_more_dateline_forms(line, place, publisher):
    a = parse_article(f"Judul Berita\n\n{line}\n", "x.txt")
    assert (a.place, a.publisher) == (place, publisher)
    assert a.text == "Judul Berita\n\nPemkot Madiun membuka posko."
    assert a.warnings == ()


def test_articles_unknown_town_in_capitals_opens_the_body_as_dateline():
    a = parse_article("Judul Berita\n\nSUKAMAJU – Pemkot Madiun membuka posko.\n", "x.txt")
    assert (a.place, a.text) == ("SUKAMAJU", "Judul Berita\n\nPemkot Madiun membuka posko.")


def test_articles_caption_lead_in_in_capitals_is_dropped():
    a = parse_article("Judul Berita\n\nMADIUN | kabar.id - Pemkot Madiun membuka posko.\n\n"
                      "PENYERAHAN— Bupati Ponorogo menyerahkan piala kepada camat.\n\nKalimat terakhir.\n", "x.txt")
    assert "PENYERAHAN" not in a.text and "Kalimat terakhir." in a.text


def test_articles_caption_before_the_dateline_is_not_the_dateline():
    a = parse_article("Judul Berita\n\nFOTO BERSAMA – Wali Kota Madiun dan warga.\n\n"
                      "MADIUN | kabar.id - Pemkot Madiun membuka posko.\n", "x.txt")
    assert (a.place, a.publisher) == ("MADIUN", "kabar.id")
    assert "FOTO BERSAMA" not in a.text


def test_articles_site_line_with_author_after_the_date_line():
    a = parse_article("Judul Berita Pendek\n\nSelasa, 13 Januari 2026 - 14:32 WITA\n\n"
                      "kabarkita.id | Penulis: Andi\n\nPemkot Madiun membuka posko.\n", "x.txt")
    assert (a.title, a.publisher, a.published) == ("Judul Berita Pendek", "kabarkita.id", date(2026, 1, 13))
    assert a.text == "Judul Berita Pendek\n\nPemkot Madiun membuka posko."


def test_articles_no_dateline_but_a_date_is_no_warning():
    a = parse_article("Judul Berita\n\nSabtu, 9 Agustus 2025 - 11:20 WIB\n\nPemkot Madiun membuka posko.\n", "x.txt")
    assert a.warnings == () and a.published == date(2025, 8, 9)


@pytest.mark.parametrize("clutter", [
    "Beranda › Daerah › Kesehatan",
    "BerandaDaerahKesehatan",
    "Home / Berita / Regional",
    "10:42 WIB",
    "Diperbarui: Senin, 12 Januari 2026 09:15",
    "Dibaca 1.204 kali",
    "ADVERTISEMENT",
    "Dapatkan update berita pilihan setiap hari dari kabarkita.id.",
])
def test_articles_page_clutter_lines_are_dropped(clutter):
    a = parse_article(f"JEMBER | x.id - Isi berita pertama.\n\n{clutter}\n\nKalimat terakhir.\n", "x.txt")
    assert clutter not in a.text
    assert a.text == "Isi berita pertama.\n\nKalimat terakhir."


def test_articles_headlines_under_a_section_label_are_dropped():
    a = parse_article("JEMBER | x.id - Isi berita pertama.\n\nBerita Terkait\n\nBupati Jember Tinjau Pasar\n\n"
                      "Harga Cabai di Madiun Naik\n\nKalimat terakhir yang panjang.\n", "x.txt")
    assert a.text == "Isi berita pertama.\n\nKalimat terakhir yang panjang."


def test_articles_headline_with_two_names_and_a_dash_is_a_title_not_a_dateline():
    a = parse_article("Madiun, Ponorogo – Dua Daerah Raih UHC\n\nMADIUN | kabar.id - Pemkot Madiun membuka posko.\n",
                      "x.txt")
    assert (a.title, a.place, a.publisher) == ("Madiun, Ponorogo – Dua Daerah Raih UHC", "MADIUN", "kabar.id")


def test_articles_decree_number_is_not_a_date(lexicon):
    from kg.dates import find_dates
    assert find_dates("ditetapkan dengan Keputusan Bupati Nomor 12/3/2025 tentang tim", lexicon) == []
    assert [d.value for d in find_dates("diserahkan Rabu (12/3/2025) di pendopo", lexicon)] == [date(2025, 3, 12)]


def test_articles_breadcrumb_of_words_is_dropped():
    a = parse_article("JEMBER | x.id - Isi berita pertama.\n\nBeranda Berita Daerah\n\nKalimat terakhir.\n", "x.txt")
    assert a.text == "Isi berita pertama.\n\nKalimat terakhir."


@pytest.mark.parametrize("line, place, publisher, published", [
    ("Madiun, Kamis (12/3/2026) – Pemkot Madiun membuka posko.", "Madiun", None, date(2026, 3, 12)),
    ("Ponorogo, 12 Maret 2026 - Pemkot Madiun membuka posko.", "Ponorogo", None, date(2026, 3, 12)),
    ("Surabaya – Pemkot Madiun membuka posko.", "Surabaya", None, None),
    ("Madiun, (ANTARA) - Pemkot Madiun membuka posko.", "Madiun", "ANTARA", None),
    ("Jakarta, CNN Indonesia -- Pemkot Madiun membuka posko.", "Jakarta", "CNN Indonesia", None),
])
def test_articles_datelines_with_date_agency_or_known_place(line, place, publisher, published):
    a = parse_article(f"Judul Berita\n\n{line}\n", "x.txt")
    assert (a.place, a.publisher, a.published) == (place, publisher, published)
    assert a.text == "Judul Berita\n\nPemkot Madiun membuka posko."


@pytest.mark.parametrize("clutter", [
    "Laporan Wartawan Kabar Kita, Andi Saputra",
    "Oleh: Andi Saputra",
    "Redaktur: Budi",
    "Halaman 1 2 3 Selanjutnya",
    "Simak berita lainnya di Google News",
    "SCROLL TO CONTINUE WITH CONTENT",
])
def test_articles_bylines_and_pagination_are_dropped(clutter):
    a = parse_article(f"JEMBER | x.id - Isi berita pertama.\n\n{clutter}\n\nKalimat terakhir.\n", "x.txt")
    assert a.text == "Isi berita pertama.\n\nKalimat terakhir."
