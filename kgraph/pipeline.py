"""The library API: articles in, events out, one pipeline loaded once.

>>> from kgraph import Extractor, read_articles
>>> extractor = Extractor()                      # doctest: +SKIP
>>> for article, events in extractor.extract(read_articles(["data/articles"])):  # doctest: +SKIP
...     print(article.id, len(events))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from spacy.language import Language

from .export import atomic_write, write_events, write_graphml, write_html
from .extract import events as doc_events
from .gazetteer import Gazetteer
from .graph import build_graph
from .headlines import name_words, sentence_case
from .ingest import DEFAULT_MAX_BYTES, Problem, ProblemHandler, read_articles
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
    ) -> None:
        self.gazetteer = Gazetteer.load(list(actors))
        self.lexicon = Lexicon.load(list(lexicon))
        self.nlp: Language = load_pipeline(self.gazetteer, model)
        self.model = f"{self.nlp.meta.get('name', '?')}-{self.nlp.meta.get('version', '?')}"
        self.include_hypothetical = include_hypothetical
        vocabulary = [t.lemma for ts in self.lexicon.triggers.values() for t in ts]
        vocabulary += [w for key in ("light_verbs", "roles", "belongings") for w in self.lexicon.words(key)]
        self.name_words = name_words((p["pattern"] for p in self.gazetteer.patterns()), vocabulary)

    @property
    def version(self) -> str:
        """What produced the events: model, gazetteer and lexicon versions."""
        return f"{self.model}+gaz.{self.gazetteer.version()}+lex.{self.lexicon.digest}"

    def extract(self, articles: Iterable[Article], batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[tuple[Article, list[Event]]]:
        """(article, events) for every article, streamed through ``nlp.pipe``."""
        pairs = ((sentence_case(a.text, a.title, self.name_words), a) for a in articles)
        for doc, article in self.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
            found = doc_events(doc, article, self.gazetteer, self.lexicon)
            if not self.include_hypothetical:
                found = [e for e in found if not e.hypothetical]
            yield article, found

    def events(self, text: str, article_id: str = "text", date: str | None = None) -> list[Event]:
        """Events of one text (for notebooks and quick checks)."""
        article = Article(id=article_id, text=text, date=date)
        return next(self.extract([article]))[1]


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
) -> BuildResult:
    """Read and extract every input; problems are collected and passed on, never raised."""
    result = BuildResult()

    def problem(p: Problem) -> None:
        result.problems.append(p)
        if on_problem:
            on_problem(p)

    for article, found in extractor.extract(read_articles(paths, problem, max_bytes)):
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
) -> BuildResult:
    """Extract events from the inputs and write events.jsonl, graph.graphml and graph.html."""
    result = run(extractor, paths, on_problem, on_article, max_bytes)
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
