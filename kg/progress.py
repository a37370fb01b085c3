"""Progress of long commands on stderr, phase by phase: on a terminal a rich bar per phase with its count,
elapsed time and ETA (a spinner for a phase without a count), sized to the terminal; elsewhere (a log
file, CI) a plain line per phase and every 100 items. With -v each phase also logs when it starts and
how long it took.

The library reports progress through a callback PROGRESS(i, n, item) (kg.pipeline.build_graph,
kg.load.load_store); a callback that also takes `phase` names the phase ("reading", "validating", ...):
a new phase name ends the previous phase."""
from __future__ import annotations

import logging
import sys
import time

log = logging.getLogger("kg")


class PhaseProgress:
    """Use as a context manager; call it as the library's progress callback, and `begin(phase)` for a
    phase the command runs itself (writing the output)."""

    def __init__(self, quiet: bool = False, plain_every: int = 100, plain_from: int = 50) -> None:
        self.quiet = quiet
        self.plain_every, self.plain_from = plain_every, plain_from
        self._bar = None
        self._tasks: dict[str, int] = {}
        self._current: str | None = None
        self._started = 0.0
        if not quiet:
            from rich.console import Console
            console = Console(stderr=True)
            if console.is_terminal:
                from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                                           TimeElapsedColumn, TimeRemainingColumn)
                from rich.table import Column
                self._bar = Progress(
                    SpinnerColumn(), TextColumn("{task.description}"), BarColumn(bar_width=None),
                    MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                    TextColumn("{task.fields[item]}", table_column=Column(ratio=1, no_wrap=True, overflow="ellipsis")),
                    console=console, expand=True, redirect_stderr=True, redirect_stdout=False)

    def __enter__(self) -> "PhaseProgress":
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(self, *exc) -> None:
        self.end()
        if self._bar is not None:
            self._bar.stop()

    def begin(self, phase: str, total: int | None = None) -> None:
        """End the current phase and start PHASE (TOTAL items, or None when they are not counted)."""
        self.end()
        self._current, self._started = phase, time.monotonic()
        log.info("%s%s", phase, f" ({total} item(s))" if total else "")
        if self._bar is not None:
            self._tasks[phase] = self._bar.add_task(phase, total=total, item="")

    def end(self) -> None:
        """End the current phase: its bar shows done, and -v logs how long it took."""
        if self._current is None:
            return
        if self._bar is not None:
            task = self._tasks[self._current]
            total = self._bar.tasks[task].total
            done = total if total is not None else 1
            self._bar.update(task, total=done, completed=done)
            self._bar.stop_task(task)
        log.info("%s: done in %.1f s", self._current, time.monotonic() - self._started)
        self._current = None

    def __call__(self, i: int, n: int, item: str, phase: str = "reading") -> None:
        if phase != self._current:
            self.begin(phase, n)
        if self._bar is not None:
            self._bar.update(self._tasks[phase], completed=i, total=n, item=item)
        elif not self.quiet and n >= self.plain_from and (i % self.plain_every == 0 or i == n):
            sys.stderr.write(f"  {phase} [{i}/{n}] {item}\n")


class StderrHandler(logging.Handler):
    """Log lines written to sys.stderr as it is when they are logged (so that a progress display that
    redirects stderr prints them above its bars)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:   # noqa: BLE001 - logging must never break the command
            self.handleError(record)
