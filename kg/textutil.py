"""Small text helpers shared by the stages: slugs, blanked parentheses, abbreviations written in the text."""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from functools import lru_cache, wraps

_PAREN = re.compile(r"\(([^()\n]{1,80})\)")
# words an abbreviation may pass over: "Kementerian Lingkungan Hidup dan Kehutanan (KLHK)"
_SKIPPABLE = {"dan", "di", "ke", "of", "and", "the", "bidang", "&", "serta", "untuk"}


def alternation(names, ignore_case: bool = False, not_after: str | None = None) -> str:
    """Return a regular expression matching any of NAMES, a space in a name matching any run of white space.

    It matches what "|".join of the escaped names, longest first, matches (a match is the longest name that
    fits, the next shorter when what follows the group fails), but is written as a trie: names that share a
    beginning share it in the pattern, so the engine reads each character once instead of once per name.
    ["Kota", "Kota Batu", "Kudus"] gives "K(?:ota(?:\\s+Batu)?|udus)". For a pattern read ignoring case, say
    so (IGNORE_CASE): the names are then put in lower case, so that no two branches fit the same text; names
    that are not all ASCII (whose case folding may join two letters) are then given as the flat list.

    NOT_AFTER, a character class ("[\\w-]"), gives the pattern of f"(?<!{NOT_AFTER})(?:{names})", a name not
    right after such a character, with the check written after each name's first character
    ("K(?<![\\w-]K)(?:ota...)"): a pattern opening with a look-behind is tried at every character of a text,
    one opening with a character only where that character stands.

    The same names give the same pattern, built once per process (several recognisers share a list of names).
    """
    return _alternation(frozenset(names), ignore_case, not_after)


@lru_cache(maxsize=256)
def _alternation(names: frozenset[str], ignore_case: bool, not_after: str | None) -> str:
    if ignore_case:
        if not all(n.isascii() for n in names):
            flat = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(names, key=len, reverse=True))
            return f"(?<!{not_after})(?:{flat})" if not_after else flat
        names = {n.lower() for n in names}
    if not_after:
        if not names or "" in names or any(n[0] == " " for n in names):   # no name opening with a character
            return f"(?<!{not_after})(?:{_trie_pattern(names)})"                # to check after
        return _trie_pattern(names, not_after)
    return _trie_pattern(names)


def _trie_pattern(names, not_after: str | None = None) -> str:
    """The pattern of one trie node, NAMES being what follows it of each name through it ("": a name ends here):
    its branches, the one holding the longest name first; optional where a name also ends here (greedy, so the
    longer names are tried first). A branch holding one name is that name's rest written out. NOT_AFTER: see
    alternation (root only)."""
    branches: dict[str, list[str]] = {}
    for name in names:
        if name:
            branches.setdefault(name[0], []).append(name[1:])
    steps = {c: _step(c) for c in branches}
    order = sorted(branches, key=lambda c: (-max(map(len, branches[c])), steps[c]))   # (the same pattern every run)
    parts = []
    for c in order:
        rest = branches[c]
        guard = f"(?<!{not_after}{steps[c]})" if not_after else ""
        after = "".join(map(_step, rest[0])) if len(rest) == 1 else _trie_pattern(rest)
        parts.append(steps[c] + guard + after)
    if not parts:
        return ""
    body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    if "" in names:
        return f"(?:{body})?"
    return body


def _step(c: str) -> str:
    """One character of a name in the pattern: itself escaped, a space any run of white space."""
    return r"\s+" if c == " " else re.escape(c)


@lru_cache(maxsize=1024)
def standalone(word: str) -> re.Pattern:
    r"""The pattern of rf"(?<![\w-]){re.escape(WORD)}(?![\w-])", WORD not inside a longer (or hyphenated) word,
    with the check before it written after its first character: a pattern opening with a look-behind is tried at
    every character of a text, one opening with a character only where that character stands."""
    first, rest = re.escape(word[:1]), re.escape(word[1:])
    return re.compile(rf"{first}(?<![\w-]{first}){rest}(?![\w-])" if word else r"(?<![\w-])(?![\w-])")


def per_pattern(read):
    """READ(pattern), kept per pattern object: looked up by the pattern's id, as functools' caches would hash the
    pattern, and hashing a pattern hashes its compiled code (siphash over thousands of code words for a trie of
    names), once per pattern and article for the readers that ask (Context.lacks_in, Cues.starts). The pattern is kept
    beside its value, so that its id is not reused while the value is; at most _PER_PATTERN patterns are kept."""
    known: dict[int, tuple[re.Pattern, object]] = {}

    @wraps(read)
    def cached(pattern: re.Pattern):
        hit = known.get(id(pattern))
        if hit is None:
            if len(known) >= _PER_PATTERN:
                known.clear()
            hit = known[id(pattern)] = (pattern, read(pattern))
        return hit[1]
    cached.cache_clear = known.clear
    return cached


_PER_PATTERN = 4096


def _walk(pattern: re.Pattern, walk, name: str):
    """WALK(items, constants) of PATTERN as the engine's own parser reads it (its items, and the module naming
    their kinds); None when it cannot be read so (a bytes pattern; another Python's internals). NAME says what
    WALK reads (with its arguments): the value is kept under it with the compiled patterns (kg.caches.kept_value;
    a one-article rebuild parsed 75 patterns again for these, 0.07-0.12 s)."""
    if not isinstance(pattern.pattern, str):
        return None
    from .caches import kept_value
    return kept_value(("textutil", _source_digest(), name, pattern.pattern, pattern.flags),
                      lambda: _parsed_walk(pattern, walk))


def _parsed_walk(pattern: re.Pattern, walk):
    try:
        from re import _constants, _parser   # the engine's parser (sre_parse before Python 3.11)
        return walk(list(_parser.parse(pattern.pattern, pattern.flags)), _constants)
    except Exception:   # noqa: BLE001 - another Python's internals: the pattern is read as it is
        return None


@lru_cache(maxsize=1)
def _source_digest() -> str:
    """A digest of this module's source: what _walk's kept values depend on besides the pattern and Python."""
    import hashlib
    from pathlib import Path
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]


@per_pattern
def required_texts(pattern: re.Pattern) -> tuple[str, ...]:
    r"""Runs of characters, one of which every match of PATTERN holds as written (() when none is known):
    ("esepahaman",) for "[Nn]ota\s+[Kk]esepahaman", ("Anugerah", "Piala") for "(?:Anugerah|Piala)\s+[A-Z]\w+".
    A text holding none of them holds no match, and str.find tells that faster than the engine reading the text for
    a pattern that opens with a class of letters or a choice of words. Read from the engine's own parser: a
    run of characters, or a choice whose every branch holds one; a pattern or group read ignoring case gives none,
    and so does a pattern opening with a character ("MoU"): the engine jumps to where it stands as fast as str.find."""
    if pattern.flags & re.IGNORECASE:
        return ()
    return _walk(pattern, lambda items, c: () if items and items[0][0] is c.LITERAL else _required(items, c),
                 "required") or ()


@per_pattern
def required_lower_texts(pattern: re.Pattern) -> tuple[str, ...]:
    r"""Runs of characters in lower case, one of which (ignoring case) every match of PATTERN holds, also for a
    pattern read ignoring case: ("bandingkan", "penduduk") for "(?i)aktif\w*\s+bandingkan|...penduduk". An ASCII
    text whose lower case holds none of them holds no match. () when none is known, or when a run is not ASCII
    (ignoring case, "ſ" matches "s" and "K" (Kelvin) "k"; in an ASCII text only the ASCII letters stand)."""
    found = _walk(pattern, lambda items, c: _required(items, c, any_case=True), "required in any case") or ()
    return tuple(t.lower() for t in found) if all(t.isascii() for t in found) else ()


def _required(items: list, c, any_case: bool = False) -> tuple[str, ...]:
    """required_texts of a parsed sequence: the most telling of its runs and choices (the one whose shortest
    text is longest). ANY_CASE: also in groups read ignoring case (the runs are then looked for in lower case)."""
    found: list[tuple[str, ...]] = []
    run = ""
    for op, arg in items:
        if op is c.LITERAL:
            run += chr(arg)
            continue
        found.append((run,) if run else ())
        run = ""
        if op is c.BRANCH:
            branches = [_required(list(b), c, any_case) for b in arg[1]]
            found.append(tuple(t for b in branches for t in b) if all(branches) else ())
        elif op is c.SUBPATTERN and (any_case or not arg[1] & re.IGNORECASE):   # a group (arg: group, flags on, flags off, items)
            found.append(_required(list(arg[3]), c, any_case))
    found.append((run,) if run else ())
    return max((f for f in found if f), key=lambda f: min(map(len, f)), default=())


def is_word_char(c: str) -> bool:
    """True for what re's \\w matches in a str pattern: a letter, a digit or an underscore."""
    return c.isalnum() or c == "_"


# a class repeated is written "[...][...]*" rather than "[...]+" (the same matches): the engine skips to where a
# pattern can start only when it opens with a class or a character, and tries one opening with a repetition at
# every character
_NOT_ALNUM = re.compile(r"[^A-Za-z0-9][^A-Za-z0-9]*")


def slug(text: str) -> str:
    """Return a readable IRI segment: "Pemerintah Kota Blitar" -> "pemerintah-kota-blitar"."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = _NOT_ALNUM.sub("-", text).strip("-").lower()
    return text[:80].rstrip("-") or "x"


def squash(text: str) -> str:
    """Return TEXT with runs of white space folded to one space and the ends trimmed."""
    return " ".join(text.split()).strip(" ,;:-—–")


def mask_parentheses(text: str) -> str:
    """Return TEXT with each parenthesis that starts with a letter blanked (same length, same offsets).

    "Pemerintah Kota (Pemkot) Blitar" reads as "Pemerintah Kota          Blitar" to the recognisers,
    while "Endang (50)" and "(17/11/2025)" stay as they are.
    """
    return _PAREN.sub(lambda m: " " * len(m.group()) if m.group(1).strip()[:1].isalpha() else m.group(), text)


def is_abbreviation(text: str) -> bool:
    t = text.replace(" ", "").replace(".", "").replace("-", "")
    return 1 < len(t) <= 14 and any(c.isupper() for c in t[1:] + t[:1]) and len(text.split()) <= 3 \
        and sum(c.isupper() for c in t) >= 2 or (t[:1].isupper() and len(t) <= 10 and " " not in text)


def abbreviates(abbr: str, words: list[str]) -> bool:
    """True when ABBR is built from prefixes of WORDS in order, using the first word
    ("Dinkes" <- "Dinas Kesehatan", "KLHK" <- "Kementerian Lingkungan Hidup dan Kehutanan")."""
    return _fits(_letters(abbr), [_letters(w) for w in words])


_NOT_LETTER = re.compile(r"[^a-z0-9]")
# the words before a parenthesis that find_abbreviations reads a long form from
_BEFORE_WORD = re.compile(r"[\w'.,&/-][\w'.,&/-]*")   # (see _NOT_ALNUM)
# the same in an ASCII text, where \w is these characters: the engine tests a class of them without looking characters
# up in the Unicode tables (measured: ~280 -> ~60 instructions per character read)
_BEFORE_WORD_ASCII = re.compile(r"[0-9A-Z_a-z'.,&/-][0-9A-Z_a-z'.,&/-]*")


@lru_cache(maxsize=4096)   # the words before a parenthesis repeat from article to article ("Dinas", "Kesehatan")
def _letters(word: str) -> str:
    return _NOT_LETTER.sub("", word.lower())


def _fits(letters: str, ws: list[str]) -> bool:
    """abbreviates, on the abbreviation's letters and the words' (lower case, letters and digits only)."""
    if not letters or not ws or not ws[0] or letters[0] != ws[0][0]:
        return False
    known: dict[tuple[int, int, bool], bool] = {}

    def fit(i: int, j: int, used: bool) -> bool:
        key = (i, j, used)
        if key not in known:
            known[key] = _fit(i, j, used)
        return known[key]

    def _fit(i: int, j: int, used: bool) -> bool:
        if i == len(letters):
            return j == len(ws) or all(w in _SKIPPABLE or not w for w in ws[j:]) or used and j == len(ws)
        if j == len(ws):
            return False
        w = ws[j]
        for k in range(min(len(w), len(letters) - i), 0, -1):
            if w[:k] == letters[i:i + k] and fit(i + k, j + 1, True):
                return True
        return j > 0 and fit(i, j + 1, used)   # a word may be passed over, never the first
    return fit(0, 0, False)


def find_abbreviations(text: str) -> tuple[dict[str, str], dict[int, str]]:
    """Return (abbreviation -> long form, paren start -> other name) for the parentheses in TEXT.

    "Dinas Kesehatan (Dinkes)" and "UHC (Universal Health Coverage)" give {"Dinkes": "Dinas Kesehatan",
    "UHC": "Universal Health Coverage"}; "Opini Kualitas Tertinggi (Zona Hijau)" gives {start: "Zona Hijau"}.
    """
    abbreviations: dict[str, str] = {}
    others: dict[int, str] = {}
    before_word = _BEFORE_WORD_ASCII if text.isascii() else _BEFORE_WORD
    for m in _PAREN.finditer(text):
        inner = m.group(1).strip()
        if not inner[:1].isalpha():
            continue
        before = [s for w in before_word.findall(text, max(0, m.start() - 160), m.start()) if (s := w.strip(","))]
        found = False
        if is_abbreviation(inner):
            letters, ws = _letters(inner), [_letters(w) for w in before[-12:]]   # (the words a long form may take)
            for k in range(1, len(ws) + 1):   # the shortest long form that fits
                # (_fits needs the long form's first letter to be the abbreviation's: looked at before calling it)
                if before[-k][:1].isupper() and ws[len(ws) - k][:1] == letters[:1] and _fits(letters, ws[len(ws) - k:]):
                    abbreviations.setdefault(inner, " ".join(before[-k:]))
                    found = True
                    break
        if not found and before and is_abbreviation(before[-1]) and len(inner.split()) >= 2 \
                and abbreviates(before[-1], inner.split()):
            abbreviations.setdefault(before[-1], inner)      # "UHC (Universal Health Coverage)"
            found = True
        if not found and inner[:1].isupper() and len(inner.split()) <= 6:
            others[m.start()] = inner
    return abbreviations, others


# ---------------------------------------------------------------- cue words: where a pattern can start

_MAX_OPENINGS = 64   # more opening texts than this: the pattern is read by the engine over the whole text


@per_pattern
def opening_texts(pattern: re.Pattern) -> tuple[str, ...]:
    r"""Texts one of which every match of PATTERN opens with, as written (() when none is known): ("Kabupaten",
    "Kota") for "K(?<!\wK)(?:ota|abupaten)\s+[A-Z]", ("Menteri", "Wakil") for "(?:Wakil\s+)?Menteri\b".
    Read from the engine's own parser: a run of characters (through zero-width checks), a choice whose every
    branch opens with one, an optional part and what follows it. A pattern or group read ignoring case gives
    none (see lower_opening_texts), and so does one that can open with a class of characters or match the empty
    text, or that opens with more than _MAX_OPENINGS texts."""
    if pattern.flags & re.IGNORECASE:
        return ()
    return _opening_texts(pattern, False)


@per_pattern
def lower_opening_texts(pattern: re.Pattern) -> tuple[str, ...]:
    """opening_texts in lower case, also for a pattern or group read ignoring case: in an ASCII text, every match
    of PATTERN opens where the text in lower case holds one of them. () when a text is not ASCII (ignoring case,
    "k" matches the Kelvin sign)."""
    found = _opening_texts(pattern, True)
    return tuple(sorted({t.lower() for t in found})) if all(t.isascii() for t in found) else ()


def _opening_texts(pattern: re.Pattern, any_case: bool, limit: int = _MAX_OPENINGS) -> tuple[str, ...]:
    found = _walk(pattern, lambda items, c: _openings(items, c, any_case, limit),
                  f"openings {any_case} {limit}")
    return tuple(sorted(found)) if found and all(found) else ()


def _openings(items: list, c, any_case: bool, limit: int = _MAX_OPENINGS) -> frozenset[str] | None:
    """_opening_texts of a parsed sequence; None when unknown (also when the sequence may match the empty text), or
    when more than LIMIT."""
    zero_width = (c.AT, c.ASSERT, c.ASSERT_NOT)
    for i, (op, arg) in enumerate(items):
        if op in zero_width:
            continue
        if op is c.LITERAL:
            run, j = "", i
            while j < len(items) and (items[j][0] is c.LITERAL or items[j][0] in zero_width):
                if items[j][0] is c.LITERAL:
                    run += chr(items[j][1])
                j += 1
            if j < len(items) and items[j][0] in (c.BRANCH, c.SUBPATTERN):
                more = _openings([items[j]], c, any_case, limit)   # "K" + ("ota", "abupaten")
                if more and len(more) <= limit:
                    return frozenset(run + m for m in more)
            return frozenset((run,))
        if op is c.SUBPATTERN:   # arg: group, flags on, flags off, items
            return None if arg[1] & re.IGNORECASE and not any_case else _openings(list(arg[3]), c, any_case, limit)
        if op is c.BRANCH:
            out: set[str] = set()
            for branch in arg[1]:
                found = _openings(list(branch), c, any_case, limit)
                if found is None:
                    return None
                out |= found
            return frozenset(out) if len(out) <= limit else None
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):   # arg: least, most, items
            found = _openings(list(arg[2]), c, any_case, limit)
            if found is None or arg[0] >= 1:
                return found
            rest = _openings(items[i + 1:], c, any_case, limit)   # an optional part: it, or what follows it, opens the match
            if rest is None or len(found | rest) > limit:
                return None
            return found | rest
        return None
    return None


# opening texts of a pattern found by an opening finder (finditer): one pattern however many, so many more than Cues
_MAX_FINDER_OPENINGS = 4096
# (id(pattern), in lower case) -> (pattern, its opening finder or None): looked up by id, as hashing a pattern hashes
# its compiled code (the pattern is kept, so that its id is not reused)
_FINDERS: dict[tuple[int, bool], tuple[re.Pattern, re.Pattern | None]] = {}


def opening_finder(pattern: re.Pattern, lower: bool = False) -> re.Pattern | None:
    """A pattern matching wherever one of the opening texts of PATTERN stands (opening_texts, up to
    _MAX_FINDER_OPENINGS of them; their white space matching any run of it), written as a trie whose every branch
    opens with a character: the engine skips to where one of those characters stands. LOWER: the opening texts in
    lower case, also of a pattern read ignoring case (lower_opening_texts), for finding them in an ASCII text in lower
    case. None when they are not known (a pattern opening with a class of characters; without LOWER, one read
    ignoring case). Made once per pattern."""
    known = _FINDERS.get((id(pattern), lower))
    if known is None:
        if lower:
            texts = _opening_texts(pattern, True, _MAX_FINDER_OPENINGS)
            texts = tuple({t.lower() for t in texts}) if all(t.isascii() for t in texts) else ()
        else:
            texts = () if pattern.flags & re.IGNORECASE else _opening_texts(pattern, False, _MAX_FINDER_OPENINGS)
        finder = None
        if texts and all(t[:1] != " " for t in texts):
            finder = re.compile(alternation(texts, not_after=_opening_guard(pattern, texts)))
        known = _FINDERS[(id(pattern), lower)] = (pattern, finder)
    return known[1]


def _opening_guard(pattern: re.Pattern, texts: tuple[str, ...]) -> str | None:
    r"""The class of characters that PATTERN's matches never follow, when it opens with a check saying so: "\w" for a
    word boundary before TEXTS that all open with a word character, the class of a look-behind such as "(?<![\w-])".
    An opening finder checks it after its first character (textutil.alternation's NOT_AFTER): the engine then leaves
    the places inside a word at once. None when there is no such check (or it is not one of these forms)."""
    def guard(items, c):
        while items and items[0][0] is c.ASSERT and items[0][1][0] == 1:   # a look-ahead ("(?=[KP])") before it
            items = items[1:]
        if not items:
            return None
        op, arg = items[0]
        if op is c.AT and arg is c.AT_BOUNDARY:
            return r"\w" if all(is_word_char(t[0]) for t in texts) else None
        if op is c.ASSERT_NOT and arg[0] == -1 and len(arg[1]) == 1 and arg[1][0][0] is c.IN:   # (direction, items)
            parts = []
            for kind, value in arg[1][0][1]:
                if kind is c.CATEGORY and value is c.CATEGORY_WORD:
                    parts.append(r"\w")
                elif kind is c.LITERAL:
                    parts.append(re.escape(chr(value)))
                else:
                    return None
            return "[" + "".join(parts) + "]"
        return None
    return _walk(pattern, guard, f"guard {all(is_word_char(t[0]) for t in texts)}")   # (all TEXTS say of it)


def _finder_for(pattern: re.Pattern, text: str, lowered: str | None) -> tuple[re.Pattern | None, str]:
    """(the opening finder of PATTERN, the text it reads): TEXT, or LOWERED for a pattern whose opening texts are
    known only in lower case."""
    finder = opening_finder(pattern)
    if finder is None and lowered is not None:
        return opening_finder(pattern, lower=True), lowered
    return finder, text


def finditer(pattern: re.Pattern, text: str, pos: int = 0, endpos: int | None = None,
             lowered: str | None = None) -> list[re.Match]:
    """The matches of pattern.finditer(TEXT, POS, ENDPOS), as a list, PATTERN tried only where its opening finder
    (opening_finder) matches: every match of PATTERN opens where one of its opening texts stands, so where the finder
    matches, and a match tried there sees the text before it as a search does. For a pattern that the engine tries at
    every character (one opening with a look-behind, a look-ahead, a word boundary or an optional group, or read
    ignoring case), the finder's scan costs a fraction of the engine's (measured on the dev corpus: the office pattern
    52 -> 24 us per article, the local government pattern 34 -> 7 us). LOWERED: TEXT in lower case, TEXT being ASCII
    (in lower case it then has the same length and offsets), where the opening texts of a pattern read ignoring case
    are looked for."""
    end = len(text) if endpos is None else endpos
    finder, scanned = _finder_for(pattern, text, lowered)
    if finder is None:
        return list(pattern.finditer(text, pos, end))
    out, search, match = [], finder.search, pattern.match
    while (f := search(scanned, pos, end)) is not None:
        p = f.start()
        m = match(text, p, end)
        if m is None:
            pos = p + 1
        else:
            out.append(m)
            pos = m.end() if m.end() > p else p + 1
    return out


def search(pattern: re.Pattern, text: str, pos: int = 0, endpos: int | None = None,
           lowered: str | None = None) -> re.Match | None:
    """pattern.search(TEXT, POS, ENDPOS), PATTERN tried only where its opening finder matches (see finditer)."""
    end = len(text) if endpos is None else endpos
    finder, scanned = _finder_for(pattern, text, lowered)
    if finder is None:
        return pattern.search(text, pos, end)
    find, match = finder.search, pattern.match
    while (f := find(scanned, pos, end)) is not None:
        m = match(text, f.start(), end)
        if m is not None:
            return m
        pos = f.start() + 1
    return None


def find_all(text: str, word: str):
    """Every position where WORD is written in TEXT (overlapping ones too)."""
    q = text.find(word)
    while q >= 0:
        yield q
        q = text.find(word, q + 1)


_WHITE = re.compile(r"\s+")


class Openings:
    """Where each of several patterns can start in a text, found in one pass over it for all of them: the engine
    tests each character of the text once against the first characters of all their opening texts
    (_opening_texts), where reading each pattern over the text would test it once per pattern (measured: such a
    test costs about 55 instructions per character for a class of first characters, so ten patterns read
    over an article cost ten times that).

    The pass reads one pattern of the opening texts of all the patterns, each written as its first character and
    a look-ahead of the rest ("K(?=(ota|abupaten))"): it finds the longest opening text at each place, and an
    opening that starts inside another's. Two opening texts standing at one place are one the beginning of the
    other (both begin the text there), so the longest found there names every pattern that can start there: those
    with an opening text that begins it. A pattern whose opening texts are not known (one opening with a class of
    characters, read ignoring case, or with more than _MAX_FINDER_OPENINGS of them) or open with white space is left
    out (Cues reads it as before). Made once per set of patterns (the patterns are kept, so that ids stay theirs)."""

    def __init__(self, patterns) -> None:
        self.patterns: list[re.Pattern] = []
        self._index: dict[int, int] = {}            # id(pattern) -> its place in self.patterns
        by_text: dict[str, set[int]] = {}           # opening text (white space as one space) -> patterns
        for pattern in patterns:
            if id(pattern) in self._index or pattern.flags & re.IGNORECASE:
                continue
            texts = _opening_texts(pattern, False, _MAX_FINDER_OPENINGS)
            if not texts or any(t[:1].isspace() for t in texts):
                continue
            self._index[id(pattern)] = len(self.patterns)
            for t in texts:
                by_text.setdefault(_WHITE.sub(" ", t), set()).add(len(self.patterns))
            self.patterns.append(pattern)
        self._owners = {t: self._owning(t, by_text) for t in by_text}
        self._by_text = by_text
        rests: dict[str, set[str]] = {}
        for t in by_text:
            rests.setdefault(t[0], set()).add(t[1:])
        self._finder = re.compile("|".join(f"{re.escape(c)}(?=({alternation(rests[c])}))" for c in sorted(rests))) \
            if rests else None

    @staticmethod
    def _owning(text: str, by_text: dict[str, set[int]]) -> tuple[int, ...]:
        """The patterns with an opening text that begins TEXT, in order."""
        return tuple(sorted({i for n in range(1, len(text) + 1) for i in by_text.get(text[:n], ())}))

    def index(self, pattern: re.Pattern) -> int | None:
        """Where PATTERN is in self.patterns; None when it is left out."""
        return self._index.get(id(pattern))

    def places(self, text: str) -> list[list[int]]:
        """For each of self.patterns, where it can start in TEXT, in order."""
        found: list[list[int]] = [[] for _ in self.patterns]
        if self._finder is None:
            return found
        owners = self._owners
        for m in self._finder.finditer(text):
            p = m.start()
            key = text[p:m.end(m.lastindex)]
            own = owners.get(key)
            if own is None:   # white space written other than as one space
                key = _WHITE.sub(" ", key)
                own = owners.get(key) or self._owning(key, self._by_text)
            for i in own:
                found[i].append(p)
        return found


class Cues:
    """Where patterns can match in one text: at the places their opening texts (opening_texts) stand, found with
    str.find once per text and opening text, and shared by every pattern that opens with it. A pattern is then
    tried only there (Pattern.match), with the same matches as the engine reading the whole text: every match
    opens at such a place, and a match at a place sees the text before it as a search does. A pattern without
    known opening texts is read by the engine as before. OPENINGS: patterns whose places are found for all of them
    in one pass over the text (Openings), when the first of them is asked for."""

    def __init__(self, text: str, openings: Openings | None = None) -> None:
        self.text = text
        self._openings = openings
        self._lowered: str | None = None      # the text in lower case, made when first needed (an ASCII text)
        self._at: dict[tuple[str, bool], list[int]] = {}   # (opening text, in lower case) -> where it stands
        # keyed by the pattern's id (hashing a pattern hashes its compiled code), the pattern kept in the value so
        # that its id is not reused: id -> (pattern, where it can start, or None: read by the engine)
        self._starts: dict[int, tuple[re.Pattern, list[int] | None]] = {}

    def starts(self, pattern: re.Pattern) -> list[int] | None:
        """Where PATTERN can start in the text, in order (None: anywhere, its opening texts are not known)."""
        known = self._starts.get(id(pattern))
        if known is None and self._openings is not None and self._openings.index(pattern) is not None:
            openings, self._openings = self._openings, None   # (read once per text)
            for p, places in zip(openings.patterns, openings.places(self.text)):
                self._starts[id(p)] = (p, places)
            known = self._starts[id(pattern)]
        if known is None:
            texts, lower = opening_texts(pattern), False
            if not texts and self.text.isascii():
                texts, lower = lower_opening_texts(pattern), True   # read ignoring case: found in lower case
            found = None
            if texts:
                places = [self._positions(t, lower) for t in texts]
                found = sorted(set().union(*places)) if len(places) > 1 else places[0]
            known = self._starts[id(pattern)] = (pattern, found)
        return known[1]

    def _positions(self, opening: str, lower: bool) -> list[int]:
        found = self._at.get((opening, lower))
        if found is None:
            if lower and self._lowered is None:
                self._lowered = self.text.lower()
            text, found = self._lowered if lower else self.text, []
            p = text.find(opening)
            while p >= 0:
                found.append(p)
                p = text.find(opening, p + 1)
            self._at[(opening, lower)] = found
        return found

    def finditer(self, pattern: re.Pattern, pos: int = 0, endpos: int | None = None) -> list[re.Match]:
        """The matches of pattern.finditer(text, POS, ENDPOS), as a list."""
        end = len(self.text) if endpos is None else endpos
        starts = self.starts(pattern)
        if starts is None:
            return list(pattern.finditer(self.text, pos, end))
        out, text, match = [], self.text, pattern.match
        i = bisect_left(starts, pos) if pos else 0
        n = len(starts)
        while i < n:
            p = starts[i]
            i += 1
            if p < pos:
                continue
            if p >= end:
                break
            m = match(text, p, end)
            if m is not None:
                out.append(m)
                pos = m.end() if m.end() > p else p + 1
        return out

    def search(self, pattern: re.Pattern, pos: int = 0, endpos: int | None = None) -> re.Match | None:
        """pattern.search(text, POS, ENDPOS)."""
        end = len(self.text) if endpos is None else endpos
        starts = self.starts(pattern)
        if starts is None:
            return pattern.search(self.text, pos, end)
        text, match = self.text, pattern.match
        for i in range(bisect_left(starts, pos), len(starts)):
            p = starts[i]
            if p >= end:
                break
            m = match(text, p, end)
            if m is not None:
                return m
        return None
