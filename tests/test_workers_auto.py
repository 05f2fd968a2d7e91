"""``--workers auto`` (issue 16): the process count from the corpus size and the cores, said on stderr."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgraph import cli, parallel
from kgraph.cli import app
from kgraph.parallel import ARTICLES_PER_WORKER, FEED_ARTICLES, auto_workers, estimate_articles
from kgraph.synthetic import write


@pytest.mark.parametrize(
    ("articles", "cores", "workers"),
    [
        (1, 2, 1),
        (300, 2, 1),  # measured: a pool of 2 was slower than one process on 300 articles
        (ARTICLES_PER_WORKER * 2 - 1, 2, 1),
        (ARTICLES_PER_WORKER * 2, 2, 2),
        (100_000, 2, 2),  # never more than the cores
        (100_000, 8, 8),
        (ARTICLES_PER_WORKER * 3, 8, 3),
        (100_000, 1, 1),
    ],
)
def test_auto_takes_a_worker_per_share_of_articles_up_to_the_cores(articles: int, cores: int, workers: int) -> None:
    chosen, why = auto_workers(articles, cores)
    assert chosen == workers
    assert why.startswith(f"{workers} process{'es' if workers > 1 else ''} for ~{articles:,} articles on {cores} cores")


def test_the_corpus_is_counted_without_reading_it(tmp_path: Path) -> None:
    write(tmp_path / "corpus", 25, per_file=10)  # 3 JSONL files of 10, 10 and 5 records
    (tmp_path / "corpus" / "note.txt").write_text("One article.", encoding="utf-8")
    (tmp_path / "corpus" / "skip.bin").write_bytes(b"\0")
    assert estimate_articles([tmp_path / "corpus"]) == 26
    assert estimate_articles([str(tmp_path / "corpus" / "note.txt"), "https://example.org/a"], feeds=["feed.xml"]) == 2 + FEED_ARTICLES
    assert estimate_articles([tmp_path / "missing"]) == 0


def test_auto_says_what_it_chose(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "corpus", 12, per_file=12)
    chosen: list[int | None] = []

    class Stop(Exception):
        pass

    def engine(*args: object) -> None:
        chosen.append(args[5])  # type: ignore[arg-type]
        raise Stop

    monkeypatch.setattr(cli, "_engine", engine)
    monkeypatch.setattr(parallel, "usable_cores", lambda: 2)
    result = CliRunner().invoke(app, ["extract", str(tmp_path / "corpus"), "--workers", "auto"])
    assert isinstance(result.exception, Stop) and chosen == [1]
    assert f"kgraph: --workers auto: 1 process for ~12 articles on 2 cores (one per {ARTICLES_PER_WORKER:,} articles" in result.output
    monkeypatch.setattr(parallel, "estimate_articles", lambda paths, feeds: 5 * ARTICLES_PER_WORKER)
    result = CliRunner().invoke(app, ["build", str(tmp_path / "corpus"), "-o", str(tmp_path / "out"), "--workers", "auto"])
    assert chosen == [1, 2]
    assert "kgraph: --workers auto: 2 processes for ~5,000 articles on 2 cores" in result.output


def test_workers_takes_a_number_or_auto(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("France criticized Germany.", encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(tmp_path / "a.txt"), "--workers", "many"])
    assert result.exit_code == 1
    assert result.output.strip() == "kgraph: error: --workers takes a number >= 1 or auto, not 'many'"
