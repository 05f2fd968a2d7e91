"""The trained relation model: it learns what it is shown, round-trips, trains the same twice,
and (on the shared sets) generalizes from train to dev."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kgraph.evaluate import GoldRelation, score
from kgraph.extract import events as doc_events
from kgraph.extract.model import ModelError, RelationModel
from kgraph.extract.training import check_gold, cross_validate, fit, parse_corpus, train_files
from kgraph.records import Article

from .conftest import DEV, SHARED, needs_shared

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow

# A construction no lexicon entry covers: "A pummeled B" is an attack. Each article also says
# things that are no relation at all, one of them in the same grammar ("A outscored B").
PAIRS = [("Chile", "CHL", "Peru", "PER"), ("France", "FRA", "Germany", "DEU"), ("India", "IND", "Pakistan", "PAK"),
         ("Japan", "JPN", "China", "CHN"), ("Brazil", "BRA", "Argentina", "ARG"), ("Egypt", "EGY", "Sudan", "SDN"),
         ("Kenya", "KEN", "Somalia", "SOM"), ("Poland", "POL", "Belarus", "BLR"), ("Turkey", "TUR", "Syria", "SYR"),
         ("Mexico", "MEX", "Canada", "CAN")]


def _toy() -> tuple[list[Article], list[GoldRelation]]:
    articles, gold = [], []
    for i, (a, a_id, b, b_id) in enumerate(PAIRS):
        attack = f"{a} pummeled {b} with artillery on Monday, officials said."
        text = (f"Border news {i}\n\n{attack} Later, {b} admired {a}'s cuisine at a dinner. "
                f"On Sunday {a} outscored {b} in the football final. {b} thanked {a} in June. The weather was mild.")
        name = f"toy{i:02}.txt"
        articles.append(Article(id=name, text=text, title=f"Border news {i}"))
        gold.append(GoldRelation(name, a_id, "attacks", b_id, False, attack))
    return articles, gold


@pytest.fixture(scope="module")
def toy_model(extractor) -> RelationModel:  # type: ignore[no-untyped-def]
    articles, gold = _toy()
    return fit(parse_corpus(extractor, articles, gold))


def _relations(extractor, model: RelationModel, text: str) -> set[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    doc, article = next(extractor.parse([Article(id="new.txt", text=text)]))
    return {(e.source, e.relation, e.target) for e in doc_events(doc, article, extractor.gazetteer, extractor.lexicon, model) if not e.hypothetical}


def test_the_trainer_learns_a_construction_it_was_shown(extractor, toy_model: RelationModel) -> None:  # type: ignore[no-untyped-def]
    # actors the training articles never paired
    found = _relations(extractor, toy_model, "Nigeria pummeled Ghana with artillery on Tuesday, officials said.")
    assert ("NGA", "attacks", "GHA") in found
    assert ("GHA", "attacks", "NGA") not in found  # and the direction


def test_the_trainer_does_not_learn_a_construction_it_was_not_shown(extractor, toy_model: RelationModel) -> None:  # type: ignore[no-untyped-def]
    assert _relations(extractor, toy_model, "Later, Ghana admired Nigeria's cuisine at a dinner.") == set()
    assert _relations(extractor, toy_model, "Ghana befriended Nigeria in June.") == set()


def test_the_model_file_round_trips(extractor, toy_model: RelationModel, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for name in ("m.json", "m.json.gz"):
        toy_model.save(tmp_path / name)
        again = RelationModel.load(tmp_path / name)
        assert again.to_json() == toy_model.to_json()
        text = "Nigeria pummeled Ghana with artillery on Tuesday."
        assert _relations(extractor, again, text) == _relations(extractor, toy_model, text)


def test_training_is_deterministic(extractor, toy_model: RelationModel) -> None:  # type: ignore[no-untyped-def]
    articles, gold = _toy()
    again = fit(parse_corpus(extractor, articles, gold))
    assert json.dumps(again.to_json(), sort_keys=True) == json.dumps(toy_model.to_json(), sort_keys=True)


def test_scores_are_the_sums_of_the_expanded_features_weights(extractor) -> None:  # type: ignore[no-untyped-def]
    """The scoring table gives what the model's definition says: each relation's expanded features, summed."""
    from kgraph.extract import read
    from kgraph.extract.features import expand

    model = extractor.relation_model
    assert isinstance(model, RelationModel)
    text = (ROOT / "data" / "articles" / "00_blinken-warns-china.txt").read_text(encoding="utf-8")
    doc, article = next(extractor.parse([Article(id="s.txt", text=text)]))
    examples = read(doc, article, extractor.gazetteer, extractor.lexicon).examples
    assert examples
    for ex in examples:
        scores = model.scores(ex.features)
        for relation in model.relations:
            expected = model.intercept + sum(model.weights.get(f, 0.0) for f in expand(ex.features, relation))
            assert abs(scores[relation] - expected) < 1e-9


def test_confidence_is_the_calibrated_probability(extractor, toy_model: RelationModel) -> None:  # type: ignore[no-untyped-def]
    doc, article = next(extractor.parse([Article(id="n.txt", text="Nigeria pummeled Ghana with artillery on Tuesday.")]))
    found = [e for e in doc_events(doc, article, extractor.gazetteer, extractor.lexicon, toy_model) if e.relation == "attacks"]
    assert found and all(toy_model.thresholds["attacks"] <= e.confidence <= 0.99 for e in found)


def test_a_damaged_or_foreign_model_file_is_one_clear_error(tmp_path: Path) -> None:
    cases = {"empty.json": "", "list.json": "[1, 2]", "other.json": json.dumps({"format": "something-else"})}
    for name, text in cases.items():
        (tmp_path / name).write_text(text)
        with pytest.raises(ModelError, match=name):
            RelationModel.load(tmp_path / name)
    with pytest.raises(ModelError, match="no such relation model file"):
        RelationModel.load(tmp_path / "missing.json")


def test_bad_gold_lines_are_named_and_the_rest_trains(tmp_path: Path) -> None:
    articles, gold = _toy()
    folder = tmp_path / "articles"
    folder.mkdir()
    for a in articles:
        (folder / a.id).write_text(a.text + "\n", encoding="utf-8")
    lines = [json.dumps({"article": g.article, "source": g.source, "relation": g.relation, "target": g.target, "evidence": g.evidence}) for g in gold]
    lines.insert(2, json.dumps({"article": "toy00.txt", "source": "CHL", "relation": "hugs", "target": "PER", "evidence": ""}))
    lines.insert(4, json.dumps({"article": "toy01.txt", "source": "FRA", "relation": "attacks", "target": "DEU", "evidence": "Paris bombed Berlin."}))
    lines.insert(6, json.dumps({"article": "nowhere.txt", "source": "FRA", "relation": "attacks", "target": "DEU", "evidence": ""}))
    lines.insert(8, "{not json")
    gold_file = tmp_path / "gold.jsonl"
    gold_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "model.json.gz"
    done = subprocess.run([sys.executable, "-m", "kgraph", "train", str(gold_file), str(folder), "-o", str(out)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    problems = [line for line in done.stderr.splitlines() if "line skipped" in line]
    assert [p.split(": ")[1] for p in problems] == [f"{gold_file}:{n}" for n in (3, 5, 7, 9)]
    assert "unknown relation 'hugs'" in problems[0] and "evidence is not in article" in problems[1]
    assert "not among the inputs" in problems[2] and "not JSON" in problems[3]
    assert "Traceback" not in done.stderr
    assert RelationModel.load(out).meta["articles"] == len(PAIRS)
    # the check itself, as a library call: ten usable lines
    assert len(check_gold(str(gold_file), articles)[0]) == len(PAIRS)


def test_train_help_names_its_arguments() -> None:
    done = subprocess.run([sys.executable, "-m", "kgraph", "train", "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert "GOLD" in done.stdout.upper() and "--out" in done.stdout and "--seed" in done.stdout


@needs_shared
def test_a_model_trained_on_train_holds_on_dev(extractor) -> None:  # type: ignore[no-untyped-def]
    train = SHARED / "eval" / "train"
    model, report = train_files(extractor, train / "gold.jsonl", [train / "articles"])
    assert report.articles == 66
    dev = [a for a in __import__("kgraph").read_articles([DEV / "articles"])]
    from kgraph.evaluate import read_gold

    gold = read_gold(DEV / "gold.jsonl")
    found = []
    for doc, article in extractor.parse(dev):
        found += [e for e in doc_events(doc, article, extractor.gazetteer, extractor.lexicon, model) if not e.hypothetical]
    dev_f1 = score(gold, found, [a.id for a in dev]).typed.f1
    assert dev_f1 >= 0.55, f"dev typed F1 {dev_f1:.3f} with a model trained on train only"


@needs_shared
def test_cross_validation_folds_by_article(extractor) -> None:  # type: ignore[no-untyped-def]
    articles, gold = _toy()
    corpus = parse_corpus(extractor, articles, gold)
    results = cross_validate(corpus, extractor, folds=5)
    held = [name for r in results for name in {e.article for e in r.events}]
    assert len(held) == len(set(held))  # an article is scored by one fold only
    assert sum(r.articles for r in results) == len(PAIRS)
