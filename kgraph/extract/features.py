"""Features of a candidate: what a reader looks at to decide whether and how two actors relate.

Each feature is a string (present or absent). They describe

- the dependency path between the two parties (:func:`path`), with the words on it, the
  roles of both ends at the point where their paths meet (subject, object, "with" ...) and
  the lexicon's relation class of every trigger word on it: the class generalizes to
  sentences with words the training set never had, the words themselves to what the
  lexicon lacks;
- the words between the two parties and the trigger classes anywhere in the sentence;
- the CAMEO class of a verb the lexicon lacks (PETRARCH2's verb dictionary, about 1,100 verbs,
  ``data/lexicon/cameo_verbs.json``), as a family of its own;
- voice, negation, modality and reported speech of the predicate that joins them
  (:mod:`kgraph.extract.modality`);
- how each party was found (name, demonym, official, pronoun, group ...) and its kind;
- what the hand-written rules found for the same pair in the same sentence, and (added by
  :func:`kgraph.extract.article_context`) in the article's other sentences.

The functions here are pure: a parsed sentence in, strings out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from ..lexicon import Lexicon, Trigger
from .candidates import Candidate, Party
from .modality import is_word, modality

#: noun heads a party stands in front of without changing who acts: "Chinese forces", "Russia's foreign minister"
_STAND_INS = frozenset({"compound", "amod", "poss", "nmod"})
_LIFT = frozenset({"conj", "appos"})
_CONTENT = frozenset({"VERB", "NOUN", "ADJ", "PROPN", "ADV"})
_PREPOSITIONAL = frozenset({"prep", "agent", "dative", "prt"})


@dataclass(frozen=True)
class RuleFinding:
    """What the rules found for an ordered actor pair in one sentence."""

    relation: str
    negated: bool
    hypothetical: bool
    confidence: float
    trigger: int = -1  # token index of the rule's trigger word


@dataclass
class SentenceContext:
    """What the features of one sentence's candidates share: the lexicon, the roles, the rules' findings."""

    lexicon: Lexicon
    roles: frozenset[str]
    kinds: dict[str, str]
    findings: dict[tuple[str, str], list[RuleFinding]] = field(default_factory=dict)
    sentence_classes: frozenset[str] = frozenset()


def trigger_classes(token: Token, lexicon: Lexicon) -> frozenset[str]:
    """The relations the lexicon gives the token's lemma (as verb, noun or adjective).

    Asked many times per token (once per candidate of its sentence), so the answer is kept on
    the lexicon, by the token's lemma, form and part of speech.
    """
    key = (token.lemma, token.lower, token.pos)
    cache = lexicon.class_cache
    found = cache.get(key)
    if found is None:
        found = cache[key] = _trigger_classes(token, lexicon)
    if isinstance(found, tuple):
        # a noun that counts only with a modifier ("military action", "export controls"): asked of this token
        modifiers = {c.lower_ for c in token.children}
        return frozenset(t.relation for t in found if not t.needs_modifier or modifiers & set(t.needs_modifier))
    return found


def _trigger_classes(token: Token, lexicon: Lexicon) -> frozenset[str] | tuple[Trigger, ...]:
    pos = "VERB" if token.pos_ in ("VERB", "AUX") else "NOUN" if token.pos_ in ("NOUN", "PROPN") else token.pos_
    if pos not in ("VERB", "NOUN", "ADJ"):
        return frozenset()
    found = lexicon.lookup(token.lemma_, pos) or lexicon.lookup(token.lower_, pos)
    if any(t.needs_modifier for t in found):
        return tuple(found)
    return frozenset(t.relation for t in found)


def cameo_classes(token: Token, lexicon: Lexicon) -> set[str]:
    """The CAMEO verb class of a verb the hand-made lexicon does not know (PETRARCH2's dictionary).

    A feature family of its own (``lcacam``), so that the model learns how far to trust the
    coarser source; words the lexicon knows keep their lexicon class only.
    """
    if token.pos_ != "VERB" or lexicon.lookup(token.lemma_, "VERB"):
        return set()
    cls = lexicon.cameo.get(token.lemma_.lower())
    return {cls} if cls else set()


def anchor(doc: Doc, party: Party, roles: frozenset[str]) -> tuple[Token, list[str]]:
    """The token that places a party in the parse, and how it was reached.

    A list member stands where the list stands ("the US, Britain and France signed": France
    is a subject too), and a demonym or possessor stands where its role noun stands ("Chinese
    forces fired", "Russia's foreign minister said").
    """
    token = doc[party.start : party.end].root
    lifts: list[str] = []
    for _ in range(8):
        if token.dep_ in _LIFT and token.head is not token:
            lifts.append(token.dep_)
            token = token.head
        elif token.dep_ in _STAND_INS and token.head.lemma_.lower() in roles and token.head.i > token.i:
            lifts.append("role")
            token = token.head
        else:
            break
    return token, lifts


def path(a: Token, b: Token) -> tuple[list[Token], Token, list[Token]] | None:
    """(tokens from ``a`` up to below the meeting point, the meeting point, tokens from ``b`` up to below it)."""
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    where = {t.i: k for k, t in enumerate(up_b)}
    for k, token in enumerate(up_a):
        if token.i in where:
            return up_a[:k], token, up_b[: where[token.i]]
    return None


def _word(token: Token) -> str:
    if token.dep_ in _PREPOSITIONAL or token.pos_ == "ADP":
        return token.lower_
    if token.pos_ in _CONTENT:
        return token.lemma_.lower()
    return token.pos_


def _role(side: list[Token]) -> str:
    """The end's role where the paths meet: "nsubj", "dobj", "prep:with", "poss" ..."""
    if not side:
        return "self"
    top = side[-1]
    if top.dep_ in _PREPOSITIONAL:
        return f"{top.dep_}:{top.lower_}"
    return top.dep_


def predicate(lca: Token) -> Token:
    """The word whose modality decides whether the pair's relation is stated as fact."""
    token = lca
    for _ in range(4):
        if token.pos_ in ("VERB", "AUX", "NOUN", "PROPN", "ADJ") or token.head is token:
            return token
        token = token.head
    return token


def governor(token: Token, lex: Lexicon, steps: int = 4) -> tuple[Token, str] | None:
    """The nearest trigger word above a party's anchor, and the party's role under it ("attack", "prep:by")."""
    below = token
    cur = token.head
    for _ in range(steps):
        if cur is below:
            return None
        if trigger_classes(cur, lex):
            return cur, _role([below])
        below, cur = cur, cur.head
    return None


#: clause links under a speech verb whose clause is what was said ("said [Y must stop]", "urged Y [to stop]")
_CONTENT_LINKS = frozenset({"ccomp", "xcomp", "parataxis"})
#: auxiliaries and verbs that make a reported clause an obligation laid on its subject
_DEONTIC = frozenset({"must", "should", "ought", "need", "have"})
_PREDICTIVE = frozenset({"will", "would", "'ll", "wo"})


def content_clause(lca: Token, side_b: list[Token], lex: Lexicon) -> Token | None:
    """The clause that says what the speaker said, when the target stands inside it.

    "Russia said [Israel must stop ...]", "urged Iran [to show restraint]": the head of the
    clause below the meeting word on the target's side, when the meeting word is a speech
    verb or a trigger word (whose clause carries the content of the demand or warning).
    """
    if not side_b or not (lca.pos_ in ("VERB", "AUX") and (is_word(lex, lca, "say_verbs") or trigger_classes(lca, lex))):
        return None
    if side_b[-1].dep_ in ("dobj", "dative"):
        # "urged Iran to show restraint": the addressee is the object, the content the clause beside it
        clause = next((c for c in lca.children if c.dep_ == "xcomp"), None)
        if clause is not None:
            return clause
    for token in reversed(side_b):
        if token.dep_ in _CONTENT_LINKS and token.head is not token:
            return token
        if token.dep_ not in ("prep", "pobj", "dobj", "nsubj", "nsubjpass", "conj", "appos", "compound", "poss", "amod"):
            break
    return None


def content_mood(head: Token) -> list[str]:
    """How a reported clause is said: an obligation ("must stop", "needs to"), a prediction, a condition."""
    out = []
    auxes = {c.lower_ for c in head.children if c.dep_ in ("aux", "auxpass")}
    if auxes & _DEONTIC or (head.lemma_.lower() in ("need", "have") and any(c.dep_ == "xcomp" for c in head.children)):
        out.append("deontic")
    if auxes & _PREDICTIVE:
        out.append("predictive")
    if any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children) for c in head.children):
        out.append("conditional")
    if head.dep_ == "xcomp":
        out.append("infinitive")
    return out or ["plain"]


def bucket(n: int, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if n <= edge:
            return f"<={edge}"
    return f">{edges[-1]}"


def features(c: Candidate, ctx: SentenceContext) -> list[str]:
    """The features of one candidate."""
    doc = c.sent.doc
    lex = ctx.lexicon
    a, lifts_a = anchor(doc, c.source, ctx.roles)
    b, lifts_b = anchor(doc, c.target, ctx.roles)
    out = [
        "bias",
        f"va={c.source.via}",
        f"vb={c.target.via}",
        f"ka={ctx.kinds.get(c.source.actor, 'other')}",
        f"kb={ctx.kinds.get(c.target.actor, 'other')}",
        "order=ab" if c.source.start < c.target.start else "order=ba",
        f"dist={bucket(abs(c.source.start - c.target.start), (2, 5, 10, 20))}",
    ]
    if lifts_a:
        out.append(f"lifta={lifts_a[0]}")
    if lifts_b:
        out.append(f"liftb={lifts_b[0]}")
    if c.headline:
        out.append("headline")
    sent_text = c.sent.text
    if any(q in sent_text for q in ('"', "“", "”")):
        out.append("quoted")
    if sent_text.rstrip().endswith("?"):
        out.append("question")
    out += [f"srel={r}" for r in ctx.sentence_classes]

    found = path(a, b) if a.i != b.i else ([], a, [])
    if a.i == b.i:
        out.append("same_anchor")  # "the US, Britain and France": members of one list
    lca_classes: frozenset[str] = frozenset()
    if found is not None:
        side_a, lca, side_b = found
        ra, rb = _role(side_a), _role(side_b)
        inner = [t for t in side_a[1:]] + [t for t in side_b[1:]]
        lca_word = _word(lca)
        lca_classes = trigger_classes(lca, lex)
        edges_a = [t.dep_ for t in side_a]
        edges_b = [t.dep_ for t in reversed(side_b)]
        words_a = [_word(t) for t in side_a[1:]]
        words_b = [_word(t) for t in reversed(side_b[1:])]
        out += [
            f"ra={ra}",
            f"rb={rb}",
            f"ra|rb={ra}|{rb}",
            f"lca={lca_word}",
            f"lca|ra|rb={lca_word}|{ra}|{rb}",
            f"lca|rb={lca_word}|{rb}",
            f"lca|ra={lca_word}|{ra}",
            f"lcapos={lca.pos_}",
            f"plen={bucket(len(side_a) + len(side_b), (1, 2, 3, 4, 6, 8))}",
            "d=" + " ".join(e + "^" for e in edges_a) + f" [{lca.pos_}] " + " ".join(e + "v" for e in edges_b),
        ]
        if len(side_a) + len(side_b) <= 6:
            out.append("p=" + " ".join([*(f"{e}^" for e in edges_a), *words_a[::-1], f"[{lca_word}]", *words_b, *(f"{e}v" for e in edges_b)]))
        for cls in cameo_classes(lca, lex):
            out += [f"lcacam={cls}", f"lcacam|ra|rb={cls}|{ra}|{rb}"]
        for cls in lca_classes:
            out += [f"lcarel={cls}", f"lcarel|ra|rb={cls}|{ra}|{rb}", f"lcarel|ra={cls}|{ra}", f"lcarel|rb={cls}|{rb}"]
            if c.headline:
                out.append(f"headline|lcarel={cls}")
        for t in inner:
            w = _word(t)
            out.append(f"on={w}")
            for cls in trigger_classes(t, lex):
                out += [f"onrel={cls}", f"onrel|ra={cls}|{ra}"]
        clause = content_clause(lca, side_b, lex)
        if clause is not None:
            for mood in content_mood(clause):
                out += [f"cmood={mood}", f"cmood|lca={mood}|{lca_word}"]
            for t in clause.subtree:
                if t.i in (a.i, b.i) or t.pos_ not in ("VERB", "NOUN", "ADJ"):
                    continue
                for cls in trigger_classes(t, lex):
                    out.append(f"crel={cls}")
        pred = predicate(lca)
        negated, hypothetical, commitment, factor = modality(pred, lex, sent_text.rstrip().endswith("?"))
        below = side_b[-1] if side_b else None
        if below is not None and below.dep_ in ("xcomp", "ccomp") and lca.pos_ in ("VERB", "AUX", "ADJ"):
            # the relation is the clause the meeting word governs: "planned to visit Jordan", "refused to meet"
            if is_word(lex, lca, "hypothetical_governors") and not trigger_classes(lca, lex):
                hypothetical = True
            elif is_word(lex, lca, "negating_governors") and below.dep_ == "xcomp":
                negated = not negated
        if negated:
            out.append("neg")
        if hypothetical:
            out.append("hyp")
            out += [f"hyp|lcarel={cls}" for cls in lca_classes]
        if commitment:
            out.append(f"commit={commitment}")
        if factor < 1.0:
            out.append("reported")
        if any(ch.dep_ in ("auxpass", "nsubjpass") for ch in pred.children):
            out.append("passive")
        if a.i != b.i and (a in b.children or b in a.children):
            out.append("adjacent")
        if lca.i in (a.i, b.i):
            out.append("dominates")
        if lifts_a.count("conj") + lifts_b.count("conj") and lca.i in (a.i, b.i):
            out.append("coordinated")
    else:
        out.append("nopath")

    ga, gb = governor(a, lex), governor(b, lex)
    for side, g in (("ga", ga), ("gb", gb)):
        if g is not None:
            token, role = g
            for cls in trigger_classes(token, lex):
                out.append(f"{side}={cls}|{role}")
    if ga is not None and gb is not None and ga[0].i == gb[0].i:
        for cls in trigger_classes(ga[0], lex):
            out += [f"shared={cls}|{ga[1]}|{gb[1]}", f"shared1={cls}"]

    lo, hi = sorted((c.source.end, c.target.start)) if c.source.start < c.target.start else sorted((c.target.end, c.source.start))
    between = [t for t in doc[lo:hi] if not t.is_punct][:12]
    for t in between:
        if t.pos_ in _CONTENT and not t.is_stop:
            out.append(f"bw={t.lemma_.lower()}")
        for cls in trigger_classes(t, lex):
            out.append(f"bwrel={cls}")
    if any(t.lower_ in ("and", "or") for t in between) and len(between) <= 3:
        out.append("bw_and")
    if any(t.lower_ in ("between", "among") for t in doc[max(c.sent.start, min(c.source.start, c.target.start) - 3) : min(c.source.start, c.target.start)]):
        out.append("between_prep")

    for f in ctx.findings.get((c.source.actor, c.target.actor), []):
        tag = f.relation + ("|neg" if f.negated else "") + ("|hyp" if f.hypothetical else "")
        out += [f"rule={f.relation}", f"rule={tag}", "rule_any"]
    for f in ctx.findings.get((c.target.actor, c.source.actor), []):
        out += [f"rulerev={f.relation}", "rulerev_any"]
    return out


# --- one feature space for all relations ------------------------------------------------------

#: families whose value starts with a relation class (a lexicon class or a rule's relation)
CLASS_FAMILIES = frozenset({"crel", "ruleart", "lcacam", "lcacam|ra|rb", "ga", "gb", "shared", "shared1", "lcarel", "lcarel|ra|rb", "lcarel|ra", "lcarel|rb", "headline|lcarel", "onrel", "onrel|ra", "bwrel", "srel", "rule", "rulerev", "hyp|lcarel"})
#: class families too loosely tied to the pair to say anything of another relation
WEAK_FAMILIES = frozenset({"srel", "bwrel", "onrel", "onrel|ra"})
#: families that say how two actors are joined, whatever the relation: shared by all relations
SHARED_FAMILIES = frozenset({
    "bias", "va", "vb", "ka", "kb", "order", "dist", "lifta", "liftb", "headline", "quoted", "question", "same_anchor",
    "ra", "rb", "ra|rb", "plen", "d", "neg", "hyp", "commit", "reported", "passive", "adjacent", "dominates",
    "coordinated", "nopath", "bw_and", "pairsents", "pairhead", "between_prep", "rule_any", "rulerev_any",
})


def expand(base: list[str], relation: str) -> list[str]:
    """The features of (candidate, relation) in the one model all relations share.

    Every base feature becomes relation-specific (``warns:lca=warn``); the syntactic ones also
    stay shared (``*:ra|rb=nsubj|dobj``: evidence that the two actors are related at all); and a
    class feature whose class is this relation becomes a *match* (``M:lcarel|ra|rb=nsubj|dobj``
    for "warns" when the meeting word is a warns trigger), so that what is learnt of one
    relation's constructions carries over to the others and to trigger words never seen.
    """
    out = []
    for f in base:
        family, _, value = f.partition("=")
        if family in SHARED_FAMILIES:
            out.append(f"*:{f}")
        elif family in CLASS_FAMILIES:
            cls, _, rest = value.partition("|")
            if cls == relation:
                out.append(f"M:{family}={rest}")
            elif family in WEAK_FAMILIES:
                continue  # "a sanctions word somewhere in the sentence" says nothing of warns
        out.append(f"{relation}:{f}")
    return out
