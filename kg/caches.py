"""What kg keeps between runs besides the store: the extraction cache folder (cache_dir; kg.pipeline keeps each
article's facts there by content key) and, in the same folder, the compiled regular expressions (kept_patterns).

Python compiles a regular expression in Python code (re._parser, re._compiler) and keeps nothing between
processes. Extraction's patterns are tries of thousands of names (the gazetteers, kg.textutil.alternation):
a process that reads one article (a one-article rebuild at 10,000 articles) spent 0.35-0.5 s compiling the ~220
patterns that article needs, 20 times the time of reading it.
kept_patterns keeps what re._compiler.compile hands the engine (_sre.compile: the pattern's code words, its
flags and groups), heard while re compiles the pattern its own way, by the pattern's text and flags, for this
Python build only; a later process gives the engine those words without parsing the pattern again: the same
compiled pattern. The engine checks the code
it is given (_sre's validation); another Python, a damaged file or anything unexpected compiles the ordinary
way. What kg.textutil reads of a pattern through the same parser (its opening texts, the texts every match
holds: 0.07-0.12 s for one article) is kept beside it (kept_value). The file is patterns-TAG.regex (a pickle;
the extraction's entries are the *.pickle files). This module imports nothing heavy: kg build enters
kept_patterns before the stages' modules are imported (their module-level patterns are kept too)."""
from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

log = logging.getLogger("kg")

CACHE_ENV = "KABAR_KG_EXTRACT_CACHE"   # the extraction cache folder, or "off"


def cache_dir() -> Path | None:
    """Where extraction results are kept between builds (None: not kept): $KABAR_KG_EXTRACT_CACHE, else
    extract/ in the project's cache folder (project_cache_dir)."""
    value = os.environ.get(CACHE_ENV, "")
    if value.lower() == "off":
        return None
    if value:
        return Path(value)
    return project_cache_dir() / "extract"


def project_cache_dir() -> Path:
    """The project's cache folder: $KABAR_KG_CACHE, else ~/.cache/kabar-kg (the person tagger's model, kg.ner)."""
    return Path(os.environ.get("KABAR_KG_CACHE", Path.home() / ".cache" / "kabar-kg"))


MAX_PATTERNS = 1024    # more patterns (or values) than this in the file: the three quarters used last are kept
SAVE_COST = 0.1        # s: the file is written again when compiling (and reading) anew cost this process as much
                       # (writing it: 0.2 s of wall after a rebuild; the few patterns of an article's own: 0.03-0.05 s)

_kept: _PatternFile | None = None


@contextmanager
def kept_patterns(folder: Path | None) -> Iterator[bool]:
    """While in this block, compile regular expressions (re.compile and the re functions given a pattern's text)
    from the compiled code kept in FOLDER, and keep there the code of those compiled anew (written when the block
    ends; FOLDER None: nothing is kept). Yields whether it is on (CPython's re with the internals this
    relies on). Processes forked in the block compile alike and write nothing unless they call kept_by_worker."""
    global _kept
    if _kept is not None or folder is None:   # (on already: the outer block writes)
        yield _kept is not None
        return
    try:
        import _sre
        from re import _compiler, _parser   # sre_compile, sre_parse before Python 3.11
        if sys.implementation.name != "cpython" or getattr(_compiler, "_sre", None) is not _sre:
            raise ImportError("not CPython's re")
        tag = hashlib.sha256(f"{sys.version} {_sre.MAGIC} {_sre.CODESIZE}".encode())
        from re import _constants
        for module in (_compiler, _parser, _constants):
            tag.update(Path(module.__file__).read_bytes())
    except Exception:   # noqa: BLE001 - another Python: patterns are compiled the ordinary way
        yield False
        return
    kept = _kept = _PatternFile(folder / f"patterns-{tag.hexdigest()[:16]}.regex", _compiler, _sre)
    _compiler.compile = kept.compile
    try:
        yield True
    finally:
        _compiler.compile = kept.original
        _kept = None
        kept.save()


def kept_by_worker() -> None:
    """In a worker process forked inside kept_patterns (kg.pipeline's readers): write what it compiled anew when
    it exits (multiprocessing runs its finalizers then), so that a one-article rebuild after a full build finds
    the patterns the full build's workers compiled."""
    kept = _kept
    if kept is None:
        return
    from multiprocessing import util
    kept.pid = os.getpid()
    util.Finalize(None, kept.save, exitpriority=0)


def kept_value(key: tuple, compute: Callable[[], object]):
    """COMPUTE(), kept with the compiled patterns under KEY while kept_patterns is on (else computed). The value
    must depend on nothing but KEY, this Python build and the code KEY names (kg.textutil puts a digest of
    its own source in its keys), and pickle must keep it."""
    kept = _kept
    return compute() if kept is None else kept.value(key, compute)


class _PatternFile:
    """The compiled patterns kept in PATH: (pattern, flags) -> (flags, code as bytes, groups, groupindex,
    indexgroup, when it was last used), the arguments of _sre.compile but the pattern; and the values of
    kept_value, key -> (value, when it was last used). Some patterns are made of an article's words, or of a
    set of words in the set's order (which changes from process to process): new ones come with most
    processes, and the file keeps the MAX_PATTERNS used last (and as many values)."""

    def __init__(self, path: Path, compiler, sre) -> None:
        self.path, self.pid = path, os.getpid()
        self.original, self._compiler, self._sre = compiler.compile, compiler, sre
        self._debug = compiler.SRE_FLAG_DEBUG
        self.entries: dict | None = None   # read when the first pattern is compiled (or value asked for)
        self.values: dict = {}
        self.used: set = set()
        self.new = 0       # patterns and values not in the file
        self.cost = 0.0    # s spent making them

    def _load(self) -> dict:
        entries, self.values = self._read()
        return entries

    def _read(self) -> tuple[dict, dict]:
        """The patterns and values in the file (none when it is missing or damaged)."""
        try:
            with open(self.path, "rb") as fh:
                entries, values = pickle.load(fh)
            return ({k: v for k, v in entries.items() if isinstance(v, tuple) and len(v) == 6},
                    {k: v for k, v in values.items() if isinstance(v, tuple) and len(v) == 2})
        except FileNotFoundError:
            return {}, {}
        except Exception:   # noqa: BLE001 - a damaged file: compiled again, and written anew
            log.info("%s: damaged, patterns are compiled again", self.path)
            return {}, {}

    def value(self, key: tuple, compute: Callable[[], object]):
        """kept_value."""
        if self.entries is None:
            self.entries = self._load()
        key = ("value", *key)
        hit = self.values.get(key)
        if hit is not None:
            self.used.add(key)
            return hit[0]
        started = time.perf_counter()
        value = compute()
        self.cost += time.perf_counter() - started
        self.values[key] = (value, 0.0)
        self.used.add(key)
        self.new += 1
        return value

    def compile(self, p, flags=0):
        """re._compiler.compile(P, FLAGS), from the kept code when there is some."""
        if not isinstance(p, str) or flags & self._debug:
            return self.original(p, flags)
        if self.entries is None:
            self.entries = self._load()
        key = (p, int(flags))
        hit = self.entries.get(key)
        if hit is not None:
            try:
                final, code, groups, groupindex, indexgroup = hit[:5]
                compiled = self._sre.compile(p, final, _words(code), groups, dict(groupindex), tuple(indexgroup))
                self.used.add(key)
                return compiled
            except Exception:   # noqa: BLE001 - the engine refused the code: compiled the ordinary way
                del self.entries[key]
                self.new += 1
                self.cost += SAVE_COST   # (the file is written anew)
        started = time.perf_counter()
        calls: list[tuple] = []
        self._compiler._sre = _Recording(self._sre, calls)   # re's own compile, with what it hands the engine heard
        try:
            compiled = self.original(p, flags)
        finally:
            self._compiler._sre = self._sre
        self.cost += time.perf_counter() - started
        if len(calls) == 1 and calls[0][0] is p:
            _, final, code, groups, groupindex, indexgroup = calls[0]
            try:
                self.entries[key] = (final, _bytes(code), groups, dict(groupindex), tuple(indexgroup), 0.0)
                self.used.add(key)
                self.new += 1
            except (OverflowError, TypeError, ValueError):   # a code word that does not fit 32 bits
                pass
        return compiled

    def save(self) -> None:
        """Write the patterns kept (through a temporary name), with those another process wrote meanwhile (the
        workers of a full build, see kept_by_worker), when this process spent SAVE_COST or more making new ones
        and the folder is there (the extraction cache makes it)."""
        if (not self.new or self.cost < SAVE_COST or os.getpid() != self.pid or self.entries is None
                or not self.path.parent.is_dir()):
            return
        now = time.time()
        kept = []
        for entries, theirs in zip((self.entries, self.values), self._read()):
            entries = {**theirs, **entries}
            for key in self.used & entries.keys():
                entries[key] = (*entries[key][:-1], now)
            if len(entries) > MAX_PATTERNS:
                last = sorted(entries, key=lambda k: entries[k][-1], reverse=True)[:MAX_PATTERNS * 3 // 4]
                entries = {k: entries[k] for k in last}
            kept.append(entries)
        try:
            fd, tmp = tempfile.mkstemp(prefix=".patterns.", dir=self.path.parent)
            try:
                with os.fdopen(fd, "wb") as fh:
                    pickle.dump(tuple(kept), fh, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, self.path)
            except BaseException:
                os.unlink(tmp)
                raise
        except OSError as exc:   # a cache that cannot be written costs time, never the build
            log.info("compiled patterns not kept (%s)", exc)
        self.new, self.cost = 0, 0.0


class _Recording:
    """The engine's module as re._compiler sees it while a pattern is compiled anew: its compile also appends
    its arguments to CALLS (what a later process hands the engine for the same pattern); the rest is _sre's."""

    def __init__(self, sre, calls: list[tuple]) -> None:
        self._sre, self._calls = sre, calls

    def compile(self, *args):
        self._calls.append(args)
        return self._sre.compile(*args)

    def __getattr__(self, name: str):
        return getattr(self._sre, name)


def _bytes(code: list[int]) -> bytes:
    from array import array
    return array("I", code).tobytes()


def _words(data: bytes) -> list[int]:
    from array import array
    words = array("I")
    words.frombytes(data)
    return words.tolist()
