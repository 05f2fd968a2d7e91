"""Exports read back in the tools analysts use: GraphML (XSD, networkx, igraph), GEXF, JSON, CSV."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import networkx as nx
import pytest

from kgraph.export import (
    EDGE_COLUMNS,
    NODE_COLUMNS,
    export,
    read_gexf,
    read_graphml,
    read_json,
    write_csv,
    write_gexf,
    write_graphml,
    write_json,
)
from kgraph.graph import GraphFilter
from kgraph.records import Article, Event
from kgraph.store import Store

XSD = Path(__file__).resolve().parent / "graphml-1.0-subset.xsd"


def _event(a: Article, source: str, relation: str, target: str, sentence: int, negated: bool = False) -> Event:
    return Event(
        article=a.id,
        date=a.date,
        sentence=sentence,
        source=source,
        source_label=f"{source} label",
        relation=relation,
        target=target,
        target_label=f"{target} label",
        negated=negated,
        confidence=0.8,
        evidence=f'{source} & {target} said "<{relation}>" \x0b in {a.id}',
        title=a.title,
        url=a.url,
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with parallel relations between one pair, a negated one, a symmetric one and an undated one."""
    path = tmp_path_factory.mktemp("db") / "k.db"
    with Store(path) as store:
        texts = [
            "first report about a warning and sanctions",
            "second unrelated story about an attack",
            "third: undated talks held",
        ]
        for i, (text, date) in enumerate(zip(texts, ["2024-01-10", "2024-05-02", None], strict=True)):
            a = Article(
                id=f"a{i}.txt", text=text + " " + "filler word " * i, title=f"T{i}", date=date, url=f"https://s{i}.example/{i}"
            )
            store.add(
                a,
                [
                    _event(a, "USA", "warns", "CHN", 0),
                    _event(a, "USA", "sanctions", "CHN", 1),
                    _event(a, "CHN", "supports", "RUS", 2, True),
                    _event(a, "RUS", "meets", "CHN", 3),
                    _event(a, "RUS", "attacks", "UKR", 4),
                ][i : i + 3],
                "v1",
                {
                    "USA": ("United States", "state"),
                    "CHN": ("China", "state"),
                    "RUS": ("Russia", "state"),
                    "UKR": ("Ukraine", "state"),
                },
            )
    return path


@pytest.fixture(scope="module")
def graph(db: Path) -> nx.MultiDiGraph:
    """The store's graph with every sentence on its edges."""
    with Store(db) as store:
        return store.graph(GraphFilter(include_negated=True), evidence_limit=None)


def test_graph_fixture_has_parallel_and_negated_edges(graph: nx.MultiDiGraph) -> None:
    assert graph.number_of_edges("USA", "CHN") == 2
    assert any(d["negated"] for _, _, d in graph.edges(data=True))


def test_graphml_validates_against_the_schema(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    from lxml import etree

    write_graphml(graph, tmp_path / "g.graphml")
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    doc = etree.parse(str(tmp_path / "g.graphml"))
    assert schema.validate(doc), schema.error_log


def test_the_schema_rejects_broken_graphml(tmp_path: Path) -> None:
    from lxml import etree

    bad = tmp_path / "bad.graphml"
    bad.write_text(
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="sideways">'
        '<node id="A"/><edge source="A" target="B"/></graph></graphml>'
    )
    assert not etree.XMLSchema(etree.parse(str(XSD))).validate(etree.parse(str(bad)))


def _edge_rows(graph: nx.MultiDiGraph) -> set[tuple]:
    return {
        (
            u,
            v,
            d["relation"],
            d["negated"],
            d["weight"],
            d["reports"],
            d["sources"],
            d["mentions"],
            d["first_date"] or "",
            d["last_date"] or "",
        )
        for u, v, d in graph.edges(data=True)
    }


def test_graphml_reads_back_equal_in_networkx(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    write_graphml(graph, tmp_path / "g.graphml")
    back = read_graphml(tmp_path / "g.graphml")
    assert {n: (d["label"], d["kind"], d["mentions"], d["weight"]) for n, d in back.nodes(data=True)} == {
        n: (d["label"], d["kind"], d["mentions"], d["weight"]) for n, d in graph.nodes(data=True)
    }
    assert _edge_rows(back) == _edge_rows(graph)
    for _, _, d in back.edges(data=True):
        assert isinstance(d["weight"], int) and isinstance(d["confidence"], float) and isinstance(d["negated"], bool)
        assert d["label"] == d["relation"] + (" (denied)" if d["negated"] else "")
        assert "\x0b" not in d["evidence"] and "<" in d["evidence"]  # XML-unsafe characters dropped, markup kept as text


def test_graphml_reads_back_equal_in_igraph(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    import igraph

    write_graphml(graph, tmp_path / "g.graphml")
    g = igraph.Graph.Read_GraphML(str(tmp_path / "g.graphml"))
    names = g.vs["id"]
    assert sorted(names) == sorted(graph.nodes)
    assert sorted(g.vs["label"]) == sorted(d["label"] for _, d in graph.nodes(data=True))
    found = {
        (
            names[e.source],
            names[e.target],
            e["relation"],
            bool(e["negated"]),
            int(e["weight"]),
            int(e["reports"]),
            int(e["sources"]),
            int(e["mentions"]),
            e["first_date"],
            e["last_date"],
        )
        for e in g.es
    }
    assert g.ecount() == graph.number_of_edges()
    assert found == _edge_rows(graph)


def test_gexf_reads_back_with_time_intervals(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    write_gexf(graph, tmp_path / "g.gexf")
    text = (tmp_path / "g.gexf").read_text(encoding="utf-8")
    assert 'mode="dynamic"' in text and 'timeformat="date"' in text
    # one time representation: start/end on edges, no spells and no dynamic attribute values
    assert "<spells" not in text and not re.search(r'<attributes[^>]*mode="dynamic"', text)
    back = read_gexf(tmp_path / "g.gexf")
    assert back.number_of_edges() == graph.number_of_edges()
    intervals = {(u, v, d["relation"], d["negated"]): (d.get("start"), d.get("end")) for u, v, d in back.edges(data=True)}
    for u, v, d in graph.edges(data=True):
        expected = (d["first_date"], d["last_date"]) if d["first_date"] else (None, None)
        assert intervals[(u, v, d["relation"], d["negated"])] == expected
    assert any(start for start, _ in intervals.values()) and any(start is None for start, _ in intervals.values())


def test_json_round_trips_with_full_evidence(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    write_json(graph, tmp_path / "g.json")
    back = read_json(tmp_path / "g.json")
    assert dict(back.nodes(data=True)) == dict(graph.nodes(data=True))
    assert sorted(back.edges(keys=True, data=True), key=str) == sorted(graph.edges(keys=True, data=True), key=str)
    assert back.graph == graph.graph


def test_csv_loads_into_the_documented_columns(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    files = write_csv(graph, tmp_path / "csv")
    with open(files["nodes"], newline="", encoding="utf-8") as handle:
        nodes = list(csv.DictReader(handle))
    with open(files["edges"], newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        edges = list(reader)
        assert tuple(reader.fieldnames or ()) == EDGE_COLUMNS
    assert tuple(nodes[0]) == NODE_COLUMNS
    assert {(n["Id"], n["Label"]) for n in nodes} == {(n, d["label"]) for n, d in graph.nodes(data=True)}
    assert {(e["Source"], e["Target"], e["relation"], e["negated"] == "true", int(e["Weight"])) for e in edges} == {
        (u, v, d["relation"], d["negated"], d["weight"]) for u, v, d in graph.edges(data=True)
    }
    assert {e["Type"] for e in edges} == {"Directed", "Undirected"}
    assert len({e["Id"] for e in edges}) == len(edges)


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "csv"])
def test_each_format_reads_the_sentences_from_the_store_as_from_the_graph(db: Path, graph: nx.MultiDiGraph, tmp_path: Path, fmt: str) -> None:
    """What `kgraph build` and `kgraph export` do (a graph without sentences, each edge's read from
    the store as it is written) writes the very bytes written from a graph holding them all."""
    f = GraphFilter(include_negated=True)
    with Store(db) as store:
        bare = store.graph(f, evidence_limit=0)
        assert all(d["evidence"] == [] for _, _, d in bare.edges(data=True))
        streamed = export(bare, fmt, tmp_path / "streamed", store.evidence_source(f))
    held = export(graph, fmt, tmp_path / "held")
    assert [p.read_bytes() for p in streamed] == [p.read_bytes() for p in held]
    assert b"said" in streamed[-1].read_bytes()  # the sentences are there


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "csv"])
def test_export_is_atomic_and_leaves_no_temporary_files(graph: nx.MultiDiGraph, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / ("out" if fmt == "csv" else f"g.{fmt}")
    written = export(graph, fmt, target)
    assert all(p.stat().st_size > 0 for p in written)
    folder = target if fmt == "csv" else tmp_path
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


# --- symmetric relations (partners-with, meets) as undirected edges, the way each format says ------


def test_symmetric_relations_are_undirected_edges_for_gephi_and_igraph(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    """Gephi's "mixed graph" reads the edge's own direction: GraphML ``directed="false"``, GEXF
    ``type="undirected"``. Checked here with lxml, igraph and networkx; not checked in Gephi itself."""
    import igraph
    from lxml import etree

    from kgraph.records import SYMMETRIC

    write_graphml(graph, tmp_path / "g.graphml")
    write_gexf(graph, tmp_path / "g.gexf")
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    doc = etree.parse(str(tmp_path / "g.graphml"))
    relation_key = doc.xpath("//g:key[@for='edge' and @attr.name='relation']/@id", namespaces=ns)[0]
    graphml = [(e.xpath(f"g:data[@key='{relation_key}']/text()", namespaces=ns)[0], e.get("directed")) for e in doc.xpath("//g:edge", namespaces=ns)]
    assert {("meets", "false")} <= set(graphml)
    assert all((direction == "false") == (relation in SYMMETRIC) for relation, direction in graphml)
    assert etree.XMLSchema(etree.parse(str(XSD))).validate(doc)

    gexf = etree.parse(str(tmp_path / "g.gexf"))
    gns = {"x": "http://www.gexf.net/1.2draft"}
    rows = [(e.xpath("x:attvalues/x:attvalue[@for='3']/@value", namespaces=gns)[0], e.get("type")) for e in gexf.xpath("//x:edge", namespaces=gns)]
    assert {("meets", "undirected")} <= set(rows)
    assert all((kind == "undirected") == (relation in SYMMETRIC) for relation, kind in rows)
    assert all(kind in (None, "undirected") for _, kind in rows)  # the others take defaultedgetype="directed"

    g = igraph.Graph.Read_GraphML(str(tmp_path / "g.graphml"))  # igraph reads the mixed file, every edge kept
    assert g.ecount() == graph.number_of_edges() and "meets" in g.es["relation"]

    with pytest.raises(nx.NetworkXError):  # networkx refuses mixed graphs: kgraph's readers take them
        nx.read_graphml(tmp_path / "g.graphml")
    for back in (read_graphml(tmp_path / "g.graphml"), read_gexf(tmp_path / "g.gexf")):
        assert back.number_of_edges() == graph.number_of_edges()
        assert {d["relation"] for _, _, d in back.edges(data=True) if not d["directed"]} == {"meets"}
