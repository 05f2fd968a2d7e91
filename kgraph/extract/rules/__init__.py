"""Relations from a parsed Doc: triggers, their arguments, and what did not happen.

``events(doc, article, gazetteer, lexicon)`` is a pure function over one parsed article.
For every trigger word of the lexicon it finds who acts (agents) and on whom (targets) in
the dependency parse, then decides whether the text states it as fact, denies it
(``negated``) or only plans, wishes or supposes it (``hypothetical``). The grammar cases
are named in ``cases.py``; each branch says which one it handles.

The package's parts: ``words.py`` (the grammar's word lists, ``Finding``), ``actors.py`` (noun
phrases to actors, agents and targets, modality), ``cases.py`` (the constructions, one method
each) and, here, the article-level functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from spacy.tokens import Doc, Span

from ...gazetteer import Gazetteer
from ...lexicon import Lexicon
from ...mentions import mentions
from ...records import QUAD_CLASS, SYMMETRIC, Article, Event
from .cases import _Reader
from .words import HEADLINE_FACTOR, HYPOTHETICAL_CONFIDENCE, QUOTE_MARKS, Arg, Finding, is_dateline, pair_relation

__all__ = ["Arg", "Finding", "_Reader", "events", "facts", "finding_event", "is_dateline", "is_headline", "pair_relation",
           "reader_for", "sentence_findings", "source_text_of", "HYPOTHETICAL_CONFIDENCE", "QUOTE_MARKS"]


def reader_for(doc: Doc, article: Article, gazetteer: Gazetteer, lexicon: Lexicon) -> _Reader:
    """The rules over one parsed article: its actor mentions resolved, its groups collected."""
    found = mentions(doc, gazetteer, lexicon, article.date)
    return _Reader(doc, found, lexicon, {a: gazetteer.kind(a) for a in {m.actor for m in found.values()}})


def is_headline(index: int, sent: Span, article: Article) -> bool:
    return index == 0 and bool(article.title) and sent.start_char == 0


def sentence_findings(reader: _Reader, sent: Span, headline: bool) -> list[Finding]:
    """The rules' findings of one sentence, one per (source, relation, target, negated), the surest kept."""
    best: dict[tuple[str, str, str, bool], Finding] = {}
    for f in reader.findings(sent):
        key = (f.source.actor, f.relation, f.target.actor, f.negated)
        if f.relation in SYMMETRIC:
            key = (min(f.source.actor, f.target.actor), f.relation, max(f.source.actor, f.target.actor), f.negated)
        old = best.get(key)
        if old is None or (old.hypothetical, -old.confidence) > (f.hypothetical, -f.confidence):
            best[key] = f
    if headline:  # headlines compress and mislead
        return [f if f.hypothetical else replace(f, confidence=round(f.confidence * HEADLINE_FACTOR, 3)) for f in best.values()]
    return list(best.values())


def source_text_of(doc: Doc, article: Article) -> str:
    """Evidence is cut from the article, not the Doc, when they align (the parser may have seen a
    sentence-cased headline); Doc.text joins every token, so it is measured once, not per event."""
    return article.text if len(article.text) == len(doc.text) else doc.text


def events(doc: Doc, article: Article, gazetteer: Gazetteer, lexicon: Lexicon) -> list[Event]:
    """Every relation the rules find in the article, one Event per (sentence, source, relation, target)."""
    reader = reader_for(doc, article, gazetteer, lexicon)
    source_text = source_text_of(doc, article)
    out: list[Event] = []
    for index, sent in enumerate(doc.sents):
        for f in sentence_findings(reader, sent, is_headline(index, sent, article)):
            out.append(finding_event(f, index, sent, article, gazetteer, source_text))
    return out


def finding_event(f: Finding, index: int, sent: Span, article: Article, gazetteer: Gazetteer, source_text: str) -> Event:
    text = source_text[sent.start_char : sent.end_char]
    evidence = text.strip()
    start = sent.start_char + len(text) - len(text.lstrip())
    return Event(
        article=article.id,
        date=article.date,
        sentence=index,
        source=f.source.actor,
        source_label=gazetteer.label(f.source.actor),
        relation=f.relation,
        target=f.target.actor,
        target_label=gazetteer.label(f.target.actor),
        negated=f.negated,
        confidence=f.confidence,
        evidence=evidence,
        trigger=f.trigger.text,
        source_text=f.source.text,
        target_text=f.target.text,
        hypothetical=f.hypothetical,
        quad_class=QUAD_CLASS[f.relation],
        title=article.title,
        url=article.url,
        char_start=start,
        char_end=start + len(evidence),
    )


def facts(found: Iterable[Event]) -> list[Event]:
    """The events the text states as happening or holding (hypothetical ones left out)."""
    return [e for e in found if not e.hypothetical]
