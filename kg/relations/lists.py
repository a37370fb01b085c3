"""Coordination and lists, one mechanism for every relation reader (STYLE.md section 7).

Given a Doc and an anchor (a Mention or a character span), `coordinated` returns the items listed
with it, each with its span, its mention(s) and the rank stated for it:

- inline coordination in one sentence: "Kota A, Kabupaten B, dan Kota C", "A serta B", "A dan B",
  with an item's own words beside it ("Kota A (Juara I), Kota B (Juara II)", "Juara I Kota A, Juara
  II Kota B", "Kota A dengan nilai 90,1, dan Kota B 85");
- one item per line, numbered or bulleted ("1. Kota X", "- Kabupaten Y", "a) ..."), or unmarked lines
  after an introducing line that ends with a colon, or lines that each open with a rank
  ("Peringkat pertama: Provinsi X");
- ranked lists: a rank written before or after each item, a range before the items ("Terbaik I-III
  diraih Kota A, Kota B, dan Kota C") or a list of ranks after them ("... masing-masing Juara I, II,
  dan III"), which are dealt out to the items in order.

`line_items` gives the list block at or right after a position; `split_items` cuts a span that holds
no mentions yet ("Dinas Sosial, Dinas Kesehatan, serta BPKAD") into items. The words (conjunctions,
rank words, ordinals) are data in kg/lexicons/list_words.tsv.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..lexicon import LEXICON_DIR, _table
from ..mentions import Doc, Mention
from ..textutil import alternation

__all__ = ["Item", "ListWords", "coordinated", "line_items", "lists_after", "list_words", "rank_at", "ranks_in", "split_items"]


@dataclass(frozen=True)
class Item:
    start: int                          # the item's span in Doc.text (marker and rank words excluded)
    end: int
    text: str
    mention: Mention | None = None      # the item's (first) top-level mention of the wanted labels
    mentions: tuple[Mention, ...] = ()  # all top-level mentions of the wanted labels inside the item
    rank: str = ""                      # the rank stated for this item, as written: "Terbaik I", "peringkat kedua"
    place: int = 0                      # the number of that rank (1 for "Juara I"; 0 when none)
    marker: str = ""                    # a line item's marker: "1.", "-", "a)"
    number: int = 0                     # the number of a numbered line item
    before: str = ""                    # the item's own words before it ("Juara I", "Peringkat kedua:")
    after: str = ""                     # and after it ("(Juara II)", "dengan nilai 90,1")
    line: bool = False                  # one item per line
    heading: str = ""                   # the short heading line above the item's block ("Kategori Kota")


@dataclass(frozen=True, eq=False)   # hashed by identity: caches key on the loaded words
class ListWords:
    conjunction: re.Pattern   # a conjunction between the last items
    rank: re.Pattern          # a rank: group "head", "first", "last" (a range), "title" (a rank without number)
    ordinal: re.Pattern       # an ordinal alone ("II", "ketiga", "3")
    ordinals: dict[str, int]  # casefolded word -> number
    respectively: re.Pattern
    attribute: str = ""       # an item's own words between items, with "{rank}" for the rank pattern


def _alt(words, ignore_case: bool = False) -> str:
    """The words as one pattern (a trie, textutil.alternation); IGNORE_CASE where it is read ignoring case."""
    return alternation(words, ignore_case)


@cache
def list_words(directory: Path = LEXICON_DIR) -> ListWords:
    """The words of lists, from list_words.tsv (read once per process)."""
    rows = _table("list_words.tsv", Path(directory), 3)
    by_kind: dict[str, list[str]] = {}
    ordinals: dict[str, int] = {}
    for word, kind, number in rows:
        by_kind.setdefault(kind, []).append(word)
        if kind == "ordinal":
            ordinals[word if word.isupper() else word.casefold()] = int(number)
    roman = [w for w in by_kind.get("ordinal", ()) if w.isupper()]
    words = [w for w in by_kind.get("ordinal", ()) if not w.isupper()]
    ordinal = rf"(?:[Kk]e-?\s*)?(?:(?i:{_alt(words, True)})|{_alt(roman)}|\d{{1,2}})(?!\w)(?!\s+kali\b)"
    heads = _alt((w for w in by_kind.get("rank", ()) if w.casefold() != "juara umum"), True)
    titles = _alt((w for w in by_kind.get("rank", ()) if w.casefold() == "juara umum"), True) or "(?!)"
    rng = _alt(by_kind.get("range", ()))
    rank = (rf"(?:(?P<title>(?i:{titles}))(?![\w-])|(?P<head>(?i:{heads}))\s+(?P<first>{ordinal})"
            rf"(?:\s*(?:{rng})\s*(?P<last>{ordinal}))?(?:\s+(?i:terbaik)(?![\w-]))?)")
    group, lead, unit = (_alt(by_kind.get(k, ())) or "(?!)" for k in ("group", "before_rank", "unit"))
    attribute = (r"\s*\([^()\n]{0,60}\)"                                            # "(Juara I)", "(Pemkot)"
                 rf"|\s+(?:di|pada|untuk|dari)\s+(?:{group})\s+[a-z]+(?:/[a-z]+)?"      # "di kelompok kota"
                 rf"|\s+(?:(?:{lead})\s+)?{{rank}}"                                   # "sebagai Juara I"
                 rf"|\s+(?:(?:dengan|dan|sebesar)\s+)?(?:[a-z]+\s+){{0,2}}\d+(?:[.,]\d+)*(?:\s*(?:{unit}))?")
    return ListWords(re.compile(rf"(?:{_alt(by_kind.get('conjunction', ()))})"), re.compile(rank),
                     re.compile(ordinal), ordinals, re.compile(rf"(?i:{_alt(by_kind.get('respectively', ()), True)})"),
                     attribute)


def ordinal_value(text: str, words: ListWords | None = None) -> int:
    """1 for "I", "pertama", "ke-1", "1"; 0 when TEXT is no ordinal."""
    words = words or list_words()
    t = text.strip()
    for form in (t, re.sub(r"^[Kk]e-?\s*", "", t)):
        if form.isdigit():
            return int(form)
        n = words.ordinals.get(form if form.isupper() else form.casefold(), 0)
        if n:
            return n
    return 0


def ranks_in(text: str) -> list[tuple[str, int]]:
    """The ranks TEXT states, in order, a range dealt out: "Terbaik I-III" -> Terbaik I, Terbaik II,
    Terbaik III; "Juara I, II, dan III" -> Juara I, Juara II, Juara III."""
    w = list_words()
    out: list[tuple[str, int]] = []
    for m in w.rank.finditer(text):
        if m["title"]:
            out.append((_squash(m.group()), 0))
            continue
        head, first = _squash(m["head"]), ordinal_value(m["first"], w)
        if m["last"]:
            last = ordinal_value(m["last"], w)
            roman = m["first"].strip().isupper() and not m["first"].strip().isdigit()
            for n in range(first, last + 1) if 0 < first <= last <= first + 9 else ():
                out.append((f"{head} {_roman(n) if roman else n}", n))
            continue
        out.append((_squash(m.group()), first))
        # "Juara I, II, dan III": further ordinals joined to this rank
        tail = _further_ordinals(w.conjunction.pattern, w.ordinal.pattern)
        pos = m.end()
        while (t := tail.match(text, pos)):
            out.append((f"{head} {t['ord'].strip()}", ordinal_value(t["ord"], w)))
            pos = t.end()
    return out


def rank_at(text: str) -> tuple[str, int]:
    """The first rank in TEXT ("", 0 when none)."""
    r = ranks_in(text)
    return r[0] if r else ("", 0)


# ---------------------------------------------------------------- mentions, looked up by position


class _Index:
    """The top-level mentions of a Doc (a mention inside a longer one is part of it), sorted by start."""

    def __init__(self, doc: Doc) -> None:
        ms = sorted(doc.mentions, key=lambda m: (m.start, -m.end))
        top, reach = [], -1
        for m in ms:
            if m.end <= reach and top and not (top[-1].start == m.start and top[-1].end == m.end):
                continue
            top.append(m)
            reach = max(reach, m.end)
        self.mentions = top
        self.starts = [m.start for m in top]
        self.lines, pos = [], 0
        for line in doc.text.split("\n"):
            self.lines.append((pos, pos + len(line)))
            pos += len(line) + 1
        self.line_starts = [a for a, _ in self.lines]
        # (start, end, labels) -> coordinated's items: the award readers ask it of the same recipient for each
        # award group, grade and rank (kept here, so dropped with the index when the Doc gains a mention)
        self.coordinated: dict[tuple[int, int, tuple[str, ...] | None], list[Item]] = {}

    def within(self, start: int, end: int, labels: tuple[str, ...] | None) -> list[Mention]:
        i = bisect.bisect_left(self.starts, start)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end:
            m = self.mentions[i]
            if m.end <= end and (not labels or m.label in labels) and (not out or out[-1].start != m.start):
                out.append(m)
            i += 1
        return out


def _index(doc: Doc) -> _Index:
    """The Doc's mentions indexed for the list readers (Doc.list_index), rebuilt when the Doc has grown."""
    if doc.list_index is None or doc.list_index[0] != len(doc.mentions):
        doc.list_index = (len(doc.mentions), _Index(doc))
    return doc.list_index[1]


# ---------------------------------------------------------------- inline coordination


def _separator(words: ListWords) -> re.Pattern:
    conj = words.conjunction.pattern
    return re.compile(rf"(?P<comma>\s*[,;]\s*(?:(?:{conj})\s+)?)|(?P<conj>\s+(?:{conj})\s+)")


@cache
def _between(words: ListWords) -> re.Pattern:
    """The text between two coordinated items: the first one's own words, a separator, the next one's
    own words ("(Juara I), Juara II ")."""
    rank = _plain_rank(words)
    attr = words.attribute.replace("{rank}", rank)
    sep = _separator(words).pattern
    return re.compile(rf"(?P<after>(?:{attr})*)(?:{sep})(?P<before>(?:{rank})\s*:?\s*)?")


def _apposition(left: Mention, right: Mention) -> bool:
    """A bare comma before the area that holds LEFT is an apposition, not a list: "Kota Madiun, Jawa
    Timur", "Pemerintah Desa Sukamaju, Kabupaten Semarang", "Dinas Sosial, Kota Madiun"."""
    def level(m: Mention) -> int:
        code = m.key.split(":", 1)[1] if ":" in m.key else ""
        if m.label == "Province" or m.label == "Agency" and m.attr("government") and len(code) == 2:
            return 2
        if m.label == "Municipality" or m.label == "Agency" and m.attr("government"):
            return 1
        return 0
    lo, hi = level(left), level(right)
    if hi <= lo:
        return False
    if lo == 1:   # a municipality, then a province: only the province it lies in
        return left.key.split(":", 1)[1].startswith(right.key.split(":", 1)[1])
    return True


def coordinated(doc: Doc, anchor: Mention | tuple[int, int], labels: tuple[str, ...] | None = None) -> list[Item]:
    """The items coordinated with ANCHOR (itself included, in text order): the line list it stands in,
    or the inline coordination of its sentence. LABELS restricts the mentions taken as items (None:
    any); a span ANCHOR without a mention of those labels is returned alone."""
    start, end = (anchor.start, anchor.end) if isinstance(anchor, Mention) else anchor
    known = _index(doc).coordinated
    items = known.get((start, end, labels))
    if items is None:
        items = known[(start, end, labels)] = _coordinated(doc, start, end, labels)
    return list(items)


def _coordinated(doc: Doc, start: int, end: int, labels: tuple[str, ...] | None) -> list[Item]:
    block = line_items(doc, start, labels)
    if block:
        hit = [it for it in block if it.start <= start < max(it.end, start + 1)]
        if hit:
            return block
    return _inline(doc, start, end, labels)


def _inline(doc: Doc, start: int, end: int, labels: tuple[str, ...] | None) -> list[Item]:
    s = doc.sentence_of(start)
    lo, hi = (s.start, s.end) if s else (start, end)
    ms = _index(doc).within(lo, hi, labels)
    here = next((i for i, m in enumerate(ms) if m.start <= start < m.end), None)
    if here is None:
        return [Item(start, end, doc.text[start:end])]
    words = list_words()
    between = _between(words)
    text = doc.text
    links: dict[int, re.Match] = {}      # i -> the match between ms[i] and ms[i + 1]
    for i in range(len(ms) - 1):
        b = between.fullmatch(text, ms[i].end, ms[i + 1].start)
        if b and "\n" not in b.group():
            links[i] = b
    first = here
    while first - 1 in links:
        first -= 1
    last = here
    while last in links:
        last += 1
    chain = list(range(first, last + 1))
    if len(chain) > 1:
        chain = _valid_chain(ms, links, chain, here)
    items = []
    for n, i in enumerate(chain):
        m = ms[i]
        before = links[i - 1]["before"] if n > 0 and links[i - 1]["before"] else ""
        after = links[i]["after"] if i in links and n < len(chain) - 1 else ""
        if n == 0:
            before = _lead(text, lo, m.start, words)
        if n == len(chain) - 1:
            t = _attributes(words).match(text, m.end, hi)
            after = t.group() if t else ""
        rank, place = rank_at(before.strip()) if before.strip() else ("", 0)
        if not rank and after.strip():
            rank, place = rank_at(after)
        items.append(Item(m.start, m.end, text[m.start:m.end], m, (m,), rank, place,
                          before=before.strip(), after=after.strip()))
    if len(items) > 1:
        items = _deal_ranks(text, lo, hi, items)
    return items


@cache
def _attributes(words: ListWords) -> re.Pattern:
    return re.compile(rf"(?:{words.attribute.replace('{rank}', _plain_rank(words))})*")


def _plain_rank(words: ListWords) -> str:
    return re.sub(r"\(\?P<\w+>", "(?:", words.rank.pattern)


@cache
def _rank_patterns(rank: str) -> dict[str, re.Pattern]:
    """The patterns around a rank (RANK: list_words' rank pattern), built once: a rank right before the first
    item ("Juara I Kota A"), a line opening with a rank ("Juara I: X"), a rank before an item's name."""
    plain = re.sub(r"\(\?P<\w+>", "(?:", rank)
    return {"lead": re.compile(rf"(?:{plain})\s*:?\s*$"),
            "line": re.compile(rf"\s*(?>{plain})(?:\s*:|\s+[-–—])\s*\S"),
            "item": re.compile(rf"\s*(?:{plain})\s*[:.\-–—]?\s*")}


@cache
def _further_ordinals(conjunction: str, ordinal: str) -> re.Pattern:
    """", II, dan III" after "Juara I": the ordinals joined to a rank."""
    return re.compile(rf"\s*(?:,\s*(?:(?:{conjunction})\s+)?|\s+(?:{conjunction})\s+)(?P<ord>{ordinal})")


def _lead(text: str, lo: int, start: int, words: ListWords) -> str:
    """A rank right before the first item: "Juara I Kota A", "Peringkat pertama: Kota A"."""
    window = text[max(lo, start - 40):start]
    m = _rank_patterns(words.rank.pattern)["lead"].search(window)
    return m.group() if m else ""


def _valid_chain(ms: list[Mention], links: dict[int, re.Match], chain: list[int], here: int) -> list[int]:
    """Keep a chain that is a coordination: joined by a conjunction at its end ("A, B, dan C"), or by
    bare commas between items of one class. Items after the last conjunction that follow by a bare
    comma are an apposition or another clause, and are dropped."""
    def is_conj(i: int) -> bool:
        b = links[i]
        return bool(b["conj"]) or bool(re.search(r"[,;]\s*\S", b["comma"] or ""))
    conj = [i for i in chain[:-1] if is_conj(i)]
    if conj:
        stop = conj[-1] + 1
        out = [i for i in chain if i <= stop]
        # a bare comma between classes before the conjunction is an apposition: start after it
        for i in reversed(out[:-1]):
            if not is_conj(i) and _apposition(ms[i], ms[i + 1]):
                out = [j for j in out if j > i]
                break
        return out if here in out else [here]
    if len(chain) >= 3 and not any(_apposition(ms[i], ms[i + 1]) for i in chain[:-1]):
        return chain
    return [here]


def _deal_ranks(text: str, lo: int, hi: int, items: list[Item]) -> list[Item]:
    """A list of ranks before the items ("Terbaik I-III diraih Kota A, Kota B, dan Kota C") or after
    them with "masing-masing" ("... masing-masing meraih Juara I, II, dan III"), dealt out in order."""
    if any(it.rank for it in items):
        return items
    before = ranks_in(text[lo:items[0].start])
    after_text = text[items[-1].end:hi]
    after = ranks_in(after_text) if list_words().respectively.search(after_text) else []
    ranks = before if len(before) == len(items) else after if len(after) == len(items) else []
    if not ranks:
        return items
    return [Item(it.start, it.end, it.text, it.mention, it.mentions, r, n, it.marker, it.number, it.before,
                 it.after, it.line) for it, (r, n) in zip(items, ranks)]


# ---------------------------------------------------------------- one item per line

_MARKER = re.compile(r"[ \t]*(?P<marker>(?P<num>\d{1,2})[.)]|[-•*·–—](?=\s)|[a-z][.)](?=\s))[ \t]*")


def _lines(doc: Doc, pos: int) -> tuple[list[tuple[int, int]], int]:
    """The lines of the Doc's text (start, end without the line break) and the index of the one holding POS."""
    spans = _index(doc).lines
    here = bisect.bisect_right(_index(doc).line_starts, pos) - 1
    return spans, max(here, 0)


def _line_kind(text: str, a: int, b: int, words: ListWords) -> str:
    """ "marker" for "1. X" / "- X", "rank" for "Juara I: X", "" otherwise."""
    line = text[a:b]
    if _MARKER.match(line) and line[_MARKER.match(line).end():].strip():
        return "marker"
    r = _rank_patterns(words.rank.pattern)["line"].match(line)
    return "rank" if r else ""


def line_items(doc: Doc, pos: int, labels: tuple[str, ...] | None = None, min_lines: int = 2) -> list[Item]:
    """The list whose lines hold POS, or the list that starts on the lines right after POS's line
    (an introducing line "Berikut daftarnya:" or a sentence ending in a colon). Items are lines with
    a marker ("1.", "-"), lines opening with a rank ("Juara II: X"), or, after a line ending in a
    colon, short unmarked lines; blank lines between items are allowed. [] when there is none, or when
    the list has fewer than MIN_LINES items."""
    text = doc.text
    words = list_words()
    spans, here = _lines(doc, pos)
    kinds = [None] * len(spans)

    def kind(k: int) -> str:
        if kinds[k] is None:
            kinds[k] = _line_kind(text, *spans[k], words)
        return kinds[k]

    def blank(k: int) -> bool:
        return not text[spans[k][0]:spans[k][1]].strip()

    def short(k: int) -> bool:
        line = text[spans[k][0]:spans[k][1]].strip()
        return 0 < len(line.split()) <= 12 and not line.endswith((".", ":", "?", "!"))

    def run_from(k: int, style: str) -> list[int]:
        out = []
        while k < len(spans):
            if blank(k):
                k += 1
                continue
            if kind(k) == style or style == "plain" and kind(k) == "" and short(k):
                out.append(k)
                k += 1
                continue
            break
        return out

    lines: list[int] = []
    if kind(here):
        style = kind(here)
        first = here
        k = here - 1
        while k >= 0 and (blank(k) or kind(k) == style):
            if not blank(k):
                first = k
            k -= 1
        lines = run_from(first, style)
    else:
        nxt = here + 1
        while nxt < len(spans) and blank(nxt):
            nxt += 1
        intro = text[spans[here][0]:spans[here][1]].rstrip()
        if nxt < len(spans) and kind(nxt):
            lines = run_from(nxt, kind(nxt))
        elif nxt < len(spans) and intro.endswith(":"):
            lines = run_from(nxt, "plain")
            if len(lines) < 2:
                lines = []
        elif here > 0 and not blank(here):
            # POS on an unmarked line of a list introduced by a colon
            k = here
            while k > 0 and not blank(k - 1) and short(k - 1):
                k -= 1
            if k > 0 and text[spans[k - 1][0]:spans[k - 1][1]].rstrip().endswith(":") and short(here):
                lines = run_from(k, "plain")
                if len(lines) < 2 or here not in lines:
                    lines = []
    if len(lines) < min_lines:   # one line is no list, unless a list came just before
        return []
    return [_line_item(doc, spans[k], words, labels) for k in lines]


def lists_after(doc: Doc, pos: int, labels: tuple[str, ...] | None = None, max_blocks: int = 6) -> list[Item]:
    """The items of the line lists right after POS's line, several blocks when short heading lines
    stand between them ("Kategori Pemerintah Kota" then "Peringkat pertama: Kota X" ...); each item
    keeps its block's heading. [] when no list follows."""
    spans, here = _lines(doc, pos)
    text = doc.text
    out: list[Item] = []
    k, heading, blocks = here + 1, "", 0
    while k < len(spans) and blocks < max_blocks:
        line = text[spans[k][0]:spans[k][1]].strip()
        if not line:
            k += 1
            continue
        block = line_items(doc, spans[k][0], labels, min_lines=1 if out else 2)
        if not block or block[0].start < spans[k][0]:
            break
        heading = ""
        if block[0].start > spans[k][1]:   # this line introduces the block: a heading, or the end of the lists
            if len(line.split()) > 6 or line.endswith((".", "?", "!", '"', "”")):
                break
            heading = line.rstrip(":").strip()
        out += [Item(it.start, it.end, it.text, it.mention, it.mentions, it.rank, it.place, it.marker, it.number,
                     it.before, it.after, it.line, heading) for it in block]
        blocks += 1
        k = bisect.bisect_right(_index(doc).line_starts, block[-1].end)
    return out


def _line_item(doc: Doc, span: tuple[int, int], words: ListWords, labels: tuple[str, ...] | None) -> Item:
    text = doc.text
    a, b = span
    marker, number = "", 0
    mk = _MARKER.match(text, a, b)
    if mk:
        marker, number = mk["marker"], int(mk["num"]) if mk["num"] else 0
        a = mk.end()
    before = ""
    r = _rank_patterns(words.rank.pattern)["item"].match(text, a, b)
    if r and rank_at(r.group())[0]:
        before, a = r.group(), r.end()
    while a < b and text[a] in " \t":
        a += 1
    while b > a and text[b - 1] in " \t":
        b -= 1
    ms = _index(doc).within(a, b, labels)
    mention = ms[0] if ms else None
    after = text[mention.end:b] if mention else ""
    rank, place = rank_at(before) if before else ("", 0)
    if not rank:
        rank, place = rank_at(after)
    return Item(a, b, text[a:b], mention, tuple(ms), rank, place, marker, number, before.strip(), after.strip(), True)


# ---------------------------------------------------------------- spans without mentions


def split_items(doc: Doc, start: int, end: int, split_bare_conjunction: bool = True) -> list[Item]:
    """Cut the span START..END into coordinated items at commas and conjunctions ("Dinas Sosial,
    Dinas Kesehatan, serta BPKAD" -> three items). With SPLIT_BARE_CONJUNCTION false, a conjunction
    without a comma before it stays inside an item ("Dinas Tenaga Kerja dan Transmigrasi, serta X")."""
    words = list_words()
    conj = words.conjunction.pattern
    sep = rf"\s*[,;]\s*(?:(?:{conj})\s+)?" + (rf"|\s+(?:{conj})\s+" if split_bare_conjunction else "")
    out, pos = [], start
    for m in re.compile(sep).finditer(doc.masked, start, end):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, end))
    items = []
    for a, b in out:
        while a < b and doc.text[a].isspace():
            a += 1
        while b > a and doc.text[b - 1] in " \t\n.":
            b -= 1
        if a < b:
            ms = _index(doc).within(a, b, None)
            items.append(Item(a, b, doc.text[a:b], ms[0] if ms else None, tuple(ms)))
    return items


# ---------------------------------------------------------------- helpers


def _squash(s: str) -> str:
    return " ".join(s.split())


_ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def _roman(n: int) -> str:
    return _ROMAN[n] if 0 < n < len(_ROMAN) else str(n)
