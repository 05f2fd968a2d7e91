"""The pipeline as loaded (issue 16): gazetteer patterns made by the tokenizer alone, NER run only
where mentions read it, the component setting, and the English fast path of language detection."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import spacy

from kgraph.gazetteer import Gazetteer
from kgraph.ingest import _detect_sample, _plainly_english, detect_language
from kgraph.mentions import SPANS_KEY, gazetteer_labels, needs_entities
from kgraph.nlp import COMPONENTS, _standard_tokenizer, default_model, load_pipeline, phrase_cache, phrase_orths

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = sorted((ROOT / "data" / "articles").glob("*.txt"))
GERMAN = (
    "Die Bundesregierung hat am Dienstag Russland scharf kritisiert und neue Sanktionen der Europäischen Union gefordert. "
    "Der Außenminister traf seinen französischen Kollegen in Paris. Es war ein wichtiges Treffen, das die Beziehungen "
    "zwischen beiden Ländern stärken soll, sagte ein Sprecher des Auswärtigen Amtes in Berlin am Abend."
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", autouse=True)
def cache_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A cache folder of this module's own: the pattern cache starts empty."""
    home = tmp_path_factory.mktemp("cache")
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(home)
    yield home
    if old is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = old


def spans(nlp: spacy.language.Language, text: str) -> list[tuple[int, int, str, str]]:
    doc = nlp(text)
    return sorted((s.start, s.end, s.label_, s.id_) for s in doc.spans[SPANS_KEY])


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture(scope="module")
def nlp(gazetteer: Gazetteer) -> spacy.language.Language:
    return load_pipeline(gazetteer)


def test_tokenizer_made_patterns_match_as_the_full_model_made_ones(gazetteer: Gazetteer, nlp: spacy.language.Language) -> None:
    # the way spaCy's SpanRuler makes phrase patterns by default: every phrase through the whole model
    full = spacy.load(default_model())
    ruler = full.add_pipe("span_ruler", name="kgraph_actors", config={"spans_key": SPANS_KEY, "phrase_matcher_attr": "ORTH"})
    ruler.add_patterns(gazetteer.patterns())  # type: ignore[attr-defined]
    assert len(nlp.get_pipe("kgraph_actors")) == len(ruler)  # type: ignore[arg-type]
    for path in ARTICLES:
        text = path.read_text(encoding="utf-8")
        assert spans(nlp, text) == spans(full, text), path.name


def test_pattern_tokens_are_cached_by_the_phrases_and_the_model(gazetteer: Gazetteer, nlp: spacy.language.Language, cache_home: Path) -> None:
    texts = [str(p["pattern"]) for p in gazetteer.patterns()]
    path = phrase_cache(nlp, texts)
    assert path.parent == cache_home / "kgraph" / "patterns" and path.exists()  # written when the module's pipeline loaded
    assert phrase_orths(nlp, texts) == [[t.orth for t in doc] for doc in nlp.tokenizer.pipe(texts)]  # type: ignore[union-attr]
    # what is read is the cache: a (doctored) file is taken as it is
    record = json.loads(path.read_text(encoding="utf-8"))
    record["orths"][0] = [1, 2, 3]
    path.write_text(json.dumps(record), encoding="utf-8")
    assert phrase_orths(nlp, texts)[0] == [1, 2, 3]
    path.write_text("not json", encoding="utf-8")  # a broken file is made again
    assert phrase_orths(nlp, texts)[0] == [t.orth for t in nlp.make_doc(texts[0])]
    assert json.loads(path.read_text(encoding="utf-8"))["orths"][0] == [t.orth for t in nlp.make_doc(texts[0])]
    # another gazetteer or another model: another file
    assert phrase_cache(nlp, [*texts, "Freedonia"]) != path
    nlp.meta["version"] = nlp.meta["version"] + "-other"
    try:
        assert phrase_cache(nlp, texts) != path
    finally:
        nlp.meta["version"] = nlp.meta["version"].removesuffix("-other")
    assert phrase_cache(nlp, texts) == path


def test_a_second_process_finds_the_first_ones_pattern_cache(tmp_path: Path) -> None:
    """The cache is found across processes: the patterns' order may not depend on hash randomization."""
    import subprocess
    import sys

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    code = "from kgraph.gazetteer import Gazetteer; from kgraph.nlp import load_pipeline; load_pipeline(Gazetteer.load())"
    for seed in ("1", "2"):
        subprocess.run([sys.executable, "-c", code], env={**env, "PYTHONHASHSEED": seed}, check=True)
    assert len(list((tmp_path / "kgraph" / "patterns").glob("*.json"))) == 1


def test_cached_patterns_match_as_freshly_made_ones(gazetteer: Gazetteer, nlp: spacy.language.Language) -> None:
    again = load_pipeline(gazetteer)  # from the cache
    for path in ARTICLES:
        text = path.read_text(encoding="utf-8")
        assert spans(again, text) == spans(nlp, text)


def test_an_unwritable_cache_is_no_error(gazetteer: Gazetteer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))  # a file where the folder should be
    nlp = load_pipeline(gazetteer)
    assert [s[2] for s in spans(nlp, "China criticized Russia.")] == ["NAME", "NAME"]


def test_patterns_follow_the_gazetteer(tmp_path: Path) -> None:
    text = "Freedonia accused Sylvania of violating the ceasefire."
    before = load_pipeline(Gazetteer.load())
    assert [s[2] for s in spans(before, text)] == []
    actors = tmp_path / "actors.jsonl"
    actors.write_text(
        "\n".join(json.dumps({"id": i, "label": n, "kind": "state"}) for i, n in (("FRD", "Freedonia"), ("SYL", "Sylvania")))
    )
    after = load_pipeline(Gazetteer.load([actors]))  # a changed gazetteer: its own patterns, made again
    assert [(s[2], s[3]) for s in spans(after, text)] == [("NAME", "FRD"), ("NAME", "SYL")]
    cached = load_pipeline(Gazetteer.load([actors]))  # and read from its own cache file
    assert [(s[2], s[3]) for s in spans(cached, text)] == [("NAME", "FRD"), ("NAME", "SYL")]


def test_ner_runs_on_the_sentences_that_need_it_and_finds_what_the_full_run_finds(gazetteer: Gazetteer, nlp: spacy.language.Language) -> None:
    assert COMPONENTS["ner"] == "needed" and "ner" not in nlp.pipe_names and "kgraph_entities" in nlp.pipe_names
    full = load_pipeline(gazetteer, components={"ner": "all"})
    assert "ner" in full.pipe_names and "kgraph_entities" not in full.pipe_names
    ours_ents: set[tuple[str, int, int, str]] = set()
    full_ents: set[tuple[str, int, int, str]] = set()
    for path in ARTICLES:
        text = path.read_text(encoding="utf-8")
        ours, theirs = nlp(text), full(text)
        labels = gazetteer_labels(ours)
        for sent, other in zip(ours.sents, theirs.sents, strict=True):
            if needs_entities(sent, labels):
                ours_ents.update((path.name, e.start, e.end, e.label_) for e in sent.ents)
                full_ents.update((path.name, e.start, e.end, e.label_) for e in other.ents)
            else:
                assert not sent.ents and all(t.ent_iob_ == "O" for t in sent)
    # a sentence parsed alone sees less context than in its article: nearly, not always, the same entities
    assert len(full_ents) > 50
    assert len(ours_ents & full_ents) >= 0.9 * len(ours_ents | full_ents)


def test_a_sentence_needs_ner_for_an_ambiguous_form_or_a_name_outside_the_gazetteer(nlp: spacy.language.Language) -> None:
    def needed(text: str) -> bool:
        doc = nlp(text)
        return needs_entities(doc[:], gazetteer_labels(doc))

    assert not needed("China criticized Russia on Monday over its exports.")  # every proper noun a gazetteer form, or a day
    assert needed("Secretary of State Marco Fuentes met Chinese leaders.")  # a person outside the gazetteer
    assert needed("Jordan criticized Israel.")  # "Jordan" is ambiguous (a country, a first name)


def test_the_component_setting_is_checked(gazetteer: Gazetteer) -> None:
    with pytest.raises(ValueError, match="component modes"):
        load_pipeline(gazetteer, components={"parser": "needed"})
    with pytest.raises(ValueError, match="component modes"):
        load_pipeline(gazetteer, components={"ner": "tables"})
    off = load_pipeline(gazetteer, components={"ner": "off"})
    assert "ner" not in off.pipe_names and "kgraph_entities" not in off.pipe_names


def test_plainly_english_texts_skip_the_detector_and_get_its_answer() -> None:
    for path in ARTICLES:
        sample = path.read_text(encoding="utf-8")[:1000]
        assert _plainly_english(sample) and _detect_sample(sample) == "en"
    assert not _plainly_english(GERMAN) and detect_language(GERMAN) == "de"
    assert not _plainly_english("China warned Russia.")  # too short to say: the detector decides


def test_the_tokenizer_is_the_models_with_the_infix(nlp: spacy.language.Language) -> None:
    from kgraph.nlp import INFIX

    # what kgraph did before: the model as loaded, then the default infixes and kgraph's set on it
    old = spacy.load(default_model())
    old.tokenizer.infix_finditer = spacy.util.compile_infix_regex([*(old.Defaults.infixes or []), INFIX]).finditer  # type: ignore[union-attr]
    for path in ARTICLES:
        text = path.read_text(encoding="utf-8")
        assert [t.text for t in nlp.make_doc(text)] == [t.text for t in old.make_doc(text)], path.name
    assert [t.text for t in nlp.make_doc("the U.S.-Japan alliance")] == ["the", "U.S.", "-", "Japan", "alliance"]
    assert nlp.tokenizer.rules == old.tokenizer.rules  # type: ignore[union-attr]
    assert type(nlp.tokenizer).__name__ == "_Tokenizer"  # read with the infix, not set afterwards
    assert not _standard_tokenizer("no_such_model")  # unknown: loaded as spaCy loads it (then reported)


def test_table_attributes_set_what_the_attribute_ruler_sets(gazetteer: Gazetteer, nlp: spacy.language.Language) -> None:
    assert COMPONENTS["attribute_ruler"] == "tables" and "kgraph_attributes" in nlp.pipe_names and "attribute_ruler" not in nlp.pipe_names
    ruler = load_pipeline(gazetteer, components={"ner": "needed", "attribute_ruler": "all"})
    assert "attribute_ruler" in ruler.pipe_names and "kgraph_attributes" not in ruler.pipe_names
    texts = [path.read_text(encoding="utf-8") for path in ARTICLES]
    texts.append("I ain't gonna go, she's gotta stay.  Wanna see?\n\nThey don't.  It's 5 o'clock . . . yes")
    for ours, theirs in zip(nlp.pipe(texts), ruler.pipe(texts), strict=True):
        assert [(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in ours] == [(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in theirs]
