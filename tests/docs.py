"""Hand-built parsed Docs for rule tests: exact parses, no model needed (spaCy's test style)."""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kgraph.gazetteer import Gazetteer
from kgraph.lexicon import Lexicon
from kgraph.mentions import SPANS_KEY

GAZETTEER_LINES = Path(__file__).parent / "fixtures" / "mini_gazetteer.jsonl"


def mini_gazetteer() -> Gazetteer:
    return Gazetteer.load([GAZETTEER_LINES], builtin=False)


def ruler(gazetteer: Gazetteer) -> Language:
    nlp = spacy.blank("en")
    component = nlp.add_pipe("span_ruler", config={"spans_key": SPANS_KEY, "validate": False})
    component.add_patterns(gazetteer.patterns())  # type: ignore[attr-defined]
    return nlp


def parsed(spec: str, nlp: Language) -> Doc:
    """A Doc from one token per line: ``word lemma POS dep head [ENT]`` (head = 0-based index in the Doc).

    A blank line starts a new sentence. ``POS`` may carry the fine tag as ``POS/TAG`` ("VERB/VBN")
    where a rule reads it; ``ENT`` may be written ``B-LABEL`` to start an entity right after
    another one with the same label.
    """
    rows: list[list[str]] = []
    starts: list[bool] = []
    new_sentence = True
    for line in spec.strip().splitlines():
        if not line.strip():
            new_sentence = True
            continue
        rows.append(line.split())
        starts.append(new_sentence)
        new_sentence = False
    pos_tags = [r[2].partition("/") for r in rows]
    doc = Doc(
        nlp.vocab,
        words=[r[0] for r in rows],
        lemmas=[r[1] for r in rows],
        pos=[pos for pos, _, _ in pos_tags],
        tags=[tag or _tag(r[0], pos) for r, (pos, _, tag) in zip(rows, pos_tags, strict=True)],
        deps=[r[3] for r in rows],
        heads=[int(r[4]) for r in rows],
        sent_starts=starts,
        ents=[_iob(rows, i) for i in range(len(rows))],
    )
    return nlp.get_pipe("span_ruler")(doc)


def _tag(word: str, pos: str) -> str:
    if word.lower() in ("that", "which"):
        return "WDT"
    if word.lower() == "who":
        return "WP"
    return {"VERB": "VBD", "NOUN": "NN", "PROPN": "NNP", "PRON": "PRP", "ADJ": "JJ"}.get(pos, "XX")


def _iob(rows: list[list[str]], i: int) -> str:
    if len(rows[i]) < 6:
        return "O"
    label = rows[i][5]
    if label.startswith(("B-", "I-")):
        return label
    inside = i > 0 and len(rows[i - 1]) >= 6 and rows[i - 1][5].removeprefix("B-").removeprefix("I-") == label
    return f"{'I' if inside else 'B'}-{label}"


__all__ = ["Lexicon", "mini_gazetteer", "parsed", "ruler"]
