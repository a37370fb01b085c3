"""Read articles from the kinds of input news arrives in, besides article text files (kg.articles):
saved web pages (*.html, *.htm), JSON Lines corpora (*.jsonl, one article per line) and URLs.

Each input gives Items (the raw page or record and the names it goes by), read lazily: a JSON Lines file
is read one line at a time, a URL fetched when its turn comes. item_article turns an Item into the
Article that kg.articles.parse_article reads from plain text, so every kind of input meets the same
dateline, clutter and title rules; the page's own metadata (title, publication date, site name, URL)
is taken where the page gives it. Web pages are read with trafilatura, which keeps the main text and
drops navigation, related-article lists, share widgets and comment forms; htmldate finds the date.
Nothing here fetches anything except fetch_page, and only for the URLs it is given.

An Item's source (the article's name in the graph: kg:sourceFile, its IRIs) is unique in a build and
the same on every run: the path of a page in the folder given ("2026/berita.html"), the URL of a JSON
Lines record or fetched page, or "corpus.jsonl#L12" for a record without a URL.
"""
from __future__ import annotations

import json
import logging
import os
import re
import stat
import time
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Iterable, Iterator
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from .articles import Article, article_sources, parse_article
from .dates import find_dates
from .errors import ArticleError, KgError
from .lexicon import Lexicon

log = logging.getLogger("kg")

HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl",)
# what `kg build` reads, for --help and for "nothing to read"
KINDS_READ = ("article text files (*.txt), saved web pages (*.html, *.htm), JSON Lines corpora (*.jsonl, one "
              "article per line) and http(s) URLs")
MAX_PAGE_BYTES = 20_000_000     # a saved page with inline scripts and styles is large; 20 MB is not a page
MAX_LINE_BYTES = 20_000_000     # one JSON Lines record
USER_AGENT = "kabar-kg/0.1 (news knowledge graph builder; reads one page per request)"
_URL = re.compile(r"^https?://", re.IGNORECASE)


def _size(n: float) -> str:
    return f"{n / 1e6:.0f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB" if n >= 1e3 else f"{n:.0f} bytes"


class FetchError(KgError):
    """A URL could not be fetched as an HTML page."""


@dataclass(frozen=True)
class Item:
    """One article to read: a web page (HTML) or a JSON Lines record, and the names it goes by."""
    source: str                 # its name in the graph (see the module docstring)
    where: str                  # its place in messages: "pages/a.html", "corpus.jsonl:12", a URL
    html: bytes | str | None = None
    text: str | None = None     # a record's plain text (when it has no html)
    title: str | None = None
    published: str | None = None
    site: str | None = None
    url: str | None = None      # the page's URL as known before reading it (record, request)
    path: Path | None = None


def is_url(text: str | os.PathLike) -> bool:
    return isinstance(text, str) and bool(_URL.match(text.strip()))


def kind_of(path: Path) -> str | None:
    """ "html" or "jsonl" for the files this module reads, None for the others (read as article text)."""
    suffix = path.suffix.lower()
    return "html" if suffix in HTML_SUFFIXES else "jsonl" if suffix in JSONL_SUFFIXES else None


def split_inputs(inputs: Iterable[str | os.PathLike], urls: Iterable[str] = ()) -> tuple[list[Path], list[str]]:
    """The paths and the URLs among INPUTS (URLs are given as str), with URLS added to the URLs."""
    paths, found = [], []
    for x in inputs:
        if is_url(x):
            found.append(str(x).strip())
        else:
            paths.append(Path(x))
    return paths, found + [u.strip() for u in urls]


def read_url_list(path: Path) -> list[str]:
    """The URLs in the file at PATH, one a line; blank lines and lines starting with # are left out. A line
    that is not an http(s) URL is an error naming the file and the line."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise KgError(f"{path}: no such file (--urls names a file with one URL a line)") from None
    except UnicodeDecodeError as exc:
        raise KgError(f"{path}: not UTF-8 text (byte {exc.start}); --urls names a file with one URL a line") from None
    except OSError as exc:
        raise KgError(f"{path}: cannot read ({exc.strerror or exc})") from None
    urls = []
    for n, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not is_url(line) or not urlsplit(line).hostname:
            raise KgError(f"{path}:{n}: not an http(s) URL: {shown(line)[:200]!r}")
        urls.append(line)
    return urls


def shown(url: str) -> str:
    """URL as it may be printed: without a user name and password."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    return urlunsplit(parts._replace(netloc=parts.hostname + (f":{parts.port}" if parts.port else "")))


def find_input_files(paths: Iterable[Path]) -> list[tuple[Path, str]]:
    """The pages and JSON Lines files named by PATHS with their keys, sorted by key: listed and keyed as
    kg.articles.article_sources lists and keys text files (a file given as an argument by its name, a
    file found in a folder by its path relative to that folder, and two files with the same key under
    different arguments by the argument as given joined with that key)."""
    return [(s.path, s.key) for s in article_sources(paths, accept=kind_of) if kind_of(s.path)]


def _open_regular(path: Path, max_bytes: int):
    """The file at PATH opened for reading, when it is a regular file of at most MAX_BYTES."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)   # opening a FIFO must not wait for a writer
    except FileNotFoundError:
        raise ArticleError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ArticleError(f"{path}: is a directory, expected a file") from None
    except PermissionError:
        raise ArticleError(f"{path}: permission denied") from None
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read ({exc.strerror or exc})") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise ArticleError(f"{path}: not a regular file (a FIFO, device or socket), expected a file")
    if info.st_size > max_bytes:
        os.close(fd)
        raise ArticleError(f"{path}: {info.st_size / 1e6:.1f} MB is too large (at most {_size(max_bytes)})")
    return os.fdopen(fd, "rb")


# the mark browsers write at the top of a page saved whole: <!-- saved from url=(0042)https://... -->
_SAVED_FROM = re.compile(rb"<!--\s*saved from url=\(\d+\)(https?://[^\s>]+?)\s*-->", re.IGNORECASE)


def _read_page_file(path: Path, key: str) -> Item:
    with _open_regular(path, MAX_PAGE_BYTES) as fh:
        data = fh.read(MAX_PAGE_BYTES + 1)
    if len(data) > MAX_PAGE_BYTES:
        raise ArticleError(f"{path}: more than {_size(MAX_PAGE_BYTES)} is too large for a web page")
    saved = _SAVED_FROM.search(data[:2048])
    url = clean_url(shown(saved[1].decode("ascii", "replace"))) if saved else None
    return Item(source=key, where=str(path), html=data, url=url, path=path)


# ------------------------------------------------------------------ JSON Lines

_TEXT_FIELDS = ("url", "title", "published", "date", "text", "html", "source", "site")


def _record_item(record: object, key: str, path: Path, n: int) -> Item:
    """The Item of the JSON Lines record on line N of PATH (KEY names the file in sources)."""
    where = f"{path}:{n}"
    if not isinstance(record, dict):
        raise ArticleError(f"{where}: a {type(record).__name__} where a JSON object (one article) was expected; "
                           "line skipped")
    for name in _TEXT_FIELDS:
        if record.get(name) is not None and not isinstance(record[name], str):
            raise ArticleError(f"{where}: field {name!r} is a {type(record[name]).__name__}, expected a string; "
                               "line skipped")
    text, html = (record.get(k) or "" for k in ("text", "html"))
    if not text.strip() and not html.strip():
        raise ArticleError(f"{where}: no 'text' or 'html' field with the article; line skipped")
    site = (record.get("site") or record.get("source") or "").strip() or None
    url = (record.get("url") or "").strip() or None
    if site and is_url(site):          # trafilatura's JSON names the page's URL "source"
        url, site = url or site, None
    url = clean_url(shown(url)) if url else None
    return Item(source=url or f"{key}#L{n}", where=where, html=html if html.strip() else None,
                text=text if not html.strip() else None, title=(record.get("title") or "").strip() or None,
                published=record.get("published") or record.get("date"), site=site, url=url)


def _jsonl_items(path: Path, key: str) -> Iterator[Item | str]:
    """The records of the JSON Lines file at PATH one at a time (the file is never read whole); a line that
    is not an article gives its message (with the line number) instead."""
    try:
        fh = _open_regular(path, float("inf"))
    except ArticleError as exc:
        yield str(exc)
        return
    with fh:
        n = 0
        while True:
            line = fh.readline(MAX_LINE_BYTES + 1)
            if not line:
                return
            n += 1
            if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
                while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                    pass    # the rest of the long line
                yield f"{path}:{n}: line longer than {_size(MAX_LINE_BYTES)}; line skipped"
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line.rstrip(b"\r\n").decode("utf-8-sig" if n == 1 else "utf-8"))
            except UnicodeDecodeError as exc:
                yield f"{path}:{n}: not UTF-8 (byte {exc.start} of the line); line skipped"
                continue
            except json.JSONDecodeError as exc:
                yield f"{path}:{n}: not valid JSON ({exc.msg.removesuffix(' at')} at column {exc.colno}); line skipped"
                continue
            try:
                yield _record_item(record, key, path, n)
            except ArticleError as exc:
                yield str(exc)


def count_jsonl_lines(path: Path) -> int:
    """About how many records the file at PATH holds (its line count), for progress; 0 when unreadable."""
    try:
        with _open_regular(path, float("inf")) as fh:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    except (ArticleError, OSError):
        return 0


# ------------------------------------------------------------------ URLs

@dataclass(frozen=True)
class Fetcher:
    """How pages are fetched: TIMEOUT seconds for each request as a whole, RETRIES more tries after a network
    error, a timeout or a 408/425/429/5xx answer, at most MAX_BYTES of page."""
    timeout: float = 30.0
    retries: int = 2
    max_bytes: int = MAX_PAGE_BYTES
    backoff: float = 1.0

    def fetch(self, url: str) -> tuple[bytes, str]:
        """The body of the HTML page at URL and its final URL (after redirects); FetchError otherwise."""
        import httpx
        if not is_url(url) or not urlsplit(url).hostname:
            raise FetchError(f"{shown(url)}: not an http(s) URL")
        headers = {"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"}
        last = ""
        with httpx.Client(headers=headers, timeout=self.timeout, follow_redirects=True, max_redirects=10) as client:
            for attempt in range(self.retries + 1):
                if attempt:
                    time.sleep(min(self.backoff * 2 ** (attempt - 1), 10.0))
                try:
                    return self._get(client, url)
                except _Retry as exc:
                    last = str(exc)
                    log.info("%s: %s (try %d of %d)", shown(url), last, attempt + 1, self.retries + 1)
        tries = f"{self.retries + 1} tries" if self.retries else "1 try"
        raise FetchError(f"{shown(url)}: cannot fetch: {last} ({tries})")

    def _get(self, client, url: str) -> tuple[bytes, str]:
        import httpx
        deadline = time.monotonic() + self.timeout
        try:
            with client.stream("GET", url) as response:
                status = response.status_code
                if status in (408, 425, 429) or status >= 500:
                    raise _Retry(f"HTTP {status} {response.reason_phrase}".strip())
                if status >= 400:
                    raise FetchError(f"{shown(url)}: cannot fetch: HTTP {status} {response.reason_phrase}".strip())
                ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
                if ctype and ctype not in ("text/html", "application/xhtml+xml", "text/plain"):
                    raise FetchError(f"{shown(url)}: not a web page (content type {ctype})")
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise FetchError(f"{shown(url)}: more than {_size(self.max_bytes)} is too large for a "
                                         "web page")
                    if time.monotonic() > deadline:
                        raise _Retry(f"timed out after {self.timeout:g} s")
                return b"".join(chunks), str(response.url)
        except httpx.TimeoutException:
            raise _Retry(f"timed out after {self.timeout:g} s") from None
        except httpx.TooManyRedirects:
            raise FetchError(f"{shown(url)}: cannot fetch: too many redirects") from None
        except httpx.UnsupportedProtocol:
            raise FetchError(f"{shown(url)}: cannot fetch: redirected to a URL that is not http(s)") from None
        except httpx.TransportError as exc:
            reason = str(exc).split("] ")[-1] or type(exc).__name__
            raise _Retry(f"network error ({reason[:200]})") from None


class _Retry(Exception):
    """A failure worth another try: a network error, a timeout, a 408/425/429/5xx answer."""


def _url_items(urls: list[str], fetcher: Fetcher) -> Iterator[Item | str]:
    for url in urls:
        try:
            data, final = fetcher.fetch(url)
        except FetchError as exc:
            yield str(exc)
            continue
        yield Item(source=shown(url), where=shown(url), html=data, url=clean_url(shown(final)))


# ------------------------------------------------------------------ all inputs

def read_items(paths: Iterable[Path], urls: Iterable[str] = (), fetcher: Fetcher | None = None,
               progress: Callable[[int, int, str], None] | None = None) -> Iterator[Item | str]:
    """The Items of the pages, JSON Lines files (in PATHS and the folders among them) and URLS, lazily, each
    source once; what cannot be read gives its message instead. PROGRESS(i, n, where) follows them (n
    counts the lines of JSON Lines files, so it is a bound)."""
    files = find_input_files(paths)
    urls = list(urls)
    total = len(urls) + sum(count_jsonl_lines(p) if kind_of(p) == "jsonl" else 1 for p, _ in files) if progress else 0
    seen: dict[str, str] = {}
    i = 0

    def items() -> Iterator[Item | str]:
        for path, key in files:
            if kind_of(path) == "jsonl":
                yield from _jsonl_items(path, key)
            else:
                try:
                    yield _read_page_file(path, key)
                except ArticleError as exc:
                    yield str(exc)
        yield from _url_items(urls, fetcher or Fetcher())

    for item in items():
        i += 1
        if progress:
            progress(i, max(total, i), item if isinstance(item, str) else item.where)
        if isinstance(item, Item):
            if item.source in seen:
                yield f"{item.where}: same {'URL' if is_url(item.source) else 'source'} as {seen[item.source]}; read once"
                continue
            seen[item.source] = item.where
        yield item


# ------------------------------------------------------------------ from an Item to an Article

_BAD_URL_CHARS = re.compile(r"[^\x21-\x7e]|[<>\"{}|\\^`]")


def clean_url(url: str, base: str | None = None) -> str | None:
    """URL (resolved against BASE) as an http(s) IRI every RDF format can hold (spaces, quotes and other
    characters percent-encoded), or None when it is not an http(s) URL."""
    url = url.strip()
    if base:
        url = urljoin(base, url)
    if not is_url(url) or not urlsplit(url).hostname:
        return None
    return _BAD_URL_CHARS.sub(lambda m: quote(m.group(), safe=""), url)


def _paragraphs(text: str) -> str:
    """TEXT with one blank line between paragraphs: as it is when it has blank lines already, else each
    line is a paragraph (web page extracts and scraper output write one paragraph a line)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if re.search(r"\n[ \t]*\n", text):
        return text
    return "\n\n".join(ln.strip() for ln in text.split("\n") if ln.strip())


def parse_date(value: str | None, lexicon: Lexicon) -> date | None:
    """The date in VALUE: ISO 8601 ("2026-03-12", "2026-03-12T08:00:00+07:00") or as Indonesian news write
    it ("Kamis, 12 Maret 2026"); None when there is none."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    found = find_dates(value, lexicon)
    return found[0].value if found else None


def _compose(title: str | None, body: str, where: str, lexicon: Lexicon) -> Article:
    """The Article read (by parse_article, as from a text file) from TITLE and BODY; a first body line
    that repeats the title is dropped."""
    body = _paragraphs(body)
    if title:
        first, _, rest = body.lstrip().partition("\n")
        if " ".join(first.split()).casefold() == " ".join(title.split()).casefold():
            body = rest
        raw = f"{title}\n\n{body}"
    else:
        raw = body
    article = parse_article(raw, where, lexicon)
    return replace(article, title=title or article.title)


def _page_metadata(html: bytes | str, url: str | None):
    """The trafilatura Document of HTML (main text, title, site name, canonical URL) and the page's
    publication date by htmldate (from its markup and URL only, not from dates in its text)."""
    import htmldate
    import trafilatura
    from trafilatura.utils import load_html
    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        logging.getLogger(name).setLevel(logging.CRITICAL)    # our messages say what went wrong
    tree = load_html(html)
    if tree is None:
        return None, None
    try:
        published = htmldate.find_date(tree, url=url, original_date=True, extensive_search=False)
    except Exception:    # noqa: BLE001 - htmldate raises many types on odd markup; the date is optional
        published = None
    try:
        # favor_precision: a page with no article in it gives no text, not its menu
        doc = trafilatura.bare_extraction(tree, url=url, with_metadata=True, include_comments=False,
                                          favor_precision=True, include_tables=True, include_images=False,
                                          include_links=False, deduplicate=False)
    except Exception as exc:    # noqa: BLE001 - a page trafilatura cannot take is one skipped page
        raise ArticleError(f"cannot read the web page ({type(exc).__name__}: {str(exc)[:200]})") from None
    return doc, published


def _page_url(found: str | None, known: str | None) -> str | None:
    """The page's URL: its canonical link or og:url (FOUND) unless that is only the site's front page while
    the URL it was fetched or listed under (KNOWN) is an article's; else KNOWN."""
    found = clean_url(found, known) if found else None
    if found and known and urlsplit(found).path.strip("/") == "" and urlsplit(known).path.strip("/"):
        return known
    return found or known


def item_article(item: Item, lexicon: Lexicon) -> Article:
    """The Article of ITEM; ArticleError when it holds no article text."""
    if item.html is not None:
        try:
            doc, published = _page_metadata(item.html, item.url)
        except ArticleError as exc:
            raise ArticleError(f"{item.where}: {exc}") from None
        # a page with no sentence of five words holds no article, only what surrounds one (a menu, a footer)
        if doc is None or not any(len(line.split()) >= 5 for line in (doc.text or "").split("\n")):
            raise ArticleError(f"{item.where}: no article text found in the web page")
        title = " ".join((item.title or doc.title or "").split()) or None
        site, url = item.site or doc.sitename or doc.hostname, _page_url(doc.url, item.url)
        published = parse_date(item.published, lexicon) or (date.fromisoformat(published) if published else None)
        text = doc.text
    else:
        title, site, url = item.title, item.site, item.url
        published, text = parse_date(item.published, lexicon), item.text or ""
    article = _compose(title, text, item.where, lexicon)
    # a web page's date and site come with the page: no dateline is then nothing to warn about
    warnings = () if published or site else tuple(   # "c.jsonl:3:1: no dateline" is "c.jsonl:3: no dateline"
        re.sub(rf"^{re.escape(item.where)}:\d+:", f"{item.where}:", w) for w in article.warnings)
    if item.published and not parse_date(item.published, lexicon):
        warnings += (f"{item.where}: {item.published[:40]!r} is not a date; read without it",)
    return replace(article, source=item.source, published=published or article.published,
                   publisher=article.publisher or site, url=url, path=item.path, warnings=warnings)
