"""The tables behind the notebooks, on hand-made events (no model)."""

from __future__ import annotations

from kgraph.analysis import balance_matrix, communities, edge_rows, edge_timeline, events_per_month, pair_balance
from kgraph.graph import build_graph
from kgraph.records import Event


def event(article: str, source: str, relation: str, target: str, date: str | None = "2024-01-01", negated: bool = False,
          evidence: str = "They did.") -> Event:
    return Event(article=article, date=date, sentence=0, source=source, source_label=source, relation=relation, target=target,
                 target_label=target, negated=negated, confidence=0.9, evidence=evidence, title=f"Title {article}")  # fmt: skip


EVENTS = [
    event("a1", "CHN", "supports", "RUS", "2024-01-05", evidence="First."),
    event("a2", "CHN", "supports", "RUS", "2024-03-01", evidence="Second."),
    event("a2", "CHN", "supports", "RUS", "2024-03-01", evidence="Second, again."),
    event("a3", "RUS", "partners-with", "CHN", "2024-03-02"),
    event("a3", "CHN", "supports", "RUS", "2024-03-02", negated=True),
    event("a1", "USA", "warns", "CHN", "2024-01-05"),
    event("a4", "CHN", "criticizes", "USA", "2024-03-09"),
    event("a4", "USA", "meets", "CHN", "2024-03-09"),
    event("a5", "USA", "supports", "UKR", None),
    event("a5", "RUS", "attacks", "UKR", None),
]
GRAPH = build_graph(EVENTS)


def test_edge_rows_are_the_strongest_edges_with_their_newest_sentence() -> None:
    rows = edge_rows(GRAPH, 2)
    assert [(r["source"], r["relation"], r["target"], r["weight"], r["mentions"]) for r in rows] == [
        ("CHN", "supports", "RUS", 2, 3),
        ("CHN", "criticizes", "USA", 1, 1),
    ]
    assert rows[0]["evidence"] in ("Second.", "Second, again.") and rows[0]["first_date"] == "2024-01-05"
    every = edge_rows(GRAPH, None, include_negated=True)
    assert len(every) == GRAPH.number_of_edges() and "supports (denied)" in {r["relation"] for r in every}


def test_events_per_month_counts_dated_events_by_relation() -> None:
    months = events_per_month(EVENTS)
    assert list(months) == ["2024-01", "2024-03"]
    assert months["2024-03"]["supports"] == 2 and months["2024-03"]["partners-with"] == 1 and months["2024-03"]["meets"] == 1
    assert months["2024-01"] == {**dict.fromkeys(months["2024-01"], 0), "supports": 1, "warns": 1}
    assert events_per_month(EVENTS, include_negated=True)["2024-03"]["supports"] == 3


def test_pair_balance_sums_both_directions_and_leaves_denials_out() -> None:
    pairs = {(p.a, p.b): p for p in pair_balance(GRAPH)}
    assert (pairs["CHN", "RUS"].cooperation, pairs["CHN", "RUS"].conflict) == (3, 0)  # supports 2 + partners-with 1
    assert (pairs["CHN", "USA"].cooperation, pairs["CHN", "USA"].conflict) == (1, 2)
    assert round(pairs["CHN", "USA"].balance, 3) == -0.333 and pairs["RUS", "UKR"].balance == -1.0
    assert pair_balance(GRAPH)[0].total >= pair_balance(GRAPH)[-1].total


def test_balance_matrix_is_symmetric_over_the_busiest_actors() -> None:
    actors, matrix = balance_matrix(GRAPH, top=3)
    assert actors == ["CHN", "RUS", "USA"]
    i, j = actors.index("CHN"), actors.index("USA")
    assert matrix[i][j] == matrix[j][i] == pair_balance(GRAPH)[[(p.a, p.b) for p in pair_balance(GRAPH)].index(("CHN", "USA"))].balance
    assert matrix[actors.index("RUS")][j] is None  # no relation between RUS and USA
    assert all(matrix[k][k] is None for k in range(3))


def test_communities_group_cooperating_actors() -> None:
    assert communities(GRAPH) == communities(GRAPH, quad_class="cooperation")  # the default: blocs of partners
    found = communities(GRAPH, quad_class="cooperation")
    assert set().union(*found) == {"CHN", "RUS", "USA", "UKR"}
    assert all(len(c) >= 2 for c in found)
    assert communities(build_graph([event("x", "USA", "warns", "CHN")])) == []  # no cooperation at all


def test_edge_timeline_runs_oldest_first_with_the_article_count() -> None:
    rows = edge_timeline(GRAPH, "CHN", "supports", "RUS")
    assert [(r["date"], r["articles"]) for r in rows] == [("2024-01-05", 1), ("2024-03-01", 2), ("2024-03-01", 2)]
    assert rows[0]["evidence"] == "First." and rows[0]["title"] == "Title a1"
    assert edge_timeline(GRAPH, "RUS", "partners-with", "CHN") == edge_timeline(GRAPH, "CHN", "partners-with", "RUS") != []
    assert [r["evidence"] for r in edge_timeline(GRAPH, "CHN", "supports", "RUS", negated=True)] == ["They did."]
    assert edge_timeline(GRAPH, "RUS", "supports", "CHN") == []
