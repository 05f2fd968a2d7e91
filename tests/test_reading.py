"""What the model is told of a candidate: the parse read by the real pipeline."""

from __future__ import annotations

import pytest

from kgraph.extract import Reading, read
from kgraph.records import Article

pytestmark = pytest.mark.slow


def reading_of(extractor, text: str, date: str = "2023-10-20") -> Reading:  # type: ignore[no-untyped-def]
    """What the extractor reads in one article: its candidates with their features."""
    doc, article = next(iter(extractor.parse([Article(id="t.txt", text=text, date=date)])))
    return read(doc, article, extractor.gazetteer, extractor.lexicon)


def examples(extractor, text: str) -> dict[tuple[str, str], list[str]]:  # type: ignore[no-untyped-def]
    reading = reading_of(extractor, text)
    return {(ex.candidate.source.actor, ex.candidate.target.actor): ex.features for ex in reading.examples}


def test_a_planned_visit_is_hypothetical_and_a_refused_meeting_negated(extractor) -> None:  # type: ignore[no-untyped-def]
    planned = examples(extractor, "Biden had planned to visit Jordan on Wednesday.")
    assert "hyp" in planned[("USA", "JOR")]
    made = examples(extractor, "Biden visited Jordan on Wednesday.")
    assert "hyp" not in made[("USA", "JOR")]
    refused = examples(extractor, "Putin refused to meet Zelensky in Istanbul.")
    assert "neg" in refused[("RUS", "UKR")]


def test_a_reported_obligation_is_read_as_one(extractor) -> None:  # type: ignore[no-untyped-def]
    said = examples(extractor, "Russia said Israel must stop its strikes on Iran.")
    assert "cmood=deontic" in said[("RUS", "ISR")]
    urged = examples(extractor, "China urged Japan to show restraint.")
    assert "cmood=infinitive" in urged[("CHN", "JPN")]
