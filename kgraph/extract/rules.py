"""Relations from a parsed Doc: triggers, their arguments, and what did not happen.

``events(doc, article, gazetteer, lexicon)`` is a pure function over one parsed article.
For every trigger word of the lexicon it finds who acts (agents) and on whom (targets) in
the dependency parse, then decides whether the text states it as fact, denies it
(``negated``) or only plans, wishes or supposes it (``hypothetical``). The grammar cases
are named below; each branch says which one it handles.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from ..gazetteer import Gazetteer
from ..lexicon import Lexicon, Trigger
from ..mentions import mentions
from ..records import QUAD_CLASS, SYMMETRIC, Article, Event, Mention
from .modality import is_question, is_word, modality

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
COLLECTIVES = frozenset({"country", "nation", "state", "member", "ally", "partner", "government", "power", "neighbor", "neighbour"})
# light verbs whose receiver is their object and the thing given hangs on "with"
PROVIDING = frozenset({"provide", "supply", "equip", "furnish"})
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


class _Reader:
    """The rules over one parsed Doc and its actor mentions."""

    def __init__(self, doc: Doc, found: dict[int, Mention], lexicon: Lexicon, kinds: dict[str, str] | None = None) -> None:
        self.doc = doc
        self.kinds = kinds or {}
        self.found = found
        self.lex = lexicon
        self._questions: dict[int, bool] | None = None  # token index -> in a question (see question_at)
        self.roles = lexicon.words("roles")
        self.non_actors = lexicon.words("non_actors")
        self.light = lexicon.words("light_verbs")
        self.say = lexicon.words("say_verbs")
        self.evaluative = lexicon.words("evaluative")
        self.conflicts: list[tuple[str, str]] = []  # attack pairs so far, for "either side"
        # (trigger, doer, relation, target) of each attack or fight so far, for "the attack", "urged restraint"
        self.fights: list[tuple[int, str, str, str]] = []
        # coordinated groups of actors in text order, for "they", "both countries", "the two leaders"
        self.groups: list[tuple[int, list[Arg]]] = []
        for token in doc:
            if token.dep_ in ("conj", "appos") or not (token.pos_ in ("NOUN", "PROPN") or token.i in found):
                continue
            # children only: Token.conjuncts walks the whole coordination, quadratic on long lists
            if any(c.dep_ == "conj" or (c.dep_ in ("appos", "amod", "nmod", "compound") and c.i in found) for c in token.children):
                args = self.group(token)
                if len(args) >= 2:
                    self.groups.append((token.i, args))

    # --- who: noun phrases to actors ------------------------------------------------------

    def group(self, token: Token) -> list[Arg]:
        """Actors of a noun phrase and everything coordinated with it ("the US and the EU")."""
        args: list[Arg] = []
        heads = [token, *token.conjuncts]
        if token.i in self.found and self.found[token.i].via == "name":
            # a list the parser read as apposition: "The US, Russia, and Switzerland met"
            for appos in [c for c in token.children if c.dep_ == "appos" and c.i in self.found and self.found[c.i].via == "name"]:
                heads += [appos, *appos.conjuncts]
        for head in heads:
            for arg in self.head_actors(head) + self.members(head):
                if arg.actor not in {a.actor for a in args}:
                    args.append(arg)
        return args

    def members(self, token: Token) -> list[Arg]:
        """The named members of a collective noun: "the Quad countries — Australia, India, Japan and the US —"."""
        if token.lemma_.lower() not in COLLECTIVES and not (token.i in self.found and self.kinds.get(self.found[token.i].actor) != "state"):
            return []
        out: list[Arg] = []
        stack = [c for c in token.children if c.dep_ == "appos"]
        while stack:
            tok = stack.pop(0)
            if tok.i in self.found and self.found[tok.i].via in ("name", "capital"):
                m = self.found[tok.i]
                out.append(Arg(m.actor, m.text, m.via))
                stack += [c for c in tok.children if c.dep_ in ("appos", "conj")]
        return out

    def situation(self, token: Token, relation: str) -> list[Arg]:
        """ "concern over the events in Niger", "alarmed by the situation in Sudan": the state it happens in."""
        if relation != "criticizes" or token.lemma_.lower() not in SITUATIONS:
            return []
        return self.place(token)

    def place(self, token: Token) -> list[Arg]:
        """The state a target lies in: "military targets in Iran" (for attacks only)."""
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ in ("in", "inside", "across"):
                for pobj in prep.children:
                    if pobj.i in self.found and self.found[pobj.i].via in ("name", "capital"):
                        m = self.found[pobj.i]
                        return [Arg(m.actor, m.text, "place")]
        return []

    def head_actors(self, token: Token, depth: int = 0) -> list[Arg]:
        """Actors a single noun phrase head stands for."""
        if depth > 4:
            return []
        if token.i in self.found:
            m = self.found[token.i]
            return [Arg(m.actor, m.text, m.via)]
        lemma = token.lemma_.lower()
        if lemma == "side" and any(c.lower_ in ("either", "both", "neither", "each") for c in token.children):
            return self.sides(token)
        if self.is_pair_phrase(token):
            return self.named_group(token)
        # relative pronoun: "nations that have provided ..." -> the nations
        if token.tag_ in ("WDT", "WP") and token.head.dep_ == "relcl":
            antecedent = token.head.head
            heads = [antecedent]
            if antecedent.dep_ == "conj":  # "the US and other nations that ..." covers both
                heads = [antecedent.head, *antecedent.head.conjuncts]
            return [a for h in heads for a in self.head_actors(h, depth + 1)]
        if lemma in ("we", "us", "our") and token.pos_ == "PRON":
            return self.speakers(token)
        if token.pos_ == "VERB" and token.tag_ == "VBG" and token.dep_ in SUBJECT:
            # "shelling by India killed seven troops", parsed as a clause: its "by" phrase is the doer
            return [a for c in token.children if c.dep_ in ("prep", "agent") and c.lower_ == "by"
                    for p in c.children if p.dep_ == "pobj" for a in self.group(p)]
        if lemma in self.non_actors or token.pos_ not in ("NOUN", "PROPN"):
            return []
        if lemma == "counterpart":
            # "his Russian counterpart": the demonym names the counterpart's side, the possessor the other
            return [Arg(self.found[c.i].actor, f"{c.text} {token.text}", self.found[c.i].via)
                    for c in token.children if c.dep_ in ("amod", "compound") and c.i in self.found][:1]
        if lemma in RELATIONAL_NOUNS:
            # "its ally, Syrian President Bashar al-Assad": the ally, never the possessor
            return [a for c in token.children if c.dep_ == "appos" for a in self.group(c)]
        triggers = [t for t in self.lex.lookup(lemma, "NOUN") if self.noun_ok(token, t)]
        if triggers:
            # an act as an argument stands for its doer: "condemned Moscow's war", "Syrian airstrikes",
            # "the US arms sale to Taiwan" (a compound is the doer when the act has a target)
            agents, compounds = self.noun_agents(token)
            has_target = bool(self.noun_targets(token, triggers[0])[0])
            return agents or [a for a in compounds if a.via == "adjective" or has_target]
        # "Chinese forces", "Russia's defense industry", "the NATO allies", "Australian, British and US officials"
        args: list[Arg] = []
        for child in token.children:
            if child.i < token.i and child.dep_ in ("poss", "compound", "amod", "nmod") and (child.i in self.found or any(c.i in self.found for c in child.conjuncts)):
                # "Japanese, Korean and Australian officials": each demonym the gazetteer knows
                for tok in [child, *child.conjuncts]:
                    if tok.i in self.found and self.found[tok.i].actor not in {a.actor for a in args}:
                        m = self.found[tok.i]
                        args.append(Arg(m.actor, f"{m.text} {token.text}", m.via))
        if args:
            return args
        for child in token.children:
            if child.i < token.i and child.dep_ in ("poss", "compound", "nmod") and child.pos_ in ("NOUN", "PROPN"):
                inner = self.head_actors(child, depth + 1)
                if inner:
                    return inner
        # "the government of China", "soldiers from both sides", "all decisions by Putin"
        for prep in token.children:
            if prep.dep_ == "prep" and (
                prep.lower_ == "by"
                or (lemma in self.roles and prep.lower_ in ("of", "from", "at"))
                or (lemma in self.lex.words("belongings") and prep.lower_ == "of")
            ):
                    for pobj in prep.children:
                        if pobj.dep_ == "pobj":
                            return self.group(pobj)
        # "Wang Yi, China's top diplomat"
        for child in token.children:
            if child.dep_ == "appos":
                inner = self.head_actors(child, depth + 1)
                if inner:
                    return inner
        return []

    def speakers(self, token: Token) -> list[Arg]:
        """Who "we" and "our" are in quoted speech: the actor of the saying verb."""
        sent = token.sent
        for verb in [*token.ancestors, *sent]:
            if verb.lemma_.lower() in self.say and verb.pos_ == "VERB" and verb.i != token.i:
                subjects = [c for c in verb.children if c.dep_ in SUBJECT and c.lower_ not in ("we", "i")]
                if subjects:
                    return self.group(subjects[0])
        return self.quoted_speaker(sent) or self.transcript_speaker(sent)

    def transcript_speaker(self, sent: Span) -> list[Arg]:
        """The speaker of a transcript paragraph: "SECRETARY OF DEFENSE LLOYD J. AUSTIN III: ... we ...".

        The paragraph opens with a label in capitals ending in a colon; the label names a person
        the article names elsewhere (matched without case: "AUSTIN" is the "Austin" found), whose
        actor speaks for "I" and "we" in the paragraph.
        """
        doc = sent.doc
        start = sent.start
        while start > 0 and "\n" not in doc[start - 1].text:
            start -= 1
        colon = next((t.i for t in doc[start : min(start + 16, len(doc))] if t.text.endswith(":")), None)
        if colon is None or colon == start or colon > sent.start + len(sent):
            return []
        label = doc[start:colon]
        if not all(t.text.isupper() or not t.is_alpha for t in label) or not any(t.is_alpha for t in label):
            return []
        words = {t.lower_ for t in label}
        text = label.text.lower()
        named = {
            m.actor
            for m in self.found.values()
            if m.via not in ("pronoun", "description") and len(m.text) >= 4
            and (m.text.lower() in text or (m.via in ("official", "title", "alias") and words & {w for w in m.text.lower().split() if len(w) > 2}))
        }
        return [Arg(named.pop(), label.text, "speaker")] if len(named) == 1 else []

    def quoted_speaker(self, sent: Span) -> list[Arg]:
        """The speaker of a quotation that runs over sentences: "We will not abandon them. [...]," he said.

        The saying verb of the next sentence (or the one before) that carries the quotation on.
        """
        doc = sent.doc
        if not any(t.text in QUOTE_MARKS for t in sent):
            previous = doc[sent.start - 1].sent if sent.start > 0 else None
            if previous is None or not any(t.text in QUOTE_MARKS for t in previous):
                return []
        neighbours = [doc[sent.end].sent] if sent.end < len(doc) else []
        if sent.start > 0:
            neighbours.append(doc[sent.start - 1].sent)
        for other in neighbours:
            if not any(t.text in QUOTE_MARKS for t in other):
                continue
            for verb in other:
                if verb.pos_ == "VERB" and verb.lemma_.lower() in self.say:
                    subjects = [c for c in verb.children if c.dep_ in SUBJECT and c.lower_ not in ("we", "i")]
                    if subjects:
                        return self.group(subjects[0])
        return []

    def is_pair_phrase(self, token: Token) -> bool:
        """ "they", "their", "both", "the two countries", "the three nations": a group named before."""
        lower = token.lower_
        if lower in ("they", "their", "them", "both") and token.pos_ in ("PRON", "DET"):
            return True
        if token.lemma_.lower() in ("country", "nation", "side", "leader", "man", "government", "ally", "neighbor", "neighbour"):
            return any(c.lower_ in ("two", "both", "three", "their") for c in token.children) and token.tag_ in ("NNS", "NNPS")
        return False

    def named_group(self, token: Token) -> list[Arg]:
        """The last coordinated group of actors named before ``token`` ("China and Russia")."""
        before = self.plural_antecedent(token)
        if before is not None:
            return [Arg(a.actor, a.text, "context") for a in before]
        if token.lower_ in ("their", "they") and token.i < token.sent.root.i:
            # "Following their meeting, Austin and Burchuladze signed ...": a fronted phrase points forward
            after = [a for c in token.sent.root.children if c.dep_ in SUBJECT and c.i > token.i for a in self.group(c)]
            if len(after) >= 2:
                return [Arg(a.actor, a.text, "context") for a in after]
        numbers = {"two": 2, "both": 2, "three": 3, "four": 4, "five": 5}
        wanted = next((numbers[c.lower_] for c in token.children if c.lower_ in numbers), 0)
        for i, args in reversed(self.groups):
            if i < token.i and token.lemma_.lower() not in PERSON_NOUNS and wanted in (0, len(args)):
                return [Arg(a.actor, a.text, "context") for a in args]
        # no coordination before: "the two countries" are the last two actors named
        wanted = wanted or 2
        people = token.lemma_.lower() in PERSON_NOUNS
        states = token.lemma_.lower() in ("country", "nation", "state", "ally", "neighbor", "neighbour")
        seen: list[Arg] = []
        for i in range(token.i - 1, -1, -1):
            m = self.found.get(i)
            if people and m and m.via not in PERSON_VIAS:
                continue  # "the two leaders" are people named before, not the countries
            if m and states and self.kinds.get(m.actor, "state") != "state":
                continue  # "the three countries" are states, not the bloc named with them
            if m and m.via != "pronoun" and m.actor not in {a.actor for a in seen}:
                seen.append(Arg(m.actor, m.text, "context"))
                if len(seen) == wanted:
                    return seen
        return []

    def plural_antecedent(self, token: Token) -> list[Arg] | None:
        """ "Officials at the White House said ... They condemned": "they" opening on the plural subject
        of the sentence before stands for it (its actors, or no one known), not for a group named earlier.
        None when that does not apply (no such subject, or a group named earlier in the same sentence)."""
        sent = token.sent
        if token.lower_ not in ("they", "them", "their") or sent.start == 0:
            return None
        if any(sent.start <= i < token.i for i, _ in self.groups):
            return None
        prev = self.doc[sent.start - 1].sent
        for t in prev.root.children:
            if t.dep_ in SUBJECT | PASSIVE_SUBJECT and t.pos_ in ("NOUN", "PROPN") and (t.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in t.children)):
                return self.group(t)
        return None

    def attack_referred(self, noun: Token) -> list[Arg]:
        """ "condemned the attack", "deplored the raid": an attack told of before, by whoever made it.

        Only a definite attack noun with no actor of its own, and only the latest attack of an
        earlier sentence; "the fighting" (an act of both sides) stands for both of its parties.
        """
        triggers = self.lex.lookup(noun.lemma_.lower(), "NOUN")
        if not triggers or triggers[0].relation != "attacks" or self.head_actors(noun):
            return []
        if not any(c.dep_ == "det" and c.lower_ in DEFINITE for c in noun.children):
            return []
        reciprocal = triggers[0].reciprocal  # "the fighting", "the clashes": any fight, by both of its parties
        before = [(doer, target) for i, doer, rel, target in self.fights if i < noun.sent.start and (rel == "attacks" or reciprocal)]
        if not before:
            return []
        doer, target = before[-1]
        parties = [doer, target] if reciprocal else [doer]
        return [Arg(actor, noun.text, "context") for actor in parties]

    def act_referred(self, noun: Token) -> list[Arg]:
        """ "North Korea launched a missile. Japan condemned the launch", "welcomed the move": whoever did
        the act the sentence before told of (the same word as a verb, or "the move", "the decision")."""
        lemma = noun.lemma_.lower()
        if noun.pos_ != "NOUN" or self.head_actors(noun) or not any(c.dep_ == "det" and c.lower_ in DEFINITE for c in noun.children):
            return []
        earlier: list[Span] = []
        start = noun.sent.start
        while start > 0 and len(earlier) < 2:
            earlier.append(self.doc[start - 1].sent)  # the sentence before, then the one before that
            start = earlier[-1].start
        for sent in earlier:
            for verb in [t for t in sent if t.pos_ == "VERB"] if lemma not in GENERIC_ACTS else [sent.root]:
                if lemma in GENERIC_ACTS or verb.lemma_.lower() == lemma or verb.lemma_.lower() == ACT_VERBS.get(lemma):
                    doers = [a for c in verb.children if c.dep_ in SUBJECT for a in self.group(c)]
                    if doers:
                        return [Arg(a.actor, noun.text, "context") for a in doers]
        return []

    def addressees(self, word: Token, asking: list[Arg]) -> list[Arg]:
        """ "urged restraint", "called for a ceasefire", "demands for calm": a call to end a fight is made
        of the fight's parties (the latest conflict told of before, if the callers are not in it)."""
        if word.lemma_.lower() not in self.lex.words("de_escalation"):
            return []
        governor = word.head.head if word.dep_ == "pobj" and word.head.lower_ == "for" else word.head if word.dep_ in OBJECT else None
        if governor is None or not any(t.relation == "demands" for t in self.lex.lookup(governor.lemma_.lower(), governor.pos_)):
            return []
        callers = {a.actor for a in asking}
        for i, a, _, b in reversed(self.fights):
            if i < word.sent.start and a not in callers and b not in callers:
                return [Arg(a, word.text, "context"), Arg(b, word.text, "context")]
        return []

    def sides(self, token: Token) -> list[Arg]:
        """ "either side", "both sides": the two parties of the conflict under discussion."""
        sent = token.sent
        named = {self.found[t.i].actor for t in sent if t.i in self.found and t.lemma_.lower() not in ("it", "its")}
        for a, b in reversed(self.conflicts):
            if not named or a in named or b in named:
                return [Arg(a, token.text, "context"), Arg(b, token.text, "context")]
        return self.named_group(token)

    # --- verbs: agents and targets -------------------------------------------------------

    def is_passive(self, verb: Token) -> bool:
        return any(c.dep_ in PASSIVE_SUBJECT or c.dep_ == "auxpass" for c in verb.children) or (
            verb.dep_ == "acl" and verb.tag_ == "VBN"
        )

    def agents(self, verb: Token, depth: int = 0) -> tuple[list[Arg], float]:
        """Who does what ``verb`` says, and how sure the path to them is."""
        if depth > 4:
            return [], 0.0
        if self.is_passive(verb):
            # passive: "Russia was condemned by the UN"
            for child in verb.children:
                if child.dep_ == "agent":
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            return self.group(pobj), 1.0
            return [], 0.0
        subjects = [c for c in verb.children if c.dep_ in SUBJECT and not is_dateline(c)]
        for child in subjects:
            found = self.group(child)
            if found:
                # the first subject that names an actor ("KYIV, Ukraine — Russia launched"), and its companions
                return found + [a for a in self.companions(child, verb) if a.actor not in {f.actor for f in found}], 1.0
        if subjects:
            return [], 0.0
        head = verb.head
        if verb.dep_ == "conj" and head.pos_ in ("VERB", "AUX"):
            # coordinated verbs share the subject: "Russia invaded and occupied ..."
            args, conf = self.agents(head, depth + 1)
            return args, conf * 0.95
        if verb.dep_ == "xcomp" and head.pos_ in ("VERB", "AUX"):
            # control: "urged Iran to halt" (object) / "vowed to defend" (subject)
            objects = [c for c in head.children if c.dep_ in ("dobj",)]
            if objects:
                return self.group(objects[0]), 0.9
            args, conf = self.agents(head, depth + 1)
            return args, conf * 0.95
        if verb.dep_ == "pcomp" and head.dep_ == "prep":
            holder = head.head
            if holder.pos_ in ("NOUN", "PROPN"):
                # "China's role in sustaining Russia's capabilities"
                return self.head_actors(holder), 0.85
            if holder.pos_ == "ADJ" and holder.dep_ in ("acomp", "amod"):
                holder = holder.head  # "the allies are united in opposing ..."
            if holder.pos_ in ("VERB", "AUX") and head.lower_ in ("of", "for"):
                # object control: "accused Pyongyang of supplying shells", "thanked Seoul for helping"
                objects = [c for c in holder.children if c.dep_ == "dobj"]
                if objects:
                    found = self.group(objects[0])
                    if found:
                        return found, 0.9
            if holder.pos_ in ("VERB", "AUX"):
                # "Turkish forces responded by shooting down ...", "the allies are united in opposing ..."
                args, conf = self.agents(holder, depth + 1)
                if holder.lemma_.lower() == "join" and head.lower_ == "in":
                    # "Japan joined the US in condemning China": the joined one does it too
                    args = args + [a for c in holder.children if c.dep_ == "dobj" for a in self.group(c) if a.actor not in {x.actor for x in args}]
                if not args and self.is_passive(holder):
                    args, conf = [a for c in holder.children if c.dep_ in PASSIVE_SUBJECT for a in self.group(c)], 0.9
                return args, conf * 0.9
        if verb.dep_ in ("advcl", "acl", "pcomp") and head.pos_ in ("VERB", "AUX"):
            # participle or purpose clause: "... provided support to help Kyiv"
            args, conf = self.agents(head, depth + 1)
            return args, conf * 0.85
        if verb.dep_ == "relcl":
            # object relative without a subject is rare; the head is the agent in "forces attacking X"
            return self.head_actors(head), 0.8
        if verb.dep_ in ("acl", "appos") and verb.tag_ == "VBG" and head.i in self.found:
            # headline style: "Russia, China Vying for Influence With U.S." (the parser hangs the verb on the names)
            named = self.group(head) + [a for c in verb.children if c.dep_ == "compound" for a in self.group(c)]
            if head.dep_ == "appos" and head.head.i in self.found:
                named = self.group(head.head) + named  # "Russia, China vying ...": the list the parser split
            return [a for i, a in enumerate(named) if a.actor not in {b.actor for b in named[:i]}], 0.8
        if verb.dep_ == "acl":
            return self.head_actors(head), 0.8
        return [], 0.0

    def companions(self, subject: Token, verb: Token) -> list[Arg]:
        """Who acts with the subject: "the US, along with Britain and France, launched", "the US, together
        with Japan, condemned", "Britain, alongside the US, struck" (set off by commas)."""
        out: list[Arg] = []
        for head in (subject, verb):
            for prep in head.children:
                if prep.dep_ != "prep":
                    continue
                if prep.lower_ == "with" and any(c.lower_ in ("along", "together") for c in prep.children):
                    out += [a for p in prep.children if p.dep_ == "pobj" for a in self.group(p)]
                elif prep.lower_ in ("along", "together"):
                    out += [a for w in prep.children if w.lower_ == "with" for p in w.children if p.dep_ == "pobj" for a in self.group(p)]
                elif prep.lower_ == "alongside" and prep.i > 0 and self.doc[prep.i - 1].lower_ == ",":
                    out += [a for p in prep.children if p.dep_ == "pobj" for a in self.group(p)]
        return out

    def verb_targets(self, verb: Token, trigger: Trigger) -> list[tuple[Arg, str]]:
        """(target, relation) pairs for a verb trigger."""
        out: list[tuple[Arg, str]] = []
        relation = trigger.relation
        if self.is_passive(verb):
            for child in verb.children:
                if child.dep_ in PASSIVE_SUBJECT:
                    out += [(a, relation) for a in self.group(child)]
            if verb.dep_ == "acl" and verb.tag_ == "VBN":
                out += [(a, relation) for a in self.head_actors(verb.head)]
        elif not trigger.particle and trigger.object_is_target:
            for child in verb.children:
                if child.dep_ in OBJECT:
                    found = self.group(child) or (self.place(child) if relation == "attacks" else [])
                    if not found and relation == "criticizes":
                        found = self.attack_referred(child)
                    if not found and relation in ("criticizes", "supports"):
                        found = self.act_referred(child)
                    if not found and relation == "sanctions":
                        found = self.trade_partners(child, verb)
                    out += [(a, relation) for a in found]
        default_preps = self.lex.target_preps.get(relation, set())
        for child in verb.children:
            prep = child.lower_
            if child.dep_ == "prt" and prep in trigger.particle:
                for obj in verb.children:
                    if obj.dep_ in OBJECT:
                        out += [(a, trigger.preps.get(prep, relation)) for a in self.group(obj)]
            if child.dep_ not in ("prep", "dative"):
                continue
            sided = [a for p in child.children if p.dep_ == "pobj" and p.lemma_.lower() == "side" for a in self.sides_taken(p)]
            if sided and prep in ("on", "by", "at"):
                # "fought on the side of Syria", "stood by Venezuela's side": whoever's side it is, is helped
                out += [(a, "supports") for a in sided]
                continue
            if prep in trigger.preps or (not trigger.particle and prep in default_preps):
                rel = trigger.preps.get(prep, relation)
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        out += [(a, rel) for a in self.group(pobj)]
        for clause in _marked_clauses(verb, trigger):
            # "called for both Israel and Iran to show restraint": the parser hangs "for" on the clause
            out += [(a, relation) for sub in clause.children if sub.dep_ in SUBJECT for a in self.group(sub)]
        if not out and not trigger.particle and trigger.object_is_target and not any(c.dep_ in OBJECT for c in verb.children):
            # "warned and expelled the ship", "condemned and sanctioned Ukraine": a later verb of the same subject shares its object
            for later in [c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB" and not any(s.dep_ in SUBJECT for s in c.children)]:
                out += [(a, relation) for obj in later.children if obj.dep_ in OBJECT for a in self.group(obj)]
        if not out and relation in ("warns", "criticizes", "demands", "supports"):
            # "warned that China would ...", "praised what he said was China's position"
            for clause in [c for c in verb.children if c.dep_ == "ccomp"]:
                for inner in [clause, *[c for c in clause.children if c.dep_ == "ccomp"]]:
                    for sub in inner.children:
                        if sub.dep_ in SUBJECT | PASSIVE_SUBJECT | {"attr"}:
                            out += [(a, relation) for a in self.group(sub)]
        # prepositions on the object: "amassed troops along Ukraine's border", "fired missiles at Israel"
        for obj in [c for c in verb.children if c.dep_ in OBJECT]:
            for link in obj.children:
                if link.dep_ == "prep" and link.lower_ in trigger.preps:
                    out += [(a, trigger.preps[link.lower_]) for p in link.children if p.dep_ == "pobj" for a in self.group(p)]
        return out

    def trade_partners(self, goods: Token, verb: Token) -> list[Arg]:
        """Who a cut in trade hits: "restricted exports of gallium to the US", "halted gas flows to Poland"."""
        if goods.lemma_.lower() not in TRADE:
            return []
        return [a for head in (goods, verb) for c in head.children if c.dep_ == "prep" and c.lower_ in ("to", "from", "with", "into")
                for p in c.children if p.dep_ == "pobj" for a in self.group(p)]

    def sides_taken(self, side: Token) -> list[Arg]:
        """Whose side "side" is: "the side of Syria", "Russia's side" (not "either side", "the Ukrainian side" speaking)."""
        if any(c.lower_ in ("either", "both", "neither", "each", "other") for c in side.children):
            return []
        owners = [a for c in side.children if c.dep_ in ("poss", "amod", "compound") for a in self.group(c)]
        return owners or [a for c in side.children if c.dep_ == "prep" and c.lower_ == "of"
                          for p in c.children if p.dep_ == "pobj" for a in self.group(p)]

    def has_particle(self, verb: Token, trigger: Trigger) -> bool:
        if trigger.needs_clause and not any(c.dep_ in ("ccomp", "xcomp") or _infinitive(c) for c in verb.children):
            return False  # "wants Putin to attack" demands; "wants sanctions" does not
        return not trigger.particle or bool(_marked_clauses(verb, trigger)) or any(
            c.dep_ in ("prep", "prt", "dative") and c.lower_ in trigger.particle for c in verb.children
        )

    # --- nouns: "Russia's invasion of Ukraine", "talks between A and B" -------------------

    def noun_agents(self, noun: Token) -> tuple[list[Arg], list[Arg]]:
        """(explicit agents, compound modifiers) of a nominal trigger."""
        agents: list[Arg] = []
        compounds: list[Arg] = []
        for child in noun.children:
            if child.i > noun.i and child.dep_ == "prep" and child.lower_ in ("by", "from") and not self.is_target_prep(noun, child.lower_):
                # "the invasion by Russia"
                agents += [a for pobj in child.children if pobj.dep_ == "pobj" for a in self.group(pobj)]
            elif child.i < noun.i and child.dep_ == "poss" or child.i < noun.i and child.dep_ in ("amod", "nmod") and child.i in self.found:
                agents += self.group(child)
            elif child.i < noun.i and child.dep_ in ("compound", "nmod", "amod"):
                for tok in child.subtree:
                    if tok.i in self.found and tok.dep_ in ("compound", "nmod", "amod", "conj", "poss", "punct", "npadvmod"):
                        m = self.found[tok.i]
                        if m.actor not in {c.actor for c in compounds + agents}:
                            compounds.append(Arg(m.actor, m.text, m.via))
        return agents, compounds

    def is_target_prep(self, noun: Token, prep: str) -> bool:
        return any(prep in t.preps for t in self.lex.lookup(noun.lemma_, "NOUN"))

    def noun_targets(self, noun: Token, trigger: Trigger) -> tuple[list[tuple[Arg, str]], list[Arg]]:
        """(target, relation) pairs and the actors of a "between A and B" phrase (see pair_relation)."""
        targets: list[tuple[Arg, str]] = []
        pair: list[Arg] = []
        holders = list(noun.children)
        if noun.dep_ in SUBJECT | PASSIVE_SUBJECT:
            holders += [c for c in noun.head.children if c.dep_ == "prep" and c.lower_ in PAIR_PREPS]
        for child in holders:
            if child.dep_ != "prep" or (child.i < noun.i and child.head is noun):
                continue
            prep = child.lower_
            for pobj in child.children:
                if pobj.dep_ != "pobj":
                    continue
                if prep in PAIR_PREPS:
                    pair += self.group(pobj)
                elif prep in trigger.preps:
                    found = self.group(pobj) or (self.place(pobj) if trigger.preps[prep] == "attacks" else self.situation(pobj, trigger.preps[prep]))
                    targets += [(a, trigger.preps[prep]) for a in found]
        if not targets:
            # "sanctions targeting Iranian officials", "strikes aimed at Hamas": the participle names the target
            for acl in [c for c in noun.children if c.dep_ == "acl" and c.lemma_.lower() in AIMING]:
                targets += [(a, trigger.relation) for c in acl.children if c.dep_ == "dobj" for a in self.group(c)]
                targets += [(a, trigger.relation) for c in acl.children if c.dep_ == "prep" and c.lower_ in ("at", "against")
                            for p in c.children if p.dep_ == "pobj" for a in self.group(p)]
        if not targets and trigger.relation == "demands":
            # "made no demand that Russia withdraw its troops": the clause's subject is asked
            targets = [(a, trigger.relation) for c in noun.children if c.dep_ in ("acl", "ccomp")
                       for s in c.children if s.dep_ in SUBJECT for a in self.group(s)]
        return targets, pair

    # --- what did not happen -------------------------------------------------------------

    def modality(self, pred: Token) -> tuple[bool, bool, str, float]:
        """(negated, hypothetical, commitment, confidence factor): see :func:`kgraph.extract.modality.modality`."""
        return modality(pred, self.lex, self.question_at(pred))

    def question_at(self, token: Token) -> bool:
        """Whether the token's sentence is a question (each sentence worked out once)."""
        if self._questions is None:
            self._questions = {}
            for sent in self.doc.sents:
                if is_question(sent):
                    self._questions.update(dict.fromkeys(range(sent.start, sent.end), True))
        return token.i in self._questions

    def is_word(self, token: Token, key: str) -> bool:
        """Whether the token is a word of the lexicon list, by lemma or inflected form ("hopes")."""
        return is_word(self.lex, token, key)

    # --- the cases -----------------------------------------------------------------------

    def findings(self, sent: Span) -> Iterator[Finding]:
        for token in sent:
            pos = "VERB" if token.pos_ in ("VERB", "AUX") else token.pos_
            if pos == "PROPN":
                pos = "NOUN"
            candidates = self.lex.lookup(token.lemma_, pos)
            if not candidates and pos == "NOUN" and token.lower_ != token.lemma_.lower():
                candidates = self.lex.lookup(token.lower_, pos)
            if token.lemma_.lower() in self.evaluative or token.lower_ in self.evaluative:
                yield from self.evaluation_case(token)
            if pos == "VERB" and token.lemma_.lower() in ("give", "grant"):
                yield from self.deadline_case(token)
            if pos == "VERB" and token.lemma_.lower() in self.say:
                yield from self.speech_content_case(token)
            if pos == "VERB" and token.lemma_.lower() in NAMING:
                yield from self.naming_case(token)
            if pos == "VERB" and token.lemma_.lower() == "pose":
                yield from self.posed_threat_case(token)
            if pos == "VERB" and token.lemma_.lower() in FORSAKING:
                yield from self.forsake_case(token)
            if token.lemma_.lower() in REQUESTS and token.dep_ == "pobj" and token.head.lower_ in ("at", "upon", "on"):
                yield from self.request_case(token)
            if token.lower_ == "against" and token.dep_ == "prep" and token.head.lemma_ == "be":
                yield from self.against_case(token)
            if pos == "VERB":
                # phrasal senses first: "hit out at" criticizes, plain "hit" attacks
                for trigger in sorted(candidates, key=lambda t: not t.particle):
                    if self.has_particle(token, trigger):
                        yield from self.verb_case(token, trigger)
                        break
                if token.lemma_.lower() in self.light:
                    yield from self.light_verb_case(token)
            elif pos == "NOUN" and candidates:
                yield from self.noun_case(token, candidates[0])
            elif pos == "ADJ" and candidates:
                yield from self.adjective_case(token, candidates[0])

    def evaluation_case(self, word: Token) -> Iterator[Finding]:
        # case EVALUATION IN SPEECH: '"China's coercive actions ... are destabilizing," he said'
        speaker_verb = next((a for a in word.ancestors if a.lemma_.lower() in self.say and a.pos_ == "VERB"), None)
        if speaker_verb is None:
            return
        if word.dep_ == "amod":
            agents, compounds = self.noun_agents(word.head)
            judged = agents or compounds
        elif word.pos_ == "VERB":
            judged = [a for c in word.children if c.dep_ in SUBJECT for a in self.group(c)]  # "Putin is miscalculating"
        elif word.dep_ in ("acomp", "attr") or word.head.dep_ in ("acomp", "attr"):
            clause = word.head if word.dep_ in ("acomp", "attr") else word.head.head
            subjects = [c for c in clause.children if c.dep_ in SUBJECT]
            judged = [a for c in subjects for a in self.group(c)]
            if not judged:
                # "reports of atrocities committed by the Taliban are deeply troubling": whoever did what is judged
                judged = [a for c in subjects for t in c.subtree if t.dep_ == "agent" for p in t.children if p.dep_ == "pobj" for a in self.group(p)]
        else:
            return
        negated, hypo, _, _ = self.modality(word.head if word.dep_ != "amod" else word)
        if negated:
            return
        speakers, conf = self.agents(speaker_verb)
        yield from self.combine(speakers, [(a, "criticizes") for a in judged], "criticizes", False, word, False, hypo, 0.7 * conf)

    def verb_case(self, verb: Token, trigger: Trigger) -> Iterator[Finding]:
        # case VERB: "China supports Russia", "Russia was condemned by the UN", "met with"
        if trigger.experiencer:
            yield from self.experiencer_case(verb, trigger)
            return
        if trigger.relation == "criticizes" and verb.dep_ == "xcomp" and verb.head.lemma_ == "be":
            yield from self.to_blame_case(verb)
            return
        if verb.dep_ == "amod" and verb.tag_ == "VBN":
            hyphened = [a for c in verb.children if c.i < verb.i and c.dep_ in ("npadvmod", "compound", "nmod", "amod") for a in self.group(c)]
            if hyphened:
                # "the Iran-backed Houthis", "the Rwandan-backed M23 group": the first part did it to the noun
                noun = verb.head
                backed = self.head_actors(noun) or [a for c in noun.children if c.i > verb.i and c.dep_ in ("compound", "nmod") for a in self.group(c)]
                targets = [(a, trigger.relation) for a in backed if a.actor not in {h.actor for h in hyphened}]
                if not targets and verb.lemma_.lower() in MEDIATING:
                    targets = [(a, trigger.relation) for a in self.clause_parties(verb, hyphened)]  # "after U.S.-brokered talks"
                yield from self.combine(hyphened, targets, trigger.relation, False, verb, False, False, 0.85)
                return
        agents, conf = self.agents(verb)
        targets = self.verb_targets(verb, trigger)
        if not targets and len(agents) >= 2 and any(_is_each_other(c) for c in verb.children if c.dep_ in OBJECT):
            # "each side blamed the other", "the two accused each other"
            negated, hypo, _, factor = self.modality(verb)
            yield from self.combine(agents, [], trigger.relation, True, verb, negated, hypo, 0.85 * conf * factor)
            return
        negated, hypo, commit, factor = self.modality(verb)
        relation = trigger.relation
        if relation == "sanctions" and any(c.dep_ in OBJECT and (c.lemma_.lower() in VESSELS or (c.lower_ == "it" and self.vessel_before(verb)))
                                           for c in verb.children):
            # "expelled the U.S. warship", "identified the warship, warned and expelled it": driving off a
            # ship is a show of force, not a sanction
            relation = "warns"
        visitor = (targets and all(a.via in PERSON_VIAS for a, _ in targets)) or any(c.dep_ in OBJECT and c.lemma_.lower() in VISITORS for c in verb.children)
        if trigger.lemma == "welcome" and visitor:
            relation = "meets"  # "Castro welcomed Obama at the airport" receives a visitor; "welcomed the move" supports
        if commit in ("commit", "intent") and relation in THREATENED and not negated:
            relation, hypo = "warns", False  # "vowed to strike Israel", "wants to attack", "threatened to sanction" is a threat
        elif commit in ("commit", "pledge") and relation == "supports" and not negated:
            hypo = False  # "pledged to defend Taiwan", "the US will sell tanks to Poland" is support
        targets = [(a, relation if r == trigger.relation else r) for a, r in targets]
        if not targets and relation == "demands":
            targets = [(a, relation) for w in _called_for(verb) for a in self.addressees(w, agents)]
        if not targets and trigger.reciprocal:
            # "vying for influence with the US", "competing for markets with China": the rival hangs on the object
            targets = [(a, relation) for c in verb.children if c.dep_ in ("prep", "dobj")
                       for p2 in c.subtree if p2 is not c and p2.dep_ == "prep" and p2.lower_ in trigger.preps
                       for p in p2.children if p.dep_ == "pobj" for a in self.group(p)]
        yield from self.combine(agents, targets, relation, trigger.reciprocal, verb, negated, hypo, 0.9 * conf * factor)
        if trigger.reciprocal and relation in ("attacks", "opposes"):
            # "Russia clashed with Ukraine", "China is vying with the US": a clash or a rivalry is mutual
            for target, rel in targets:
                if rel == relation:
                    yield from self.combine([target], [(a, rel) for a in agents], rel, False, verb, negated, hypo, 0.85 * conf * factor)

    def vessel_before(self, verb: Token) -> bool:
        """Whether a verb coordinated before this one has a ship or aircraft as object ("identified the warship, ... expelled it")."""
        return any(c.dep_ in OBJECT and c.lemma_.lower() in VESSELS for v in verb.conjuncts if v.i < verb.i for c in v.children)

    def deadline_case(self, verb: Token) -> Iterator[Finding]:
        # case DEADLINE: "Trump gave Iran 60 days to reach a deal", "gave Serbia a deadline to ...": a demand
        spans = [c for c in verb.children if c.lemma_.lower() in DEADLINES and c.dep_ in ("dobj", "npadvmod", "conj")]
        if not spans:
            return
        acts = [c for t in (verb, *spans) for c in t.children if c.dep_ in ("acl", "relcl", "advcl", "xcomp")
                and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)]
        if not acts:
            return
        given = [a for c in verb.children if c.dep_ in ("dative", "dobj") and c not in spans for a in self.group(c)]
        agents, conf = self.agents(verb)
        negated, hypo, _, factor = self.modality(verb)
        yield from self.combine(agents, [(a, "demands") for a in given], "demands", False, verb, negated, hypo, 0.8 * conf * factor)

    def speech_content_case(self, verb: Token) -> Iterator[Finding]:
        # case SPEECH CONTENT: what a speaker says another should do, will suffer or has done wrong is their
        # own act towards them: "Japan said China should stop its drills" (a demand), "Iran will pay a heavy
        # price," Netanyahu said (a warning), "Russia is committing war crimes," Blinken said (criticism)
        clauses = [c for c in verb.children if c.dep_ == "ccomp"]
        clauses += [c for cl in clauses for c in cl.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX")]
        speakers: list[Arg] | None = None
        for clause in clauses:
            subjects = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")] or (
                [c for c in clause.head.children if c.dep_ == "nsubj"] if clause.dep_ == "conj" else [])
            auxes = {c.lower_ for c in clause.children if c.dep_ == "aux"}
            passive = any(c.dep_ == "auxpass" or (c.lemma_.lower() == "be" and c.dep_ == "aux") for c in clause.children)
            lemma = clause.lemma_.lower()
            objects = {c.lemma_.lower() for c in clause.children if c.dep_ == "dobj"}
            held = lemma == "hold" and passive and any(c.lower_ in ("responsible", "accountable") for c in clause.children)
            if held:
                # "Syria's government will be held responsible": a threat; "should be held accountable": a judgement
                relation = "warns" if auxes & FUTURE_AUX else "criticizes"
            elif passive and not any(c.dep_ == "nsubj" for c in clause.children):
                continue
            elif lemma in PENALTIES and auxes & FUTURE_AUX:
                relation = "warns"  # "Iran will pay for it": a threat
            elif lemma in PENALTIES and auxes & OBLIGING:
                relation = "criticizes"  # "Russia must pay a price": a judgement that it deserves punishment
            elif auxes & OBLIGING and not passive:
                relation = "demands"  # "China should be held accountable" is no demand on China
            elif lemma in WRONGDOING_VERBS or (lemma in ("commit", "make") and objects & WRONGS):
                relation = "criticizes"  # "Russia was lying", "is committing war crimes", "made a big mistake"
            else:
                continue
            if clause.dep_ == "conj" and lemma not in PENALTIES:
                continue  # a second clause only for "made a mistake and will pay for it"
            targets = [(a, relation) for c in subjects for a in self.group(c)]
            if speakers is None:
                speakers, conf = self.agents(verb)
                negated, hypo, _, factor = self.modality(verb)
            yield from self.combine(speakers, targets, relation, False, clause, negated, hypo, 0.75 * conf * factor)

    def naming_case(self, verb: Token) -> Iterator[Finding]:
        # case NAMING: "Japan called China's move reckless", "described the strikes as illegal": to call
        # someone's act by an evaluative word criticizes them
        objects = [c for c in verb.children if c.dep_ == "dobj"]
        if not objects:
            return
        words = [t for c in verb.children if c.dep_ not in SUBJECT | {"aux", "neg"} for t in c.subtree]
        if not any(t.lemma_.lower() in self.evaluative or t.lower_ in self.evaluative for t in words):
            return
        judged = [a for o in objects for a in self.group(o) or self.attack_referred(o) or self.act_referred(o)]
        judged += [a for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj" for a in self.group(p)]
        speakers, conf = self.agents(verb)
        negated, hypo, _, factor = self.modality(verb)
        yield from self.combine(speakers, [(a, "criticizes") for a in judged], "criticizes", False, verb, negated, hypo, 0.75 * conf * factor)

    def posed_threat_case(self, verb: Token) -> Iterator[Finding]:
        # case POSED THREAT: "China poses a threat to the US", "the threat posed by Russia to Georgia": a
        # standing hostility (opposes), not a threat made (warns)
        danger: Token | None
        if verb.dep_ == "acl" and verb.head.lemma_.lower() in DANGERS:
            danger = verb.head
            holders = [a for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj" for a in self.group(p)]
            negated, hypo, _, factor = False, False, "", 1.0
            conf = 1.0
        else:
            danger = next((c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in DANGERS), None)
            if danger is None:
                return
            holders, conf = self.agents(verb)
            negated, hypo, _, factor = self.modality(verb)
        targets = [(a, "opposes") for h in (verb, danger) for c in h.children if c.dep_ == "prep" and c.lower_ in ("to", "for")
                   for p in c.children if p.dep_ == "pobj" for a in self.group(p)]
        yield from self.combine(holders, targets, "opposes", False, danger, negated, hypo, 0.75 * conf * factor)

    def forsake_case(self, verb: Token) -> Iterator[Finding]:
        # case NOT FORSAKEN: "we will not abandon Ukraine", "never turned its back on": a pledge of support
        negated, hypo, commit, factor = self.modality(verb)
        if not negated:
            return
        backs = [c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() == "back"]
        if verb.lemma_.lower() == "turn" and not backs:
            return
        objects = [c for c in verb.children if c.dep_ == "dobj" and c not in backs]
        objects += [p for h in (verb, *backs) for c in h.children if c.dep_ == "prep" and c.lower_ == "on" for p in c.children if p.dep_ == "pobj"]
        agents, conf = self.agents(verb)
        targets = [(a, "supports") for o in objects for a in self.group(o)]
        yield from self.combine(agents, targets, "supports", False, verb, False, hypo and commit != "pledge", 0.8 * conf * factor)

    def request_case(self, noun: Token) -> Iterator[Finding]:
        # case AT THE REQUEST: "Russian troops entered Syria at Assad's request", "at the request of Mali's
        # junta": the one who asked demanded it of whoever did it
        verb = noun.head.head
        if verb.pos_ not in ("VERB", "AUX"):
            return
        askers = [a for c in noun.children if c.dep_ == "poss" for a in self.group(c)]
        askers += [a for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children if p.dep_ == "pobj" for a in self.group(p)]
        doers, conf = self.agents(verb)
        negated, hypo, _, factor = self.modality(verb)
        yield from self.combine(askers, [(a, "demands") for a in doers], "demands", False, noun, negated, hypo, 0.7 * conf * factor)

    def against_case(self, prep: Token) -> Iterator[Finding]:
        # case AGAINST: "the U.S. is against China's encroachment": being against someone opposes them
        copula = prep.head
        agents = [a for c in copula.children if c.dep_ in SUBJECT for a in self.group(c)]
        targets = [(a, "opposes") for p in prep.children if p.dep_ == "pobj" for a in self.group(p)]
        negated, hypo, _, factor = self.modality(copula)
        yield from self.combine(agents, targets, "opposes", False, prep, negated, hypo, 0.75 * factor)

    def to_blame_case(self, verb: Token) -> Iterator[Finding]:
        # case TO BLAME: "Hamas said Israel was to blame for the blast": the speaker blames the subject
        blamed = [a for c in verb.head.children if c.dep_ in SUBJECT for a in self.group(c)]
        speaker_verb = next((a for a in verb.head.ancestors if a.lemma_.lower() in self.say and a.pos_ == "VERB"), None)
        if speaker_verb is None or not blamed:
            return
        speakers, conf = self.agents(speaker_verb)
        negated, hypo, _, factor = self.modality(verb.head)
        yield from self.combine(speakers, [(a, "criticizes") for a in blamed], "criticizes", False, verb, negated, hypo, 0.8 * conf * factor)

    def experiencer_case(self, verb: Token, trigger: Trigger) -> Iterator[Finding]:
        # case FEELING: "the US is deeply troubled by the M23's advance", "was disappointed to learn that
        # Turkey ...", "China's moves worry Japan": the one who feels it holds the view, the cause is its target
        if self.is_passive(verb):
            feelers = [a for c in verb.children if c.dep_ in PASSIVE_SUBJECT for a in self.group(c)]
            causes = [c for c in verb.children if c.dep_ in ("agent", "prep") and (c.lower_ in trigger.preps or c.dep_ == "agent")]
            targets = [a for c in causes for p in c.children if p.dep_ == "pobj" for a in self.group(p) or self.attack_referred(p) or self.situation(p, "criticizes")]
            targets += self.clause_subjects(verb)
        else:
            feelers = [a for c in verb.children if c.dep_ == "dobj" for a in self.group(c)]
            targets = [a for c in verb.children if c.dep_ in SUBJECT for a in self.group(c)]
        negated, hypo, _, factor = self.modality(verb)
        yield from self.combine(feelers, [(a, trigger.relation) for a in targets], trigger.relation, False, verb, negated, hypo, 0.8 * factor)

    def clause_subjects(self, word: Token) -> list[Arg]:
        """Subjects of the clause a word governs: "concerned that China ...", "disappointed to learn that Turkey ..." """
        out: list[Arg] = []
        for clause in [c for c in word.children if c.dep_ in ("ccomp", "xcomp")]:
            for inner in [clause, *[c for c in clause.children if c.dep_ == "ccomp"]]:
                if inner.dep_ == "ccomp":
                    out += [a for s in inner.children if s.dep_ in SUBJECT | PASSIVE_SUBJECT for a in self.group(s)]
        return out

    def light_verb_case(self, verb: Token) -> Iterator[Finding]:
        # case LIGHT VERB: "imposed sanctions on Iran", "held talks with", "provided aid to"
        objects = [c for c in verb.children if c.dep_ in OBJECT | PASSIVE_SUBJECT]
        receivers: list[Arg] = []
        if verb.lemma_.lower() in PROVIDING:
            # "provided Ukraine with weapons": the thing given hangs on "with", the object receives it
            given = [p for c in verb.children if c.dep_ == "prep" and c.lower_ == "with" for p in c.children if p.dep_ == "pobj"]
            if given:
                receivers = [a for c in objects for a in self.group(c)]
                objects = [g for g in given if receivers]
        # "gave Ukraine $60 billion in aid", "sent Kyiv a warning": a bare second object receives it
        receivers += [a for c in verb.children if c.dep_ == "dative" and c.pos_ in ("NOUN", "PROPN") for a in self.group(c)]
        for obj in objects:
            obj = _measured(obj)  # "gave Ukraine $60 billion in aid": the aid, not the sum
            trigger = next(iter(self.lex.lookup(obj.lemma_, "NOUN")), None)
            if trigger is None or not self.noun_ok(obj, trigger) or _arms_deal(obj, trigger):
                continue
            own_agents, compounds = self.noun_agents(obj)
            if own_agents:
                continue  # "backed Russia's invasion": the noun speaks for itself
            agents, conf = self.agents(verb)
            targets, pair = self.noun_targets(obj, trigger)
            if self.is_word(verb, "receiving_verbs"):
                # "Ukraine has received weapons from the EU": the giver acts, the receiver is the target
                givers = [a for p in verb.children if p.dep_ == "prep" and p.lower_ == "from" for c in p.children if c.dep_ == "pobj" for a in self.group(c)]
                givers += [a for p in obj.children if p.dep_ == "prep" and p.lower_ == "from" for c in p.children if c.dep_ == "pobj" for a in self.group(c)]
                agents, targets = givers, [(a, trigger.relation) for a in agents]
            for child in verb.children:
                if child.dep_ in ("prep", "dative") and child.lower_ in trigger.preps:
                    targets += [(a, trigger.preps[child.lower_]) for p in child.children if p.dep_ == "pobj" for a in self.group(p)]
            targets += [(a, trigger.relation) for a in receivers]
            if compounds and not targets:
                targets = [(a, trigger.relation) for a in compounds]  # "imposed Iran sanctions"
            negated, hypo, commit, factor = self.modality(verb)
            negated = negated or self.noun_negated(obj)
            if hypo and trigger.relation == "partners-with" and verb.lemma_.lower() in self.lex.words("presupposing_verbs"):
                hypo = False  # "seeking to deepen a partnership": the partnership exists already
            relation = trigger.relation
            if commit in ("commit", "intent") and relation in THREATENED and not negated:
                # "threatened to impose sanctions on Iran", "plans to cut ties with": a threat made now
                relation, hypo = "warns", False
                targets = [(a, relation if r in THREATENED else r) for a, r in targets]
            if commit in ("commit", "pledge") and relation == "supports" and not negated:
                hypo = False  # "vowed to provide aid", "will provide $50 million in aid"
            if pair:
                yield from self.combine(pair, [], pair_relation(trigger), True, obj, negated, hypo, 0.85 * factor)
            # "Erdogan and Putin reached an agreement": the agents are each other's partners
            reciprocal = relation in SYMMETRIC and not targets and not pair
            yield from self.combine(agents, targets, relation, reciprocal, obj, negated, hypo, 0.85 * conf * factor)

    def noun_ok(self, noun: Token, trigger: Trigger) -> bool:
        if trigger.needs_modifier:
            return any(c.lower_ in trigger.needs_modifier for c in noun.children)
        return True

    def noun_negated(self, noun: Token) -> bool:
        """ "made no demand", not "no limit friendship" (there "no" belongs to the compound)."""
        compounds = [c.i for c in noun.children if c.dep_ == "compound"]
        return any(
            c.dep_ in ("det", "neg") and c.lower_ in ("no", "not", "never") and not any(c.i < i for i in compounds)
            for c in noun.children
        )

    def noun_case(self, noun: Token, trigger: Trigger) -> Iterator[Finding]:
        # case NOUN: "Russia's invasion of Ukraine", "US sanctions on Iran", "talks between A and B"
        if not self.noun_ok(noun, trigger):
            return
        if trigger.relation == "opposes" and noun.i + 1 in self.found and noun.doc[noun.i + 1].head == noun.head and not any(c.dep_ == "det" for c in noun.children):
            yield from self.rival_case(noun, noun.doc[noun.i + 1])  # "accused rival Iran", parsed as two objects
            return
        relation = trigger.relation
        if _arms_deal(noun, trigger):
            return
        agents, compounds = self.noun_agents(noun)
        targets, pair = self.noun_targets(noun, trigger)
        if not agents and noun.dep_ in SUBJECT and noun.head.lemma_.lower() == "come":
            # "other demands for restraint came from Putin": who it came from made it
            agents = [a for c in noun.head.children if c.dep_ == "prep" and c.lower_ == "from"
                      for p in c.children if p.dep_ == "pobj" for a in self.group(p)]
        if not targets and relation == "demands":
            targets = [(a, relation) for w in _called_for(noun) for a in self.addressees(w, agents or compounds)]
        if noun.lemma_.lower() in RELATIONAL_NOUNS:
            targets += [(a, relation) for c in noun.children if c.dep_ == "appos" for a in self.group(c)]
        symmetric = relation in SYMMETRIC or relation == "opposes"
        negated = self.noun_negated(noun)
        hypo = False
        if not agents and any(c.dep_ == "amod" and c.lower_ in ("mutual", "joint", "shared", "common") for c in noun.children):
            agents = self.named_group(noun)  # "amid mutual concerns about China's influence"
        if noun.dep_ in OBJECT | PASSIVE_SUBJECT and noun.head.lemma_.lower() in self.light and not agents:
            return  # the light verb case reads it with the verb's subject
        verb = self.governing_verb(noun)
        confidence = 0.8
        # "they are nearing a trade deal", "close to an agreement": not reached yet
        pending = (verb is not None and verb.lemma_.lower() in APPROACHING) or (
            noun.dep_ == "pobj" and noun.head.lower_ in ("to", "toward", "towards") and noun.head.head.lemma_.lower() in ("close", "closer", "near", "nearer", "edge", "inch", "move", "work")
        )
        if relation in ("partners-with", "meets") and verb is not None and verb.lemma_.lower() in self.lex.words("undoing_verbs"):
            # "disputes that have worsened ties between A and B" is no statement of partnership, and
            # "broke diplomatic relations with the US", "downgrades ties with India" is a sanction
            if relation == "partners-with" and noun.head == verb and noun.dep_ in OBJECT and targets:
                yield from self.ties_cut_case(verb, targets)
            return
        if verb is not None and not agents and not compounds:
            _, hypo_gov, _, _ = self.modality(verb)
            # a planned or wished-for meeting or deal is not a fact; "Russia's war" is
            hypo = hypo_gov and relation in ("meets", "partners-with", "sanctions", "demands", "supports")
            manner = noun.dep_ == "pobj" and noun.head.lower_ == "in" and noun.head.head == verb  # "counterattacked, in support of"
            if verb.lemma_.lower() in self.say or verb.lemma_.lower() in self.light or (symmetric and targets) or (manner and targets):
                # "stressed the need for consequences", "is in contact with", "support cooperation with X",
                # "the Kenyans counterattacked, in support of the Somali troops"
                agents, conf = self.agents(verb)
                confidence *= conf * 0.9
                if noun.dep_ == "attr" and noun.head == verb:
                    # "Iran is not an ally of Israel": the copula's own "not" denies it
                    negated = negated or self.modality(verb)[0]
        hypo = hypo or (pending and relation in ("partners-with", "meets"))
        if verb is not None and not agents and not compounds and relation in THREATENED and noun.dep_ == "dobj" and noun.head == verb:
            yield from self.threat_case(noun, verb, targets)
            return
        if relation == "warns" and not targets:
            # "consequences if Beijing continues ...": the threat is to the condition's subject
            targets = [(a, relation) for a in self.conditional_subjects(noun, verb)]
        if not agents and not compounds and not pair and symmetric and verb is not None:
            # "Moscow and Ankara are on a collision course", "the US and Poland are firm partners"
            subjects = [a for c in verb.children if c.dep_ in SUBJECT | PASSIVE_SUBJECT for a in self.group(c)]
            if len(subjects) >= 2:
                pair = subjects
        if not agents and not compounds and not pair and not targets and noun.lemma_.lower() in UNNAMED_TENSIONS:
            # "Pakistan downgrades ties with India, tensions rise": tension with no parties named is between
            # the two actors of its sentence, when there are exactly two
            named = list(dict.fromkeys(m.actor for i, m in self.found.items() if noun.sent.start <= i < noun.sent.end and m.via != "pronoun"))
            if len(named) == 2:
                pair = [Arg(a, noun.text, "context") for a in named]
        if pair:
            # "talks between China and Russia", "tensions between Serbia and Kosovo"
            yield from self.combine(pair, [], pair_relation(trigger), True, noun, negated, hypo, 0.8)
        if not agents and len(compounds) >= 2 and symmetric:
            # "US-China talks", "the China-Russia partnership"
            yield from self.combine(compounds, [], relation, True, noun, negated, hypo, 0.75)
            return
        if not agents and noun.lemma_.lower() in MEDIATING and noun.dep_ == "pobj" and noun.head.lower_ == "of":
            # "years of mediation by the United States": the parser hangs "by" on "years"
            agents = [a for c in noun.head.head.children if c.dep_ == "prep" and c.lower_ == "by"
                      for p in c.children if p.dep_ == "pobj" for a in self.group(p)]
        if not targets and not pair and agents and noun.lemma_.lower() in MEDIATING:
            # "following years of mediation by the United States, Israel and Lebanon announced ...": the mediator meets each party
            targets = [(a, relation) for a in self.clause_parties(noun, agents)]
        if not targets and relation in PREDICATED and noun.dep_ in ("attr", "appos") and (agents or compounds):
            # "Iran is a Syrian ally", "Russia, another Assad supporter": the one the noun is said of holds the relation
            holders = [a for c in noun.head.children if c.dep_ in SUBJECT for a in self.group(c)] if noun.dep_ == "attr" else self.head_actors(noun.head)
            held = {a.actor for a in holders}
            targets = [(a, relation) for a in agents or compounds if a.actor not in held]
            if holders and targets:
                negated, hypo, _, factor = self.modality(noun.head) if noun.dep_ == "attr" else (negated, hypo, "", 1.0)
                yield from self.combine(holders, targets, relation, False, noun, negated, hypo, 0.8 * factor)
                return
        if not agents and compounds and targets:
            agents = compounds  # "US sanctions on Iran"
        if agents and len(agents) >= 2 and not targets and symmetric:
            # "China and Russia's strategic partnership"
            yield from self.combine(agents, [], relation, True, noun, negated, hypo, 0.75)
            return
        yield from self.combine(agents, targets, relation, False, noun, negated, hypo, confidence)

    def ties_cut_case(self, verb: Token, targets: list[tuple[Arg, str]]) -> Iterator[Finding]:
        # case TIES CUT: "Venezuela has broken diplomatic relations with the US": the verb's subject sanctions
        if not any(t.relation == "sanctions" for t in self.lex.lookup(verb.lemma_.lower(), "VERB")):
            return
        agents, conf = self.agents(verb)
        negated, hypo, _, factor = self.modality(verb)
        yield from self.combine(agents, [(a, "sanctions") for a, _ in targets], "sanctions", False, verb, negated, hypo, 0.85 * conf * factor)

    def threat_case(self, noun: Token, verb: Token, targets: list[tuple[Arg, str]]) -> Iterator[Finding]:
        # case THREAT: "the EU is considering sanctions against Juba", "threatens military action against":
        # an act its subject weighs, plans or threatens is a warning made now (an act merely hoped for is not)
        # "did not rule out military action against Iran" keeps the threat open: a threat
        ruled_out = verb.lemma_.lower() == "rule" and any(c.dep_ == "prt" and c.lower_ == "out" for c in verb.children)
        if not (self.is_word(verb, "intention_governors") or self.is_word(verb, "commitment_governors") or ruled_out):
            return  # "vowed revenge against Israel", "plans sanctions on Iran"
        negated, hypo, _, factor = self.modality(verb)
        if ruled_out:
            if not negated:
                return  # "ruled out sanctions" threatens nothing
            negated = hypo = False  # "would not rule out": a refusal made now
        if negated or hypo:
            return
        agents, conf = self.agents(verb)
        warned = [(a, "warns") for a, r in targets if r in THREATENED]
        yield from self.combine(agents, warned, "warns", False, noun, False, False, 0.75 * conf * factor)

    def governing_verb(self, noun: Token) -> Token | None:
        """The verb whose object (directly or through prepositions) the noun is."""
        cur = noun
        for _ in range(4):
            if cur.dep_ not in ("dobj", "pobj", "prep", "nsubjpass", "attr", "appos", "conj") or cur.head is cur:
                return None
            cur = cur.head
            if cur.pos_ in ("VERB", "AUX"):
                return cur
        return None

    def conditional_subjects(self, noun: Token, verb: Token | None) -> list[Arg]:
        """Subjects of an if/unless clause attached to the noun or its verb."""
        for holder in [noun, noun.head, *([verb] if verb is not None else [])]:
            for clause in holder.children:
                if clause.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in clause.children):
                    for sub in clause.children:
                        if sub.dep_ in SUBJECT:
                            return self.group(sub)
        return []

    def clause_parties(self, word: Token, mediators: list[Arg]) -> list[Arg]:
        """The subjects of the clause a phrase hangs on ("following U.S.-brokered talks, Serbia and Kosovo agreed")."""
        known = {a.actor for a in mediators}
        cur = word
        for _ in range(8):
            if cur.head is cur:
                break
            cur = cur.head
            if cur.pos_ in ("VERB", "AUX") and cur.dep_ != "prep":
                subjects = [a for c in cur.children if c.dep_ in SUBJECT | PASSIVE_SUBJECT for a in self.group(c) if a.actor not in known]
                if subjects or cur.dep_ not in ("xcomp", "advcl", "conj"):
                    return subjects
        return []

    def rival_case(self, word: Token, name: Token) -> Iterator[Finding]:
        # case RIVAL: "Saudi Arabia accused rival Iran": the clause's subject and the named rival oppose each other
        named = self.head_actors(name)
        verb = name.head
        while verb.dep_ in ("prep", "conj", "appos") and verb.head is not verb:
            verb = verb.head
        subjects = [a for c in verb.children if c.dep_ in SUBJECT for a in self.group(c)] if verb.pos_ in ("VERB", "AUX") else []
        subjects = [a for a in subjects if a.actor not in {n.actor for n in named}]
        if not subjects or not named:
            return
        negated, hypo, _, factor = self.modality(verb)
        yield from self.combine(subjects + named, [], "opposes", True, word, negated, hypo, 0.7 * factor)

    def adjective_case(self, adj: Token, trigger: Trigger) -> Iterator[Finding]:
        # case ADJECTIVE: "Hungary is critical of the EU", "allied with Russia"
        # the adjective heads its own clause when the parser gives it the subject: "the US was disappointed to learn ..."
        own = [c for c in adj.children if c.dep_ in SUBJECT | PASSIVE_SUBJECT]
        if adj.dep_ not in ("acomp", "amod", "oprd") and not own:
            return
        if adj.dep_ == "amod" and adj.head.i in self.found and trigger.relation == "opposes":
            yield from self.rival_case(adj, adj.head)
            return
        head = adj.head
        if own:
            agents = [a for c in own for a in self.group(c)]
        else:
            agents = self.head_actors(head) if adj.dep_ == "amod" else self.agents(head)[0]
        targets: list[tuple[Arg, str]] = []
        for child in adj.children:
            if child.dep_ in ("prep", "agent") and child.lower_ in trigger.preps:
                for p in [p for p in child.children if p.dep_ == "pobj"]:
                    found = self.group(p) or (self.attack_referred(p) or self.situation(p, "criticizes") if trigger.relation == "criticizes" else [])
                    targets += [(a, trigger.preps[child.lower_]) for a in found]
        if trigger.experiencer:
            targets += [(a, trigger.relation) for a in self.clause_subjects(adj)]  # "concerned that Russia ..."
        negated, hypo, _, factor = self.modality(head if adj.dep_ == "acomp" and not own else adj)
        yield from self.combine(agents, targets, trigger.relation, False, adj, negated, hypo, 0.8 * factor)

    def combine(
        self,
        agents: list[Arg],
        targets: list[tuple[Arg, str]],
        relation: str,
        reciprocal: bool,
        trigger: Token,
        negated: bool,
        hypothetical: bool,
        confidence: float,
    ) -> Iterator[Finding]:
        """Findings for every agent x target; coordinated agents pair up when reciprocal."""
        if hypothetical:
            confidence = min(confidence, HYPOTHETICAL_CONFIDENCE)
        for source in agents:
            for target, rel in targets:
                if source.actor != target.actor:
                    if rel in ("attacks", "opposes") and not hypothetical and not negated:
                        self.conflicts.append((source.actor, target.actor))
                        self.fights.append((trigger.i, source.actor, rel, target.actor))
                    yield Finding(source, rel, target, trigger, negated, hypothetical, _adjust(confidence, source, target))
        if reciprocal and len(agents) >= 2 and (not targets or relation in SYMMETRIC):
            # "China and Russia signed a deal", "Serbia and Kosovo clashed"
            both_ways = relation not in SYMMETRIC
            for i, a in enumerate(agents):
                for b in agents[i + 1 :]:
                    if a.actor == b.actor:
                        continue
                    yield Finding(a, relation, b, trigger, negated, hypothetical, _adjust(confidence, a, b))
                    if relation in ("attacks", "opposes") and not hypothetical and not negated:
                        self.conflicts.append((a.actor, b.actor))
                        self.fights.append((trigger.i, a.actor, relation, b.actor))
                    if both_ways:
                        yield Finding(b, relation, a, trigger, negated, hypothetical, _adjust(confidence, b, a))


def _arms_deal(noun: Token, trigger: Trigger) -> bool:
    """ "signed an arms deal with the US": a sale, whose seller the phrase does not say, and no partnership."""
    return trigger.relation == "partners-with" and any(c.lower_ in ARMS for c in noun.children if c.dep_ in ("compound", "amod"))


def _measured(noun: Token) -> Token:
    """The thing a sum or a count measures: "$60 billion in aid" -> aid, "billions of dollars in arms" -> arms."""
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
