"""The HTML explorer, checked the way a user meets it: opened from disk in headless Chromium.

Graphs are built from hand-made events with ``build_graph`` (no model needed), except the seed
screenshot, which runs the real pipeline. Browser tests need Debian's ``chromium``
(``apt-get install -y chromium``); deselect them with ``-m "not browser"``.
"""

from __future__ import annotations

import html as html_lib
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from kgraph import Event, build_graph
from kgraph.html import page_data, render_html
from kgraph.notebook import show

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
ARTIFACTS = Path(__file__).parent / "artifacts"
LABELS = {"USA": "United States", "CHN": "China", "RUS": "Russia", "UKR": "Ukraine", "NATO": "NATO", "IRN": "Iran"}
KINDS = {"USA": "state", "CHN": "state", "RUS": "state", "UKR": "state", "NATO": "organization", "IRN": "state"}
DATES = {"a1": "2024-01-10", "a2": "2024-03-05", "a3": "2024-06-01"}


def event(source: str, relation: str, target: str, article: str, text: str, negated: bool = False, sentence: int = 0, **kw: Any) -> Event:
    fields: dict[str, Any] = dict(
        article=article, date=DATES.get(article), sentence=sentence, source=source, source_label=LABELS.get(source, source),
        relation=relation, target=target, target_label=LABELS.get(target, target), negated=negated, confidence=0.9,
        evidence=text, title=f"Headline of {article}", url=f"https://news.example/{article}",
    )
    fields.update(kw)
    return Event(**fields)


EVENTS = [
    event("USA", "warns", "CHN", "a1", "Washington warned Beijing in January."),
    event("USA", "warns", "CHN", "a3", "Washington warned Beijing again in June."),
    event("CHN", "supports", "RUS", "a2", "China supports Russia's war effort."),
    event("RUS", "attacks", "UKR", "a1", "Russia attacked Ukraine in January.", sentence=1),
    event("RUS", "attacks", "UKR", "a2", "Russia attacked Ukraine in March.", sentence=1),
    event("RUS", "attacks", "UKR", "a3", "Russia attacked Ukraine in June.", sentence=1),
    event("NATO", "meets", "USA", "a2", "NATO met US officials.", sentence=2),
    event("USA", "criticizes", "CHN", "a3", "The US criticized China.", sentence=2),
    event("IRN", "supports", "RUS", "a2", "Iran denied supporting Russia.", negated=True, sentence=3),
    event("USA", "sanctions", "RUS", "a1", "The US sanctioned Russian banks.", sentence=2),
]


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return build_graph(EVENTS, KINDS)


# ---------------------------------------------------------------- the page as a file


def test_page_is_one_file_with_nothing_to_fetch(graph: nx.MultiDiGraph) -> None:
    page = render_html(graph, title="test")
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)=""", page)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp and "default-src 'none'" in csp.group(1) and "unsafe-inline" not in csp.group(1).split("script-src")[1].split(";")[0]


def test_render_does_not_touch_the_graph(graph: nx.MultiDiGraph) -> None:
    before = nx.to_dict_of_dicts(graph), dict(graph.graph), dict(graph.nodes(data=True))
    render_html(graph, max_edges=2)
    assert (nx.to_dict_of_dicts(graph), dict(graph.graph), dict(graph.nodes(data=True))) == before


def test_a_page_carries_a_bounded_share_of_a_big_graph(graph: nx.MultiDiGraph) -> None:
    from kgraph.html import summary

    data = page_data(graph, page_edges=2, page_evidence=1)
    assert [(e["from"], e["relation"], e["to"]) for e in data["edges"]] == [("RUS", "attacks", "UKR"), ("USA", "warns", "CHN")]
    assert {n["id"] for n in data["nodes"]} == {"RUS", "UKR", "USA", "CHN"}  # only the actors of the relations it holds
    assert [len(e["evidence"]) for e in data["edges"]] == [1, 1] and data["edges"][0]["mentions"] == 3
    assert data["edges"][0]["evidence"][0]["date"] == "2024-06-01"  # the newest sentence
    assert data["edges"][0]["dates"] == ["2024-01-10", "2024-03-05", "2024-06-01"]  # the date filter still sees them all
    assert "the page holds the strongest 2 (graph.graphml has them all)" in summary(data["info"])
    assert "the page holds" not in summary(page_data(graph)["info"])  # a small graph goes whole


def test_the_page_data_written_piece_by_piece_is_the_page_data(graph: nx.MultiDiGraph) -> None:
    import html as html_lib
    import json

    from kgraph.html import page_data

    title = 'Odd \x00kgraph-data\x00 </script> "title"'  # holds the cut mark the page is streamed around
    page = render_html(graph, title=title, max_edges=2)
    shown = json.loads(page.split('<script type="application/json" id="kgraph-data">')[1].split("</script>")[0])
    assert shown == json.loads(json.dumps(page_data(graph, title=title, max_edges=2)))
    assert html_lib.unescape(page.split("<title>")[1].split("</title>")[0]).startswith(title + ":")


def test_max_edges_must_be_positive(graph: nx.MultiDiGraph) -> None:
    with pytest.raises(ValueError, match="max_edges"):
        render_html(graph, max_edges=0)


# ---------------------------------------------------------------- in Chromium


@dataclass
class Log:
    """What the page did that a user would notice or a network monitor would see."""

    aborted: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"browser tests need {CHROMIUM}: apt-get install -y chromium (or deselect with -m 'not browser')")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def watch(page: Any) -> Log:
    log = Log()

    def route(r: Any) -> None:
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            log.aborted.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("requestfailed", lambda r: log.failed.append(r.url))
    page.on("console", lambda m: log.errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: log.errors.append(str(e)))

    def dialog(d: Any) -> None:
        log.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    return log


def open_page(browser: Any, graph: nx.MultiDiGraph, path: Path, **kw: Any) -> tuple[Any, Log]:
    path.write_text(render_html(graph, **kw), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    log = watch(page)
    page.goto(path.as_uri())
    page.wait_for_function("() => window.kgraph && window.kgraph.ready()", timeout=60_000)
    return page, log


@pytest.fixture
def page(browser: Any, graph: nx.MultiDiGraph, tmp_path: Path) -> Iterator[Any]:
    opened, log = open_page(browser, graph, tmp_path / "graph.html", title="test graph")
    opened.log = log
    yield opened
    opened.close()


def edge_id(page: Any, source: str, relation: str, target: str) -> str:
    found = page.evaluate(
        """([s, r, t]) => window.kgraph.visibleEdges().filter(id => {
             const e = window.kgraph.edge(id); return e.from === s && e.relation === r && e.to === t; })""",
        [source, relation, target],
    )
    assert len(found) == 1, f"{source} {relation} {target} is not on screen"
    return str(found[0])


def shown_relations(page: Any) -> set[tuple[str, str, str]]:
    return {(e["from"], e["relation"], e["to"]) for e in page.evaluate("window.kgraph.visibleEdges().map(window.kgraph.edge)")}


ASSERTED = {  # the non-denied relations of EVENTS
    ("USA", "warns", "CHN"),
    ("CHN", "supports", "RUS"),
    ("RUS", "attacks", "UKR"),
    ("NATO", "meets", "USA"),
    ("USA", "criticizes", "CHN"),
    ("USA", "sanctions", "RUS"),
}


@pytest.mark.browser
def test_loads_offline_with_expected_network(page: Any) -> None:
    assert page.log == Log()
    assert page.evaluate("window.kgraph.counts()") == {"nodes": 5, "edges": 6, "matching": 6, "total": 7}
    assert shown_relations(page) == ASSERTED
    assert page.title() == "test graph: 6 actors, 9 events in 6 relations; denied: 1 event in 1 relation, from 3 articles, 2024-01-10 to 2024-06-01"
    assert page.inner_text("#status-text") == "Showing 6 relations between 5 actors. 1 hidden by the filters."


@pytest.mark.browser
def test_denied_relations_are_hidden_until_asked_then_dashed(page: Any) -> None:
    assert ("IRN", "supports", "RUS") not in shown_relations(page)
    page.check("#negated")
    assert shown_relations(page) == ASSERTED | {("IRN", "supports", "RUS")}
    assert page.evaluate("window.kgraph.counts().nodes") == 6
    denied = edge_id(page, "IRN", "supports", "RUS")
    assert page.evaluate("id => window.kgraph.edge(id).negated", denied) is True


@pytest.mark.browser
def test_clicking_an_edge_shows_its_evidence_newest_first(page: Any) -> None:
    eid = edge_id(page, "USA", "warns", "CHN")
    point = page.evaluate("id => window.kgraph.edgePoint(id)", eid)
    page.mouse.click(point["x"], point["y"])
    assert page.evaluate("window.kgraph.selected()") == {"kind": "edge", "id": eid}
    assert page.inner_text("#panel h2") == "United States \u2192 warns \u2192 China"
    assert page.inner_text("#panel h3") == "Evidence, newest first (2)"
    assert page.locator("#panel li.ev blockquote").all_inner_texts() == ["Washington warned Beijing again in June.", "Washington warned Beijing in January."]
    assert page.locator("#panel li.ev .date").all_inner_texts() == ["2024-06-01", "2024-01-10"]
    links = page.locator("#panel li.ev a")
    assert links.all_inner_texts() == ["Headline of a3", "Headline of a1"]
    assert links.first.get_attribute("href") == "https://news.example/a3"


@pytest.mark.browser
def test_a_page_holding_part_of_the_evidence_says_how_much(browser: Any, graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    page, log = open_page(browser, graph, tmp_path / "short.html", page_evidence=1)
    eid = edge_id(page, "USA", "warns", "CHN")
    point = page.evaluate("id => window.kgraph.edgePoint(id)", eid)
    page.mouse.click(point["x"], point["y"])
    assert page.inner_text("#panel h3") == "Evidence, newest first (1 of 2; kgraph evidence lists them all)"
    assert page.locator("#panel li.ev blockquote").all_inner_texts() == ["Washington warned Beijing again in June."]
    assert not log.errors
    page.close()


@pytest.mark.browser
def test_clicking_an_actor_highlights_its_neighbourhood_and_lists_its_relations(page: Any) -> None:
    point = page.evaluate("window.kgraph.nodePoint('CHN')")
    page.mouse.click(point["x"], point["y"])
    assert page.evaluate("window.kgraph.selected()") == {"kind": "node", "id": "CHN"}
    assert sorted(page.evaluate("window.kgraph.highlighted()")) == ["CHN", "RUS", "USA"]
    rows = page.locator("#panel button.row").all_inner_texts()
    assert len(rows) == 3 and any("United States \u2192 warns \u2192 China" in r and "2 articles" in r for r in rows)
    page.locator("#panel button.row", has_text="supports").click()
    assert page.inner_text("#panel h2") == "China \u2192 supports \u2192 Russia"


@pytest.mark.browser
@pytest.mark.parametrize(
    ("query", "actor"),
    [("ukr", "UKR"), ("Russ", "RUS"), ("united states", "USA"), ("Moscow", "RUS"), ("kremlin", "RUS"), ("Beijing", "CHN"), ("Kyiv", "UKR")],
)
def test_search_focuses_the_actor(page: Any, query: str, actor: str) -> None:
    page.fill("#search", query)
    page.press("#search", "Enter")
    assert page.evaluate("window.kgraph.selected()") == {"kind": "node", "id": actor}
    center, pos = page.evaluate("[window.kgraph.viewCenter(), window.kgraph.positions()]")
    assert abs(center["x"] - pos[actor]["x"]) < 1 and abs(center["y"] - pos[actor]["y"]) < 1
    assert page.inner_text("#panel h2") == LABELS[actor]


@pytest.mark.browser
def test_search_without_a_match_says_so(page: Any) -> None:
    page.fill("#search", "Atlantis")
    page.press("#search", "Enter")
    assert page.inner_text("#search-note") == "No actor matches \u201cAtlantis\u201d"
    assert page.evaluate("window.kgraph.selected()") is None


@pytest.mark.browser
def test_search_brings_back_an_actor_with_no_shown_relation(page: Any) -> None:
    page.fill("#search", "Iran")
    page.press("#search", "Enter")
    assert page.evaluate("window.kgraph.selected()") == {"kind": "node", "id": "IRN"}
    assert "IRN" in page.evaluate("window.kgraph.visibleNodes()")
    assert "hidden by filters" in page.inner_text("#panel")


@pytest.mark.browser
def test_legend_switches_a_relation_off_and_on(page: Any) -> None:
    chip = page.locator('#legend button[data-relation="warns"]')
    chip.click()
    assert shown_relations(page) == ASSERTED - {("USA", "warns", "CHN")}
    assert chip.get_attribute("aria-pressed") == "false"
    chip.click()
    assert shown_relations(page) == ASSERTED


@pytest.mark.browser
def test_colour_by_cooperation_or_conflict(page: Any) -> None:
    def swatch(relation: str) -> str:
        return str(page.locator(f'#legend button[data-relation="{relation}"] .swatch').evaluate("s => getComputedStyle(s).backgroundColor"))

    before = {r: swatch(r) for r in ("warns", "attacks", "meets", "supports")}
    page.select_option("#color-by", "quad")
    after = {r: swatch(r) for r in before}
    assert len(set(before.values())) == 4 and after["warns"] == after["attacks"] != after["meets"] == after["supports"]


@pytest.mark.browser
def test_date_range_filters_edges_by_evidence_dates(page: Any) -> None:
    assert page.input_value("#from") == "2024-01-10" and page.input_value("#to") == "2024-06-01"
    page.fill("#from", "2024-03-01")
    assert shown_relations(page) == ASSERTED - {("USA", "sanctions", "RUS")}
    page.fill("#to", "2024-03-31")
    assert shown_relations(page) == {("CHN", "supports", "RUS"), ("RUS", "attacks", "UKR"), ("NATO", "meets", "USA")}
    assert page.inner_text("#status-text") == "Showing 3 relations between 5 actors. 4 hidden by the filters."
    page.click("#dates-reset")
    assert shown_relations(page) == ASSERTED


@pytest.mark.browser
def test_physics_stops_once_laid_out(page: Any) -> None:
    before = page.evaluate("window.kgraph.positions()")
    page.wait_for_timeout(800)
    assert page.evaluate("window.kgraph.positions()") == before


def weighted_events(n_edges: int) -> list[Event]:
    """``n_edges`` relations in a ring of actors; relation i is stated by 1 + i % 7 articles."""
    out = []
    for i in range(n_edges):
        s, t = f"X{i % 40:02d}", f"X{(i * 7 + 1) % 40:02d}"
        relation = ("supports", "warns", "attacks", "criticizes", "demands", "opposes")[i // 40 % 6]
        out += [event(s, relation, t, f"b{i}-{k}", f"Sentence {i}.{k}", date=f"2024-02-{1 + k:02d}") for k in range(1 + i % 7)]
    return out


@pytest.mark.browser
def test_large_graph_opens_with_the_strongest_edges_and_shows_more(browser: Any, tmp_path: Path) -> None:
    big = build_graph(weighted_events(120))
    assert big.number_of_edges() == 120
    page, log = open_page(browser, big, tmp_path / "big.html", max_edges=30)
    shown = page.evaluate("window.kgraph.visibleEdges()")
    weights = sorted((d["weight"] for _, _, d in big.edges(data=True)), reverse=True)
    shown_weights = sorted((big.edges[e["from"], e["to"], e["relation"]]["weight"] for e in page.evaluate("window.kgraph.visibleEdges().map(window.kgraph.edge)")), reverse=True)
    assert len(shown) == 30 and shown_weights == weights[:30]
    assert page.inner_text("#status-text") == "Showing the 30 strongest of 120 relations (most articles first)."
    placed = page.evaluate("window.kgraph.positions()")
    page.click("#more")
    page.wait_for_function("() => document.getElementById('loading').hidden")
    assert page.evaluate("window.kgraph.counts().edges") == 60
    page.click("#all")
    page.wait_for_function("() => document.getElementById('loading').hidden")
    assert page.evaluate("window.kgraph.counts().edges") == 120 and page.is_hidden("#all")
    after = page.evaluate("window.kgraph.positions()")
    assert all(after[n] == placed[n] for n in placed), "actors already on screen must not move when more are shown"
    assert log == Log()
    page.close()


# ---------------------------------------------------------------- hostile article text

HOSTILE_TITLE = '"><script>window.pwnedTitle=1</script><img src=x onerror="window.pwnedImg=1;alert(1)">'
HOSTILE_TEXT = "</script><script>alert(2)</script> <b onmouseover=alert(3)>bold</b> it's \"quoted\" \u2028 {{ 7*7 }}"
HOSTILE_LABEL = "<img src=y onerror=alert(4)>Evil</b>"


def injection_graph(hostile: bool) -> nx.MultiDiGraph:
    title, text, label, url = (
        (HOSTILE_TITLE, HOSTILE_TEXT, HOSTILE_LABEL, "javascript:alert(5)") if hostile else ("Plain title", "Plain text", "Plain", "https://news.example/x")
    )
    return build_graph(
        [event("EVL", "attacks", "USA", "a1", text, title=title, url=url, source_label=label), event("USA", "warns", "EVL", "a2", "Calm sentence.")], KINDS
    )


@pytest.mark.browser
def test_article_text_never_runs_and_shows_literally(browser: Any, tmp_path: Path) -> None:
    globals_js = "Object.getOwnPropertyNames(window).sort()"
    elements_js = "['script', 'img', 'b', 'iframe', 'style'].map(t => document.getElementsByTagName(t).length)"
    baseline, _ = open_page(browser, injection_graph(False), tmp_path / "plain.html")
    hostile, log = open_page(browser, injection_graph(True), tmp_path / "hostile.html")
    for p in (baseline, hostile):
        eid = edge_id(p, "EVL", "attacks", "USA")
        point = p.evaluate("id => window.kgraph.edgePoint(id)", eid)
        p.mouse.click(point["x"], point["y"])
        p.mouse.move(*p.evaluate("Object.values(window.kgraph.nodePoint('EVL'))"))  # hover: the tooltip shows the label
        p.wait_for_timeout(300)
    assert log == Log()  # no dialog, no error, no request
    assert hostile.evaluate(globals_js) == baseline.evaluate(globals_js)
    assert hostile.evaluate(elements_js) == baseline.evaluate(elements_js)
    assert hostile.evaluate("[window.pwnedTitle, window.pwnedImg]") == [None, None]
    assert hostile.locator("#panel li.ev blockquote").text_content() == HOSTILE_TEXT
    assert hostile.locator("#panel li.ev .title").text_content() == HOSTILE_TITLE  # javascript: URL: shown as text, no link
    assert hostile.locator("#panel a").count() == 0
    assert HOSTILE_LABEL in hostile.inner_text("#panel h2")
    assert HOSTILE_LABEL in hostile.text_content(".vis-tooltip")
    baseline.close()
    hostile.close()


# ---------------------------------------------------------------- notebook and screenshot


@pytest.mark.browser
def test_notebook_show_embeds_the_same_explorer(browser: Any, graph: nx.MultiDiGraph) -> None:
    shown = show(graph, height=600, title="nb")
    assert shown.data.startswith('<div class="kgraph-explorer"><iframe srcdoc=') and 'sandbox="allow-scripts' in shown.data
    assert html_lib.unescape(shown.data.split('srcdoc="')[1].split('"')[0]) == render_html(graph, title="nb")
    page = browser.new_page(viewport={"width": 1200, "height": 700})
    log = watch(page)
    page.set_content(f"<!DOCTYPE html><html><body>{shown.data}</body></html>")
    frame = page.frames[1]
    frame.wait_for_function("() => window.kgraph && window.kgraph.ready()", timeout=60_000)
    assert frame.evaluate("window.kgraph.counts()") == {"nodes": 5, "edges": 6, "matching": 6, "total": 7}
    assert log == Log()
    page.close()


@pytest.mark.browser
@pytest.mark.slow
def test_screenshot_of_the_seed_graph(request: pytest.FixtureRequest, browser: Any, tmp_path: Path) -> None:
    """Builds the seed articles with the real model and saves tests/artifacts/explorer.png."""
    from kgraph import run

    from .conftest import SEED
    extractor = request.getfixturevalue("extractor")
    result = run(extractor, [SEED])
    kinds = {a: extractor.gazetteer.kind(a) for e in result.events for a in (e.source, e.target)}
    seed_graph = build_graph(result.events, kinds)
    assert seed_graph.number_of_edges() > 0
    page, log = open_page(browser, seed_graph, tmp_path / "seed.html", title="Seed articles")
    strongest = page.evaluate("window.kgraph.visibleEdges()[0]")
    point = page.evaluate("id => window.kgraph.edgePoint(id)", strongest)
    page.mouse.click(point["x"], point["y"])
    assert page.locator("#panel li.ev").count() == seed_graph.edges[
        page.evaluate("id => [window.kgraph.edge(id).from, window.kgraph.edge(id).to, window.kgraph.edge(id).relation]", strongest)
    ]["mentions"]
    assert log == Log()
    page.mouse.move(5, 790)  # no tooltip over the picture
    page.wait_for_timeout(300)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "explorer.png"))
    assert (ARTIFACTS / "explorer.png").stat().st_size > 10_000
    page.close()
    shutil.rmtree(tmp_path, ignore_errors=True)


#: The largest radius the page draws a node with (vis ``scaling.max``), in canvas units.
NODE_RADIUS = 34
#: ``[node, point]`` -> how far (in canvas units) the page point is from the node's centre.
UNDER_NODE = """([id, pt]) => {
  const k = window.kgraph, p = k.positions(), [a, b] = Object.keys(p), pa = k.nodePoint(a), pb = k.nodePoint(b);
  const scale = Math.hypot(pa.x - pb.x, pa.y - pb.y) / Math.hypot(p[a].x - p[b].x, p[a].y - p[b].y);
  const c = k.nodePoint(id);
  return Math.hypot(c.x - pt.x, c.y - pt.y) / scale;
}"""


@pytest.mark.browser
@pytest.mark.slow
def test_clicking_the_middle_of_every_edge_picks_that_edge(request: pytest.FixtureRequest, browser: Any, tmp_path: Path) -> None:
    """The sample articles' page: where a user clicks an edge (its midpoint), that edge opens,
    not a neighbouring one drawn later."""
    from kgraph import run

    from .conftest import ROOT

    extractor = request.getfixturevalue("extractor")
    result = run(extractor, [ROOT / "data" / "articles"])
    sample = build_graph(result.events, {a: extractor.gazetteer.kind(a) for e in result.events for a in (e.source, e.target)})
    page, log = open_page(browser, sample, tmp_path / "sample.html")
    ids = page.evaluate("window.kgraph.visibleEdges()")
    assert len(ids) == sample.number_of_edges() - sum(1 for _, _, d in sample.edges(data=True) if d["negated"])
    wrong = []
    DEBUG = """([a, b, pt]) => [a, b].map(id => { const e = window.kgraph.edge(id); return [e.from, e.relation, e.to, window.kgraph.edgePoint(id)]; })"""
    under = []  # edges whose middle is drawn under a node: a click there rightly picks the node
    for eid in ids:
        point = page.evaluate("id => window.kgraph.edgePoint(id)", eid)
        page.mouse.click(point["x"], point["y"])
        picked = page.evaluate("window.kgraph.selected()")
        if picked and picked["kind"] == "node" and page.evaluate(UNDER_NODE, [picked["id"], point]) <= NODE_RADIUS:
            under.append(eid)
        elif picked != {"kind": "edge", "id": eid}:
            wrong.append((eid, picked, page.evaluate(DEBUG, [eid, picked["id"] if picked and picked["kind"] == "edge" else eid, point])))
        page.keyboard.press("Escape")
    assert wrong == []
    assert len(under) <= len(ids) // 10, under  # a coincidence of the layout, not the rule
    assert log == Log()
    page.close()


def test_the_page_knows_the_other_names_of_each_actor(graph: nx.MultiDiGraph) -> None:
    nodes = {n["id"]: n for n in page_data(graph)["nodes"]}
    assert {"Moscow", "Kremlin", "Russian Federation"} <= set(nodes["RUS"]["aliases"])
    assert "Beijing" in nodes["CHN"]["aliases"] and "Russia" not in nodes["RUS"]["aliases"]  # the label is not repeated
