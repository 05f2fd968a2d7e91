"""Views of the graph and the events as files: events JSONL, GraphML, and the HTML page.

Every writer is atomic: it writes a temporary file beside the target and renames it, so an
interrupted run leaves the previous output intact.

GraphML (for Gephi) holds scalar attributes only: lists (articles, evidence) are flattened
to text, missing dates become empty strings, and each edge keeps ``relation``, ``label``,
``weight`` and ``negated``. Parallel relations between the same pair stay distinct edges,
keyed by relation.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import networkx as nx

from .records import Event


@contextmanager
def atomic_write(path: str | Path, mode: str = "w") -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; rename it over ``path`` only on success."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else "utf-8", newline=None if "b" in mode else "\n") as handle:
            yield handle
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_events(events: Iterable[Event], out: IO[str]) -> int:
    """Write events as JSON lines to an open text stream; returns how many."""
    n = 0
    for event in events:
        out.write(json.dumps(event.to_dict(), ensure_ascii=False) + "\n")
        n += 1
    return n


def read_events(path: str | Path) -> list[Event]:
    """Events from an ``events.jsonl`` file."""
    with open(path, encoding="utf-8") as handle:
        return [Event.from_dict(json.loads(line)) for line in handle if line.strip()]


def _xml_safe(text: str) -> str:
    """Text without the characters XML 1.0 cannot hold (control characters, lone surrogates)."""
    return "".join(
        ch
        for ch in text
        if ch in "\t\n\r" or ("\x20" <= ch <= "\ud7ff") or ("\ue000" <= ch <= "\ufffd") or ch > "\uffff"
    )


def evidence_text(evidence: list[dict[str, Any]], limit: int = 50) -> str:
    """Evidence sentences flattened to text, newest first: ``[date] article: sentence``."""
    lines = [f"[{ev.get('date') or 'undated'}] {ev.get('article')}: {ev.get('text')}" for ev in evidence[:limit]]
    if len(evidence) > limit:
        lines.append(f"... and {len(evidence) - limit} more")
    return "\n".join(lines)


def graphml_view(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of the graph with scalar, XML-safe attributes only (what GraphML can hold)."""
    flat = nx.MultiDiGraph()
    flat.graph.update({k: _xml_safe(str(v)) if isinstance(v, str) else v for k, v in graph.graph.items() if v is not None})
    for node, data in graph.nodes(data=True):
        flat.add_node(
            node,
            label=_xml_safe(str(data.get("label", node))),
            kind=str(data.get("kind", "other")),
            mentions=int(data.get("mentions", 0)),
            weight=int(data.get("weight", 0)),
        )
    for u, v, key, data in graph.edges(keys=True, data=True):
        flat.add_edge(
            u,
            v,
            key=key,
            label=data["relation"] + (" (denied)" if data["negated"] else ""),
            relation=data["relation"],
            negated=bool(data["negated"]),
            directed=bool(data.get("directed", True)),
            quad_class=data.get("quad_class", ""),
            weight=int(data["weight"]),
            mentions=int(data["mentions"]),
            confidence=float(data.get("confidence", 0.0)),
            first_date=data.get("first_date") or "",
            last_date=data.get("last_date") or "",
            articles=_xml_safe("; ".join(data.get("articles", []))),
            evidence=_xml_safe(evidence_text(data.get("evidence", []))),
        )
    return flat


def write_graphml(graph: nx.MultiDiGraph, path: str | Path) -> None:
    """Write GraphML that Gephi opens (see the module docstring for what is flattened)."""
    with atomic_write(path, "wb") as handle:
        nx.write_graphml(graphml_view(graph), handle, encoding="utf-8")


def write_html(graph: nx.MultiDiGraph, path: str | Path, title: str = "kgraph", max_edges: int | None = None) -> None:
    """Write the self-contained explorer page (see :mod:`kgraph.html`); ``max_edges`` relations show at first."""
    from .html import DEFAULT_MAX_EDGES, render_html

    with atomic_write(path) as handle:
        handle.write(render_html(graph, title=title, max_edges=max_edges or DEFAULT_MAX_EDGES))


__all__ = [

    "atomic_write",
    "evidence_text",
    "graphml_view",
    "read_events",
    "write_events",
    "write_graphml",
    "write_html",
]
