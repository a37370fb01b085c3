"""The embedded store (pyoxigraph on disk, one named graph per article plus one for the ontology and one
for the reference places, kg.places),
in-memory stores for RDF files, and SPARQL over both."""
from __future__ import annotations

import csv
import fcntl
import io
import json
import logging
import os
import re
import shutil
import traceback
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import pyoxigraph as ox

from .errors import GraphInputError, KgError, QueryError
from .sparql import check_query, run_with_deadline
from .resources import ONTOLOGY_FILE, ONTOLOGY_GRAPH, QUERIES_DIR
from .spool import in_graph

log = logging.getLogger("kg")

DEFAULT_STORE = Path(".kabar")


MARKER = "kabar-store.json"          # in every store kg build makes: what made it, in which format
STORE_FORMAT = "kabar-kg-store"
STORE_VERSION = 1
STATE_FILE = "kabar-incremental.sqlite"   # beside the marker: what the next build needs to be incremental (kg.incremental)
_STATE_NAME = re.compile(r"kabar-incremental\.sqlite(?:\.part)?")
# the files RocksDB (under Oxigraph) keeps in a store folder
_ROCKSDB_FILE = re.compile(r"\d+\.(?:log|sst|blob)|CURRENT|IDENTITY|LOCK|LOG(?:\.old\.\d+)?|MANIFEST-\d+"
                           r"|OPTIONS-\d+(?:\.dbtmp)?|\d+\.dbtmp")
_SWAP_SIBLING = re.compile(r"(new|old)-(\d+)")


def _sibling(directory: Path, suffix: str) -> Path:
    """A hidden path beside DIRECTORY: .kabar -> .kabar.lock, store -> .store.lock."""
    name = directory.name if directory.name.startswith(".") else f".{directory.name}"
    return directory.parent / f"{name}.{suffix}"


def _real(directory: Path) -> Path:
    """DIRECTORY, or the folder it links to: a symbolic link to a store keeps pointing at the new store."""
    return Path(os.path.realpath(directory)) if directory.is_symlink() else directory


def _marker(directory: Path) -> dict | None:
    """The marker of the store at DIRECTORY, or None when there is none or it is not Kabar KG's."""
    try:
        data = json.loads((directory / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == STORE_FORMAT else None


def _is_earlier_kabar_store(directory: Path) -> bool:
    """True for a store made by a Kabar KG that did not mark its stores yet: only RocksDB files, and only
    Kabar KG graphs in it (article graphs, the ontology graph, the reference places)."""
    try:
        store = ox.Store.read_only(str(directory))
        graphs = [g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)]
        del store
    except Exception:   # noqa: BLE001 - not readable as a store: not ours to replace
        return False
    from .places import REFERENCE_PLACES_GRAPH
    prefix = ONTOLOGY_GRAPH.rsplit("/", 1)[0] + "/"
    return ONTOLOGY_GRAPH in graphs and all(g.startswith(prefix) or g == REFERENCE_PLACES_GRAPH for g in graphs)


def check_store_target(directory: Path) -> None:
    """Refuse a --store that kg build must not replace: anything but a missing path, an empty folder, or a
    store Kabar KG made (marked by kabar-store.json, or an unmarked store of an earlier version that holds
    only RocksDB files and Kabar KG graphs). Replacing a store removes the folder, so nothing the tool did
    not write may be in it."""
    directory = _real(directory)
    if not os.path.lexists(directory):
        return
    if not directory.is_dir():
        raise KgError(f"{directory}: exists and is not a folder; --store names the folder of the embedded "
                      "store, which kg build replaces: choose another path")
    try:
        names = sorted(os.listdir(directory))
    except OSError as exc:
        raise KgError(f"{directory}: cannot read the store folder ({exc.strerror or exc})") from exc
    if not names:
        return
    foreign = [n for n in names if n != MARKER and not _ROCKSDB_FILE.fullmatch(n) and not _STATE_NAME.fullmatch(n)]
    shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
    if MARKER in names:
        marker = _marker(directory)
        if marker is None:
            raise KgError(f"{directory}: its {MARKER} was not written by Kabar KG; kg build replaces only stores "
                          "it made: choose another --store")
        if int(marker.get("version", 0)) > STORE_VERSION:
            raise KgError(f"{directory}: a store of a newer Kabar KG (format {marker.get('version')}); "
                          "use that version, or choose another --store")
        if foreign:
            raise KgError(f"{directory}: the store folder also holds files Kabar KG did not write ({shown}); "
                          "kg build replaces the whole folder: move them out, or choose another --store")
        return
    if not foreign:
        if _is_earlier_kabar_store(directory):
            return
        raise KgError(f"{directory}: an Oxigraph store that Kabar KG did not make (no {MARKER}, or graphs "
                      "that are not Kabar KG's); kg build will not replace it: remove it yourself if it may go, "
                      "or choose another --store")
    raise KgError(f"{directory}: a folder that is not a Kabar KG store (it holds {shown}); kg build replaces "
                  f"the store folder, so it writes only to a new or empty folder or a store it made "
                  f"(marked by {MARKER}): choose another --store")


def _is_store_folder(path: Path) -> bool:
    """Whether PATH is a folder (not a link to one) holding only the files of a store kg wrote."""
    try:
        return path.is_dir() and not path.is_symlink() and all(
            n == MARKER or _ROCKSDB_FILE.fullmatch(n) or _STATE_NAME.fullmatch(n) for n in os.listdir(path))
    except OSError:
        return False


def _remove_store(path: Path) -> None:
    """Remove a store folder this tool wrote (a swap sibling: named by kg, holding only store files)."""
    for _ in range(3):   # RocksDB may still be finishing a file as the folder goes
        if not _is_store_folder(path):
            return
        shutil.rmtree(path, ignore_errors=True)


def _recover(directory: Path) -> None:
    """Finish or undo a swap that a killed build left half done (the write lock is held: no build is
    running). The journal .DIR.swap-PID names the output the build was about to put in place:
    while that staged output is still there, the swap did not finish and the previous store comes back;
    once it is gone, the new store and output are both in place. Left-over half-written stores go."""
    prefix = _sibling(directory, "").name
    siblings = {}
    for p in directory.parent.glob(prefix + "*"):
        m = _SWAP_SIBLING.fullmatch(p.name[len(prefix):])
        if m:
            siblings.setdefault(m[2], {})[m[1]] = p
    for journal in sorted(directory.parent.glob(prefix + "swap-*")):
        pid = journal.name[len(prefix) + len("swap-"):]
        try:
            staged = Path(json.loads(journal.read_text(encoding="utf-8"))["staged"])
        except (OSError, ValueError, KeyError, TypeError):
            staged = None
        old = siblings.get(pid, {}).get("old")
        if staged is not None and staged.exists() and old is not None and directory.exists():
            _remove_store(directory)           # the new store came, its output did not: undo
            if not directory.exists():
                os.rename(old, directory)
        journal.unlink(missing_ok=True)
    for pid, kinds in sorted(siblings.items()):
        if "old" in kinds and kinds["old"].exists():
            if not directory.exists():
                os.rename(kinds["old"], directory)
            else:
                _remove_store(kinds["old"])
        if "new" in kinds:
            _remove_store(kinds["new"])


@dataclass
class StoreLock:
    """The write lock of a store, held by this process (see store_lock)."""
    directory: Path


@contextmanager
def store_lock(directory: Path) -> Iterator[StoreLock]:
    """Hold DIRECTORY's write lock; a second writer is refused at once with a clear message. A folder that is
    not a Kabar KG store is refused before anything is written beside it (check_store_target)."""
    directory = _real(directory)
    check_store_target(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    lock_path = _sibling(directory, "lock")
    with open(lock_path, "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise KgError(f"{directory}: another kg build is writing this store; "
                          "wait for it to finish or use --store for another one") from None
        try:
            _recover(directory)
            check_store_target(directory)
            yield StoreLock(directory)
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _mark(directory: Path) -> None:
    from . import __version__
    (directory / MARKER).write_text(json.dumps({"format": STORE_FORMAT, "version": STORE_VERSION,
                                                "created_by": f"kabar-kg {__version__}"}) + "\n", encoding="utf-8")


BULK_CHUNK = 16 << 20   # bytes of N-Quads per bulk load: Oxigraph's loader holds a whole input in memory


def store_write_error(directory: Path, exc: BaseException) -> KgError:
    """What a failure to write the store DIRECTORY (an OSError, or sqlite3's for kg.incremental) tells the user."""
    return KgError(f"{directory}: cannot write the store ({getattr(exc, 'strerror', None) or exc}); "
                   "the previous output and store are kept")


def _bulk_load(store: ox.Store, data, fmt, progress: Callable[[int], None] | None = None,
               lenient: bool = False) -> None:
    """Bulk-load DATA (bytes, a binary file or the path of a file of line-based RDF, or an iterable of
    chunks of whole lines of it) in chunks of whole lines,
    so that memory stays flat however large the build (one bulk_load of 1.6 million quads peaks above
    1.5 GB). PROGRESS(bytes) after each chunk. LENIENT: DATA was parsed strictly before (see write_store),
    Oxigraph does not check its IRIs and language tags again."""
    if isinstance(data, Path):
        with open(data, "rb") as fh:
            return _bulk_load(store, fh, fmt, progress, lenient)
    if not isinstance(data, (bytes, bytearray)) and not hasattr(data, "read"):   # chunks of whole lines
        for chunk in data:
            store.bulk_load(input=chunk, format=fmt, lenient=lenient)
            if progress is not None:
                progress(len(chunk))
        return
    fh = io.BytesIO(data) if isinstance(data, (bytes, bytearray)) else data
    while chunk := fh.read(BULK_CHUNK):
        chunk += fh.readline()   # up to the end of the line
        store.bulk_load(input=chunk, format=fmt, lenient=lenient)
        if progress is not None:
            progress(len(chunk))


def _load_both(store: ox.Store, nquads, union, progress: Callable[[int], None] | None = None,
               abort: Callable[[], None] | None = None, early: PreLoad | None = None, lenient: bool = False) -> None:
    """Bulk-load the N-Quads NQUADS and the N-Triples UNION (into the default graph) at the same time, UNION
    in a second thread (see _bulk_load). Oxigraph loads without holding the GIL and a store is a set of
    quads, so the two loads share the cores and give the same store as one after the other: after a
    build's workers have finished, the second core would otherwise wait. The first failure is raised,
    once both loads have stopped; ABORT() tells the producer of the other one's chunks that it failed.
    With EARLY (a PreLoad holding the article graphs), NQUADS is None and EARLY is completed instead.
    LENIENT: see _bulk_load."""
    import threading
    errors: list[BaseException] = []

    def failed(exc: BaseException) -> None:
        errors.append(exc)   # the first failure first: the other load's failure comes after ABORT
        if abort is not None:
            abort()

    def load_union() -> None:
        try:
            _bulk_load(store, union, ox.RdfFormat.N_TRIPLES, progress, lenient)
        except BaseException as exc:   # noqa: BLE001 - raised by the calling thread below
            failed(exc)

    thread = threading.Thread(target=load_union, name="kg-union-load", daemon=True)
    thread.start()
    try:
        if early is not None:
            early.complete()
        else:
            _bulk_load(store, nquads, ox.RdfFormat.N_QUADS, progress, lenient)
    except BaseException as exc:   # noqa: BLE001 - raised below, once the other load has stopped
        failed(exc)
    thread.join()
    if errors:
        raise errors[0]


class PreLoad:
    """A build's new store, opened beside the store at LOCK's directory while the build still emits its
    article graphs, loading each graph as it is spooled (ADD): the second core loads what the first has
    emitted, where before the whole load waited for the last graph. READ(start, size) gives the bytes of a
    spooled graph (kg.spool.Spool.read). write_store(early=...) finishes it: the union check's changes to
    a few graphs (COMPLETE), the union, the ontology, the swap. Until then the store in place is untouched;
    DISCARD removes the new one (a build that fails or is stopped). LENIENT: the graphs were parsed
    strictly before (see write_store), so Oxigraph does not check their IRIs and language tags again; the
    graph names ADD is given are checked here (they are not in the graphs' lines)."""

    def __init__(self, lock: StoreLock, read: Callable[[int, int], bytes], lenient: bool = False) -> None:
        import queue
        import threading
        self.directory = lock.directory
        self.fresh = _sibling(self.directory, f"new-{os.getpid()}")
        _remove_store(self.fresh)
        try:
            self.store: ox.Store | None = ox.Store(str(self.fresh))
        except OSError as exc:
            raise store_write_error(self.directory, exc) from exc
        self._read = read
        self.lenient = lenient
        self._todo: queue.SimpleQueue = queue.SimpleQueue()
        self._error: BaseException | None = None
        self._stopped = False
        self.changed: dict[str, bytes] = {}
        self.beside: list = []   # futures writing into the new store's folder too (the incremental state)
        self._thread = threading.Thread(target=self._run, name="kg-graph-load", daemon=True)
        self._thread.start()

    def add(self, start: int, size: int, name: str) -> None:
        """Load the graph spooled at START (SIZE bytes of N-Triples) as the named graph NAME (an N-Triples
        IRI term). A load that failed (a full disk) stops the build here, before it emits the rest."""
        if isinstance(self._error, OSError):
            raise store_write_error(self.directory, self._error)
        if self.lenient:
            ox.NamedNode(name[1:-1])   # ValueError for a name that is no IRI (the lenient load would take it)
        self._todo.put((start, size, name))

    def _run(self) -> None:
        parts: list[bytes] = []
        size = 0
        try:
            while (item := self._todo.get()) is not None and not self._stopped:
                start, n, name = item
                parts.append(in_graph(self._read(start, n), name))
                size += n
                if size >= BULK_CHUNK // 4:   # the chunks of kg.pipeline._ChunkSink: the same memory
                    _bulk_load(self.store, b"".join(parts), ox.RdfFormat.N_QUADS, lenient=self.lenient)
                    parts, size = [], 0
            if parts and not self._stopped:
                _bulk_load(self.store, b"".join(parts), ox.RdfFormat.N_QUADS, lenient=self.lenient)
        except BaseException as exc:   # noqa: BLE001 - raised by finish()
            self._error = exc

    def finish(self) -> None:
        """Wait until every graph added is loaded; raise what stopped the load."""
        self._todo.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error

    def complete(self) -> None:
        """Finish, then put in the graphs the union check changed (CHANGED: IRI term -> its N-Triples now,
        b"" for none; the build sets it): they hold those lines instead."""
        self.finish()
        for name, data in self.changed.items():
            node = ox.NamedNode(name[1:-1])
            self.store.remove_graph(node)
            if data:
                self.store.load(input=data, format=ox.RdfFormat.N_TRIPLES, to_graph=node)

    def close(self) -> None:
        """Stop loading (what is queued is dropped), wait for what writes beside it (BESIDE) and close the
        new store; write_store takes it over."""
        if self._thread.is_alive():
            self._stopped = True
            self._todo.put(None)
            self._thread.join()
        for future in self.beside:
            future.exception()   # waits; its error is the caller's to raise
        self.store = None

    def discard(self) -> None:
        """Stop loading and remove the new store, unless write_store took it over (it removes or swaps it
        in). Called whatever happened: a build that fails or is stopped before it writes leaves nothing."""
        if self.store is not None:
            self.close()
            _remove_store(self.fresh)


def _size(data) -> int:
    """The bytes in DATA (see _bulk_load), 0 when unknown."""
    if isinstance(data, Path):
        return data.stat().st_size
    if isinstance(data, (bytes, bytearray)):
        return len(data)
    try:
        return os.fstat(data.fileno()).st_size - data.tell()
    except (AttributeError, OSError, io.UnsupportedOperation):
        return 0


def write_store(nquads, union, directory: Path, with_ontology: bool = True, *,
                lock: StoreLock | None = None, prepare: Callable[[ox.Store], None] | None = None,
                staged: Path | None = None, commit: Callable[[], None] | None = None,
                quads: int | Callable[[], int] | None = None,
                progress: Callable[[int, int], None] | None = None, abort: Callable[[], None] | None = None,
                early: PreLoad | None = None, lenient: bool = False,
                compacting: Callable[[], None] | None = None) -> int:
    """Replace the store at DIRECTORY by the article graphs NQUADS, their UNION (N-Triples; a triple may
    come more than once) as the default graph, and the ontology graph and the reference places (kg.places,
    in their graph and in the default graph) unless not WITH_ONTOLOGY (NQUADS and UNION are bytes, binary
    files, paths of files or iterables of chunks of whole lines, see _bulk_load); return the number of
    quads in the named graphs. QUADS is the number of (distinct) quads in NQUADS when the caller counted
    them as it wrote them (or a function that says it once NQUADS is read); else they are counted here.

    The default graph is the set union of the article graphs: SPARQL without GRAPH reads each triple once
    (a union of named graphs would repeat a triple once per article that states it).

    The new store is written beside the old one and swapped in by renaming, so a build that fails or is
    killed leaves the previous store as it was. The store holds exactly the articles of this build.
    LOCK is the store's write lock when the caller holds it already (kg build takes it when it starts).
    PREPARE(new store) writes what goes with the store (the output, to STAGED) before the swap, and
    COMMIT() puts it in place right after the store: when either fails, the previous store stays.
    PROGRESS(bytes loaded, bytes to load) as the store loads. The article graphs and their union load at
    the same time (see _load_both); ABORT() is called when one of the two loads fails, and must end the
    other's wait for chunks (NQUADS and UNION given as iterables that wait for their producer).
    EARLY: the article graphs loaded already into the new store by a PreLoad (for DIRECTORY), NQUADS None.
    LENIENT: every line of NQUADS and UNION, and every graph name, was parsed strictly before (a build's
    workers parse each graph's bytes as they validate it, kg.validate.validate_ntriples), so Oxigraph
    skips checking their IRIs and language tags again (about a tenth of the load's CPU).
    COMPACTING() is called once everything is in the new store, before it is compacted (see compact)."""
    if lock is None:
        with store_lock(directory) as held:
            return write_store(nquads, union, directory, with_ontology, lock=held, prepare=prepare,
                               staged=staged, commit=commit, quads=quads, progress=progress, abort=abort,
                               early=early, lenient=lenient, compacting=compacting)
    directory = lock.directory
    fresh = _sibling(directory, f"new-{os.getpid()}")
    old = _sibling(directory, f"old-{os.getpid()}")
    journal = _sibling(directory, f"swap-{os.getpid()}")
    if early is not None and (early.fresh != fresh or early.store is None):
        raise ValueError(f"the early load of {early.directory} is not for the store {directory}")
    if early is None:
        _remove_store(fresh)
    store = None
    try:
        try:
            store = early.store if early is not None else ox.Store(str(fresh))
            total, loaded = _size(nquads) + _size(union), [0]

            def loading(n: int) -> None:
                loaded[0] += n
                if progress is not None:
                    progress(loaded[0], max(total, loaded[0]))
            _load_both(store, nquads, union, loading, abort, early, lenient)
            ontology = ontology_quads() if with_ontology else []
            store.extend(ontology)
            store.flush()
            if not with_ontology:   # else compacted once the reference places are in (the last write)
                compact(store, directory, compacting)
            if quads is None:
                count = sum(1 for q in store if isinstance(q.graph_name, ox.NamedNode))
            else:
                count = (quads() if callable(quads) else quads) + len(set(ontology))
            _mark(fresh)
        except OSError as exc:
            raise store_write_error(directory, exc) from exc
        store = None   # closed: what goes with it is written from a read-only view (no background writes)
        if early is not None:
            early.close()
        if prepare is not None:
            prepare(ox.Store.read_only(str(fresh)))
        if with_ontology:   # after PREPARE wrote the output, which holds the articles only
            count += _add_reference_places(fresh, directory, compacting)
        swap_in(directory, fresh, old, journal, staged, commit)
    except BaseException as exc:
        store = None                              # close the new store before removing it
        if early is not None:
            early.close()
        traceback.clear_frames(exc.__traceback__)   # frames of the failing call may hold it too
        roll_back(directory, fresh, old, journal)
        raise
    journal.unlink(missing_ok=True)
    _remove_store(old)
    return count


def swap_in(directory: Path, fresh: Path, old: Path, journal: Path, staged: Path | None,
            commit: Callable[[], None] | None) -> None:
    """Put the new store FRESH in place of DIRECTORY (moved to OLD), then COMMIT the output staged at STAGED.
    The JOURNAL names STAGED first, so a kill between the renames is undone by the next writer (_recover);
    when COMMIT fails, the new store goes back to FRESH (then roll_back brings the previous one back)."""
    if staged is not None:
        journal.write_text(json.dumps({"staged": str(staged.resolve())}), encoding="utf-8")
    try:
        if directory.exists():
            os.rename(directory, old)
        os.rename(fresh, directory)
    except OSError as exc:
        raise KgError(f"{directory}: cannot replace the store ({exc.strerror or exc}); "
                      "the previous output and store are kept") from exc
    if commit is not None:
        try:
            commit()
        except BaseException:   # the output could not be put in place: the previous store comes back
            os.rename(directory, fresh)
            raise


def roll_back(directory: Path, fresh: Path, old: Path, journal: Path) -> None:
    """After a failed swap_in (or a failure before it): remove the new store FRESH, bring the previous one
    back from OLD, drop the JOURNAL."""
    _remove_store(fresh)
    if old.exists() and not directory.exists():
        os.rename(old, directory)
    journal.unlink(missing_ok=True)


def compact(store: ox.Store, where: Path, starting: Callable[[], None] | None = None) -> bool:
    """Merge the files of STORE (at WHERE) before it is closed for good, calling STARTING() first (the build's
    progress); return whether it was done.

    Each bulk load ingests files whose keys overlap the whole store. RocksDB merges them in the background,
    but a store closed before those merges are done keeps its overlapping files, and a read-only open
    (kg query, kg serve) never merges them: every lookup then reads a dozen files or more. Measured on 4,000
    articles (BENCHMARKS.md, eighth round), the named queries ran 1.5-3.4 times faster on the compacted
    store; incremental builds no longer add files to it at every run. It costs about 0.6 ms of CPU per
    article. A compaction writes the merged files before it deletes the old ones: when that fails (a full
    disk), the store is left as it was, complete, and the build goes on with a warning."""
    if starting is not None:
        starting()
    try:
        store.optimize()
    except OSError as exc:
        log.warning("%s: the store is complete but not compacted (%s); queries on it are slower until the next "
                    "full build", where, " ".join(str(exc).split())[:200])
        return False
    return True


def _add_reference_places(fresh: Path, directory: Path, compacting: Callable[[], None] | None = None) -> int:
    """Add the reference places (kg.places) to the new store at FRESH, the last write to it, then compact it
    (see compact); return the quads added."""
    from .places import add_reference_places
    try:
        store = ox.Store(str(fresh))
        added = add_reference_places(store)
        store.flush()
        compact(store, directory, compacting)
    except OSError as exc:
        raise store_write_error(directory, exc) from exc
    return added


def to_ox(term):
    """The pyoxigraph term for an rdflib term (blank nodes keep their label)."""
    from rdflib import BNode, Literal as RLiteral, URIRef
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, RLiteral):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype))) if term.datatype else ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def ontology_quads() -> list:
    """The ontology as quads of its named graph, with canonical blank-node labels (OWL lists and axioms),
    so that two builds give byte-for-byte the same store."""
    from rdflib import Graph
    from rdflib.compare import to_canonical_graph
    g = to_canonical_graph(Graph().parse(ONTOLOGY_FILE, format="turtle"))
    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    return [ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph) for s, p, o in g]


def no_store_error(directory: Path) -> GraphInputError:
    return GraphInputError(f"{directory}: no store here; build one with `kg build PATH --store {directory}`")


def damaged_store_error(directory: Path, exc: BaseException, opening: bool = False) -> GraphInputError:
    """The error for a store that RocksDB cannot open or read: which store, RocksDB's reason, and what to
    do (the same words as `kg load`)."""
    reason = " ".join(str(exc).split())[:300] or type(exc).__name__
    return GraphInputError(f"{directory}: cannot {'open' if opening else 'read'} the store, it is damaged "
                           f"({reason}); rebuild it with `kg build ARTICLES --store {directory}`")


def open_store(directory: Path) -> ox.Store:
    """Open the store at DIRECTORY for reading; a missing or damaged store is a GraphInputError that says
    to build (or rebuild) it. Reads may still find damage later: wrap them in `reading_store`."""
    if not directory.is_dir() or not any(directory.iterdir()):
        raise no_store_error(directory)
    try:
        return ox.Store.read_only(str(directory))
    except (OSError, RuntimeError) as exc:   # RocksDB: "Corruption: ...", "IO error: ..."
        raise damaged_store_error(directory, exc, opening=True) from exc


def _is_storage_error(exc: BaseException) -> bool:
    """Whether EXC comes from RocksDB (pyoxigraph raises RuntimeError, or OSError with RocksDB's status)."""
    return isinstance(exc, RuntimeError) or str(exc).startswith(("Corruption:", "IO error:"))


@contextmanager
def reading_store(directory: Path | None) -> Iterator[None]:
    """Turn damage that RocksDB finds while the store at DIRECTORY is read (a block checksum mismatch in
    the middle of a query or an export) into a clear error; DIRECTORY None reads an in-memory store."""
    try:
        yield
    except (OSError, RuntimeError) as exc:
        if directory is None or not _is_storage_error(exc):
            raise
        raise damaged_store_error(directory, exc) from exc


def open_source(path: Path) -> ox.Store:
    """A store directory, or an RDF file loaded into memory."""
    if path.is_dir():
        return open_store(path)
    if not path.exists() and path.suffix.lower() not in RDF_FORMATS:
        raise no_store_error(path)
    return read_rdf_file(path)


def store_graphs(store: ox.Store) -> list[str]:
    """The named graphs of STORE, sorted: one per article, the ontology's and the reference places'."""
    return sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))

RDF_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
               ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD, ".json": ox.RdfFormat.JSON_LD,
               ".rdf": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML, ".owl": ox.RdfFormat.RDF_XML}
RESULT_FORMATS = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
                  "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}
GRAPH_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "xml": ox.RdfFormat.RDF_XML,
                 "jsonld": ox.RdfFormat.JSON_LD}


def read_rdf_file(path: Path) -> ox.Store:
    """Return an in-memory store holding the RDF file at PATH (format from its extension)."""
    fmt = RDF_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise GraphInputError(f"{path}: unknown RDF format {path.suffix!r}; expected one of "
                              f"{', '.join(sorted(RDF_FORMATS))}")
    if path.exists() and not path.is_file():     # a FIFO or a device would block or never end
        raise GraphInputError(f"{path}: not a regular file")
    store = ox.Store()
    try:
        if fmt == ox.RdfFormat.JSON_LD:           # contexts given by value: nothing is fetched (kg.jsonld)
            from .jsonld import read_jsonld
            store.bulk_load(input=json.dumps(read_jsonld(path)).encode("utf-8"), format=fmt,
                            base_iri=path.absolute().as_uri())
        else:
            store.bulk_load(path=str(path), format=fmt)
    except FileNotFoundError:
        raise GraphInputError(f"{path}: no such file") from None
    except (SyntaxError, ValueError, OSError) as exc:
        raise GraphInputError(f"{path}: cannot read as {fmt.name}: {exc}") from exc
    return store


def named_queries() -> dict[str, Path]:
    """The queries shipped in queries/, by name ("awards-by-municipality")."""
    return {p.stem: p for p in sorted(QUERIES_DIR.glob("*.rq"))}


def read_named_query(name: str) -> str:
    queries = named_queries()
    if name not in queries:
        raise QueryError(f"no named query {name!r}; known: {', '.join(queries) or 'none'}")
    return queries[name].read_text(encoding="utf-8")


@dataclass
class QueryResult:
    kind: str                       # "select" | "ask" | "graph"
    variables: list[str]
    rows: list[list[str | None]]    # SELECT rows, values as plain strings
    boolean: bool | None
    raw: object                     # the pyoxigraph result (graph results), or a callable giving a fresh one
    terms: list[tuple] | None = None   # SELECT rows as pyoxigraph terms (None: unbound), for the CSV writer

    def serialize(self, fmt: str, width: int | None = None) -> str:
        """The result as text: "table" (fitted to WIDTH characters when given), or a SPARQL results format
        (csv tsv json xml) for SELECT/ASK, or an RDF format (ttl nt xml jsonld) for CONSTRUCT/DESCRIBE."""
        if self.kind == "graph":
            rdf = GRAPH_FORMATS.get("ttl" if fmt == "table" else fmt)
            if rdf is None:
                raise QueryError(f"graph results are written as {', '.join(GRAPH_FORMATS)}, not {fmt!r}")
            out = io.BytesIO()
            ox.serialize(self.raw, out, rdf)
            return out.getvalue().decode("utf-8")
        if fmt == "table":
            return format_table(self.variables, self.rows, width) if self.kind == "select" else \
                ("true" if self.boolean else "false") + "\n"
        if fmt not in RESULT_FORMATS:
            raise QueryError(f"unknown result format {fmt!r}; use table, {', '.join(RESULT_FORMATS)}")
        if fmt == "csv" and self.kind == "select":
            return format_csv(self.variables, self.terms if self.terms is not None else self.raw())
        fresh = self.raw() if callable(self.raw) else self.raw   # a pyoxigraph result is read only once
        return fresh.serialize(format=RESULT_FORMATS[fmt]).decode("utf-8")


def _plain(term) -> str | None:
    if term is None:
        return None
    try:
        return term.value   # read once (hasattr would read it too)
    except AttributeError:   # a quoted triple
        return str(term)


def _has_default_graph(store: ox.Store) -> bool:
    return next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None


XSD = "http://www.w3.org/2001/XMLSchema#"
_TRAILING_ORDER = re.compile(r"\bORDER\s+BY((?:\s+\?[A-Za-z_][A-Za-z0-9_]*)+)\s*\Z", re.IGNORECASE)
_PLAIN_DATE = re.compile(r"-?\d{4,}-\d{2}-\d{2}\Z")
_XSD_STRING, _XSD_DATE = XSD + "string", XSD + "date"


def _column_keys(terms) -> list | None:
    """The sort key of each of TERMS (one column of an answer), or None when the column holds values whose
    SPARQL order Python would not reproduce exactly (see _sorted). The keys are the terms' texts, or, when
    the column has unbound values, (0, "") for those and (1, text) for the others, so that they come first."""
    kind = None
    keys: list = []
    append = keys.append
    unbound = False
    for term in terms:
        if term is None:
            unbound = True
            append(None)
            continue
        cls = type(term)
        if cls is ox.NamedNode:
            k = "iri"
        elif cls is ox.Literal:
            k = term.language
            if k is None:
                k = term.datatype.value
                if k != _XSD_STRING and not (k == _XSD_DATE and _PLAIN_DATE.match(term.value)):
                    return None
        else:
            return None
        if k != kind:
            if kind is not None:
                return None
            kind = k
        append(term.value)
    if unbound:
        return [(0, "") if v is None else (1, v) for v in keys]
    return keys


def _sorted(solutions: list[tuple], columns: list[int]) -> list[tuple] | None:
    """SOLUTIONS in the order SPARQL's ORDER BY gives on COLUMNS, or None when a column holds values whose
    SPARQL order Python would not reproduce exactly. Accepted: unbound (first), and in each column one
    kind of value only: IRIs, strings of one language (or none), or dates without a time zone (their
    text order is their date order); each compared by code point, as the engine does. Ties, which SPARQL
    leaves in any order, are broken by the other columns."""
    by_column = []
    for i in columns:   # column by column: one kind per column, each term read once
        keys = _column_keys([sol[i] for sol in solutions])
        if keys is None:
            return None
        by_column.append(keys)
    keys = by_column[0] if len(by_column) == 1 else list(zip(*by_column))
    order = sorted(range(len(solutions)), key=keys.__getitem__)
    if len(set(keys)) == len(keys):   # no ties (a GROUP BY over the sort columns has none)
        return [solutions[k] for k in order]
    rest = [i for i in range(len(solutions[0]) if solutions else 0) if i not in columns]
    tie_key = lambda sol: tuple((0, "") if sol[i] is None else (1, str(sol[i])) for i in rest)
    out: list[tuple] = []
    start = 0
    for k in range(1, len(order) + 1):
        if k == len(order) or keys[order[k]] != keys[order[start]]:
            run = [solutions[j] for j in order[start:k]]
            out.extend(sorted(run, key=tie_key) if len(run) > 1 else run)
            start = k
    return out


def _values_query(variables: list[str], solutions: list[tuple]) -> str:
    """A query whose answer is SOLUTIONS in their order (no blank nodes), for the results serializers."""
    names = " ".join(f"?{v}" for v in variables)
    rows = "\n".join("(" + " ".join("UNDEF" if t is None else str(t) for t in sol) + ")" for sol in solutions)
    return f"SELECT {names} WHERE {{ VALUES ({names}) {{\n{rows}\n}} }}"


def without_order(query: str) -> tuple[str, list[str] | None]:
    """QUERY without the ORDER BY over plain variables it ends in, and those variables; else (QUERY, None)."""
    order = _TRAILING_ORDER.search(query)
    return (query[:order.start()], [v[1:] for v in order.group(1).split()]) if order else (query, None)


def sorted_solutions(result: ox.QuerySolutions, sort_by: list[str] | None, again):
    """(variables, solutions as tuples of terms, a callable giving a pyoxigraph result of them in order):
    RESULT's solutions sorted here by SORT_BY, or, when Python cannot give the engine's order, those of
    AGAIN() (the query with its ORDER BY, sorted by the engine)."""
    variables = [v.value for v in result.variables]
    solutions = [tuple(sol) for sol in result]
    if not sort_by:
        return variables, solutions, again
    ordered = _sorted(solutions, [variables.index(v) for v in sort_by]) if set(sort_by) <= set(variables) else None
    if ordered is None:
        return variables, [tuple(sol) for sol in again()], again
    def raw():   # only for the csv/tsv/json/xml writers
        if any(type(t) is ox.BlankNode for sol in ordered for t in sol):   # VALUES cannot hold them
            return again()
        return ox.Store().query(_values_query(variables, ordered))
    return variables, ordered, raw


def run_query(store: ox.Store, query: str, allow_service: bool = False) -> QueryResult:
    """Run a SPARQL query on STORE: its default graph (a kg store's union of the article graphs), or the
    union of its named graphs when it has no default graph (an .nq or .trig file).

    An update is refused, and so is a query that calls another server (SERVICE) unless ALLOW_SERVICE.
    Errors from RocksDB pass through (see `reading_store`). A SELECT that ends in ORDER BY over projected
    variables is sorted here, after the query: the on-disk store compares terms by reading their text from
    disk at every comparison, which made sorting 10,000 rows cost a second. The order is the engine's (see
    _sorted; anything else is sorted by the engine)."""
    check_query(query, allow_service)
    union = not _has_default_graph(store)
    bare, sort_by = without_order(query)
    def again():
        return store.query(query, use_default_graph_as_union=union)
    try:
        result = store.query(bare, use_default_graph_as_union=union)
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ask", [], [], bool(result), again)
        if isinstance(result, ox.QuerySolutions):      # solutions are computed while they are read
            variables, solutions, raw = sorted_solutions(result, sort_by, again)
            rows = [[_plain(t) for t in sol] for sol in solutions]
            return QueryResult("select", variables, rows, None, raw, solutions)
        return QueryResult("graph", [], [], None, list(result))
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from exc
    except OSError as exc:   # a SERVICE call that failed, or the store (left to reading_store)
        if _is_storage_error(exc):
            raise
        raise QueryError(f"query failed: {_redacted(exc)}") from exc


def _redacted(exc: BaseException) -> str:
    """EXC's message on one line, without any password in a URL it names (a SERVICE endpoint)."""
    return re.sub(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s]*@", r"\1***@", " ".join(str(exc).split()))[:300]


def answer_query(source: Path, query: str, fmt: str = "table", timeout: float | None = None,
                 allow_service: bool = False, width: int | None = None) -> str:
    """The answer to QUERY on SOURCE (a store directory or an RDF file) as text in FMT (see
    QueryResult.serialize). Reading SOURCE, running the query and writing the answer all count towards
    TIMEOUT seconds (QueryTimeout), and Ctrl-C stops them at once (KeyboardInterrupt)."""
    check_query(query, allow_service)
    def work() -> str:
        store = open_source(source)
        with reading_store(source if source.is_dir() else None):
            result = run_query(store, query, allow_service)
            try:
                return result.serialize(fmt, width)
            except OSError as exc:
                if _is_storage_error(exc):
                    raise
                raise QueryError(f"query failed: {_redacted(exc)}") from exc
    return run_with_deadline(work, timeout)


def _csv_value(term) -> str:
    """A term as SPARQL 1.1 Query Results CSV writes it: an IRI or a literal's lexical form as it is, a
    blank node as _:label, an unbound variable as nothing."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def format_csv(variables: list[str], solutions) -> str:
    """SELECT solutions as SPARQL 1.1 Query Results CSV (RFC 4180: CRLF line ends, a field quoted when it
    holds a comma, a double quote or a line break). SOLUTIONS: rows of terms in the order of VARIABLES, or
    a pyoxigraph result. Written with Python's csv module: pyoxigraph leaves an IRI with a comma unquoted
    (an evidence IRI ...#char=2963,3107 gave its row one column too many)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(variables)
    writer.writerows([_csv_value(term) for term in solution] for solution in solutions)
    return out.getvalue()


def fit_widths(widths: list[int], width: int, gap: int = 2, narrowest: int = 6) -> list[int]:
    """Column WIDTHS narrowed, widest first, until the columns and the GAPs between them fit in WIDTH
    characters (no column below NARROWEST, or its own width if that is less)."""
    widths = list(widths)
    while sum(widths) + gap * (len(widths) - 1) > width:
        i = max(range(len(widths)), key=lambda k: widths[k])
        if widths[i] <= narrowest:
            break
        widths[i] -= 1
    return widths


def _cut(value: str, width: int) -> str:
    return value if len(value) <= width else value[:max(0, width - 1)] + "…"


def format_table(variables: list[str], rows: list[list[str | None]], width: int | None = None) -> str:
    """A plain-text table with a header line, like a terminal SQL client prints. With WIDTH (a terminal's
    columns), the widest columns are narrowed and their long values cut with "…" so each line fits."""
    cells = [[" ".join(("" if v is None else str(v)).split()) for v in row] for row in rows]
    widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(variables)]
    if width:
        widths = fit_widths(widths, width)
    line = lambda vals: "  ".join(_cut(v, w).ljust(w) for v, w in zip(vals, widths)).rstrip()
    out = [line(variables), line(["-" * w for w in widths])] + [line(r) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"
