"""Who a phrase stands for, read by the real pipeline: titles, whole names, descriptions."""

from __future__ import annotations

import pytest

from kgraph.mentions import mentions
from kgraph.records import Article

pytestmark = pytest.mark.slow


def found(extractor, text: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Each mention's words -> its actor (later mentions of the same words overwrite earlier ones)."""
    doc, article = next(iter(extractor.parse([Article(id="t.txt", text=text, date="2023-08-01")])))
    out: dict[str, str] = {}
    for m in mentions(doc, extractor.gazetteer, extractor.lexicon, article.date).values():
        out[f"{m.text}@{doc[m.start].sent.start}"] = m.actor
    return {k.partition("@")[0] + ("@2" if int(k.partition("@")[2]) > 0 else ""): v for k, v in out.items()}


def test_the_title_stands_for_the_person_named_with_it_before(extractor) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Secretary of State Antony Blinken spoke today with Nigerian President Bola Tinubu. "
        "The Secretary expressed his thanks for President Tinubu's leadership."
    )
    seen = found(extractor, text)
    assert seen.get("Secretary@2") == "USA"
    assert seen.get("his@2") == "USA"  # the pronoun follows the title, not the neighbouring actor
    assert seen.get("Tinubu@2") == "NGA"


def test_a_title_two_people_have_stands_for_neither(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "President Joe Biden met Chinese President Xi Jinping in Bali. The president said the talks were candid."
    assert "president@2" not in found(extractor, text)


def test_a_whole_name_the_model_takes_for_a_person_is_still_the_actor(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "Secretary of State Marco Rubio designated Tren de Aragua, Mara Salvatrucha and the Sinaloa Cartel as terrorist organizations."
    seen = found(extractor, text)
    assert seen.get("Tren de Aragua") == "TREN_DE_ARAGUA"
    assert seen.get("Mara Salvatrucha") == "MS_13"


def test_a_country_name_inside_a_persons_name_is_not_the_country(extractor) -> None:  # type: ignore[no-untyped-def]
    assert "Jordan" not in found(extractor, "Michael Jordan visited Chicago on Monday.")


def test_the_militants_are_the_group_named_before(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "Al-Shabaab fighters stormed a base in southern Somalia on Friday. The militants killed at least ten soldiers."
    assert found(extractor, text).get("the militants@2") == "AL_SHABAAB"
