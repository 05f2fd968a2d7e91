"""kgraph eval on the real model: the same figures as shared/eval/dev/score.py (slow)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgraph import cli
from kgraph.export import write_events
from kgraph.pipeline import Extractor, run

from .conftest import DEV, SHARED, needs_shared

pytestmark = [pytest.mark.slow, needs_shared]
PETRARCH = SHARED / "eval" / "petrarch" / "cases_gsr_news.jsonl"


@pytest.fixture()
def runner(extractor: Extractor, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """The CLI, with the session's pipeline instead of loading a second one."""
    monkeypatch.setattr(cli, "_extractor", lambda *args, **kwargs: extractor)
    return CliRunner()


def test_eval_agrees_with_the_dev_scorer(runner: CliRunner, extractor: Extractor, tmp_path: Path) -> None:
    result = runner.invoke(cli.app, ["eval", "--json", str(DEV / "gold.jsonl"), str(DEV / "articles")])
    assert result.exit_code == 0, result.output
    ours = json.loads(result.stdout)

    events = tmp_path / "events.jsonl"
    with open(events, "w", encoding="utf-8") as handle:
        run(extractor, [DEV / "articles"], on_article=lambda _, found: write_events(found, handle))
    scored = subprocess.run(
        [sys.executable, str(DEV / "score.py"), str(DEV / "gold.jsonl"), str(events), "--articles", str(DEV / "articles"), "--json"],
        capture_output=True, text=True, check=True,
    )
    reference = json.loads(scored.stdout)
    assert ours["pred_keys"] > 0
    for label in ("typed", "untyped", "per_relation", "gold_keys", "pred_keys", "articles"):
        assert ours[label] == reference[label], label
    assert len(ours["false_positives"]) == ours["typed"]["fp"]
    assert len(ours["misses"]) == ours["typed"]["fn"]
    assert all(fp["evidence"] for fp in ours["false_positives"] + ours["misses"])


def test_eval_reads_petrarch_cases_directly(runner: CliRunner) -> None:
    result = runner.invoke(cli.app, ["eval", str(PETRARCH)])
    assert result.exit_code == 0, result.output
    cases = sum(1 for line in PETRARCH.read_text(encoding="utf-8").splitlines() if line.strip())
    assert result.stdout.startswith(f"articles {cases}  gold relations ")
    assert "gold expectations skipped: " in result.stdout
