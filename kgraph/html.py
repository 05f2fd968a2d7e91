"""The interactive HTML explorer: pyvis's Network rendered with kgraph's own template.

The page is one self-contained file that works offline from disk: vis-network's script and
stylesheet (shipped inside pyvis) are inlined, nothing is loaded from a CDN, and a
Content-Security-Policy allows only the page's own two scripts (by hash) and no request at all.

Article text never becomes markup. The graph travels as JSON in a ``<script
type="application/json">`` block (``tojson`` escapes ``<``, ``>``, ``&`` and quotes, so a
``</script>`` in a headline cannot close it), and the page's script shows every string with
``textContent``; links are made only for ``http``/``https`` URLs.

Large graphs open showing their ``max_edges`` strongest relations (most articles, then most
mentions); the page says so and offers to show more. A page carries at most ``PAGE_EDGES``
relations with ``PAGE_EVIDENCE`` sentences each (the strongest, the newest), so its size is
bounded whatever the corpus; it says so, and ``kgraph evidence`` lists every sentence.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import heapq
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
import pyvis
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup
from pyvis.network import Network

from .export import EvidenceSource, sentences
from .graph import Counts, shown_counts
from .records import QUAD_CLASS, RELATIONS, clean_label

RELATION_COLORS: dict[str, str] = {
    "supports": "#2e7d32",
    "partners-with": "#1565c0",
    "meets": "#00838f",
    "warns": "#f9a825",
    "demands": "#ef6c00",
    "criticizes": "#8e24aa",
    "sanctions": "#6d4c41",
    "attacks": "#c62828",
    "opposes": "#ad1457",
}
QUAD_COLORS: dict[str, str] = {"cooperation": "#2e7d32", "conflict": "#c62828"}
KIND_COLORS: dict[str, str] = {"state": "#90caf9", "organization": "#ffe082", "group": "#ef9a9a", "other": "#e0e0e0"}
VIS_VERSION = "vis-9.1.2"
#: Above this many relations the page opens with the strongest ones only.
DEFAULT_MAX_EDGES = 400
#: The most relations one page carries (the strongest) and the evidence sentences it carries per
#: relation (the newest): the page of a million-event store stays one a browser opens, and its
#: size and the memory to write it stop growing with the corpus. graph.graphml keeps them all.
PAGE_EDGES = 10_000
PAGE_EVIDENCE = 20
#: The newest evidence entries whose dates a page edge lists for the date filter.
PAGE_DATES = 50
#: Where the page data is cut to stream its edges (no JSON or page text holds it).
_DATA_MARK = "\x00kgraph-data\x00"


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    lib = Path(pyvis.__file__).parent / "lib" / VIS_VERSION
    return (lib / "vis-network.min.js").read_text(encoding="utf-8"), (lib / "vis-network.css").read_text(encoding="utf-8")


def _csp_hash(script: str) -> str:
    """The CSP source expression allowing exactly this inline script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(str(script).encode("utf-8")).digest()).decode("ascii") + "'"


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(files("kgraph") / "templates")),
        autoescape=jinja2.select_autoescape(["html"]),
    )
    env.filters["csp_hash"] = _csp_hash
    return env.get_template("graph.html")


def _strength(item: tuple[str, str, dict[str, Any]]) -> tuple[Any, ...]:
    u, v, d = item
    return (-int(d.get("weight", 0)), -int(d.get("mentions", 0)), -float(d.get("confidence", 0.0)), u, d["relation"], v, bool(d["negated"]))


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def describe_filters(filters: Any) -> str:
    """The filters a graph was built with, as one line of text ("" when none)."""
    if not filters:
        return ""
    if isinstance(filters, dict):
        return "; ".join(f"{k}: {', '.join(map(str, v)) if isinstance(v, (list, tuple, set)) else v}" for k, v in filters.items() if v not in (None, "", [], ()))
    if isinstance(filters, (list, tuple, set)):
        return "; ".join(map(str, filters))
    return str(filters)


def _ranked(graph: nx.MultiDiGraph, max_relations: int | None) -> list[tuple[Any, Any, dict[str, Any]]]:
    """The page's relations: the strongest ``max_relations`` (all with None), strongest first."""
    edges = graph.edges(data=True)
    if max_relations is None:
        return sorted(edges, key=_strength)
    return heapq.nsmallest(max_relations, edges, key=_strength)  # sorted(...)[:n] without sorting them all


#: The gazetteer's forms the page's search also finds an actor by ("Moscow", "Kremlin" for Russia).
ALIAS_FORMS = ("name", "capital", "institution", "adjective")


@functools.lru_cache(maxsize=1)
def _builtin_forms() -> dict[str, dict[str, set[str]]]:
    from .gazetteer import Gazetteer

    return Gazetteer.load().forms


def aliases(actor: str, label: str) -> list[str]:
    """The other names of ``actor`` the search box knows: the built-in gazetteer's names, capital,
    institutions and adjective (an actor from a user's --actors file has its label and id only)."""
    forms = _builtin_forms().get(actor, {})
    found = {form for via in ALIAS_FORMS for form in forms.get(via, ())}
    return sorted(found - {label, actor})


def network(graph: nx.MultiDiGraph, ranked: list[tuple[Any, Any, dict[str, Any]]]) -> Network:
    """A pyvis Network of the actors of the ``ranked`` relations (all actors when that is every
    relation); the page's edges come from :func:`edge_records`, one at a time."""
    net = Network(directed=True, height="100%", width="100%")
    kept = graph.nodes if len(ranked) == graph.number_of_edges() else {n for u, v, _ in ranked for n in (u, v)}
    for node, data in graph.nodes(data=True):
        if node not in kept:
            continue
        label = clean_label(str(data.get("label") or node))
        kind = str(data.get("kind", "other"))
        weight = int(data.get("weight", 0))
        net.add_node(
            str(node),
            label=label,
            title=f"{label} ({node})\n{kind}, in {_count(weight, 'article')}",
            value=max(weight, 1),
            color=KIND_COLORS.get(kind, KIND_COLORS["other"]),
            kind=kind,
            weight=weight,
            mentions=int(data.get("mentions", 0)),
            aliases=aliases(str(node), label),
        )
    return net


def edge_records(
    graph: nx.MultiDiGraph,
    ranked: list[tuple[Any, Any, dict[str, Any]]],
    max_evidence: int = PAGE_EVIDENCE,
    evidence: EvidenceSource | None = None,
) -> Iterator[dict[str, Any]]:
    """The page's edge records (vis-network edges with kgraph's fields), strongest first, each with
    its newest ``max_evidence`` sentences (from ``evidence`` when given, else from the edge)."""
    pairs: Counter[frozenset[str]] = Counter()  # parallel edges of one pair get growing curvature so none hides another
    for rank, (u, v, data) in enumerate(ranked):
        relation = data["relation"]
        negated = bool(data["negated"])
        directed = bool(data.get("directed", True))
        entries = sentences(u, v, data, evidence, max(PAGE_DATES, max_evidence))
        first, last = data.get("first_date"), data.get("last_date")
        pair = frozenset((str(u), str(v)))
        bend = pairs[pair]
        pairs[pair] += 1
        arrow = "->" if directed else "--"
        yield {
            "from": str(u),
            "to": str(v),
            "id": f"e{rank}",
            "title": (
                f"{clean_label(str(graph.nodes[u].get('label', u)))} {arrow} {relation}{' (denied)' if negated else ''} {arrow} "
                f"{clean_label(str(graph.nodes[v].get('label', v)))}\n{_count(int(data['weight']), 'article')}, {_count(int(data['mentions']), 'mention')}"
                + (f"\n{first} to {last}" if first else "")
                + "\nclick for the evidence"
            ),
            "relation": relation,
            "negated": negated,
            "directed": directed,
            "quad": QUAD_CLASS.get(relation, data.get("quad_class", "")),
            "weight": int(data["weight"]),
            "mentions": int(data["mentions"]),
            "first_date": first,
            "last_date": last,
            "dates": sorted({str(ev["date"])[:10] for ev in entries if ev.get("date")}),
            "width": 1 + min(int(data["weight"]), 8),
            "smooth": {"type": "curvedCW", "roundness": round(0.12 + 0.18 * bend, 2)},
            "evidence": [{k: ev.get(k) for k in ("article", "date", "text", "title", "url")} for ev in entries[:max_evidence]],
        }


def _page(
    graph: nx.MultiDiGraph, title: str, max_edges: int, page_edges: int, page_evidence: int, evidence: EvidenceSource | None
) -> tuple[dict[str, Any], Iterator[dict[str, Any]]]:
    """The page's data without its edges, and the edges to stream after it."""
    if max_edges < 1:
        raise ValueError(f"max_edges must be at least 1, not {max_edges}")
    ranked = _ranked(graph, page_edges)
    present = Counter(d["relation"] for _, _, d in ranked)
    counts = shown_counts(graph)
    info: dict[str, Any] = {
        "title": title,
        "articles": int(graph.graph.get("articles", 0)),
        "events": counts.events,
        "relations": counts.relations,
        "denied_events": counts.denied_events,
        "denied_relations": counts.denied_relations,
        "first_date": graph.graph.get("first_date"),
        "last_date": graph.graph.get("last_date"),
        "actors": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "page_edges": len(ranked),
        "negated": sum(1 for _, _, d in ranked if d["negated"]),
        "filters": describe_filters(graph.graph.get("filters")),
    }
    data = {
        "nodes": network(graph, ranked).nodes,
        "relations": [
            {"name": r, "color": RELATION_COLORS.get(r, "#757575"), "quad": QUAD_CLASS[r], "count": present.get(r, 0)} for r in RELATIONS
        ],
        "quad_colors": QUAD_COLORS,
        "max_edges": int(max_edges),
        "info": info,
    }
    return data, edge_records(graph, ranked, page_evidence, evidence)


def page_data(
    graph: nx.MultiDiGraph,
    title: str = "kgraph",
    max_edges: int = DEFAULT_MAX_EDGES,
    page_edges: int = PAGE_EDGES,
    page_evidence: int = PAGE_EVIDENCE,
    evidence: EvidenceSource | None = None,
) -> dict[str, Any]:
    """Everything the page's script reads: nodes, ranked edges, legend and what the graph was built from."""
    data, edges = _page(graph, title, max_edges, page_edges, page_evidence, evidence)
    return {**data, "edges": list(edges)}


def summary(info: dict[str, Any]) -> str:
    """One line saying what the page shows and what it was built from."""
    dates = ""
    if info.get("first_date"):
        dates = f", {info['first_date']}" + (f" to {info['last_date']}" if info.get("last_date") != info["first_date"] else "")
    counts = Counts(info["events"], info["relations"], info.get("denied_events", 0), info.get("denied_relations", 0))
    text = f"{_count(info['actors'], 'actor')}, {counts.describe()}, from {_count(info['articles'], 'article')}{dates}"
    if info.get("page_edges", info["edges"]) < info["edges"]:
        text += f"; the page holds the strongest {info['page_edges']:,} (graph.graphml has them all)"
    return text + (f"; filters: {info['filters']}" if info.get("filters") else "")


def html_chunks(
    graph: nx.MultiDiGraph,
    title: str = "kgraph",
    max_edges: int = DEFAULT_MAX_EDGES,
    page_edges: int = PAGE_EDGES,
    page_evidence: int = PAGE_EVIDENCE,
    evidence: EvidenceSource | None = None,
) -> Iterator[str]:
    """The explorer page for ``graph``, piece by piece: at most ``max_edges`` relations show at first,
    and the page carries at most ``page_edges`` relations with ``page_evidence`` sentences each
    (from ``evidence`` when given: see :data:`kgraph.export.EvidenceSource`). Its edges are written
    one at a time, so memory holds one relation's sentences, not the page's."""
    data, edges = _page(graph, title, max_edges, page_edges, page_evidence, evidence)
    vis_js, vis_css = _vis_assets()
    page = _template().render(
        title=title,
        summary=summary(data["info"]),
        data_json=Markup(_DATA_MARK),
        vis_js=Markup(vis_js),
        vis_css=Markup(vis_css),
        vis_hash=_csp_hash(vis_js),
    )
    head, tail = page.rsplit(_DATA_MARK, 1)  # the last mark: a title (shown before the data) may hold anything
    # the JSON of the data with "edges" last, its edges streamed; htmlsafe_json_dumps is what
    # the template's tojson does: <, >, & and ' escaped, so no string can close the script block
    yield head + str(htmlsafe_json_dumps(data))[:-1] + ', "edges": ['
    for n, edge in enumerate(edges):
        yield ("," if n else "") + str(htmlsafe_json_dumps(edge))
    yield "]}" + tail


def render_html(
    graph: nx.MultiDiGraph,
    title: str = "kgraph",
    max_edges: int = DEFAULT_MAX_EDGES,
    page_edges: int = PAGE_EDGES,
    page_evidence: int = PAGE_EVIDENCE,
    evidence: EvidenceSource | None = None,
) -> str:
    """The explorer page for ``graph`` as one HTML string (see :func:`html_chunks`)."""
    return "".join(html_chunks(graph, title, max_edges, page_edges, page_evidence, evidence))
