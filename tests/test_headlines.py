"""Title-case headlines are put in sentence case before parsing, keeping names and offsets."""

from __future__ import annotations

import pytest

from kgraph.headlines import is_title_case, name_words, sentence_case

NAMES = name_words(["United States", "US", "Venezuelan", "Antony Blinken", "Blinken", "China", "Department of Defense"], ["defense", "support"])


@pytest.mark.parametrize(
    "title,expected",
    [
        ("US Imposes Sanctions on Venezuelan Officials for Blocking Aid", "US imposes sanctions on Venezuelan officials for blocking aid"),
        ("Blinken Warns China’s Support Has to Stop", "Blinken warns China’s support has to stop"),
        ("Department of Defense Statement on China", "Department of defense statement on China"),
    ],
)
def test_title_case_headline_becomes_sentence_case(title: str, expected: str) -> None:
    text = f"{title}\n\nBody text Stays As It Is."
    cased = sentence_case(text, title, NAMES)
    assert cased == f"{expected}\n\nBody text Stays As It Is."
    assert len(cased) == len(text)


def test_sentence_case_headline_is_left_alone() -> None:
    title = "US imposes sanctions on Venezuelan officials"
    assert not is_title_case(title)
    assert sentence_case(f"{title}\n\nBody.", title, NAMES) == f"{title}\n\nBody."
