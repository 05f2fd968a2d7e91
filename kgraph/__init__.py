"""kgraph: a geopolitical knowledge graph from news articles.

The library API mirrors the CLI::

    from kgraph import Extractor, GraphFilter, Store, update, write_gexf, write_html

    with Store("out/kgraph.db") as store:                     # SQLite: articles and events
        update(store, Extractor(), ["data/articles"])         # reads only the new articles
        graph = store.graph(GraphFilter(since="2024-01-01"))  # networkx MultiDiGraph
        print(store.evidence("USA", "warns", "CHN")[0].text)
    write_gexf(graph, "out/graph.gexf")
    write_html(graph, "out/graph.html")
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .export import export, read_events, read_json, write_csv, write_events, write_gexf, write_graphml, write_html, write_json
    from .fetch import Fetcher
    from .graph import GraphFilter, build_graph, filter_graph, strongest_edges
    from .ingest import Problem, ReadOptions, read_articles
    from .notebook import show
    from .pipeline import Extractor, build, run, update
    from .records import QUAD_CLASS, RELATIONS, Actor, Article, Event, Mention
    from .store import Store, StoreError, open_store

#: Where each public name lives: imported on first use, so `import kgraph.cli` stays light
#: (a `kgraph build` with nothing new to read never imports spaCy or networkx).
_LOCATIONS: dict[str, str] = {
    **dict.fromkeys(
        (
            "export",
            "read_events",
            "read_json",
            "write_csv",
            "write_events",
            "write_gexf",
            "write_graphml",
            "write_html",
            "write_json",
        ),
        "export",
    ),
    **dict.fromkeys(("GraphFilter", "build_graph", "filter_graph", "strongest_edges"), "graph"),
    **dict.fromkeys(("Problem", "ReadOptions", "read_articles"), "ingest"),
    "Fetcher": "fetch",
    "show": "notebook",
    **dict.fromkeys(("Extractor", "build", "run", "update"), "pipeline"),
    **dict.fromkeys(("QUAD_CLASS", "RELATIONS", "Actor", "Article", "Event", "Mention"), "records"),
    **dict.fromkeys(("Store", "StoreError", "open_store"), "store"),
}


def __getattr__(name: str) -> Any:
    if name in _LOCATIONS:
        from importlib import import_module

        return getattr(import_module(f".{_LOCATIONS[name]}", __name__), name)
    raise AttributeError(f"module 'kgraph' has no attribute {name!r}")


__all__ = [
    "Actor",
    "Article",
    "Event",
    "Extractor",
    "Fetcher",
    "GraphFilter",
    "Mention",
    "Problem",
    "ReadOptions",
    "QUAD_CLASS",
    "RELATIONS",
    "Store",
    "StoreError",
    "build",
    "build_graph",
    "export",
    "filter_graph",
    "open_store",
    "read_articles",
    "read_events",
    "read_json",
    "run",
    "show",
    "strongest_edges",
    "update",
    "write_csv",
    "write_events",
    "write_gexf",
    "write_graphml",
    "write_html",
    "write_json",
]
