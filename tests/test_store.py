"""The event store without the model: hand-made events in a real SQLite file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from kgraph.graph import GraphFilter
from kgraph.records import Article, Event
from kgraph.store import EVIDENCE_LIMIT, SCHEMA_VERSION, Store, StoreError, normalize_url, open_store

from .conftest import VOA

BODY = (
    "The United States on Tuesday warned China to stop its support for Russia's defense industry. "
    "Secretary of State Antony Blinken said the support prolongs the war in Ukraine and must come to an immediate halt, "
    "adding that Washington would consider further measures against Chinese companies that supply drones, machine tools "
    "and microelectronics. Beijing rejected the accusation and said it was not sending lethal assistance to Moscow. "
    "NATO allies meeting in Brussels later endorsed the warning, and the European Union said it was preparing new sanctions. "
    "Russian forces meanwhile shelled the city of Kharkiv for a third day, Ukrainian officials said."
)


def article(
    aid: str, text: str = BODY, date: str | None = "2024-06-18", url: str | None = None, title: str = "Blinken warns China"
) -> Article:
    return Article(id=aid, text=f"{title}\n\n{text}", title=title, date=date, url=url, origin=aid)


def event(a: Article, source: str, relation: str, target: str, sentence: int = 0, negated: bool = False) -> Event:
    return Event(
        article=a.id, date=a.date, sentence=sentence, source=source, source_label=source, relation=relation, target=target,
        target_label=target, negated=negated, confidence=0.9, evidence=f"{source} {relation} {target} ({a.id}, {sentence})",
        title=a.title, url=a.url,
    )  # fmt: skip


def add(store: Store, a: Article, *triples: tuple[str, str, str], version: str = "v1") -> None:
    store.add(a, [event(a, s, r, t, i) for i, (s, r, t) in enumerate(triples)], version)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "kgraph.db") as s:
        yield s  # type: ignore[misc]


def edge(store: Store, f: GraphFilter | None = None) -> dict[tuple[str, str, str], dict]:
    graph = store.graph(f)
    return {(u, d["relation"], v): d for u, v, d in graph.edges(data=True)}


# --- identity and incremental builds ---------------------------------------------------------


def test_a_stored_article_is_recognised_by_id_and_by_content(store: Store) -> None:
    a = article("a.txt")
    assert store.decide(a).action == "new"
    add(store, a, ("USA", "warns", "CHN"))
    assert store.decide(a).action == "stored"
    assert store.decide(article("renamed.txt")).action == "stored"  # same text, no URL: the same article
    assert store.decide(article("a.txt", text=BODY + " More.")).action == "changed"
    assert store.decide(article("other.txt", text="Something else entirely happened today.")).action == "new"


def test_the_same_text_under_another_url_is_a_copy_of_the_story(store: Store) -> None:
    add(store, article("a", url="https://www.reuters.com/world/a"), ("USA", "warns", "CHN"))
    copy = article("b", url="https://apnews.com/article/b")
    decision = store.decide(copy)
    assert decision.action == "copy"
    store.add_copy(copy, decision.rowid or 0)
    d = edge(store)[("USA", "warns", "CHN")]
    assert (d["stories"], d["reports"], d["sources"], d["weight"]) == (1, 2, 2, 1)


def test_a_changed_article_replaces_its_events(store: Store) -> None:
    add(store, article("a.txt"), ("USA", "warns", "CHN"), ("USA", "warns", "CHN"))
    add(store, article("a.txt", text=BODY + " Updated."), ("RUS", "attacks", "UKR"))
    assert store.article_count() == 1
    assert set(edge(store)) == {("RUS", "attacks", "UKR")}
    assert store.db.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 1


def test_an_article_and_its_events_are_one_transaction(store: Store) -> None:
    a = article("a.txt")
    bad = event(a, "USA", "warns", "CHN")
    object.__setattr__(bad, "evidence", None)  # NOT NULL violation on the second event
    with pytest.raises(sqlite3.IntegrityError):
        store.add(a, [event(a, "USA", "warns", "CHN"), bad], "v1")
    assert store.article_count() == 0
    assert store.db.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 0


def test_stale_articles_are_those_of_another_extractor(store: Store) -> None:
    add(store, article("old.txt"), ("USA", "warns", "CHN"), version="v1")
    add(
        store,
        article("new.txt", text="Russia attacked Ukraine again on Monday, officials in Kyiv said."),
        ("RUS", "attacks", "UKR"),
        version="v2",
    )
    assert [a.id for a in store.stale("v2")] == ["old.txt"]
    assert next(store.stale("v2")).text == article("old.txt").text  # reprocessing needs no input file


# --- schema ------------------------------------------------------------------------------------


def test_schema_is_versioned_and_a_newer_one_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    with Store(path) as s:
        assert s.schema_version == SCHEMA_VERSION
        assert s.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(StoreError, match="newer"):
        Store(path)


def test_an_old_store_migrates_forward(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kgraph.store as store_module

    path = tmp_path / "k.db"
    with Store(path) as s:
        add(s, article("a.txt"), ("USA", "warns", "CHN"))
    extra = "ALTER TABLE articles ADD COLUMN language TEXT"
    monkeypatch.setattr(store_module, "MIGRATIONS", (*store_module.MIGRATIONS, extra))
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with Store(path) as s:
        assert s.schema_version == SCHEMA_VERSION + 1
        assert "language" in [r[1] for r in s.db.execute("PRAGMA table_info(articles)")]
        assert s.article_count() == 1  # data kept


def test_a_version_1_store_gets_its_evidence_fields_as_columns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kgraph.store as store_module

    path = tmp_path / "k.db"
    monkeypatch.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS[:1])
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 1)
    monkeypatch.setattr(store_module, "EVENT_COLUMNS", store_module.EVENT_COLUMNS.rsplit(", trigger", 1)[0])
    a = article("a.txt")
    e = Event(**{**event(a, "USA", "warns", "CHN").__dict__, "trigger": "warned", "source_text": "The United States", "target_text": "China"})
    with Store(path) as s:
        s.db.execute("BEGIN")
        s.db.execute(
            "INSERT INTO articles (id, hash, text, story, extractor, date, title) VALUES ('a.txt', 'h', 't', 1, 'v1', ?, ?)",
            (a.date, a.title),
        )
        s.db.execute(
            f"INSERT INTO events ({store_module.EVENT_COLUMNS}) VALUES (1, 0, 'USA', 'warns', 'CHN', 'USA', 'CHN', 0, 0.9, ?, ?)",
            (e.evidence, json.dumps(e.to_dict())),
        )
        s.db.execute("COMMIT")
    monkeypatch.undo()
    with Store(path) as s:
        assert s.schema_version == SCHEMA_VERSION
        [entry] = edge(s)["USA", "warns", "CHN"]["evidence"]
        assert (entry["trigger"], entry["source_text"], entry["target_text"]) == ("warned", "The United States", "China")
        assert entry == s.evidence("USA", "warns", "CHN")[0].to_dict()  # the graph and `kgraph evidence` agree


def test_event_lines_are_what_write_events_writes(store: Store) -> None:
    import io

    from kgraph.export import write_events

    a, b = article("a.txt"), article("b.txt", date="2024-06-19", text="China met Russia.")
    add(store, a, ("USA", "warns", "CHN"), ("CHN", "supports", "RUS"))
    store.add(b, [event(b, "CHN", "meets", "RUS", negated=True)], "v1")
    for f in (GraphFilter(include_negated=True), GraphFilter()):
        written = io.StringIO()
        write_events(store.events(f), written)
        assert "".join(store.event_lines(f)) == written.getvalue()
    assert len(list(store.event_lines(GraphFilter(include_negated=True)))) == 3


def test_open_store_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no kgraph store"):
        open_store(tmp_path / "none.db")


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("not sqlite " * 100)
    with pytest.raises(StoreError, match="not a kgraph store"):
        Store(path)


def test_a_build_killed_before_its_schema_leaves_an_empty_store_that_the_next_build_fills(tmp_path: Path) -> None:
    path = tmp_path / "kgraph.db"
    con = sqlite3.connect(path)  # what a build killed right after opening the file leaves behind
    con.execute("PRAGMA journal_mode=WAL")
    con.close()
    with pytest.raises(StoreError, match="store is empty.*kgraph build"):
        open_store(path)
    with Store(path) as store:  # the next build makes the schema in place
        store.add(Article(id="a", text="x"), [], "test")
    assert open_store(path).db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 1


# --- the same story twice ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("https://www.example.com/news/1?utm_source=x#top", "http://example.com/news/1/", True),
        ("https://example.com/a?id=3&utm_medium=rss", "https://example.com/a?id=3", True),
        ("https://example.com/a?id=3", "https://example.com/a?id=4", False),
        ("https://example.com/a", "https://example.org/a", False),
    ],
)
def test_normalized_urls(a: str, b: str, same: bool) -> None:
    assert (normalize_url(a) == normalize_url(b)) is same


def test_an_article_saved_twice_with_small_edits_is_one_story(store: Store) -> None:
    text = (VOA / "03_erdogan-putin-idlib-deal.txt").read_text(encoding="utf-8")
    edited = text.replace("Erdogan", "Erdoğan", 1).replace("said", "told reporters", 2) + "\n\nThis story has been corrected."
    add(store, article("wire.txt", text=text, url="https://a.example/x"), ("TUR", "partners-with", "RUS"))
    add(store, article("copy-of-wire.txt", text=edited, url="https://b.example/y"), ("TUR", "partners-with", "RUS"))
    other = VOA / "18_putin-kim-vostochny-summit.txt"
    add(store, article("other.txt", text=other.read_text(encoding="utf-8")), ("RUS", "partners-with", "TUR"))
    stories = store.stories()
    assert sorted(map(sorted, stories.values())) == [["copy-of-wire.txt", "wire.txt"], ["other.txt"]]
    d = edge(store)[("RUS", "partners-with", "TUR")]
    assert (d["stories"], d["reports"], d["sources"]) == (2, 3, 3)  # unknown site counts as one source


def test_distinct_articles_on_one_topic_stay_apart(store: Store) -> None:
    for path in sorted(VOA.glob("*.txt")):
        add(store, article(path.name, text=path.read_text(encoding="utf-8")), ("USA", "meets", "CHN"))
    assert len(store.stories()) == len(list(VOA.glob("*.txt")))


def test_the_same_url_is_one_story(store: Store) -> None:
    add(store, article("a", url="https://www.example.com/news/1?utm_source=x"), ("USA", "warns", "CHN"))
    add(
        store,
        article("b", text="A very different update with other words entirely.", url="http://example.com/news/1"),
        ("USA", "warns", "CHN"),
    )
    assert len(store.stories()) == 1


# --- graph, filters and queries ----------------------------------------------------------------


@pytest.fixture
def filled(store: Store) -> Store:
    a1 = article("1", text="One. " + BODY, date="2024-01-10", url="https://one.example/1")
    a2 = article("2", text="Two completely different words about many other things happening in the world.", date="2024-03-05")
    a3 = article("3", text="Three: yet another unrelated report on a summit, trade and a naval exercise.", date=None)
    store.add(
        a1,
        [
            event(a1, "USA", "warns", "CHN"),
            event(a1, "CHN", "supports", "RUS", 1, negated=True),
            event(a1, "RUS", "attacks", "UKR", 2),
        ],
        "v1",
    )
    store.add(
        a2, [event(a2, "USA", "warns", "CHN"), event(a2, "RUS", "meets", "CHN", 1), event(a2, "USA", "supports", "UKR", 2)], "v1"
    )
    store.add(a3, [event(a3, "CHN", "partners-with", "RUS"), event(a3, "IND", "meets", "USA", 1)], "v1")
    return store


def test_graph_aggregates_by_sql_with_counts_and_dates(filled: Store) -> None:
    edges = edge(filled)
    assert set(edges) == {("USA", "warns", "CHN"), ("RUS", "attacks", "UKR"), ("CHN", "meets", "RUS"), ("USA", "supports", "UKR"),
                          ("CHN", "partners-with", "RUS"), ("IND", "meets", "USA")}  # fmt: skip
    warns = edges[("USA", "warns", "CHN")]
    assert (warns["weight"], warns["reports"], warns["mentions"], warns["first_date"], warns["last_date"]) == (
        2,
        2,
        2,
        "2024-01-10",
        "2024-03-05",
    )
    assert [ev["article"] for ev in warns["evidence"]] == ["2", "1"]  # newest first
    assert edges[("CHN", "meets", "RUS")]["directed"] is False  # symmetric: one ordered pair


def test_negated_edges_are_kept_but_out_of_the_default_graph(filled: Store) -> None:
    assert ("CHN", "supports", "RUS") not in edge(filled)
    graph = filled.graph(GraphFilter(include_negated=True))
    assert graph.has_edge("CHN", "RUS", "supports|negated")


@pytest.mark.parametrize(
    ("f", "expected"),
    [
        (GraphFilter(since="2024-02-01"), {("USA", "warns", "CHN"), ("CHN", "meets", "RUS"), ("USA", "supports", "UKR")}),
        (GraphFilter(until="2024-01-31"), {("USA", "warns", "CHN"), ("RUS", "attacks", "UKR")}),
        (GraphFilter(relations=("meets",)), {("CHN", "meets", "RUS"), ("IND", "meets", "USA")}),
        (GraphFilter(min_weight=2), {("USA", "warns", "CHN")}),
        (GraphFilter(top=1), {("USA", "warns", "CHN")}),
        (GraphFilter(actor="IND", depth=1), {("IND", "meets", "USA")}),
        (GraphFilter(actor="UKR", depth=1), {("RUS", "attacks", "UKR"), ("USA", "supports", "UKR")}),
    ],
)
def test_filters(filled: Store, f: GraphFilter, expected: set[tuple[str, str, str]]) -> None:
    assert set(edge(filled, f)) == expected


def test_ego_network_depth_two_reaches_neighbours_of_neighbours(filled: Store) -> None:
    nodes = set(filled.graph(GraphFilter(actor="IND", depth=2)).nodes)
    assert nodes == {"IND", "USA", "CHN", "UKR"}


def test_evidence_is_capped_in_the_graph_but_complete_on_request(store: Store) -> None:
    a = article("many.txt")
    store.add(a, [event(a, "USA", "warns", "CHN", i) for i in range(EVIDENCE_LIMIT + 7)], "v1")
    assert len(edge(store)[("USA", "warns", "CHN")]["evidence"]) == EVIDENCE_LIMIT
    assert edge(store)[("USA", "warns", "CHN")]["mentions"] == EVIDENCE_LIMIT + 7
    assert len(store.graph(evidence_limit=None).edges["USA", "CHN", "warns"]["evidence"]) == EVIDENCE_LIMIT + 7
    assert len(store.evidence("USA", "warns", "CHN")) == EVIDENCE_LIMIT + 7


def test_queries(filled: Store) -> None:
    actors = {a.id: a for a in filled.actors()}
    assert actors["USA"].events == 4 and actors["USA"].stories == 3
    assert [a.id for a in filled.actors("ind")] == ["IND"]
    out, into = filled.show("CHN")
    assert {(e.source, e.relation, e.target) for e in into} >= {("USA", "warns", "CHN"), ("CHN", "meets", "RUS")}
    assert ("CHN", "partners-with", "RUS") in {(e.source, e.relation, e.target) for e in out}
    found = filled.evidence("RUS", "meets", "CHN")  # symmetric: either order
    assert [(ev.article, ev.date, ev.title) for ev in found] == [("2", "2024-03-05", "Blinken warns China")]
    assert filled.resolve("usa") == "USA"
    stats = filled.stats()
    assert (stats.articles, stats.stories, stats.events) == (3, 3, 7)
    assert stats.per_month == [("2024-01", 2), ("2024-03", 3), ("undated", 2)]


# --- update(): what a build parses -------------------------------------------------------------


class CountingExtractor:
    """Records which articles it is asked to parse; finds one fixed event in each (the model is tested elsewhere)."""

    def __init__(self, version: str) -> None:
        from kgraph.gazetteer import Gazetteer

        self.version = version
        self.gazetteer = Gazetteer()
        self.parsed: list[str] = []

    def extract(self, articles, batch_size: int = 8):  # type: ignore[no-untyped-def]
        for a in articles:
            self.parsed.append(a.id)
            yield a, [event(a, "USA", "warns", "CHN")]


def write_articles(folder: Path, names: list[str]) -> None:
    folder.mkdir(exist_ok=True)
    for i, name in enumerate(names):
        (folder / name).write_text(f"Title {name}\n\n" + " ".join(f"w{i}x{j}" for j in range(60)) + "\n", encoding="utf-8")


def test_update_parses_only_new_changed_and_stale_articles(store: Store, tmp_path: Path) -> None:
    from kgraph.pipeline import update

    folder = tmp_path / "in"
    write_articles(folder, ["a.txt", "b.txt", "c.txt"])
    first = CountingExtractor("v1")
    assert update(store, first, [folder]).articles == 3  # type: ignore[arg-type]
    again = CountingExtractor("v1")
    result = update(store, lambda: again, [folder])  # type: ignore[arg-type,return-value]
    assert (result.articles, result.skipped, again.parsed) == (0, 3, [])
    result = update(store, CountingExtractor, [folder])  # a class is a factory, as in update(store, Extractor, ...)
    assert (result.articles, result.skipped) == (0, 3)
    (folder / "d.txt").write_text("Title d\n\nA brand new article about something else entirely.\n", encoding="utf-8")
    (folder / "b.txt").write_text("Title b\n\nThe article was rewritten from top to bottom.\n", encoding="utf-8")
    third = CountingExtractor("v1")
    assert update(store, third, [folder]).articles == 2  # type: ignore[arg-type]
    assert sorted(third.parsed) == ["b.txt", "d.txt"]
    newer = CountingExtractor("v2")
    result = update(store, newer, [folder], reprocess=True)  # type: ignore[arg-type]
    assert (result.reprocessed, sorted(newer.parsed)) == (4, ["a.txt", "b.txt", "c.txt", "d.txt"])
    assert store.db.execute("SELECT DISTINCT extractor FROM articles").fetchall() == [("v2",)]
    assert store.db.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 4  # replaced, not added


def test_a_build_with_nothing_new_never_makes_the_extractor(store: Store, tmp_path: Path) -> None:
    from kgraph.pipeline import update

    write_articles(tmp_path / "in", ["a.txt"])
    update(store, CountingExtractor("v1"), [tmp_path / "in"])  # type: ignore[arg-type]

    def refuse() -> None:
        raise AssertionError("the model was loaded although every article is stored")

    assert update(store, refuse, [tmp_path / "in"]).skipped == 1  # type: ignore[arg-type]


# --- outputs streamed from the store ---------------------------------------------------------


def test_edge_evidence_is_what_kgraph_evidence_lists_newest_first(filled: Store) -> None:
    f = GraphFilter(include_negated=True)
    for u, v, d in filled.graph(f, evidence_limit=0).edges(data=True):
        listed = [ev.to_dict() for ev in filled.evidence(u, d["relation"], v, include_negated=True) if ev.negated == d["negated"]]
        assert filled.edge_evidence(u, d["relation"], v, d["negated"], None, f) == listed
        assert filled.edge_evidence(u, d["relation"], v, d["negated"], 1, f) == listed[:1]
    assert [e["article"] for e in filled.edge_evidence("USA", "warns", "CHN", limit=None)] == ["2", "1"]
    assert [e["article"] for e in filled.edge_evidence("USA", "warns", "CHN", f=GraphFilter(since="2024-02-01"))] == ["2"]
    assert filled.edge_evidence("CHN", "supports", "RUS", negated=False) == []  # only the denial was said


def test_an_evidence_source_gives_what_edge_evidence_gives_in_any_order(filled: Store) -> None:
    from kgraph.graph import edge_order

    f = GraphFilter(include_negated=True)
    edges = [(u, d["relation"], v, d["negated"]) for u, v, d in sorted(filled.graph(f, evidence_limit=0).edges(data=True), key=edge_order)]
    expected = {e: filled.edge_evidence(*e, None, f) for e in edges}
    assert sum(map(len, expected.values())) == 8  # every event of the store, once
    for order in (edges, edges[::-1], edges[::2], edges[1::2] + edges[::2]):  # sorted, reversed, with edges skipped
        source = filled.evidence_source(f)
        assert {e: source(*e, None) for e in order} == {e: expected[e] for e in order}
    source = filled.evidence_source(f)
    assert [len(source(*e, 1)) for e in edges] == [1] * len(edges)  # the limit, newest first
    assert source(*edges[0], 1) == expected[edges[0]][:1]  # asked again: answered all the same


class ManyEventsExtractor:
    """Three relations in every article, one of them denied in every third: enough articles give
    an edge more sentences than the outputs carry."""

    version = "many"

    def __init__(self) -> None:
        from kgraph.gazetteer import Gazetteer

        self.gazetteer = Gazetteer()

    def extract(self, articles, batch_size: int = 8):  # type: ignore[no-untyped-def]
        for n, a in enumerate(articles):
            found = [event(a, "USA", "warns", "CHN"), event(a, "RUS", "attacks", "UKR", 1)]
            found.append(event(a, "CHN", "supports", "RUS", 2, negated=n % 3 == 0))
            yield a, found


def test_a_build_streams_the_outputs_the_in_memory_writers_write(tmp_path: Path) -> None:
    from kgraph.export import EVIDENCE_TEXT_LIMIT, write_graphml
    from kgraph.html import PAGE_EVIDENCE, page_data, render_html
    from kgraph.pipeline import build

    records = tmp_path / "in.jsonl"
    with records.open("w", encoding="utf-8") as out:
        for i in range(EVIDENCE_TEXT_LIMIT + 10):
            day = f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"
            text = f"Report {i} on the talks. " + " ".join(f"w{i}x{j}" for j in range(40))
            out.write(json.dumps({"id": f"r{i}", "title": f"Report {i}", "date": day, "text": text}) + "\n")
    result = build(ManyEventsExtractor, [records], tmp_path / "out", title="streamed")
    assert result.articles == EVIDENCE_TEXT_LIMIT + 10
    assert result.graph is not None and all(d["evidence"] == [] for _, _, d in result.graph.edges(data=True))
    with Store(tmp_path / "out" / "kgraph.db") as store:
        whole = store.graph(GraphFilter(include_negated=True), evidence_limit=None)  # every sentence on every edge
    write_graphml(whole, tmp_path / "memory.graphml")
    assert (tmp_path / "out" / "graph.graphml").read_bytes() == (tmp_path / "memory.graphml").read_bytes()
    assert (tmp_path / "out" / "graph.html").read_text(encoding="utf-8") == render_html(whole, title="streamed")
    graphml = (tmp_path / "out" / "graph.graphml").read_text(encoding="utf-8")
    assert graphml.count("... and 10 more") == 2  # warns and attacks: 60 sentences each, the newest 50 written
    page = page_data(whole)
    warns = next(e for e in page["edges"] if e["relation"] == "warns")
    assert len(warns["evidence"]) == PAGE_EVIDENCE and warns["mentions"] == EVIDENCE_TEXT_LIMIT + 10
    assert warns["evidence"][0]["date"] == max(ev["date"] for ev in whole.edges["USA", "CHN", "warns"]["evidence"])
