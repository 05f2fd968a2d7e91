"""The whole path with the real model: the seed article in, three files out (slow)."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from kgraph.cli import app
from kgraph.export import read_graphml
from kgraph.records import RELATIONS

from .conftest import ROOT, SEED

pytestmark = pytest.mark.slow
runner = CliRunner()


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed")
    result = runner.invoke(app, ["build", str(SEED), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def edges(graph: nx.MultiDiGraph) -> set[tuple[str, str, str, bool]]:
    return {(u, d["relation"], v, d["negated"]) for u, v, d in graph.edges(data=True)}


def test_build_writes_the_three_files(seed_build: Path) -> None:
    for name in ("events.jsonl", "graph.graphml", "graph.html"):
        assert (seed_build / name).stat().st_size > 0


def test_seed_graph_has_the_expected_actors_and_edges(seed_build: Path) -> None:
    graph = read_graphml(seed_build / "graph.graphml")
    assert {"USA", "CHN", "RUS", "UKR", "NATO"} <= set(graph.nodes)
    found = edges(graph)
    for edge in [
        ("USA", "warns", "CHN", False),
        ("CHN", "supports", "RUS", False),
        ("RUS", "attacks", "UKR", False),
        ("USA", "supports", "UKR", False),
        ("CHN", "supports", "RUS", True),
    ]:
        assert edge in found
    assert ("CHN", "partners-with", "RUS", False) in found or ("RUS", "partners-with", "CHN", False) in found
    assert ("NATO", "criticizes", "CHN", False) in found or ("NATO", "warns", "CHN", False) in found
    labels = {d.get("label", n) for n, d in graph.nodes(data=True)} | set(graph.nodes)
    assert not {"Blinken", "Stoltenberg", "WASHINGTON", "Washington"} & labels


def test_graphml_reads_back_with_the_same_nodes_and_edges(seed_build: Path) -> None:
    from kgraph.export import read_events
    from kgraph.graph import build_graph

    built = build_graph(read_events(seed_build / "events.jsonl"))
    read = read_graphml(seed_build / "graph.graphml")
    assert set(read.nodes) == set(built.nodes)
    assert edges(read) == edges(built)
    for _, _, d in read.edges(data=True):
        assert d["relation"] in RELATIONS and isinstance(d["weight"], int) and d["label"]


def test_events_follow_the_contract(seed_build: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    records = [json.loads(line) for line in (seed_build / "events.jsonl").read_text().splitlines()]
    assert records
    for r in records:
        assert r["article"] == SEED.name and r["date"] == "2024-06-18"
        assert r["source"] != r["target"] and r["relation"] in RELATIONS
        assert r["evidence"] in text and "icon-" not in r["evidence"] and not r["evidence"].startswith("WASHINGTON")
        assert 0 < r["confidence"] <= 1 and isinstance(r["sentence"], int)


def test_extract_writes_events_to_stdout() -> None:
    result = runner.invoke(app, ["extract", str(SEED), "-o", "-"])
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert {(r["source"], r["relation"], r["target"]) for r in records} >= {("USA", "warns", "CHN")}


def test_sample_articles_build(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(ROOT / "data" / "articles"), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    graph = read_graphml(tmp_path / "graph.graphml")
    assert graph.number_of_nodes() >= 10 and graph.number_of_edges() >= 15
    assert "strongest edges" in result.stderr and result.stdout == ""


def test_missing_model_is_a_one_line_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(SEED), "-o", str(tmp_path), "--model", "no_such_model"])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("kgraph: error:")]
    assert len(errors) == 1 and "no_such_model" in errors[0] and "spacy download no_such_model" in errors[0]
    assert lines == ["kgraph: loading the spaCy pipeline ...", errors[0]]  # the load's step line, then one line
    assert not (tmp_path / "graph.html").exists()


def test_nothing_readable_is_exit_status_1(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("  \n")
    result = runner.invoke(app, ["build", str(tmp_path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "empty.txt: file is empty" in result.stderr
    assert "Traceback" not in result.output
