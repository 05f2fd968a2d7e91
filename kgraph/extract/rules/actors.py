"""Who: the noun phrases of a sentence read as actors, and the agents and targets of a predicate.

``ActorReader`` holds one parsed article with its actor mentions. Its methods answer the
questions every construction asks: which actors a noun phrase stands for ("the US and the EU",
"Chinese forces", "the two countries", "we" in a quote), who does what a verb or a noun says,
and on whom; whether the predicate is denied, planned or asked about (``modality``).
The constructions themselves are in ``cases.py``.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from ...lexicon import Lexicon, Trigger
from ...records import Mention
from ..modality import is_question, is_word, modality
from .words import (
    ACT_VERBS,
    AIMING,
    COLLECTIVES,
    DEFINITE,
    GENERIC_ACTS,
    OBJECT,
    PAIR_PREPS,
    PASSIVE_SUBJECT,
    PERSON_COLLECTIVES,
    PERSON_NOUNS,
    PERSON_VIAS,
    QUOTE_MARKS,
    RELATIONAL_NOUNS,
    SITUATIONS,
    SUBJECT,
    TRADE,
    Arg,
    _infinitive,
    _marked_clauses,
    is_dateline,
)


class ActorReader:
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
            members = self.members(head)
            # "the G7 leaders — Biden, Macron, ... — met": the members named act, not their group with them
            own = self.head_actors(head) if not members or head.i in self.found else []
            for arg in own + members:
                if arg.actor not in {a.actor for a in args}:
                    args.append(arg)
        return args

    def members(self, token: Token) -> list[Arg]:
        """The named members of a collective noun: "the Quad countries — Australia, India, Japan and the US —"."""
        people = token.lemma_.lower() in PERSON_COLLECTIVES
        if token.lemma_.lower() not in COLLECTIVES and not people and not (token.i in self.found and self.kinds.get(self.found[token.i].actor) != "state"):
            return []
        vias = ("name", "capital", *PERSON_VIAS) if people else ("name", "capital")
        out: list[Arg] = []
        stack = [c for c in token.children if c.dep_ == "appos"]
        while stack:
            tok = stack.pop(0)
            if tok.i in self.found and self.found[tok.i].via in vias:
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
        if lemma in self.non_actors and token.pos_ in ("NOUN", "PROPN"):
            # "Syrian rebels", "Chinese students" are not their state; "Houthi rebels", "M23 rebels" are their group
            return [Arg(self.found[c.i].actor, f"{c.text} {token.text}", self.found[c.i].via) for c in token.children
                    if c.dep_ in ("compound", "amod") and c.i in self.found and self.kinds.get(self.found[c.i].actor) == "group"]
        if lemma in self.non_actors or token.pos_ not in ("NOUN", "PROPN"):
            return []
        if lemma == "counterpart":
            # "his Russian counterpart": the demonym names the counterpart's side, the possessor the other;
            # "his counterparts from Japan, South Korea and Australia": the states of the "from" phrase
            named = [Arg(self.found[c.i].actor, f"{c.text} {token.text}", self.found[c.i].via)
                     for c in token.children if c.dep_ in ("amod", "compound") and c.i in self.found][:1]
            return named or [a for c in token.children if c.dep_ == "prep" and c.lower_ in ("from", "of", "in")
                             for p in c.children if p.dep_ == "pobj" for a in self.group(p)]
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
        owners = {self.found[c.i].actor for c in token.children if c.dep_ == "poss" and c.i in self.found}
        if owners and len(args) > len(owners):
            # "Sweden's NATO bid", "China's EU envoy": the owner, not the organisation the noun is about
            args = [a for a in args if a.actor in owners or self.kinds.get(a.actor) != "organization"]
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

    def noun_ok(self, noun: Token, trigger: Trigger) -> bool:
        if trigger.needs_modifier:
            return any(c.lower_ in trigger.needs_modifier for c in noun.children)
        return True
