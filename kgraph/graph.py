"""Events -> one networkx MultiDiGraph: a node per actor, an edge per relation.

Merging across articles is an aggregation over events, never a compose of per-article graphs:
an edge (source, relation, target, negated) carries ``weight`` (distinct articles stating it),
``mentions`` (events), ``first_date``/``last_date`` and its full ``evidence`` list. For the
symmetric relations (partners-with, meets) the pair is stored once, ordered by id, with
``directed=False``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from .records import QUAD_CLASS, SYMMETRIC, Event


def edge_key(relation: str, negated: bool) -> str:
    """The MultiDiGraph key of an edge: its relation, marked when negated."""
    return f"{relation}|negated" if negated else relation


def build_graph(events: Iterable[Event], kinds: dict[str, str] | None = None) -> nx.MultiDiGraph:
    """Aggregate events into a graph; ``kinds`` maps actor ids to state/organization/group."""
    graph = nx.MultiDiGraph()
    kinds = kinds or {}
    articles: set[str] = set()
    dates: list[str] = []
    for e in events:
        source, target = e.source, e.target
        if e.relation in SYMMETRIC and target < source:
            source, target = target, source
        for actor, label in ((e.source, e.source_label), (e.target, e.target_label)):
            if actor not in graph:
                graph.add_node(actor, label=label or actor, kind=kinds.get(actor, "other"), mentions=0, articles=set())
            node = graph.nodes[actor]
            node["mentions"] += 1
            node["articles"].add(e.article)
        key = edge_key(e.relation, e.negated)
        if not graph.has_edge(source, target, key):
            graph.add_edge(
                source,
                target,
                key=key,
                relation=e.relation,
                negated=e.negated,
                directed=e.relation not in SYMMETRIC,
                quad_class=QUAD_CLASS[e.relation],
                articles=set(),
                mentions=0,
                confidence=0.0,
                first_date=None,
                last_date=None,
                evidence=[],
            )
        data = graph.edges[source, target, key]
        data["articles"].add(e.article)
        data["mentions"] += 1
        data["confidence"] = max(data["confidence"], e.confidence)
        if e.date:
            data["first_date"] = min(filter(None, (data["first_date"], e.date)))
            data["last_date"] = max(filter(None, (data["last_date"], e.date)))
            dates.append(e.date)
        data["evidence"].append(
            {
                "article": e.article,
                "date": e.date,
                "sentence": e.sentence,
                "text": e.evidence,
                "title": e.title,
                "url": e.url,
                "source_text": e.source_text,
                "target_text": e.target_text,
                "trigger": e.trigger,
                "confidence": e.confidence,
            }
        )
        articles.add(e.article)
    for _, _, data in graph.edges(data=True):
        data["weight"] = len(data["articles"])
        data["articles"] = sorted(data["articles"])
        data["evidence"].sort(key=lambda ev: (ev["date"] or "", ev["article"], ev["sentence"]), reverse=True)
    for _, data in graph.nodes(data=True):
        data["weight"] = len(data.pop("articles"))
    graph.graph.update(
        articles=len(articles),
        events=sum(d["mentions"] for _, _, d in graph.edges(data=True)),
        first_date=min(dates) if dates else None,
        last_date=max(dates) if dates else None,
    )
    return graph


def strongest_edges(graph: nx.MultiDiGraph, n: int = 10, include_negated: bool = False) -> list[tuple[str, str, dict[str, Any]]]:
    """The ``n`` edges stated by the most articles (then mentions), strongest first."""
    edges = [(u, v, d) for u, v, d in graph.edges(data=True) if include_negated or not d["negated"]]
    edges.sort(key=lambda e: (-e[2]["weight"], -e[2]["mentions"], e[0], e[2]["relation"], e[1]))
    return edges[:n]


def without_negated(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of the graph without the negated edges (and actors left with no edge)."""
    kept = nx.MultiDiGraph(**graph.graph)
    for u, v, k, d in graph.edges(keys=True, data=True):
        if not d["negated"]:
            for n in (u, v):
                if n not in kept:
                    kept.add_node(n, **graph.nodes[n])
            kept.add_edge(u, v, key=k, **d)
    return kept
