"""Read article files into Article records: title, dateline, publisher, date, and the text without clutter."""
from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field, replace
from functools import cache
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .dates import find_dates
from .errors import ArticleError
from .lexicon import Lexicon, load_lexicon
from .textutil import lower_opening_texts

SITE = r"[A-Za-z0-9][\w-]*(?:\.[\w-]+)*\.[A-Za-z]{2,}"
# the separator after a dateline: a dash or bar, or the full stop of "Gorontalo — site.id. Isi ..."
DASH = r"(?:[-—–|]+|\.(?=\s))"
# "BLITAR | B-news.id - ...", "Blitar, serayunusantara.com — ...": place, publisher (a site name), dash
DATELINE = re.compile(
    rf"^(?P<place>[A-Za-z][A-Za-z .'()-]{{1,40}}?)\s*(?:[|,]|\s[-—–])\s*"
    rf"(?P<publisher>{SITE})\s*(?:{DASH}\s*(?P<rest>.*))?$")
# "Jakarta (ANTARA) - ...", "Gorontalo, (ANTARA) - ...": place, then the agency in parentheses
DATELINE_AGENCY = re.compile(
    r"^(?P<place>[A-Za-z][A-Za-z .'-]{1,40}?)\s*,?\s*\((?P<publisher>[A-Za-z][\w .-]{1,30})\)\s*[-—–]+\s*(?P<rest>.*)$")
# "TEMPO.CO, Jakarta - ...", "Liputan6.com, Jakarta - ...": the site first, then the place
DATELINE_SITE_FIRST = re.compile(
    rf"^(?P<publisher>{SITE})\s*,\s*(?P<place>[A-Za-z][A-Za-z .'-]{{1,40}}?)"
    r"\s*[-—–]+\s*(?P<rest>.*)$")
# "SITE.ID – ...", "situs.id | Penulis: ...": the site alone
DATELINE_SITE_ONLY = re.compile(rf"^(?P<publisher>{SITE})\s*{DASH}\s*(?P<rest>.*)$")
# "MANADO, BAS – ...", "WartaKita, Bitung- ...": two short names, a place and an outlet in either order
DATELINE_TWO_NAMES = re.compile(
    r"^(?P<a>[A-Z][\w'’.]*(?:\s+[A-Z][\w'’.]*){0,2})\s*,\s*(?P<b>[A-Z][\w'’.]*(?:\s+[A-Z][\w'’.]*){0,2})"
    r"\s*[-—–]+\s*(?P<rest>\S.*)$")
# "Malang, Kamis (12/3/2026) – ...": a place and the publication date
DATELINE_DATE = re.compile(r"^(?P<place>[A-Z][A-Za-z .'-]{1,30}?),\s*(?P<date>[^–—|]{6,40}?)\s+[-—–|]+\s*(?P<rest>\S.*)$")
# "Surabaya – ...": a known place alone, written as a name
PLACE_DASH = re.compile(r"^(?P<place>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})\s*[-—–]+\s*(?P<rest>\S.*)$")
# "BIREUEN- ...", "BANDA ACEH – ...": a place in capitals and a dash; the same shape with words that name no
# place ("PENYERAHAN— Bupati X menyerahkan ...") is a photo caption's lead-in
CAPS_LEAD = re.compile(r"^(?P<place>[A-Z][A-Z'’.]+(?:\s+[A-Z][A-Z'’.]+){0,3})\s*[-—–]+\s*(?P<rest>\S.*)$")
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
    url: str | None = None      # the page's URL (canonical link, og:url, the URL fetched), kg.sources

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
# the line breaks normalise_text changes (with the lone surrogates), and those of them in ASCII
_BREAKS_TO_NORMALISE = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_ASCII_TO_NORMALISE = "\r\x0b\x0c\x1c\x1d\x1e"


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
    if not _to_normalise(text):
        return text   # (most texts: faster found than by the two replacements)
    return _SURROGATE.sub("\ufffd", _LINE_BREAKS.sub("\n", text))


def _to_normalise(text: str) -> bool:
    """Whether TEXT holds a character normalise_text changes: a line break other than "\\n", or a lone surrogate (which
    UTF-8 refuses to encode). One str.find per line break and one encoding cost a fraction of the engine's reading of
    the class of them all (measured: about 30 instead of 100 K instructions per dev article file)."""
    if text.isascii():
        return any(c in text for c in _ASCII_TO_NORMALISE)   # (an ASCII text can hold only the ASCII ones)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return any(c in text for c in _BREAKS_TO_NORMALISE)


@dataclass(frozen=True)
class _Dateline:
    place: str | None
    publisher: str | None
    rest: str
    date: str = ""     # a publication date written in the dateline itself


def _dateline(line: str, places: frozenset[str] = frozenset(), first_body: bool = False) -> _Dateline | None:
    """The dateline at the start of LINE, in any of the forms news sites use. A place alone in capitals
    ("BIREUEN- ...") counts when PLACES knows it, or when the line opens the body (FIRST_BODY)."""
    if m := DATELINE.match(line) or DATELINE_AGENCY.match(line) or DATELINE_SITE_FIRST.match(line):
        return _Dateline(m["place"].strip(), m["publisher"], (m["rest"] or "").strip())
    if m := DATELINE_SITE_ONLY.match(line):
        return _Dateline(None, m["publisher"], m["rest"].strip())
    # the forms without a site name must open a paragraph, not a headline ("Madiun, Ponorogo – Dua Daerah ...")
    rest = line.split("–")[-1] if "–" in line else line
    if not (line.endswith((".", "”", '"')) or len(rest) >= 80):
        return None
    if (m := DATELINE_DATE.match(line)) and re.search(r"\d", m["date"]) and \
            re.fullmatch(rf"\s*(?:{WEEKDAY},?\s*)?\(?[\d/]+\)?|\s*(?:{WEEKDAY},?\s*)?\d{{1,2}}\s+\w+\.?\s+\d{{4}}",
                         m["date"], re.IGNORECASE):
        return _Dateline(m["place"].strip(), None, m["rest"].strip(), m["date"])
    if (m := PLACE_DASH.match(line)) and m["place"].casefold() in places:
        return _Dateline(m["place"].strip(), None, m["rest"].strip())
    if m := DATELINE_TWO_NAMES.match(line):
        a, b = m["a"].strip(), m["b"].strip()
        if b.casefold() in places and a.casefold() not in places:
            return _Dateline(b, a, m["rest"].strip())
        if a.casefold() in places or a.isupper():
            return _Dateline(a, b, m["rest"].strip())
        return None
    if (m := CAPS_LEAD.match(line)) and (m["place"].casefold() in places or first_body):
        return _Dateline(m["place"].strip(), None, m["rest"].strip())
    return None


def _is_caption(line: str, places: frozenset[str]) -> bool:
    """ "PENYERAHAN— Bupati X menyerahkan ...": a lead-in in capitals that names no place."""
    m = CAPS_LEAD.match(line)
    return bool(m) and m["place"].casefold() not in places and len(m["place"]) >= 4


@cache
def _places(lexicon: Lexicon) -> frozenset[str]:
    """The names of kota, kabupaten and provinces, case-folded, for telling a dateline from a caption."""
    names = {r.name for r in lexicon.regencies.values()} | set(lexicon.place_aliases)
    for p in lexicon.provinces.values():
        names |= {p.label, *p.aliases}
    names |= {n.removeprefix("DKI ").removeprefix("DI ") for n in names}
    return frozenset(n.casefold() for n in names)


def _is_clutter(line: str, lexicon: Lexicon) -> bool:
    first = line[:1].lower()
    rx = _clutter_rx(lexicon, False, first if first.isascii() else None)
    return bool(rx.match(line)) if rx is not None else any(p.match(line) for p in lexicon.clutter)


@cache
def _clutter_rx(lexicon: Lexicon, sections: bool, first: str | None = None) -> re.Pattern | None:
    """One pattern matching where any clutter.txt row matches (only the rows marked (?#section) with SECTIONS):
    a line is read once, not once per row. None when the rows cannot stand in one pattern (a row setting
    global flags such as "(?s)"). FIRST: the first character of the lines it is for, in lower case and ASCII (""
    for an empty line): only the rows that can match such a line, the engine trying every row of the pattern in
    turn (measured: a dev article's lines 190 -> 60 K instructions); see _may_open."""
    rows = [p.pattern for p in lexicon.clutter if (not sections or p.pattern.startswith("(?#section)"))
            and (first is None or _may_open(p, first))]
    try:
        return re.compile("|".join(f"(?:{p})" for p in rows) or "(?!)", re.IGNORECASE)
    except re.error:
        return None


def _may_open(row: re.Pattern, first: str) -> bool:
    """Whether ROW (read ignoring case) can match at the start of a line whose first character, in lower case, is
    FIRST (ASCII): its opening texts (textutil.lower_opening_texts) open with FIRST, or are not known. Ignoring case,
    an ASCII letter matches only itself in either case (the non-ASCII letters that also match "k", "s" or "i" are
    no line's FIRST) and a row opening with a non-ASCII text has no opening texts known."""
    texts = lower_opening_texts(row)
    return not texts or any(t[:1] == first for t in texts)


def _is_section_label(line: str, lexicon: Lexicon) -> bool:
    """ "BACA JUGA:", "Berita Terkait": a label over a list of other stories' headlines (clutter.txt rows
    marked (?#section))."""
    if line.rstrip().endswith(":"):
        return True
    rx = _clutter_rx(lexicon, True)
    return bool(rx.match(line)) if rx is not None else any(
        p.pattern.startswith("(?#section)") and p.match(line) for p in lexicon.clutter)


def _without_closing_tag(line: str) -> str:
    """LINE without the source or author tag closing it (CLOSING_TAG). A tag ends with ")" and white space at most,
    so a line that does not is returned as it is, unread: CLOSING_TAG opens with a look-behind, which the engine
    tries at every character."""
    return CLOSING_TAG.sub("", line) if line.rstrip().endswith(")") else line


def _is_headline(line: str) -> bool:
    """A line that reads as a headline, not as a paragraph: short, no closing full stop."""
    return len(line) < 150 and not line.endswith((".", "”", '"', ":", "?", "!"))


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
    in_clutter_block = after_section = False
    first_content = next(i for i, ln in enumerate(lines) if ln)
    places = _places(lexicon)
    # a dateline in one of the site forms, if the page has one: then a place alone in capitals is not one
    head = [ln for ln in lines if ln][:12]
    strict = any(_dateline(ln) and not CAPS_LEAD.match(ln) for ln in head if not _is_clutter(ln, lexicon))
    for i, line in enumerate(lines):
        if not line:
            in_clutter_block = False
            continue
        if in_clutter_block:
            continue
        if after_section and _is_headline(line):
            continue    # the headlines under "Berita Terkait", blank lines between them or not
        after_section = False
        if _is_clutter(line, lexicon):
            # "BACA JUGA:" heads a list of links
            in_clutter_block = after_section = _is_section_label(line, lexicon)
            continue
        if not seen_dateline and (d := _dateline(line, places, first_body=not paragraphs and not strict)):
            seen_dateline = True
            place, publisher, rest = d.place, d.publisher, d.rest
            if d.date and (found := find_dates(d.date, lexicon)):
                published = published or found[0].value
            head_dates = find_dates(rest[:60], lexicon)
            # "Rabu, 6 Maret 2024" or "Senin, 14 Juli 2025 | 15.20 WIB" alone after the dash is the
            # publication date; "Per 1 Mei 2025, sebanyak ..." is the body
            if head_dates and head_dates[0].start <= 12 and re.fullmatch(
                    r"\s*(?:[|,-]?\s*(?:pukul\s*)?\d{1,2}[.:]\d{2}\s*(?:[A-Z]{3,4})?)?\s*(?:\|.*)?",
                    rest[head_dates[0].end:]):
                published = published or head_dates[0].value
                rest = ""
            if rest and not _is_clutter(rest, lexicon):   # "situs.id | Penulis: Andi"
                paragraphs.append(_without_closing_tag(rest))
            continue
        if DATE_LINE.match(line) and not paragraphs:
            found = find_dates(line, lexicon)
            if found and published is None:
                published = found[0].value
            continue
        if _is_caption(line, places) and (seen_dateline or paragraphs or strict):
            continue
        if i == first_content and not _dateline(line, places):
            later = [ln for ln in lines[i + 1:i + 6] if ln]
            if any(_dateline(ln, places) or DATE_LINE.match(ln) for ln in later) or \
                    (len(line) < 160 and not line.endswith((".", "”", '"'))):
                title = line
                continue
        paragraphs.append(_without_closing_tag(line))
    if not paragraphs:
        raise ArticleError(f"{source}: no article text found after removing the dateline and page clutter")
    text = "\n\n".join(([title] if title else []) + paragraphs)
    # an article with its publication date but no dateline is an ordinary page; only say so when both lack
    warnings = () if seen_dateline or published else (
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
    if name.isascii():   # most names: already NFC, no byte escaped
        return name
    try:
        raw = name.encode("utf-8", "surrogateescape")   # the bytes of a name that is not UTF-8
    except UnicodeEncodeError:                          # a lone surrogate that stands for no byte
        raw = name.encode("utf-8", "surrogatepass")
    return unicodedata.normalize("NFC", raw.decode("utf-8", "replace"))


class Source:
    """An article file: PATH, the file to read, and KEY, its name in the graph (the path relative to the folder
    given: "a/berita.txt"). The path is kept as its text (FILE) and made a Path when asked for: a listing of
    10,000 files made 10,000 Paths (0.1 s) that a one-article rebuild never reads (kg.incremental stats FILE)."""

    __slots__ = ("file", "key", "_path")

    def __init__(self, path: Path | str, key: str) -> None:
        self.file = str(path)
        self.key = key
        self._path = path if isinstance(path, Path) else None

    @property
    def path(self) -> Path:
        if self._path is None:
            self._path = Path(self.file)
        return self._path

    def __eq__(self, other) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.file, self.key) == (other.file, other.key)

    def __hash__(self) -> int:
        return hash((self.file, self.key))

    def __repr__(self) -> str:
        return f"Source(path={self.path!r}, key={self.key!r})"

    def __reduce__(self):
        return Source, (self.file, self.key)


def _files_under(folder: Path, accept: Callable[[Path], object] | None) -> Iterator[tuple[str, str]]:
    """The path of every entry under FOLDER, at any depth, that is not a folder and whose name ends with ".txt"
    (or that ACCEPT(its path) takes), with its path relative to FOLDER in "/" form. These are the files
    folder.rglob("*.txt") (or rglob("*") filtered by ACCEPT) finds that are not folders, as pathlib finds
    them: folders that are symbolic links are not entered, unreadable ones are passed over, and an entry
    whose kind cannot be read is a file. Read with os.scandir, which gives an entry's kind with its name,
    where pathlib asked the system for each file's (article_sources of 10,000 files: 0.36-0.44 s of CPU
    before, 0.13-0.19 s now)."""
    top = str(folder)
    base = "" if top == "." else top if top.endswith("/") else top + "/"   # as str(Path) spells what lies under it
    todo = [""]   # the folders to read, relative to FOLDER ("sub/")
    while todo:
        rel = todo.pop()
        try:
            with os.scandir(base + rel or ".") as listing:
                entries = list(listing)
        except PermissionError:
            continue
        for entry in entries:
            try:
                is_dir = entry.is_dir()   # follows a symbolic link, as Path.is_dir
            except OSError as exc:
                if exc.errno not in _IGNORED_ERRNOS:
                    raise
                is_dir = False
            name = rel + entry.name
            if is_dir:
                if not entry.is_symlink():
                    todo.append(name + "/")
            elif accept(Path(base + name)) if accept is not None else entry.name.endswith(".txt"):
                yield base + name, name


_IGNORED_ERRNOS = (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP)   # pathlib's: the entry is no folder


def article_sources(paths: Iterable[Path], accept: Callable[[Path], object] | None = None) -> list[Source]:
    """The article files named by PATHS with their keys, sorted by key: a file given as an argument is keyed
    by its name, a file found in a folder by its path relative to that folder (so the keys do not depend on
    where the corpus lies). Two files with the same key under different arguments are keyed by the
    argument as given joined with that key. Every entry *.txt in a folder that is not a folder is listed
    (a FIFO or a device is then skipped by read_article, with a message); a path that does not exist is
    kept, so that reading it reports it. ACCEPT(path), when given, chooses the files listed in folders
    instead of *.txt (kg.sources lists web pages and JSON Lines files so, keyed alike)."""
    found: dict[str, tuple[str, Path]] = {}   # each file's path (as str(Path) spells it) -> its key, argument
    for p in paths:
        if p.is_dir():
            for q, rel in _files_under(p, accept):
                found.setdefault(q, (rel, p))
        else:
            found.setdefault(str(p), (p.name, p.parent))
    by_key: dict[str, list[str]] = {}
    for q, (key, _) in found.items():
        by_key.setdefault(display_name(key), []).append(q)
    out = []
    for key, files in by_key.items():
        if len(files) == 1:
            out.append((key, files[0]))
            continue
        for q in files:   # the same relative path under two arguments: say which argument
            rel, root = found[q]
            out.append((display_name(Path(os.path.normpath(root / rel)).as_posix()), q))
    return [Source(q, key) for key, q in sorted(out)]


def find_article_files(paths: Iterable[Path]) -> list[Path]:
    """Return the article files named by PATHS (see article_sources), sorted by key."""
    return [s.path for s in article_sources(paths)]


def read_articles(paths: Iterable[Path], lexicon: Lexicon | None = None) -> Iterator[Article]:
    """Yield the Articles under PATHS in a stable order (by key); unreadable files raise ArticleError."""
    for s in article_sources(paths):
        yield read_article(s.path, lexicon, source=s.key)
