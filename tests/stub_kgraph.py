"""kgraph's CLI with a stub extraction instead of spaCy, for tests of what builds do with files,
stores and outputs (not of what they extract): ``python tests/stub_kgraph.py build ...``.

The stub finds three-letter upper-case actor codes (USA, CHN) in each sentence and makes a
``warns`` event between the first two, so an article's events depend on its text alone.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kgraph import cli  # noqa: E402
from kgraph.records import Article, Event  # noqa: E402

CODE = re.compile(r"\b[A-Z]{3}\b")


class StubGazetteer:
    labels: dict[str, str] = {}

    def label(self, actor: str) -> str:
        return self.labels.get(actor, actor)

    def kind(self, actor: str) -> str:
        return "state"


class StubExtractor:
    version = "stub"
    languages = frozenset({"en"})

    def __init__(self) -> None:
        self.gazetteer = StubGazetteer()

    def extract(self, articles: Iterable[Article], batch_size: int = 8, **_: Any) -> Iterator[tuple[Article, list[Event]]]:
        for article in articles:
            found = []
            for n, sentence in enumerate(article.text.split(". ")):
                codes = CODE.findall(sentence)
                if len(codes) >= 2 and codes[0] != codes[1]:
                    a, b = codes[:2]
                    found.append(Event(article.id, article.date, n, a, a, "warns", b, b, False, 0.9, sentence[:200]))
            yield article, found


def engine(*args: object, **kwargs: object) -> StubExtractor:
    return StubExtractor()


def story(codes: str, n: int = 0) -> str:
    """An English article text (so that language detection keeps it) naming the actors ``codes``."""
    a, b = codes.split()
    return (
        f"Story {n}: {a} and {b}\n\nOn Monday the government of {a} warned {b} about the border. Officials of {a} said "
        f"the talks with {b} would go on next week, and that the matter {n} was serious for the whole region."
    )


if __name__ == "__main__":
    cli._engine = engine  # type: ignore[assignment]
    cli.app()
