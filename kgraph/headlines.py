"""Headlines in title case, made readable for the parser.

"US Imposes Sanctions on Venezuelan Officials" parses badly: a statistical parser trained on
running text takes every capitalized word for a name. Before parsing, a title-case headline
is put in sentence case: every capitalized word is lower-cased except the first, acronyms,
and the words of the gazetteer's names (actors, capitals, demonyms, officials). The change
keeps every character offset, so evidence is still cut from the original text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.lang.en.stop_words import STOP_WORDS

_WORD = re.compile(r"[A-Za-z][a-z]+")


def name_words(forms: Iterable[str], common: Iterable[str] = ()) -> frozenset[str]:
    """The capitalized words of the gazetteer's names, which a headline keeps as they are.

    Words that are also ordinary vocabulary (``common``: "Support", "Defense", "In" from
    "Department of Defense") are left out: in a headline they are far more often just words.
    """
    skip = {w.lower() for w in common} | {w.lower() for w in STOP_WORDS}
    return frozenset(w for form in forms for w in _WORD.findall(form) if w[0].isupper() and w.lower() not in skip)


def is_title_case(title: str) -> bool:
    words = [w for w in _WORD.findall(title) if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) / len(words) >= 0.6


def sentence_case(text: str, title: str, names: frozenset[str]) -> str:
    """``text`` with its leading title in sentence case (same length, same offsets)."""
    if not title or not text.startswith(title) or not is_title_case(title):
        return text

    def lower(match: re.Match[str]) -> str:
        word = match.group(0)
        return word if match.start() == 0 or word in names else word.lower()

    cased = _WORD.sub(lower, title)
    return cased + text[len(title) :] if len(cased) == len(title) else text
