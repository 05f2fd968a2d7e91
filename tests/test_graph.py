"""Aggregating events into the graph, and its GraphML/HTML views (no model)."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph.export import read_graphml, write_graphml, write_html
from kgraph.graph import build_graph, edge_order, ordered_edges, strongest_edges
from kgraph.records import QUAD_CLASS, Event


def event(article: str, source: str, relation: str, target: str, date: str | None = "2024-01-01", negated: bool = False,
          evidence: str = "They did.", title: str = "T") -> Event:
    return Event(article=article, date=date, sentence=0, source=source, source_label=source.title(), relation=relation,
                 target=target, target_label=target.title(), negated=negated, confidence=0.9, evidence=evidence,
                 title=title, url="https://example.org/" + article)


EVENTS = [
    event("a1", "CHN", "supports", "RUS", "2024-01-05"),
    event("a1", "CHN", "supports", "RUS", "2024-01-05", evidence="Again."),
    event("a2", "CHN", "supports", "RUS", "2024-03-01"),
    event("a3", "CHN", "supports", "RUS", None),
    event("a2", "RUS", "partners-with", "CHN", "2024-03-01"),
    event("a3", "CHN", "partners-with", "RUS", None),
    event("a2", "CHN", "supports", "RUS", "2024-03-01", negated=True),
    event("a1", "USA", "warns", "CHN", "2024-01-05"),
]


def test_weights_count_articles_and_dates_span_the_evidence() -> None:
    g = build_graph(EVENTS)
    d = g.edges["CHN", "RUS", "supports"]
    assert (d["weight"], d["mentions"], d["first_date"], d["last_date"]) == (3, 4, "2024-01-05", "2024-03-01")
    assert [ev["article"] for ev in d["evidence"]][:1] == ["a2"]  # newest first
    denied = sum(e.negated for e in EVENTS)
    assert denied > 0
    assert g.graph["articles"] == 3 and (g.graph["events"], g.graph["denied_events"]) == (len(EVENTS) - denied, denied)


def test_symmetric_relations_are_one_pair_and_negation_is_its_own_edge() -> None:
    g = build_graph(EVENTS)
    assert g.edges["CHN", "RUS", "partners-with"]["weight"] == 2
    assert not g.has_edge("RUS", "CHN")
    assert g.edges["CHN", "RUS", "supports|negated"]["negated"] is True
    assert strongest_edges(g, 1)[0][2]["relation"] == "supports"


def test_build_graph_does_not_merge_by_overwriting() -> None:
    g = build_graph(EVENTS)
    texts = {ev["text"] for ev in g.edges["CHN", "RUS", "supports"]["evidence"]}
    assert texts == {"They did.", "Again."}


def test_graphml_round_trip_keeps_nodes_edges_and_attributes(tmp_path: Path) -> None:
    g = build_graph(EVENTS + [event("a4", "USA", "criticizes", "CHN", evidence="Bad \x0b char & <b>tag</b> ]]>")])
    write_graphml(g, tmp_path / "g.graphml")
    back = read_graphml(tmp_path / "g.graphml")
    assert set(back.nodes) == set(g.nodes)
    assert {(u, v, k) for u, v, k in back.edges(keys=True)} == {(u, v, k) for u, v, k in g.edges(keys=True)}
    e = back.edges["USA", "CHN", "criticizes"]
    assert e["relation"] == "criticizes" and e["weight"] == 1 and e["label"] == "criticizes"
    assert "<b>tag</b> ]]>" in e["evidence"] and "\x0b" not in e["evidence"]
    assert back.nodes["CHN"]["label"] == "Chn"


def test_html_is_offline_and_shows_text_as_text(tmp_path: Path) -> None:
    hostile = '<script>alert(1)</script><img src=x onerror="window.pwned=1">'
    g = build_graph([event("a1", "USA", "warns", "CHN", evidence=hostile, title=hostile)])
    write_html(g, tmp_path / "g.html")
    page = (tmp_path / "g.html").read_text()
    assert "<script>alert(1)" not in page and "onerror=\"window" not in page
    assert "\\u003cscript\\u003e" in page  # the text is in the page, as data
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page)  # nothing loaded from outside


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["CHN", "RUS", "USA", "UKR", "NATO", "EU", "IGO:UN", "ÉIRE"]),
                          st.sampled_from(sorted(QUAD_CLASS)),
                          st.sampled_from(["CHN", "RUS", "USA", "UKR", "NATO", "EU", "IGO:UN", "ÉIRE"]),
                          st.booleans()), max_size=40))
def test_ordered_edges_is_every_edge_sorted_by_edge_order(triples: list[tuple[str, str, str, bool]]) -> None:
    # the file writers walk a build's graph with ordered_edges (no list of all its edges): they must
    # get exactly the edges, in exactly the order, that sorting them all would give
    g = build_graph([event(f"a{n}", u, r, v, negated=neg) for n, (u, r, v, neg) in enumerate(triples) if u != v])
    assert list(ordered_edges(g)) == sorted(g.edges(keys=True, data=True), key=edge_order)
