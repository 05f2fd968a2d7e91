"""What a command-line user checks: where outputs go, which store is read, re-extraction,
progress, Ctrl-C, counts and where summaries go (no model: a stand-in extractor reads
"USA warns CHN." sentences)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kgraph import cli
from kgraph.export import read_graphml
from kgraph.gazetteer import Gazetteer
from kgraph.progress import Progress
from kgraph.records import Article, Event

runner = CliRunner()
SENTENCE = re.compile(r"\b([A-Z]{3}) (does not )?(warns?|meets?|attacks?|supports?) ([A-Z]{3})\b")


class StandIn:
    """Events from "USA warns CHN." sentences; a --lexicon file (any content) adds its digest to the
    version and makes "meets" a relation, as a real lexicon change would change what is found."""

    loads = 0
    interrupt_after: int | None = None

    def __init__(self, lexicon: Iterable[Path] = ()) -> None:
        type(self).loads += 1
        files = [Path(p).read_bytes() for p in lexicon]
        self.version = "stand-in+" + hashlib.sha256(b"".join(files)).hexdigest()[:8]
        self.meets = bool(files)
        self.languages = frozenset({"en"})
        self.gazetteer = Gazetteer()

    def extract(self, articles: Iterable[Article], batch_size: int = 8) -> Iterator[tuple[Article, list[Event]]]:
        for n, a in enumerate(articles):
            if self.interrupt_after is not None and n == self.interrupt_after:
                raise KeyboardInterrupt
            found = []
            for i, m in enumerate(SENTENCE.finditer(a.text)):
                relation = {"warn": "warns", "meet": "meets", "attack": "attacks", "support": "supports"}.get(m[3], m[3])
                if relation == "meets" and not self.meets:
                    continue
                found.append(Event(article=a.id, date=a.date, sentence=i, source=m[1], source_label=m[1], relation=relation,
                                   target=m[4], target_label=m[4], negated=bool(m[2]), confidence=0.9, evidence=m[0]))  # fmt: skip
            yield a, found


@pytest.fixture()
def stand_in(monkeypatch: pytest.MonkeyPatch) -> type[StandIn]:
    StandIn.loads, StandIn.interrupt_after = 0, None
    monkeypatch.setattr(cli, "_extractor", lambda model, actors, lexicon, *rest: StandIn(lexicon or []))
    monkeypatch.delenv("KGRAPH_DB", raising=False)
    return StandIn


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    texts = {
        "a.txt": "Talks\nDate: 2024-01-02\n\nUSA warns CHN. USA meets CHN.",
        "b.txt": "More talks\nDate: 2024-01-03\n\nUSA warns CHN again. RUS attacks UKR.",
        "c.txt": "Denial\nDate: 2024-01-04\n\nRUS does not support CHN, officials said. CHN supports RUS.",
    }
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def build(corpus: Path, out: Path, *args: str) -> Any:
    result = runner.invoke(cli.app, ["build", str(corpus), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    return result


# --- 1. outputs never destroy what they name -------------------------------------------------------


def test_dash_is_standard_output_and_no_file_named_dash(stand_in: type, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(corpus, tmp_path / "out")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli.app, ["export", "-f", "json", "-o", "-", "--db", str(tmp_path / "out" / "kgraph.db")])
    assert result.exit_code == 0, result.output
    assert {e["relation"] for e in json.loads(result.stdout)["edges"]} == {"warns", "attacks", "supports"}
    assert not (tmp_path / "-").exists()
    assert "-> standard output" in result.stderr


@contextlib.contextmanager
def fifo_behind_symlink(tmp_path: Path, name: str) -> Iterator[tuple[Path, Path, list[bytes]]]:
    """(FIFO ``pipe``, symlink ``name`` to it, what a reader got from the FIFO once the block ends)."""
    fifo, link = tmp_path / "pipe", tmp_path / name
    os.mkfifo(fifo)
    link.symlink_to(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    try:
        yield fifo, link, received
    finally:
        reader.join(timeout=30)


def test_a_fifo_behind_a_symlink_is_written_in_place_not_replaced(stand_in: type, corpus: Path, tmp_path: Path) -> None:
    build(corpus, tmp_path / "out")
    with fifo_behind_symlink(tmp_path, "link") as (fifo, link, received):
        result = runner.invoke(cli.app, ["export", "-f", "graphml", "-o", str(link), "--db", str(tmp_path / "out" / "kgraph.db")])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and stat.S_ISFIFO(fifo.stat().st_mode)  # both still what they were
    assert received and received[0].startswith(b"<?xml") and b"</graphml>" in received[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "news", "out", "pipe"]  # no temporary file left


def test_a_symlink_to_a_file_stays_a_symlink(stand_in: type, corpus: Path, tmp_path: Path) -> None:
    build(corpus, tmp_path / "out")
    real, link = tmp_path / "real.gexf", tmp_path / "link.gexf"
    real.write_text("old")
    link.symlink_to(real)
    result = runner.invoke(cli.app, ["export", "-f", "gexf", "-o", str(link), "--db", str(tmp_path / "out" / "kgraph.db")])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("<?xml")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "-f", "json", "-o", "{folder}"], "is a folder: give a file name"),
        (["export", "-f", "csv", "-o", "{file}"], "is not a folder"),
        (["export", "-f", "csv", "-o", "-"], "give a folder, not '-'"),
        (["build", "{corpus}", "-o", "{file}"], "is not a folder"),
        (["extract", "{corpus}", "-o", "{folder}"], "is a folder: give a file name"),
    ],
)
def test_a_folder_where_a_file_is_expected_is_one_line(stand_in: type, corpus: Path, tmp_path: Path, args: list[str], message: str) -> None:
    build(corpus, tmp_path / "out")
    (tmp_path / "folder").mkdir()
    (tmp_path / "file").write_text("keep me")
    names = {"{folder}": tmp_path / "folder", "{file}": tmp_path / "file", "{corpus}": corpus}
    argv = [str(names.get(a, a)) for a in args]
    if argv[0] == "export":
        argv += ["--db", str(tmp_path / "out" / "kgraph.db")]
    result = runner.invoke(cli.app, argv)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("kgraph: error:")]
    assert len(errors) == 1 and message in errors[0] and "Traceback" not in result.output
    assert (tmp_path / "file").read_text() == "keep me" and (tmp_path / "folder").is_dir()


# --- 3. the store a query reads: KGRAPH_DB, named in "not found", shown after build ---------------


def test_build_ends_with_the_command_that_queries_it_and_kgraph_db_finds_it(
    stand_in: type, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = build(corpus, Path("my-out"))
    store = str(Path("my-out") / "kgraph.db")
    assert result.stderr.splitlines()[-1] == f"query it: kgraph stats --db {store}   (or: export KGRAPH_DB={store})"
    missing = runner.invoke(cli.app, ["show", "USA"])  # out/kgraph.db: not there
    assert missing.exit_code == 1 and str(Path("out") / "kgraph.db") in missing.stderr
    found = runner.invoke(cli.app, ["show", "USA"], env={"KGRAPH_DB": store})
    assert found.exit_code == 0 and found.stdout.startswith("USA (")
    nobody = runner.invoke(cli.app, ["show", "Turkey"], env={"KGRAPH_DB": store})
    assert nobody.exit_code == 1
    assert nobody.stderr.strip() == f"kgraph: error: no actor 'Turkey' in the store {store} (--db or $KGRAPH_DB picks another); see `kgraph actors`"
    for args in (["actors", "ZZZ"], ["evidence", "USA", "attacks", "CHN"]):
        assert store in runner.invoke(cli.app, args, env={"KGRAPH_DB": store}).stderr


# --- 4. another extractor version re-extracts the stored articles -----------------------------------


def test_a_changed_extractor_re_extracts_stored_articles(stand_in: type, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(corpus, out)
    assert "meets" not in (out / "events.jsonl").read_text()
    again = build(corpus, out)
    assert again.stderr.startswith("0 articles read, 3 already stored") and stand_in.loads == 1  # same extractor: nothing loads
    lexicon = tmp_path / "lexicon.json"
    lexicon.write_text("{}")
    kept = build(corpus, out, "--lexicon", str(lexicon), "--no-reprocess")
    assert "3 stored articles came from another extractor version and were not re-extracted (--no-reprocess)" in kept.stderr
    assert "meets" not in (out / "events.jsonl").read_text()
    changed = build(corpus, out, "--lexicon", str(lexicon))
    assert "0 articles read, 3 already stored, 0 republished copies, 3 reprocessed" in changed.stderr
    assert '"relation": "meets"' in (out / "events.jsonl").read_text()
    loads = stand_in.loads
    build(corpus, out, "--lexicon", str(lexicon))
    assert stand_in.loads == loads  # the store remembers this extractor's version: nothing loads


# --- 6. progress: the load as a step, status lines off a terminal, Ctrl-C ------------------------


def test_progress_off_a_terminal_is_a_status_line_with_total_and_time_left(
    stand_in: type, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Progress, "interval", 0.0)
    result = build(corpus, tmp_path / "out")
    lines = result.stderr.splitlines()
    assert lines[0] == "kgraph: loading the spaCy pipeline ..."
    assert re.fullmatch(r"kgraph: loading the spaCy pipeline: done in \d+ s", lines[1])
    assert re.fullmatch(r"kgraph: 1/3 articles read, 1 event, \d+ s elapsed, about \d+ s left", lines[2])
    assert lines[4].startswith("kgraph: 3/3 articles read, 5 events")
    assert lines[5].startswith("3 articles read, 0 already stored")
    assert "" not in lines  # no stray blank line


def test_progress_on_a_terminal_is_a_bar_with_total() -> None:
    import io

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    with Progress(total=4, stream=stream) as progress:
        with progress.step("loading the spaCy pipeline"):
            pass
        progress.advance(None, [1, 2])
        assert progress.bar is not None and progress.bar.tasks[0].total == 4 and progress.bar.tasks[0].completed == 1
    assert "kgraph: loading the spaCy pipeline: done in" in stream.getvalue()


def test_ctrl_c_says_what_is_stored_and_that_running_again_resumes(stand_in: type, corpus: Path, tmp_path: Path) -> None:
    stand_in.interrupt_after = 2
    result = runner.invoke(cli.app, ["build", str(corpus), "-o", str(tmp_path / "out")])
    assert result.exit_code == 130
    store = tmp_path / "out" / "kgraph.db"
    assert (
        result.stderr.splitlines()[-1]
        == f"kgraph: interrupted: 2 articles of this run are stored in {store} with their events; run the same command again to resume"
    )
    assert "" not in result.stderr.splitlines()  # off a terminal: no blank line before it
    stand_in.interrupt_after = None
    assert "\n1 article read, 2 already stored" in build(corpus, tmp_path / "out").stderr


# --- 7. every output counts the same way, denied relations apart ------------------------------------


def test_every_output_counts_the_same_and_names_denied_relations_apart(stand_in: type, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    built = build(corpus, out)
    counts = "4 events in 3 relations; denied: 1 event in 1 relation"
    assert "; 5 new events (1 denied)" in built.stderr and f"graph: {counts}\n" in built.stderr
    db = str(out / "kgraph.db")
    stats = runner.invoke(cli.app, ["stats", "--db", db])
    assert f"{counts} (left out; --include-negated keeps them)" in stats.stdout
    assert counts in runner.invoke(cli.app, ["stats", "--db", db, "--include-negated"]).stdout
    assert counts in (out / "graph.html").read_text(encoding="utf-8")
    graphml = read_graphml(out / "graph.graphml")
    assert [graphml.graph[k] for k in ("events", "relations", "denied_events", "denied_relations")] == [4, 3, 1, 1]
    exported = runner.invoke(cli.app, ["export", "-f", "csv", "-o", str(tmp_path / "csv"), "--db", db])
    assert f"{counts} (left out; --include-negated keeps them)" in exported.stderr
    rows = (tmp_path / "csv" / "nodes.csv").read_text().splitlines()[1:]
    csv_mentions = {r.split(",")[0]: int(r.split(",")[3]) for r in rows}
    assert csv_mentions == {n: d["mentions"] for n, d in graphml.nodes(data=True) if d["mentions"]}  # the same mentions of CHN
    assert csv_mentions["CHN"] == 3  # warned twice, supports once: the denied support does not count


def test_outputs_that_leave_denied_relations_out_still_count_them_as_stats_does(stand_in: type, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(corpus, out)
    db = str(out / "kgraph.db")
    left_out = "denied: 1 event in 1 relation"
    assert f"4 events in 3 relations; {left_out} (left out" in runner.invoke(cli.app, ["stats", "--db", db]).stdout
    for fmt, name in (("graphml", "g.graphml"), ("json", "g.json")):
        result = runner.invoke(cli.app, ["export", "-f", fmt, "-o", str(tmp_path / name), "--db", db])
        assert result.exit_code == 0 and f"{left_out} (left out" in result.stderr
    graphml = read_graphml(tmp_path / "g.graphml")
    exported = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))["graph"]
    for attributes in (graphml.graph, exported):  # what the file says is what stats and the summary said
        assert [attributes[k] for k in ("events", "relations", "denied_events", "denied_relations")] == [4, 3, 1, 1]
        assert "denied relations left out" in attributes["filters"]
    assert not any(d["negated"] for _, _, d in graphml.edges(data=True))  # and they are not in it
    without = build(corpus, out, "--without-negated")
    assert f"graph: 4 events in 3 relations; {left_out} (left out; --include-negated keeps them)" in without.stderr
    page = (out / "graph.html").read_text(encoding="utf-8")
    assert f"4 events in 3 relations; {left_out}" in page and "denied relations left out" in page


# --- 10. machine output on stdout, the human summary on stderr; inputs checked first ---------------


def test_summaries_go_to_stderr_and_stdout_holds_only_output(stand_in: type, corpus: Path, tmp_path: Path) -> None:
    built = build(corpus, tmp_path / "out")
    assert built.stdout == "" and "3 articles read" in built.stderr
    exported = runner.invoke(cli.app, ["export", "-f", "gexf", "-o", str(tmp_path / "g.gexf"), "--db", str(tmp_path / "out" / "kgraph.db")])
    assert exported.stdout == "" and "-> " in exported.stderr
    extracted = runner.invoke(cli.app, ["extract", str(corpus), "-o", "-"])
    assert [json.loads(line)["relation"] for line in extracted.stdout.splitlines()][:1] == ["warns"]
    assert "3 articles, 5 events -> standard output" in extracted.stderr


def test_a_missing_input_fails_before_the_model_loads_and_writes_nothing(stand_in: type, tmp_path: Path) -> None:
    result = runner.invoke(cli.app, ["extract", str(tmp_path / "articles"), "--out", str(tmp_path / "events.jsonl")])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"kgraph: error: no such file or folder: {tmp_path / 'articles'}"
    assert stand_in.loads == 0 and not (tmp_path / "events.jsonl").exists()


def test_an_unreadable_input_leaves_no_empty_events_file(stand_in: type, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text(" \n")
    result = runner.invoke(cli.app, ["extract", str(tmp_path / "empty.txt"), "--out", str(tmp_path / "events.jsonl")])
    assert result.exit_code == 1 and "no article could be read" in result.stderr
    assert not (tmp_path / "events.jsonl").exists()


def test_the_skip_summary_names_every_kind_and_keeps_utf_8(capsys: pytest.CaptureFixture[str]) -> None:
    from kgraph.ingest import Problem
    from kgraph.pipeline import BuildResult

    kinds = [f"reason {c}" for c in "abcdef"] + ["HTTP 404", "line 3: not valid UTF-8 (byte 0xff at 12)", "file is 12,345 bytes, over --max-bytes"]
    result = BuildResult(articles=1, problems=[Problem(f"f{i}.txt", k) for i, k in enumerate(kinds)])
    cli._finish(result, strict=False)
    summary = capsys.readouterr().err.strip()
    assert summary.startswith("kgraph: skipped 9 inputs: ")
    assert all(f"1 reason {c}" in summary for c in "abcdef") and "1 HTTP 404" in summary
    assert "1 not valid UTF-8" in summary and "file is N bytes, over --max-bytes" in summary


# --- 1 (continued). kgraph train's model file follows the same output rule ---------------------


@pytest.fixture()
def trainer(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, int]:
    """``kgraph train`` with a stand-in extractor and training: the shipped model comes back as
    the trained one (no spaCy model, no fitting)."""
    from kgraph.extract import training
    from kgraph.extract.model import RelationModel, default_path
    from kgraph.extract.training import TrainReport

    calls = {"loads": 0}

    def extractor(*args: Any, **kwargs: Any) -> StandIn:
        calls["loads"] += 1
        return StandIn()

    monkeypatch.setattr(cli, "_extractor", extractor)
    monkeypatch.setattr(training, "train_files", lambda *a, **k: (RelationModel.load(default_path()), TrainReport(1, 1, 0, 3, [])))
    (tmp_path / "gold.jsonl").write_text("{}\n")
    (tmp_path / "a.txt").write_text("USA warns CHN.")
    return calls


def _train(tmp_path: Path, out: str) -> Any:
    return runner.invoke(cli.app, ["train", str(tmp_path / "gold.jsonl"), str(tmp_path / "a.txt"), "-o", out])


def test_train_writes_its_model_by_the_output_rule(trainer: dict[str, int], tmp_path: Path) -> None:
    from kgraph.extract.model import RelationModel

    # a folder: one line, before the model loads, and the folder is still there
    (tmp_path / "models").mkdir()
    result = _train(tmp_path, str(tmp_path / "models"))
    assert result.exit_code == 1 and trainer["loads"] == 0
    assert result.stderr.strip() == f"kgraph: error: {tmp_path / 'models'} is a folder: give a file name"
    assert (tmp_path / "models").is_dir() and not list((tmp_path / "models").iterdir())
    # '-': the model on standard output (JSON), no file named '-'
    result = _train(tmp_path, "-")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["format"] and not Path("-").exists() and not (tmp_path / "-").exists()
    assert result.stderr.rstrip().endswith("-> standard output")
    # a symlink to a FIFO: written in place, both still what they were, no temporary file left
    with fifo_behind_symlink(tmp_path, "link.json.gz") as (fifo, link, received):
        result = _train(tmp_path, str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and stat.S_ISFIFO(fifo.stat().st_mode)
    assert received and received[0][:2] == b"\x1f\x8b"  # gzip, as the name asks
    # a regular file: replaced whole, and it loads
    (tmp_path / "model.json.gz").write_text("old")
    assert _train(tmp_path, str(tmp_path / "model.json.gz")).exit_code == 0
    assert RelationModel.load(tmp_path / "model.json.gz").thresholds
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "gold.jsonl", "link.json.gz", "model.json.gz", "models", "pipe"]
