"""What a long command shows on stderr while it runs.

On a terminal: a live line with a bar, ``done/total`` and the time left when the number of
articles is known beforehand (files and folders of articles), else a count. Elsewhere (a log
file, CI): one plain status line every :attr:`Progress.interval` seconds. Slow steps that are not
articles (loading the spaCy pipeline) show as their own step with the time they took.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


def known_total(paths: Iterable[str | Path], feeds: Iterable[str] = ()) -> int | None:
    """How many articles the inputs hold, when listing the files tells (None for URLs, feeds,
    and record files: a JSONL file holds an unknown number of articles)."""
    from .fetch import is_url
    from .ingest import RECORD_SUFFIXES, URL_LIST_SUFFIXES, input_files

    if any(True for _ in feeds):
        return None
    total = 0
    for path in paths:
        if isinstance(path, str) and is_url(path):
            return None
        for file, _ in input_files(Path(path), lambda problem: None):
            if file.suffix.lower() in RECORD_SUFFIXES | URL_LIST_SUFFIXES:
                return None
            total += 1
    return total


def duration(seconds: float) -> str:
    """``42 s``, ``3 min 05 s``, ``2 h 10 min``."""
    s = int(round(seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"


class Progress:
    """Articles read and events found so far, on ``stream`` (stderr by default)."""

    #: Seconds between status lines when the stream is not a terminal.
    interval = 10.0

    def __init__(self, total: int | None = None, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr
        self.total = total or None
        self.count = 0
        self.events = 0
        self.start = self.last = time.monotonic()
        isatty = getattr(self.stream, "isatty", None)
        self.tty = bool(isatty and isatty())
        self.bar: Any = None

    def __enter__(self) -> Progress:
        if self.tty:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as Bar

            columns: list[Any] = [SpinnerColumn(), TextColumn("{task.description}")]
            if self.total:
                columns += [BarColumn(), MofNCompleteColumn(), TimeRemainingColumn()]
            else:
                columns += [TextColumn("{task.completed} read")]
            columns += [TextColumn("{task.fields[events]} events"), TimeElapsedColumn()]
            self.bar = Bar(*columns, console=Console(file=self.stream), transient=True)
            self.bar.__enter__()
            self.task = self.bar.add_task("reading articles", total=self.total, events=0)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None

    def line(self, text: str) -> None:
        """One line above the bar (or on its own without a terminal)."""
        if self.bar is not None:
            self.bar.console.print(f"kgraph: {text}", markup=False, highlight=False)
        else:
            print(f"kgraph: {text}", file=self.stream, flush=True)

    @contextmanager
    def step(self, what: str) -> Iterator[None]:
        """A slow step shown as itself (``loading the spaCy pipeline``), then the time it took."""
        began = time.monotonic()
        if self.bar is not None:
            self.bar.update(self.task, description=what)
        else:
            self.line(f"{what} ...")
        yield
        self.line(f"{what}: done in {duration(time.monotonic() - began)}")
        if self.bar is not None:
            self.bar.update(self.task, description="reading articles")
        if self.count == 0:
            self.start = self.last = time.monotonic()  # the time left counts articles, not the load

    def advance(self, article: object, events: list[Any]) -> None:
        """One more article read with its events (the ``on_article`` of builds and runs)."""
        self.count += 1
        self.events += len(events)
        if self.bar is not None:
            self.bar.update(self.task, advance=1, events=self.events)
            return
        now = time.monotonic()
        if now - self.last >= self.interval:
            self.last = now
            self.line(self.status())

    def status(self) -> str:
        """``120/500 articles read, 843 events, 1 min 20 s elapsed, about 4 min 13 s left``."""
        elapsed = time.monotonic() - self.start
        done = f"{self.count:,}" + (f"/{self.total:,}" if self.total else "")
        text = f"{done} article{'' if self.count == 1 and not self.total else 's'} read, {self.events:,} event{'' if self.events == 1 else 's'}, {duration(elapsed)} elapsed"
        if self.total and 0 < self.count < self.total:
            text += f", about {duration(elapsed / self.count * (self.total - self.count))} left"
        return text


__all__ = ["Progress", "duration", "known_total"]
