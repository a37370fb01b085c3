"""Incremental builds: a rebuild after a few articles changed, were added or removed redoes only those articles
and the articles whose entities they touch, and gives the store and output of a full build, byte for byte.

A full `kg build` of text files leaves its state in the store folder (kabar-incremental.sqlite, beside
kabar-store.json; it moves with the store, so it always describes the store it sits in):

    article   source -> content key (kg.pipeline._cache_key), text digest, graph IRI, warnings
    mention   what each article says about each entity key: type, name, aliases, whether it has evidence
    ref       the entity keys each article's facts link (a fact is kept only while its keys exist)
    node      each resolved node's type, label and aliases (what every article graph naming it repeats)
    stat      each file's path, size, mtime, ctime, inode and device when its content key was computed

The next build hashes only the files whose stat changed (see file_stat): a file keeps its recorded content
key while its path, size, modification time, change time, inode and device are those recorded. An editor
saving, `cp`, `rsync` or `git checkout` changing the content changes the change time (ctime) even when they
keep the size and set the modification time back (`touch -r`, `rsync -t`): no user tool sets a ctime, the
kernel sets it to the current time on every write and on every change of the times. A stat is recorded only
when the file had not changed for SETTLE_NS before it was taken (its times older than that), so that a write
in the same tick of a coarse file-system clock, after the stat, cannot keep the recorded times.

The next build compares content keys: the changed, added and removed articles' entity keys are resolved
again from the mention table (kg.resolve's rules: the lexicon's name, else the first article's by source;
aliases are the union); an article is emitted again when it changed or names a node whose type, label or
aliases changed, or links a key that appeared or went. The new store is a checkpoint of the old one
(hard links) in which those article graphs are replaced and the union default graph loses the triples no
other graph states and gains the new ones; it is swapped in with the output by the journal of kg.store, so a
kill at any point keeps the previous store and output.

Whatever cannot be done this way safely gives a full build (logged with -v): another code, lexicon, shapes
or ontology; no state or a damaged one; web pages, JSON Lines or URLs among the inputs; a previous or new
build that left nodes out (pruning reaches across articles); many articles to redo."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sqlite3
import stat as stat_mod
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from .articles import Article, article_sources
from .errors import KgError
from .facts import ArticleFacts, implied_entity
from .lexicon import Lexicon, load_lexicon
from .resolve import KnowledgeBase, Node
from .store import (MARKER, ONTOLOGY_GRAPH, STATE_FILE, StoreLock, _is_store_folder, _mark, _remove_store, _sibling,
                    roll_back, store_write_error, swap_in)
from .validate import Report

log = logging.getLogger("kg")

STATE_VERSION = 2
SETTLE_NS = 2_000_000_000   # a file's stat is trusted only when its times are this much older than the stat
MAX_SHARE = 0.25        # more articles to redo than this share of the corpus: a full build (workers) is faster
MIN_REDO = 200          # ... unless they are this few


class Fallback(Exception):
    """This build cannot be done incrementally; the message says why (shown with -v)."""


def fingerprint() -> str:
    """What a state depends on besides the articles: the code and data of kg (kg.pipeline._code_fingerprint),
    the shapes and the ontology, and this module's state format."""
    from .pipeline import _code_fingerprint
    from .resources import ONTOLOGY_FILE, SHAPES_FILE
    h = hashlib.sha256(_code_fingerprint())
    for f in (SHAPES_FILE, ONTOLOGY_FILE):
        h.update(f.read_bytes())
    h.update(f"state {STATE_VERSION}".encode())
    return h.hexdigest()


def text_digest(article: Article) -> str:
    """The digest kg.pipeline._drop_duplicates compares (the same text under two names is read once)."""
    return hashlib.sha256(" ".join(article.text.split()).encode("utf-8")).hexdigest()


def file_stat(path: Path | str, before_ns: int) -> tuple[int, int, int, int, int] | None:
    """(size, mtime_ns, ctime_ns, inode, device) of the regular file PATH (symbolic links followed, as the
    file is read), or None when it is not one or cannot be stat'ed. BEFORE_NS: a time (time.time_ns) taken
    before the stat and before the file is read; the stat is None as well unless both times of the file are
    SETTLE_NS older than it (a file written in the same clock tick after the stat could keep them)."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    if not stat_mod.S_ISREG(st.st_mode) or max(st.st_mtime_ns, st.st_ctime_ns) >= before_ns - SETTLE_NS:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev


def _stat_row(source, st: tuple | None, content: str | None) -> tuple | None:
    """The stat table's row (without the source) for SOURCE (a kg.articles.Source), or None."""
    return None if st is None or content is None else (source.file, *st, content)


# ---------------------------------------------------------------------------------------------- the state

_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE article (source TEXT PRIMARY KEY, content TEXT NOT NULL, digest TEXT NOT NULL, segment TEXT NOT NULL,
                      place TEXT NOT NULL, graph TEXT NOT NULL, warnings TEXT NOT NULL);
CREATE TABLE mention (source TEXT NOT NULL, seq INTEGER NOT NULL, key TEXT NOT NULL, type TEXT NOT NULL,
                      name TEXT NOT NULL, aliases TEXT NOT NULL, evidence INTEGER NOT NULL);
CREATE TABLE ref (source TEXT NOT NULL, key TEXT NOT NULL);
CREATE TABLE node (key TEXT PRIMARY KEY, type TEXT NOT NULL, label TEXT NOT NULL, aliases TEXT NOT NULL);
CREATE TABLE lsource (source TEXT PRIMARY KEY);
CREATE TABLE lsubject (term TEXT PRIMARY KEY);
CREATE TABLE stat (source TEXT PRIMARY KEY, path TEXT NOT NULL, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
                   ctime_ns INTEGER NOT NULL, ino INTEGER NOT NULL, dev INTEGER NOT NULL, content TEXT NOT NULL);
"""
_INDEXES = """
CREATE INDEX mention_key ON mention (key, source, seq);
CREATE INDEX mention_source ON mention (source);
CREATE INDEX ref_key ON ref (key);
CREATE INDEX ref_source ON ref (source);
"""   # made after a full build's rows are in (cheaper than keeping them sorted row by row)


@dataclass(frozen=True)
class Sig:
    """What every article graph naming a node repeats about it (kg.emit._node)."""
    type: str
    label: str
    aliases: tuple[str, ...]


def _mentions(af: ArticleFacts) -> list[tuple]:
    """(seq, key, type, name, aliases as JSON, has evidence) of each entity of AF, in resolve's order."""
    return [(i, e.key, e.type, e.name, json.dumps(sorted(e.aliases), ensure_ascii=False) if e.aliases else "[]",
             int(bool(e.evidence))) for i, e in enumerate(af.entities.values())]


def _refs(af: ArticleFacts) -> set[str]:
    return {f.subject for f in af.facts} | {f.object for f in af.facts if f.is_link}


def resolve_node(key: str, rows: list[tuple], lexicon: Lexicon) -> Sig:
    """The node kg.resolve.resolve_entities makes of KEY from ROWS, (source, seq, type, name, aliases JSON)
    of every article naming it: type and name of the first (by source), the lexicon's name when it has one,
    and the union of the names and aliases as aliases."""
    rows = sorted(rows, key=lambda r: (r[0], r[1]))
    return _sig(key, rows[0], {(r[3], r[4]) for r in rows}, lexicon)


def _sig(key: str, head: tuple, names: set[tuple[str, str]], lexicon: Lexicon) -> Sig:
    """resolve_node's node of KEY from the first row HEAD (source, seq, type, name, ...) and the (name,
    aliases JSON) pairs NAMES of every article naming it."""
    implied = implied_entity(key, lexicon)
    label = implied[1] if implied else head[3]
    aliases: set[str] = set()
    for name, more in names:
        aliases.update(json.loads(more))
        aliases.add(name)
    return Sig(head[2], label, tuple(sorted(a for a in aliases if a and a.strip() and a != label)))


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(str(path), isolation_level=None)
    db.execute("PRAGMA journal_mode=OFF")   # the file is written aside and renamed, or lives in a fresh copy
    db.execute("PRAGMA synchronous=OFF")
    return db


def save_state(directory: Path, sources: dict[str, object], per_article: list[ArticleFacts],
               kb: KnowledgeBase, quads: int, report: Report | None = None, started_ns: int | None = None,
               extra_quads: int | None = None, aside: bool = False) -> bool:
    """Write the state of a full build into the store folder DIRECTORY (through a temporary name). SOURCES:
    the kg.articles.Source of each article by its key; STARTED_NS: when the build began (time.time_ns, before
    any file was read), or None to keep no file's stat (every file is hashed by the next build); EXTRA_QUADS:
    the store's quads outside the article graphs (the ontology, the reference places), when known. ASIDE:
    leave it under its temporary name (FullState.place puts it in place). Return whether it was written."""
    report = report or Report(True)
    target = directory / STATE_FILE
    tmp = directory / (STATE_FILE + ".part")
    tmp.unlink(missing_ok=True)
    try:
        db = _connect(tmp)
        try:
            db.executescript(_SCHEMA)
            db.execute("BEGIN")
            _meta(db, quads)
            if extra_quads is not None:
                db.execute("INSERT INTO meta VALUES ('extra_quads', ?)", (str(extra_quads),))
            from .validate import _counted_paths
            counted = _counted_paths()   # what the union's check reads of the shapes (parsed by rdflib)
            db.execute("INSERT INTO meta VALUES ('counted', ?)",
                       (json.dumps(None if counted is None else sorted(counted)),))
            from .pipeline import _cache_key
            from .emit import graph_names
            from .iris import article_segment
            names = graph_names(kb)
            for af in per_article:
                a = af.article
                content = af.content   # the build's own (kg.pipeline._extract_cached), else read again
                if content is None:
                    source = sources.get(a.source)
                    content = _cache_key(source) if source is not None else None
                if content is None:
                    raise Fallback(f"{a.source}: no content key")
                _put_article(db, af, content, names[a.source], article_segment(a.source))
                source = sources.get(a.source)
                if started_ns is not None and source is not None:
                    # unchanged since the build began: its content is the one the build hashed and read
                    row = _stat_row(source, file_stat(source.file, started_ns), content)
                    if row is not None:
                        db.execute("INSERT INTO stat VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (a.source, *row))
            db.executemany("INSERT INTO node VALUES (?, ?, ?, ?)",
                           [(n.key, n.type, n.label, json.dumps(sorted(n.aliases), ensure_ascii=False))
                            for n in kb.nodes.values()])
            left_sources, linking = _left_out_reach(kb, report, per_article)
            db.executemany("INSERT INTO lsource VALUES (?)", [(x,) for x in sorted(left_sources)])
            db.executemany("INSERT INTO lsubject VALUES (?)", [(x,) for x in sorted(linking)])
            db.execute("INSERT INTO meta VALUES ('report', ?)", (json.dumps(
                {"conforms": report.conforms, "left_out": report.left_out,
                 "violations": [v.__dict__ for v in report.violations]}, ensure_ascii=False),))
            db.execute("COMMIT")
            db.executescript(_INDEXES)
        finally:
            db.close()
        if not aside:
            os.replace(tmp, target)
        return True
    except (OSError, sqlite3.Error, UnicodeError, Fallback) as exc:
        log.info("incremental state not written (%s): the next build is a full one", exc)
        tmp.unlink(missing_ok=True)
        target.unlink(missing_ok=True)
        return False


def _left_out_reach(kb: KnowledgeBase, report: Report, per_article: list[ArticleFacts]) -> tuple[set, set]:
    """For the nodes the shapes left out: the articles whose graphs (before leaving out) name them, and the
    subjects (N-Triples terms) of the triples linking to them. An incremental build may not touch either
    (leaving out reaches across articles); Fallback when the left-out nodes are not plain entities."""
    if not report.left_out:
        return set(), set()
    from .emit import iri
    from .resolve import node_iris
    lexicon = load_lexicon()
    by_iri = {value: k for k, value in node_iris(kb, lexicon).items()}   # made by the build already
    keys = set()
    for value in report.left_out:
        key = by_iri.get(value)
        if key is None or key.split(":", 1)[0] in ("municipality", "province"):
            raise Fallback(f"a left-out node that is not a plain entity ({value})")
        keys.add(key)
    candidates = {ev.article for k in keys for ev in kb.nodes[k].evidence}
    candidates |= {f.evidence.article for f in kb.facts if f.subject in keys or (f.is_link and f.object in keys)}
    facts = {af.article.source: af for af in per_article}
    nodes = kb.nodes

    def sig_of(key: str) -> Sig | None:
        n = nodes.get(key)
        return Sig(n.type, n.label, tuple(sorted(n.aliases))) if n else None
    graphs = emit_articles([facts[c] for c in sorted(candidates)], sig_of, lexicon)
    terms = {iri(v) for v in report.left_out}
    sources, linking = set(), set()
    for source, lines in graphs.items():
        for line in lines:
            subject, obj = line.split(" ", 1)[0], line.rsplit(" ", 2)[1]
            if subject in terms or obj in terms:
                sources.add(source)
            if obj in terms and subject not in terms:
                linking.add(subject)
    return sources, linking


def _meta(db, quads: int) -> None:
    db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                   [("fingerprint", fingerprint()), ("quads", str(quads))])


def _put_article(db, af: ArticleFacts, content: str, graph: str, segment: str) -> None:
    a = af.article
    db.execute("INSERT INTO article VALUES (?, ?, ?, ?, ?, ?, ?)",
               (a.source, content, text_digest(a), segment, str(a.path or a.source), graph,
                json.dumps(list(a.warnings), ensure_ascii=False)))
    db.executemany("INSERT INTO mention VALUES (?, ?, ?, ?, ?, ?, ?)", [(a.source, *m) for m in _mentions(af)])
    db.executemany("INSERT INTO ref VALUES (?, ?)", [(a.source, k) for k in sorted(_refs(af))])


def _drop_article(db, source: str) -> None:
    for table in ("article", "mention", "ref"):
        db.execute(f"DELETE FROM {table} WHERE source = ?", (source,))


class FullState:
    """The state of a full build (see write_full_state), written while its store loads: WRITE_INTO puts it,
    under its temporary name, into the new store's folder before the swap (kg.pipeline.write_outputs runs
    it in a thread: Python work while the store's loads run in Rust), and PLACE completes it once the store
    is in place. When WRITE_INTO did not run, PLACE writes it as write_full_state does."""

    def __init__(self, paths, result, started_ns: int | None) -> None:
        self.paths, self.result, self.started_ns = paths, result, started_ns
        self.written = False

    def write_into(self, folder: Path) -> None:
        self.written = write_full_state(folder, self.paths, self.result, None, self.started_ns, aside=True)

    def place(self, directory: Path, output: Path | None, quads_in_store: int | None) -> None:
        part, target = directory / (STATE_FILE + ".part"), directory / STATE_FILE
        if not (self.written and part.is_file()):
            write_full_state(directory, self.paths, self.result, output, self.started_ns, quads_in_store)
            return
        try:
            db = _connect(part)
            try:
                if quads_in_store is not None:
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('extra_quads', ?)",
                               (str(quads_in_store - len(self.result)),))
            finally:
                db.close()
            if output is not None:
                set_output_record(part, output_record(output, output))
            os.replace(part, target)
        except (OSError, sqlite3.Error) as exc:
            log.info("incremental state not written (%s): the next build is a full one", exc)
            part.unlink(missing_ok=True)
            target.unlink(missing_ok=True)


def write_full_state(directory: Path, paths, result, output: Path | None = None,
                     started_ns: int | None = None, quads_in_store: int | None = None, aside: bool = False) -> bool:
    """After a full build into the store DIRECTORY: its state, when the build can be continued incrementally
    (text files only, nothing left out); else no state (the next build is a full one). STARTED_NS: when the
    build began (time.time_ns before it read any file), for the files' stats (see save_state); QUADS_IN_STORE:
    the store's quads (with the ontology and the reference places); ASIDE: see save_state. Return whether
    it was written."""
    target = directory / STATE_FILE
    try:
        reason = _not_incremental_inputs(paths)
        if reason is None and not getattr(result, "per_article", None):
            reason = "no article facts kept"
        if reason is not None:
            log.info("no incremental state kept: %s", reason)
            target.unlink(missing_ok=True)
            return False
        from .sources import split_inputs
        sources = {s.key: s for s in article_sources(split_inputs(paths)[0])}
        written = save_state(directory, sources, result.per_article, result.kb, len(result), result.report,
                             started_ns, None if quads_in_store is None else quads_in_store - len(result), aside)
        if written and output is not None and not aside:
            set_output_record(directory / STATE_FILE, output_record(output, output))
        return written
    except (OSError, KgError, sqlite3.Error) as exc:
        log.info("incremental state not written (%s)", exc)
        try:
            target.unlink(missing_ok=True)
        except OSError:
            pass
        return False


def _not_incremental_inputs(paths) -> str | None:
    """Why the inputs PATHS cannot be built incrementally, or None."""
    from .sources import HTML_SUFFIXES, JSONL_SUFFIXES, kind_of, split_inputs
    files, urls = split_inputs(paths)
    if urls:
        return "URLs among the inputs"
    # what kg.sources.find_input_files finds (files of those kinds given, or under the folders given, in
    # folders not reached through symbolic links), without making a Path of every file
    kinds = {x.lower() for x in (*HTML_SUFFIXES, *JSONL_SUFFIXES)}
    for p in files:
        if not p.is_dir():
            if kind_of(p):
                return "web pages or JSON Lines among the inputs"
            continue
        for _, _, names in os.walk(p):
            if any(os.path.splitext(n)[1].lower() in kinds for n in names):
                return "web pages or JSON Lines among the inputs"
    return None


# ------------------------------------------------------------------------------------------ the plan


@dataclass
class IncrementalResult:
    """What `kg build` reports after an incremental build (the fields of kg.pipeline.BuildResult it reads)."""
    articles: list[str]
    node_types: Counter   # class -> its nodes (those left out included, as BuildResult.node_types)
    report: Report
    skipped: list[str]
    warnings: list[str]
    quads: int
    quads_in_store: int
    redone: list[str] = field(default_factory=list)   # the article graphs emitted again

    def __len__(self) -> int:
        return self.quads


@dataclass
class _Plan:
    db: sqlite3.Connection
    state: Path
    old: dict[str, tuple]            # source -> (content, digest, segment, place, graph, warnings) in the state
    fresh: dict[str, ArticleFacts]   # source -> facts of the articles read again
    contents: dict[str, str]         # source -> content key of every readable article
    skipped: list[str]
    kept: list[str]                  # sources of the articles in the new build, sorted
    leaving: set[str]                # in the old state, and gone or changed
    coming: set[str]                 # in the new build, and new or changed
    sigs: dict[str, Sig | None]      # the new node of each key whose node may have changed (None: gone)
    dirty: set[str]                  # articles whose graphs are emitted again
    files: list[Path] = field(default_factory=list)   # the paths given (text files and folders)
    stats: dict[str, tuple | None] = field(default_factory=dict)   # stat rows to replace (None: to delete)


def _load_state(directory: Path) -> tuple[sqlite3.Connection, Path]:
    state = directory / STATE_FILE
    if not state.is_file():
        if not (directory / MARKER).is_file():
            raise Fallback("no store yet")
        raise Fallback("no incremental state in the store (it was made by a full build that could not keep one)")
    try:
        db = _connect(state)
        meta = dict(db.execute("SELECT name, value FROM meta"))
    except sqlite3.Error as exc:
        raise Fallback(f"the incremental state is damaged ({exc})") from None
    if meta.get("fingerprint") != fingerprint():
        db.close()
        raise Fallback("the code, lexicons, shapes or ontology changed since the store was built")
    return db, state


def plan(paths, directory: Path, lexicon: Lexicon, progress=None) -> _Plan:
    """What an incremental build of PATHS on the store DIRECTORY has to redo; Fallback when it cannot."""
    from .caches import cache_dir
    from .pipeline import Skip, _cache_key, _collect, _extract_cached
    from .sources import split_inputs
    reason = _not_incremental_inputs(paths)
    if reason:
        raise Fallback(reason)
    db, state = _load_state(directory)
    try:
        old = {r[0]: r[1:] for r in db.execute("SELECT source, content, digest, segment, place, graph, warnings "
                                               "FROM article")}
        stats = {r[0]: r[1:] for r in db.execute("SELECT source, path, size, mtime_ns, ctime_ns, ino, dev, content "
                                                 "FROM stat")}
    except sqlite3.Error as exc:
        raise Fallback(f"the incremental state is damaged ({exc})") from None
    files, _ = split_inputs(paths)
    sources = article_sources(files)
    folder = cache_dir()
    contents: dict[str, str] = {}
    changed = []
    new_stats: dict[str, tuple | None] = {}
    before = time.time_ns()   # before any stat and read below (see file_stat)
    for s in sources:   # (the path's text: a Path is made only for a file read again)
        st = file_stat(s.file, before)
        recorded = stats.get(s.key)
        if st is not None and recorded is not None and recorded[:-1] == (s.file, *st):
            key = recorded[-1]    # the file is as it was when this key was computed: not read again
        else:
            key = _cache_key(s)
        row = _stat_row(s, st, key)
        if row != recorded:
            new_stats[s.key] = row
        if key is not None:
            contents[s.key] = key
        if key is None or s.key not in old or old[s.key][0] != key:
            changed.append(s)
    listed = {s.key for s in sources}
    new_stats.update((s, None) for s in stats if s not in listed)
    limit = max(MIN_REDO, int(MAX_SHARE * len(sources)))
    if len(changed) > limit:
        raise Fallback(f"{len(changed)} of {len(sources)} articles changed")
    fresh: dict[str, ArticleFacts] = {}
    skipped: list[str] = []
    per_article: list[ArticleFacts] = []
    for i, s in enumerate(changed, start=1):
        if progress:
            progress(i, len(changed), str(s.path))
        _collect(_extract_cached(s, lexicon, folder), per_article, skipped)
    fresh = {af.article.source: af for af in per_article}
    # the same text under two names is read once, the first name winning (kg.pipeline._drop_duplicates)
    records = []
    for s in sources:
        if s.key in fresh:
            a = fresh[s.key].article
            records.append((s.key, text_digest(a), _segment(s.key), str(a.path or a.source)))
        elif s.key in old and s.key in contents:
            o = old[s.key]
            records.append((s.key, o[1], o[2], o[3]))
    seen: dict[str, str] = {}
    iris: dict[str, str] = {}
    kept = []
    for source, digest, segment, where in sorted(records):
        if digest in seen:
            skipped.append(f"{where}: same text as {seen[digest]}; read once")
            continue
        if segment in iris:
            skipped.append(f"{where}: its graph IRI .../graph/{segment} is that of {iris[segment]}; rename one of them")
            continue
        seen[digest] = iris[segment] = source
        kept.append(source)
    kept_set = set(kept)
    leaving = {s for s in old if s not in kept_set or contents.get(s) != old[s][0]}
    coming = {s for s in kept if s not in old or s in leaving}
    for s in coming - set(fresh):   # unchanged, but kept now (a twin went): read it (from the cache)
        src = next(x for x in sources if x.key == s)
        got = _extract_cached(src, lexicon, folder)
        if isinstance(got, Skip):
            raise Fallback(f"{s}: could not be read again")
        fresh[s] = got
    if not kept:
        raise Fallback("no readable article")
    sigs, dirty = _affected(db, lexicon, leaving, {s: fresh[s] for s in coming})
    if len(dirty) > limit:
        raise Fallback(f"{len(dirty)} article graphs would be redone")
    return _Plan(db, state, old, fresh, contents, skipped, kept, leaving, coming, sigs, dirty, stats=new_stats)


def _segment(source: str) -> str:
    from .iris import article_segment
    return article_segment(source)


def _affected(db, lexicon: Lexicon, leaving: set[str], coming: dict[str, ArticleFacts]):
    """The new node of every key the LEAVING and COMING articles name (None: no article names it any more),
    and the articles to emit again: the coming ones, those naming a node that changed, and those whose facts
    link a key that appeared or went."""
    keys: set[str] = set()
    refs: set[str] = set()
    for s in leaving:
        keys.update(k for (k,) in db.execute("SELECT key FROM mention WHERE source = ?", (s,)))
        refs.update(k for (k,) in db.execute("SELECT key FROM ref WHERE source = ?", (s,)))
    for af in coming.values():
        keys.update(e.key for e in af.entities.values())
        refs.update(_refs(af))
    sigs: dict[str, Sig | None] = {}
    dirty = set(coming)
    gone = sorted(leaving)
    # the rows of the articles that stay, found by SQLite (a node named by every article has a row in each)
    staying = f" AND source NOT IN ({', '.join('?' * len(gone))})" if gone else ""
    new_rows: dict[str, list[tuple]] = {}
    for source, af in coming.items():
        for seq, k, type_, name, aliases, evidence in _mentions(af):
            new_rows.setdefault(k, []).append((source, seq, type_, name, aliases))
    for key in sorted(keys):
        heads = db.execute(f"SELECT source, seq, type, name, aliases FROM mention WHERE key = ?{staying} "
                           "ORDER BY source, seq LIMIT 1", (key, *gone)).fetchall() + new_rows.get(key, [])
        if heads:
            names = set(db.execute(f"SELECT DISTINCT name, aliases FROM mention WHERE key = ?{staying}", (key, *gone)))
            names.update((r[3], r[4]) for r in new_rows.get(key, []))
            new = _sig(key, min(heads, key=lambda r: (r[0], r[1])), names, lexicon)
        else:
            new = None
        old_row = db.execute("SELECT type, label, aliases FROM node WHERE key = ?", (key,)).fetchone()
        old = Sig(old_row[0], old_row[1], tuple(json.loads(old_row[2]))) if old_row else None
        sigs[key] = new
        if new != old:
            if (new is None) != (old is None):   # the key appeared or went: facts linking it change
                dirty.update(s for (s,) in db.execute("SELECT source FROM ref WHERE key = ?", (key,))
                             if s not in leaving)
            dirty.update(s for (s,) in db.execute(f"SELECT DISTINCT source FROM mention WHERE key = ? AND evidence "
                                                  f"!= 0{staying}", (key, *gone)))
    return sigs, dirty


# ------------------------------------------------------------------------------------------ emitting


def _emit(p: _Plan, lexicon: Lexicon, directory: Path) -> dict[str, dict[str, None]]:
    """The new graphs of the dirty articles as N-Triples lines, validated one by one (Fallback on a
    violation: leaving nodes out reaches across articles)."""
    from .caches import cache_dir
    from .pipeline import Skip, _extract_cached
    from .validate import validate_ntriples
    folder = cache_dir()
    facts = dict(p.fresh)
    missing = sorted(p.dirty - set(facts))
    if missing:
        by_key = {s.key: s for s in article_sources(_files_of(p))}
        for s in missing:
            got = _extract_cached(by_key[s], lexicon, folder)
            if isinstance(got, Skip):
                raise Fallback(f"{s}: could not be read again")
            facts[s] = got
    per_article = [facts[s] for s in sorted(p.dirty)]

    def sig_of(key: str) -> Sig | None:
        sig = p.sigs.get(key, ...)
        if sig is ...:
            row = p.db.execute("SELECT type, label, aliases FROM node WHERE key = ?", (key,)).fetchone()
            sig = Sig(row[0], row[1], tuple(json.loads(row[2]))) if row else None
        return sig
    emitted = emit_articles(per_article, sig_of, lexicon)
    graphs = {}
    for source in sorted(p.dirty):
        lines = emitted[source]
        if validate_ntriples("\n".join(lines) + "\n"):
            raise Fallback(f"{source}: a node violates the shapes (leaving it out reaches across articles)")
        graphs[source] = lines
    p.fresh = facts
    return graphs


def emit_articles(per_article: list[ArticleFacts], sig_of, lexicon: Lexicon) -> dict[str, dict[str, None]]:
    """The graphs (N-Triples lines, before validation) of PER_ARTICLE as a full build emits them, where
    SIG_OF(key) gives each node's type, label and aliases in the whole corpus (None: no such node)."""
    from .emit import article_lines, emit_table
    keys = {e.key for af in per_article for e in af.entities.values()}
    keys |= set().union(*(_refs(af) for af in per_article)) if per_article else set()
    nodes: dict[str, Node] = {}   # every node these articles name or link (all nodes: resolve's `known`)
    for key in sorted(keys):
        sig = sig_of(key)
        if sig is not None:
            nodes[key] = Node(key, sig.type, sig.label, set(sig.aliases))
    for af in per_article:      # evidence, in resolve's order (by source, then entity)
        for e in af.entities.values():
            if e.key not in nodes:
                raise Fallback(f"the incremental state has no node {e.key}")
            seen = set(nodes[e.key].evidence)
            nodes[e.key].evidence += [ev for ev in e.evidence if ev not in seen]
    known = set(nodes)
    kb_facts = [f for af in per_article for f in af.facts
                if f.subject in known and (not f.is_link or f.object in known)]
    table = emit_table(KnowledgeBase(nodes, kb_facts, [af.article for af in per_article]), lexicon)
    return {af.article.source: article_lines(table, af.article.source) for af in per_article}


@dataclass
class _LeftOut:
    """What the last full build left out, and how far that reached (see _left_out_reach)."""
    report: Report
    terms: set[str]
    sources: set[str]
    linking: set[str]


def _left_out(db) -> _LeftOut:
    from .emit import iri
    from .validate import Violation
    try:
        data = json.loads(db.execute("SELECT value FROM meta WHERE name = 'report'").fetchone()[0])
        report = Report(bool(data["conforms"]), [Violation(**v) for v in data["violations"]], list(data["left_out"]))
        sources = {x for (x,) in db.execute("SELECT source FROM lsource")}
        linking = {x for (x,) in db.execute("SELECT term FROM lsubject")}
    except (sqlite3.Error, TypeError, ValueError, KeyError) as exc:
        raise Fallback(f"the incremental state is damaged ({exc})") from None
    return _LeftOut(report, {iri(v) for v in report.left_out}, sources, linking)


def _check_left_out(left: _LeftOut, p: _Plan, graphs: dict[str, dict[str, None]]) -> None:
    """Fallback unless the left-out nodes stay as they were: no article redone or gone names one or links to
    one, and no new graph does (leaving a node out reaches across articles: a full build decides)."""
    if not left.report.left_out:
        return
    touched = sorted((p.dirty | p.leaving) & left.sources)
    if touched:
        raise Fallback(f"{touched[0]}: names a node the shapes left out")
    for source, lines in graphs.items():
        for line in lines:
            subject, obj = line.split(" ", 1)[0], line.rsplit(" ", 2)[1]
            if subject in left.terms or obj in left.terms or subject in left.linking:
                raise Fallback(f"{source}: names a node the shapes left out")


def _files_of(p: _Plan) -> list[Path]:
    return p.files


# ------------------------------------------------------------------------------------------ the store


def _term_line(t) -> str:
    return f"{t.subject} {t.predicate} {t.object} ."


def _update_store(fresh: Path, p: _Plan, graphs: dict[str, dict[str, None]], names: dict[str, str],
                  linking: set[str] = frozenset()):
    """Replace the leaving and dirty article graphs in the store FRESH (a checkpoint of the old one) by GRAPHS,
    keep the default graph the union of the article graphs, and check the union of the nodes these graphs
    describe (Fallback on a violation). Return the new number of quads in the article graphs, the subjects
    (N-Triples terms) whose triples in the union may have changed, the IRIs of the graphs replaced, the quads
    of the other graphs (the ontology, the reference places), and the change of the union of the article
    graphs: the lines it lost, and the lines the new graphs state that the old ones did not (in it already
    when another graph states them)."""
    from .validate import _counted_paths, _validate_with_components
    store = ox.Store(str(fresh))
    try:
        quads = int(p.db.execute("SELECT value FROM meta WHERE name = 'quads'").fetchone()[0])
        old_graphs = {s: p.old[s][4] for s in (p.leaving | p.dirty) if s in p.old}
        gone: set[str] = set()         # N-Triples lines the replaced graphs stated
        subjects: set[str] = set()
        for source, graph in sorted(old_graphs.items()):
            g = ox.NamedNode(graph[1:-1])
            old_quads = list(store.quads_for_pattern(None, None, None, g))
            quads -= len(old_quads)
            gone.update(_term_line(q) for q in old_quads)
            subjects.update(str(q.subject) for q in old_quads)
            store.remove_graph(g)
        added: set[str] = set()
        text = []
        for source in sorted(graphs):
            lines = graphs[source]
            quads += len(lines)
            added.update(lines)
            tail = f" {names[source]} .\n"
            text.append("".join(line[:-1] + tail[1:] for line in lines))
            subjects.update(line.split(" ", 1)[0] for line in lines)
        if text:
            store.load(input="".join(text).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
            store.load(input=("\n".join(sorted(added)) + "\n").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES,
                       to_graph=ox.DefaultGraph())
        if subjects & linking:
            raise Fallback(f"{sorted(subjects & linking)[0]}: linked a node the shapes left out")
        drop = []
        unstated = set()   # lines no article graph states any more: they leave the union of the article graphs
        for line in sorted(gone - added):
            t = next(iter(ox.parse(input=(line + "\n").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)))
            where = [q.graph_name.value for q in store.quads_for_pattern(t.subject, t.predicate, t.object, None)
                     if isinstance(q.graph_name, ox.NamedNode)]
            if not any(g != ONTOLOGY_GRAPH for g in where):
                drop.append(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()))
            if not any(_is_article_graph(g) for g in where):
                unstated.add(line)
        for q in drop:
            store.remove(q)
        # the graphs besides the articles' (the ontology, the reference places of kg.places) stay; their quads count
        # (a full build keeps their count in the state: the incremental build does not change them)
        kept = p.db.execute("SELECT value FROM meta WHERE name = 'extra_quads'").fetchone()
        extras = int(kept[0]) if kept else sum(1 for g in store.named_graphs()
                                               if _is_extra_graph(g) or g.value == ONTOLOGY_GRAPH
                                               for _ in store.quads_for_pattern(None, None, None, g))
        # the union: a node described in two graphs or more can break a count there (kg.validate.prune_chunks)
        kept = p.db.execute("SELECT value FROM meta WHERE name = 'counted'").fetchone()
        counted = _counted_paths() if kept is None else (None if kept[0] == "null" else frozenset(json.loads(kept[0])))
        if counted is None:
            raise Fallback("the shapes compare values across properties: the union is checked by a full build")
        preds = [ox.NamedNode(c[1:-1]) for c in sorted(counted | {"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"})]
        parts, shared = [], set()
        for subject in sorted(subjects):
            if subject.startswith("_:") or not subject.startswith("<"):
                continue
            s = ox.NamedNode(subject[1:-1])
            if len(_article_graphs(store, s, 2)) < 2:
                continue
            shared.add(s.value)
            for pred in preds:
                parts.extend(_term_line(q) + "\n" for q in store.quads_for_pattern(s, pred, None, ox.DefaultGraph())
                             if _in_an_article(store, q))
        if parts:
            bad = [v for v, component in _validate_with_components("".join(parts))
                   if v.focus in shared and component == "MaxCountConstraintComponent"]
            if bad:
                raise Fallback(f"{bad[0].focus}: the union of the article graphs violates the shapes")
        store.flush()
        changed_graphs = {g[1:-1] for g in old_graphs.values()} | {names[s][1:-1] for s in graphs}
        return quads, subjects, changed_graphs, extras, (unstated, added - gone)
    finally:
        del store


# ------------------------------------------------------------------------------------------ the output

# the output formats a rebuild can patch: their bytes are blocks in the order of a term, which the changed
# blocks replace (kg.pipeline.BuildResult.write_ntriples / write_nquads, kg.export.export_store): N-Triples,
# the union's lines sorted (one block per subject), and N-Quads, graph by graph in the order of their IRIs
# (one block per graph, its lines sorted)
PATCHABLE = {".nt": "subject", ".nq": "graph"}


def _block_term(line: bytes, kind: str) -> bytes:
    return line.split(b" ", 1)[0] if kind == "subject" else line.rsplit(b" ", 2)[1]


def _bound(data, target: bytes, kind: str, upper: bool) -> int:
    """The offset of the first line of DATA (its blocks sorted by their terms) whose block term is >= TARGET
    (> TARGET when UPPER). Terms are IRIs in angle brackets: none is a prefix of another, so their order is
    the order of the lines."""
    def before(line: bytes) -> bool:
        term = _block_term(line, kind)
        return term < target or (upper and term == target)
    return _first_line_not(data, before)


def _first_line_not(data, before: Callable[[bytes], bool]) -> int:
    """The offset of the first line of DATA (without its line break) for which BEFORE is false, by binary
    search: BEFORE must be true of a prefix of DATA's lines and false of the rest."""
    lo, hi = 0, len(data)
    while lo < hi:
        mid = (lo + hi) // 2
        start = max(data.rfind(b"\n", lo, mid) + 1, lo)
        end = data.find(b"\n", start) + 1
        if end <= 0:
            raise Fallback("the previous output does not end with a line break")
        if before(data[start:end - 1]):
            lo = end
        else:
            hi = start
    return lo


def patch_output(old: Path, new: Path, kind: str, blocks: dict[bytes, bytes]) -> None:
    """Write NEW: the output OLD with the block of each term in BLOCKS (an IRI's N-Triples term: its subject's
    triples, or its graph's quads, as a full build writes them; b"" when it is gone) in place of the old one."""
    import mmap
    with open(old, "rb") as src, open(new, "wb") as dst:
        size = os.fstat(src.fileno()).st_size
        data = mmap.mmap(src.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
        try:
            at = 0
            for term in sorted(blocks):
                start = _bound(data, term, kind, False)
                end = _bound(data, term, kind, True)
                if start < at:
                    raise Fallback("the previous output is not in the build's order")
                _copy(src, dst, at, start)
                dst.write(blocks[term])
                at = end
            _copy(src, dst, at, size)
        finally:
            if size:
                data.close()


def _line_bound(data, target: bytes) -> int:
    """The offset of the first line of DATA (sorted lines) that is >= TARGET (a line without its line break)."""
    return _first_line_not(data, lambda line: line < target)


def patch_lines(old: Path, new: Path, remove: set[str], add: set[str]) -> None:
    """Write NEW: the sorted lines of the file OLD (the union's N-Triples, as a full build writes it) without
    the lines REMOVE and with the lines of ADD it does not hold yet, in order. Fallback when a line to remove
    is not there (the output is not what the store says: it is written whole)."""
    import mmap
    with open(old, "rb") as src, open(new, "wb") as dst:
        size = os.fstat(src.fileno()).st_size
        data = mmap.mmap(src.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
        try:
            edits = []   # (offset, 0: insert the line before it / 1: drop the line there, the line)
            for line in remove:
                raw = line.encode("utf-8")
                at = _line_bound(data, raw)
                if data[at:at + len(raw) + 1] != raw + b"\n":
                    raise Fallback(f"the previous output lacks a line of the previous store ({line[:200]})")
                edits.append((at, 1, raw))
            for line in add:
                raw = line.encode("utf-8")
                at = _line_bound(data, raw)
                if data[at:at + len(raw) + 1] != raw + b"\n":
                    edits.append((at, 0, raw))
            at = 0
            for offset, drop, raw in sorted(edits):
                _copy(src, dst, at, offset)
                if drop:
                    at = offset + len(raw) + 1
                else:
                    dst.write(raw + b"\n")
                    at = offset
            _copy(src, dst, at, size)
        finally:
            if size:
                data.close()


def _copy(src, dst, start: int, end: int) -> None:
    """Copy bytes START..END of SRC to the end of DST (in the kernel when it can)."""
    dst.flush()
    count = end - start
    while count > 0:
        try:
            done = os.copy_file_range(src.fileno(), dst.fileno(), count, start)
        except (AttributeError, OSError):
            src.seek(start)
            done = dst.write(src.read(min(count, 1 << 24)))
        if done <= 0:
            raise OSError("copying the previous output stopped")
        start += done
        count -= done
    dst.seek(0, os.SEEK_END)


def graph_blocks(store: ox.Store, iris: set[str]) -> dict[bytes, bytes]:
    """The block of each article graph IRI in IRIS (keyed by its N-Triples term) as a full build writes it in
    an .nq output: the graph's quads, sorted (b"" for a graph the store no longer holds)."""
    from .export import _sorted_lines
    out = {}
    for value in iris:
        node = ox.NamedNode(value)
        term = str(node)
        text = _sorted_lines(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=node))
        out[term.encode("utf-8")] = text.replace(b" .\n", f" {term} .\n".encode("utf-8"))   # " .\n" ends lines only
    return out


def output_record(output: Path, written: Path) -> str:
    """What the state keeps of the output (WRITTEN, to be renamed to OUTPUT) to know it is still the build's."""
    st = os.stat(written)
    return json.dumps({"path": os.path.realpath(output), "ext": output.suffix.lower(), "size": st.st_size,
                       "mtime_ns": st.st_mtime_ns, "ino": st.st_ino, "dev": st.st_dev})


def _unchanged_output(record: str | None, output: Path) -> bool:
    if not record:
        return False
    try:
        rec = json.loads(record)
        st = os.stat(output)
    except (OSError, ValueError):
        return False
    return (rec.get("path") == os.path.realpath(output) and rec.get("ext") == output.suffix.lower() and
            [rec.get("size"), rec.get("mtime_ns"), rec.get("ino"), rec.get("dev")] ==
            [st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev])


def set_output_record(state: Path, record: str) -> None:
    db = _connect(state)
    try:
        db.execute("INSERT OR REPLACE INTO meta VALUES ('output', ?)", (record,))
    finally:
        db.close()


def _is_article_graph(value: str) -> bool:
    from .iris import ID
    return value.startswith(f"{ID}graph/")


def _article_graphs(store: ox.Store, node: ox.NamedNode, limit: int) -> list[str]:
    """Up to LIMIT article graphs (IRIs) describing NODE. A SPARQL query, which reads the index of the named
    graphs' quads by subject: Store.quads_for_pattern(NODE, None, None, None) walks NODE's triples in the
    default graph first, the union, which grows with the corpus for a node every article names."""
    from .iris import ID
    query = (f'SELECT DISTINCT ?s ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{ID}graph/")) }} '
             f"LIMIT {int(limit)}")
    return [r["g"].value for r in store.query(query, substitutions={ox.Variable("s"): node})]


def _is_extra_graph(g) -> bool:
    """A named graph that is neither an article graph nor the ontology's (the reference places, kg.places)."""
    return isinstance(g, ox.NamedNode) and g.value != ONTOLOGY_GRAPH and not _is_article_graph(g.value)


def _in_an_article(store: ox.Store, q) -> bool:
    """Whether an article graph of STORE states the triple of Q (the default graph also holds the reference
    places, which the output and the union's check leave out)."""
    return any(isinstance(o.graph_name, ox.NamedNode) and _is_article_graph(o.graph_name.value)
               for o in store.quads_for_pattern(q.subject, q.predicate, q.object, None))


def _update_state(state: Path, p: _Plan, names: dict[str, str]) -> None:
    """The state of the new build, written in the new store folder (a copy of the old state, changed)."""
    db = _connect(state)
    try:
        db.execute("BEGIN")
        for s in sorted(p.leaving):
            _drop_article(db, s)
        for s in sorted(p.coming):
            af = p.fresh[s]
            _put_article(db, af, p.contents[s], names[s], _segment(s))
        for key, sig in sorted(p.sigs.items()):
            db.execute("DELETE FROM node WHERE key = ?", (key,))
            if sig is not None:
                db.execute("INSERT INTO node VALUES (?, ?, ?, ?)",
                           (key, sig.type, sig.label, json.dumps(list(sig.aliases), ensure_ascii=False)))
        for source, row in sorted(p.stats.items()):
            db.execute("DELETE FROM stat WHERE source = ?", (source,))
            if row is not None:
                db.execute("INSERT INTO stat VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (source, *row))
        db.execute("COMMIT")
    finally:
        db.close()


def _swap(directory: Path, fresh: Path, output: Path, export, commit_output, stage=None) -> None:
    """Put the new store FRESH and the output in place, by the protocol of kg.store.write_store: the journal
    names the staged output, so a kill between the two renames is undone by the next writer (kg.store._recover).
    The previous store goes with what STAGE (the output's kg.pipeline.StagedOutput) frees after the build,
    when it frees the previous output so (StagedOutput.take), else now."""
    old = _sibling(directory, f"old-{os.getpid()}")
    journal = _sibling(directory, f"swap-{os.getpid()}")
    try:
        staged = export(fresh)
        swap_in(directory, fresh, old, journal, staged, commit_output)
    except BaseException as exc:
        traceback.clear_frames(exc.__traceback__)
        roll_back(directory, fresh, old, journal)
        raise
    journal.unlink(missing_ok=True)
    if not (stage is not None and _is_store_folder(old) and stage.take(old)):
        _remove_store(old)


def build_incremental(paths, output: Path, lock: StoreLock, progress=None,
                      strict: bool = False) -> IncrementalResult | None:
    """Build PATHS into the store held by LOCK and OUTPUT incrementally (see the module's docstring), or
    return None (logged with -v) when a full build must do it. Nothing is in place until both are complete.
    STRICT (kg build --strict writes nothing when a node violates the shapes): a full build decides
    whenever the last build left nodes out."""
    from .export import export_store, format_for
    from .pipeline import StagedOutput, check_output_target
    directory = lock.directory
    format_for(output)
    check_output_target(output, directory)
    lexicon = load_lexicon()
    try:
        p = plan(paths, directory, lexicon, progress)
    except Fallback as exc:
        log.info("full build: %s", exc)
        return None
    fresh = _sibling(directory, f"new-{os.getpid()}")
    try:
        from .sources import split_inputs
        p.files = split_inputs(paths)[0]
        graphs = _emit(p, lexicon, directory)
        left = _left_out(p.db)
        if strict and left.report.left_out:
            raise Fallback("--strict, and the last build left nodes out")
        _check_left_out(left, p, graphs)
        from .emit import iri
        from .iris import graph_iri
        names = {s: iri(graph_iri(p.fresh[s].article)) for s in p.dirty}
        names.update({s: p.old[s][4] for s in p.old if s not in names})
        _remove_store(fresh)
        ox.Store.read_only(str(directory)).backup(str(fresh))
        shutil.copyfile(p.state, fresh / STATE_FILE)
        p.db.close()
        p.db = _connect(p.state)   # read-only use from here: the copy is changed
        previous_output = (p.db.execute("SELECT value FROM meta WHERE name = 'output'").fetchone() or [None])[0]
        quads, subjects, changed_graphs, extras, union_change = _update_store(fresh, p, graphs, names, left.linking)
        _update_state(fresh / STATE_FILE, p, names)
        db = _connect(fresh / STATE_FILE)
        try:
            _meta(db, quads)
            node_types = Counter(dict(db.execute("SELECT type, COUNT(*) FROM node GROUP BY type")))
            warnings = {s: json.loads(w) for s, w in db.execute("SELECT source, warnings FROM article "
                                                                "WHERE warnings != '[]'")}
        finally:
            db.close()
        _mark(fresh)
    except Fallback as exc:
        log.info("full build: %s", exc)
        p.db.close()
        _remove_store(fresh)
        return None
    except (OSError, sqlite3.Error) as exc:   # as kg.store.write_store says it
        p.db.close()
        _remove_store(fresh)
        raise store_write_error(directory, exc) from exc
    except BaseException:
        p.db.close()
        _remove_store(fresh)
        raise
    p.db.close()
    staged = StagedOutput(output, defer=True)

    def export(fresh: Path):   # the store is opened (read-only) only when the output is made from it
        try:
            kind = PATCHABLE.get(output.suffix.lower())
            patched = False
            if kind is not None and _unchanged_output(previous_output, output):
                try:
                    if kind == "subject":
                        iris = {t[1:-1] for t in subjects if t.startswith("<") and "\\" not in t}
                        if len(iris) != len(subjects):
                            raise Fallback("a subject that is not a plain IRI")
                        patch_lines(output, staged.path, *union_change)
                    else:
                        patch_output(output, staged.path, kind, graph_blocks(ox.Store.read_only(str(fresh)), changed_graphs))
                    patched = True
                except Fallback as exc:
                    log.info("output written whole: %s", exc)
            elif kind is not None:
                log.info("output written whole: %s is not the output of the last build", output)
            if not patched:
                export_store(ox.Store.read_only(str(fresh)), staged.path, articles_only=True)
            set_output_record(fresh / STATE_FILE, output_record(output, staged.path))
        except OSError as exc:
            raise KgError(f"{output}: cannot write ({exc.strerror or exc}); the previous output and store "
                          "are kept") from exc
        return staged.path

    def commit():
        try:
            staged.commit()
        except OSError as exc:
            raise KgError(f"{output}: cannot write ({exc.strerror or exc}); the previous output and store "
                          "are kept") from exc
    try:
        _swap(directory, fresh, output, export, commit, staged)
    finally:
        staged.close()
    log.info("incremental build: %d article(s) read again, %d graph(s) emitted again, %d removed",
             len(p.coming), len(p.dirty), len(p.leaving - p.dirty))
    return IncrementalResult(p.kept, node_types, left.report, p.skipped,
                             [w for s in p.kept for w in warnings.get(s, [])], quads, quads + extras,
                             sorted(p.dirty))
