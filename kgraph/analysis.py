"""Tables over a built graph and its events, for notebooks and reports (pure: no IO, no plotting).

Each function takes the networkx graph of :func:`kgraph.build_graph` or ``Store.graph`` (or the
events) and returns plain rows that a notebook turns into a table or a chart:

- :func:`edge_rows`: the strongest edges with counts, dates and their newest sentence;
- :func:`events_per_month`: events per month and relation;
- :func:`pair_balance` and :func:`balance_matrix`: cooperation versus conflict per actor pair;
- :func:`communities`: groups of actors tied by (cooperative) relations;
- :func:`edge_timeline`: how one edge built up over time, sentence by sentence.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .graph import strongest_edges
from .records import RELATIONS, SYMMETRIC, Event

if TYPE_CHECKING:
    import networkx as nx


def edge_rows(graph: nx.MultiDiGraph, n: int | None = 10, include_negated: bool = False) -> list[dict[str, Any]]:
    """The ``n`` strongest edges (all with None) as table rows, strongest first."""
    edges = strongest_edges(graph, graph.number_of_edges() if n is None else n, include_negated)
    rows = []
    for u, v, d in edges:
        evidence = d.get("evidence") or []
        rows.append(
            {
                "source": u,
                "relation": d["relation"] + (" (denied)" if d["negated"] else ""),
                "target": v,
                "weight": int(d["weight"]),
                "mentions": int(d["mentions"]),
                "first_date": d.get("first_date"),
                "last_date": d.get("last_date"),
                "evidence": evidence[0]["text"] if evidence else "",
            }
        )
    return rows


def events_per_month(events: Iterable[Event], include_negated: bool = False) -> dict[str, dict[str, int]]:
    """``{"YYYY-MM": {relation: events}}`` for dated events, months in order, every relation present (0 if none)."""
    counts: dict[str, Counter[str]] = {}
    for e in events:
        if e.date and (include_negated or not e.negated):
            counts.setdefault(e.date[:7], Counter())[e.relation] += 1
    return {month: {r: counts[month][r] for r in RELATIONS} for month in sorted(counts)}


@dataclass(frozen=True)
class PairBalance:
    """Cooperation and conflict between two actors (``a`` < ``b``), counted in articles/stories (edge weights)."""

    a: str
    b: str
    cooperation: int
    conflict: int

    @property
    def total(self) -> int:
        return self.cooperation + self.conflict

    @property
    def balance(self) -> float:
        """From -1 (only conflict) to +1 (only cooperation)."""
        return (self.cooperation - self.conflict) / self.total if self.total else 0.0


def pair_balance(graph: nx.MultiDiGraph) -> list[PairBalance]:
    """Every actor pair with a relation, cooperation and conflict weights summed over both directions; busiest first.

    Denied relations are left out: "is not sending weapons" is neither cooperation nor conflict.
    """
    totals: dict[tuple[str, str], Counter[str]] = {}
    for u, v, d in graph.edges(data=True):
        if not d["negated"]:
            totals.setdefault((min(u, v), max(u, v)), Counter())[d["quad_class"]] += int(d["weight"])
    pairs = [PairBalance(a, b, c["cooperation"], c["conflict"]) for (a, b), c in totals.items()]
    pairs.sort(key=lambda p: (-p.total, p.a, p.b))
    return pairs


def balance_matrix(graph: nx.MultiDiGraph, top: int = 12) -> tuple[list[str], list[list[float | None]]]:
    """The ``top`` actors with the most weight in pairs, and a symmetric matrix of their pairs' balance (None: no relation)."""
    pairs = pair_balance(graph)
    involvement: Counter[str] = Counter()
    for p in pairs:
        involvement[p.a] += p.total
        involvement[p.b] += p.total
    actors = [a for a, _ in sorted(involvement.items(), key=lambda x: (-x[1], x[0]))[:top]]
    index = {a: i for i, a in enumerate(actors)}
    matrix: list[list[float | None]] = [[None] * len(actors) for _ in actors]
    for p in pairs:
        if p.a in index and p.b in index:
            matrix[index[p.a]][index[p.b]] = matrix[index[p.b]][index[p.a]] = p.balance
    return actors, matrix


def communities(graph: nx.MultiDiGraph, quad_class: str | None = "cooperation", seed: int = 0) -> list[set[str]]:
    """Groups of actors (Louvain on the undirected weighted graph), largest first.

    With ``quad_class="cooperation"`` only cooperative relations tie actors (blocs of partners);
    with None every non-denied relation does. Actors without such a relation are left out.
    """
    import networkx as nx

    simple = nx.Graph()
    for u, v, d in graph.edges(data=True):
        if d["negated"] or (quad_class and d["quad_class"] != quad_class):
            continue
        weight = simple.edges[u, v]["weight"] if simple.has_edge(u, v) else 0
        simple.add_edge(u, v, weight=weight + int(d["weight"]))
    if simple.number_of_edges() == 0:
        return []
    found = nx.community.louvain_communities(simple, weight="weight", seed=seed)
    return sorted((set(c) for c in found), key=lambda c: (-len(c), sorted(c)))


def edge_timeline(graph: nx.MultiDiGraph, source: str, relation: str, target: str, negated: bool = False) -> list[dict[str, Any]]:
    """The evidence of one edge, oldest first, with the running count of distinct articles stating it.

    Symmetric relations (partners-with, meets) are found in either order. Empty when the edge is not there.
    """
    key = f"{relation}|negated" if negated else relation
    ends = [(source, target), (target, source)] if relation in SYMMETRIC else [(source, target)]
    for u, v in ends:
        if graph.has_edge(u, v, key):
            evidence = graph.edges[u, v, key].get("evidence") or []
            break
    else:
        return []
    rows, seen = [], set()
    for ev in sorted(evidence, key=lambda ev: (ev.get("date") or "9999", ev["article"], ev["sentence"])):
        seen.add(ev["article"])
        rows.append(
            {
                "date": ev.get("date"),
                "articles": len(seen),
                "title": ev.get("title") or ev["article"],
                "evidence": ev["text"],
            }
        )
    return rows


__all__ = ["PairBalance", "balance_matrix", "communities", "edge_rows", "edge_timeline", "events_per_month", "pair_balance"]
