"""The interactive HTML page: pyvis's Network rendered with kgraph's own template.

The page is one self-contained file: vis-network's script and stylesheet (shipped inside
pyvis) are inlined, and nothing is loaded from a CDN, so it works offline from disk. All
article text reaches the page as JSON data (``tojson`` escapes ``<``, ``>``, ``&`` and
quotes) and is shown with ``textContent`` or vis-network's plain-text tooltips: a headline
carrying ``<script>`` is displayed, never run.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
import pyvis
from pyvis.network import Network

from .records import QUAD_CLASS, RELATIONS

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
KIND_COLORS: dict[str, str] = {"state": "#90caf9", "organization": "#ffe082", "group": "#ef9a9a", "other": "#e0e0e0"}
VIS_VERSION = "vis-9.1.2"


def _vis_assets() -> tuple[str, str]:
    lib = Path(pyvis.__file__).parent / "lib" / VIS_VERSION
    return (lib / "vis-network.min.js").read_text(encoding="utf-8"), (lib / "vis-network.css").read_text(encoding="utf-8")


def network(graph: nx.MultiDiGraph) -> Network:
    """A pyvis Network of the graph (built from a copy: the caller's graph is not touched)."""
    net = Network(directed=True, height="100%", width="100%")
    for node, data in graph.nodes(data=True):
        label = str(data.get("label", node))
        net.add_node(
            node,
            label=label,
            title=f"{label} ({node})\n{data.get('kind', 'other')}, in {data.get('weight', 0)} article(s)",
            value=int(data.get("weight", 1)),
            color=KIND_COLORS.get(str(data.get("kind")), KIND_COLORS["other"]),
            kind=str(data.get("kind", "other")),
        )
    for n, (u, v, data) in enumerate(graph.edges(data=True)):
        relation = data["relation"]
        evidence = data.get("evidence", [])
        tooltip = (
            f"{graph.nodes[u].get('label', u)} {relation}{' (denied)' if data['negated'] else ''} "
            f"{graph.nodes[v].get('label', v)}\n"
            f"{data['weight']} article(s), {data['mentions']} mention(s)"
            f"{', ' + (data.get('first_date') or '') + ' to ' + (data.get('last_date') or '') if data.get('first_date') else ''}\n"
            + "\n".join(f"- {ev['text'][:300]}" for ev in evidence[:3])
        )
        net.add_edge(
            u,
            v,
            id=f"e{n}",
            title=tooltip,
            relation=relation,
            negated=bool(data["negated"]),
            quad=QUAD_CLASS[relation],
            color=RELATION_COLORS[relation],
            dashes=bool(data["negated"]),
            width=1 + min(int(data["weight"]), 10),
            arrows={"to": {"enabled": bool(data.get("directed", True))}},
            weight=int(data["weight"]),
            first_date=data.get("first_date"),
            last_date=data.get("last_date"),
            evidence=[
                {k: ev.get(k) for k in ("article", "date", "text", "title", "url")} for ev in evidence
            ],
        )
    return net


def render_html(graph: nx.MultiDiGraph, title: str = "kgraph") -> str:
    """The page for ``graph`` as one HTML string."""
    net = network(graph)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(files("kgraph") / "templates")),
        autoescape=jinja2.select_autoescape(["html"]),
    )
    template = env.get_template("graph.html")
    vis_js, vis_css = _vis_assets()
    info: dict[str, Any] = {
        "articles": graph.graph.get("articles", 0),
        "events": graph.graph.get("events", 0),
        "first_date": graph.graph.get("first_date"),
        "last_date": graph.graph.get("last_date"),
        "actors": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "filters": graph.graph.get("filters", ""),
    }
    return template.render(
        title=title,
        nodes=net.nodes,
        edges=net.edges,
        relations=[{"name": r, "color": RELATION_COLORS[r], "quad": QUAD_CLASS[r]} for r in RELATIONS],
        info=info,
        vis_js=vis_js,
        vis_css=vis_css,
    )
