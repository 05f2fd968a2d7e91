"""kgraph: a geopolitical knowledge graph from news articles.

The library API mirrors the CLI::

    from kgraph import Extractor, read_articles, build_graph, write_graphml, write_html

    extractor = Extractor()                                   # spaCy pipeline + gazetteer, once
    events = [e for _, found in extractor.extract(read_articles(["data/articles"])) for e in found]
    graph = build_graph(events)                               # networkx MultiDiGraph
    write_graphml(graph, "out/graph.graphml")
    write_html(graph, "out/graph.html")
"""

from __future__ import annotations

__version__ = "0.1.0"

from .export import read_events, write_events, write_graphml, write_html
from .fetch import Fetcher
from .graph import build_graph, strongest_edges
from .ingest import Problem, ReadOptions, read_articles
from .notebook import show
from .pipeline import Extractor, build, run
from .records import QUAD_CLASS, RELATIONS, Actor, Article, Event, Mention

__all__ = [
    "QUAD_CLASS",
    "RELATIONS",
    "Actor",
    "Article",
    "Event",
    "Extractor",
    "Fetcher",
    "Mention",
    "Problem",
    "ReadOptions",
    "build",
    "build_graph",
    "read_articles",
    "read_events",
    "run",
    "show",
    "strongest_edges",
    "write_events",
    "write_graphml",
    "write_html",
]
