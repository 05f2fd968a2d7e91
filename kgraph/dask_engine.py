"""``--engine dask``: extraction on a Dask cluster, results streamed back into the one store.

A ``LocalCluster`` of worker processes by default, or an existing cluster given by its
scheduler address (``tcp://HOST:8786``). Each worker loads the pipeline once (the per-process
cache of :mod:`kgraph.parallel`); the parent submits chunks of articles, a bounded number at a
time, collects them with ``distributed.as_completed`` and hands them on in input order, so the
store is written exactly as by a local build.

A worker that dies mid-task loses nothing: the scheduler runs its tasks again on another
worker, and each chunk's result is taken once. The store is keyed by article id, so even a
chunk written twice would replace, not duplicate, its articles.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .ingest import ProblemHandler
from .parallel import DEFAULT_CHUNK_SIZE, ChunkResult, ExtractorSpec, _Remote, chunks, extract_chunk, unpack, worker_info
from .records import Article, Event


class DaskError(RuntimeError):
    """Dask is not installed or the scheduler cannot be reached; the message says which."""


class DaskExtractor(_Remote):
    """Extraction on a Dask cluster (see the module docstring)."""

    def __init__(
        self,
        spec: ExtractorSpec,
        scheduler: str | None = None,
        workers: int = 2,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        timeout: float = 30,
    ) -> None:
        super().__init__(spec, chunk_size)
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise DaskError("--engine dask needs Dask: pip install 'kgraph[dask]'") from None
        self.cluster: Any = None
        try:
            if scheduler:
                self.client = Client(scheduler, timeout=timeout)
            else:
                # one thread per worker process: spaCy holds the GIL in the rules
                self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
                self.client = Client(self.cluster)
        except OSError as err:
            self.close()
            raise DaskError(f"cannot reach the Dask scheduler {scheduler}: {err}") from None
        try:
            self.version, self.languages = self.client.submit(worker_info, spec, pure=False).result()
        except BaseException:
            self.close()
            raise

    @property
    def workers(self) -> int:
        """Workers the scheduler knows now (at least one, for the in-flight window)."""
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    def extract(
        self,
        articles: Iterable[Article],
        batch_size: int = DEFAULT_CHUNK_SIZE,
        on_problem: ProblemHandler | None = None,
        article_timeout: float | None = None,
    ) -> Iterator[tuple[Article, list[Event]]]:
        """(article, events) in input order, as :meth:`Extractor.extract`; about 2 chunks per worker in flight."""
        from distributed import as_completed

        source = enumerate(chunks(articles, self.chunk_size))
        pending: dict[int, list[Article]] = {}  # chunk number -> its articles, until written
        ready: dict[int, ChunkResult] = {}  # finished chunks waiting for an earlier one
        numbers: dict[Any, int] = {}  # task key -> chunk number
        done = as_completed()
        next_out = 0
        window = 2 * self.workers

        def fill() -> None:
            # keep the workers busy, but hold at most 4 windows of articles if an early chunk is slow
            while len(pending) - len(ready) < window and len(pending) < 4 * window:
                item = next(source, None)
                if item is None:
                    return
                n, chunk = item
                pending[n] = chunk
                future = self.client.submit(extract_chunk, self.spec, chunk, batch_size, article_timeout, pure=False)
                numbers[future.key] = n
                done.add(future)

        fill()
        try:
            for future in done:
                ready[numbers.pop(future.key)] = future.result()
                future.release()
                while next_out in ready:
                    yield from unpack(pending.pop(next_out), ready.pop(next_out), on_problem)
                    next_out += 1
                fill()
        finally:
            done.clear()

    def close(self) -> None:
        for part in (getattr(self, "client", None), self.cluster):
            if part is not None:
                part.close()

    def __enter__(self) -> DaskExtractor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
