"""Who a phrase stands for, read by the real pipeline: titles, whole names, descriptions."""

from __future__ import annotations

import pytest

from kgraph.mentions import mentions
from kgraph.records import Article

from .test_reading import reading_of

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


def test_a_group_the_model_takes_for_a_person_with_a_common_noun_is_still_the_group(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "Kenyan Defense Forces said in a statement that al-Shabab militia attacked a Somalian army base near the Kenyan forces' base."
    seen = found(extractor, text)
    assert seen.get("al-Shabab") == "AL_SHABAAB"
    assert seen.get("Somalian") == "SOM"


def test_an_ambiguous_short_form_counts_where_the_text_names_the_actor_plainly(extractor) -> None:  # type: ignore[no-untyped-def]
    named = "The Rapid Support Forces have besieged el-Fasher for months. The RSF military operation has endangered the lives of civilians."
    assert found(extractor, named).get("RSF@2") == "RSF"


def test_designated_cartels_and_self_declared_states_are_actors(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "Rubio designated the Gulf Cartel and Cárteles Unidos as terrorist organizations, and Ethiopia signed a deal with Somaliland."
    seen = found(extractor, text)
    assert (seen.get("Gulf Cartel"), seen.get("Cárteles Unidos"), seen.get("Somaliland")) == ("GULF_CARTEL", "CARTELES_UNIDOS", "SOMALILAND")


def test_each_side_blamed_the_other_relates_both_sides(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "Fighting broke out between Armenia and Azerbaijan on Saturday. Each side blamed the other for starting the fighting."
    reading = reading_of(extractor, text, "2016-04-02")
    pairs = {(ex.candidate.source.actor, ex.candidate.target.actor) for ex in reading.examples if ex.candidate.index == 1}
    assert {("ARM", "AZE"), ("AZE", "ARM")} <= pairs


def test_a_people_of_a_country_is_not_its_state(extractor) -> None:  # type: ignore[no-untyped-def]
    seen = found(extractor, "The Syrian Kurds fought alongside U.S. forces against Islamic State terrorists.")
    assert "Syrian" not in seen and seen.get("U.S.") == "USA"


def test_we_in_a_quotation_over_two_sentences_is_its_speaker(extractor) -> None:  # type: ignore[no-untyped-def]
    text = '"We will not abandon our partners in Ukraine. We stand with Kyiv," Austin said on Friday.'
    reading = reading_of(extractor, text, "2023-08-01")
    first = {(ex.candidate.source.actor, ex.candidate.target.actor) for ex in reading.examples if ex.candidate.index == 0}
    assert ("USA", "UKR") in first


def test_i_and_we_in_a_transcript_paragraph_are_its_labelled_speaker(extractor) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Secretary Austin met Minister Lee Jong-sup in Seoul.\n\n"
        "SECRETARY OF DEFENSE LLOYD J. AUSTIN III: Thank you. We will stand with Ukraine.\n\n"
        "MINISTER LEE (THROUGH TRANSLATOR): I thank Secretary Austin."
    )
    reading = reading_of(extractor, text, "2023-11-13")
    spoken = {(ex.candidate.source.actor, ex.candidate.target.actor) for ex in reading.examples if ex.candidate.source.via == "speaker"}
    assert ("USA", "UKR") in spoken  # "We will stand with Ukraine" under Austin's label
    assert ("KOR", "USA") in spoken  # "I thank Secretary Austin" under Minister Lee's label
