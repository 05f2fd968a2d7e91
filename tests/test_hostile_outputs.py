"""Safe outputs (issue 8): hostile article text gives valid GraphML and GEXF and an inert HTML page,
and an interrupted build leaves the previous outputs intact.

The browser test needs Debian's ``chromium`` (see tests/test_html.py).
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from lxml import etree
from typer.testing import CliRunner

from kgraph import build_graph, cli
from kgraph.export import read_gexf, read_graphml, write_events, write_gexf, write_graphml
from tests.test_html import KINDS, Log, browser, edge_id, event, watch  # noqa: F401  (browser is a fixture)

FIXTURES = Path(__file__).parent / "fixtures" / "hostile"
INJECTION = FIXTURES / "injection.jsonl"
# everything XML 1.0 cannot hold or must escape, and what HTML would run
NASTY = "China <script>window.pwned=1</script> & ]]> \x00\x01\x08\x0b\x1b\x7f \ud800 \udfff \ufffe <![CDATA[x]]> javascript:alert(1) \"'"

runner = CliRunner()


def nasty_graph() -> nx.MultiDiGraph:
    events = [
        event("USA", "warns", "CHN", NASTY, NASTY, title=NASTY, url="javascript:alert(1)", source_label=NASTY, trigger=NASTY),
        event("CHN", "criticizes", "USA", "a2", "Plain text & more.", negated=True),
    ]
    return build_graph(events, KINDS)


def parse_strictly(path: Path) -> etree._Element:
    return etree.parse(str(path), etree.XMLParser(recover=False, resolve_entities=False, no_network=True)).getroot()


def test_graphml_of_hostile_text_is_valid_xml_and_reads_back(tmp_path: Path) -> None:
    write_graphml(nasty_graph(), tmp_path / "g.graphml")
    parse_strictly(tmp_path / "g.graphml")
    back = read_graphml(tmp_path / "g.graphml")
    assert set(back.nodes) == {"USA", "CHN"}
    texts = [str(d["evidence"]) for _, _, d in back.edges(data=True)]
    assert any("<script>window.pwned=1</script> & ]]>" in t for t in texts)  # markup kept as text, escaped in the file


def test_gexf_of_hostile_text_is_valid_xml_and_reads_back(tmp_path: Path) -> None:
    write_gexf(nasty_graph(), tmp_path / "g.gexf")
    parse_strictly(tmp_path / "g.gexf")
    back = read_gexf(tmp_path / "g.gexf")
    assert set(back.nodes) == {"USA", "CHN"}
    assert any("<script>window.pwned=1</script>" in str(d.get("evidence")) for _, _, d in back.edges(data=True))


# ---------------------------------------------------------------- the real pipeline on the injection article


@pytest.fixture(scope="module")
def injection_build(tmp_path_factory: pytest.TempPathFactory, extractor: Any) -> Path:  # noqa: F811
    out = tmp_path_factory.mktemp("injection")
    plain = out / "plain.jsonl"
    record = json.loads(INJECTION.read_text())
    plain.write_text(json.dumps({"id": "plain", "title": "Plain", "url": "https://news.example/p", "date": record["date"],
                                 "text": "China warned Russia on Monday.\n\nRussia attacked Ukraine on Tuesday."}) + "\n")
    mp = pytest.MonkeyPatch()
    mp.setattr(cli, "_extractor", lambda *a, **k: extractor)
    try:
        for name, source in (("hostile", INJECTION), ("plain", plain)):
            result = runner.invoke(cli.app, ["build", str(source), "--out", str(out / name)])
            assert result.exit_code == 0, result.output
            assert "Traceback" not in result.output
            gexf = runner.invoke(cli.app, ["export", "-f", "gexf", "-o", str(out / name / "graph.gexf"), "--db", str(out / name / "kgraph.db")])
            assert gexf.exit_code == 0, gexf.output
    finally:
        mp.undo()
    return out


@pytest.mark.slow
def test_injection_article_gives_events_carrying_the_markup_as_text(injection_build: Path) -> None:
    events = [json.loads(line) for line in (injection_build / "hostile" / "events.jsonl").read_text().splitlines()]
    assert {(e["source"], e["relation"], e["target"]) for e in events} >= {("CHN", "warns", "RUS")}
    warns = next(e for e in events if e["relation"] == "warns")
    assert "<script>window.pwned = 1;" in warns["evidence"]
    assert warns["url"] == "javascript:window.pwned=3;alert(3)"  # kept as data; the page never makes it a link


@pytest.mark.slow
@pytest.mark.parametrize("name", ["graph.graphml", "graph.gexf"])
def test_injection_article_graph_files_parse_with_lxml_and_networkx(injection_build: Path, name: str) -> None:
    path = injection_build / "hostile" / name
    parse_strictly(path)
    graph = read_graphml(path) if name.endswith("graphml") else read_gexf(path)
    assert {"CHN", "RUS"} <= set(graph.nodes)
    assert any("window.pwned = 1" in str(d.get("evidence", "")) for _, _, d in graph.edges(data=True))


def open_built(browser: Any, path: Path) -> tuple[Any, Log]:  # noqa: F811
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    log = watch(page)
    page.goto(path.as_uri())
    page.wait_for_function("() => window.kgraph && window.kgraph.ready()", timeout=60_000)
    return page, log


@pytest.mark.slow
@pytest.mark.browser
def test_injection_article_page_runs_nothing_and_shows_the_text(injection_build: Path, browser: Any) -> None:  # noqa: F811
    globals_js = "Object.getOwnPropertyNames(window).sort()"
    elements_js = "['script', 'img', 'svg', 'iframe', 'textarea', 'object'].map(t => document.getElementsByTagName(t).length)"
    baseline, _ = open_built(browser, injection_build / "plain" / "graph.html")
    hostile, log = open_built(browser, injection_build / "hostile" / "graph.html")
    for p in (baseline, hostile):
        eid = edge_id(p, "CHN", "warns", "RUS")
        point = p.evaluate("id => window.kgraph.edgePoint(id)", eid)
        p.mouse.click(point["x"], point["y"])
        p.wait_for_timeout(300)
    assert log == Log()  # no dialog (alert), no script error, no request
    assert hostile.evaluate("window.pwned") is None
    assert hostile.evaluate(globals_js) == baseline.evaluate(globals_js)
    assert hostile.evaluate(elements_js) == baseline.evaluate(elements_js)
    shown = hostile.locator("#panel li.ev blockquote").first.text_content()
    assert shown is not None and '<script>window.pwned = 1; alert("xss")</script>' in shown
    assert hostile.locator("a[href^='javascript']").count() == 0 and baseline.locator("#panel a").count() == 1  # the plain URL is a link
    baseline.close()
    hostile.close()


# ---------------------------------------------------------------- atomic outputs


def test_a_writer_that_fails_midway_leaves_the_previous_file(tmp_path: Path) -> None:
    from kgraph.export import atomic_write

    target = tmp_path / "events.jsonl"
    target.write_text("previous\n")
    good = event("USA", "warns", "CHN", "a1", "ok")

    class Broken:
        def to_dict(self) -> dict:
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError), atomic_write(target) as handle:
        write_events([good, good, Broken()], handle)  # type: ignore[list-item]
    assert target.read_text() == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["events.jsonl"]  # no temporary file left behind


@pytest.mark.slow
def test_a_build_whose_page_writer_raises_keeps_the_previous_page(tmp_path: Path, extractor: Any, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    from kgraph import html

    monkeypatch.setattr(cli, "_extractor", lambda *a, **k: extractor)
    good = FIXTURES / "good"
    assert runner.invoke(cli.app, ["build", str(good), "--out", str(tmp_path)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.suffix in (".html", ".graphml")}
    (tmp_path / "more.txt").write_text("More\n\nIran warned Israel on Friday.")

    def broken(*args: Any, **kwargs: Any) -> Iterator[str]:
        yield "<!doctype html><p>half a page"  # the page is streamed: the crash comes mid-file
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(html, "html_chunks", broken)
    result = runner.invoke(cli.app, ["build", str(good), str(tmp_path / "more.txt"), "--out", str(tmp_path)])
    assert isinstance(result.exception, RuntimeError)
    assert (tmp_path / "graph.html").read_bytes() == before["graph.html"]
    assert not list(tmp_path.glob(".*.tmp"))


def test_killing_a_writer_mid_write_leaves_the_previous_file(tmp_path: Path) -> None:
    """A real SIGKILL while the new file is half written: the old one is still whole."""
    target = tmp_path / "graph.graphml"
    target.write_text("<previous/>\n")
    script = (
        "import sys, time\n"
        "from kgraph.export import atomic_write\n"
        "with atomic_write(sys.argv[1]) as h:\n"
        "    for i in range(10_000):\n"
        "        h.write('<line/>\\n' * 100); h.flush(); time.sleep(0.01)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script, str(target)])
    deadline = time.monotonic() + 60
    while not any(p.stat().st_size > 10_000 for p in tmp_path.glob(".graph.graphml.*.tmp")):
        assert time.monotonic() < deadline and proc.poll() is None, "the writer never started"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert target.read_text() == "<previous/>\n"
