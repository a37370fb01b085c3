"""Read article files into Article records: title, dateline, publisher, date, and the text without clutter."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator

from .dates import find_dates
from .errors import ArticleError
from .lexicon import Lexicon, load_lexicon

# "BLITAR | B-news.id - ...", "Blitar, serayunusantara.com — ...": place, publisher (a site name), dash
DATELINE = re.compile(
    r"^(?P<place>[A-Za-z][A-Za-z .'()-]{1,40}?)\s*(?:[|,]|\s[-—–])\s*"
    r"(?P<publisher>[A-Za-z0-9][\w-]*(?:\.[\w-]+)*\.[A-Za-z]{2,})\s*(?:[-—–|]+\s*(?P<rest>.*))?$")
# "Jakarta (ANTARA) - ...": place, then the agency in parentheses
DATELINE_AGENCY = re.compile(
    r"^(?P<place>[A-Za-z][A-Za-z .'-]{1,40}?)\s*\((?P<publisher>[A-Za-z][\w .-]{1,30})\)\s*[-—–]+\s*(?P<rest>.*)$")
# "TEMPO.CO, Jakarta - ...", "Liputan6.com, Jakarta - ...": the site first, then the place
DATELINE_SITE_FIRST = re.compile(
    r"^(?P<publisher>[A-Za-z0-9][\w-]*(?:\.[\w-]+)*\.[A-Za-z]{2,})\s*,\s*(?P<place>[A-Za-z][A-Za-z .'-]{1,40}?)"
    r"\s*[-—–]+\s*(?P<rest>.*)$")
WEEKDAY = r"(?:Senin|Selasa|Rabu|Kamis|Jumat|Jum'at|Sabtu|Minggu|Ahad)"
# a line that is only a date: "Rabu, 28 Januari 2026 | 09:41 WIB"
DATE_LINE = re.compile(rf"^\s*(?:{WEEKDAY},?\s*)?\(?\d{{1,2}}[\s/][\w/]+[\s/]\d{{2,4}}\)?"
                       r"(?:\s*[|,-]?\s*(?:pukul\s*)?\d{1,2}[.:]\d{2}(?:\s*[A-Z]{3,4})?)?\s*$", re.IGNORECASE)
# a source or author tag closing a paragraph: "... warganya. (Fis/Serayu)"
CLOSING_TAG = re.compile(r"(?<=[.!?\"”])\s*\([^()]{1,40}\)\s*$")


@dataclass(frozen=True)
class Article:
    source: str                 # file name: "002_8465883fa85a0744.txt"
    title: str | None
    place: str | None           # dateline place as written: "BLITAR"
    publisher: str | None       # "B-news.id"
    published: date | None
    text: str                   # title and body, clutter removed; evidence offsets point into it
    path: Path | None = field(default=None, compare=False)
    warnings: tuple[str, ...] = ()  # what was odd but did not stop the reading ("no dateline")

    @property
    def stem(self) -> str:
        return Path(self.source).stem


# Windows-1252 as browsers read it (WHATWG): the five bytes it leaves undefined (0x81 0x8D 0x8F 0x90 0x9D)
# stand for the C1 code points of the same number, so one such byte never turns the whole file into
# Latin-1 (where 0x85 would be a line break, NEL, instead of "…")
_WINDOWS_1252 = {b: bytes([b]).decode("cp1252") for b in range(0x80, 0xA0) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}
# what Python's str.splitlines() and Unicode call a line break (NEL, LINE/PARAGRAPH SEPARATOR, VT, FF, ...)
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def decode(data: bytes, where: str) -> str:
    """Return the text of a file: UTF-8 (a BOM is dropped), else Windows-1252; binary data is refused."""
    if b"\x00" in data[:4096]:
        raise ArticleError(f"{where}: binary file (NUL bytes), expected UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1").translate(_WINDOWS_1252)
    return normalise_text(text)


def normalise_text(text: str) -> str:
    """Return TEXT with every line break written as "\\n" (CR LF, CR, NEL, U+2028, U+2029, VT, FF, ...)
    and each lone surrogate as U+FFFD; every other character stays where it is."""
    return _SURROGATE.sub("\ufffd", _LINE_BREAKS.sub("\n", text))


def _dateline(line: str) -> re.Match | None:
    """The dateline at the start of LINE, in any of the forms news sites use."""
    return DATELINE.match(line) or DATELINE_AGENCY.match(line) or DATELINE_SITE_FIRST.match(line)


def _is_clutter(line: str, lexicon: Lexicon) -> bool:
    return any(p.match(line) for p in lexicon.clutter)


def parse_article(raw: str, source: str, lexicon: Lexicon | None = None) -> Article:
    """Return the Article in RAW text; SOURCE names it in errors ("seeds/x.txt")."""
    lexicon = lexicon or load_lexicon()
    lines = [ln.strip() for ln in normalise_text(raw).split("\n")]
    if not any(lines):
        raise ArticleError(f"{source}: empty file, expected an article")
    title = place = publisher = None
    published: date | None = None
    paragraphs: list[str] = []
    seen_dateline = False
    in_clutter_block = False
    first_content = next(i for i, ln in enumerate(lines) if ln)
    for i, line in enumerate(lines):
        if not line:
            in_clutter_block = False
            continue
        if in_clutter_block:
            continue
        if _is_clutter(line, lexicon):
            in_clutter_block = line.rstrip().endswith(":")  # "BACA JUGA:" heads a list of links
            continue
        if not seen_dateline and (m := _dateline(line)):
            seen_dateline = True
            place, publisher, rest = m["place"].strip(), m["publisher"], (m["rest"] or "").strip()
            head = find_dates(rest[:60], lexicon)
            # "Rabu, 6 Maret 2024" or "Senin, 14 Juli 2025 | 15.20 WIB" alone after the dash is the
            # publication date; "Per 1 Mei 2025, sebanyak ..." is the body
            if head and head[0].start <= 12 and re.fullmatch(
                    r"\s*(?:[|,-]?\s*(?:pukul\s*)?\d{1,2}[.:]\d{2}\s*(?:[A-Z]{3,4})?)?\s*(?:\|.*)?", rest[head[0].end:]):
                published = published or head[0].value
                rest = ""
            if rest:
                paragraphs.append(CLOSING_TAG.sub("", rest))
            continue
        if DATE_LINE.match(line) and not paragraphs:
            found = find_dates(line, lexicon)
            if found and published is None:
                published = found[0].value
            continue
        if i == first_content and not _dateline(line):
            later = [ln for ln in lines[i + 1:i + 6] if ln]
            if any(_dateline(ln) or DATE_LINE.match(ln) for ln in later) or \
                    (len(line) < 160 and not line.endswith((".", "”", '"'))):
                title = line
                continue
        paragraphs.append(CLOSING_TAG.sub("", line))
    if not paragraphs:
        raise ArticleError(f"{source}: no article text found after removing the dateline and page clutter")
    text = "\n\n".join(([title] if title else []) + paragraphs)
    warnings = () if seen_dateline else (
        f"{source}:{first_content + 1}: no dateline found (expected 'CITY | site.id -' or 'City, site.com —'); "
        "read without place and publisher",)
    return Article(source=Path(source).name, title=title, place=place, publisher=publisher,
                   published=published, text=text, warnings=warnings)


MAX_ARTICLE_BYTES = 2_000_000   # a news article is a few kB; a file this large is a dump, not an article


def read_article(path: Path, lexicon: Lexicon | None = None, max_bytes: int = MAX_ARTICLE_BYTES) -> Article:
    """Return the Article in the file at PATH."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ArticleError(f"{path}: {size / 1e6:.1f} MB is too large for one article "
                               f"(at most {max_bytes / 1e6:.0f} MB); split it into one file per article")
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ArticleError(f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise ArticleError(f"{path}: is a directory, expected an article file") from exc
    except PermissionError as exc:
        raise ArticleError(f"{path}: permission denied") from exc
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read ({exc.strerror})") from exc
    article = parse_article(decode(data, str(path)), str(path), lexicon)
    return replace(article, path=path)


def find_article_files(paths: Iterable[Path]) -> list[Path]:
    """Return the article files named by PATHS: files as given, directories scanned for *.txt, sorted.
    A path that does not exist is kept, so that reading it reports it."""
    found: set[Path] = set()
    for p in paths:
        if p.is_dir():
            found.update(q for q in p.rglob("*.txt") if q.is_file())
        else:
            found.add(p)
    return sorted(found, key=lambda q: (q.name, str(q)))


def read_articles(paths: Iterable[Path], lexicon: Lexicon | None = None) -> Iterator[Article]:
    """Yield the Articles under PATHS in a stable order (by file name); unreadable files raise ArticleError."""
    for path in find_article_files(paths):
        yield read_article(path, lexicon)
