"""Relations from a parsed article: who does what to whom, sentence by sentence.

``events(doc, article, gazetteer, lexicon, model)`` is a pure function over one parsed
article. Its parts, one file each:

- :mod:`.rules`: hand-written grammar cases (a trigger word, its agents and targets in the
  dependency parse). Precise where they apply; their findings are also features.
- :mod:`.modality`: negation, hypotheticality and commitment of a predicate.
- :mod:`.candidates`: every pair of actor mentions a reader could relate (high recall).
- :mod:`.features`: what the classifier sees of a candidate (path, triggers, voice, rules).
- :mod:`.model`: the trained, calibrated classifier per relation (plain JSON file).
- :mod:`.training`: fitting a model to gold annotations, cross-validation (scikit-learn).

Without a model, the rules alone decide (``model=None``). With one, every candidate whose
calibrated probability reaches its relation's threshold becomes an event, with that
probability as its confidence; the rules' hypothetical findings are kept (flagged) so that
``--include-hypothetical`` still shows plans and conditions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from ..gazetteer import Gazetteer
from ..lexicon import Lexicon
from ..records import QUAD_CLASS, SYMMETRIC, Article, Event
from .candidates import Candidate, candidates
from .features import RuleFinding, SentenceContext, features, trigger_classes
from .model import RelationModel
from .rules import Finding, finding_event, is_headline, reader_for, sentence_findings, source_text_of

__all__ = ["Example", "Reading", "events", "facts", "read", "RelationModel"]


@dataclass
class Example:
    """One candidate with its features, and what the rules said of it."""

    candidate: Candidate
    features: list[str]
    negated: bool
    trigger: str
    hypothetical: bool = False  # planned, wished-for or conditional ("wants Putin to attack")


@dataclass
class Reading:
    """One article read: the rules' findings as events, and every candidate with its features."""

    rule_events: list[Event] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)


def read(doc: Doc, article: Article, gazetteer: Gazetteer, lexicon: Lexicon) -> Reading:
    """Run the rules and build every candidate's features (shared by prediction and training)."""
    reader = reader_for(doc, article, gazetteer, lexicon)
    source_text = source_text_of(doc, article)
    roles = frozenset(lexicon.words("roles"))
    reading = Reading()
    for index, sent in enumerate(doc.sents):
        headline = is_headline(index, sent, article)
        found = sentence_findings(reader, sent, headline)
        reading.rule_events += [finding_event(f, index, sent, article, gazetteer, source_text) for f in found]
        pairs = list(candidates(sent, index, reader, headline))
        if not pairs:
            continue
        by_pair = _by_pair(found)
        classes = frozenset(cls for t in sent for cls in trigger_classes(t, lexicon))
        ctx = SentenceContext(lexicon, roles, reader.kinds, by_pair, classes)
        for c in pairs:
            feats = features(c, ctx)
            rule = by_pair.get((c.source.actor, c.target.actor), [])
            hypothetical = "hyp" in feats and "commit=commit" not in feats
            reading.examples.append(Example(c, feats, "neg" in feats, _trigger_text(sent, rule), hypothetical))
    article_context(reading)
    return reading


def article_context(reading: Reading) -> None:
    """Add what the rest of the article says of each candidate's pair to its features.

    A relation an article states once it often restates ("the talks", "the move"): the number of
    sentences joining the pair, whether the headline joins them, and what the rules found for the
    pair in other sentences.
    """
    sentences: dict[frozenset[str], set[int]] = {}
    headline: set[frozenset[str]] = set()
    found: dict[tuple[str, str], dict[int, set[str]]] = {}
    for e in reading.rule_events:
        if not e.hypothetical:
            found.setdefault((e.source, e.target), {}).setdefault(e.sentence, set()).add(e.relation)
            if e.relation in SYMMETRIC:
                found.setdefault((e.target, e.source), {}).setdefault(e.sentence, set()).add(e.relation)
    for ex in reading.examples:
        c = ex.candidate
        pair = frozenset((c.source.actor, c.target.actor))
        sentences.setdefault(pair, set()).add(c.index)
        if c.headline:
            headline.add(pair)
    for ex in reading.examples:
        c = ex.candidate
        pair = frozenset((c.source.actor, c.target.actor))
        n = len(sentences[pair])
        extra = [f"pairsents={'1' if n == 1 else '2' if n == 2 else '3+'}"]
        if pair in headline and not c.headline:
            extra.append("pairhead")
        elsewhere = {r for i, rels in found.get((c.source.actor, c.target.actor), {}).items() if i != c.index for r in rels}
        extra += [f"ruleart={r}" for r in sorted(elsewhere)]
        ex.features = ex.features + extra


def _by_pair(found: list[Finding]) -> dict[tuple[str, str], list[RuleFinding]]:
    out: dict[tuple[str, str], list[RuleFinding]] = {}
    for f in found:
        rf = RuleFinding(f.relation, f.negated, f.hypothetical, f.confidence, f.trigger.i)
        out.setdefault((f.source.actor, f.target.actor), []).append(rf)
        if f.relation in SYMMETRIC:
            out.setdefault((f.target.actor, f.source.actor), []).append(rf)
    return out


def _trigger_text(sent: Span, rule: list[RuleFinding]) -> str:
    for f in rule:
        if f.trigger >= 0:
            return sent.doc[f.trigger].text
    return ""


def model_events(reading: Reading, article: Article, gazetteer: Gazetteer, model: RelationModel, source_text: str) -> list[Event]:
    """Events of every candidate the model accepts, and the rules' hypothetical findings (flagged)."""
    best: dict[tuple[int, str, str, str], tuple[float, Example]] = {}
    for ex in reading.examples:
        c = ex.candidate
        for relation, p in model.probabilities(ex.features).items():
            if p < model.thresholds[relation]:
                continue
            a, b = c.source.actor, c.target.actor
            if relation in SYMMETRIC:
                a, b = min(a, b), max(a, b)
            key = (c.index, a, relation, b)
            if key not in best or p > best[key][0]:
                best[key] = (p, ex)
    out: list[Event] = []
    supposed = _only_supposed(reading)
    for (index, _, relation, _), (p, ex) in sorted(best.items(), key=lambda kv: kv[0]):
        c = ex.candidate
        sent = c.sent
        text = source_text[sent.start_char : sent.end_char]
        evidence = text.strip()
        start = sent.start_char + len(text) - len(text.lstrip())
        negated = _negated(reading, ex, relation)
        out.append(
            Event(
                article=article.id,
                date=article.date,
                sentence=index,
                source=c.source.actor,
                source_label=gazetteer.label(c.source.actor),
                relation=relation,
                target=c.target.actor,
                target_label=gazetteer.label(c.target.actor),
                negated=negated,
                confidence=round(min(max(p, 0.01), 0.99), 3),
                evidence=evidence,
                trigger=ex.trigger,
                source_text=c.source.text,
                target_text=c.target.text,
                hypothetical=_hypothetical(ex, relation) or (index, c.source.actor, relation, c.target.actor) in supposed,
                quad_class=QUAD_CLASS[relation],
                title=article.title,
                url=article.url,
                char_start=start,
                char_end=start + len(evidence),
            )
        )
    stated = {(e.sentence, e.source, e.relation, e.target) for e in out}
    out += [e for e in reading.rule_events if e.hypothetical and (e.sentence, e.source, e.relation, e.target) not in stated]
    return out


def _hypothetical(ex: Example, relation: str) -> bool:
    """An example's hypotheticality for one relation: help announced in the future is pledged now."""
    return ex.hypothetical and not (relation == "supports" and "commit=pledge" in ex.features and "neg" not in ex.features)


def _only_supposed(reading: Reading) -> set[tuple[int, str, str, str]]:
    """(sentence, source, relation, target) the rules found only as planned, asked for or conditional.

    The rules read a predicate's own modality ("Congress is asking Obama to help Iran": the help is
    asked for); a candidate's features read the clause that joins its two mentions, which can miss
    it. What the model predicts for such a key is hypothetical too.
    """
    facts: set[tuple[int, str, str, str]] = set()
    supposed: set[tuple[int, str, str, str]] = set()
    for e in reading.rule_events:
        keys = [(e.sentence, e.source, e.relation, e.target)]
        if e.relation in SYMMETRIC:
            keys.append((e.sentence, e.target, e.relation, e.source))
        (supposed if e.hypothetical else facts).update(keys)
    return supposed - facts


def _negated(reading: Reading, ex: Example, relation: str) -> bool:
    """The rules' negation where they found the same relation, else the predicate's."""
    for e in reading.rule_events:
        if e.sentence == ex.candidate.index and e.relation == relation and {e.source, e.target} == {ex.candidate.source.actor, ex.candidate.target.actor}:
            return e.negated
    return ex.negated


def events(doc: Doc, article: Article, gazetteer: Gazetteer, lexicon: Lexicon, model: RelationModel | None = None) -> list[Event]:
    """Every relation stated in the article, one Event per (sentence, source, relation, target)."""
    if model is None:
        from .rules import events as rule_events

        return rule_events(doc, article, gazetteer, lexicon)
    reading = read(doc, article, gazetteer, lexicon)
    return model_events(reading, article, gazetteer, model, source_text_of(doc, article))


def facts(found: list[Event]) -> list[Event]:
    """The events the text states as happening or holding (hypothetical ones left out)."""
    return [e for e in found if not e.hypothetical]
