"""The library API: articles in, events out, one pipeline loaded once.

>>> from kgraph import Extractor, read_articles
>>> extractor = Extractor()                      # doctest: +SKIP
>>> for article, events in extractor.extract(read_articles(["data/articles"])):  # doctest: +SKIP
...     print(article.id, len(events))
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import json
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar, Union

from .graph import Counts, GraphFilter, shown_counts
from .ingest import DEFAULT_MAX_BYTES, Problem, ProblemHandler, ReadOptions, printable, read_articles
from .records import Article, Event

if TYPE_CHECKING:  # spaCy and networkx load only when needed: a build with nothing new never parses
    import networkx as nx
    from spacy.language import Language
    from spacy.tokens import Doc

    from .extract.model import RelationModel
    from .gazetteer import Gazetteer
    from .store import Edge, Store

DEFAULT_BATCH_SIZE = 64
#: ``relation_model`` value meaning the model shipped with kgraph (``"rules"`` means none)
DEFAULT_RELATION_MODEL = "default"
#: Articles parsed per batch when building into the store: an interrupted build loses at most this much parsing.
STORE_BATCH_SIZE = 8


class Extractor:
    """Holds the spaCy pipeline, the gazetteer and the lexicon; extracts events from articles."""

    def __init__(
        self,
        model: str | None = None,
        actors: Iterable[str | Path] = (),
        lexicon: Iterable[str | Path] = (),
        include_hypothetical: bool = False,
        lang_models: Mapping[str, str] | None = None,
        relation_model: str | Path | RelationModel | None = DEFAULT_RELATION_MODEL,
    ) -> None:
        """``relation_model``: a model file, a loaded model, ``"default"`` (the shipped one) or ``"rules"``/None (rules alone)."""
        from .extract.model import RelationModel, load_default
        from .gazetteer import Gazetteer
        from .headlines import name_words
        from .lexicon import Lexicon
        from .nlp import load_pipeline

        self.gazetteer = Gazetteer.load(list(actors))
        self.lexicon = Lexicon.load(list(lexicon))
        self.nlp: Language = load_pipeline(self.gazetteer, model)
        self.model = f"{self.nlp.meta.get('name', '?')}-{self.nlp.meta.get('version', '?')}"
        self.include_hypothetical = include_hypothetical
        if isinstance(relation_model, RelationModel) or relation_model is None:
            self.relation_model = relation_model
        elif str(relation_model) == DEFAULT_RELATION_MODEL:
            self.relation_model = load_default()
        elif str(relation_model) == "rules":
            self.relation_model = None
        else:
            self.relation_model = RelationModel.load(relation_model)
        vocabulary = [t.lemma for ts in self.lexicon.triggers.values() for t in ts]
        vocabulary += [w for key in ("light_verbs", "roles", "belongings") for w in self.lexicon.words(key)]
        self.name_words = name_words((p["pattern"] for p in self.gazetteer.patterns()), vocabulary)
        # pipelines for other languages, by ISO 639-1 code ("de" -> de_core_news_sm)
        self.other_nlp: dict[str, Language] = {
            lang: load_pipeline(self.gazetteer, name) for lang, name in (lang_models or {}).items() if lang != self.nlp.lang
        }

    @property
    def languages(self) -> frozenset[str]:
        """The languages this extractor has a pipeline for (articles in others are skipped)."""
        return frozenset({self.nlp.lang or "en", *self.other_nlp})

    @property
    def version(self) -> str:
        """What produced the events: model, gazetteer, lexicon and relation model versions."""
        relations = f"+rel.{self.relation_model.digest}" if self.relation_model is not None else "+rules"
        return f"{self.model}+gaz.{self.gazetteer.version()}+lex.{self.lexicon.digest}{relations}"

    def extract(
        self,
        articles: Iterable[Article],
        batch_size: int = DEFAULT_BATCH_SIZE,
        on_problem: ProblemHandler | None = None,
        article_timeout: float | None = None,
    ) -> Iterator[tuple[Article, list[Event]]]:
        """(article, events) for every article, streamed through ``nlp.pipe``.

        Bounded work: an article longer than the parser's ``max_length`` is skipped (parsing is
        linear in length, so this bounds it), and with ``article_timeout`` the rule-based
        extraction of one article is stopped after that many seconds; both are reported to
        ``on_problem`` and the other articles go on.
        """
        from .extract import events as doc_events

        report = on_problem or (lambda problem: None)
        for doc, article in self.parse(articles, batch_size, report):
            try:
                found = _within(article_timeout, doc_events, doc, article, self.gazetteer, self.lexicon, self.relation_model)
            except ArticleTimeout:
                report(Problem(article.origin or article.id, f"extraction took over {article_timeout:g} s, article skipped (see --article-timeout)"))
                continue
            if not self.include_hypothetical:
                found = [e for e in found if not e.hypothetical]
            yield article, found

    def parse(self, articles: Iterable[Article], batch_size: int = DEFAULT_BATCH_SIZE, report: ProblemHandler | None = None) -> Iterator[tuple[Doc, Article]]:
        """(parsed Doc, article) for every article the parser can take (longer ones are reported)."""
        from .headlines import sentence_case

        limit = self.nlp.max_length

        def parsable(article: Article) -> bool:
            if len(article.text) <= limit:
                return True
            if report:
                report(Problem(article.origin or article.id, f"article is {len(article.text):,} characters, over the parser's limit of {limit:,}; split it into smaller articles"))
            return False

        pairs = ((sentence_case(a.text, a.title, self.name_words), a) for a in map(_encodable, articles) if parsable(a))
        if self.other_nlp:
            yield from self._docs_by_language(pairs, batch_size)
        else:
            yield from self.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size)

    def _docs_by_language(self, pairs: Iterable[tuple[str, Article]], batch_size: int) -> Iterator[tuple[Doc, Article]]:
        """Docs from the pipeline of each article's language, in input order (one batch at a time)."""
        from .ingest import detect_language

        for batch in _batches(pairs, batch_size):
            groups: dict[str, list[int]] = {}
            for i, (text, _) in enumerate(batch):
                lang = detect_language(text) or ""
                groups.setdefault(lang if lang in self.other_nlp else "", []).append(i)
            docs: dict[int, Doc] = {}
            for lang, indexes in groups.items():
                nlp = self.other_nlp.get(lang, self.nlp)
                docs.update(zip(indexes, nlp.pipe((batch[i][0] for i in indexes), batch_size=batch_size), strict=True))
            yield from ((docs[i], batch[i][1]) for i in range(len(batch)))

    def events(self, text: str, article_id: str = "text", date: str | None = None) -> list[Event]:
        """Events of one text (for notebooks and quick checks)."""
        article = Article(id=article_id, text=text, date=date)
        return next(self.extract([article]))[1]


class ArticleTimeout(BaseException):
    """The time limit of one article ran out (a BaseException: no ``except Exception`` inside may swallow it)."""


_T = TypeVar("_T")


def _encodable(article: Article) -> Article:
    """The article with lone surrogates (which spaCy cannot encode) as U+FFFD, as the readers give
    them: an Article made in code may hold them. Same length, so character offsets stand."""
    text, title = printable(article.text), printable(article.title) if article.title else article.title
    return article if (text, title) == (article.text, article.title) else replace(article, text=text, title=title)


def _within(seconds: float | None, func: Callable[..., _T], *args: object) -> _T:
    """``func(*args)``, stopped with :class:`ArticleTimeout` after ``seconds``.

    In the main thread a SIGALRM timer interrupts the call (Python code stops at its next
    bytecode; a C call runs to its end first). Elsewhere no signal can be used, so the limit is
    checked when the call returns and its result dropped.
    """
    if not seconds or seconds <= 0:
        return func(*args)
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        start = time.monotonic()
        value = func(*args)
        if time.monotonic() - start > seconds:
            raise ArticleTimeout
        return value

    state = {"fired": False, "done": False}

    def expired(signum: int, frame: object) -> None:
        if not state["done"]:
            state["fired"] = True
            raise ArticleTimeout

    previous = signal.signal(signal.SIGALRM, expired)
    # the timer repeats: a raise that lands in a __del__ or a callback is swallowed there, the next one is not
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)
    try:
        value = func(*args)
    finally:
        while True:  # a last signal may land here: retry until the handler is quiet and removed
            try:
                state["done"] = True
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
                break
            except ArticleTimeout:
                continue
    if state["fired"]:
        raise ArticleTimeout  # the limit passed even if every raise was swallowed
    return value


class ExtractorLike(Protocol):
    """What builds need of an extractor: :class:`Extractor`, or a pool of them (:mod:`kgraph.parallel`)."""

    @property
    def version(self) -> str: ...

    @property
    def languages(self) -> frozenset[str]: ...

    @property
    def gazetteer(self) -> Gazetteer: ...

    def extract(
        self,
        articles: Iterable[Article],
        batch_size: int = ...,
        on_problem: ProblemHandler | None = None,
        article_timeout: float | None = None,
    ) -> Iterator[tuple[Article, list[Event]]]: ...


def _takes_bounds(extractor: object) -> bool:
    """Whether ``extract`` takes ``on_problem`` and ``article_timeout``: kgraph's Extractor and its pools do."""
    from .parallel import _Remote

    return isinstance(extractor, (Extractor, _Remote))


def _batches(items: Iterable[tuple[str, Article]], size: int) -> Iterator[tuple[tuple[str, Article], ...]]:
    it = iter(items)
    while batch := tuple(itertools.islice(it, size)):
        yield batch


@dataclass
class BuildResult:
    """What a build read, found and wrote."""

    articles: int = 0
    events: list[Event] = field(default_factory=list)  # filled by run() only: a build streams into the store
    new_events: int = 0  # events extracted (by run() and by builds)
    new_denied: int = 0  # of which the texts deny
    problems: list[Problem] = field(default_factory=list)
    graph: nx.MultiDiGraph | None = None
    outputs: dict[str, Path] = field(default_factory=dict)
    seen: int = 0  # articles in the inputs, stored or not
    skipped: int = 0  # already stored: not read again
    copies: int = 0  # republished copies of stored articles: events copied, not parsed
    reprocessed: int = 0  # re-extracted because another extractor version produced them
    stale: int = 0  # stored articles another extractor version produced, kept as they are (reprocess off)
    db: Path | None = None
    strongest: list[Edge] = field(default_factory=list)  # the ten strongest edges of the store, for the summary
    # (origin, id, qualified id): articles stored under a qualified id because another text has their id
    qualified: list[tuple[str, str, str]] = field(default_factory=list)
    counts: Counts | None = None  # what the written graph holds (builds)


def run(
    extractor: ExtractorLike,
    paths: Iterable[str | Path],
    on_problem: ProblemHandler | None = None,
    on_article: Callable[[Article, list[Event]], None] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    read_options: ReadOptions | None = None,
    article_timeout: float | None = None,
    keep_events: bool = True,
) -> BuildResult:
    """Read and extract every input; problems are collected and passed on, never raised.

    Articles in a language the extractor has no pipeline for are reported and skipped, unless
    ``read_options.languages`` says otherwise. With ``keep_events=False`` only the counts are
    kept (memory stays flat; ``on_article`` sees every event).
    """
    result = BuildResult()

    def problem(p: Problem) -> None:
        result.problems.append(p)
        if on_problem:
            on_problem(p)

    options = read_options or ReadOptions()
    if options.languages is None:
        options = replace(options, languages=extractor.languages)
    articles = _unique_ids(read_articles(paths, problem, max_bytes, options), result, problem)
    # a pool or wrapper may not take the bounds; kgraph's own Extractor always does
    extracted = (
        extractor.extract(articles, on_problem=problem, article_timeout=article_timeout)
        if _takes_bounds(extractor)
        else extractor.extract(articles)
    )
    for article, found in extracted:
        result.articles += 1
        result.new_events += len(found)
        result.new_denied += sum(1 for e in found if e.negated)
        if keep_events:
            result.events.extend(found)
        if on_article:
            on_article(article, found)
    return result


def _unique_ids(articles: Iterable[Article], result: BuildResult, problem: ProblemHandler) -> Iterator[Article]:
    """The articles, a second text read under an id already given in this run (two folders with
    the same file names) under the id qualified by its place, as the store does (noted in
    ``result``); an input named twice is reported and read once."""
    from .store import article_place, candidate_ids, content_hash

    given: dict[str, str] = {}  # id -> place
    first: dict[tuple[str, str], str] = {}  # (id as read, place) -> origin
    for article in articles:
        place = article_place(article.origin)
        seen = first.setdefault((article.id, place), article.origin)
        if seen is not article.origin and place:
            problem(Problem(article.origin, f"read twice (already read from {seen}), skipped"))
            continue
        candidates = candidate_ids(article.id, place, content_hash(article.text))
        article_id = next((c for c in candidates if given.setdefault(c, place) == place), candidates[-1])
        if article_id != article.id:
            result.qualified.append((printable(article.origin), article.id, article_id))
            article = replace(article, id=article_id)
        yield article


ExtractorSource = Union[ExtractorLike, Callable[[], ExtractorLike]]


class _Lazy:
    """The extractor, made on first use: a build whose articles are all stored loads no model."""

    def __init__(self, source: ExtractorSource) -> None:
        self.source = source
        # a class (Extractor itself) is a factory too, although it has an ``extract`` attribute
        factory = isinstance(source, type) or (callable(source) and not hasattr(source, "extract"))
        self.made: ExtractorLike | None = None if factory else source  # type: ignore[assignment]

    def __call__(self) -> ExtractorLike:
        if self.made is None:
            self.made = self.source()  # type: ignore[operator]
        return self.made


def update(
    store: Store,
    extractor: ExtractorSource,
    paths: Iterable[str | Path],
    on_problem: ProblemHandler | None = None,
    on_article: Callable[[Article, list[Event]], None] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    reprocess: bool = True,
    batch_size: int = STORE_BATCH_SIZE,
    read_options: ReadOptions | None = None,
    article_timeout: float | None = None,
    extractor_key: str | None = None,
) -> BuildResult:
    """Add the new and changed articles of the inputs to the store; stored ones are not parsed.

    Each article is committed with its events in one transaction. Stored articles that another
    extractor version produced (another model, gazetteer or lexicon) are then extracted again
    from their stored text; with ``reprocess=False`` they are kept and counted in ``stale``.

    The current version is known without loading anything when ``extractor`` is already made,
    or when the store has met ``extractor_key`` before (a fingerprint of what the extractor is
    made of: :meth:`kgraph.parallel.ExtractorSpec.key`); an unknown key on a non-empty store loads
    the extractor to learn it. With neither, stale articles are looked for only when new
    articles make the extractor anyway.
    """
    result = BuildResult(db=store.path)
    lazy = _Lazy(extractor)
    memo = f"extractor:{extractor_key}" if extractor_key else None

    def made() -> ExtractorLike:
        ex = lazy()
        if memo:
            store.set_meta(memo, ex.version)
        return ex

    known = (store.get_meta(memo) if memo else None) or (lazy.made.version if lazy.made is not None else None)
    if known is None and memo and store.article_count():
        known = made().version  # this extractor is new to the store: learn its version
    options = read_options or ReadOptions()
    if options.languages is None:
        # the languages to keep are known before any model loads: the made extractor's, else English
        options = replace(options, languages=getattr(lazy.made, "languages", None) or frozenset({"en"}))

    def problem(p: Problem) -> None:
        result.problems.append(p)
        if on_problem:
            on_problem(p)

    pending: set[tuple[str, str | None]] = set()
    claimed: dict[str, tuple[str, str]] = {}  # ids given to articles not stored yet: (hash, place)

    def fresh() -> Iterator[Article]:
        from .store import article_place

        for article in read_articles(paths, problem, max_bytes, options):
            result.seen += 1
            decision = store.decide(article, claimed)
            if decision.action == "stored" or (decision.hash, article.url) in pending:
                result.skipped += 1
                continue
            if decision.id and decision.id != article.id:  # another text has this id: keep both
                result.qualified.append((printable(article.origin), article.id, decision.id))
                article = replace(article, id=decision.id)
            claimed[article.id] = (decision.hash, article_place(article.origin))
            if decision.action == "copy" and decision.rowid is not None:
                store.add_copy(article, decision.rowid)
                result.copies += 1
                continue
            pending.add((decision.hash, article.url))
            yield article
        current = known or (lazy.made.version if lazy.made is not None else None)
        if current is None:
            return
        if not reprocess:
            result.stale = store.stale_count(current)
            return
        for article in store.stale(current):
            result.reprocessed += 1
            yield article

    articles = fresh()
    first = next(articles, None)
    if first is None:
        return result
    ex = made()
    version = ex.version

    def chained() -> Iterator[Article]:
        yield first
        yield from articles

    # an extractor-like object (tests, wrappers) may not take the bounds; kgraph's own Extractor always does
    extracted = (
        ex.extract(chained(), batch_size=batch_size, on_problem=problem, article_timeout=article_timeout)
        if _takes_bounds(ex)
        else ex.extract(chained(), batch_size=batch_size)
    )
    for article, found in extracted:
        actors = {a: (ex.gazetteer.label(a), ex.gazetteer.kind(a)) for e in found for a in (e.source, e.target)}
        store.add(article, found, version, actors)
        result.articles += 1
        result.new_events += len(found)  # counts only: the events are in the store
        result.new_denied += sum(1 for e in found if e.negated)
        if on_article:
            on_article(article, found)
    return result


def build(
    extractor: ExtractorSource,
    paths: Iterable[str | Path],
    out_dir: str | Path,
    on_problem: ProblemHandler | None = None,
    on_article: Callable[[Article, list[Event]], None] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    title: str = "kgraph",
    db: str | Path | None = None,
    filters: GraphFilter | None = None,
    reprocess: bool = True,
    read_options: ReadOptions | None = None,
    article_timeout: float | None = None,
    extractor_key: str | None = None,
) -> BuildResult:
    """Add the inputs to the store (``DIR/kgraph.db`` by default), then write events.jsonl,
    graph.graphml and graph.html from it; outputs already current are left as they are.
    ``reprocess`` and ``extractor_key``: as for :func:`update`."""
    from .outputs import output_folder
    from .store import Store

    out = output_folder(out_dir, "events.jsonl, graph.graphml and graph.html")
    check_writable(out)  # before the store is touched: a build that cannot write its outputs does nothing
    with Store(db if db is not None else out / "kgraph.db") as store:
        result = update(
            store, extractor, paths, on_problem, on_article, max_bytes, reprocess,
            read_options=read_options, article_timeout=article_timeout, extractor_key=extractor_key,
        )  # fmt: skip
        if store.article_count() == 0:
            return result  # nothing stored yet: no outputs to write
        filters = filters or GraphFilter(include_negated=True)  # the written graph marks denied edges; the page hides them
        result.strongest = store.edges(GraphFilter(since=filters.since, until=filters.until, relations=filters.relations), limit=10)
        outputs = {"events": out / "events.jsonl", "graphml": out / "graph.graphml", "html": out / "graph.html"}
        stamp = json.dumps({"generation": store.generation, "filters": repr(filters), "title": title})
        stamp_key = f"outputs:{out.resolve()}"
        result.outputs = outputs
        counted = store.get_meta(f"{stamp_key}:counts")
        if store.get_meta(stamp_key) == stamp and counted and all(p.exists() for p in outputs.values()):
            result.counts = Counts(**json.loads(counted))
            return result  # the outputs were built from this very store state
        from .export import atomic_write, write_graphml, write_html

        # The graph without its sentences: the writers fetch each edge's as they write it, so a
        # build's memory does not grow with the evidence a big corpus piles on every edge.
        result.graph = store.graph(filters, evidence_limit=0)
        with atomic_write(outputs["events"]) as handle:
            handle.writelines(store.event_lines(GraphFilter(include_negated=True)))  # the record: every event
        write_graphml(result.graph, outputs["graphml"], store.evidence_source(filters))  # one pass sorted by edge
        write_html(result.graph, outputs["html"], title=title, evidence=functools.partial(store.edge_evidence, f=filters))
        store.set_meta(stamp_key, stamp)
        result.counts = shown_counts(result.graph)
        store.set_meta(f"{stamp_key}:counts", json.dumps(dataclasses.asdict(result.counts)))
    return result


#: Free bytes a build needs on the disk of its outputs to start at all.
MIN_FREE_BYTES = 1 << 20


def check_writable(folder: Path) -> None:
    """Raise OSError (with the folder as its file name) now, before any work, when outputs cannot
    be written into ``folder``: a file in its place, no permission, a read-only or full disk."""
    import errno
    import os
    import shutil
    import tempfile

    folder.mkdir(parents=True, exist_ok=True)  # FileExistsError: a file where the folder should be
    if not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))
    try:
        fd, probe = tempfile.mkstemp(prefix=".kgraph-probe.", dir=folder)
    except OSError as err:  # no permission, a read-only file system, a full disk: name the folder
        raise OSError(err.errno, err.strerror, str(folder)) from None
    os.close(fd)
    os.unlink(probe)
    if shutil.disk_usage(folder).free < MIN_FREE_BYTES:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(folder))


def model_language(model: str | None) -> str | None:
    """The language of a spaCy pipeline package, read from its meta.json without importing spaCy.

    The default models are English. None when the package cannot be found (the model load
    then reports the problem).
    """
    if model is None:
        return "en"
    from importlib.resources import files

    try:
        meta = json.loads((files(model) / "meta.json").read_text(encoding="utf-8"))
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError, ValueError, TypeError):
        return None
    lang = meta.get("lang") if isinstance(meta, dict) else None
    return lang if isinstance(lang, str) else None
