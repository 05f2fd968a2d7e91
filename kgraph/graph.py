"""Events -> one networkx MultiDiGraph: a node per actor, an edge per relation.

Merging across articles is an aggregation over events, never a compose of per-article graphs:
an edge (source, relation, target, negated) carries ``weight`` (distinct articles stating it),
``mentions`` (events), ``first_date``/``last_date`` and its full ``evidence`` list. For the
symmetric relations (partners-with, meets) the pair is stored once, ordered by id, with
``directed=False``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # networkx loads on first use: `kgraph build` with nothing new never needs it
    import networkx as nx

from .records import QUAD_CLASS, SYMMETRIC, Event

#: What a graph's ``filters`` attribute adds when the texts' denials were left out of it (its
#: ``denied_events`` and ``denied_relations`` still count them, as ``kgraph stats`` does).
DENIED_LEFT_OUT = "denied relations left out (--include-negated keeps them)"


@dataclass(frozen=True)
class Counts:
    """How much a graph holds, counted one way by every output: events and relations (edges) the
    texts state, and apart from them those the texts deny."""

    events: int
    relations: int
    denied_events: int = 0
    denied_relations: int = 0

    def describe(self, denied_left_out: bool = False) -> str:
        """``55 events in 41 relations; denied: 3 events in 3 relations`` (``..., left out`` when the
        output holds no denied relation although the store has them)."""
        text = f"{_plural(self.events, 'event')} in {_plural(self.relations, 'relation')}"
        if self.denied_relations:
            text += f"; denied: {_plural(self.denied_events, 'event')} in {_plural(self.denied_relations, 'relation')}"
            text += " (left out; --include-negated keeps them)" if denied_left_out else ""
        return text


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def graph_counts(graph: nx.MultiDiGraph) -> Counts:
    """The :class:`Counts` of a graph's edges (an edge's ``mentions`` are its events)."""
    stated = [int(d["mentions"]) for _, _, d in graph.edges(data=True) if not d["negated"]]
    denied = [int(d["mentions"]) for _, _, d in graph.edges(data=True) if d["negated"]]
    return Counts(sum(stated), len(stated), sum(denied), len(denied))


def shown_counts(graph: nx.MultiDiGraph) -> Counts:
    """:func:`graph_counts`, with the denied relations a store's graph left out (its
    ``denied_events`` and ``denied_relations`` attributes) when it holds none."""
    counts = graph_counts(graph)
    if counts.denied_relations or not graph.graph.get("denied_relations"):
        return counts
    return Counts(counts.events, counts.relations, int(graph.graph["denied_events"]), int(graph.graph["denied_relations"]))


def count_attributes(graph: nx.MultiDiGraph) -> dict[str, int]:
    """The graph attributes every written graph carries: ``events`` and ``relations`` stated,
    ``denied_events`` and ``denied_relations``."""
    c = graph_counts(graph)
    return {"events": c.events, "relations": c.relations, "denied_events": c.denied_events, "denied_relations": c.denied_relations}


def edge_key(relation: str, negated: bool) -> str:
    """The MultiDiGraph key of an edge: its relation, marked when negated."""
    return f"{relation}|negated" if negated else relation


def edge_order(item: tuple[Any, ...]) -> tuple[str, str, str, bool]:
    """The sort key of a ``(u, v, data)`` or ``(u, v, key, data)`` edge: source, target, relation,
    negated. File writers write edges in this order, the order in which
    :meth:`kgraph.store.Store.evidence_source` reads its one sorted pass (Python's string order
    is SQLite's byte order of UTF-8)."""
    data = item[-1]
    return (str(item[0]), str(item[1]), str(data["relation"]), bool(data["negated"]))


def ordered_edges(graph: nx.MultiDiGraph) -> Iterator[tuple[Any, Any, Any, dict[str, Any]]]:
    """``graph.edges(keys=True, data=True)`` in :func:`edge_order`, sorted one source at a time:
    the same order as sorting every edge, without a list of them all (on a build's graph of
    130,000 relations that list and its sort keys were the writers' biggest allocation)."""
    if not graph.is_directed() or not graph.is_multigraph():
        yield from sorted(graph.edges(keys=True, data=True), key=edge_order)
        return
    for u in sorted(graph, key=str):
        nbrs = graph.succ[u]
        for v in sorted(nbrs, key=str):
            for key, data in sorted(nbrs[v].items(), key=lambda item: (str(item[1]["relation"]), bool(item[1]["negated"]))):
                yield u, v, key, data


def build_graph(events: Iterable[Event], kinds: dict[str, str] | None = None) -> nx.MultiDiGraph:
    """Aggregate events into a graph; ``kinds`` maps actor ids to state/organization/group."""
    import networkx as nx

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
            if not e.negated:  # an actor's mentions and weight count what the texts state, as the edges' counts do
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
        **count_attributes(graph),
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
    import networkx as nx

    kept = nx.MultiDiGraph(**graph.graph)
    for u, v, k, d in graph.edges(keys=True, data=True):
        if not d["negated"]:
            for n in (u, v):
                if n not in kept:
                    kept.add_node(n, **graph.nodes[n])
            kept.add_edge(u, v, key=k, **d)
    return kept


@dataclass(frozen=True)
class GraphFilter:
    """What a graph-producing command keeps (every field optional; the default keeps all but negated edges).

    ``since``/``until`` (ISO dates, inclusive) drop undated events; ``relations`` keeps those
    relations; ``actor`` with ``depth`` keeps its ego network (edges in either direction);
    ``min_weight`` and ``top`` keep the strongest edges; negated edges need ``include_negated``.
    """

    since: str | None = None
    until: str | None = None
    relations: tuple[str, ...] = ()
    actor: str | None = None
    depth: int = 1
    min_weight: int = 0
    top: int | None = None
    include_negated: bool = False

    def describe(self) -> str:
        """The filters as a short text (shown by the HTML page and the CLI); '' when none."""
        parts = []
        if self.since or self.until:
            parts.append(f"dates {self.since or '…'} to {self.until or '…'}")
        if self.relations:
            parts.append("relations " + ", ".join(self.relations))
        if self.actor:
            parts.append(f"within {self.depth} step(s) of {self.actor}")
        if self.min_weight:
            parts.append(f"weight >= {self.min_weight}")
        if self.top:
            parts.append(f"top {self.top} edges")
        if self.include_negated:
            parts.append("negated edges included")
        return "; ".join(parts)


def filter_graph(graph: nx.MultiDiGraph, f: GraphFilter) -> nx.MultiDiGraph:
    """A new graph with the filters applied (dates, relations, negation, weight, ego network, top)."""
    import networkx as nx

    edges = [
        (u, v, k, d)
        for u, v, k, d in graph.edges(keys=True, data=True)
        if (f.include_negated or not d["negated"])
        and (not f.relations or d["relation"] in f.relations)
        and int(d["weight"]) >= f.min_weight
        and (not f.since or (d.get("last_date") or "") >= f.since)
        and (not f.until or (d.get("first_date") or "9999") <= f.until)
    ]
    if f.actor is not None:
        adjacency: dict[str, set[str]] = {}
        for u, v, _, _ in edges:
            adjacency.setdefault(u, set()).add(v)
            adjacency.setdefault(v, set()).add(u)
        reached, frontier = {f.actor}, {f.actor}
        for _ in range(max(f.depth, 0)):
            frontier = {n for m in frontier for n in adjacency.get(m, ())} - reached
            reached |= frontier
        edges = [e for e in edges if e[0] in reached and e[1] in reached]
    if f.top is not None:
        edges.sort(key=lambda e: (-int(e[3]["weight"]), -int(e[3].get("reports", 0)), -int(e[3]["mentions"]), e[0], e[2], e[1]))
        edges = edges[: f.top]
    kept = nx.MultiDiGraph(**graph.graph)
    for u, v, k, d in edges:
        for n in (u, v):
            if n not in kept:
                kept.add_node(n, **graph.nodes[n])
        kept.add_edge(u, v, key=k, **d)
    if f.actor is not None and f.actor in graph and f.actor not in kept:
        kept.add_node(f.actor, **graph.nodes[f.actor])
    return kept


def centrality(graph: nx.MultiDiGraph) -> list[tuple[str, float, int]]:
    """(actor, PageRank, degree) for every actor, most central first (PageRank weighted by stories)."""
    import networkx as nx

    if graph.number_of_nodes() == 0:
        return []
    simple = nx.DiGraph()
    simple.add_nodes_from(graph.nodes)
    for u, v, d in graph.edges(data=True):
        pairs = [(u, v)] if d.get("directed", True) else [(u, v), (v, u)]
        for a, b in pairs:
            weight = simple.edges[a, b]["weight"] if simple.has_edge(a, b) else 0
            simple.add_edge(a, b, weight=weight + int(d["weight"]))
    rank = nx.pagerank(simple, weight="weight")
    found = [(n, float(rank[n]), int(graph.degree(n))) for n in graph.nodes]
    found.sort(key=lambda x: (-x[1], -x[2], x[0]))
    return found


def pairs_by_quad_class(graph: nx.MultiDiGraph) -> tuple[list[tuple[tuple[str, str], int]], list[tuple[tuple[str, str], int]]]:
    """The actor pairs with the most cooperation stories, and with the most conflict stories (negated edges left out)."""
    totals: dict[str, dict[tuple[str, str], int]] = {"cooperation": {}, "conflict": {}}
    for u, v, d in graph.edges(data=True):
        if d["negated"]:
            continue
        pair = (min(u, v), max(u, v))
        bucket = totals[QUAD_CLASS[d["relation"]]]
        bucket[pair] = bucket.get(pair, 0) + int(d["weight"])
    ranked = [sorted(totals[c].items(), key=lambda x: (-x[1], x[0])) for c in ("cooperation", "conflict")]
    return ranked[0], ranked[1]
