"""The library API: articles in, events out, one pipeline loaded once.

>>> from kgraph import Extractor, read_articles
>>> extractor = Extractor()                      # doctest: +SKIP
>>> for article, events in extractor.extract(read_articles(["data/articles"])):  # doctest: +SKIP
...     print(article.id, len(events))
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import networkx as nx
from spacy.language import Language
from spacy.tokens import Doc

from .export import atomic_write, write_events, write_graphml, write_html
from .extract import events as doc_events
from .gazetteer import Gazetteer
from .graph import build_graph
from .headlines import name_words, sentence_case
from .ingest import DEFAULT_MAX_BYTES, Problem, ProblemHandler, ReadOptions, detect_language, read_articles
from .lexicon import Lexicon
from .nlp import load_pipeline
from .records import Article, Event

DEFAULT_BATCH_SIZE = 64


class Extractor:
    """Holds the spaCy pipeline, the gazetteer and the lexicon; extracts events from articles."""

    def __init__(
        self,
        model: str | None = None,
        actors: Iterable[str | Path] = (),
        lexicon: Iterable[str | Path] = (),
        include_hypothetical: bool = False,
        lang_models: Mapping[str, str] | None = None,
    ) -> None:
        self.gazetteer = Gazetteer.load(list(actors))
        self.lexicon = Lexicon.load(list(lexicon))
        self.nlp: Language = load_pipeline(self.gazetteer, model)
        self.model = f"{self.nlp.meta.get('name', '?')}-{self.nlp.meta.get('version', '?')}"
        self.include_hypothetical = include_hypothetical
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
        """What produced the events: model, gazetteer and lexicon versions."""
        return f"{self.model}+gaz.{self.gazetteer.version()}+lex.{self.lexicon.digest}"

    def extract(self, articles: Iterable[Article], batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[tuple[Article, list[Event]]]:
        """(article, events) for every article, streamed through ``nlp.pipe``."""
        pairs = ((sentence_case(a.text, a.title, self.name_words), a) for a in articles)
        docs = self._docs_by_language(pairs, batch_size) if self.other_nlp else self.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size)
        for doc, article in docs:
            found = doc_events(doc, article, self.gazetteer, self.lexicon)
            if not self.include_hypothetical:
                found = [e for e in found if not e.hypothetical]
            yield article, found

    def _docs_by_language(self, pairs: Iterable[tuple[str, Article]], batch_size: int) -> Iterator[tuple[Doc, Article]]:
        """Docs from the pipeline of each article's language, in input order (one batch at a time)."""
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


def _batches(items: Iterable[tuple[str, Article]], size: int) -> Iterator[tuple[tuple[str, Article], ...]]:
    it = iter(items)
    while batch := tuple(itertools.islice(it, size)):
        yield batch


@dataclass
class BuildResult:
    """What a build read, found and wrote."""

    articles: int = 0
    events: list[Event] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    graph: nx.MultiDiGraph = field(default_factory=nx.MultiDiGraph)
    outputs: dict[str, Path] = field(default_factory=dict)


def run(
    extractor: Extractor,
    paths: Iterable[str | Path],
    on_problem: ProblemHandler | None = None,
    on_article: Callable[[Article, list[Event]], None] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    read_options: ReadOptions | None = None,
) -> BuildResult:
    """Read and extract every input; problems are collected and passed on, never raised.

    Articles in a language the extractor has no pipeline for are reported and skipped, unless
    ``read_options.languages`` says otherwise.
    """
    result = BuildResult()

    def problem(p: Problem) -> None:
        result.problems.append(p)
        if on_problem:
            on_problem(p)

    options = read_options or ReadOptions()
    if options.languages is None:
        options = replace(options, languages=extractor.languages)
    for article, found in extractor.extract(read_articles(paths, problem, max_bytes, options)):
        result.articles += 1
        result.events.extend(found)
        if on_article:
            on_article(article, found)
    return result


def build(
    extractor: Extractor,
    paths: Iterable[str | Path],
    out_dir: str | Path,
    on_problem: ProblemHandler | None = None,
    on_article: Callable[[Article, list[Event]], None] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    title: str = "kgraph",
    read_options: ReadOptions | None = None,
) -> BuildResult:
    """Extract events from the inputs and write events.jsonl, graph.graphml and graph.html."""
    result = run(extractor, paths, on_problem, on_article, max_bytes, read_options)
    out = Path(out_dir)
    result.graph = build_graph(result.events, {a: extractor.gazetteer.kind(a) for e in result.events for a in (e.source, e.target)})
    if result.articles == 0:
        return result  # nothing read: the previous outputs stay as they were
    with atomic_write(out / "events.jsonl") as handle:
        write_events(result.events, handle)
    write_graphml(result.graph, out / "graph.graphml")
    write_html(result.graph, out / "graph.html", title=title)
    result.outputs = {"events": out / "events.jsonl", "graphml": out / "graph.graphml", "html": out / "graph.html"}
    return result
