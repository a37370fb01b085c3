"""Read article files into Article records: title, dateline, publisher, date, and the text without clutter."""
from __future__ import annotations

import os
import re
import stat
import unicodedata
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
    source: str                 # file name, or path in the folder given: "002_8465883fa85a0744.txt", "a/b.txt"
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


def decode(data: bytes, where: str) -> str:
    """Return the text of a file: UTF-8 (a BOM is dropped), else Windows-1252; binary data is refused."""
    if b"\x00" in data[:4096]:
        raise ArticleError(f"{where}: binary file (NUL bytes), expected UTF-8 text")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = data.decode("latin-1")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _dateline(line: str) -> re.Match | None:
    """The dateline at the start of LINE, in any of the forms news sites use."""
    return DATELINE.match(line) or DATELINE_AGENCY.match(line) or DATELINE_SITE_FIRST.match(line)


def _is_clutter(line: str, lexicon: Lexicon) -> bool:
    return any(p.match(line) for p in lexicon.clutter)


def parse_article(raw: str, source: str, lexicon: Lexicon | None = None) -> Article:
    """Return the Article in RAW text; SOURCE names it in errors ("seeds/x.txt")."""
    lexicon = lexicon or load_lexicon()
    lines = [ln.strip() for ln in raw.split("\n")]
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


def _utf16_without_bom(data: bytes) -> str | None:
    """The UTF-16 byte order of DATA when it looks like UTF-16 without a BOM (Latin text: every other byte
    is NUL), else None."""
    head = data[:4096]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) >= 0.4 * len(odd) and even.count(0) <= 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.4 * len(even) and odd.count(0) <= 0.05 * len(odd):
        return "utf-16-be"
    return None


def as_utf8(data: bytes, where: str) -> bytes:
    """DATA as UTF-8 when it is UTF-16 or UTF-32 text (with a BOM, or UTF-16 without one), so that decode
    reads it as text rather than calling it binary for its NUL bytes; other data as it is."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        wide = "utf-32"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        wide = "utf-16"
    elif b"\x00" in data[:4096]:
        wide = _utf16_without_bom(data)
    else:
        wide = None
    if wide is None:
        return data
    try:
        text = data.decode(wide)
    except UnicodeDecodeError as exc:
        raise ArticleError(f"{where}: looks like {wide.upper()} text but is not valid {wide.upper()} "
                           f"(byte {exc.start}); save it as UTF-8") from None
    return text.lstrip("\ufeff").encode("utf-8", "surrogatepass")


MAX_ARTICLE_BYTES = 2_000_000   # a news article is a few kB; a file this large is a dump, not an article

_KINDS = {stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
          stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a directory"}


def read_capped(path: Path, max_bytes: int) -> bytes:
    """The bytes of the regular file at PATH, at most MAX_BYTES of them; anything else (a FIFO, a device such
    as /dev/zero, a socket) is refused without being read, and a file is never read past MAX_BYTES + 1."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)   # opening a FIFO must not wait for a writer
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = _KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file")
            raise ArticleError(f"{path}: is {kind}, expected an article file")
        if info.st_size > max_bytes:
            raise ArticleError(f"{path}: {info.st_size / 1e6:.1f} MB is too large for one article "
                               f"(at most {max_bytes / 1e6:.0f} MB); split it into one file per article")
        chunks, size = [], 0
        while size <= max_bytes:        # the size on disk may be wrong (a file still growing, /proc)
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > max_bytes:
            raise ArticleError(f"{path}: more than {max_bytes / 1e6:.0f} MB is too large for one article; "
                               "split it into one file per article")
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_article(path: Path, lexicon: Lexicon | None = None, max_bytes: int = MAX_ARTICLE_BYTES,
                 source: str | None = None) -> Article:
    """Return the Article in the file at PATH. SOURCE names it in the graph (kg:sourceFile, its IRIs): its
    path relative to the folder it was found in (see article_sources); by default the file name."""
    try:
        data = read_capped(path, max_bytes)
    except FileNotFoundError as exc:
        raise ArticleError(f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise ArticleError(f"{path}: is a directory, expected an article file") from exc
    except PermissionError as exc:
        raise ArticleError(f"{path}: permission denied") from exc
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    article = parse_article(decode(as_utf8(data, str(path)), str(path)), str(path), lexicon)
    return replace(article, source=source or display_name(path.name), path=path)


def display_name(name: str) -> str:
    """NAME as text that every output format can hold: NFC, with bytes that are not UTF-8 shown as U+FFFD."""
    try:
        raw = name.encode("utf-8", "surrogateescape")   # the bytes of a name that is not UTF-8
    except UnicodeEncodeError:                          # a lone surrogate that stands for no byte
        raw = name.encode("utf-8", "surrogatepass")
    return unicodedata.normalize("NFC", raw.decode("utf-8", "replace"))


@dataclass(frozen=True)
class Source:
    path: Path      # the file to read
    key: str        # its name in the graph: the path relative to the folder given ("a/berita.txt")


def article_sources(paths: Iterable[Path]) -> list[Source]:
    """The article files named by PATHS with their keys, sorted by key: a file given as an argument is keyed
    by its name, a file found in a folder by its path relative to that folder (so the keys do not depend on
    where the corpus lies). Two files with the same key under different arguments are keyed by the
    argument as given joined with that key. Every entry *.txt in a folder that is not a folder is listed
    (a FIFO or a device is then skipped by read_article, with a message); a path that does not exist is
    kept, so that reading it reports it."""
    found: dict[Path, tuple[str, Path]] = {}
    for p in paths:
        if p.is_dir():
            for q in p.rglob("*.txt"):
                if not q.is_dir():
                    found.setdefault(q, (q.relative_to(p).as_posix(), p))
        else:
            found.setdefault(p, (p.name, p.parent))
    by_key: dict[str, list[Path]] = {}
    for q, (key, _) in found.items():
        by_key.setdefault(display_name(key), []).append(q)
    out = []
    for key, files in by_key.items():
        if len(files) == 1:
            out.append(Source(files[0], key))
            continue
        for q in files:   # the same relative path under two arguments: say which argument
            rel, root = found[q]
            out.append(Source(q, display_name(Path(os.path.normpath(root / rel)).as_posix())))
    return sorted(out, key=lambda s: (s.key, str(s.path)))


def find_article_files(paths: Iterable[Path]) -> list[Path]:
    """Return the article files named by PATHS (see article_sources), sorted by key."""
    return [s.path for s in article_sources(paths)]


def read_articles(paths: Iterable[Path], lexicon: Lexicon | None = None) -> Iterator[Article]:
    """Yield the Articles under PATHS in a stable order (by key); unreadable files raise ArticleError."""
    for s in article_sources(paths):
        yield read_article(s.path, lexicon, source=s.key)
