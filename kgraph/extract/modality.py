"""What did not happen: negation, hypotheticality and commitment of a predicate in its clause.

Shared by the rules (a finding's ``negated`` and ``hypothetical``) and the trained model (its
modality features and the ``negated`` flag of what it predicts).
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from ..lexicon import Lexicon

# clause links through which factuality and negation are inherited from the governor
CLAUSE_LINKS = frozenset({"xcomp", "ccomp", "advcl", "pcomp", "conj", "acomp", "relcl", "acl"})
CONDITIONAL_MARKS = frozenset({"if", "unless", "whether", "lest"})
FUTURE = frozenset({"will", "'ll", "shall", "wo"})  # "wo" of "won't"


def is_word(lex: Lexicon, token: Token, key: str) -> bool:
    """Whether the token is a word of the lexicon list ``key``, by lemma or inflected form ("hopes")."""
    forms = lex.inflected(key)
    return token.lemma_.lower() in forms or token.lower_ in forms


def is_question(sent: Span) -> bool:
    return sent.text.rstrip().endswith("?")


def modality(pred: Token, lex: Lexicon, question: bool | None = None) -> tuple[bool, bool, str, float]:
    """(negated, hypothetical, commitment, confidence factor) of a predicate in context.

    commitment is "commit" under "vowed to", "intent" under "wants to"/"plans to", "pledge" for a
    plain future stated as such ("the US will sell tanks to Poland": hypothetical, but help
    announced that way is a pledge of it), else "".
    ``question``: whether the predicate's sentence is a question (worked out when not given; a
    caller that asks for many predicates of one sentence says it once).
    """
    negated = hypothetical = future = False
    commitment = ""
    factor = 1.0
    words = lex
    cur = pred
    link = ""  # how the walk reached ``cur`` from the clause below it
    asserted = False  # a finite past clause below: "we will respond" above "X condemned Y" does not make it a plan
    for _ in range(6):
        own = list(cur.children)
        if any(c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ == "never") for c in own) or any(
            c.dep_ in ("nsubj", "nsubjpass") and any(d.dep_ in ("det", "preconj") and d.lower_ == "neither" for d in c.children) for c in own
        ):  # "did not condemn", "never condemned", "neither Russia nor China condemned"
            if cur is pred:
                negated = not negated
            elif link == "conj":
                # "did not condemn or criticize" shares the negation; "did not condemn X but urged Y" does not
                if any(c.dep_ == "cc" and c.lower_ in ("or", "nor") for c in own):
                    negated = not negated
            elif is_word(lex, cur, "say_verbs"):
                pass  # "did not say that ..." leaves the content open; rare in news
            else:
                hypothetical = True  # "did not plan to", "has not agreed to"
        modal = next((c.lower_ for c in own if c.dep_ in ("aux", "auxpass") and c.lower_ in words.words("modals")), None)
        if not asserted and modal is not None:
            if modal in FUTURE:
                future = True  # "the US will sell tanks to Poland": a plan, and a pledge when it is help
            else:
                hypothetical = True
        if any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in own):
            hypothetical = True
        if cur.dep_ not in CLAUSE_LINKS or cur.head is cur:
            break
        gov = cur.head
        if cur.dep_ in ("xcomp", "pcomp", "acomp", "ccomp", "advcl", "acl"):
            if is_word(lex, gov, "negating_governors") and cur.dep_ != "advcl":
                negated = not negated
            elif is_word(lex, gov, "commitment_governors") and cur.dep_ in ("xcomp", "pcomp", "ccomp"):
                commitment = commitment or "commit"
            elif is_word(lex, gov, "hypothetical_governors") and cur.dep_ in ("xcomp", "pcomp", "ccomp", "acl"):
                hypothetical = True
                if cur.dep_ == "xcomp" and is_word(lex, gov, "intention_governors"):
                    commitment = commitment or "intent"  # the subject's own intention
            elif is_word(lex, gov, "say_verbs") and cur.dep_ == "ccomp":
                factor *= 0.9  # reported speech: the content, as the text asserts it
        if cur.dep_ in ("relcl", "acl") and gov.pos_ in ("NOUN", "PROPN"):
            break  # a relative clause is not governed by its noun's verb
        if cur.tag_ == "VBD" and cur.dep_ in ("ccomp", "conj") and not any(c.dep_ in ("aux", "auxpass") for c in own):
            asserted = True
        link = cur.dep_
        cur = gov
    if question is None:
        question = is_question(pred.sent)
    if future and not hypothetical and not question:
        commitment = commitment or "pledge"
    if question or future:
        hypothetical = True
    return negated, hypothetical, commitment, factor
