"""The emitted article graphs of a build, kept in a temporary file instead of memory.

A 10,000-article build emits ~300 MB of N-Triples text. Held as Python strings (one per subject per
article) it was the largest part of a build's memory. The main process now appends each article's graph
to one temporary file as it arrives from the workers and keeps only where it lies: the article's
subjects, in order, and where each one's lines end. The file is unlinked from the start (tempfile's
TemporaryFile), so a build that is killed leaves nothing behind, and the kernel's page cache, not the
process, holds what is read often.

A SpooledGraph reads as the dict it replaces (subject term -> that subject's lines, sorted): see
kg.validate.by_subject. Writing to it (the union check leaving a node out) turns it into a dict in
memory; that happens to the few graphs that name a left-out node.
"""
from __future__ import annotations

import os
import sys
import tempfile
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator, Mapping, MutableMapping
from hashlib import blake2b
from itertools import accumulate, compress
from operator import itemgetter, lt

from .errors import KgError


DIGEST = 16   # bytes of each subject's digest (blake2b): two different descriptions never meet in practice


def packed(chunks: Mapping[str, str], read: frozenset[str] | None = None
           ) -> tuple[bytes, tuple[str, ...], array, bytes]:
    """CHUNKS (subject -> its lines, see kg.validate.by_subject) as one UTF-8 text in subject order, the
    subjects, the end of each subject's lines in that text (bytes), and a digest of each subject's lines on
    the predicates READ (N-Triples terms; all its lines when None), DIGEST bytes each, in one string: what a
    worker sends back. The union check compares the digests (kg.validate._shared_counts)."""
    subjects = tuple(sorted(chunks))
    parts = [chunks[s].encode("utf-8") for s in subjects]
    ends, at = array("I"), 0
    for part in parts:
        at += len(part)
        ends.append(at)
    if read is None:
        digests = b"".join([blake2b(part, digest_size=DIGEST).digest() for part in parts])
    else:
        digests = b"".join([blake2b(_lines_on(chunks[s], read), digest_size=DIGEST).digest() for s in subjects])
    return b"".join(parts), subjects, ends, digests


def packed_terms(terms: Mapping[str, tuple[str, str]], read: frozenset[str] | None = None
                 ) -> tuple[bytes, tuple[str, ...], array, bytes]:
    """packed(kg.validate.by_subject(TERMS), READ) made in one pass over the sorted lines: TERMS maps each
    N-Triples line (no line break) to its subject and predicate terms (the line's text up to its first
    space, and from there to the next), as kg.emit.article_terms gives them.
    The lines are sorted once and joined and encoded once; the subjects, their ends and the digests of
    their lines on READ are found by counting, slicing and mapping in C, with no loop over the lines in
    Python. What kg.pipeline.emit_validated sends of every article graph."""
    ordered = sorted(terms)
    if not ordered:
        return b"", (), array("I"), b""
    heads = list(map(terms.__getitem__, ordered))
    # each subject's lines are one run of the sorted lines (they share the text up to the first space), so
    # counting the subjects in their order gives each one's number of lines
    groups = Counter(map(itemgetter(0), heads))
    subjects = tuple(groups)
    if not all(map(lt, subjects, subjects[1:])):   # a subject ordered otherwise than its lines: a control
        from .validate import by_subject           # character after another subject's text (never kg.emit's)
        return packed(by_subject(ordered), read)
    last = list(accumulate(groups.values()))   # each subject's lines: up to this many of the sorted lines
    whole = "\n".join(ordered) + "\n"
    text = whole.encode("utf-8")
    ascii = len(text) == len(whole)   # then a line's length in characters is its length in bytes
    at = list(accumulate(map(len, ordered if ascii else map(str.encode, ordered))))
    ends = array("I", [at[k - 1] + k for k in last])
    if read is None:
        kept, kept_ends = text, ends
    else:
        keep = list(map(read.__contains__, map(itemgetter(1), heads)))
        counted = list(compress(ordered, keep))
        before = list(accumulate(keep))   # how many of the first k lines are counted
        kept_at = list(accumulate(map(len, counted if ascii else map(str.encode, counted))))
        kept_ends = [kept_at[c - 1] + c if c else 0 for c in (before[k - 1] for k in last)]
        kept = ("\n".join(counted) + "\n").encode("utf-8")
    digests = b"".join([blake2b(kept[b:e], digest_size=DIGEST).digest()
                        for b, e in zip([0, *kept_ends[:-1]], kept_ends)])
    return text, subjects, ends, digests


def _lines_on(chunk: str, predicates: frozenset[str]) -> bytes:
    """The lines of CHUNK (each ending with a line break) whose predicate is one of PREDICATES, as UTF-8."""
    return "".join([ln + "\n" for ln in chunk[:-1].split("\n") if ln.split(" ", 2)[1] in predicates]).encode("utf-8")


class Spool:
    """One unlinked temporary file (in tempfile's folder: $TMPDIR, else /tmp) holding article graphs."""

    def __init__(self) -> None:
        try:
            self._file = tempfile.TemporaryFile(prefix="kg-graphs-")
        except OSError as exc:
            raise KgError(f"{tempfile.gettempdir()}: cannot write the build's temporary file "
                          f"({exc.strerror or exc}); set TMPDIR to a folder with room; nothing written") from exc
        self.fd = self._file.fileno()
        self.size = 0

    def add(self, text: bytes, subjects: tuple[str, ...], ends: array, digests: bytes) -> SpooledGraph:
        """Append one graph (see packed) and return it as a mapping. Called by one thread (the main one);
        reads (os.pread) may come from any."""
        at = self.size
        try:
            view = memoryview(text)
            while view:
                view = view[os.pwrite(self.fd, view, at + len(text) - len(view)):]
        except OSError as exc:
            raise KgError(f"{tempfile.gettempdir()}: cannot write the build's temporary file "
                          f"({exc.strerror or exc}); set TMPDIR to a folder with room; nothing written") from exc
        self.size += len(text)
        return SpooledGraph(self, at, tuple(map(sys.intern, subjects)), ends, digests, text.count(b"\n"))

    def read(self, start: int, size: int) -> bytes:
        data = os.pread(self.fd, size, start)
        if len(data) != size:   # pread returns less only at the end of the file: never for what was written
            raise KgError(f"the build's temporary file was cut short ({len(data)} of {size} bytes at {start})")
        return data


class SpooledGraph(MutableMapping):
    """One article graph in a Spool: subject term -> its N-Triples lines, in subject order."""

    __slots__ = ("_spool", "_start", "_subjects", "_ends", "_digests", "lines", "_dict")

    def __init__(self, spool: Spool, start: int, subjects: tuple[str, ...], ends: array, digests: bytes,
                 lines: int) -> None:
        self._spool, self._start, self._subjects, self._ends, self.lines = spool, start, subjects, ends, lines
        self._digests = digests
        self._dict: dict[str, str] | None = None

    # reading
    def _position(self, subject) -> int | None:
        """Where SUBJECT is among the graph's subjects (sorted), or None."""
        i = bisect_left(self._subjects, subject)
        return i if i < len(self._subjects) and self._subjects[i] == subject else None

    def _found(self, subjects) -> list[tuple[int, str]]:
        """(position, subject) of each of SUBJECTS the graph describes."""
        return [(i, s) for s in subjects if (i := self._position(s)) is not None]

    def _begin(self, i: int) -> int:
        """Where the lines of the I-th subject begin (bytes, from the graph's start)."""
        return self._ends[i - 1] if i else 0

    def raw(self, subject: str) -> bytes:
        """SUBJECT's lines as UTF-8."""
        if self._dict is not None:
            return self._dict[subject].encode("utf-8")
        i = self._position(subject)
        if i is None:
            raise KeyError(subject)
        return self._spool.read(self._start + self._begin(i), self._ends[i] - self._begin(i))

    def text(self) -> bytes:
        """The whole graph as UTF-8, its subjects in order (each subject's lines sorted)."""
        if self._dict is not None:
            return "".join(self._dict[s] for s in sorted(self._dict)).encode("utf-8")
        return self._spool.read(self._start, self._ends[-1]) if self._subjects else b""

    def __getitem__(self, subject: str) -> str:
        if self._dict is not None:
            return self._dict[subject]
        return self.raw(subject).decode("utf-8")

    def __iter__(self) -> Iterator[str]:
        return iter(self._dict if self._dict is not None else self._subjects)

    def __len__(self) -> int:
        return len(self._dict if self._dict is not None else self._subjects)

    def __contains__(self, subject: object) -> bool:
        if self._dict is not None:
            return subject in self._dict
        try:
            return self._position(subject) is not None
        except TypeError:   # not a str
            return False

    def pick(self, subjects) -> dict[str, str]:
        """The lines of each of SUBJECTS (those it describes): one read of the graph for them all."""
        if self._dict is not None:
            return {s: self._dict[s] for s in subjects if s in self._dict}
        found = self._found(subjects)
        if not found:
            return {}
        start = self._begin(min(i for i, _ in found))
        data = self._spool.read(self._start + start, self._ends[max(i for i, _ in found)] - start)
        return {s: data[self._begin(i) - start:self._ends[i] - start].decode("utf-8") for i, s in found}

    def keys_of(self, subjects) -> dict:
        """For each of SUBJECTS the graph describes: the digest of its lines (see packed; nothing read)."""
        if self._dict is not None:
            return {s: self._dict[s] for s in subjects if s in self._dict}
        return {s: self._digests[i * DIGEST:(i + 1) * DIGEST] for i, s in self._found(subjects)}

    def values(self):   # one read for the whole graph
        if self._dict is not None:
            return self._dict.values()
        text = self.text()
        out, begin = [], 0
        for end in self._ends:
            out.append(text[begin:end].decode("utf-8"))
            begin = end
        return out

    def items(self):
        return list(zip(self, self.values())) if self._dict is None else self._dict.items()

    # writing: the graph moves into memory (the union check leaving nodes out of a few graphs)
    def _materialised(self) -> dict[str, str]:
        if self._dict is None:
            self._dict = dict(zip(self._subjects, self.values()))
            self._spool = None   # type: ignore[assignment]
            self._subjects, self._ends, self._digests = (), array("I"), b""
        return self._dict

    def __setitem__(self, subject: str, chunk: str) -> None:
        self._materialised()[subject] = chunk
        self.lines = sum(c.count("\n") for c in self._dict.values())

    def __delitem__(self, subject: str) -> None:
        del self._materialised()[subject]
        self.lines = sum(c.count("\n") for c in self._dict.values())

    def __reduce__(self):   # pickled as the dict it stands for
        return dict, (dict(self.items()),)

    def __repr__(self) -> str:
        return f"<SpooledGraph of {len(self)} subjects, {self.lines} lines>"


def in_graph(text: bytes, name: str) -> bytes:
    """N-Triples TEXT (whole lines) as N-Quads in the graph NAME (an IRI term): " .\n" ends lines only."""
    return text.replace(b" .\n", f" {name} .\n".encode("utf-8"))


def is_spooled(chunks: Mapping[str, str]) -> bool:
    """Whether CHUNKS is a SpooledGraph that still reads its lines from the spool (the union check has not
    changed it since it was added)."""
    return isinstance(chunks, SpooledGraph) and chunks._dict is None


def line_count(chunks: Mapping[str, str]) -> int:
    """The number of N-Triples lines of one article graph (a SpooledGraph knows it without reading)."""
    if isinstance(chunks, SpooledGraph):
        return chunks.lines
    return sum(chunk.count("\n") for chunk in chunks.values())


def raw(chunks: Mapping[str, str], subject: str) -> bytes:
    """SUBJECT's lines in one article graph, as UTF-8."""
    return chunks.raw(subject) if isinstance(chunks, SpooledGraph) else chunks[subject].encode("utf-8")


def text(chunks: Mapping[str, str]) -> bytes:
    """One article graph as UTF-8, its subjects in order."""
    if isinstance(chunks, SpooledGraph):
        return chunks.text()
    return "".join([chunks[s] for s in sorted(chunks)]).encode("utf-8")


def pick(chunks: Mapping[str, str], subjects) -> dict[str, str]:
    """The lines of each of SUBJECTS that one article graph describes (a SpooledGraph reads them at once)."""
    if isinstance(chunks, SpooledGraph):
        return chunks.pick(subjects)
    return {s: chunks[s] for s in subjects if s in chunks}


def whole(chunks: Mapping[str, str]) -> str:
    """One article graph's lines as one text, its subjects in order."""
    if isinstance(chunks, SpooledGraph):
        return chunks.text().decode("utf-8")
    return "".join([chunks[s] for s in sorted(chunks)])


def keys_of(chunks: Mapping[str, str], subjects) -> dict:
    """For each of SUBJECTS that one article graph describes, a key of its lines: two graphs' keys for a
    subject are equal when its lines on the predicates the digests read are the same in both (a
    SpooledGraph's digests, see packed: nothing read; else the lines themselves, all of them). Keys of
    graphs of the two kinds are never equal."""
    if isinstance(chunks, SpooledGraph):
        return chunks.keys_of(subjects)
    return {s: chunks[s] for s in subjects if s in chunks}
