"""Two naive relation extractors to put kgraph's figures in context (issue 3).

Both read the same parsed Doc, the same actor mentions (:func:`kgraph.mentions.mentions`) and
the same trigger lexicon as kgraph, so the difference to kgraph is the relation rules alone:

- ``first_trigger_events``: every pair of actors that share a sentence, in order of
  appearance, gets the relation of the first trigger word of that sentence.
- ``svo_events``: textacy-style subject-verb-object triples (``textacy.extract.triples``'s
  rules, re-implemented on spaCy alone): nominal subjects, direct objects, the agent of a
  passive as object, an open clausal complement as object when there is no direct object,
  subjects and objects shared across coordinated verbs; a triple counts when its verb is a
  trigger and both sides contain an actor. Like textacy it misses prepositional objects
  ("met with", "sanctions on") and reads passives patient-first.

Neither marks hypothetical events; ``negated`` is set by SVO when the verb has a ``neg`` child.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.tokens import Doc, Span, Token

from kgraph.gazetteer import Gazetteer
from kgraph.lexicon import Lexicon
from kgraph.mentions import mentions
from kgraph.records import Article, Event, Mention

BASELINE_CONFIDENCE = 0.5
_POS = {"VERB": "VERB", "NOUN": "NOUN", "ADJ": "ADJ"}


def _relation(token: Token, lexicon: Lexicon) -> str | None:
    """The relation a token triggers, ignoring kgraph's finer conditions except required particles."""
    pos = _POS.get(token.pos_)
    if pos is None:
        return None
    children = {c.lower_ for c in token.children}
    for trigger in lexicon.lookup(token.lemma_, pos):
        if not trigger.particle or children & set(trigger.particle):
            return trigger.relation
    return None


def _event(article: Article, sent: Span, index: int, source: Mention, relation: str, target: Mention, negated: bool = False) -> Event:
    return Event(
        article=article.id,
        date=article.date,
        sentence=index,
        source=source.actor,
        source_label=source.actor,
        relation=relation,
        target=target.actor,
        target_label=target.actor,
        negated=negated,
        confidence=BASELINE_CONFIDENCE,
        evidence=sent.text.strip(),
    )


def first_trigger_events(doc: Doc, article: Article, gazetteer: Gazetteer, lexicon: Lexicon) -> Iterator[Event]:
    """Every co-occurring actor pair, tagged with the relation of the sentence's first trigger word."""
    found = mentions(doc, gazetteer, lexicon, article.date)
    for index, sent in enumerate(doc.sents):
        relation = next((r for r in (_relation(t, lexicon) for t in sent) if r), None)
        if relation is None:
            continue
        actors: dict[str, Mention] = {}  # first mention of each actor, in order
        for i in range(sent.start, sent.end):
            if i in found:
                actors.setdefault(found[i].actor, found[i])
        ordered = list(actors.values())
        for n, source in enumerate(ordered):
            for target in ordered[n + 1 :]:
                yield _event(article, sent, index, source, relation, target)


def _expand_noun(token: Token) -> list[Token]:
    """A noun with its conjuncts and their compound modifiers (textacy's ``expand_noun``)."""
    heads = [token, *token.conjuncts]
    return heads + [c for h in heads for c in h.children if c.dep_ == "compound"]


def svo_triples(sent: Span) -> Iterator[tuple[list[Token], Token, list[Token]]]:
    """(subject tokens, verb, object tokens) of one sentence, by textacy's SVO rules."""
    subjects: dict[Token, set[Token]] = {}
    objects: dict[Token, set[Token]] = {}
    for tok in sent:
        head = tok.head
        if tok.pos_ == "VERB":
            subjects.setdefault(tok, set())
            objects.setdefault(tok, set())
        if head.pos_ != "VERB" and not (tok.dep_ == "pobj" and head.dep_ == "agent"):
            continue
        if tok.dep_ in ("nsubj", "nsubjpass"):
            subjects.setdefault(head, set()).update(_expand_noun(tok))
        elif tok.dep_ in ("csubj", "csubjpass"):
            subjects.setdefault(head, set()).update(tok.subtree)
        elif tok.dep_ == "dobj":
            objects.setdefault(head, set()).update(_expand_noun(tok))
        elif tok.dep_ == "pobj" and head.dep_ == "agent" and head.head.pos_ == "VERB":  # the agent of a passive, as object
            objects.setdefault(head.head, set()).update(_expand_noun(tok))
        elif tok.dep_ == "xcomp" and not any(c.dep_ == "dobj" for c in head.children):
            objects.setdefault(head, set()).update(tok.subtree)
    # coordinated verbs share a subject, and lend their objects to a verb that has none
    for verb in list(subjects):
        for conj in verb.conjuncts:
            if subjects.get(verb) and conj in subjects and not subjects[conj]:
                subjects[conj] |= subjects[verb]
        if not objects.get(verb):
            objects[verb] = {o for conj in verb.conjuncts for o in objects.get(conj, set())}
    for verb in sorted(subjects, key=lambda t: t.i):
        if subjects[verb] and objects.get(verb):
            yield sorted(subjects[verb], key=lambda t: t.i), verb, sorted(objects[verb], key=lambda t: t.i)


def svo_events(doc: Doc, article: Article, gazetteer: Gazetteer, lexicon: Lexicon) -> Iterator[Event]:
    """SVO triples whose verb is a trigger and whose subject and object contain actors."""
    found = mentions(doc, gazetteer, lexicon, article.date)
    for index, sent in enumerate(doc.sents):
        for subject, verb, obj in svo_triples(sent):
            relation = _relation(verb, lexicon)
            if relation is None:
                continue
            negated = any(c.dep_ == "neg" for c in verb.children)
            sources = list({found[t.i].actor: found[t.i] for t in subject if t.i in found}.values())
            targets = list({found[t.i].actor: found[t.i] for t in obj if t.i in found}.values())
            for source in sources:
                for target in targets:
                    if source.actor != target.actor:
                        yield _event(article, sent, index, source, relation, target, negated)


def baseline_events(docs: Iterable[tuple[Doc, Article]], gazetteer: Gazetteer, lexicon: Lexicon) -> dict[str, list[Event]]:
    """Events of both baselines over parsed articles, by baseline name."""
    out: dict[str, list[Event]] = {"first trigger": [], "textacy-style SVO": []}
    for doc, article in docs:
        out["first trigger"].extend(first_trigger_events(doc, article, gazetteer, lexicon))
        out["textacy-style SVO"].extend(svo_events(doc, article, gazetteer, lexicon))
    return out
