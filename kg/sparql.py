"""What a SPARQL text asks for before it is run (a query or an update; whether it calls other servers with
SERVICE), and running a query under a deadline that Ctrl-C can break."""
from __future__ import annotations

import logging
import re
import threading
import traceback
from typing import Callable, TypeVar

from .errors import QueryError

T = TypeVar("T")
log = logging.getLogger("kg")

UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}

_LEXEME = re.compile(r'''
    (?P<skip>
        \#[^\n]*                                          # comment
      | """(?:[^"\\]|\\.|"(?!""))*"""                     # long strings
      | \'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
      | "(?:[^"\\\n]|\\.)*" | '(?:[^'\\\n]|\\.)*'         # strings
      | <(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>   # IRIs (with \u escapes)
      | [?$]\w+ | @[A-Za-z][\w-]*                         # variables, language tags
      | [\w.-]*:[\w.:%\\-]*                               # prefixed names (ex:service, service:x, _:b)
    )
  | (?P<word>[A-Za-z_]\w*)
  | (?P<other>.)
''', re.X | re.S)


def keywords(text: str) -> list[str]:
    """The bare words of the SPARQL TEXT (keywords and function names), upper-cased, in order; words in
    strings, IRIs, comments, variables and prefixed names are not keywords and are left out.

    As in Oxigraph's parser, a \\u escape counts only inside strings and IRIs (`\\u0053ERVICE` is a
    syntax error there, not a keyword)."""
    return [m.group("word").upper() for m in _LEXEME.finditer(text) if m.group("word")]


def check_query(text: str, allow_service: bool = False) -> None:
    """Raise QueryError unless TEXT is a query (not an update) that calls no other server (unless
    ALLOW_SERVICE). Syntax is left to the SPARQL parser."""
    words = keywords(text)
    first = next((w for w in words if w not in ("BASE", "PREFIX")), "")
    if first in UPDATE_WORDS:
        raise QueryError(f"not a query: {first} is SPARQL Update, and kg only reads "
                         f"(SELECT, ASK, CONSTRUCT or DESCRIBE); rebuild the store to change it")
    if "SERVICE" in words and not allow_service:
        raise QueryError("the query calls another server (SERVICE), which is disabled; "
                         "add --allow-service to let it")


def _release_frames(exc: BaseException | None) -> None:
    """Drop the local variables held by EXC's traceback (and its causes'), in this thread: pyoxigraph's
    query results may only be dropped by the thread that made them."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        traceback.clear_frames(exc.__traceback__)
        exc = exc.__cause__ or exc.__context__


class QueryTimeout(QueryError):
    """A query ran past its deadline."""


def run_with_deadline(work: Callable[[], T], timeout: float | None) -> T:
    """Return WORK(), run in a worker thread; raise QueryTimeout after TIMEOUT seconds (None: no limit),
    and let KeyboardInterrupt through at once.

    pyoxigraph evaluates SPARQL in Rust with the GIL released and never checks Python's signals, so on the
    main thread a long query can be neither interrupted nor timed out. Here the main thread only waits
    (an interruptible wait); a query left behind runs on in a daemon thread and ends with the process."""
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:   # handed to the waiting thread
            _release_frames(exc)
            box["error"] = exc

    worker = threading.Thread(target=target, name="kg-query", daemon=True)
    log.info("running the query%s; Ctrl-C stops it", f" for at most {timeout:g} s" if timeout else "")
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise QueryTimeout(f"query timed out after {timeout:g} s")
    if "error" in box:
        raise box["error"]   # type: ignore[misc]
    return box["value"]      # type: ignore[return-value]
