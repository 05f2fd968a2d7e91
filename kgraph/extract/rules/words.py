"""The rules' word lists and small facts about tokens: which dependency labels name a subject or
an object, which nouns are vessels, amounts, trade; what a finding is (``Finding``) and the
actor an argument stands for (``Arg``).

A word list that users should be able to extend lives in the lexicon (``data/lexicon``); the
lists here are part of the grammar.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from ...lexicon import Trigger

SUBJECT = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT = frozenset({"nsubjpass", "csubjpass"})
OBJECT = frozenset({"dobj", "dative", "oprd"})
PAIR_PREPS = frozenset({"between", "among", "amongst"})
NEGATORS = frozenset({"not", "n't", "never", "no", "nor"})
PERSON_NOUNS = frozenset({"leader", "man", "woman", "president", "minister"})
PERSON_VIAS = frozenset({"official", "title", "alias"})
# people one receives on a visit: "welcomed the Israeli prime minister"
VISITORS = frozenset({"leader", "president", "minister", "secretary", "chancellor", "premier", "king", "queen", "prince", "emir",
                      "envoy", "ambassador", "delegation", "counterpart", "diplomat", "official", "guest", "visitor"})
# nouns naming the other side of a relation: "Russia's ally" is not Russia
RELATIONAL_NOUNS = frozenset({"ally", "partner", "neighbor", "neighbour", "rival", "enemy", "adversary", "foe"})

# words for bringing others together: the one who does it meets each party
MEDIATING = frozenset({"mediation", "mediate", "broker", "brokering", "facilitation", "facilitate"})

# what goes on in a state, so that concern about it is concern about the state
SITUATIONS = frozenset({"event", "situation", "development", "crisis", "unrest", "violence", "crackdown", "turmoil"})

# ships and aircraft: expelling or driving one off is a show of force
VESSELS = frozenset({"ship", "vessel", "warship", "destroyer", "frigate", "boat", "aircraft", "plane", "jet", "submarine"})

# what a deadline is counted in: "gave Iran 60 days to ..."
# what flows between states, so that cutting it off sanctions the other side
TRADE = frozenset({"export", "import", "shipment", "trade", "transit", "flow", "supply", "delivery", "pipeline", "flight", "investment", "sale"})
# mutual hostility nouns whose parties may go unnamed in their own phrase
UNNAMED_TENSIONS = frozenset({"tension", "hostility", "standoff", "stand-off"})
# verbs by which an act draws a response from someone: "drew condemnation from the EU"
DRAWING = frozenset({"draw", "attract", "earn", "win", "prompt", "spark", "provoke", "trigger", "elicit"})
# what one poses to another: "China poses a threat to the US"
DANGERS = frozenset({"threat", "danger", "challenge", "risk", "menace"})
# verbs whose denial pledges support: "we will not abandon Ukraine"
FORSAKING = frozenset({"abandon", "desert", "forsake", "betray", "turn"})
# "at X's request": X asked for what the clause tells
REQUESTS = frozenset({"request", "behest", "urging"})
# verbs that name something as what it is: "called the move reckless"
NAMING = frozenset({"call", "describe", "label", "brand", "term", "characterize", "characterise", "deem", "dub"})
# nouns that refer back to whatever act was told of last, and nouns of an act with their verb
GENERIC_ACTS = frozenset({"move", "step", "decision", "action", "act"})
ACT_VERBS = {"deployment": "deploy", "annexation": "annex", "invasion": "invade", "test": "test", "launch": "launch",
             "visit": "visit", "incursion": "enter", "seizure": "seize", "detention": "detain", "arrest": "arrest",
             "expulsion": "expel", "withdrawal": "withdraw", "release": "release", "approval": "approve"}
# verbs of coming close to something not reached: "nearing a deal"
APPROACHING = frozenset({"near", "approach"})
ARMS = frozenset({"arms", "weapons", "weapon", "arm"})
# participles that name an act's target: "sanctions targeting Iranian officials"
AIMING = frozenset({"target", "aim", "direct", "hit", "punish"})
# modals that put an obligation on the clause's subject, and those of a plain future
OBLIGING = frozenset({"should", "must", "ought"})
FUTURE_AUX = frozenset({"will", "'ll", "shall", "would"})
# what one will pay or suffer for ("Iran will pay a heavy price"), and wrongs one is said to do
PENALTIES = frozenset({"pay", "face", "suffer", "regret", "bear"})
WRONGDOING_VERBS = frozenset({"lie", "cheat", "violate", "breach"})
WRONGS = frozenset({"crime", "atrocity", "genocide", "violation", "aggression", "massacre", "mistake", "terrorism", "terror", "blunder"})
# nouns for a set of states whose named members an apposition may list
# nouns for a set of people whose named members (officials) an apposition may list: "the G7 leaders — Biden, Macron, ..."
PERSON_COLLECTIVES = frozenset({"leader", "minister", "president", "counterpart", "official", "head", "chief"})
COLLECTIVES = frozenset({"country", "nation", "state", "member", "ally", "partner", "government", "power", "neighbor", "neighbour"})
# light verbs whose receiver is their object and the thing given hangs on "with"
PROVIDING = frozenset({"provide", "supply", "equip", "furnish"})
# light verbs of a mutual act: "exchanged fire", "traded accusations"
EXCHANGING = frozenset({"exchange", "trade"})
# nouns for a quantity of what is fired: "a barrage of missiles"
SALVOS = frozenset({"barrage", "salvo", "volley", "wave", "hail", "swarm", "round", "series", "string"})
# words for a sum that something given is measured in
AMOUNTS = frozenset({"billion", "million", "trillion", "thousand", "hundred", "dollar", "euro", "pound", "yuan", "bn", "mn", "amount", "sum", "worth", "billions", "millions"})
DEADLINES = frozenset({"hour", "day", "week", "month", "year", "deadline", "ultimatum"})

# relations a noun can say of whom it is predicated: "Iran is a Syrian ally", "Russia, an Assad supporter"
PREDICATED = frozenset({"partners-with", "supports", "opposes"})

# acts whose threat is itself a relation: "threatened sanctions against", "vowed to strike" warn
THREATENED = frozenset({"attacks", "sanctions"})

HYPOTHETICAL_CONFIDENCE = 0.3
HEADLINE_FACTOR = 0.9


@dataclass(frozen=True)
class Arg:
    """One resolved argument: the actor, the words that named it, and how it was found."""

    actor: str
    text: str
    via: str


@dataclass(frozen=True)
class Finding:
    """A relation found in one sentence, before it becomes an Event."""

    source: Arg
    relation: str
    target: Arg
    trigger: Token
    negated: bool
    hypothetical: bool
    confidence: float


QUOTE_MARKS = frozenset({'"', "“", "”", "``", "''"})
DEFINITE = frozenset({"the", "this", "that", "these", "those", "such"})


def _arms_deal(noun: Token, trigger: Trigger) -> bool:
    """ "signed an arms deal with the US": a sale, whose seller the phrase does not say, and no partnership."""
    return trigger.relation == "partners-with" and any(c.lower_ in ARMS for c in noun.children if c.dep_ in ("compound", "amod"))


def _measured(noun: Token) -> Token:
    """The thing a sum or a count measures: "$60 billion in aid" -> aid, "billions of dollars in arms" -> arms."""
    if noun.lemma_.lower() in SALVOS:
        # "launched a barrage of missiles at Ukraine": the missiles
        return next((p for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children if p.dep_ == "pobj"), noun)
    if not (noun.like_num or noun.tag_ == "CD" or noun.lemma_.lower() in AMOUNTS):
        return noun
    for inner in [noun, *(p for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children if p.dep_ == "pobj")]:
        for prep in inner.children:
            if prep.dep_ == "prep" and prep.lower_ == "in":
                return next((p for p in prep.children if p.dep_ == "pobj"), noun)
    return noun


def _is_each_other(token: Token) -> bool:
    """ "the other" (after "each side"), "each other", "one another" as an object."""
    if token.lemma_.lower() == "other" and any(c.lower_ in ("the", "each") for c in token.children):
        return True
    return token.lower_ == "other" and token.i > 0 and token.doc[token.i - 1].lower_ in ("each", "one")


def _called_for(word: Token) -> list[Token]:
    """What a call asks for: "urged restraint", "called for talks", "demands for calm"."""
    out = [c for c in word.children if c.dep_ in OBJECT]
    return out + [p for prep in word.children if prep.dep_ == "prep" and prep.lower_ == "for" for p in prep.children if p.dep_ == "pobj"]


def _marked_clauses(verb: Token, trigger: Trigger) -> list[Token]:
    """Infinitive clauses marked by the trigger's particle: "called [for X to stop]"."""
    return [
        c for c in verb.children
        if c.dep_ in ("advcl", "ccomp") and any(m.dep_ == "mark" and m.lower_ in trigger.particle for m in c.children)
        and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
    ]  # fmt: skip


def _infinitive(clause: Token) -> bool:
    """ "pushed Iran [to return]" where the parser calls the infinitive an adverbial clause."""
    return clause.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children)


def is_dateline(token: Token) -> bool:
    """ "KYIV, Ukraine — Russia launched ...": an all-caps place opening the sentence before a dash or colon."""
    sent = token.sent
    if token.i - sent.start > 1 or not token.text.isupper() or len(token.text) < 3:
        return False
    return any(t.text in ("—", "–", "--", "-", ":") for t in token.doc[token.i + 1 : min(token.i + 8, sent.end)])


def pair_relation(trigger: Trigger) -> str:
    """The relation a "between A and B" phrase states: "war between A and B" is mutual hostility."""
    between = trigger.preps.get("between", trigger.relation)
    return "opposes" if between == "attacks" else between


def _adjust(confidence: float, *args: Arg) -> float:
    """Lower the confidence for arguments found through a pronoun or a bare title."""
    for arg in args:
        if arg.via == "pronoun":
            confidence *= 0.85
        elif arg.via in ("alias", "adjective"):
            confidence *= 0.95
    return round(min(max(confidence, 0.01), 0.99), 3)
