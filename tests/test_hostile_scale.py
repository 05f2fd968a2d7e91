"""Acceptance (issue 8): a folder of 1,000 files of which 100 are broken gives, for the 900 good
ones, exactly the events of a run over those 900 alone."""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kgraph import cli

ACTORS = ["China", "Russia", "Iran", "Israel", "Ukraine", "NATO", "the United States", "India", "Japan", "France", "Germany", "Turkey"]
VERBS = ["warned", "criticized", "met", "attacked", "sanctioned", "urged", "backed", "condemned"]
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))


def good_article(rng: random.Random, n: int) -> tuple[str, str]:
    sentences = []
    for _ in range(rng.randint(1, 3)):
        a, b = rng.sample(ACTORS, 2)
        sentences.append(f"{a} {rng.choice(VERBS)} {b} on {rng.choice(['Monday', 'Tuesday', 'Friday'])}.")
    name = rng.choice([f"article {n:04d}.txt", f"artículo-{n:04d}.md", f"news_{n:04d}.txt", f"Ärger {n:04d}.txt"])
    return name, f"Report {n}\nDate: 2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}\n\n" + " ".join(sentences) + " Officials said that the talks would continue next week, according to a statement.\n"


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("x.txt", "China warned Russia.")
    return buffer.getvalue()


def write_broken(folder: Path, i: int) -> None:
    """One of the bad inputs of the issue, by turn."""
    kind = i % 10
    stem = f"broken {i:03d}"
    if kind == 0:
        (folder / f"{stem}.txt").write_text("")
    elif kind == 1:
        (folder / f"{stem}.txt").write_text(" \n\t\n")
    elif kind == 2:
        (folder / f"{stem}.txt").write_bytes(PNG)
    elif kind == 3:
        (folder / f"{stem}.txt").write_bytes(zip_bytes())
    elif kind == 4:
        (folder / f"{stem}.txt").write_bytes(b"Title\n\nChina warned \xc3\x28 Russia.\n")
    elif kind == 5:
        (folder / f"{stem}.jsonl").write_text('{"text": "China warned\n{"title": "no text"}\n{"text": 5}\n')
    elif kind == 6:
        (folder / f"{stem}.csv").write_text("id,body\n1,China warned Russia.\n")
    elif kind == 7:
        (folder / f"{stem}.txt").symlink_to(f"{stem}.txt")
    elif kind == 8:
        os.mkfifo(folder / f"{stem}.txt")
    else:
        (folder / f"{stem}.txt").write_text("Huge\n\n" + "China warned Russia again. " * 10_000)  # over --max-bytes below


@pytest.mark.slow
def test_900_good_files_among_100_broken_give_the_events_of_the_900_alone(tmp_path: Path, extractor: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_extractor", lambda *a, **k: extractor)
    rng = random.Random(8)
    mixed, alone = tmp_path / "mixed", tmp_path / "alone"
    mixed.mkdir()
    alone.mkdir()
    for n in range(900):
        name, text = good_article(rng, n)
        (alone / name).write_text(text, encoding="utf-8")
    for path in alone.iterdir():
        shutil.copy(path, mixed / path.name)
    for i in range(100):
        write_broken(mixed, i)
    assert len(list(mixed.iterdir())) == 1000

    runner = CliRunner()
    args = ["--max-bytes", "100000"]
    result_alone = runner.invoke(cli.app, ["extract", str(alone), "--out", str(tmp_path / "alone.jsonl"), *args])
    result_mixed = runner.invoke(cli.app, ["extract", str(mixed), "--out", str(tmp_path / "mixed.jsonl"), *args])
    assert result_alone.exit_code == 0 and result_mixed.exit_code == 0
    assert "Traceback" not in result_mixed.output
    assert "900 articles, " in result_alone.stderr and "900 articles, " in result_mixed.stderr
    skipped = [line for line in result_mixed.stderr.splitlines() if re.match(r"kgraph: skipped .*broken \d{3}", line)]
    # one line per broken file; the ten JSONL files give one per bad line (3) and "no records with text"
    assert len(skipped) == 90 + 10 * 4
    assert re.search(r"^kgraph: skipped 130 inputs: ", result_mixed.stderr, re.M)
    alone_events = (tmp_path / "alone.jsonl").read_text(encoding="utf-8")
    assert len(alone_events.splitlines()) > 900
    assert (tmp_path / "mixed.jsonl").read_text(encoding="utf-8") == alone_events
    assert {json.loads(line)["article"] for line in alone_events.splitlines()} <= {p.name for p in alone.iterdir()}
