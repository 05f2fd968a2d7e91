"""Reading articles: metadata, debris, records and problems (no model)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgraph.ingest import Problem, parse_date, parse_text_article, read_articles

from .conftest import SEED


def read(paths: list[Path]) -> tuple[list, list[Problem]]:
    problems: list[Problem] = []
    return list(read_articles(paths, problems.append)), problems


def test_seed_article_metadata_and_cleaning() -> None:
    [article], problems = read([SEED])
    assert not problems
    assert article.id == SEED.name
    assert article.title.startswith("Blinken Warns China")
    assert article.date == "2024-06-18"
    assert "icon-" not in article.text and "Tue Jun 18 2024" not in article.text
    assert "WASHINGTON" not in article.text
    assert article.text.split("\n\n")[1].startswith("US Secretary of State Antony Blinken")


def test_header_lines_are_metadata() -> None:
    a = parse_text_article("Title here\nDate: 2024-03-01\nSource: https://x.org/a\n\nBody text.", "a.txt")
    assert (a.title, a.date, a.url) == ("Title here", "2024-03-01", "https://x.org/a")
    assert a.text == "Title here\n\nBody text."


@pytest.mark.parametrize(
    "text,iso",
    [
        ("Tue Jun 18 2024", "2024-06-18"),
        ("June 18, 2024", "2024-06-18"),
        ("18 June 2024", "2024-06-18"),
        ("2024-06-18T10:00:00+02:00", "2024-06-18"),
        ("Tuesday, June 18, 2024", "2024-06-18"),
        ("not a date", None),
        ("", None),
    ],
)
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


def test_records_from_jsonl_and_csv_with_problems(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(
        '{"id": "x1", "text": "China met Russia.", "date": "June 18, 2024", "url": "https://x.org/1"}\n'
        "{broken\n"
        '{"id": "x2"}\n'
        '{"id": "x1", "text": "again"}\n'
        '{"text": 5}\n'
    )
    (tmp_path / "b.csv").write_text('id,title,text\nc1,Head,"US warned Iran."\nc2,only-two\n')
    articles, problems = read([tmp_path])
    assert [(a.id, a.date) for a in articles] == [("x1", "2024-06-18"), ("c1", None)]
    assert articles[1].text == "Head\n\nUS warned Iran."
    messages = {str(p) for p in problems}
    assert f"{tmp_path / 'a.jsonl'}:2: broken JSON (Expecting property name enclosed in double quotes)" in messages
    assert f"{tmp_path / 'a.jsonl'}:3: record has no 'text' field" in messages
    assert f"{tmp_path / 'a.jsonl'}:4: duplicate id 'x1', record skipped" in messages
    assert f"{tmp_path / 'a.jsonl'}:5: 'text' is a number, not a string" in messages
    assert f"{tmp_path / 'b.csv'}:3: row has 2 fields, the header has 3" in messages


def test_an_id_read_twice_in_one_run_comes_out_twice_for_the_store_to_keep_apart(tmp_path: Path) -> None:
    # two record files numbering their records alike, two folders with the same file names: the
    # reader gives every text; the store (and `run`) qualify the second id by where it was found
    (tmp_path / "one.jsonl").write_text('{"id": "a1", "text": "Russia attacked Ukraine."}\n')
    (tmp_path / "two.jsonl").write_text('{"id": "a1", "text": "China warned Japan."}\n{"id": "a2", "text": "Iran met Iraq."}\n')
    for folder in ("left", "right"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_text(f"Story from {folder}\n\nChina met Russia.")
    articles, problems = read([tmp_path / "one.jsonl", tmp_path / "two.jsonl", tmp_path / "left", tmp_path / "right"])
    assert [(a.id, a.origin) for a in articles] == [
        ("a1", f"{tmp_path / 'one.jsonl'}:1"),
        ("a1", f"{tmp_path / 'two.jsonl'}:1"),
        ("a2", f"{tmp_path / 'two.jsonl'}:2"),
        ("x.txt", str(tmp_path / "left" / "x.txt")),
        ("x.txt", str(tmp_path / "right" / "x.txt")),
    ]
    assert problems == []


def test_bad_files_are_reported_and_the_rest_read(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Title\n\nChina met Russia.")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "latin.txt").write_bytes("Caf\xe9".encode("latin-1") + b"\xff\xfe\x00")
    articles, problems = read([tmp_path, tmp_path / "missing.txt"])
    assert [a.id for a in articles] == ["good.txt"]
    reasons = {Path(p.origin).name: p.message for p in problems}
    assert reasons["empty.txt"] == "file is empty"
    assert "binary" in reasons["binary.txt"]
    assert reasons["missing.txt"] == "no such file or folder"
