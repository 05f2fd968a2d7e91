"""Candidates: every pair of actor mentions a reader could relate, before anything is decided.

The trained model (:mod:`kgraph.extract.model`) scores candidates; this module only finds
them, with high recall. A candidate is an ordered pair of *parties* (one actor each) in one
sentence. Parties come from

- the actor mentions of :func:`kgraph.mentions.mentions` (names, demonyms, capitals,
  institutions, officials, titled persons, resolved pronouns);
- group references the rules resolve ("the two countries", "both sides", "they", "the
  Quad countries"), expanded into one party per member (:func:`group_parties`);
- the speaker of quoted speech ("we", "our" inside a quote said by an actor, and a quote
  whose speaker is named in the sentence before or after: :func:`quote_speakers`).

Lists and coordination need no case of their own: every member of "the U.S., Britain, China
and France" is a mention, so each pair with the other side is a candidate, and the features
see through the list (``kgraph.extract.features.anchor``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Span

from ..records import Mention
from .rules import _Reader
from .rules.words import DRAWING

#: words inside a sentence that open or close quoted speech
#: mention pairs kept per actor pair and sentence (the closest; the model takes the best of them)
PER_PAIR = 1
QUOTES = frozenset({'"', "“", "”", "``", "''"})


@dataclass(frozen=True)
class Party:
    """One side of a candidate: an actor and the tokens ``[start, end)`` that stand for it."""

    actor: str
    start: int
    end: int
    via: str  # how the mention was found: name, adjective, official, pronoun, group, speaker ...
    text: str


@dataclass(frozen=True)
class Candidate:
    """An ordered pair of parties of one sentence: does ``source`` do something to ``target``?"""

    index: int  # the sentence's index in the Doc
    sent: Span
    source: Party
    target: Party
    headline: bool = False


def mention_parties(sent: Span, found: dict[int, Mention]) -> list[Party]:
    """One party per actor mention in the sentence."""
    seen: set[tuple[int, int]] = set()
    out: list[Party] = []
    for i in range(sent.start, sent.end):
        m = found.get(i)
        if m is None or (m.start, m.end) in seen:
            continue
        seen.add((m.start, m.end))
        out.append(Party(m.actor, m.start, m.end, m.via, m.text))
    return out


def group_parties(sent: Span, reader: _Reader) -> list[Party]:
    """Members of group references: "the two countries", "both sides", "they", "we" in a quote."""
    out: list[Party] = []
    for token in sent:
        if token.i in reader.found:
            continue
        lower = token.lower_
        if reader.is_pair_phrase(token) or (token.lemma_.lower() == "side" and any(c.lower_ in ("either", "both", "each") for c in token.children)):
            args = reader.head_actors(token)
            via = "group"
        elif lower in ("we", "us", "our", "i", "me", "my") and token.pos_ == "PRON":
            args = reader.speakers(token)
            via = "speaker"
        elif token.pos_ == "NOUN" and _judged(token, reader) and (args := reader.attack_referred(token) or reader.act_referred(token)):
            via = "referred"  # "condemned the attack", "welcomed the move": whoever did the act told of before
        elif token.pos_ == "NOUN" and (args := reader.addressees(token, [])):
            via = "addressed"  # "urged restraint": the parties of the fight told of before
        else:
            continue
        out += [Party(a.actor, token.i, token.i + 1, via, token.text) for a in args]
    return out


def _judged(token, reader: _Reader) -> bool:
    """The object of a verb of judgement: "condemned the attack", "disturbed by the fighting", "welcomed the move"."""
    if token.dep_ == "nsubj" and token.head.lemma_.lower() in DRAWING:
        return True  # "The test drew condemnation from France"
    verb = token.head.head if token.dep_ == "pobj" else token.head if token.dep_ == "dobj" else None
    return verb is not None and any(t.relation in ("criticizes", "supports") for t in reader.lex.lookup(verb.lemma_.lower(), "VERB"))


def quote_speakers(sent: Span, reader: _Reader) -> list[Party]:
    """The speaker of a sentence that is all quotation, named in the sentence after or before.

    '"Russia's attacks must stop." \u2014 no actor speaks in the sentence; "the minister said" in the
    next one does. The speaker becomes a party placed at the sentence's first token.
    """
    text = sent.text.strip()
    if not text or text[0] not in "\"“":
        return []
    doc = sent.doc
    neighbours = []
    if sent.end < len(doc):
        neighbours.append(doc[sent.end].sent)
    if sent.start > 0:
        neighbours.append(doc[sent.start - 1].sent)
    for other in neighbours:
        if len(other) > 25:
            continue
        for token in other:
            if token.pos_ == "VERB" and token.lemma_.lower() in reader.say:
                args, _ = reader.agents(token)
                if args:
                    return [Party(a.actor, sent.start, sent.start + 1, "quote", a.text) for a in args]
    return []


def sentence_parties(sent: Span, reader: _Reader) -> list[Party]:
    """Every party of one sentence, at most one per (actor, position)."""
    parties = mention_parties(sent, reader.found) + group_parties(sent, reader)
    spoken = {p.actor for p in parties}
    return parties + [p for p in quote_speakers(sent, reader) if p.actor not in spoken]


def candidates(sent: Span, index: int, reader: _Reader, headline: bool = False, limit: int = 40) -> Iterator[Candidate]:
    """Every ordered pair of parties of distinct actors in the sentence.

    For each actor pair only the closest mentions pair up (``limit`` parties at most: a
    sentence listing 60 states gives no 3,540 candidates).
    """
    parties = sentence_parties(sent, reader)[:limit]
    pairs: dict[tuple[str, str], list[tuple[int, Party, Party]]] = {}
    for a in parties:
        for b in parties:
            if a.actor != b.actor:
                pairs.setdefault((a.actor, b.actor), []).append((abs(a.start - b.start), a, b))
    for found in pairs.values():
        for _, a, b in sorted(found, key=lambda t: (t[0], t[1].start))[:PER_PAIR]:
            yield Candidate(index, sent, a, b, headline)
