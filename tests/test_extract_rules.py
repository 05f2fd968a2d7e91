"""Extraction rules on hand-built parses: one case per grammatical construction, no model."""

from __future__ import annotations

import pytest

from kgraph.extract import events
from kgraph.lexicon import Lexicon
from kgraph.records import Article

from .docs import mini_gazetteer, parsed, ruler

GAZ = mini_gazetteer()
LEX = Lexicon.load()
NLP = ruler(GAZ)

# (case, parse: word lemma POS dep head [ENT], expected facts {(source, relation, target, negated)})
CASES = [
    (
        "active verb",
        """
        Russia Russia PROPN nsubj 1 GPE
        attacked attack VERB ROOT 1
        Ukraine Ukraine PROPN dobj 1 GPE
        """,
        {("RUS", "attacks", "UKR", False)},
    ),
    (
        "passive verb with agent",
        """
        Ukraine Ukraine PROPN nsubjpass 2 GPE
        was be AUX auxpass 2
        attacked attack VERB ROOT 2
        by by ADP agent 2
        Russia Russia PROPN pobj 3 GPE
        """,
        {("RUS", "attacks", "UKR", False)},
    ),
    (
        "prepositional object",
        """
        China China PROPN nsubj 1 GPE
        met meet VERB ROOT 1
        with with ADP prep 1
        Russia Russia PROPN pobj 2 GPE
        """,
        {("CHN", "meets", "RUS", False)},
    ),
    (
        "object control: the demand is a fact, the demanded act is not",
        """
        The the DET det 1
        US US PROPN nsubj 2 GPE
        urged urge VERB ROOT 2
        Iran Iran PROPN dobj 2 GPE
        to to PART aux 5
        attack attack VERB xcomp 2
        Israel Israel PROPN dobj 5 GPE
        """,
        {("USA", "demands", "IRN", False)},
    ),
    (
        "light verb with a nominal trigger",
        """
        The the DET det 1
        US US PROPN nsubj 2 GPE
        imposed impose VERB ROOT 2
        sanctions sanction NOUN dobj 2
        on on ADP prep 3
        Iran Iran PROPN pobj 4 GPE
        """,
        {("USA", "sanctions", "IRN", False)},
    ),
    (
        "possessive nominal",
        """
        Russia Russia PROPN poss 2 GPE
        's 's PART case 0
        invasion invasion NOUN nsubj 5
        of of ADP prep 2
        Ukraine Ukraine PROPN pobj 3 GPE
        continues continue VERB ROOT 5
        """,
        {("RUS", "attacks", "UKR", False)},
    ),
    (
        "talks between A and B",
        """
        Talks talk NOUN nsubj 5
        between between ADP prep 0
        China China PROPN pobj 1 GPE
        and and CCONJ cc 2
        Russia Russia PROPN conj 2 GPE
        ended end VERB ROOT 5
        """,
        {("CHN", "meets", "RUS", False)},
    ),
    (
        "coordinated subjects give one event each",
        """
        The the DET det 1
        US US PROPN nsubj 5 GPE
        and and CCONJ cc 1
        the the DET det 4
        EU EU PROPN conj 1 ORG
        sanctioned sanction VERB ROOT 5
        Russia Russia PROPN dobj 5 GPE
        """,
        {("USA", "sanctions", "RUS", False), ("EU", "sanctions", "RUS", False)},
    ),
    (
        "negation",
        """
        Beijing Beijing PROPN nsubj 3 GPE
        is be AUX aux 3
        not not PART neg 3
        sending send VERB ROOT 3
        weapons weapon NOUN dobj 3
        to to ADP prep 3
        Russia Russia PROPN pobj 5 GPE
        """,
        {("CHN", "supports", "RUS", True)},
    ),
    (
        "future is not a fact",
        """
        China China PROPN nsubj 2 GPE
        will will AUX aux 2
        meet meet VERB ROOT 2
        Russia Russia PROPN dobj 2 GPE
        """,
        set(),
    ),
    (
        "official by title; the person is no actor",
        """
        US US PROPN nmod 1 GPE
        Secretary Secretary PROPN nmod 5
        of of ADP prep 1
        State State PROPN pobj 2 ORG
        Antony Antony PROPN compound 5 PERSON
        Blinken Blinken PROPN nsubj 6 PERSON
        warned warn VERB ROOT 6
        China China PROPN dobj 6 GPE
        """,
        {("USA", "warns", "CHN", False)},
    ),
    (
        "official from the officials file",
        """
        Putin Putin PROPN nsubj 1 PERSON
        criticized criticize VERB ROOT 1
        NATO NATO PROPN dobj 1 ORG
        """,
        {("RUS", "criticizes", "NATO", False)},
    ),
    (
        "relative clause",
        """
        The the DET det 1
        US US PROPN nsubj 7 GPE
        , , PUNCT punct 1
        which which PRON nsubj 4
        backs back VERB relcl 1
        Ukraine Ukraine PROPN dobj 4 GPE
        , , PUNCT punct 1
        criticized criticize VERB ROOT 7
        Russia Russia PROPN dobj 7 GPE
        """,
        {("USA", "supports", "UKR", False), ("USA", "criticizes", "RUS", False)},
    ),
    (
        "refusal negates",
        """
        China China PROPN nsubj 1 GPE
        refused refuse VERB ROOT 1
        to to PART aux 3
        condemn condemn VERB xcomp 1
        Russia Russia PROPN dobj 3 GPE
        """,
        {("CHN", "criticizes", "RUS", True)},
    ),
    (
        "demonym and phrasal verb",
        """
        Chinese Chinese ADJ amod 1 NORP
        forces force NOUN nsubj 2
        fired fire VERB ROOT 2
        on on ADP prep 2
        Taiwan Taiwan PROPN pobj 3 GPE
        """,
        {("CHN", "attacks", "TWN", False)},
    ),
    (
        "capital as metonym",
        """
        Moscow Moscow PROPN nsubj 1 GPE
        accused accuse VERB ROOT 1
        Kyiv Kyiv PROPN dobj 1 GPE
        """,
        {("RUS", "criticizes", "UKR", False)},
    ),
    (
        "commitment to defend is support",
        """
        The the DET det 1
        US US PROPN nsubj 2 GPE
        vowed vow VERB ROOT 2
        to to PART aux 4
        defend defend VERB xcomp 2
        Taiwan Taiwan PROPN dobj 4 GPE
        """,
        {("USA", "supports", "TWN", False)},
    ),
    (
        "conditional is not a fact",
        """
        If if SCONJ mark 2
        Iran Iran PROPN nsubj 2 GPE
        attacks attack VERB advcl 5
        Israel Israel PROPN dobj 2 GPE
        , , PUNCT punct 5
        it it PRON nsubj 5
        retaliates retaliate VERB ROOT 5
        """,
        set(),
    ),
    (
        "capital as a place is no actor",
        """
        China China PROPN nsubj 1 GPE
        held hold VERB ROOT 1
        talks talk NOUN dobj 1
        in in ADP prep 1
        Washington Washington PROPN pobj 3 GPE
        """,
        set(),
    ),
    (
        "object control: the accused is who supplies",
        """
        Washington Washington PROPN nsubj 1 GPE
        accused accuse VERB ROOT 1
        China China PROPN dobj 1 GPE
        of of ADP prep 1
        supplying supply VERB pcomp 3
        drones drone NOUN dobj 4
        to to ADP prep 4
        Moscow Moscow PROPN pobj 6 GPE
        """,
        {("USA", "criticizes", "CHN", False), ("CHN", "supports", "RUS", False)},
    ),
]


@pytest.mark.parametrize("case,spec,expected", CASES, ids=[c[0] for c in CASES])
def test_rule(case: str, spec: str, expected: set[tuple[str, str, str, bool]]) -> None:
    doc = parsed(spec, NLP)
    found = events(doc, Article(id="t", text=doc.text), GAZ, LEX)
    facts = {(e.source, e.relation, e.target, e.negated) for e in found if not e.hypothetical}
    assert facts == expected


def test_hypothetical_events_are_kept_flagged_with_low_confidence() -> None:
    doc = parsed(CASES[9][1], NLP)  # "China will meet Russia"
    found = events(doc, Article(id="t", text=doc.text), GAZ, LEX)
    assert [(e.source, e.relation, e.target, e.hypothetical) for e in found] == [("CHN", "meets", "RUS", True)]
    assert found[0].confidence <= 0.3


def test_event_records_follow_the_contract() -> None:
    doc = parsed(CASES[10][1], NLP)
    [event] = events(doc, Article(id="a.txt", text=doc.text, date="2024-06-18"), GAZ, LEX)
    record = event.to_dict()
    assert record["article"] == "a.txt" and record["date"] == "2024-06-18" and record["sentence"] == 0
    assert (record["source_label"], record["target_label"]) == ("United States", "China")
    assert record["evidence"] == doc.text.strip()
    assert doc.text[record["char_start"] : record["char_end"]] == record["evidence"]
    assert 0 < record["confidence"] <= 1
