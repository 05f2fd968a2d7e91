"""Issue 18: what kgraph writes cannot attack whoever opens it: no formula runs in a
spreadsheet, no control character hides in a label, no escape code reaches a terminal."""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgraph import cli
from kgraph.export import FORMULA_STARTS
from kgraph.records import Article, Event
from kgraph.store import Store

sys.path.insert(0, str(Path(__file__).parent))
from stub_kgraph import engine, story  # noqa: E402

runner = CliRunner()
HOSTILE = {
    "EVIL": '=HYPERLINK("http://x","y")',
    "SUMS": "@SUM(1+1)",
    "PLUS": "+1+1",
    "MINUS": "-2+3*cmd|' /C calc'!A0",
    "TABS": "\tTabbed",
    "CR": "\rReturned",
    "RED": "Red\x1b[31m Army\x07\u202e",
}


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A store whose actor labels (as an --actors file or an article gives them) are hostile."""
    path = tmp_path / "kgraph.db"
    with Store(path) as s:
        ids = list(HOSTILE)
        for n, (a, b) in enumerate(zip(ids, ids[1:] + ids[:1], strict=True)):
            article = Article(id=f"{n}.txt", text=f"Story {n}\n\n{a} warned {b}.", title=f"=cmd {n}", date="2024-06-18", origin=f"{n}.txt")
            event = Event(article.id, article.date, 0, a, HOSTILE[a], "warns", b, HOSTILE[b], False, 0.9, f"=1+{n} {a} warned {b}.", title=article.title)
            s.add(article, [event], "v1", {a: (HOSTILE[a], "group"), b: (HOSTILE[b], "group")})
    return path


def test_no_csv_cell_starts_with_a_formula_character(store: Path, tmp_path: Path) -> None:
    result = runner.invoke(cli.app, ["export", "-f", "csv", "-o", str(tmp_path / "csv"), "--db", str(store)])
    assert result.exit_code == 0, result.output
    cells = []
    for name in ("nodes.csv", "edges.csv"):
        with open(tmp_path / "csv" / name, newline="", encoding="utf-8") as handle:
            cells += [cell for row in csv.reader(handle) for cell in row]
    assert len(cells) > 50
    assert [c for c in cells if c.startswith(FORMULA_STARTS)] == []
    assert "'=HYPERLINK(\"http://x\",\"y\")" in cells and "'@SUM(1+1)" in cells and "'+1+1" in cells  # shown as text, kept
    assert "Red [31m Army" in cells  # control characters stripped from the label
    assert not any(ch in cell for cell in cells for ch in "\x1b\x07\u202e")


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_labels_carry_no_control_characters_in_any_output(store: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"graph.{fmt}"
    result = runner.invoke(cli.app, ["export", "-f", fmt, "-o", str(out), "--db", str(store)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "Red [31m Army" in text
    assert not any(ch in text for ch in "\x1b\x07\u202e")


def test_labels_carry_no_control_characters_in_the_page_and_listings(store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kgraph.export import write_html

    with Store(store) as s:
        write_html(s.graph(), tmp_path / "graph.html")
    page = (tmp_path / "graph.html").read_text(encoding="utf-8")
    assert "Red [31m Army" in page and "\x1b" not in page and "\\u001b" not in page.lower()
    listing = runner.invoke(cli.app, ["actors", "--db", str(store)])
    assert listing.exit_code == 0 and "Red [31m Army" in listing.stdout and "\x1b" not in listing.stdout


def test_escape_codes_in_file_names_and_urls_are_escaped_on_the_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_engine", engine)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(story("USA CHN"), encoding="utf-8")
    (folder / "\x1b[2J\x1b[31mevil.txt").write_text("", encoding="utf-8")  # clears the screen when printed raw
    (folder / "list.urls").write_text("http://example.org/\x1b]8;;http://x\x07link\n", encoding="utf-8")
    (folder / os.fsdecode(b"bad \xff.txt")).write_text("", encoding="utf-8")
    result = runner.invoke(cli.app, ["extract", str(folder), "-o", str(tmp_path / "events.jsonl"), "--offline", "--cache", str(tmp_path / "c")])
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert f"kgraph: skipped {folder}/\\x1b[2J\\x1b[31mevil.txt: file is empty" in result.stderr
    assert f"kgraph: skipped {folder}/bad \\xff.txt: file is empty" in result.stderr
    assert "\\x1b]8;;http://x\\x07link" in result.stderr


def test_urls_and_titles_from_records_are_escaped_by_kgraph_evidence(tmp_path: Path) -> None:
    db = tmp_path / "kgraph.db"
    with Store(db) as s:
        article = Article(id="r1", text="Title\n\nUSA warned CHN.", title="Title \x1b]0;owned\x07", url="http://x.example/\x1b[2Ja", origin="r.jsonl:1")
        s.add(article, [Event("r1", None, 0, "USA", "USA", "warns", "CHN", "CHN", False, 0.9, "USA warned CHN.", url=article.url)], "v1")
    result = runner.invoke(cli.app, ["evidence", "USA", "warns", "CHN", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "http://x.example/\\x1b[2Ja" in result.stdout


def test_labels_carry_no_control_characters_in_events_jsonl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """events.jsonl (of build and extract) holds each event's labels, which an --actors file gives as
    it likes: a bidirectional override or a C1 CSI was written raw, an escape as \\u001b."""
    import dataclasses
    import json
    import sqlite3

    from stub_kgraph import StubExtractor

    labels = {"USA": "Red\x1b[31m Army\x07\u202e", "CHN": "Blue\x9b2J\u2066Navy"}

    class Hostile(StubExtractor):
        def extract(self, articles, batch_size=8, **kwargs):  # type: ignore[no-untyped-def]
            for article, events in super().extract(articles, batch_size, **kwargs):
                yield article, [dataclasses.replace(e, source_label=labels[e.source], target_label=labels[e.target]) for e in events]

    monkeypatch.setattr(cli, "_engine", lambda *a, **k: Hostile())
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(story("USA CHN"), encoding="utf-8")
    built = runner.invoke(cli.app, ["build", str(tmp_path / "in"), "-o", str(tmp_path / "out")])
    extracted = runner.invoke(cli.app, ["extract", str(tmp_path / "in"), "-o", str(tmp_path / "events.jsonl")])
    assert built.exit_code == 0 and extracted.exit_code == 0, built.stderr + extracted.stderr

    def check(path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        assert "\\u001b" not in text and not any(ch in text for ch in "\x1b\x07\x9b\u202e\u2066")
        records = [json.loads(line) for line in text.splitlines()]
        assert records and {r[k] for r in records for k in ("source_label", "target_label")} == {"Red [31m Army", "Blue 2J Navy"}

    check(tmp_path / "out" / "events.jsonl")
    check(tmp_path / "events.jsonl")
    # a store written before labels were cleaned keeps raw labels in its records: events.jsonl cleans them
    con = sqlite3.connect(tmp_path / "out" / "kgraph.db")
    con.execute("UPDATE events SET record = replace(record, '\"Red [31m Army\"', '\"Red\\u001b[31m Army\u202e\"')")
    con.commit()
    con.close()
    assert "\\u001b" in (tmp_path / "out" / "kgraph.db").read_bytes().decode("latin-1")
    (tmp_path / "out" / "events.jsonl").unlink()
    (tmp_path / "in" / "b.txt").write_text(story("CHN USA", 2), encoding="utf-8")  # something new, so the outputs are written again
    assert runner.invoke(cli.app, ["build", str(tmp_path / "in"), "-o", str(tmp_path / "out")]).exit_code == 0
    check(tmp_path / "out" / "events.jsonl")
