"""Views of the graph and the events as files: events JSONL, GraphML, GEXF, JSON, CSV, HTML.

Every writer follows the output rule of :mod:`kgraph.outputs`: ``-`` is standard output, a
device or FIFO is written in place, and a regular file is written to a temporary file beside it
and renamed, so an interrupted run leaves the previous output intact. The limits of each format:

- **GraphML** (Gephi, yEd, igraph, Cytoscape) holds scalar attributes only: lists (evidence)
  are flattened to text (newest 50 sentences), missing dates become empty strings, dates are
  ISO strings and counts are numbers. Parallel relations between one pair stay distinct
  edges, labelled by relation (``attacks``, ``warns (denied)``) with their multigraph ``key``
  as data; edges carry no ``id``, because GraphML ids must be unique in the document.
- **GEXF** (Gephi): the same scalar attributes, and each dated edge carries ``start``/``end``
  (its first and last evidence dates) as its only time representation, so Gephi's timeline
  plays the graph over time. No list attribute is written (GEXF readers take lists for
  dynamic ``(value, start, end)`` data).

GraphML and GEXF are streamed from string templates, not built as XML trees: a graph of
250,000 edges with their evidence is written in seconds. Every flat writer and the page take an
optional ``evidence`` source (:data:`EvidenceSource`, e.g. :meth:`kgraph.store.Store.edge_evidence`):
then the graph's edges need carry no sentences, each edge's are fetched as it is written, and
writing takes memory for the graph alone whatever the corpus.
- **JSON**: networkx's node-link format (``edges`` key) with every attribute, including the
  full evidence lists; :func:`read_json` gives the same graph back.
- **CSV**: ``nodes.csv`` (``Id``, ``Label``, attributes) and ``edges.csv`` (``Source``,
  ``Target``, ``Type``, ``Id``, ``Label``, ``Weight``, attributes) in Gephi's spreadsheet
  layout, also loadable with Neo4j's ``LOAD CSV WITH HEADERS``; evidence is flattened text.
"""

from __future__ import annotations

import csv
import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:  # networkx loads on first use: `kgraph build` with nothing new never needs it
    import networkx as nx

from .graph import ordered_edges
from .outputs import alive as _alive  # noqa: F401  (kgraph.export._alive: its name before kgraph.outputs)
from .outputs import open_output, output_folder, remove_stale_temps
from .records import Event, clean_label

#: The old name of :func:`kgraph.outputs.open_output`.
atomic_write = open_output

#: Formats of ``kgraph export``.
FORMATS: tuple[str, ...] = ("graphml", "gexf", "json", "csv")
#: Evidence sentences the flat formats carry per edge (the newest).
EVIDENCE_TEXT_LIMIT = 50

#: Where a writer gets an edge's evidence instead of the edge's ``evidence`` attribute: called as
#: ``evidence(u, relation, v, negated, limit)``, it gives the edge's newest ``limit`` entries
#: (dicts as :meth:`kgraph.store.Store.graph` puts on edges). ``Store.evidence_source(f)`` is one
#: for the file writers (they ask in :func:`kgraph.graph.edge_order`); the page asks its edges
#: strongest first, so give it ``functools.partial(store.edge_evidence, f=f)`` (a query per edge).
EvidenceSource = Callable[[str, str, str, bool, int | None], list[dict[str, Any]]]


def sentences(u: Any, v: Any, data: dict[str, Any], evidence: EvidenceSource | None, limit: int | None) -> list[dict[str, Any]]:
    """An edge's newest ``limit`` evidence entries (all with None): from ``evidence`` when given,
    else from the edge."""
    if evidence is None:
        return list(data.get("evidence", []))[:limit]
    return evidence(str(u), str(data["relation"]), str(v), bool(data["negated"]), limit)


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


_XML_UNSAFE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_safe(text: str) -> str:
    """Text without the characters XML 1.0 cannot hold (control characters, lone surrogates)."""
    return _XML_UNSAFE.sub("", text)  # one regex pass: a big graph holds millions of evidence characters


def evidence_text(evidence: list[dict[str, Any]], limit: int = EVIDENCE_TEXT_LIMIT, total: int = 0) -> str:
    """Evidence sentences flattened to text, newest first: ``[date] article: sentence``; a last line
    says how many more there are (of ``total``, when the list holds only the newest)."""
    lines = [f"[{ev.get('date') or 'undated'}] {ev.get('article')}: {ev.get('text')}" for ev in evidence[:limit]]
    more = max(len(evidence), total) - len(lines)
    if more > 0:
        lines.append(f"... and {more} more")
    return "\n".join(lines)


def _edge_scalars(data: dict[str, Any], entries: list[dict[str, Any]], safe: bool = True) -> dict[str, Any]:
    """The scalar attributes of an edge that every flat format carries, with ``entries`` as its
    evidence (``safe``: evidence fit for XML)."""
    evidence = evidence_text(entries, total=int(data.get("mentions", 0)))
    return {
        "weight": int(data["weight"]),
        "stories": int(data.get("stories", data["weight"])),
        "reports": int(data.get("reports", len(data.get("articles", [])) or data["weight"])),
        "sources": int(data.get("sources", 0)),
        "mentions": int(data["mentions"]),
        "confidence": float(data.get("confidence", 0.0)),
        "first_date": data.get("first_date") or "",
        "last_date": data.get("last_date") or "",
        "evidence": _xml_safe(evidence) if safe else evidence,
    }


def write_graphml(graph: nx.MultiDiGraph, path: str | Path, evidence: EvidenceSource | None = None) -> None:
    """Write GraphML that Gephi opens (see the module docstring for what is flattened and for
    ``evidence``).

    Streamed straight to the file (no XML tree in memory): a graph of 250,000 edges with
    their evidence takes seconds, where networkx's writer takes half a minute.
    """
    with atomic_write(path) as handle:
        handle.writelines(graphml_chunks(graph, evidence))


#: GraphML ``attr.type`` of each Python type written.
_GRAPHML_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}
_NODE_KEYS = (("label", str), ("kind", str), ("mentions", int), ("weight", int))
_EDGE_KEYS = (
    ("label", str),
    ("relation", str),
    ("negated", bool),
    ("directed", bool),
    ("quad_class", str),
    ("weight", int),
    ("stories", int),
    ("reports", int),
    ("sources", int),
    ("mentions", int),
    ("confidence", float),
    ("first_date", str),
    ("last_date", str),
    ("evidence", str),
    ("key", str),  # the multigraph key: readers take it as the key of an edge without an id
)


def _xml_text(text: str) -> str:
    """Text fit for an XML element: unsafe characters dropped, markup characters escaped."""
    return _xml_safe(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xml_attr(text: str) -> str:
    """Text fit for a double-quoted XML attribute."""
    return _xml_text(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")


def _graphml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return _xml_text(str(value))


def graphml_chunks(graph: nx.MultiDiGraph, evidence: EvidenceSource | None = None) -> Iterator[str]:
    """The GraphML document of ``graph``, piece by piece (what :func:`write_graphml` writes)."""
    yield (
        "<?xml version='1.0' encoding='utf-8'?>\n"
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
    )
    scalars = (bool, int, float, str)
    graph_data = {k: v if isinstance(v, scalars) else str(v) for k, v in graph.graph.items() if v is not None}
    declared = [("graph", k, type(v)) for k, v in graph_data.items()]
    declared += [("node", k, t) for k, t in _NODE_KEYS] + [("edge", k, t) for k, t in _EDGE_KEYS]
    for n, (domain, name, kind) in enumerate(declared):
        yield f'<key id="d{n}" for="{domain}" attr.name="{_xml_attr(name)}" attr.type="{_GRAPHML_TYPES[kind]}"/>\n'
    yield '<graph edgedefault="directed">\n'
    for n, value in enumerate(graph_data.values()):
        yield f'<data key="d{n}">{_graphml_value(value)}</data>\n'
    # one template per element, keys numbered as declared above (graph keys first, then node, then edge keys)
    node = len(graph_data)
    ids = [f"d{node + n}" for n in range(len(_NODE_KEYS) + len(_EDGE_KEYS))]
    node_template = "".join(f'  <data key="{ids[n]}">{{{n}}}</data>\n' for n in range(len(_NODE_KEYS)))
    for actor, data in graph.nodes(data=True):
        yield (
            f'<node id="{_xml_attr(str(actor))}">\n'
            + node_template.format(
                _xml_text(clean_label(str(data.get("label", actor)))),
                _xml_text(str(data.get("kind", "other"))),
                int(data.get("mentions", 0)),
                int(data.get("weight", 0)),
            )
            + "</node>\n"
        )
    short = functools.lru_cache(maxsize=1 << 16)(_xml_text)  # relations, dates, keys repeat on every edge
    attr = functools.lru_cache(maxsize=1 << 16)(_xml_attr)
    edge_template = "".join(f'  <data key="{ids[len(_NODE_KEYS) + n]}">{{{n}}}</data>\n' for n in range(len(_EDGE_KEYS)))
    for u, v, key, data in ordered_edges(graph):  # the order evidence sources read
        flat = _edge_scalars(data, sentences(u, v, data, evidence, EVIDENCE_TEXT_LIMIT), safe=False)
        yield (
            f'<edge source="{attr(str(u))}" target="{attr(str(v))}"{"" if data.get("directed", True) else _UNDIRECTED_GRAPHML}>\n'
            + edge_template.format(
                short(edge_label(data)),
                short(str(data["relation"])),
                "true" if data["negated"] else "false",
                "true" if data.get("directed", True) else "false",
                short(str(data.get("quad_class", ""))),
                flat["weight"],
                flat["stories"],
                flat["reports"],
                flat["sources"],
                flat["mentions"],
                repr(flat["confidence"]),
                short(str(flat["first_date"])),
                short(str(flat["last_date"])),
                _xml_text(flat["evidence"]),
                short(str(key)),
            )
            + "</edge>\n"
        )
    yield "</graph></graphml>\n"


#: How a symmetric relation (``partners-with``, ``meets``) is marked in a directed document, as
#: each format says: GraphML's ``edge/@directed`` and GEXF's ``edge/@type``. Gephi and igraph read
#: these; networkx's readers refuse a mixed graph, so :func:`read_graphml` and :func:`read_gexf`
#: read kgraph's files into networkx (every edge directed, ``directed`` kept as an attribute).
_UNDIRECTED_GRAPHML = ' directed="false"'
_UNDIRECTED_GEXF = ' type="undirected"'


def _directed_only(text: str, marker: str) -> str:
    """The document with ``marker`` taken off its edge elements (attribute values cannot hold a
    raw ``>``, and element text cannot hold a raw ``<``: only edge tags match)."""
    return re.sub(r"(<edge [^>]*?)" + re.escape(marker), r"\1", text)


def read_graphml(path: str | Path) -> nx.MultiDiGraph:
    """A GraphML file written by :func:`write_graphml`, as networkx's ``read_graphml`` gives it
    (which refuses the symmetric relations' ``directed="false"``)."""
    import networkx as nx

    text = _directed_only(Path(path).read_text(encoding="utf-8"), _UNDIRECTED_GRAPHML)
    return nx.parse_graphml(text, force_multigraph=True)


def read_gexf(path: str | Path) -> nx.MultiDiGraph:
    """A GEXF file written by :func:`write_gexf`, as networkx's ``read_gexf`` gives it (which
    refuses the symmetric relations' ``type="undirected"``)."""
    import io

    import networkx as nx

    text = _directed_only(Path(path).read_text(encoding="utf-8"), _UNDIRECTED_GEXF)
    return nx.read_gexf(io.BytesIO(text.encode("utf-8")))


def edge_id(u: str, key: str, v: str) -> str:
    """A document-unique edge id that is an XML NMTOKEN: ``USA:warns:CHN``, ``CHN:supports:negated:RUS``."""
    return f"{u}:{key.replace('|', ':')}:{v}"


def edge_label(data: dict[str, Any]) -> str:
    """An edge's display label: its relation, marked when the text denies it."""
    return str(data["relation"]) + (" (denied)" if data["negated"] else "")


def write_gexf(graph: nx.MultiDiGraph, path: str | Path, evidence: EvidenceSource | None = None) -> None:
    """Write GEXF 1.2 with time intervals for Gephi's timeline (see the module docstring).

    Streamed like GraphML, in the layout networkx writes and reads (``networkx_key`` holds the
    multigraph key).
    """
    with atomic_write(path) as handle:
        handle.writelines(gexf_chunks(graph, evidence))


#: GEXF attributes (id, title, type) of nodes and edges; label, weight and dates are XML attributes.
_GEXF_NODE_ATTRS = (("0", "kind", "string"), ("1", "mentions", "long"), ("2", "weight", "long"))
_GEXF_EDGE_ATTRS = (
    ("3", "relation", "string"),
    ("4", "negated", "boolean"),
    ("5", "directed", "boolean"),
    ("6", "quad_class", "string"),
    ("7", "stories", "long"),
    ("8", "reports", "long"),
    ("9", "sources", "long"),
    ("10", "mentions", "long"),
    ("11", "confidence", "double"),
    ("12", "evidence", "string"),
    ("13", "networkx_key", "string"),
)


def gexf_chunks(graph: nx.MultiDiGraph, evidence: EvidenceSource | None = None) -> Iterator[str]:
    """The GEXF 1.2 document of ``graph``, piece by piece (what :func:`write_gexf` writes)."""
    import datetime

    from . import __version__

    yield (
        "<?xml version='1.0' encoding='utf-8'?>\n"
        '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
        f'  <meta lastmodifieddate="{datetime.date.today().isoformat()}">\n    <creator>kgraph {__version__}</creator>\n  </meta>\n'
        '  <graph defaultedgetype="directed" mode="dynamic" timeformat="date">\n'
    )
    for cls, attrs in (("edge", _GEXF_EDGE_ATTRS), ("node", _GEXF_NODE_ATTRS)):
        yield f'    <attributes mode="static" class="{cls}">\n'
        yield "".join(f'      <attribute id="{i}" title="{title}" type="{kind}" />\n' for i, title, kind in attrs)
        yield "    </attributes>\n"
    yield "    <nodes>\n"
    for node, data in graph.nodes(data=True):
        yield (
            f'      <node id="{_xml_attr(str(node))}" label="{_xml_attr(clean_label(str(data.get("label", node))))}">\n        <attvalues>\n'
            f'          <attvalue for="0" value="{_xml_attr(str(data.get("kind", "other")))}" />\n'
            f'          <attvalue for="1" value="{int(data.get("mentions", 0))}" />\n'
            f'          <attvalue for="2" value="{int(data.get("weight", 0))}" />\n'
            "        </attvalues>\n      </node>\n"
        )
    yield "    </nodes>\n    <edges>\n"
    attr = functools.lru_cache(maxsize=1 << 16)(_xml_attr)  # ids, relations and dates repeat on every edge
    for u, v, key, data in ordered_edges(graph):  # the order evidence sources read
        flat = _edge_scalars(data, sentences(u, v, data, evidence, EVIDENCE_TEXT_LIMIT), safe=False)
        first, last = flat["first_date"], flat["last_date"]
        dates = f' start="{attr(str(first))}" end="{attr(str(last or first))}"' if first else ""
        yield (
            f'      <edge source="{attr(str(u))}" target="{attr(str(v))}" id="{_xml_attr(edge_id(str(u), str(key), str(v)))}" '
            f'label="{attr(edge_label(data))}" weight="{flat["weight"]}"{dates}{"" if data.get("directed", True) else _UNDIRECTED_GEXF}>\n'
            "        <attvalues>\n"
            f'          <attvalue for="3" value="{attr(str(data["relation"]))}" />\n'
            f'          <attvalue for="4" value="{"true" if data["negated"] else "false"}" />\n'
            f'          <attvalue for="5" value="{"true" if data.get("directed", True) else "false"}" />\n'
            f'          <attvalue for="6" value="{attr(str(data.get("quad_class", "")))}" />\n'
            f'          <attvalue for="7" value="{flat["stories"]}" />\n'
            f'          <attvalue for="8" value="{flat["reports"]}" />\n'
            f'          <attvalue for="9" value="{flat["sources"]}" />\n'
            f'          <attvalue for="10" value="{flat["mentions"]}" />\n'
            f'          <attvalue for="11" value="{flat["confidence"]!r}" />\n'
            f'          <attvalue for="12" value="{_xml_attr(flat["evidence"])}" />\n'
            f'          <attvalue for="13" value="{attr(str(key))}" />\n'
            "        </attvalues>\n      </edge>\n"
        )
    yield "    </edges>\n  </graph>\n</gexf>\n"


def write_json(graph: nx.MultiDiGraph, path: str | Path, evidence: EvidenceSource | None = None) -> None:
    """Write networkx's node-link JSON (``edges`` key) with every attribute and the full evidence
    lists, one node or edge per line; with ``evidence`` (as for :func:`write_graphml`) each edge's
    whole list is read from there as the edge is written."""

    def line(item: dict[str, Any]) -> str:
        return json.dumps(item, ensure_ascii=False, default=sorted)

    with atomic_write(path) as handle:
        head = {"directed": True, "multigraph": True, "graph": graph.graph}
        handle.write(line(head)[:-1] + ',\n"nodes": [\n')
        handle.write(",\n".join(line({**data, "id": node}) for node, data in graph.nodes(data=True)))
        handle.write('\n],\n"edges": [\n')
        for n, (u, v, key, data) in enumerate(ordered_edges(graph)):
            item = {**data, "source": u, "target": v, "key": key}
            if evidence is not None:
                item["evidence"] = sentences(u, v, data, evidence, None)
            handle.write(("" if n == 0 else ",\n") + line(item))
        handle.write("\n]}\n")


def read_json(path: str | Path) -> nx.MultiDiGraph:
    """The graph written by :func:`write_json`."""
    import networkx as nx

    with open(path, encoding="utf-8") as handle:
        return nx.node_link_graph(json.load(handle), directed=True, multigraph=True, edges="edges")


#: Columns of the CSV export, in order (Gephi's spreadsheet import names first).
NODE_COLUMNS: tuple[str, ...] = ("Id", "Label", "kind", "mentions", "weight")
EDGE_COLUMNS: tuple[str, ...] = (
    "Source",
    "Target",
    "Type",
    "Id",
    "Label",
    "Weight",
    "relation",
    "negated",
    "quad_class",
    "stories",
    "reports",
    "sources",
    "mentions",
    "confidence",
    "first_date",
    "last_date",
    "evidence",
)


#: What a spreadsheet reads as the start of a formula (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A cell no spreadsheet runs: text starting like a formula (``=HYPERLINK(...)``, ``@SUM``, ``+1``)
    is prefixed with ``'``, which spreadsheets show as the text itself; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _SafeWriter:
    """A csv writer whose every cell goes through :func:`csv_cell`."""

    def __init__(self, handle: IO[str]) -> None:
        self.writer = csv.writer(handle, lineterminator="\n")

    def writerow(self, row: Iterable[Any]) -> None:
        self.writer.writerow([csv_cell(v) for v in row])


def write_csv(graph: nx.MultiDiGraph, folder: str | Path, evidence: EvidenceSource | None = None) -> dict[str, Path]:
    """Write ``nodes.csv`` and ``edges.csv`` into ``folder`` (Gephi's spreadsheet layout; ``evidence``
    as for :func:`write_graphml`)."""
    out = output_folder(folder, "nodes.csv and edges.csv")
    with atomic_write(out / "nodes.csv", "w") as handle:
        writer = _SafeWriter(handle)
        writer.writerow(NODE_COLUMNS)
        for node, data in sorted(graph.nodes(data=True)):
            writer.writerow(
                [
                    node,
                    clean_label(str(data.get("label", node))),
                    data.get("kind", "other"),
                    int(data.get("mentions", 0)),
                    int(data.get("weight", 0)),
                ]
            )
    with atomic_write(out / "edges.csv", "w") as handle:
        writer = _SafeWriter(handle)
        writer.writerow(EDGE_COLUMNS)
        for u, v, key, data in ordered_edges(graph):
            flat = _edge_scalars(data, sentences(u, v, data, evidence, EVIDENCE_TEXT_LIMIT))
            writer.writerow(
                [
                    u,
                    v,
                    "Directed" if data.get("directed", True) else "Undirected",
                    edge_id(u, key, v),
                    edge_label(data),
                    flat["weight"],
                    data["relation"],
                    str(bool(data["negated"])).lower(),
                    data.get("quad_class", ""),
                    flat["stories"],
                    flat["reports"],
                    flat["sources"],
                    flat["mentions"],
                    flat["confidence"],
                    flat["first_date"],
                    flat["last_date"],
                    flat["evidence"],
                ]
            )
    return {"nodes": out / "nodes.csv", "edges": out / "edges.csv"}


def export(graph: nx.MultiDiGraph, fmt: str, out: str | Path, evidence: EvidenceSource | None = None) -> list[Path]:
    """Write ``graph`` in ``fmt`` (one of FORMATS) to ``out`` (a folder for csv); returns the files.
    ``evidence``: as for :func:`write_graphml` (for JSON, every sentence of each edge)."""
    if fmt == "graphml":
        write_graphml(graph, out, evidence)
    elif fmt == "gexf":
        write_gexf(graph, out, evidence)
    elif fmt == "json":
        write_json(graph, out, evidence)
    elif fmt == "csv":
        return list(write_csv(graph, out, evidence).values())
    else:
        raise ValueError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    return [Path(out)]


def write_html(
    graph: nx.MultiDiGraph,
    path: str | Path,
    title: str = "kgraph",
    max_edges: int | None = None,
    evidence: EvidenceSource | None = None,
) -> None:
    """Write the self-contained explorer page (see :mod:`kgraph.html`); ``max_edges`` relations show
    at first; ``evidence`` as for :func:`write_graphml`. Streamed: the page is never one string."""
    from .html import DEFAULT_MAX_EDGES, html_chunks

    with atomic_write(path) as handle:
        handle.writelines(html_chunks(graph, title=title, max_edges=max_edges or DEFAULT_MAX_EDGES, evidence=evidence))


__all__ = [
    "EDGE_COLUMNS",
    "EVIDENCE_TEXT_LIMIT",
    "EvidenceSource",
    "FORMATS",
    "NODE_COLUMNS",
    "atomic_write",
    "export",
    "read_gexf",
    "read_graphml",
    "read_json",
    "remove_stale_temps",
    "write_csv",
    "write_gexf",
    "write_json",
    "evidence_text",
    "gexf_chunks",
    "graphml_chunks",
    "read_events",
    "write_events",
    "write_graphml",
    "write_html",
]
