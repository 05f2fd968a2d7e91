"""The records that flow through kgraph: Article in, Actor and Mention found, Event out.

One word per concept: an Actor is a canonical entity (USA, NATO), a Mention is one surface
occurrence of it in a text ("Beijing", "Blinken", "he"), an Event is one extracted
source-relation-target statement with its evidence, and an Edge (in :mod:`kgraph.graph`) is
the aggregate of events across articles.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

#: The nine relations of the ontology, in the order the legend shows them.
RELATIONS: tuple[str, ...] = (
    "supports",
    "partners-with",
    "meets",
    "warns",
    "demands",
    "criticizes",
    "sanctions",
    "attacks",
    "opposes",
)

#: Relations whose direction carries no meaning; the graph keeps one pair for them.
SYMMETRIC: frozenset[str] = frozenset({"partners-with", "meets"})

#: Quad class of each relation (cooperation or conflict), from the ontology table.
QUAD_CLASS: dict[str, str] = {
    "supports": "cooperation",
    "partners-with": "cooperation",
    "meets": "cooperation",
    "warns": "conflict",
    "demands": "conflict",
    "criticizes": "conflict",
    "sanctions": "conflict",
    "attacks": "conflict",
    "opposes": "conflict",
}


# control characters (C0, DEL, C1) and the bidirectional overrides that can make a label read as another
_LABEL_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean_label(label: str) -> str:
    """An actor label as every output shows it: without control characters (an ``--actors`` file or
    an article may carry escapes, NULs or bidirectional overrides)."""
    return " ".join(_LABEL_CONTROL.sub(" ", label).split()) if _LABEL_CONTROL.search(label) else label


@dataclass(frozen=True)
class Article:
    """One news article, cleaned: ``text`` is what the parser sees (title first)."""

    id: str
    text: str
    title: str = ""
    date: str | None = None
    url: str | None = None
    origin: str = ""  # where it was read from: "path" or "path:line"


@dataclass(frozen=True)
class Actor:
    """A canonical actor of the gazetteer."""

    id: str
    label: str
    kind: str  # state | organization | group | other


@dataclass(frozen=True)
class Mention:
    """One occurrence of an actor in a Doc, as token offsets ``[start, end)``."""

    start: int
    end: int
    actor: str
    via: str  # name | adjective | capital | institution | official | title | alias | pronoun | role
    text: str = ""


@dataclass(frozen=True)
class Event:
    """One relation stated in one sentence of one article (a line of ``events.jsonl``)."""

    article: str
    date: str | None
    sentence: int
    source: str
    source_label: str
    relation: str
    target: str
    target_label: str
    negated: bool
    confidence: float
    evidence: str
    trigger: str = ""
    source_text: str = ""
    target_text: str = ""
    hypothetical: bool = False
    quad_class: str = ""
    title: str = ""
    url: str | None = None
    char_start: int = 0  # offsets of the evidence sentence in the article text
    char_end: int = 0
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        # the labels come from an --actors file or an article: cleaned here, every output gets them clean
        for name in ("source_label", "target_label"):
            value = getattr(self, name)
            if isinstance(value, str) and _LABEL_CONTROL.search(value):
                object.__setattr__(self, name, clean_label(value))

    def to_dict(self) -> dict[str, Any]:
        """The JSON record of the contract, with the optional fields kgraph adds."""
        record = asdict(self)
        record.pop("extra")
        record.update(self.extra)
        return record

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> Event:
        """Read a record written by :meth:`to_dict` (unknown keys go to ``extra``)."""
        known = {f for f in cls.__dataclass_fields__ if f != "extra"}
        kwargs = {k: v for k, v in record.items() if k in known}
        extra = {k: v for k, v in record.items() if k not in known}
        return cls(**kwargs, extra=extra)
