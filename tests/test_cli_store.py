"""The store through the real CLI and the real model (slow): incremental builds, kill -9, queries."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgraph.cli import app
from kgraph.graph import GraphFilter
from kgraph.store import Store

from .conftest import ROOT, VOA

pytestmark = pytest.mark.slow
runner = CliRunner()


def kgraph(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kgraph", *map(str, args)], capture_output=True, text=True, env=env, check=False)


def summary(result: subprocess.CompletedProcess[str]) -> str:
    """The build's summary on stderr (after the progress lines)."""
    lines = result.stderr.splitlines()
    return "\n".join(lines[next(i for i, line in enumerate(lines) if " articles read, " in line or " article read, " in line) :])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for path in [*sorted(VOA.glob("*.txt")), *sorted((ROOT / "data" / "articles").glob("*.txt"))]:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture(scope="module")
def built(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    result = kgraph("build", corpus, "-o", out)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and summary(result).startswith(f"{len(list(corpus.glob('*.txt')))} articles read, 0 already stored")
    return out


def test_a_second_build_reads_nothing_and_loads_no_model(corpus: Path, built: Path) -> None:
    before = (built / "events.jsonl").read_text(encoding="utf-8")
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    result = kgraph("build", corpus, "-o", built, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and summary(result).startswith(f"0 articles read, {len(list(corpus.glob('*.txt')))} already stored")
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "spacy" not in imported  # stored articles are skipped before any parsing
    assert (built / "events.jsonl").read_text(encoding="utf-8") == before


def test_a_build_with_another_relation_model_re_extracts_and_one_with_the_same_does_not(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    for path in sorted(VOA.glob("*.txt"))[:2]:
        shutil.copy(path, tmp_path / "in" / path.name)
    out = tmp_path / "out"
    assert kgraph("build", tmp_path / "in", "-o", out, "--relation-model", "rules").returncode == 0
    again = kgraph("build", tmp_path / "in", "-o", out)  # the shipped model: not what stored the articles
    assert again.returncode == 0, again.stderr
    assert summary(again).startswith("0 articles read, 2 already stored, 0 republished copies, 2 reprocessed; ")
    same = kgraph("build", tmp_path / "in", "-o", out)
    assert summary(same).startswith("0 articles read, 2 already stored, 0 republished copies; 0 new events")


def test_adding_one_article_reads_one(corpus: Path, built: Path, tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    shutil.copy(built / "kgraph.db", db)
    extra = tmp_path / "more"
    extra.mkdir()
    (extra / "new.txt").write_text(
        "Japan and Australia sign defense pact\nDate: 2024-07-01\n\nJapan and Australia signed a defense agreement on Monday.\n",
        encoding="utf-8",
    )
    result = kgraph("build", corpus, extra, "-o", tmp_path / "out", "--db", db)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and summary(result).startswith(f"1 article read, {len(list(corpus.glob('*.txt')))} already stored")


def test_the_seed_copy_in_the_corpus_folder_is_one_story(built: Path) -> None:
    with Store(built / "kgraph.db") as store:
        assert len(store.stories()) == store.article_count()  # distinct dev articles stay distinct stories


def test_query_commands(built: Path, tmp_path: Path) -> None:
    db = str(built / "kgraph.db")
    actors = runner.invoke(app, ["actors", "--db", db])
    assert actors.exit_code == 0 and "USA" in actors.output
    show = runner.invoke(app, ["show", "united states", "--db", db])
    assert show.exit_code == 0 and show.output.startswith("USA (")
    ev = runner.invoke(app, ["evidence", "USA", "warns", "CHN", "--db", db])
    assert ev.exit_code == 0 and "Blinken" in ev.output and "2024-06-18" in ev.output
    stats = runner.invoke(app, ["stats", "--db", db])
    assert stats.exit_code == 0 and "most central actors" in stats.output and "events per month" in stats.output
    out = tmp_path / "g.gexf"
    exported = runner.invoke(app, ["export", "--format", "gexf", "--out", str(out), "--db", db, "--actor", "USA", "--depth", "1"])
    assert exported.exit_code == 0 and out.stat().st_size > 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["actors", "--db", "missing.db"], "no kgraph store"),
        (["export", "--format", "pdf", "--out", "x", "--db", "{db}"], "--format 'pdf'"),
        (["show", "NOBODY", "--db", "{db}"], "no actor 'NOBODY'"),
        (["evidence", "USA", "likes", "CHN", "--db", "{db}"], "relation 'likes'"),
        (["export", "--format", "json", "--out", "x.json", "--since", "yesterday", "--db", "{db}"], "--since 'yesterday'"),
    ],
)
def test_user_errors_are_one_line(built: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, [a.replace("{db}", str(built / "kgraph.db")) for a in args])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


# --- kill -9 ---------------------------------------------------------------------------------------

COUNTS = "SELECT a.id, COUNT(e.rowid) FROM articles a LEFT JOIN events e ON e.article = a.rowid GROUP BY a.id"


def snapshot(db: Path) -> dict:
    """What must survive: the articles, the event count of each, and the whole graph."""
    with Store(db) as store:
        counts = dict(store.db.execute(COUNTS))
        graph = store.graph(GraphFilter(include_negated=True), evidence_limit=None)
        edges = sorted(json.dumps([u, v, k, {**d, "evidence": [{**ev, "story": None} for ev in d["evidence"]]}], sort_keys=True)
                       for u, v, k, d in graph.edges(keys=True, data=True))  # fmt: skip
        return {"counts": counts, "edges": edges, "nodes": dict(graph.nodes(data=True))}


def check_consistent(db: Path, reference: dict) -> None:
    if not db.exists():
        return
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        if not con.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]:
            return  # killed between creating the file and committing the schema: an empty store, nothing to lose
        dupes = con.execute(
            "SELECT COUNT(*) FROM (SELECT article, sentence, relation, source, target, negated, evidence, COUNT(*) c FROM events "
            "GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING c > 1)"
        ).fetchone()[0]
        ref_dupes = reference["dupes"]
        assert dupes <= ref_dupes  # nothing counted twice (the extractor itself may state one relation twice in a sentence)
        stored = dict(con.execute(COUNTS))
    finally:
        con.close()
    for article, n in stored.items():
        assert n == reference["counts"][article], article  # whole articles only


def test_kill_9_at_random_points_loses_nothing_and_counts_nothing_twice(corpus: Path, tmp_path: Path) -> None:
    rng = random.Random(int(os.environ.get("KGRAPH_KILL_SEED", "4")))
    small = tmp_path / "corpus"  # 12 articles: two parse batches, so kills land between commits too
    small.mkdir()
    for path in sorted(corpus.glob("*.txt"))[:12]:
        shutil.copy(path, small / path.name)
    corpus = small
    ref_out = tmp_path / "ref"
    start = time.monotonic()
    assert kgraph("build", corpus, "-o", ref_out).returncode == 0
    duration = time.monotonic() - start
    reference = snapshot(ref_out / "kgraph.db")
    con = sqlite3.connect(ref_out / "kgraph.db")
    reference["dupes"] = con.execute(
        "SELECT COUNT(*) FROM (SELECT article, sentence, relation, source, target, negated, evidence, COUNT(*) c FROM events "
        "GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING c > 1)"
    ).fetchone()[0]
    con.close()

    out = tmp_path / "work"
    db = out / "kgraph.db"
    kills = completed = 0
    while kills < 10:
        command = [sys.executable, "-m", "kgraph", "build", str(corpus), "-o", str(out)]
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        have = snapshot_count(db)
        if rng.random() < 0.5 or have >= len(reference["counts"]):
            time.sleep(rng.uniform(0, duration))  # anywhere in the run: loading, reading, writing, exporting
        else:  # while articles are being committed
            deadline = time.monotonic() + duration * 2
            while proc.poll() is None and snapshot_count(db) <= have and time.monotonic() < deadline:
                time.sleep(0.02)
            time.sleep(rng.uniform(0, 0.3))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
            check_consistent(db, reference)
        else:
            assert proc.returncode == 0, proc.stderr.read().decode() if proc.stderr else ""
            completed += 1
            check_consistent(db, reference)
            assert snapshot(db) == {k: v for k, v in reference.items() if k != "dupes"}
            shutil.rmtree(out)  # start over so that later kills land in a build with work left
        if proc.stderr:
            proc.stderr.close()
        assert kills + completed < 40, "the build finished before every kill: the timing is off"
    final = kgraph("build", corpus, "-o", out)
    assert final.returncode == 0, final.stderr
    check_consistent(db, reference)
    assert snapshot(db) == {k: v for k, v in reference.items() if k != "dupes"}
    assert sorted(snapshot(db)["counts"]) == sorted(reference["counts"])  # every article present
    assert [json.loads(line) for line in (out / "events.jsonl").open()] == [
        json.loads(line) for line in (ref_out / "events.jsonl").open()
    ]


def snapshot_count(db: Path) -> int:
    """Articles committed so far (0 while the store does not exist yet)."""
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(con.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
        finally:
            con.close()
    except sqlite3.OperationalError:
        return 0
