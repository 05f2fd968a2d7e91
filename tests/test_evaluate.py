"""Scoring on hand-made gold and predictions (no model), checked against the dev scorer itself."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kgraph.cli import app
from kgraph.evaluate import (
    EvalError,
    GoldRelation,
    cameo_relation,
    format_report,
    is_petrarch_cases,
    load_eval_set,
    petrarch_actor,
    read_gold,
    read_petrarch_cases,
    score,
)
from kgraph.records import Event

from .conftest import DEV, SHARED_REASON


def event(article: str, source: str, relation: str, target: str, negated: bool = False, confidence: float = 0.9, evidence: str = "") -> Event:
    return Event(article, None, 0, source, source, relation, target, target, negated, confidence, evidence or f"{source} {relation} {target}")


def gold(article: str, source: str, relation: str, target: str, negated: bool = False) -> GoldRelation:
    return GoldRelation(article, source, relation, target, negated, f"gold: {source} {relation} {target}")


# (gold lines, predicted events, typed (tp, fp, fn), untyped (tp, fp, fn))
CASES = {
    "exact match": ([gold("a", "USA", "sanctions", "RUS")], [event("a", "USA", "sanctions", "RUS")], (1, 0, 0), (1, 0, 0)),
    "symmetric relation is unordered": ([gold("a", "COL", "meets", "USA")], [event("a", "USA", "meets", "COL")], (1, 0, 0), (1, 0, 0)),
    "directed relation reversed": ([gold("a", "USA", "sanctions", "RUS")], [event("a", "RUS", "sanctions", "USA")], (0, 1, 1), (1, 0, 0)),
    "wrong relation, right pair": ([gold("a", "USA", "warns", "CHN")], [event("a", "USA", "criticizes", "CHN")], (0, 1, 1), (1, 0, 0)),
    "negation is part of the key": ([gold("a", "CHN", "supports", "RUS", True)], [event("a", "CHN", "supports", "RUS")], (0, 1, 1), (0, 1, 1)),
    "repeated mentions count once": (
        [gold("a", "USA", "attacks", "ISIS"), gold("a", "USA", "attacks", "ISIS")],
        [event("a", "USA", "attacks", "ISIS"), event("a", "USA", "attacks", "ISIS")],
        (1, 0, 0),
        (1, 0, 0),
    ),
    "same relation in two articles counts twice": (
        [gold("a", "USA", "attacks", "ISIS"), gold("b", "USA", "attacks", "ISIS")],
        [event("a", "USA", "attacks", "ISIS")],
        (1, 0, 1),
        (1, 0, 1),
    ),
    "paths reduce to file names": ([gold("dev/articles/a.txt", "USA", "meets", "IND")], [event("a.txt", "IND", "meets", "USA")], (1, 0, 0), (1, 0, 0)),
    "nothing predicted": ([gold("a", "USA", "warns", "IRN")], [], (0, 0, 1), (0, 0, 1)),
}


@pytest.mark.parametrize("gold_lines, events, typed, untyped", CASES.values(), ids=CASES.keys())
def test_typed_and_untyped_counts(gold_lines: list[GoldRelation], events: list[Event], typed: tuple, untyped: tuple) -> None:
    result = score(gold_lines, events)
    assert (result.typed.tp, result.typed.fp, result.typed.fn) == typed
    assert (result.untyped.tp, result.untyped.fp, result.untyped.fn) == untyped


def test_figures_and_per_relation() -> None:
    gold_lines = [gold("a", "USA", "sanctions", "RUS"), gold("a", "USA", "warns", "CHN"), gold("b", "RUS", "attacks", "UKR")]
    events = [event("a", "USA", "sanctions", "RUS"), event("a", "USA", "warns", "IRN"), event("b", "RUS", "attacks", "UKR"), event("b", "UKR", "attacks", "RUS")]
    result = score(gold_lines, events)
    assert result.typed.precision == pytest.approx(2 / 4)
    assert result.typed.recall == pytest.approx(2 / 3)
    assert result.typed.f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    assert {name: (c.tp, c.fp, c.fn) for name, c in result.per_relation.items()} == {
        "warns": (0, 1, 1),
        "sanctions": (1, 0, 0),
        "attacks": (1, 1, 0),
    }


def test_only_the_given_articles_count() -> None:
    gold_lines = [gold("a", "USA", "sanctions", "RUS"), gold("elsewhere", "FRA", "meets", "DEU")]
    events = [event("a", "USA", "sanctions", "RUS"), event("empty", "CHN", "warns", "TWN"), event("unread", "IND", "meets", "PAK")]
    result = score(gold_lines, events, articles=["a", "empty"])
    # the article with no gold still counts (its prediction is wrong); the unread one does not
    assert (result.typed.tp, result.typed.fp, result.typed.fn) == (1, 1, 0)
    assert result.articles == 2
    assert result.gold_outside_articles == 1


def test_min_confidence_drops_weak_events() -> None:
    gold_lines = [gold("a", "USA", "sanctions", "RUS")]
    events = [event("a", "USA", "sanctions", "RUS", confidence=0.9), event("a", "USA", "warns", "CHN", confidence=0.3)]
    assert score(gold_lines, events, min_confidence=0.5).typed.fp == 0
    assert score(gold_lines, events).typed.fp == 1


def test_errors_carry_their_sentences() -> None:
    gold_lines = [gold("a", "USA", "warns", "CHN")]
    events = [
        event("a", "USA", "criticizes", "CHN", confidence=0.4, evidence="weak sentence"),
        event("a", "USA", "criticizes", "CHN", confidence=0.8, evidence="strong sentence"),
    ]
    result = score(gold_lines, events)
    (fp,) = result.false_positives
    assert (fp.relation, fp.confidence, fp.evidence) == ("criticizes", 0.8, "strong sentence")
    (miss,) = result.misses
    assert (miss.relation, miss.evidence, miss.confidence) == ("warns", "gold: USA warns CHN", None)


def test_report_groups_errors_by_article() -> None:
    gold_lines = [gold("a", "USA", "warns", "CHN"), gold("b", "RUS", "attacks", "UKR")]
    events = [event("a", "USA", "meets", "CHN"), event("a", "USA", "warns", "IRN"), event("b", "RUS", "attacks", "UKR")]
    text = format_report(score(gold_lines, events))
    fps = text.split("false positives (2):\n")[1].split("\n\nmisses")[0].splitlines()
    assert fps[0] == "  a"
    assert [line.split(":")[0].strip() for line in fps[1:]] == ["CHN meets USA  conf 0.90 s0", "USA warns IRN  conf 0.90 s0"]
    assert "misses (1):\n  a\n    USA warns CHN: gold: USA warns CHN" in text
    assert text.splitlines()[0] == "articles 2  gold relations 2  predicted relations 3"


def test_ranking_compares_the_confident_half_with_the_rest() -> None:
    gold_lines = [gold("a", "USA", "sanctions", "RUS"), gold("a", "USA", "warns", "CHN")]
    events = [
        event("a", "USA", "sanctions", "RUS", confidence=0.95),
        event("a", "USA", "warns", "CHN", confidence=0.5),
        event("a", "USA", "warns", "CHN", confidence=0.9),  # a key's confidence is its best event's
        event("a", "USA", "meets", "IND", confidence=0.6),
        event("a", "FRA", "meets", "DEU", confidence=0.55),
    ]
    ranking = score(gold_lines, events).ranking
    assert ranking is not None
    assert (ranking.top.tp, ranking.top.fp, ranking.bottom.tp, ranking.bottom.fp) == (2, 0, 0, 2)
    assert (ranking.top.precision, ranking.bottom.precision) == (1.0, 0.0)
    assert (ranking.top_min_confidence, ranking.bottom_max_confidence, ranking.tied) == (0.9, 0.6, False)
    assert score(gold_lines, events[:1]).ranking is None


# --- the same figures as shared/eval/dev/score.py ----------------------------------------------


def _dev_scorer():  # type: ignore[no-untyped-def]
    path = DEV / "score.py"
    if not path.exists():
        pytest.skip(SHARED_REASON)
    spec = importlib.util.spec_from_file_location("dev_score", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ACTORS = st.sampled_from(["USA", "CHN", "RUS", "UKR"])
RELATION = st.sampled_from(["meets", "partners-with", "warns", "attacks", "opposes"])
TRIPLE = st.tuples(st.sampled_from(["a.txt", "b.txt", "dir/c.txt"]), ACTORS, RELATION, ACTORS, st.booleans())


@settings(max_examples=200, deadline=None)
@given(gold_rows=st.lists(TRIPLE, max_size=12), pred_rows=st.lists(TRIPLE, max_size=12))
def test_agrees_with_the_dev_scorer(gold_rows: list, pred_rows: list) -> None:
    reference = _dev_scorer()
    gold_lines = [GoldRelation(*row) for row in gold_rows]
    events = [event(*row) for row in pred_rows]
    as_dicts = [{"article": a, "source": s, "relation": r, "target": t, "negated": n} for a, s, r, t, n in gold_rows]
    pred_dicts = [e.to_dict() for e in events]
    expected = reference.score(as_dicts, pred_dicts)
    ours = score(gold_lines, events, articles=["a.txt", "b.txt", "c.txt"]).to_dict()
    for label in ("typed", "untyped", "per_relation"):
        assert ours[label] == expected[label]
    assert (ours["gold_keys"], ours["pred_keys"]) == (expected["gold_keys"], expected["pred_keys"])


# --- gold files ---------------------------------------------------------------------------------


def test_read_gold_names_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text('{"article": "a", "source": "USA", "relation": "warns", "target": "CHN"}\n{broken\n')
    with pytest.raises(EvalError, match=r"gold.jsonl:2: not JSON"):
        read_gold(path)
    path.write_text('{"article": "a", "source": "USA", "relation": "warns"}\n')
    with pytest.raises(EvalError, match=r"gold.jsonl:1: missing target"):
        read_gold(path)


def test_cli_reports_a_bad_gold_file_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text("{broken\n")
    result = CliRunner().invoke(app, ["eval", str(path), str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.strip() == f"kgraph: error: {path}:1: not JSON (Expecting property name enclosed in double quotes)"


# --- PETRARCH cases -----------------------------------------------------------------------------

CAMEO = {
    "036": "meets",  # express intent to meet: meets, not partners-with
    "031": "partners-with",
    "0352": "partners-with",
    "040": "meets",
    "046": "meets",
    "051": "supports",  # praise or endorse: supports, not partners-with
    "057": "partners-with",
    "060": "partners-with",
    "072": "supports",
    "023": "demands",
    "100": "demands",
    "110": "criticizes",
    "1124": "criticizes",
    "121": "criticizes",
    "141": "criticizes",
    "138": "warns",
    "150": "warns",
    "160": "sanctions",
    "173": "sanctions",
    "183": "attacks",
    "190": "attacks",
    "202": "attacks",
    "010": None,  # statement
    "084": None,  # yield
    "090": None,  # investigate
    "212": None,  # not CAMEO
}


@pytest.mark.parametrize("code, relation", CAMEO.items())
def test_cameo_codes_map_as_the_ontology_table_says(code: str, relation: str | None) -> None:
    assert cameo_relation(code) == relation


@pytest.mark.parametrize(
    "root, actor",
    [("USA", "USA"), ("PSE", "PSE"), ("KUW", "KWT"), ("---", None), ("IGOUNO", "UN"), ("IGOUNOMIL", "UN"), ("IGOEUREEC", "EU"),
     ("IGOCOPITP", "INTERPOL"), ("IMGMUSISI", "ISIS"), ("IGOXYZ", None), ('"INJURY TOLL"', None)],
)
def test_petrarch_actor_roots(root: str, actor: str | None) -> None:
    assert petrarch_actor(root) == actor


def _case(case_id: str, text: str, *expected: tuple[str, str, str], **extra: object) -> str:
    rows = [{"source": s, "target": t, "cameo": c, "source_root": s, "target_root": t, "cameo_root": c[:2]} for s, c, t in expected]
    return json.dumps({"id": case_id, "text": text, "date": "20150609", "expected": rows, "noevents": not rows, **extra})


def test_petrarch_cases_become_one_sentence_articles(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    lines = [
        _case("coop", "Brazil and the United States deepen a partnership.", ("BRA", "031", "USA"), ("USA", "031", "BRA")),
        _case("none", "Local news reports a pause in the bombing."),
        _case("mixed", "Insurgents shelled Aleppo as Obama said things.", ("---", "190", "SYR"), ("USA", "010", "SYR"), ("GEO", "043", "GEO"), ("USA", "160", "IGOUNOMIL")),
        _case("toy", "Gondor met Arnor.", ("GON", "040", "ARN"), fictional=True),
    ]
    path.write_text("\n".join(lines) + "\n")
    assert is_petrarch_cases(path)
    cases = read_petrarch_cases(path)
    assert [(a.id, a.date) for a in cases.articles] == [("coop", "2015-06-09"), ("none", "2015-06-09"), ("mixed", "2015-06-09")]
    assert [(g.article, g.source, g.relation, g.target, g.negated) for g in cases.gold] == [
        ("coop", "BRA", "partners-with", "USA", False),
        ("coop", "USA", "partners-with", "BRA", False),
        ("mixed", "USA", "sanctions", "UN", False),
    ]
    assert cases.skipped == {
        "no kgraph actor for ---": 1,
        "CAMEO root 01 has no relation": 1,
        "same actor on both sides": 1,
        "case marked not evaluated or fictional": 1,
    }
    # both reciprocal codings are one unordered key; a no-event sentence makes any prediction wrong
    events = [event("coop", "USA", "partners-with", "BRA"), event("none", "USA", "attacks", "SYR")]
    result = score(cases.gold, events, [a.id for a in cases.articles])
    assert (result.typed.tp, result.typed.fp, result.typed.fn) == (1, 1, 1)


def test_petrarch_file_takes_no_inputs(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text(_case("x", "Germany invaded France", ("DEU", "192", "FRA")) + "\n")
    with pytest.raises(EvalError, match="holds its own sentences"):
        load_eval_set(path, [tmp_path])
    assert load_eval_set(path).articles[0].text == "Germany invaded France"
    plain = tmp_path / "gold.jsonl"
    plain.write_text('{"article": "a", "source": "USA", "relation": "warns", "target": "CHN"}\n')
    assert not is_petrarch_cases(plain)
